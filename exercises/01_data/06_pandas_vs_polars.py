"""pandas vs polars: the same summary, twice

Every Monday, PokéMarket's analysts get a table of prices per rarity and year, computed with
pandas. A colleague says polars would run the job faster. Maybe; but a faster job that gives
different numbers is a bug, not a speed-up. Before anything switches, write the summary in
both libraries and prove they agree to the last row.

A sales table has (at least) the columns rarity (str), sale_date (datetime), psa_grade (float,
missing for raw copies) and price_usd (float). For each rarity and year of sale_date:

- n_sales:      how many sales;
- median_price: the median price_usd;
- graded_share: the share of those sales that have a psa_grade.

Leave out the sales with no rarity or no price first. The result has exactly the columns
rarity, year (an integer), n_sales, median_price, graded_share, in that order, one row per
(rarity, year), sorted by rarity and then year, with a default 0..n-1 index (pandas).

Write summary_pandas(sales: pandas DataFrame) -> pandas DataFrame, and summary_polars(sales:
polars DataFrame) -> polars DataFrame written with polars expressions (no round trip through
pandas). The libraries differ where it hurts: polars keeps a group for missing keys, its
group_by returns groups in any order, and its quantile(0.5) is not a median by default.

Done when: both give the same table on the same sales. Run this file to time both on
data/sales_clean.csv; the speed is yours to judge, the checks only compare results.

Stuck? Run `mlings hint`.
"""

import time
from pathlib import Path

import pandas as pd
import polars as pl

COLUMNS = ["rarity", "year", "n_sales", "median_price", "graded_share"]


def summary_pandas(sales: pd.DataFrame) -> pd.DataFrame:
    """Sales, median price and graded share per rarity and year, with pandas."""
    # TODO: drop rows without rarity or price; add year and a graded flag; groupby and agg;
    # sort; keep COLUMNS in order.
    raise NotImplementedError("summary_pandas: the summary with pandas")


def summary_polars(sales: pl.DataFrame) -> pl.DataFrame:
    """Sales, median price and graded share per rarity and year, with polars."""
    # TODO: filter, group_by(rarity, year), agg with pl.len(), median(), is_not_null().mean(),
    # then sort and select COLUMNS. Polars expressions only, no pandas.
    raise NotImplementedError("summary_polars: the same summary with polars")


if __name__ == "__main__":
    path = Path(__file__).resolve().parents[2] / "data" / "sales_clean.csv"
    started = time.perf_counter()
    by_pandas = summary_pandas(pd.read_csv(path, parse_dates=["sale_date"]))
    pandas_seconds = time.perf_counter() - started
    started = time.perf_counter()
    # polars guesses column types from the first rows, where every grade is whole: say "float".
    sales = pl.read_csv(path, try_parse_dates=True, schema_overrides={"psa_grade": pl.Float64})
    by_polars = summary_polars(sales)
    polars_seconds = time.perf_counter() - started
    print(by_polars.head(10))
    print(f"pandas: {pandas_seconds:.3f} s, polars: {polars_seconds:.3f} s (read + summary)")
    print(f"same number of rows: {len(by_pandas) == by_polars.height}")
