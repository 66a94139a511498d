"""Capstone: watch the model in production

Your price model goes live in 2025, trained on sales up to 2024. Markets move, and upstream
feeds break; the model will not tell you either. This file is the weekly check the on-call
engineer runs on production sales: does the traffic still look like what the model learned
from, and if not, what should they do about it?

The reference is fixed: the last year the model learned from (the 2024 sales), never last
week (a slow drift would never show). Each monitored feature gets a population stability index
(PSI), as in Module 6:

    PSI = sum over the bins of (cur - ref) · ln(cur / ref)

with cur and ref the current and reference shares of each bin, every share floored at 1e-4.
For price_usd the bins are the REFERENCE's deciles (np.quantile at 0.1 ... 0.9, each edge kept
once, the outer bins open), shared by both samples. For a categorical feature (rarity, ...)
each category is a bin, the union of the categories of both samples, a missing value a
category of its own: a rarity never seen in 2024 has a reference share of 0 (floored at 1e-4),
which is exactly what PSI should punish.

Not every change is drift. When one weekly batch's MEDIAN price is a hundred times the
reference's, the market did not move a hundredfold: an upstream feed sent cents. A PSI cannot
tell that apart from a boom; a per-batch check of the median price can, and it names the batch
to quarantine.

Every alert needs a runbook entry: what the on-call engineer checks and does when it fires. An
alert nobody knows how to handle is noise.

Write:

- ALERT_THRESHOLDS: the numbers drift_report judges against, by name (floats).
- RUNBOOK: alert name -> what the on-call engineer does (a few sentences: what to check, what
  to do, whom to tell), one entry for every alert drift_report can raise.
- drift_report(reference, current): reference is clean sales (the 2024 ones), current is
  production sales with the same columns and a batch_id (the ISO week it was ingested in; no
  batch_id: the whole frame is one batch). Returns a dict:
      "psi":     {feature: the PSI of current against reference, a float}, for price_usd,
                 rarity and every other feature you monitor;
      "alerts":  a list of strings, one per problem found; each starts with its RUNBOOK name,
                 then ": " and what was seen, e.g. "<name>: batch 2025-W07 median $... ";
                 an alert about a batch names its batch_id;
      "drifted": True exactly when "alerts" is not empty.
  An alert fires when its measure is ABOVE its threshold in ALERT_THRESHOLDS, read when the
  function runs (change a threshold and the verdict follows). A batch whose median price_usd
  is more than ALERT_THRESHOLDS allows times the reference's median is a schema break named by
  its batch_id. drift_report changes neither frame.

Done when: the drifted slice of 2025 is flagged, with or without its cents batch, and that
batch is named (wherever it falls, and only while it is broken); the stable slice is quiet;
the PSIs match Module 6's definition; and every alert has its runbook.

Stuck? Run `mlings hint`.
"""

from collections.abc import Sequence

import numpy as np
import pandas as pd

EPS = 1e-4  # shares are floored at this, so an empty bin stays finite
BINS = 10  # price bins: the reference's deciles
NUMERIC = ("price_usd",)
CATEGORICAL = ("rarity", "variant", "condition", "psa_grade", "platform")

ALERT_THRESHOLDS: dict[str, float] = {
    "price_psi": 0.1,  # PSI of price_usd: above 0.1 is a moderate shift (Module 6)
    "mix_psi": 0.1,  # PSI of a categorical feature
    "unseen_share": 0.0,  # share of sales whose rarity 2024 never saw: even one is news
    "batch_price_ratio": 10.0,  # a batch median this many times the reference's: a unit break
}

RUNBOOK: dict[str, str] = {
    "price_drift": (
        "Prices moved away from 2024. Compare the weekly median price by rarity and era with "
        "the reference to see whether the whole market moved or one segment; check the model's "
        "dollar MAE on the newest labelled sales. If the MAE is above the success criterion, "
        "retrain on data up to last week and tell the pricing product owner."
    ),
    "mix_drift": (
        "The mix of what sells changed (rarity, printing, condition, grade or platform, named "
        "in the alert). Check whether a new set release, a grading promotion or a platform "
        "change explains it; look at the dollar MAE per segment that grew; retrain with recent "
        "sales if the error there is above target, and note the cause in the incident log."
    ),
    "unseen_rarity": (
        "Sales of a rarity the model never saw (a new set). The model prices them as an "
        "unknown category: check those suggestions by hand, hide suggestions for that rarity "
        "in the app if they are far off, and retrain once a few hundred such sales are labelled."
    ),
    "prices_in_cents": (
        "A batch's prices are about 100 times the reference's: an upstream unit break, not the "
        "market. Quarantine the named batch (exclude it from monitoring, training and "
        "dashboards), tell the data-feed owner, and re-ingest it once the feed sends dollars."
    ),
}


def _share_psi(ref_share: np.ndarray, cur_share: np.ndarray) -> float:
    ref_share, cur_share = np.maximum(ref_share, EPS), np.maximum(cur_share, EPS)
    return float(np.sum((cur_share - ref_share) * np.log(cur_share / ref_share)))


def numeric_psi(reference: Sequence[float], current: Sequence[float]) -> float:
    """PSI on the reference's deciles, outer bins open, missing values dropped (Module 6)."""
    ref = np.asarray(reference, dtype=float)
    cur = np.asarray(current, dtype=float)
    ref, cur = ref[~np.isnan(ref)], cur[~np.isnan(cur)]
    inner = np.unique(np.quantile(ref, np.linspace(0.0, 1.0, BINS + 1)[1:-1]))
    ref_share = np.bincount(np.searchsorted(inner, ref), minlength=inner.size + 1) / ref.size
    cur_share = np.bincount(np.searchsorted(inner, cur), minlength=inner.size + 1) / cur.size
    return _share_psi(ref_share, cur_share)


def categorical_psi(reference: pd.Series, current: pd.Series) -> float:
    """PSI with one bin per category of either sample; a missing value is a category."""
    ref = reference.astype(object).fillna("<missing>").astype(str)
    cur = current.astype(object).fillna("<missing>").astype(str)
    categories = sorted(set(ref) | set(cur))
    ref_share = ref.value_counts(normalize=True).reindex(categories, fill_value=0.0)
    cur_share = cur.value_counts(normalize=True).reindex(categories, fill_value=0.0)
    return _share_psi(ref_share.to_numpy(), cur_share.to_numpy())


def drift_report(reference: pd.DataFrame, current: pd.DataFrame) -> dict:
    """PSI per feature, the alerts that fire (each named as in RUNBOOK) and the verdict."""
    limits = ALERT_THRESHOLDS
    psi = {name: numeric_psi(reference[name], current[name]) for name in NUMERIC}
    psi |= {name: categorical_psi(reference[name], current[name]) for name in CATEGORICAL}

    alerts = []
    if psi["price_usd"] > limits["price_psi"]:
        alerts.append(f"price_drift: price_usd PSI {psi['price_usd']:.3f}")
    moved = [name for name in CATEGORICAL if psi[name] > limits["mix_psi"]]
    if moved:
        alerts.append("mix_drift: " + ", ".join(f"{name} PSI {psi[name]:.3f}" for name in moved))
    known = reference["rarity"].dropna().unique()
    unseen = current["rarity"].notna() & ~current["rarity"].isin(known)
    if unseen.mean() > limits["unseen_share"]:
        names = ", ".join(sorted(current.loc[unseen, "rarity"].astype(str).unique()))
        alerts.append(f"unseen_rarity: {unseen.sum()} sales of {names}")

    batches = current["batch_id"] if "batch_id" in current else pd.Series("all", current.index)
    ratio = current["price_usd"].groupby(batches).median() / reference["price_usd"].median()
    for batch_id, times in ratio[ratio > limits["batch_price_ratio"]].sort_index().items():
        alerts.append(f"prices_in_cents: batch {batch_id} median price {times:.0f}x the 2024 one")

    return {"drifted": bool(alerts), "psi": psi, "alerts": alerts}


if __name__ == "__main__":
    from pathlib import Path

    data = Path(__file__).resolve().parents[2] / "data"
    clean = pd.read_csv(data / "sales_clean.csv", parse_dates=["sale_date"])
    reference = clean[clean["sale_date"].dt.year == 2024]
    for name in ["production_stable.csv", "production_drifted.csv"]:
        try:
            report = drift_report(reference, pd.read_csv(data / name, parse_dates=["sale_date"]))
        except NotImplementedError as todo:
            raise SystemExit(f"Not done yet: {todo}") from None
        psi = ", ".join(f"{feature} {value:.3f}" for feature, value in report["psi"].items())
        print(f"{name}: drifted={report['drifted']}\n  PSI: {psi}")
        for alert in report["alerts"]:
            print(f"  ALERT {alert}\n    runbook: {RUNBOOK[alert.split(':')[0]][:90]}...")
