"""Checks for 02_features/01_eda_summary: exact EDA numbers for a sales table."""

from collections.abc import Mapping
from numbers import Real

import numpy as np
import pandas as pd
import pytest

from mlings.dataset import make_cards, make_sales

SHARE_TOLERANCE = 5e-4  # a share rounded to three decimals is still right
SKEW_TOLERANCE = 2e-4  # relative: rounding is fine; scipy's biased skew is 0.4% off
CENT = 0.01

KEYS = ("n_sales", "median_price", "price_skew", "log_price_skew", "top_rarities", "missing_share")


@pytest.fixture(scope="module")
def sales() -> pd.DataFrame:
    """400 sales in shuffled order, with a few platforms missing."""
    cards = make_cards(n=300)
    sales = make_sales(cards, seed=1, n=400, start="2020-01-01", end="2021-12-31")
    sales = sales.sample(frac=1.0, random_state=1).reset_index(drop=True)
    sales.loc[sales.index[::25], "platform"] = np.nan
    return sales


@pytest.fixture(scope="module")
def summary(exercise, sales) -> dict:
    got = exercise.summarize(sales.copy())
    assert isinstance(got, Mapping), (
        f"summarize returned {type(got).__name__}; expected a dict with the keys {list(KEYS)}."
    )
    missing = [key for key in KEYS if key not in got]
    assert not missing, f"summarize's dict has no {missing}; expected the keys {list(KEYS)}."
    return dict(got)


def _pairs(value, what: str) -> list[tuple[str, float]]:
    """A dict or Series as (key, value) pairs in order."""
    if isinstance(value, pd.Series):
        value = value.to_dict()
    assert isinstance(value, Mapping), (
        f"summarize's {what!r} is a {type(value).__name__}; expected a dict {{name: share}} or a "
        "pandas Series."
    )
    return [(str(k), float(v)) for k, v in value.items()]


def _number(summary: dict, key: str) -> float:
    value = summary[key]
    assert isinstance(value, Real) and not isinstance(value, bool), (
        f"summarize's {key!r} is {value!r} ({type(value).__name__}); expected one number."
    )
    return float(value)


def test_counts_and_median(summary, sales):
    """counts every sale and gives the median price"""
    n = summary["n_sales"]
    assert isinstance(n, int | np.integer) and n == len(sales), (
        f"summarize's 'n_sales' is {n!r}; the table has {len(sales)} rows."
    )
    median = _number(summary, "median_price")
    expected = float(sales["price_usd"].median())
    message = (
        f"summarize's 'median_price' is {median:,.4f}; the median of price_usd is {expected:,.4f}."
    )
    if median == pytest.approx(float(sales["price_usd"].mean())):
        message += " That is the mean, which a few expensive slabs pull far up."
    assert median == pytest.approx(expected, abs=CENT), message


def test_price_skew(summary, sales):
    """gives the skew of the price exactly as pandas' Series.skew() does"""
    got = _number(summary, "price_skew")
    prices = sales["price_usd"]
    expected = float(prices.skew())
    n = len(prices)
    biased = expected * (n - 2) / np.sqrt(n * (n - 1))
    message = f"summarize's 'price_skew' is {got!r}; expected {expected:.6f} (Series.skew())."
    if got == pytest.approx(biased, rel=1e-9):
        message += (
            " That is scipy.stats.skew's default, the biased estimate: pass bias=False, or use "
            "pandas' Series.skew()."
        )
    elif got == pytest.approx(float(np.log1p(prices).skew()), rel=1e-6):
        message += (
            " That is the skew of log1p(price); 'price_skew' is the skew of the price itself."
        )
    assert got == pytest.approx(expected, rel=SKEW_TOLERANCE), message


def test_log_price_skew(summary, sales):
    """gives the skew of log1p(price) exactly as pandas' Series.skew() does"""
    got = _number(summary, "log_price_skew")
    prices = sales["price_usd"]
    expected = float(np.log1p(prices).skew())
    message = f"summarize's 'log_price_skew' is {got!r}; expected {expected:.6f}."
    n = len(prices)
    if got == pytest.approx(expected * (n - 2) / np.sqrt(n * (n - 1)), rel=1e-9):
        message += (
            " That is scipy.stats.skew's default, the biased estimate: pass bias=False, or use "
            "pandas' Series.skew()."
        )
    elif got == pytest.approx(float(np.log(prices).skew()), rel=1e-6):
        message += " That is the skew of np.log(price); use np.log1p(price), the models' scale."
    elif got == pytest.approx(float(np.log1p(prices.skew())), rel=1e-6):
        message += " That is log1p of the skew; take the skew of log1p(price_usd)."
    assert got == pytest.approx(expected, rel=SKEW_TOLERANCE), message


def test_top_rarities(summary, sales):
    """lists the 3 most common rarities, most common first, with their share of sales"""
    got = _pairs(summary["top_rarities"], "top_rarities")
    counts = sales["rarity"].value_counts()
    expected = [(str(r), c / len(sales)) for r, c in counts.head(3).items()]
    names = [r for r, _ in got]
    assert len(got) == 3, (
        f"summarize's 'top_rarities' has {len(got)} entries ({names}); expected the 3 most common."
    )
    assert sorted(names) == sorted(r for r, _ in expected), (
        f"summarize's 'top_rarities' names {names}; those are not the 3 rarities with the most "
        "sales. Count the sales of each rarity (value_counts) and keep the largest three."
    )
    assert names == [r for r, _ in expected], (
        f"summarize's 'top_rarities' lists {names}: the right rarities, but put the most common "
        "first."
    )
    for (rarity, share), (_, want) in zip(got, expected, strict=True):
        message = f"summarize gives {rarity} a share of {share!r}; it has {want:.4f} of the sales."
        if share == pytest.approx(counts[rarity]):
            message += " That is a count: divide by the number of sales (or normalize=True)."
        elif share == pytest.approx(100 * want):
            message += " That is a percentage: a share is a fraction between 0 and 1."
        assert share == pytest.approx(want, abs=SHARE_TOLERANCE), message


def test_missing_share(summary, sales):
    """gives every column's share of missing values (rejects counts and percentages)"""
    got = dict(_pairs(summary["missing_share"], "missing_share"))
    expected = sales.isna().mean()
    absent = [c for c in sales.columns if c not in got]
    assert not absent, (
        f"summarize's 'missing_share' has no entry for {absent}; give one for every column "
        "(0.0 for a column with nothing missing)."
    )
    for column, want in expected.items():
        share = got[column]
        message = (
            f"summarize gives {column!r} a missing share of {share!r}; "
            f"{want:.4f} of its values are missing."
        )
        if want and share == pytest.approx(sales[column].isna().sum()):
            message += " That is a count: divide by the number of rows (isna().mean() does both)."
        elif want and share == pytest.approx(100 * want):
            message += " That is a percentage: a share is a fraction between 0 and 1."
        elif share == pytest.approx(1 - want):
            message += " That is the share of values present; count the missing ones."
        assert share == pytest.approx(want, abs=SHARE_TOLERANCE), message
