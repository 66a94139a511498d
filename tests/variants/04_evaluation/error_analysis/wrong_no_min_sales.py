"""WRONG: the worst slice among all slices, however small."""

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.metrics import confusion_matrix

TIERS = ("bulk", "mid", "high", "chase")  # in price order
TIER_EDGES_USD = (1.0, 20.0, 200.0)  # bulk < $1 <= mid < $20 <= high < $200 <= chase


def price_tier(prices_usd: Sequence[float]) -> np.ndarray:
    """The tier of each price (no need to change this function)."""
    return np.asarray(TIERS)[np.searchsorted(TIER_EDGES_USD, prices_usd, side="right")]


def confusion_table(actual_tier: Sequence[str], predicted_tier: Sequence[str]) -> pd.DataFrame:
    """Counts of sales by actual tier (rows) and predicted tier (columns), in TIERS order."""
    counts = confusion_matrix(actual_tier, predicted_tier, labels=list(TIERS))
    return pd.DataFrame(
        counts,
        index=pd.Index(TIERS, name="actual"),
        columns=pd.Index(TIERS, name="predicted"),
    )


def error_by_slice(sales: pd.DataFrame, predicted_usd: Sequence[float], by: str) -> pd.DataFrame:
    """Per value of `by`: number of sales "n" and "mae_usd", worst slice first."""
    errors = np.abs(sales["price_usd"].to_numpy(dtype=float) - np.asarray(predicted_usd, float))
    table = (
        pd.DataFrame({by: sales[by].to_numpy(), "error": errors})
        .groupby(by)["error"]
        .agg(n="count", mae_usd="mean")
    )
    return table.sort_values("mae_usd", ascending=False)


def worst_slice(sales: pd.DataFrame, predicted_usd: Sequence[float], by: str, min_sales: int = 30):
    """The slice (a value of `by`) with the highest MAE among slices of >= min_sales sales."""
    table = error_by_slice(sales, predicted_usd, by)
    return table["mae_usd"].idxmax()


if __name__ == "__main__":
    demo = pd.DataFrame(
        {
            "rarity": ["Common", "Common", "Rare", "Rare", "Gold Star", "Holo Rare"],
            "price_usd": [0.20, 0.35, 3.10, 2.40, 900.0, 45.0],
        },
        index=[17, 4, 9, 31, 2, 8],
    )
    predicted = np.array([0.30, 0.30, 2.00, 2.50, 400.0, 20.0])
    print(confusion_table(price_tier(demo["price_usd"]), price_tier(predicted)))
    print(error_by_slice(demo, predicted, "rarity"))
    print("worst:", worst_slice(demo, predicted, "rarity", min_sales=2))
