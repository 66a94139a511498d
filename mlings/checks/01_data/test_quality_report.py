"""Checks for 01_data/04_quality_report: null, duplicate and out-of-range rates, exact."""

import functools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mlings.dataset import LEAKY_COLUMNS, make_cards, make_sales, raw_sales_with_labels

COUNTS = {
    "rescraped_duplicate": 15,
    "negative_price": 4,
    "missing_price": 3,
    "unparseable_price": 2,
    "grade_9_5": 3,
    "grade_11": 2,
    "grade_0": 2,
    "sale_before_release": 3,
    "sale_in_future": 4,
    "missing_sale_date": 2,
    "missing_platform": 5,
    "missing_rarity": 3,
    "missing_condition": 4,
}
EXACT = {"rel": 1e-12, "abs": 1e-15}
RANGED = ("price_usd", "psa_grade", "sale_date")


@functools.cache
def _cards(root: str, n: int) -> pd.DataFrame:
    """n cards of the catalog: data/cards.csv, or make_cards() (the same catalog, built slower)."""
    path = Path(root) / "data" / "cards.csv"
    catalog = pd.read_csv(path, parse_dates=["release_date"]) if path.is_file() else make_cards()
    keep = np.sort(np.random.default_rng(n).choice(len(catalog), n, replace=False))
    return catalog.iloc[keep].reset_index(drop=True)


@functools.cache
def _batch(root: str) -> tuple[pd.DataFrame, pd.Series]:
    """A scraped batch, prices in dollars, release dates joined; and each row's problem."""
    cards = _cards(root, 200)
    clean = make_sales(cards, seed=11, n=320, start="2020-06-01", end="2024-12-31")
    raw, labels = raw_sales_with_labels(clean, cards, seed=11, counts=COUNTS)
    usd = clean.set_index("listing_id")["price_usd"].loc[raw["listing_id"]].to_numpy()
    usd = np.where(labels.eq("negative_price"), -usd, usd)
    usd = np.where(labels.isin(["missing_price", "unparseable_price"]), np.nan, usd)
    release = pd.to_datetime(cards.set_index("card_id")["release_date"]).astype("datetime64[us]")
    sales = raw.drop(columns=["price", *LEAKY_COLUMNS]).assign(
        price_usd=usd, release_date=release.loc[raw["card_id"]].to_numpy()
    )
    # Edge cases, on rows that carry no planted problem.
    free = sales.index[labels.eq("") & sales["sale_date"].lt("2024-06-01")]
    sales.loc[free[0], "price_usd"] = 0.0  # out: a sale has a price
    sales.loc[free[1], "price_usd"] = 100_000.0  # in: the cap itself is allowed
    sales.loc[free[2], "price_usd"] = 100_000.01  # out
    labels[free[0]] = labels[free[2]] = "price_out"
    sales.loc[free[3], "sale_date"] = sales.loc[free[3], "release_date"]  # in: release day
    sales.loc[free[4], "sale_date"] = pd.Timestamp("2024-12-31")  # in: the last scrape's day
    sales.loc[free[5], "sale_date"] = pd.Timestamp("2025-01-01")  # out: after the last scrape
    labels[free[5]] = "sale_in_future"
    order = np.random.default_rng(11).permutation(len(sales))
    return sales.iloc[order].reset_index(drop=True), labels.iloc[order].reset_index(drop=True)


def _rates(mapping, name: str) -> dict[str, float]:
    assert isinstance(mapping, dict | pd.Series), (
        f"{name} returned a {type(mapping).__name__}; return a dict (or a Series) of rates "
        "by column name."
    )
    return {str(k): float(v) for k, v in dict(mapping).items()}


def test_null_rates(exercise, course_root):
    """gives the share of missing values of every column"""
    root = str(course_root)
    sales, _ = _batch(root)
    got = _rates(exercise.null_rates(sales.copy()), "null_rates")
    missing = [c for c in sales.columns if c not in got]
    assert not missing, f"null_rates has no rate for {missing}; give one for every column."
    for column in sales.columns:
        count = int(sales[column].isna().sum())
        expected = count / len(sales)
        message = (
            f"null_rates gives {column} a rate of {got[column]!r}; {count} of its {len(sales)} "
            f"values are missing: {expected!r}."
        )
        if expected and got[column] == pytest.approx(100 * expected):
            message += " That is a percentage; rates are shares between 0 and 1."
        assert got[column] == pytest.approx(expected, **EXACT), message


def test_duplicate_rate(exercise, course_root):
    """counts each re-scrape once (rejects duplicated() on whole rows and keep=False)"""
    root = str(course_root)
    sales, labels = _batch(root)
    extra = int(labels.eq("rescraped_duplicate").sum())
    expected = extra / len(sales)
    got = float(exercise.duplicate_rate(sales.copy()))
    message = (
        f"duplicate_rate gave {got!r}; {extra} of the {len(sales)} rows repeat the listing_id "
        f"of an earlier row: {expected!r}."
    )
    if got == 0:
        message += (
            " A re-scrape differs from the first scrape in scraped_at, so whole rows are "
            "never identical: compare listing_id."
        )
    elif got == pytest.approx(2 * expected):
        message += (
            " That counts the first scrape of each listing too (keep=False); only the extra "
            "copies are duplicates."
        )
    elif got == pytest.approx(100 * expected):
        message += " That is a percentage; rates are shares between 0 and 1."
    assert got == pytest.approx(expected, **EXACT), message


def _expected_out_of_range(labels: pd.Series) -> dict[str, int]:
    return {
        "price_usd": int(labels.isin(["negative_price", "price_out"]).sum()),
        "psa_grade": int(labels.isin(["grade_9_5", "grade_11", "grade_0"]).sum()),
        "sale_date": int(labels.isin(["sale_before_release", "sale_in_future"]).sum()),
    }


def test_out_of_range_rates(exercise, course_root):
    """gives the share of impossible prices, grades and sale dates (missing ones are not)"""
    root = str(course_root)
    sales, labels = _batch(root)
    got = _rates(exercise.out_of_range_rates(sales.copy()), "out_of_range_rates")
    missing = [c for c in RANGED if c not in got]
    assert not missing, (
        f"out_of_range_rates has no rate for {missing}; give one for each of {list(RANGED)}."
    )
    rows = len(sales)
    for column, count in _expected_out_of_range(labels).items():
        expected = count / rows
        nulls = int(sales[column].isna().sum())
        present = rows - nulls
        message = (
            f"out_of_range_rates gives {column} a rate of {got[column]!r}; {count} of the "
            f"{rows} rows have a {column} outside its range: {expected!r}."
        )
        if got[column] == pytest.approx((count + nulls) / rows):
            message += (
                f" Your count includes the {nulls} rows where {column} is missing: a missing "
                "value is a null (already in null_rates), not out of range."
            )
        elif got[column] == pytest.approx(count / present):
            message += (
                f" That divides by the {present} rows where {column} is present; every rate "
                "is a share of all the rows."
            )
        elif got[column] == pytest.approx(100 * expected):
            message += " That is a percentage; rates are shares between 0 and 1."
        elif got[column] < expected and column == "sale_date":
            message += (
                " Check both ends: a sale before its card's release_date, or after "
                "LAST_SCRAPE (the moment the batch was scraped, not today)."
            )
        elif got[column] < expected:
            message += " Some invalid values were not counted: check both ends of the range."
        assert got[column] == pytest.approx(expected, **EXACT), message


def test_range_edges(exercise, course_root):
    """puts the range edges right: a $0 price is out, the release day and $100,000 are in"""
    root = str(course_root)
    sales, _ = _batch(root)
    rows = sales[sales["psa_grade"].isna() | sales["psa_grade"].isin([9.0, 10.0])]
    rows = rows[rows["price_usd"].gt(0) & rows["sale_date"].notna()]
    rows = rows[rows["sale_date"].between(rows["release_date"], "2024-12-31")].head(8)
    rows = rows.reset_index(drop=True)
    cases = [
        ("price_usd", 0.0, True, "a price of $0.00 is not a sale price (0 < price_usd)"),
        ("price_usd", 0.01, False, "one cent is a valid price"),
        ("price_usd", 100_000.0, False, "$100,000 is allowed (price_usd <= MAX_PRICE_USD)"),
        ("price_usd", 100_000.01, True, "above MAX_PRICE_USD is out of range"),
        ("psa_grade", 1.0, False, "PSA 1 is a real grade"),
        ("psa_grade", 9.5, True, "PSA gives no 9.5"),
        ("sale_date", "release", False, "a sale on the release day itself is fine"),
        ("sale_date", pd.Timestamp("2025-03-01"), True, "a sale after LAST_SCRAPE is impossible"),
    ]
    for column, value, out, why in cases:
        frame = rows.copy()
        new = frame.loc[0, "release_date"] if value == "release" else value
        frame.loc[0, column] = new
        got = _rates(exercise.out_of_range_rates(frame), "out_of_range_rates")[column]
        expected = 1 / len(frame) if out else 0.0
        shown = f"{column} = {new}" if column != "sale_date" else f"sale_date {new:%Y-%m-%d}"
        assert got == pytest.approx(expected, **EXACT), (
            f"In a batch of {len(frame)} valid rows where one row has {shown}, "
            f"out_of_range_rates gave {column} {got!r}; expected {expected!r}: {why}."
        )


def test_report(exercise, course_root):
    """assembles the whole report for a batch"""
    root = str(course_root)
    sales, labels = _batch(root)
    report = exercise.quality_report(sales.copy())
    assert report.rows == len(sales), f"The report says {report.rows!r} rows, not {len(sales)}."
    expected = _expected_out_of_range(labels)
    got = _rates(report.out_of_range_rate, "quality_report's out_of_range_rate")
    for column, count in expected.items():
        assert got.get(column) == pytest.approx(count / len(sales), **EXACT), (
            f"quality_report's out_of_range_rate for {column} is {got.get(column)!r}; expected "
            f"{count / len(sales)!r}."
        )
    assert float(report.duplicate_rate) == pytest.approx(
        labels.eq("rescraped_duplicate").mean(), **EXACT
    ), f"quality_report's duplicate_rate is {report.duplicate_rate!r}."
    nulls = _rates(report.null_rate, "quality_report's null_rate")
    assert nulls.get("platform") == pytest.approx(sales["platform"].isna().mean(), **EXACT), (
        f"quality_report's null_rate for platform is {nulls.get('platform')!r}."
    )
