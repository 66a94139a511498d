"""WRONG: scipy.stats.skew with its default bias=True: close, but not the number pandas reports."""

from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

DATA = Path(__file__).resolve().parents[2] / "data"


def summarize(sales: pd.DataFrame) -> dict:
    """The EDA summary of a sales table: counts, price shape, top rarities, missing shares."""
    prices = sales["price_usd"]
    return {
        "n_sales": len(sales),
        "median_price": float(prices.median()),
        "price_skew": float(stats.skew(prices)),
        "log_price_skew": float(stats.skew(np.log1p(prices))),
        "top_rarities": sales["rarity"].value_counts(normalize=True).head(3).to_dict(),
        "missing_share": sales.isna().mean().to_dict(),
    }


if __name__ == "__main__":
    summary = summarize(pd.read_csv(DATA / "sales_clean.csv", parse_dates=["sale_date"]))
    for key, value in summary.items():
        print(f"{key}: {value}")
