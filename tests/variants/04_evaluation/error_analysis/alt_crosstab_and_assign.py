"""ALTERNATIVE: pd.crosstab reindexed to TIERS, errors assigned on the sales' own index."""

from collections.abc import Sequence

import numpy as np
import pandas as pd

TIERS = ("bulk", "mid", "high", "chase")  # in price order
TIER_EDGES_USD = (1.0, 20.0, 200.0)  # bulk < $1 <= mid < $20 <= high < $200 <= chase


def price_tier(prices_usd: Sequence[float]) -> np.ndarray:
    return np.asarray(TIERS)[np.searchsorted(TIER_EDGES_USD, prices_usd, side="right")]


def confusion_table(actual_tier: Sequence[str], predicted_tier: Sequence[str]) -> pd.DataFrame:
    table = pd.crosstab(
        pd.Series(list(actual_tier), name="actual"),
        pd.Series(list(predicted_tier), name="predicted"),
    )
    return table.reindex(index=list(TIERS), columns=list(TIERS), fill_value=0)


def error_by_slice(sales: pd.DataFrame, predicted_usd: Sequence[float], by: str) -> pd.DataFrame:
    with_errors = sales.assign(predicted=pd.Series(list(predicted_usd), index=sales.index))
    with_errors["abs_error"] = (with_errors["price_usd"] - with_errors["predicted"]).abs()
    table = with_errors.groupby(by).agg(n=("abs_error", "size"), mae_usd=("abs_error", "mean"))
    return table.nlargest(len(table), "mae_usd")


def worst_slice(sales: pd.DataFrame, predicted_usd: Sequence[float], by: str, min_sales: int = 30):
    table = error_by_slice(sales, predicted_usd, by).query("n >= @min_sales")
    return table.index[0]
