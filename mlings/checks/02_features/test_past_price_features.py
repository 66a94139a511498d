"""Checks for 02_features/03_past_price_features: per-card features from earlier sales only."""

import numpy as np
import pandas as pd
import pytest

from mlings.dataset import make_cards, make_sales

FEATURES = ("prev_sale_count", "prev_mean_price")


@pytest.fixture(scope="module")
def sales() -> pd.DataFrame:
    """Sales of 40 cards, many per card, shuffled, indexed by labels that are not positions."""
    cards = make_cards(n=40)
    sales = make_sales(cards, seed=4, n=600, start="2019-01-01", end="2024-12-31")
    sales = sales.drop_duplicates(["card_id", "sale_date"])  # no same-day sales of one card
    sales = sales.sample(frac=1.0, random_state=4)
    return sales.set_axis(np.arange(len(sales)) * 7 + 1000)


def _reference(sales: pd.DataFrame) -> pd.DataFrame:
    ordered = sales.sort_values(["sale_date", "listing_id"])
    card = ordered["card_id"]
    count = ordered.groupby(card).cumcount()
    total = ordered.groupby(card)["price_usd"].shift().fillna(0.0).groupby(card).cumsum()
    frame = pd.DataFrame(
        {"prev_sale_count": count, "prev_mean_price": total / count.replace(0, np.nan)}
    )
    return frame.reindex(sales.index)


def _features(exercise, sales: pd.DataFrame) -> pd.DataFrame:
    got = exercise.add_past_price_features(sales.copy())
    assert isinstance(got, pd.DataFrame), (
        f"add_past_price_features returned {type(got).__name__}; expected the sales as a "
        "DataFrame with two more columns."
    )
    absent = [f for f in FEATURES if f not in got.columns]
    assert not absent, f"add_past_price_features' result has no column {absent}."
    assert len(got) == len(sales), (
        f"add_past_price_features returned {len(got)} rows for {len(sales)} sales; keep every sale."
    )
    assert got.index.equals(sales.index), (
        "The result's index or row order differs from the sales you were given. Sort a copy to "
        "compute, then line the features up with the original rows by index (assign and join do "
        "that; a plain .values does not)."
    )
    frame = got[list(FEATURES)].apply(pd.to_numeric, errors="coerce")
    return frame.astype(float)


def _same(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Element-wise equality, NaN equal to NaN, to floating-point precision."""
    a, b = a.to_numpy(dtype=float), b.to_numpy(dtype=float)
    return np.isclose(a, b, rtol=1e-9, atol=1e-9) | (np.isnan(a) & np.isnan(b))


def _diagnose(got: pd.DataFrame, sales: pd.DataFrame) -> str:
    """What a wrong prev_mean_price most likely did."""
    ordered = sales.sort_values(["sale_date", "listing_id"])
    card = ordered["card_id"]
    prices = ordered.groupby(card)["price_usd"]
    guesses = {
        "it includes the sale's own price: shift by one within each card before averaging, "
        "so a sale only sees the ones before it": prices.expanding().mean().droplevel(0),
        "it is the mean of every sale of the card, later ones included: that is the future "
        "leaking into the past": prices.transform("mean"),
        "the earlier sales come from the whole table, not from the same card: group by "
        "card_id": ordered["price_usd"].shift().expanding().mean(),
        "it follows the rows in the order given, not in time: sort by sale_date (then "
        "listing_id) first": _input_order(sales),
        "the right values sit on the wrong rows: they are in time order while the rows are "
        "not. Line them up by index (assign or join), not with .to_numpy() or .values": pd.Series(
            _reference(sales).loc[ordered.index, "prev_mean_price"].to_numpy(), index=sales.index
        ),
    }
    for why, guess in guesses.items():
        guess = guess.reindex(sales.index)
        if _same(got["prev_mean_price"], guess).mean() > 0.95:
            return " It looks like " + why + "."
    return ""


def _input_order(sales: pd.DataFrame) -> pd.Series:
    card = sales["card_id"]
    count = sales.groupby(card).cumcount()
    total = sales.groupby(card)["price_usd"].shift().fillna(0.0).groupby(card).cumsum()
    return total / count.replace(0, np.nan)


def test_small_table(exercise):
    """gets a small shuffled table exactly right: first sale NaN and 0, then earlier sales only"""
    small = pd.DataFrame(
        {
            "listing_id": [104, 101, 103, 102, 105],
            "card_id": ["base1-4", "base1-4", "neo4-107", "base1-4", "neo4-107"],
            "sale_date": pd.to_datetime(
                ["2021-03-01", "2021-01-05", "2021-01-20", "2021-02-01", "2021-02-15"]
            ),
            "price_usd": [20.0, 10.0, 5.0, 30.0, 7.0],
        },
        index=[40, 10, 30, 20, 50],
    )
    got = _features(exercise, small)
    count = [int(c) if c == c else c for c in got["prev_sale_count"]]
    mean = got["prev_mean_price"].tolist()
    expected_count, expected_mean = [2, 0, 0, 1, 1], [20.0, np.nan, np.nan, 10.0, 5.0]
    assert _same(pd.Series(mean), pd.Series(expected_mean)).all(), (
        f"For 3 sales of base1-4 ($10 in Jan, $30 in Feb, $20 in Mar) and 2 of neo4-107 ($5, "
        f"then $7), listed out of order, prev_mean_price is {mean}; expected {expected_mean} "
        "(row by row): the March sale sees the mean of January and February, the first sale of "
        "each card sees nothing."
    )
    assert count == expected_count, (
        f"For the same 5 sales, prev_sale_count is {count}; expected {expected_count} (row by "
        "row): how many sales of the same card came before each one."
    )


def test_same_day_sales_ordered_by_listing_id(exercise):
    """breaks same-day ties by listing_id (rejects sorting by the date alone)"""
    same_day = pd.DataFrame(
        {
            "listing_id": [205, 201, 203, 150],
            "card_id": ["gym1-2"] * 4,
            "sale_date": pd.to_datetime(["2021-05-01", "2021-05-01", "2021-05-01", "2021-04-01"]),
            "price_usd": [40.0, 10.0, 20.0, 100.0],
        },
        index=["a", "b", "c", "d"],
    )
    got = _features(exercise, same_day)
    expected_count, expected_mean = [3, 1, 2, 0], [130.0 / 3, 100.0, 55.0, np.nan]
    count = [int(c) if c == c else c for c in got["prev_sale_count"]]
    mean = [round(m, 2) for m in got["prev_mean_price"]]
    assert (
        count == expected_count and _same(got["prev_mean_price"], pd.Series(expected_mean)).all()
    ), (
        "Three sales of gym1-2 on the same day (listings 205, 201, 203, given in that order) "
        f"after one in April (listing 150) got prev_sale_count {count} and prev_mean_price "
        f"{mean}; expected {expected_count} and [43.33, 100.0, 55.0, nan]. On the same day, "
        "the smaller listing_id sold first: sort by sale_date, then listing_id."
    )


def test_exact_values(exercise, sales):
    """matches the exact count and mean of each card's earlier sales on 600 sales"""
    got = _features(exercise, sales)
    expected = _reference(sales)
    wrong_count = ~_same(got["prev_sale_count"], expected["prev_sale_count"])
    wrong_mean = ~_same(got["prev_mean_price"], expected["prev_mean_price"])
    assert not wrong_mean.any(), (
        f"prev_mean_price is wrong on {wrong_mean.sum()} of {len(sales)} sales."
        + _diagnose(got, sales)
    )
    assert not wrong_count.any(), (
        f"prev_sale_count is wrong on {wrong_count.sum()} of {len(sales)} sales: count the "
        "card's sales before each one (0 for its first)."
    )


def test_own_price_is_not_used(exercise, sales):
    """a sale's own price never moves its own features (rejects an expanding mean without shift)"""
    ordered = sales.sort_values(["sale_date", "listing_id"])
    last = ordered.index[~ordered.duplicated("card_id", keep="last")]  # each card's last sale
    changed = sales.copy()
    changed.loc[last, "price_usd"] = 99_999.0
    before = _features(exercise, sales).loc[last]
    after = _features(exercise, changed).loc[last]
    moved = ~_same(before["prev_mean_price"], after["prev_mean_price"])
    assert not moved.any(), (
        f"Changing the price of each card's latest sale changed that sale's own prev_mean_price "
        f"({moved.sum()} sales). When PokéMarket prices a listing, its sale price does not exist "
        "yet: use only the card's earlier sales (shift by one within each card before averaging)."
    )


def test_later_sales_are_not_used(exercise, sales):
    """changing later sales never moves earlier rows (rejects a whole-card mean)"""
    cutoff = pd.Timestamp("2023-01-01")
    changed = sales.copy()
    later = changed["sale_date"] >= cutoff
    changed.loc[later, "price_usd"] = changed.loc[later, "price_usd"] * 100 + 5_000
    earlier = sales.index[sales["sale_date"] < cutoff]
    before = _features(exercise, sales).loc[earlier]
    after = _features(exercise, changed).loc[earlier]
    moved = ~_same(before["prev_mean_price"], after["prev_mean_price"])
    assert not moved.any(), (
        f"Making every sale from {cutoff:%Y} on far more expensive changed prev_mean_price on "
        f"{moved.sum()} sales made before {cutoff:%Y}. Those features used the future: a "
        "model trained on them learns from prices it will never have when a seller lists a card."
    )


def test_other_cards_are_not_used(exercise, sales):
    """another card's sales never move a card's features (rejects a shift without groupby)"""
    target = sales["card_id"].value_counts().index[0]
    changed = sales.copy()
    mine = changed["card_id"] == target
    changed.loc[mine, "price_usd"] = 77_777.0
    others = sales.index[~mine]
    before = _features(exercise, sales).loc[others]
    after = _features(exercise, changed).loc[others]
    moved = ~_same(before["prev_mean_price"], after["prev_mean_price"])
    assert not moved.any(), (
        f"Changing the prices of card {target} changed prev_mean_price on {moved.sum()} sales of "
        "other cards: look back within the same card only (group by card_id)."
    )
