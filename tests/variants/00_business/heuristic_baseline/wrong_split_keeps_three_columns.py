"""WRONG: split_by_date keeps only the three columns the baseline uses."""

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
    needed = ["rarity", "sale_date", "price_usd"]
    return sales.loc[is_earlier, needed], sales.loc[~is_earlier, needed]


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
