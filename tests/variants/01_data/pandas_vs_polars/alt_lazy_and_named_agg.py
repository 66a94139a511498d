"""ALTERNATIVE: pandas with pd.NamedAgg and reset_index; polars through the lazy API, with
drop_nulls, count() and a cast year."""

import pandas as pd
import polars as pl

COLUMNS = ["rarity", "year", "n_sales", "median_price", "graded_share"]


def summary_pandas(sales: pd.DataFrame) -> pd.DataFrame:
    """Sales, median price and graded share per rarity and year, with pandas."""
    known = sales[sales["rarity"].notna() & sales["price_usd"].notna()].copy()
    known["year"] = known["sale_date"].dt.year.astype("int64")
    known["graded"] = known["psa_grade"].notna().astype(float)
    grouped = known.groupby(["rarity", "year"]).agg(
        n_sales=pd.NamedAgg("price_usd", "count"),
        median_price=pd.NamedAgg("price_usd", "median"),
        graded_share=pd.NamedAgg("graded", "mean"),
    )
    return grouped.sort_index().reset_index()[COLUMNS]


def summary_polars(sales: pl.DataFrame) -> pl.DataFrame:
    """Sales, median price and graded share per rarity and year, with polars."""
    return (
        sales.lazy()
        .drop_nulls(["rarity", "price_usd"])
        .with_columns(
            year=pl.col("sale_date").dt.year().cast(pl.Int64),
            graded=pl.col("psa_grade").is_not_null().cast(pl.Float64),
        )
        .group_by("rarity", "year", maintain_order=False)
        .agg(
            pl.col("price_usd").count().alias("n_sales"),
            pl.col("price_usd").median().alias("median_price"),
            pl.col("graded").mean().alias("graded_share"),
        )
        .sort(["rarity", "year"])
        .select(COLUMNS)
        .collect()
    )
