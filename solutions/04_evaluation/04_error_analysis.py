"""Error analysis: by tier and by slice

One number (MAE = $104) says how wrong the price model is on average, not WHERE it is wrong.
Two views answer that:

1. Listings show a price-tier badge computed from the suggested price: bulk (under $1), mid
   ($1 to $20), high ($20 to $200) and chase ($200 and up). The product team asks: how often
   does a chase card get a bulk badge? A confusion table answers it. Its rows are the ACTUAL
   tiers and its columns the PREDICTED tiers, both in price order (TIERS, never alphabetical:
   "chase" does not come between "bulk" and "high"), with every tier present even when no
   sale falls in it, so the table always has the same shape and reads the same way.

2. Slices: the mean absolute error in dollars per group of sales (per rarity, per era...),
   to find where the model is worst. A slice of 2 sales says nothing reliable, so the worst
   slice is chosen among slices with at least `min_sales` sales. And it is the worst by its
   MEAN error (how wrong a typical sale in it is), not its total (which mostly says how many
   sales it has).

`sales` has a `price_usd` column (the actual prices) and the column to slice by; its index can
be anything (not 0..n-1). `predicted_usd` is an array of predicted prices in the same row
order as `sales`. Write:

- confusion_table: a DataFrame of counts, index = actual tier, columns = predicted tier, both
                   exactly TIERS in that order;
- error_by_slice:  a DataFrame indexed by the slice values, with columns "n" (sales) and
                   "mae_usd", sorted from the worst slice (highest mae_usd) to the best;
- worst_slice:     the value of `by` with the highest mae_usd among slices with at least
                   min_sales sales.

Done when: the table reads actual-by-predicted in price order, and the worst slice is the one
with the highest mean error among big enough slices.

Stuck? Run `mlings hint`.
"""

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
    big_enough = table[table["n"] >= min_sales]
    return big_enough["mae_usd"].idxmax()


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
