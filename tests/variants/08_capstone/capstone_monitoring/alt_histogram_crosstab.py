"""Alternative: np.histogram's [a, b) bins, pd.crosstab shares, alert names unlike threshold keys.

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
    "psi_price_usd": 0.1,
    "psi_rarity": 0.1,
    "psi_condition": 0.1,
    "psi_currency": 0.1,
    "max_batch_median_ratio": 10.0,
}

RUNBOOK: dict[str, str] = {
    "price_drift": (
        "Check the price PSI per batch and the model's error on last week's sold listings. "
        "If prices moved for real, open a retraining ticket on the last 12 months; if one "
        "source moved, look at its feed first. Post in #pricing-ml and tell the model owner."
    ),
    "mix_drift": (
        "A categorical mix (rarity, condition or currency) moved away from 2024. Look at which "
        "categories grew or appeared; a category the model never saw gets wrong prices, so "
        "retrain with it or route it to manual pricing. Tell the model owner and the data team."
    ),
    "cents_batch": (
        "A weekly batch is priced about 100x too high: a feed sent cents. Quarantine that "
        "batch_id (exclude it from retraining and dashboards), ask the feed owner to resend it, "
        "and page the on-call data engineer if more than one batch is hit."
    ),
}

_MISSING = "<missing>"  # a missing value is a category of its own


def _shares_psi(cur: pd.Series, ref: pd.Series) -> float:
    """Module 6's PSI of two share vectors on the same bins, each share floored at EPS."""
    cur_s = cur.to_numpy(float).clip(min=EPS)
    ref_s = ref.to_numpy(float).clip(min=EPS)
    return float(((cur_s - ref_s) * np.log(cur_s / ref_s)).sum())


def _numeric_psi(reference: pd.Series, current: pd.Series) -> float:
    """Bins: the reference's deciles, outer bins open; [a, b) bins as np.histogram counts."""
    inner = np.unique(np.quantile(reference.to_numpy(float), np.linspace(0.1, 0.9, BINS - 1)))
    edges = np.concatenate(([-np.inf], inner, [np.inf]))
    ref_counts, _ = np.histogram(reference.to_numpy(float), bins=edges)
    cur_counts, _ = np.histogram(current.to_numpy(float), bins=edges)
    return _shares_psi(
        pd.Series(cur_counts / cur_counts.sum()), pd.Series(ref_counts / ref_counts.sum())
    )


def _categorical_psi(reference: pd.Series, current: pd.Series) -> float:
    """One bin per category of either sample, missing values included."""
    both = pd.concat(
        {
            "ref": reference.astype(object).where(reference.notna(), _MISSING),
            "cur": current.astype(object).where(current.notna(), _MISSING),
        },
        names=["sample", None],
    ).reset_index(level=0)
    both.columns = ["sample", "value"]
    table = pd.crosstab(both["value"], both["sample"], normalize="columns")
    return _shares_psi(table["cur"], table["ref"])


def drift_report(reference: pd.DataFrame, current: pd.DataFrame) -> dict:
    """PSI per feature, the alerts that fire (each named as in RUNBOOK) and the verdict."""
    psi = {"price_usd": _numeric_psi(reference["price_usd"], current["price_usd"])}
    for feature in ("rarity", "condition", "currency"):
        psi[feature] = _categorical_psi(reference[feature], current[feature])

    alerts: list[str] = []
    if psi["price_usd"] > ALERT_THRESHOLDS["psi_price_usd"]:
        alerts.append(f"price_drift: price_usd PSI {psi['price_usd']:.3f} against 2024")
    for feature in ("rarity", "condition", "currency"):
        if psi[feature] > ALERT_THRESHOLDS[f"psi_{feature}"]:
            alerts.append(f"mix_drift: {feature} PSI {psi[feature]:.3f} against 2024")

    reference_median = reference["price_usd"].median()
    if "batch_id" in current.columns:
        medians = current.groupby("batch_id", sort=True)["price_usd"].median()
    else:
        medians = pd.Series({"(all)": current["price_usd"].median()})
    ratios = medians / reference_median
    for batch, ratio in ratios[ratios > ALERT_THRESHOLDS["max_batch_median_ratio"]].items():
        alerts.append(
            f"cents_batch: batch {batch} median ${medians[batch]:,.2f} is {ratio:.0f}x "
            f"the 2024 median ${reference_median:,.2f}; quarantine it"
        )
    return {"psi": psi, "alerts": alerts, "drifted": len(alerts) > 0}


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
