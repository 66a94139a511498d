"""ALTERNATIVE: a plain numpy count table, and slices with a dict of lists."""

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
import pandas as pd

TIERS = ("bulk", "mid", "high", "chase")  # in price order
TIER_EDGES_USD = (1.0, 20.0, 200.0)  # bulk < $1 <= mid < $20 <= high < $200 <= chase


def price_tier(prices_usd: Sequence[float]) -> np.ndarray:
    return np.asarray(TIERS)[np.searchsorted(TIER_EDGES_USD, prices_usd, side="right")]


def confusion_table(actual_tier: Sequence[str], predicted_tier: Sequence[str]) -> np.ndarray:
    position = {tier: i for i, tier in enumerate(TIERS)}
    counts = np.zeros((len(TIERS), len(TIERS)), dtype=int)
    for actual, predicted in zip(actual_tier, predicted_tier, strict=True):
        counts[position[actual], position[predicted]] += 1
    return counts


def error_by_slice(sales: pd.DataFrame, predicted_usd: Sequence[float], by: str) -> pd.DataFrame:
    errors = defaultdict(list)
    for key, price, guess in zip(sales[by], sales["price_usd"], predicted_usd, strict=True):
        errors[key].append(abs(price - guess))
    rows = {key: {"n": len(e), "mae_usd": sum(e) / len(e)} for key, e in errors.items()}
    return pd.DataFrame.from_dict(rows, orient="index").sort_values("mae_usd", ascending=False)


def worst_slice(sales: pd.DataFrame, predicted_usd: Sequence[float], by: str, min_sales: int = 30):
    table = error_by_slice(sales, predicted_usd, by)
    return max(
        (key for key in table.index if table.loc[key, "n"] >= min_sales),
        key=lambda key: table.loc[key, "mae_usd"],
    )
