"""The heuristic baseline to beat

Before you train anything, you need the number a model has to beat. At PokéMarket the obvious
rule is "suggest the median price of past sales of the same rarity": cheap, explainable, and
harder to beat than it looks. If your model cannot beat it, ship the rule.

Score it honestly: pretend you built it on the cutoff date. Fit the medians only on sales
before the cutoff, and measure the error only on sales from the cutoff on, exactly as it would
have performed in production. Fitting on every row, including the ones you then score, lets the
rule peek at the answers and makes the bar look lower than it is. A rarity first seen after the
cutoff (a new set brings a new rarity) gets the median price of all earlier sales.

A sales table has (at least) the columns `rarity` (str), `sale_date` (datetime64) and
`price_usd` (float), in no particular order. Write:

- split_by_date:  (earlier, later): sales with sale_date before the cutoff, and from it on;
- fit_baseline:   a Baseline: the median price_usd per rarity, and the overall median;
- predict:        the baseline's price for each rarity (the overall median for unseen ones);
- score_baseline: fit on the earlier sales, and return the Baseline with its mean absolute
                  error in dollars on the later sales.

Done when: the medians come from earlier sales only (wild prices after the cutoff do not move
them), and the MAE is measured on later sales only.

Stuck? Run `mlings hint`.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Baseline:
    """The per-rarity median rule, as fitted."""

    by_rarity: dict[str, float]  # median price_usd per rarity
    overall: float  # median price_usd of every sale it was fitted on: the fallback


def split_by_date(
    sales: pd.DataFrame, cutoff: str | pd.Timestamp
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(earlier, later): sales before the cutoff date, and sales on or after it."""
    is_earlier = sales["sale_date"] < pd.Timestamp(cutoff)
    return sales[is_earlier], sales[~is_earlier]


def fit_baseline(earlier: pd.DataFrame) -> Baseline:
    """The median price per rarity, and the overall median, of the given sales."""
    by_rarity = earlier.groupby("rarity")["price_usd"].median()
    return Baseline(by_rarity=by_rarity.to_dict(), overall=float(earlier["price_usd"].median()))


def predict(baseline: Baseline, rarities: pd.Series) -> np.ndarray:
    """The baseline's price for each rarity; the overall median for a rarity it never saw."""
    prices = rarities.map(baseline.by_rarity).fillna(baseline.overall)
    return prices.to_numpy(dtype=float)


def score_baseline(sales: pd.DataFrame, cutoff: str | pd.Timestamp) -> tuple[Baseline, float]:
    """Fit on sales before the cutoff; return the baseline and its MAE (USD) on later sales."""
    earlier, later = split_by_date(sales, cutoff)
    baseline = fit_baseline(earlier)
    errors = np.abs(later["price_usd"].to_numpy(dtype=float) - predict(baseline, later["rarity"]))
    return baseline, float(errors.mean())


if __name__ == "__main__":
    demo = pd.DataFrame(
        {
            "rarity": ["Common", "Rare", "Common", "Rare", "Holo Rare", "Common"],
            "sale_date": pd.to_datetime(
                ["2023-01-05", "2023-02-11", "2023-03-02", "2023-08-19", "2023-09-01", "2023-07-01"]
            ),
            "price_usd": [0.25, 3.10, 0.40, 2.80, 12.00, 0.30],
        }
    )
    fitted, mae = score_baseline(demo, "2023-07-01")
    print(fitted)
    print(f"MAE on later sales: ${mae:.2f}")
