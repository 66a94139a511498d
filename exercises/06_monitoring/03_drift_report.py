"""A weekly drift report

PokéMarket's card-price model went live in January 2025, and you, its ML engineer, keep it
honest. Production sales arrive in weekly ingestion batches (`batch_id`, the ISO week, e.g.
"2025-W36"), and every Monday the team asks: did last week still look like the data the model
learned from? The answer is a drift report: for EVERY batch and EVERY feature a number, the
threshold it was judged against and the verdict, so a reader sees what was measured and what
was fine, not just an alarm (a report that lists only the alarms cannot tell "all clear" from
"the check never ran").

The reference is fixed: the last year the model trained on (the 2024 sales), never the week
before (a slow drift would then never show). Each feature gets a measure that suits its type:

- price_usd: the PSI of the batch's prices against the reference's prices. `psi` is given: its
  bins are the REFERENCE's deciles, so the order matters: psi(reference prices, batch prices).
- psa_grade: how far the share of PSA 10s moved, in either direction:
  |batch share - reference share|. The share is over ALL sales: a raw copy has no grade
  (psa_grade is empty), and it is a sale that is not a PSA 10, not a row to drop.
- rarity: the share of the batch's sales whose rarity never appears in the reference. The
  model has never seen those; even one such sale is drift, so its threshold is 0.

A small batch is noisy: on an unchanged market, a partial week of 50 sales scores a price PSI
of 0.1 to 0.2 by chance alone (about bins / sales). Its rows are reported, but a
batch of fewer than `min_rows` sales is never flagged.

Not every change is drift. When a batch's MEDIAN price is 100 times the reference's, the
market did not move a hundredfold: an upstream feed sent cents. PSI flags that batch too
(every price lands in the top bins) but cannot tell why; a schema check can. Compare each
batch's median price with the reference's median price: the median, because a single $50,000
slab can multiply a quiet week's mean price by ten.

Write:

- drift_report(reference, production, thresholds=THRESHOLDS, min_rows=MIN_ROWS): a DataFrame
  with the columns batch_id, feature, value, threshold, drifted, and one row per batch of
  `production` and feature of FEATURES: every batch, in chronological order (sorted by
  batch_id), and within a batch the features in FEATURES order, drifted or not. value is
  the feature's measure above (a float); threshold is thresholds[feature]; drifted (bool) is
  value > threshold, except that a batch of fewer than min_rows sales is never drifted
  (exactly min_rows sales is enough).
- schema_breaks(production, reference, limit=SCALE_LIMIT): a DataFrame with the columns
  batch_id, median_ratio, cause, and one row per broken batch, in chronological order (no
  rows when none is broken). median_ratio is the batch's median price_usd divided by the
  reference's median price_usd. A batch is broken when median_ratio > limit (cause
  PRICES_IN_CENTS) or median_ratio < 1 / limit (cause PRICES_SCALED_DOWN), whatever its size.

Neither function changes the frames it is given.

Done when: the stable quarter has nothing flagged and no schema break; the drifted one is
flagged and its cents batch is named, wherever it falls, and no longer once it is repaired.

Stuck? Run `mlings hint`.
"""

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

FEATURES = ("price_usd", "psa_grade", "rarity")
THRESHOLDS = {"price_usd": 0.1, "psa_grade": 0.05, "rarity": 0.0}
MIN_ROWS = 100  # a batch with fewer sales is reported but never flagged
SCALE_LIMIT = 10.0  # a batch median this many times the reference's (or 1/this) is a break
PRICES_IN_CENTS = "prices in cents"
PRICES_SCALED_DOWN = "prices scaled down"


def psi(
    reference: Sequence[float], current: Sequence[float], bins: int = 10, eps: float = 1e-4
) -> float:
    """PSI of current against reference, bins from reference (no need to change this function)."""
    ref = np.asarray(reference, dtype=float)
    cur = np.asarray(current, dtype=float)
    ref, cur = ref[~np.isnan(ref)], cur[~np.isnan(cur)]
    inner = np.unique(np.quantile(ref, np.linspace(0.0, 1.0, bins + 1)[1:-1]))
    ref_share = np.bincount(np.searchsorted(inner, ref), minlength=inner.size + 1) / ref.size
    cur_share = np.bincount(np.searchsorted(inner, cur), minlength=inner.size + 1) / cur.size
    ref_share, cur_share = np.maximum(ref_share, eps), np.maximum(cur_share, eps)
    return float(np.sum((cur_share - ref_share) * np.log(cur_share / ref_share)))


def drift_report(
    reference: pd.DataFrame,
    production: pd.DataFrame,
    thresholds: Mapping[str, float] = THRESHOLDS,
    min_rows: int = MIN_ROWS,
) -> pd.DataFrame:
    """One row per (batch, feature): the measure, its threshold and the verdict."""
    # TODO: one pass over the batches (groupby batch_id); for each, the three measures against
    #       the reference, then one row per feature. Which sales count in the PSA 10 share?
    raise NotImplementedError("drift_report: one row per batch and feature, value vs threshold")


def schema_breaks(
    production: pd.DataFrame, reference: pd.DataFrame, limit: float = SCALE_LIMIT
) -> pd.DataFrame:
    """The batches whose median price is off the reference's by more than `limit` times."""
    # TODO: each batch's median price over the reference's median price; keep the broken ones.
    raise NotImplementedError("schema_breaks: compare each batch's median price to the reference's")


if __name__ == "__main__":
    from pathlib import Path

    data = Path(__file__).resolve().parents[2] / "data"
    clean = pd.read_csv(data / "sales_clean.csv", parse_dates=["sale_date"])
    reference = clean[clean["sale_date"].dt.year == 2024]
    for name in ["production_stable.csv", "production_drifted.csv"]:
        production = pd.read_csv(data / name, parse_dates=["sale_date"])
        report = drift_report(reference, production)
        print(f"{name}: {report['drifted'].sum()} of {len(report)} rows flagged")
        table = report.pivot(index="batch_id", columns="feature", values="value")
        flags = report.pivot(index="batch_id", columns="feature", values="drifted")
        marked = table.round(3).astype(str) + flags.map({True: " *", False: ""}.get)
        print(marked[list(FEATURES)].to_string(), end="\n\n")
        breaks = schema_breaks(production, reference)
        if breaks.empty:
            print("schema breaks: none\n")
        else:
            print(f"schema breaks:\n{breaks.round(1).to_string(index=False)}\n")
