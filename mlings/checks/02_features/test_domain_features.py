"""Checks for 02_features/02_domain_features: card age at sale, secret rare, 1st Ed., vintage."""

import numpy as np
import pandas as pd
import pytest

from mlings.dataset import make_cards, make_sales

FEATURES = ("card_age_years", "is_secret_rare", "is_first_edition", "is_vintage")
VINTAGE_BEFORE = pd.Timestamp("2003-07-01")
# Cards that tell the wrong answers apart: last regular numbers (102/102, 165/165), secret rares
# of other rarities (83/82, 107/105, 215/203, 199/165), a set with 1st Edition and one
# vintage set without it (e-Card), the first EX set.
FORCED = (
    "base1-4",
    "base1-102",
    "base5-83",
    "neo4-107",
    "swsh7-215",
    "sv3pt5-165",
    "sv3pt5-199",
    "ecard1-1",
    "ecard3-150",
    "ex1-100",
)
YEAR_TOLERANCE = 0.02  # accepts a 365-day year; an age from today is off by years


@pytest.fixture(scope="module")
def cards() -> pd.DataFrame:
    catalog = make_cards()
    sample = make_cards(n=300)
    return pd.concat([sample, catalog[catalog["card_id"].isin(FORCED)]]).drop_duplicates("card_id")


@pytest.fixture(scope="module")
def sales(cards) -> pd.DataFrame:
    """Sales from 2016 to 2024 in shuffled order, indexed by listing id (not 0..n-1)."""
    sales = make_sales(cards, seed=2, n=700)
    forced = make_sales(cards[cards["card_id"].isin(FORCED)], seed=3, n=60, first_id=2_000_000)
    sales = pd.concat([sales, forced]).sample(frac=1.0, random_state=2)
    return sales.set_index(sales["listing_id"].rename(None))


def _expected(sales: pd.DataFrame, cards: pd.DataFrame) -> pd.DataFrame:
    merged = sales.merge(cards, on="card_id", how="left", suffixes=("", "_card"))
    merged.index = sales.index
    return pd.DataFrame(
        {
            "card_age_years": (merged["sale_date"] - merged["release_date"]).dt.days / 365.25,
            "is_secret_rare": merged["number"] > merged["printed_total"],
            "is_first_edition": merged["variant"] == "1st Edition",
            "is_vintage": merged["release_date"] < VINTAGE_BEFORE,
            "has_first_edition": merged["has_first_edition"].astype(bool),
            "release_date": merged["release_date"],
            "rarity": merged["rarity"],
            "number": merged["number"],
            "printed_total": merged["printed_total"],
        },
        index=sales.index,
    )


@pytest.fixture(scope="module")
def result(exercise, sales, cards):
    got = exercise.add_card_features(sales.copy(), cards.copy())
    assert isinstance(got, pd.DataFrame), (
        f"add_card_features returned {type(got).__name__}; expected the sales as a DataFrame "
        "with four more columns."
    )
    absent = [f for f in FEATURES if f not in got.columns]
    assert not absent, f"add_card_features' result has no column {absent}."
    return got


def _flag(result: pd.DataFrame, name: str, sales: pd.DataFrame) -> pd.Series:
    """The learner's flag as booleans, row by row against the sales (whatever its index)."""
    column = result[name]
    assert len(column) == len(sales), (
        f"add_card_features returned {len(column)} rows for {len(sales)} sales; keep one per sale."
    )
    assert not column.isna().any(), (
        f"{name} has missing values; every sale gets True or False (is every card_id found in "
        "the catalog?)."
    )
    values = set(pd.unique(column))
    assert values <= {True, False}, (
        f"{name} holds {sorted(map(str, values))[:5]}; expected booleans (True/False)."
    )
    return pd.Series(column.astype(bool).to_numpy(), index=sales.index)


def test_keeps_every_sale(result, sales):
    """keeps every sale, in order, with its index and column names (rejects a merge's suffixes)"""
    assert len(result) == len(sales), (
        f"add_card_features returned {len(result)} rows for {len(sales)} sales; keep exactly one "
        "row per sale (a left join on card_id)."
    )
    lost = [c for c in sales.columns if c not in result.columns]
    message = f"The sales' own columns {lost} are gone from the result."
    if any(f"{c}_x" in result.columns for c in lost):
        message += (
            " A merge renamed the columns both tables share (rarity_x, rarity_y): take only the "
            "catalog columns you need before merging, or pass suffixes=('', '_card')."
        )
    assert not lost, message
    assert result.index.equals(sales.index), (
        "The result's index differs from the sales' index (a merge resets it to 0, 1, 2, ...). "
        "Keep the sales' index (for example result.index = sales.index, or look values up with "
        "map): code that assigns your features back to the sales lines them up by index."
    )
    assert (result["listing_id"].to_numpy() == sales["listing_id"].to_numpy()).all(), (
        "The rows come back in another order; keep the sales' order."
    )


def test_card_age_at_sale(result, sales, cards):
    """computes the card's age at the sale, in years (rejects ages from today's date)"""
    expected = _expected(sales, cards)
    got = pd.to_numeric(result["card_age_years"], errors="coerce").to_numpy(dtype=float)
    want = expected["card_age_years"].to_numpy()
    wrong = ~np.isclose(got, want, atol=YEAR_TOLERANCE)
    if not wrong.any():
        return
    i = int(np.argmax(wrong))
    row = expected.iloc[i]
    sale_date = sales["sale_date"].iloc[i]
    message = (
        f"A card released {row['release_date']:%Y-%m-%d} and sold {sale_date:%Y-%m-%d} gets "
        f"card_age_years {got[i]:.3f}; at the sale it was {want[i]:.3f} years old "
        f"({wrong.sum()} of {len(got)} sales are off)."
    )
    from_today = (pd.Timestamp.now() - expected["release_date"]).dt.days.to_numpy() / 365.25
    if np.isclose(got, from_today, atol=0.1).mean() > 0.9:
        message += (
            " Those are ages as of today: subtract the release date from each sale's own "
            "sale_date. A model trained on today's ages sees a 2016 sale of a 2015 card as a "
            "decade-old card, and the features shift every day the code runs."
        )
    elif np.isclose(got, -want, atol=YEAR_TOLERANCE).all():
        message += " The sign is flipped: sale_date - release_date."
    elif np.isclose(got, want * 365.25, atol=1).all():
        message += " Those are days: divide by 365.25 for years."
    assert not wrong.any(), message


def test_age_follows_the_sale_date(exercise, sales, cards):
    """the same sale gets the same age any day; moving the sale 100 days on adds 100 days"""
    later = sales.copy()
    later["sale_date"] = later["sale_date"] + pd.Timedelta(days=100)
    before = exercise.add_card_features(sales.copy(), cards.copy())["card_age_years"]
    after = exercise.add_card_features(later, cards.copy())["card_age_years"]
    again = exercise.add_card_features(sales.copy(), cards.copy())["card_age_years"]
    before, after, again = (np.asarray(s, dtype=float) for s in (before, after, again))
    assert np.allclose(before, again), (
        "Running add_card_features twice on the same sales gave different ages: the age must "
        "depend on the sale and the card only, never on the moment the code runs."
    )
    assert np.allclose(after - before, 100 / 365.25, atol=1e-3), (
        "Moving every sale 100 days later did not make the cards 100 days (0.274 years) older "
        "at the sale: the age must come from each sale's sale_date, not from today."
    )


def test_secret_rare(result, sales, cards):
    """flags secret rares by number above printed total (rejects >= and the rarity name)"""
    expected = _expected(sales, cards)
    got = _flag(result, "is_secret_rare", sales)
    wrong = got.to_numpy() != expected["is_secret_rare"].to_numpy()
    if not wrong.any():
        return
    row = expected[wrong].iloc[0]
    message = (
        f"Card {row['number']}/{row['printed_total']} ({row['rarity']}) got "
        f"is_secret_rare={bool(got[wrong].iloc[0])}; a secret rare's number is above the "
        "printed total."
    )
    if (got == (expected["number"] >= expected["printed_total"])).all():
        message += " The last regular card (102/102) is not secret: use >, not >=."
    elif (got == (expected["rarity"] == "Secret Rare")).all():
        message += (
            " The rarity name misses most of them: Shining Pokémon, Illustration Rares and many "
            "Ultra Rares are numbered past the total too. Compare number and printed_total."
        )
    assert not wrong.any(), message


def test_first_edition(result, sales, cards):
    """flags 1st Edition copies by the sale's variant (rejects the set's has_first_edition)"""
    expected = _expected(sales, cards)
    got = _flag(result, "is_first_edition", sales)
    wrong = got.to_numpy() != expected["is_first_edition"].to_numpy()
    message = f"is_first_edition is wrong on {wrong.sum()} of {len(got)} sales."
    if (got == expected["has_first_edition"]).all():
        message += (
            " That is the catalog's has_first_edition, which says the set was ever printed in "
            "1st Edition; most copies of those sets are Unlimited. Use the sale's variant."
        )
    assert not wrong.any(), message


def test_vintage(result, sales, cards):
    """flags cards from sets released before July 2003 (rejects the 1st-Edition set flag)"""
    expected = _expected(sales, cards)
    got = _flag(result, "is_vintage", sales)
    wrong = got.to_numpy() != expected["is_vintage"].to_numpy()
    if not wrong.any():
        return
    row = expected[wrong].iloc[0]
    message = (
        f"A card of a set released {row['release_date']:%Y-%m-%d} got "
        f"is_vintage={bool(got[wrong].iloc[0])}; vintage means its set was released before "
        f"{VINTAGE_BEFORE:%Y-%m-%d}."
    )
    if (got == expected["has_first_edition"]).all():
        message += (
            " has_first_edition misses vintage sets never printed in 1st Edition (Base Set 2, "
            "Legendary Collection, e-Card): compare the set's release_date."
        )
    elif (got == (sales["sale_date"] < VINTAGE_BEFORE)).all():
        message += " That compares the sale date; vintage is about the card's set release date."
    assert not wrong.any(), message


def test_vintage_boundary(exercise, sales, cards):
    """a set released on VINTAGE_BEFORE itself is not vintage, one a day earlier is (rejects <=)"""
    last_old = cards[cards["release_date"] < VINTAGE_BEFORE].nlargest(1, "release_date")
    first_new = cards[cards["release_date"] >= VINTAGE_BEFORE].nsmallest(1, "release_date")
    pair = pd.concat([last_old, first_new])
    pair["release_date"] = [VINTAGE_BEFORE - pd.Timedelta(days=1), VINTAGE_BEFORE]
    two = sales.head(2).assign(
        card_id=pair["card_id"].to_numpy(), sale_date=VINTAGE_BEFORE + pd.Timedelta(days=30)
    )
    got = _flag(exercise.add_card_features(two.copy(), pair.copy()), "is_vintage", two)
    assert got.tolist() == [True, False], (
        f"A set released {VINTAGE_BEFORE - pd.Timedelta(days=1):%Y-%m-%d} got is_vintage="
        f"{got.iloc[0]} and one released {VINTAGE_BEFORE:%Y-%m-%d} got is_vintage={got.iloc[1]}; "
        f"'before {VINTAGE_BEFORE:%Y-%m-%d}' excludes that day itself: use <, not <=."
    )
