"""ALTERNATIVE: scipy.stats.skew(bias=False), numpy scalars, Series instead of dicts, groupby size
for the rarities."""

from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

DATA = Path(__file__).resolve().parents[2] / "data"


def summarize(sales: pd.DataFrame) -> dict:
    """The EDA summary of a sales table: counts, price shape, top rarities, missing shares."""
    prices = sales["price_usd"].to_numpy()
    shares = sales.groupby("rarity").size().sort_values(ascending=False) / len(sales)
    return {
        "n_sales": sales.shape[0],
        "median_price": np.median(prices),
        "price_skew": stats.skew(prices, bias=False),
        "log_price_skew": stats.skew(np.log1p(prices), bias=False),
        "top_rarities": shares.iloc[:3],
        "missing_share": 1 - sales.count() / len(sales),
    }


if __name__ == "__main__":
    summary = summarize(pd.read_csv(DATA / "sales_clean.csv", parse_dates=["sale_date"]))
    for key, value in summary.items():
        print(f"{key}: {value}")
