"""Checks for 07_collaboration/02_review_leaky_features: review PR #101, then fix its feature."""

import functools

import numpy as np
import pandas as pd

from mlings.dataset import make_cards, make_sales
from mlings.review import (
    Defect,
    judge_blockers_rated,
    judge_every_defect_named,
    judge_false_alarms,
    judge_majors_rated,
    learner_findings,
)

DIFF = "exercises/07_collaboration/pokemarket_repo/prs/01_card_price_history.diff"
FILE = "pokemarket/features.py"

DEFECTS: tuple[Defect, ...] = (
    Defect(
        id="price_history",
        file=FILE,
        lines=(33, 37),
        categories=frozenset({"leakage", "evaluation"}),
        severity="blocker",
        about="card_mean_price and card_sale_count are groupby transforms over every sale of the "
        "card: the row's own price and later sales are in them (a card sold once gets its own "
        "price); the reported validation MAE is fiction.",
    ),
    Defect(
        id="age_from_now",
        file=FILE,
        lines=(21, 21),
        categories=frozenset({"reproducibility", "correctness"}),
        severity="major",
        about="age_days counts to pd.Timestamp.now(), not to the sale date: features change with "
        "the day the code runs, training and serving ages disagree, the age at sale is lost.",
    ),
    Defect(
        id="fill_with_frame_mean",
        file=FILE,
        lines=(60, 61),
        categories=frozenset({"leakage", "evaluation", "correctness", "reproducibility"}),
        severity="major",
        about="missing grade/condition_rank filled with the mean of the frame passed in: "
        "validation rows feed the training features (make_features runs before the split) and "
        "a single listing at serving time gets its own mean (NaN) or its batch's.",
    ),
)

NUDGES = {  # where to look, without the category or the line numbers
    "price_history": "look at which sales the new history features are computed from, for the "
    "very sale they describe",
    "age_from_now": "look at what the card's age is now measured against, for a sale of 2017",
    "fill_with_frame_mean": "look at where the values that fill the missing grades come from, "
    "and what they would be for one listing at serving time",
}

FEATURES = ("card_sale_count", "card_mean_price")


# ---------------------------------------------------------------- the review


def test_findings_are_well_formed(exercise):
    """your findings are well-formed: file, lines, category, severity and a one-sentence note"""
    learner_findings(exercise)


def test_every_defect_is_named(exercise):
    """every defect the pull request brings in is named by one of your findings"""
    judge_every_defect_named(learner_findings(exercise), DEFECTS, NUDGES)


def test_blocker_is_rated_blocker(exercise):
    """the defect that must stop the merge is rated blocker"""
    judge_blockers_rated(
        learner_findings(exercise),
        DEFECTS,
        harm="ship a model whose reported error is not its real error",
    )


def test_major_defects_are_not_rated_minor(exercise):
    """a defect that breaks something real is rated major or blocker (rejects minor or nit)"""
    judge_majors_rated(learner_findings(exercise), DEFECTS)


def test_at_most_one_false_alarm(exercise):
    """at most one finding names no defect (precision: what only looks unusual is fine)"""
    judge_false_alarms(learner_findings(exercise), DEFECTS)


# ---------------------------------------------------------------- the fix


@functools.cache
def _sales() -> pd.DataFrame:
    """340 sales of 30 cards, with same-day sales of one card, shuffled, odd index labels."""
    cards = make_cards(n=30)
    sales = make_sales(cards, seed=7, n=300, start="2019-01-01", end="2024-12-31")
    twins = sales.sample(40, random_state=7)  # another copy sold the same day, other price
    twins = twins.assign(
        listing_id=np.arange(40) + sales["listing_id"].max() + 1,
        price_usd=(twins["price_usd"] * np.linspace(0.5, 2.5, 40)).round(2) + 0.01,
    )
    sales = pd.concat([sales, twins]).sample(frac=1.0, random_state=7)
    return sales.set_axis(np.arange(len(sales)) * 7 + 1000)


def _small() -> pd.DataFrame:
    """4 sales of base1-4 (two on the same day) and 2 of neo4-107, out of order."""
    return pd.DataFrame(
        {
            "listing_id": [105, 101, 104, 102, 106, 103],
            "card_id": ["base1-4", "base1-4", "base1-4", "base1-4", "neo4-107", "neo4-107"],
            "sale_date": pd.to_datetime(
                ["2021-03-01", "2021-01-05", "2021-02-01", "2021-02-01", "2021-02-15", "2021-01-20"]
            ),
            "price_usd": [50.0, 10.0, 30.0, 20.0, 7.0, 5.0],
        },
        index=[60, 10, 40, 20, 50, 30],
    )


SMALL_STORY = (
    "4 sales of base1-4 ($10 on Jan 5, $20 and $30 both on Feb 1, $50 on Mar 1) and 2 of "
    "neo4-107 ($5, then $7), given out of order"
)


def _reference(sales: pd.DataFrame, min_sales: int = 1) -> pd.DataFrame:
    """Count and mean of each sale's card's sales on strictly earlier days, by brute force."""
    left = sales[["card_id", "sale_date"]].rename_axis("row").reset_index()
    right = sales[["card_id", "sale_date", "price_usd"]].rename(columns={"sale_date": "day"})
    pairs = left.merge(right, on="card_id")
    pairs = pairs[pairs["day"] < pairs["sale_date"]]
    stats = pairs.groupby("row")["price_usd"].agg(["count", "mean"]).reindex(sales.index)
    count = stats["count"].fillna(0)
    mean = stats["mean"].where(count >= max(min_sales, 1))
    return pd.DataFrame({"card_sale_count": count, "card_mean_price": mean})


def _call(exercise, sales: pd.DataFrame, **kwargs) -> pd.DataFrame:
    """card_price_history on a copy of sales, its shape checked: same rows, two new columns."""
    got = exercise.card_price_history(sales.copy(), **kwargs)
    assert isinstance(got, pd.DataFrame), (
        f"card_price_history returned {type(got).__name__}; expected the sales as a DataFrame "
        "with two more columns."
    )
    absent = [f for f in FEATURES if f not in got.columns]
    assert not absent, f"card_price_history's result has no column {absent}."
    assert len(got) == len(sales), (
        f"card_price_history returned {len(got)} rows for {len(sales)} sales; keep every sale, "
        "one row each."
    )
    assert got.index.equals(sales.index), (
        "The result's rows are not the sales you were given, in their order with their index. "
        "Compute on a sorted or grouped copy if you like, then line the values up with the "
        "original rows by index (assign, join or reindex do; .to_numpy() on sorted values does "
        "not)."
    )
    return got


def _history(exercise, sales: pd.DataFrame, **kwargs) -> pd.DataFrame:
    """The two features as floats."""
    got = _call(exercise, sales, **kwargs)
    return got[list(FEATURES)].apply(pd.to_numeric, errors="coerce").astype(float)


@functools.cache
def _base(exercise) -> pd.DataFrame:
    """card_price_history on the unchanged sales, computed once per learner module."""
    return _call(exercise, _sales())


def _base_history(exercise) -> pd.DataFrame:
    return _base(exercise)[list(FEATURES)].apply(pd.to_numeric, errors="coerce").astype(float)


def _same(a, b) -> np.ndarray:
    """Element-wise equality, NaN equal to NaN, to floating-point precision."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return np.isclose(a, b, rtol=1e-9, atol=1e-6) | (np.isnan(a) & np.isnan(b))


def _wrong_answers(sales: pd.DataFrame) -> dict[str, pd.Series]:
    """card_mean_price as the common wrong answers compute it, indexed like sales."""
    ordered = sales.sort_values(["sale_date", "listing_id"])
    prices = ordered.groupby("card_id")["price_usd"]
    past = prices.shift().groupby(ordered["card_id"]).expanding().mean().droplevel(0)
    return {
        "it is the mean of all the card's sales, the sale itself and later ones included: "
        "that is the pull request's leak": prices.transform("mean"),
        "it includes the sale's own price (an expanding mean without a shift)": (
            prices.expanding().mean().droplevel(0)
        ),
        "it lets sales of the same day see each other (a shift by one sale within the card): "
        "the nightly history does not know a day's other sales yet, whatever their listing "
        "ids": past,
        "it averages earlier sales of every card, not the same card: group by card_id": (
            ordered["price_usd"].shift().expanding().mean()
        ),
    }


def _diagnose(got: pd.Series, sales: pd.DataFrame) -> str:
    for why, guess in _wrong_answers(sales).items():
        if _same(got, guess.reindex(sales.index)).mean() > 0.95:
            return " It looks like " + why + "."
    return ""


def test_small_table(exercise):
    """gets a small table right: first sales, a same-day pair, rows given out of order"""
    got = _history(exercise, _small())
    mean, count = got["card_mean_price"].tolist(), got["card_sale_count"].tolist()
    expected_mean = [20.0, np.nan, 10.0, 10.0, 5.0, np.nan]
    expected_count = [3, 0, 1, 1, 1, 0]
    assert _same(mean, expected_mean).all(), (
        f"For {SMALL_STORY}, card_mean_price is {mean}; expected {expected_mean} (row by row): "
        "the two Feb 1 sales both see only January's $10, the March sale sees all three before "
        "it, each card's first sale sees nothing (NaN)."
    )
    assert _same(count, expected_count).all(), (
        f"For {SMALL_STORY}, card_sale_count is {count}; expected {expected_count} (row by "
        "row): how many sales of the same card on earlier days, 0 for none."
    )


def test_exact_values(exercise):
    """matches the count and mean of each card's sales on earlier days, on 340 sales"""
    sales = _sales()
    got = _base_history(exercise)
    expected = _reference(sales)
    wrong = ~_same(got["card_mean_price"], expected["card_mean_price"])
    assert not wrong.any(), (
        f"card_mean_price is wrong on {wrong.sum()} of {len(sales)} sales."
        + _diagnose(got["card_mean_price"], sales)
    )
    wrong = ~_same(got["card_sale_count"], expected["card_sale_count"])
    assert not wrong.any(), (
        f"card_sale_count is wrong on {wrong.sum()} of {len(sales)} sales: count the card's "
        "sales on days before the sale's own day (0 for none), not the sale itself, nor the "
        "same day's other sales, nor later ones."
    )


def _moved(exercise, changed: pd.DataFrame, rows) -> np.ndarray:
    """Where card_mean_price on rows differs between the unchanged sales and changed ones."""
    before = _base_history(exercise).loc[rows, "card_mean_price"]
    after = _history(exercise, changed).loc[rows, "card_mean_price"]
    return ~_same(before, after)


def test_later_prices_never_move_earlier_rows(exercise):
    """no later sale's price moves a row's features (rejects the card's mean over all sales)"""
    sales = _sales()
    cutoff = pd.Timestamp("2022-07-01")
    changed = sales.copy()
    later = changed["sale_date"] > cutoff
    changed.loc[later, "price_usd"] = changed.loc[later, "price_usd"] * 100 + 5_000
    moved = _moved(exercise, changed, sales.index[~later])
    assert not moved.any(), (
        f"Making every sale after {cutoff:%Y-%m-%d} far more expensive changed card_mean_price "
        f"on {moved.sum()} sales made on or before that day. Those features read the future: "
        "when a seller lists a card, its later sales have not happened."
    )


def test_own_price_never_moves_own_row(exercise):
    """a sale's own price never moves its own features (rejects an expanding mean, no shift)"""
    sales = _sales()
    alone = ~sales[["card_id", "sale_date"]].duplicated(keep=False)  # no other sale that day
    last = sales["sale_date"].eq(sales.groupby("card_id")["sale_date"].transform("max"))
    rows = sales.index[alone & last]  # each card's last sale, the only one of its day
    changed = sales.copy()
    changed.loc[rows, "price_usd"] = 99_999.0
    moved = _moved(exercise, changed, rows)
    assert not moved.any(), (
        f"Changing the price of each card's latest sale changed that sale's own card_mean_price "
        f"({moved.sum()} of {len(rows)} sales). When a listing is priced, its sale price does "
        "not exist yet: only the card's sales on earlier days count."
    )


def test_same_day_sales_do_not_see_each_other(exercise):
    """sales of one card on the same day do not see each other (rejects a shift by one sale)"""
    sales = _sales()
    day = sales[["card_id", "sale_date"]]
    twins = day.duplicated(keep=False)  # a card sold more than once that day
    latest = sales[twins].groupby("card_id")["sale_date"].max()  # per card, its last such day
    twins &= sales["sale_date"].eq(sales["card_id"].map(latest))
    first = twins & ~day.duplicated(keep="first")  # one sale of each card's latest such day
    changed = sales.copy()
    changed.loc[first, "price_usd"] = changed.loc[first, "price_usd"] * 50 + 1_000
    others = sales.index[twins & ~first]  # the other sales of those days
    moved = _moved(exercise, changed, others)
    assert not moved.any(), (
        f"Changing one price of each day on which a card sold twice moved the other same-day "
        f"sale's card_mean_price ({moved.sum()} of {len(others)} sales). The history is rebuilt "
        "every night: a listing priced on a day knows the card's sales up to the day before, "
        "not that day's other sales, whatever order their listing ids suggest."
    )
    got = _base_history(exercise).loc[others, "card_sale_count"]
    counted = ~_same(got, _reference(sales).loc[others, "card_sale_count"])
    assert not counted.any(), (
        f"On days when a card sold more than once, card_sale_count is wrong on {counted.sum()} "
        "sales: the same day's other sales do not count, only earlier days."
    )


def test_other_cards_never_move_a_card(exercise):
    """another card's sales never move a card's features (rejects a history not grouped by card)"""
    sales = _sales()
    target = sales["card_id"].value_counts().index[0]
    changed = sales.copy()
    mine = changed["card_id"] == target
    changed.loc[mine, "price_usd"] = 77_777.0
    moved = _moved(exercise, changed, sales.index[~mine])
    assert not moved.any(), (
        f"Changing the prices of card {target} changed card_mean_price on {moved.sum()} sales "
        "of other cards: a card's history is its own sales only (group by card_id)."
    )


def _kept(got: pd.Series, given: pd.Series) -> bool:
    """The same values on the same rows (the dtype may differ)."""
    try:
        pd.testing.assert_series_equal(got, given, check_dtype=False, check_index_type=False)
    except AssertionError:
        return False
    return True


def test_rows_and_columns_are_kept(exercise):
    """every column kept, rows in their order with their index (rejects returning them sorted)"""
    sales = _sales()
    got = _base(exercise)
    lost = [c for c in sales.columns if c not in got.columns]
    assert not lost, f"card_price_history's result lost the columns {lost}: keep every column."
    changed = [c for c in sales.columns if not _kept(got[c], sales[c])]
    assert not changed, (
        f"card_price_history changed the values of {changed}: add the two columns, leave the "
        "sales' own columns as they were."
    )


def test_input_is_not_changed(exercise):
    """the sales passed in are not changed"""
    sales = _small()
    given = sales.copy()
    exercise.card_price_history(given)
    assert given.columns.equals(sales.columns) and given.equals(sales), (
        "card_price_history changed the DataFrame it was given (its columns, rows or values). "
        "Return a new frame (assign, or work on a copy); the caller's sales are not yours to edit."
    )


def test_min_sales_is_honoured(exercise):
    """min_sales is honoured: too few earlier sales give NaN, the count stays"""
    got = _history(exercise, _small(), min_sales=2)
    mean, count = got["card_mean_price"].tolist(), got["card_sale_count"].tolist()
    expected = [20.0, np.nan, np.nan, np.nan, np.nan, np.nan]
    assert _same(mean, expected).all(), (
        f"For {SMALL_STORY}, with min_sales=2 card_mean_price is {mean}; expected {expected} "
        "(row by row): only the March sale has 2 or more sales on earlier days."
    )
    assert _same(count, [3, 0, 1, 1, 1, 0]).all(), (
        f"For {SMALL_STORY}, with min_sales=2 card_sale_count is {count}; expected "
        "[3, 0, 1, 1, 1, 0]: min_sales decides when the mean is trusted, not what is counted."
    )
    sales = _sales()
    got = _history(exercise, sales, min_sales=3)
    expected = _reference(sales, min_sales=3)
    wrong = ~_same(got["card_mean_price"], expected["card_mean_price"])
    assert not wrong.any(), (
        f"With min_sales=3, card_mean_price is wrong on {wrong.sum()} of {len(sales)} sales: it "
        "must be NaN when the card has fewer than 3 sales on earlier days, their mean otherwise."
    )
