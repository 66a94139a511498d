"""Checks for 01_data/06_pandas_vs_polars: one summary, two libraries, identical results."""

import functools
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pytest

from mlings.dataset import make_cards, make_sales

COLUMNS = ["rarity", "year", "n_sales", "median_price", "graded_share"]


@functools.cache
def _cards(root: str, n: int) -> pd.DataFrame:
    """n cards of the catalog: data/cards.csv, or make_cards() (the same catalog, built slower)."""
    path = Path(root) / "data" / "cards.csv"
    catalog = pd.read_csv(path, parse_dates=["release_date"]) if path.is_file() else make_cards()
    keep = np.sort(np.random.default_rng(n).choice(len(catalog), n, replace=False))
    return catalog.iloc[keep].reset_index(drop=True)


@functools.cache
def _sales(root: str) -> pd.DataFrame:
    """Sales over four years, a few without rarity or price, in no particular order."""
    cards = _cards(root, 250)
    sales = make_sales(cards, seed=31, n=500, start="2020-01-01", end="2023-12-31")
    rng = np.random.default_rng(31)
    sales = sales.iloc[rng.permutation(len(sales))].reset_index(drop=True)
    sales.loc[rng.choice(len(sales), 9, replace=False), "rarity"] = np.nan
    sales.loc[rng.choice(len(sales), 7, replace=False), "price_usd"] = np.nan
    return sales


def _as_polars(sales: pd.DataFrame) -> pl.DataFrame:
    """The same sales as polars reads them: missing values are nulls."""
    columns = {}
    for name in sales.columns:
        column = sales[name]
        if pd.api.types.is_datetime64_any_dtype(column):
            columns[name] = pl.Series(name, column.to_numpy())
        elif pd.api.types.is_float_dtype(column):
            columns[name] = pl.Series(name, column.to_numpy(), nan_to_null=True)
        elif pd.api.types.is_integer_dtype(column):
            columns[name] = pl.Series(name, column.to_numpy())
        else:
            values = [None if pd.isna(v) else str(v) for v in column]
            columns[name] = pl.Series(name, values, dtype=pl.String)
    return pl.DataFrame(columns)


def _reference(sales: pd.DataFrame) -> dict[str, list]:
    known = sales[sales["rarity"].notna() & sales["price_usd"].notna()]
    rows = []
    for (rarity, year), group in known.groupby([known["rarity"], known["sale_date"].dt.year]):
        prices = group["price_usd"].to_numpy()
        rows.append(
            (
                rarity,
                int(year),
                len(group),
                float(np.median(prices)),
                group["psa_grade"].notna().mean(),
            )
        )
    rows.sort(key=lambda row: (row[0], row[1]))
    return {name: [row[i] for row in rows] for i, name in enumerate(COLUMNS)}


def _table(columns: dict[str, list], who: str) -> dict[str, list]:
    missing = [c for c in COLUMNS if c not in columns]
    assert not missing, (
        f"{who}'s result has no column {missing[0]!r}; expected exactly {COLUMNS} in that order."
    )
    assert list(columns)[: len(COLUMNS)] == COLUMNS and len(columns) == len(COLUMNS), (
        f"{who}'s result has the columns {list(columns)}; expected exactly {COLUMNS}, in "
        "that order."
    )
    return {
        "rarity": [None if v is None or v != v else str(v) for v in columns["rarity"]],
        "year": [int(v) for v in columns["year"]],
        "n_sales": [int(v) for v in columns["n_sales"]],
        "median_price": [float(v) for v in columns["median_price"]],
        "graded_share": [float(v) for v in columns["graded_share"]],
    }


HINTS = {
    "n_sales": "n_sales counts the sales of the group, after leaving out those without rarity "
    "or price.",
    "median_price": "The median of the group's prices: with an even count, the mean of the two "
    "middle ones (polars' quantile(0.5) picks the nearest value instead; use median()).",
    "graded_share": "The share of the group's sales that have a psa_grade (not missing).",
}


def _compare(got: dict[str, list], expected: dict[str, list], who: str) -> None:
    pairs = list(zip(got["rarity"], got["year"], strict=True))
    want = list(zip(expected["rarity"], expected["year"], strict=True))
    if None in got["rarity"]:
        raise AssertionError(
            f"{who} has a row for sales with no rarity. Leave those sales out first."
            + (
                " polars' group_by keeps a group for a missing key (pandas drops it)."
                if "polars" in who
                else ""
            )
        )
    if sorted(pairs) == want and pairs != want:
        raise AssertionError(
            f"{who} has the right groups in the wrong order: sort by rarity, then year."
            + (" polars' group_by returns groups in any order." if "polars" in who else "")
        )
    assert pairs == want, (
        f"{who} has {len(pairs)} (rarity, year) rows; expected {len(want)}, one per rarity "
        f"and year of sale, such as {want[:2]}."
    )
    for name in ("n_sales", "median_price", "graded_share"):
        off = [
            i
            for i, (g, e) in enumerate(zip(got[name], expected[name], strict=True))
            if g != pytest.approx(e, rel=1e-9, abs=1e-12)
        ]
        if off:
            i = off[0]
            raise AssertionError(
                f"{who} gives {want[i][0]} in {want[i][1]}: {name} = {got[name][i]:.10g}; "
                f"expected {expected[name][i]:.10g}. {HINTS[name]}"
            )


def test_pandas_summary(exercise, course_root):
    """summarises sales per rarity and year with pandas"""
    root = str(course_root)
    sales = _sales(root)
    got = exercise.summary_pandas(sales.copy())
    assert isinstance(got, pd.DataFrame), (
        f"summary_pandas returned a {type(got).__name__}; return a pandas DataFrame."
    )
    assert got.index.equals(pd.RangeIndex(len(got))), (
        "summary_pandas's result should have a default 0..n-1 index, with rarity and year as "
        "columns (groupby(..., as_index=False), or reset_index())."
    )
    table = _table({c: got[c].tolist() for c in got.columns}, "summary_pandas")
    _compare(table, _reference(sales), "summary_pandas")


def test_polars_summary(exercise, course_root, monkeypatch):
    """summarises the same sales with polars expressions, polars in and polars out"""
    root = str(course_root)

    def no_pandas(*args, **kwargs):
        raise AssertionError(
            "summary_polars converted to or from pandas. Write it with polars expressions: "
            "filter, group_by, agg, sort, select."
        )

    monkeypatch.setattr(pl.DataFrame, "to_pandas", no_pandas)
    monkeypatch.setattr(pl, "from_pandas", no_pandas)
    sales = _sales(root)
    got = exercise.summary_polars(_as_polars(sales))
    if isinstance(got, pl.LazyFrame):
        raise AssertionError(
            "summary_polars returned a LazyFrame; call .collect() to return a polars DataFrame."
        )
    assert isinstance(got, pl.DataFrame), (
        f"summary_polars returned a {type(got).__module__}.{type(got).__name__}; return a "
        "polars DataFrame."
    )
    table = _table(got.to_dict(as_series=False), "summary_polars")
    _compare(table, _reference(sales), "summary_polars")


def test_both_agree(exercise, course_root):
    """pandas and polars give the same table on the same sales"""
    root = str(course_root)
    sales = _sales(root).sample(frac=1.0, random_state=5).reset_index(drop=True)
    by_pandas = exercise.summary_pandas(sales.copy())
    by_polars = exercise.summary_polars(_as_polars(sales))
    left = _table({c: by_pandas[c].tolist() for c in by_pandas.columns}, "summary_pandas")
    right = _table(by_polars.to_dict(as_series=False), "summary_polars")
    _compare(right, left, "summary_polars, compared with summary_pandas,")
