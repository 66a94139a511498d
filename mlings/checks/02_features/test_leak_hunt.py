"""Checks for 02_features/04_leak_hunt: name the leaking features, and drop them."""

from collections.abc import Iterable

import numpy as np
import pandas as pd
import pytest

from mlings.dataset import LEAKY_COLUMNS, PLANTED, make_cards, make_raw_sales, make_sales

ORDER = (
    "card_age_years",
    "price_eur",
    "psa_grade",
    "is_first_edition",
    "price_bucket",
    "is_secret_rare",
    "platform",
    "prev_mean_price",
    "psa_population",
    "rarity_median_90d",
)


@pytest.fixture(scope="module")
def features() -> pd.DataFrame:
    """The ten features of 300 sales, built the way the exercise describes them."""
    cards = make_cards(n=200)
    sales = make_sales(cards, seed=5, n=300)
    raw = make_raw_sales(sales, cards, seed=5, counts=dict.fromkeys(PLANTED, 0))
    raw = raw.set_index("listing_id").loc[sales["listing_id"]].set_axis(sales.index)
    card = cards.set_index("card_id").loc[sales["card_id"]].set_axis(sales.index)
    by_card = sales.groupby("card_id")["price_usd"]
    table = pd.DataFrame(
        {
            "card_age_years": (sales["sale_date"] - card["release_date"]).dt.days / 365.25,
            "psa_grade": sales["psa_grade"],
            "is_first_edition": sales["variant"] == "1st Edition",
            "is_secret_rare": card["number"] > card["printed_total"],
            "platform": sales["platform"],
            "prev_mean_price": by_card.transform(lambda p: p.shift().expanding().mean()),
            "rarity_median_90d": sales.groupby("rarity")["price_usd"].transform(
                lambda p: p.shift().rolling(20, min_periods=1).median()
            ),
            "price_eur": raw["price_eur"],
            "price_bucket": raw["price_bucket"],
            "psa_population": raw["psa_population"],
        }
    )
    return table[list(ORDER)].set_axis(sales["listing_id"].to_numpy())


def _names(exercise) -> set[str]:
    got = exercise.leaking_columns()
    assert isinstance(got, Iterable) and not isinstance(got, str | bytes), (
        f"leaking_columns returned {got!r}; expected a set of column names, like "
        "{'column_a', 'column_b'}."
    )
    names = list(got)
    assert all(isinstance(n, str) for n in names), (
        f"leaking_columns returned {names!r}; expected column names (strings)."
    )
    return set(names)


def test_names_exactly_the_leaks(exercise):
    """names exactly the leaking columns (says how many are missing or extra, not which)"""
    got = _names(exercise)
    unknown = sorted(got - set(ORDER))
    assert not unknown, (
        f"leaking_columns names {unknown}, which are not in FEATURES (a typo?). Use the names "
        "exactly as FEATURES spells them."
    )
    leaks = set(LEAKY_COLUMNS)
    missing, extra = len(leaks - got), len(got - leaks)
    parts = []
    if missing:
        parts.append(
            f"{missing} leaking column{'s are' if missing > 1 else ' is'} missing from your set"
        )
    if extra:
        parts.append(f"{extra} of the columns you named {'are' if extra > 1 else 'is'} not a leak")
    advice = ""
    if extra:
        advice += (
            " A feature built from earlier sales' prices is honest: those prices are known when "
            "the card is listed."
        )
    if missing:
        advice += (
            " For each column ask when its value is recorded: at listing time, or only after "
            "the sale (or later still)?"
        )
    assert not parts, f"{' and '.join(parts).capitalize()}.{advice}"


def test_drop_leaks_keeps_the_rest(exercise, features):
    """drop_leaks drops what leaking_columns names, keeps the rest in order, rows untouched"""
    leaks = _names(exercise)
    given = features.copy()
    got = exercise.drop_leaks(given)
    assert isinstance(got, pd.DataFrame), (
        f"drop_leaks returned {type(got).__name__}; expected the feature table (a DataFrame)."
    )
    assert given.equals(features) and list(given.columns) == list(features.columns), (
        "drop_leaks changed the table it was given (inplace=True?); return a new table instead: "
        "the caller may still need the original."
    )
    columns = list(got.columns)
    expected = [c for c in features.columns if c not in leaks]
    still = [c for c in columns if c in leaks]
    assert not still, (
        f"drop_leaks kept {still}, which your leaking_columns() names; drop every column it names."
    )
    lost = [c for c in expected if c not in columns]
    assert not lost, (
        f"drop_leaks dropped {lost}, which your leaking_columns() does not name; drop exactly "
        "the columns it names (use it inside drop_leaks)."
    )
    assert columns == expected, (
        f"drop_leaks returned the columns {columns}; keep the others in their order: {expected}."
    )
    assert got.index.equals(features.index), "drop_leaks changed the rows; only drop columns."
    for column in expected:
        same = got[column].equals(features[column])
        assert same, f"drop_leaks changed the values of {column!r}; only drop columns."


def test_drop_leaks_on_a_production_table(exercise, features):
    """drop_leaks works on a table that lacks some leaking columns (production has none)"""
    leaks = _names(exercise)
    production = features.drop(columns=["price_eur", "price_bucket"]).head(20)
    try:
        got = exercise.drop_leaks(production.copy())
    except KeyError as error:
        raise AssertionError(
            f"On a table without price_eur and price_bucket, drop_leaks raised KeyError: {error}. "
            "Tables from production never have the leaking columns: drop the ones the table has "
            "(drop(..., errors='ignore'), or keep the columns that are not leaks)."
        ) from None
    assert isinstance(got, pd.DataFrame), (
        f"drop_leaks returned {type(got).__name__}; expected the feature table (a DataFrame)."
    )
    expected = [c for c in production.columns if c not in leaks]
    assert list(got.columns) == expected, (
        f"On a table without price_eur and price_bucket, drop_leaks returned "
        f"{list(got.columns)}; expected every column your leaking_columns() does not name: "
        f"{expected}."
    )
    assert np.array_equal(got.index, production.index), "drop_leaks changed the rows."
