"""Checks for 03_training/03_cv_strategy: folds cut by time (with a gap) and by card."""

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import TimeSeriesSplit

from mlings.dataset import make_cards, make_sales

EXPECTED = {
    "next_month_prices": "time",
    "never_sold_cards": "group",
    "condition_from_scans": "kfold",
    "weekly_reprice": "time",
}
WHY = {
    "next_month_prices": (
        "The model prices future sales from past ones, so its folds must train on earlier "
        "sales and test on later ones."
    ),
    "never_sold_cards": (
        "The model must price cards it has never seen sold, and the training sales repeat the "
        "same cards: keep all sales of a card in one fold."
    ),
    "condition_from_scans": (
        "One scan per card from one afternoon: no time order and no repeated cards, so the "
        "rows are independent and a shuffled KFold is honest."
    ),
    "weekly_reprice": (
        "Every Monday's model only knows the sales up to Sunday: train on the past, test on "
        "the week after."
    ),
}


@pytest.fixture(scope="module")
def sales():
    """400 sales of 120 cards over two years, shuffled, with index labels that are not 0..n-1."""
    cards = make_cards(n=120)
    table = make_sales(cards, seed=17, n=400, start="2022-01-01", end="2023-12-31")
    table = table.sample(frac=1.0, random_state=3)
    table.index = np.arange(5000, 5000 + len(table))
    return table


def folds_of(result, n_rows):
    folds = [(np.asarray(train), np.asarray(test)) for train, test in result]
    for train, test in folds:
        for part in (train, test):
            assert part.dtype.kind in "iu", (
                f"The folds hold {part.dtype} values; expected integer positions."
            )
            assert part.size == 0 or (part.min() >= 0 and part.max() < n_rows), (
                f"The folds hold values up to {part.max()} for a table of {n_rows} rows: return "
                "positions (0 to n-1, what .iloc takes), not index labels."
            )
        assert not set(train.tolist()) & set(test.tolist()), (
            "A fold has the same row on both sides: training and test rows must not overlap."
        )
    return folds


def test_chooses_the_strategy_for_each_scenario(exercise):
    """picks time, group or kfold for each scenario (rejects a shuffled KFold everywhere)"""
    strategy = dict(exercise.STRATEGY)
    assert set(strategy) == set(EXPECTED), (
        f"STRATEGY has the scenarios {sorted(strategy)}; expected one answer for each of "
        f"{sorted(EXPECTED)}."
    )
    for scenario, answer in strategy.items():
        assert answer in {"time", "group", "kfold"}, (
            f"STRATEGY[{scenario!r}] is {answer!r}; answer 'time', 'group' or 'kfold'."
        )
    if all(answer == "kfold" for answer in strategy.values()):
        raise AssertionError(
            "A shuffled KFold for every scenario assumes the sales are independent draws; "
            "PokéMarket's are ordered in time and repeat the same cards."
        )
    for scenario, expected in EXPECTED.items():
        assert strategy[scenario] == expected, (
            f"{scenario}: you chose {strategy[scenario]!r}. {WHY[scenario]}"
        )


def test_time_folds_never_train_on_the_future(exercise, sales):
    """no training sale is dated after a test sale (rejects TimeSeriesSplit on unsorted rows)"""
    folds = folds_of(exercise.time_folds(sales, n_splits=4, gap=10), len(sales))
    assert len(folds) == 4, f"time_folds(n_splits=4) returned {len(folds)} folds; expected 4."
    dates = sales["sale_date"].to_numpy()
    for k, (train, test) in enumerate(folds):
        last_train, first_test = dates[train].max(), dates[test].min()
        assert last_train <= first_test, (
            f"Fold {k} trains on a sale of {pd.Timestamp(last_train):%Y-%m-%d} and tests on "
            f"one of {pd.Timestamp(first_test):%Y-%m-%d}: it has seen the future. The sales "
            "come in no particular order and TimeSeriesSplit cuts by position: sort by "
            "sale_date first, then map the sorted positions back to the table as given."
        )


def test_time_folds_leave_a_gap(exercise, sales):
    """each time fold leaves `gap` sales out between its training and test sales"""
    folds = folds_of(exercise.time_folds(sales, n_splits=4, gap=25), len(sales))
    dates = np.sort(sales["sale_date"].to_numpy())
    expected = list(TimeSeriesSplit(n_splits=4, gap=25).split(dates))
    no_gap = list(TimeSeriesSplit(n_splits=4).split(dates))
    got_sizes = [(len(tr), len(te)) for tr, te in folds]
    want_sizes = [(len(tr), len(te)) for tr, te in expected]
    message = (
        f"With n_splits=4 and gap=25 the folds should have (train, test) sizes {want_sizes}; "
        f"yours have {got_sizes}."
    )
    if got_sizes == [(len(tr), len(te)) for tr, te in no_gap]:
        message += " Those are the sizes without a gap: pass gap= to TimeSeriesSplit."
    assert got_sizes == want_sizes, message
    sale_dates = sales["sale_date"].to_numpy()
    for k, ((train, test), (want_train, want_test)) in enumerate(zip(folds, expected, strict=True)):
        assert np.array_equal(np.sort(sale_dates[train]), dates[want_train]) and np.array_equal(
            np.sort(sale_dates[test]), dates[want_test]
        ), (
            f"Fold {k} does not hold the expected sales: train on the earliest sales, skip the "
            "next `gap` sales, and test on the ones after them, in sale_date order."
        )


def test_card_folds_keep_each_card_in_one_fold(exercise, sales):
    """no card is on both sides of a fold (rejects a row-wise KFold)"""
    folds = folds_of(exercise.card_folds(sales, n_splits=4), len(sales))
    assert len(folds) == 4, f"card_folds(n_splits=4) returned {len(folds)} folds; expected 4."
    cards = sales["card_id"].to_numpy()
    for k, (train, test) in enumerate(folds):
        shared = set(cards[train]) & set(cards[test])
        assert not shared, (
            f"Fold {k} has {len(shared)} cards (e.g. {sorted(shared)[0]}) in both its training "
            "and its test rows, so it scores the model on cards it has already seen sold. Use "
            "GroupKFold with groups=sales['card_id']."
        )


def test_card_folds_test_every_sale_once(exercise, sales):
    """across the card folds every sale is tested exactly once"""
    folds = folds_of(exercise.card_folds(sales, n_splits=4), len(sales))
    tested = np.concatenate([test for _, test in folds])
    assert len(tested) == len(sales) and len(set(tested.tolist())) == len(sales), (
        f"The test parts of the folds cover {len(set(tested.tolist()))} distinct sales "
        f"({len(tested)} in all) of {len(sales)}; each sale should be tested exactly once."
    )
    for k, (train, test) in enumerate(folds):
        assert len(train) + len(test) == len(sales), (
            f"Fold {k} trains on {len(train)} and tests on {len(test)} of {len(sales)} sales; "
            "every sale not in the test part belongs to the training part."
        )
