"""WRONG: filters only missing prices in polars: a group for sales without rarity appears."""

import pandas as pd
import polars as pl

COLUMNS = ["rarity", "year", "n_sales", "median_price", "graded_share"]


def summary_pandas(sales: pd.DataFrame) -> pd.DataFrame:
    """Sales, median price and graded share per rarity and year, with pandas."""
    known = sales.dropna(subset=["rarity", "price_usd"])
    summary = (
        known.assign(year=known["sale_date"].dt.year, graded=known["psa_grade"].notna())
        .groupby(["rarity", "year"], as_index=False)
        .agg(
            n_sales=("price_usd", "size"),
            median_price=("price_usd", "median"),
            graded_share=("graded", "mean"),
        )
    )
    return summary.sort_values(["rarity", "year"], ignore_index=True)[COLUMNS]


def summary_polars(sales: pl.DataFrame) -> pl.DataFrame:
    """Sales, median price and graded share per rarity and year, with polars."""
    return (
        sales.filter(pl.col("price_usd").is_not_null())
        .group_by("rarity", pl.col("sale_date").dt.year().alias("year"))
        .agg(
            n_sales=pl.len(),
            median_price=pl.col("price_usd").median(),
            graded_share=pl.col("psa_grade").is_not_null().mean(),
        )
        .sort("rarity", "year")
        .select(COLUMNS)
    )
