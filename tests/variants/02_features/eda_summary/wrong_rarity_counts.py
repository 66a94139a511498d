"""WRONG: the top rarities with their counts, not their shares."""

from pathlib import Path

import numpy as np
import pandas as pd

DATA = Path(__file__).resolve().parents[2] / "data"


def summarize(sales: pd.DataFrame) -> dict:
    """The EDA summary of a sales table: counts, price shape, top rarities, missing shares."""
    prices = sales["price_usd"]
    return {
        "n_sales": len(sales),
        "median_price": float(prices.median()),
        "price_skew": float(prices.skew()),
        "log_price_skew": float(np.log1p(prices).skew()),
        "top_rarities": sales["rarity"].value_counts().head(3).to_dict(),
        "missing_share": sales.isna().mean().to_dict(),
    }


if __name__ == "__main__":
    summary = summarize(pd.read_csv(DATA / "sales_clean.csv", parse_dates=["sale_date"]))
    for key, value in summary.items():
        print(f"{key}: {value}")
