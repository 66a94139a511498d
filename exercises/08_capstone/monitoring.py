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

from collections.abc import Sequence  # noqa: F401 (you may need it)

import numpy as np  # noqa: F401 (you will need it)
import pandas as pd

EPS = 1e-4  # shares are floored at this, so an empty bin stays finite
BINS = 10  # price bins: the reference's deciles

# TODO: the thresholds drift_report judges against, by name (an alert fires ABOVE its
# threshold). Which measures do you alert on, and from which value is it worth waking someone?
ALERT_THRESHOLDS: dict[str, float] = {}

# TODO: one entry per alert drift_report can raise: what the on-call engineer checks, what
# they do, whom they tell.
RUNBOOK: dict[str, str] = {}


def drift_report(reference: pd.DataFrame, current: pd.DataFrame) -> dict:
    """PSI per feature, the alerts that fire (each named as in RUNBOOK) and the verdict."""
    # TODO: a PSI for price_usd (the reference's deciles) and for each categorical feature
    # you monitor (one bin per category); alerts when a measure is above its threshold in
    # ALERT_THRESHOLDS; a per-batch check of the median price against the reference's.
    raise NotImplementedError("drift_report: PSI per feature, alerts above thresholds, batches")


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
