"""Production slices for monitoring: a stable quarter and a drifted one.

Both are clean sales of the same catalog after the training period, grouped in weekly ingestion
batches. The stable slice (early 2025) follows the training process. The drifted slice (July to
October 2025) is a changed market: new sets bring rarities the model never saw, prices are
inflated, more copies are graded and PSA 10s are given more often, and one weekly batch arrived
with an upstream schema change: ``price_usd`` in cents.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .sales import SALE_COLUMNS, Drift, make_sales

STABLE_PERIOD = ("2025-01-01", "2025-03-31")
DRIFTED_PERIOD = ("2025-07-01", "2025-10-31")
N_STABLE, N_DRIFTED = 4000, 4000
DRIFT = Drift(inflation=0.5, psa10_boost=2.5, graded_boost=0.7)
CENTS_BATCH = "2025-W36"  # this batch of the drifted slice has price_usd in cents
SLICE_COLUMNS = ["listing_id", "batch_id", *SALE_COLUMNS[1:]]


def batch_ids(dates: pd.Series) -> pd.Series:
    """The weekly ingestion batch of each sale: ISO year and week, e.g. ``2025-W07``."""
    iso = dates.dt.isocalendar()
    return (iso["year"].astype(str) + "-W" + iso["week"].astype(str).str.zfill(2)).astype("str")


def _slice(sales: pd.DataFrame) -> pd.DataFrame:
    sales = sales.copy()
    sales["batch_id"] = batch_ids(sales["sale_date"])
    return sales[SLICE_COLUMNS]


def make_stable_slice(cards: pd.DataFrame, seed: int, n: int = N_STABLE) -> pd.DataFrame:
    """Sales of early 2025 from the training process (``data/production_stable.csv``)."""
    start, end = STABLE_PERIOD
    return _slice(make_sales(cards, [seed, 3], n, start, end, first_id=5_000_000))


def make_drifted_slice(cards: pd.DataFrame, seed: int, n: int = N_DRIFTED) -> pd.DataFrame:
    """Sales of mid/late 2025 from a drifted market (``data/production_drifted.csv``)."""
    start, end = DRIFTED_PERIOD
    sales = _slice(make_sales(cards, [seed, 4], n, start, end, drift=DRIFT, first_id=6_000_000))
    cents = sales["batch_id"].eq(CENTS_BATCH)
    sales.loc[cents, "price_usd"] = np.round(sales.loc[cents, "price_usd"] * 100, 2)
    return sales
