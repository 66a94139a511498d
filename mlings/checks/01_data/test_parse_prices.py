"""Checks for 01_data/01_parse_prices: displayed prices in every format to US dollars."""

import functools
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mlings.dataset import FX_TO_USD, make_cards, make_sales, raw_sales_with_labels

CENT = 0.0101  # rounded to the cent, or not: within a cent either way


def _usd(amount: float, currency: str) -> float:
    return round(amount * FX_TO_USD[currency], 2)


def _check_cases(exercise, cases, advice: str) -> None:
    for text, currency, expected in cases:
        got = exercise.parse_price(text, currency)
        shown = "a missing currency" if not isinstance(currency, str) else repr(currency)
        message = f"parse_price({text!r}, {shown}) gave {got!r}; expected {expected}."
        assert isinstance(got, float | int | np.floating) and not math.isnan(got), (
            f"{message} {advice}"
        )
        if currency in FX_TO_USD and FX_TO_USD[currency] != 1.0:
            local = expected / FX_TO_USD[currency]
            if float(got) == pytest.approx(local, abs=CENT):
                message += (
                    f" That is the amount in {currency}; convert it to dollars with "
                    f"FX_TO_USD[{currency!r}] = {FX_TO_USD[currency]}."
                )
        assert float(got) == pytest.approx(expected, abs=CENT), f"{message} {advice}"


def test_dollar_formats(exercise):
    """reads dollar prices with thousands separators (rejects float(text.strip("$")))"""
    cases = [
        ("$1,200.00", "USD", 1200.0),
        ("$0.32", "USD", 0.32),
        ("US $45.00", "USD", 45.0),
        ("US $2,129.00", "USD", 2129.0),
        ("$12,345,678.00", "USD", 12345678.0),
        ("12.5", "USD", 12.5),
        ("1200", "USD", 1200.0),
    ]
    _check_cases(
        exercise,
        cases,
        'US prices use a comma for thousands ("1,200.00"), and eBay writes "US $" before '
        "the number: find the number in the text and drop the thousands commas.",
    )


def test_euro_format(exercise):
    """reads euro prices: dot for thousands, comma for decimals ("1.200,50 €")"""
    cases = [
        ("1.200,50 €", "EUR", _usd(1200.50, "EUR")),
        ("3,99 €", "EUR", _usd(3.99, "EUR")),
        ("0,10 €", "EUR", _usd(0.10, "EUR")),
        ("EUR 1.200,50", "EUR", _usd(1200.50, "EUR")),
        ("EUR 45,00", "EUR", _usd(45.0, "EUR")),
        ("1.234.567,89 €", "EUR", _usd(1234567.89, "EUR")),
    ]
    _check_cases(
        exercise,
        cases,
        'Euro prices swap the marks: "1.200,50 €" is one thousand two hundred euros and fifty '
        "cents. Drop the dots, turn the comma into a decimal point, then convert at "
        f"{FX_TO_USD['EUR']} dollars a euro.",
    )


def test_pounds_converted(exercise):
    """converts pounds and euros with the fixed FX table, to the cent"""
    cases = [
        ("£45", "GBP", _usd(45.0, "GBP")),
        ("£0.34", "GBP", _usd(0.34, "GBP")),
        ("£1,200.50", "GBP", _usd(1200.50, "GBP")),
        ("£12,000", "GBP", _usd(12000.0, "GBP")),
        ("1.000,00 €", "EUR", _usd(1000.0, "EUR")),
    ]
    _check_cases(
        exercise,
        cases,
        "Pound prices look like dollar prices, often without the pence. Convert every price "
        "with FX_TO_USD: round(amount * rate, 2).",
    )


def test_missing_currency_read_from_symbol(exercise):
    """reads the currency from the symbol when the currency column is missing"""
    cases = [
        ("£45", math.nan, _usd(45.0, "GBP")),
        ("1.200,50 €", math.nan, _usd(1200.50, "EUR")),
        ("EUR 3,99", math.nan, _usd(3.99, "EUR")),
        ("US $45.00", math.nan, 45.0),
        ("$1,200.00", math.nan, 1200.0),
    ]
    _check_cases(
        exercise,
        cases,
        'When the currency is missing (NaN), the text still says which it is: "$" and "US $" '
        'are dollars, "£" pounds, "€" and "EUR" euros.',
    )


def test_no_currency_and_no_symbol_gives_nan(exercise):
    """gives NaN when neither the currency column nor a symbol says which currency it is"""
    for text in ("12.5", "1,200.00", "45"):
        got = exercise.parse_price(text, math.nan)
        assert isinstance(got, float | np.floating) and math.isnan(got), (
            f"parse_price({text!r}, a missing currency) gave {got!r}; expected NaN. With no "
            "currency and no symbol, nobody knows whether it is dollars, pounds or euros, and "
            "guessing dollars makes a wrong price look clean."
        )


def test_refunds_stay_negative(exercise):
    """keeps the minus sign of a refund ("-$12.00" is -12.0), for the schema to reject"""
    cases = [
        ("-$12.00", "USD", -12.0),
        ("-US $1,045.50", "USD", -1045.5),
        ("-0,44 €", "EUR", _usd(-0.44, "EUR")),
        ("-£45", "GBP", _usd(-45.0, "GBP")),
        ("-3.5", "USD", -3.5),
    ]
    _check_cases(
        exercise,
        cases,
        "A refund logged as a sale starts with a minus sign. Keep it: the price is negative, "
        "and the schema exercise rejects such rows later. Hiding the sign would make a refund "
        "look like a sale.",
    )


def test_no_number_gives_nan(exercise):
    """gives NaN, not an error, when there is no number in the price"""
    for text in ("Best Offer", "see description", "trade only", "$$$", "ask", "", math.nan):
        try:
            got = exercise.parse_price(text, "USD")
        except (ValueError, TypeError, AttributeError, IndexError) as error:
            raise AssertionError(
                f"parse_price({text!r}, 'USD') raised {type(error).__name__}: {error}. A price "
                "with no number in it (or a missing one) must give NaN, so that one bad row "
                "does not stop the whole table."
            ) from None
        assert isinstance(got, float | np.floating) and math.isnan(got), (
            f"parse_price({text!r}, 'USD') gave {got!r}; expected NaN: there is no price in it."
        )


@functools.cache
def _cards(root: str, n: int) -> pd.DataFrame:
    """n cards of the catalog: data/cards.csv, or make_cards() (the same catalog, built slower)."""
    path = Path(root) / "data" / "cards.csv"
    catalog = pd.read_csv(path, parse_dates=["release_date"]) if path.is_file() else make_cards()
    keep = np.sort(np.random.default_rng(n).choice(len(catalog), n, replace=False))
    return catalog.iloc[keep].reset_index(drop=True)


def _raw_with_expected(root: str, seed: int) -> tuple[pd.DataFrame, pd.Series]:
    """Real scraped rows (shuffled, with odd index labels), the dollars each should parse to."""
    cards = _cards(root, 250)
    clean = make_sales(cards, seed=seed, n=450, start="2020-01-01", end="2022-12-31")
    counts = {
        "cents_typo": 6,
        "negative_price": 6,
        "unparseable_price": 6,
        "missing_price": 4,
        "missing_currency": 25,
    }
    raw, labels = raw_sales_with_labels(clean, cards, seed=seed, counts=counts)
    usd = clean.set_index("listing_id")["price_usd"].loc[raw["listing_id"]].to_numpy()
    local = clean.set_index("listing_id").loc[raw["listing_id"]]
    rate = local["currency"].map(FX_TO_USD).to_numpy(dtype=float)
    expected = pd.Series(usd, index=raw.index, dtype=float)
    expected[labels.eq("negative_price").to_numpy()] *= -1
    typo = labels.eq("cents_typo").to_numpy()
    expected[typo] = np.round(np.round(usd[typo] / rate[typo], 2) * 100 * rate[typo], 2)
    expected[labels.isin(["unparseable_price", "missing_price"]).to_numpy()] = np.nan
    order = np.random.default_rng(seed).permutation(len(raw))
    raw = raw.iloc[order]
    raw.index = 1000 + 7 * np.arange(len(raw))[::-1]  # not 0..n-1, and decreasing
    expected = pd.Series(expected.to_numpy()[order], index=raw.index)
    return raw, expected


def test_whole_table(exercise, course_root):
    """parses a whole scraped table: one price per row, same index, NaN where there is none"""
    root = str(course_root)
    raw, expected = _raw_with_expected(root, seed=3)
    before = raw.copy()
    got = exercise.prices_to_usd(raw)
    assert isinstance(got, pd.Series), (
        f"prices_to_usd returned a {type(got).__name__}; return a pandas Series."
    )
    assert len(got) == len(raw), (
        f"prices_to_usd returned {len(got)} values for {len(raw)} rows. Keep every row: a "
        "price that cannot be parsed is NaN, not a dropped row, or the prices no longer line "
        "up with their sales."
    )
    assert got.index.equals(raw.index), (
        "prices_to_usd's result does not have the table's index (same labels, same order); "
        "build the Series with index=raw.index so each price stays with its sale."
    )
    pd.testing.assert_frame_equal(raw, before, obj="the raw table")
    got = pd.to_numeric(got, errors="coerce").astype(float)
    missing = expected.isna()
    wrongly_nan = got.isna() & ~missing
    assert not wrongly_nan.any(), (
        f"prices_to_usd gave NaN for {wrongly_nan.sum()} parseable prices, such as "
        f"{raw.loc[wrongly_nan, 'price'].head(3).tolist()} (currency "
        f"{raw.loc[wrongly_nan, 'currency'].head(3).tolist()})."
    )
    assert got[missing].isna().all(), (
        f"prices_to_usd gave numbers for {got[missing].notna().sum()} rows without a price, "
        f"such as {raw.loc[missing & got.notna(), 'price'].head(3).tolist()}; those are NaN."
    )
    off = (got - expected).abs() > CENT
    assert not off.any(), (
        f"prices_to_usd got {off.sum()} prices wrong, such as "
        + ", ".join(
            f"{p!r} ({c}) -> {g!r}, expected {e}"
            for p, c, g, e in zip(
                raw.loc[off, "price"].head(3),
                raw.loc[off, "currency"].head(3),
                got[off].head(3),
                expected[off].head(3),
                strict=True,
            )
        )
        + "."
    )
