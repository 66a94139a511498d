"""Wrong: value_counts drops missing values, so a missing rarity is no category of its own.

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

from collections.abc import Sequence  # noqa: F401 (you may need it)

import numpy as np
import pandas as pd

EPS = 1e-4  # shares are floored at this, so an empty bin stays finite
BINS = 10  # price bins: the reference's deciles

ALERT_THRESHOLDS: dict[str, float] = {
    "price_psi": 0.1,  # the price distribution moved (below 0.1 stable: Module 6)
    "rarity_psi": 0.1,  # the mix of rarities moved
    "variant_psi": 0.1,  # the mix of variants moved
    "platform_psi": 0.1,  # the mix of platforms moved
    "batch_median_ratio": 20.0,  # a batch's median price over the reference's: cents, not a boom
}

RUNBOOK: dict[str, str] = {
    "price_psi": (
        "Prices moved away from the 2024 reference. Check whether a few batches or all of them "
        "moved, and compare the model's recent errors on sold listings. If the market moved, "
        "schedule a retrain on recent sales; tell the pricing team lead."
    ),
    "rarity_psi": (
        "The mix of rarities sold changed (a new set, a new rarity). Check which rarities grew "
        "and whether the model has ever seen them; retrain if they are new. Tell the data team."
    ),
    "variant_psi": (
        "The mix of variants changed. Check which variant grew and whether an upstream feed "
        "renamed one; fix the feed or retrain. Tell the data team."
    ),
    "platform_psi": (
        "The share of platforms changed (a platform joined or dropped). Check the ingestion of "
        "each platform's feed; if a feed broke, fix it before retraining. Tell the data team."
    ),
    "batch_median_ratio": (
        "One batch's median price is far above the reference's: a feed sent cents, not dollars. "
        "Quarantine the named batch (keep it out of training and dashboards), ask the feed's "
        "owner to resend it in dollars, and tell the on-call data engineer."
    ),
}

CATEGORICAL = ("rarity", "variant", "platform")


def _psi(cur: np.ndarray, ref: np.ndarray) -> float:
    cur, ref = np.maximum(cur, EPS), np.maximum(ref, EPS)
    return float(np.sum((cur - ref) * np.log(cur / ref)))


def _price_psi(ref: pd.Series, cur: pd.Series) -> float:
    edges = np.unique(np.quantile(ref.to_numpy(float), np.arange(1, BINS) / BINS))
    n = len(edges) + 1
    ref_counts = np.bincount(np.searchsorted(edges, ref.to_numpy(float)), minlength=n)
    cur_counts = np.bincount(np.searchsorted(edges, cur.to_numpy(float)), minlength=n)
    return _psi(cur_counts / cur_counts.sum(), ref_counts / ref_counts.sum())


def _category_psi(ref: pd.Series, cur: pd.Series) -> float:
    ref_share = ref.value_counts(normalize=True)
    cur_share = cur.value_counts(normalize=True)
    bins = ref_share.index.union(cur_share.index)
    return _psi(
        cur_share.reindex(bins, fill_value=0).to_numpy(float),
        ref_share.reindex(bins, fill_value=0).to_numpy(float),
    )


def drift_report(reference: pd.DataFrame, current: pd.DataFrame) -> dict:
    """PSI per feature, the alerts that fire (each named as in RUNBOOK) and the verdict."""
    limits = ALERT_THRESHOLDS
    psi = {"price_usd": _price_psi(reference["price_usd"], current["price_usd"])}
    for feature in CATEGORICAL:
        psi[feature] = _category_psi(reference[feature], current[feature])

    alerts = []
    if psi["price_usd"] > limits["price_psi"]:
        alerts.append(f"price_psi: PSI of price_usd {psi['price_usd']:.3f}")
    for feature in CATEGORICAL:
        if psi[feature] > limits[f"{feature}_psi"]:
            alerts.append(f"{feature}_psi: PSI of {feature} {psi[feature]:.3f}")

    ref_median = float(reference["price_usd"].median())
    batches = current["batch_id"] if "batch_id" in current else pd.Series("all", current.index)
    for batch, median in current["price_usd"].groupby(batches, sort=True).median().items():
        if median > limits["batch_median_ratio"] * ref_median:
            alerts.append(
                f"batch_median_ratio: batch {batch} median ${median:,.2f}, "
                f"{median / ref_median:.0f}x the reference's ${ref_median:,.2f}"
            )
    return {"psi": psi, "alerts": alerts, "drifted": bool(alerts)}


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
