"""Checks for 03_training/03_cv_strategy: folds cut by time (a gap in days), by card, and both."""

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import TimeSeriesSplit

from mlings.dataset import make_cards, make_sales

EXPECTED = {
    "next_month_prices": "time",
    "never_sold_cards": "time_card",
    "condition_from_scans": "kfold",
    "rarity_from_photos": "group",
    "weekly_reprice": "time",
}
ANSWERS = {"time", "group", "time_card", "kfold"}
CUTOFFS = ["2022-07-01", "2023-01-01", "2023-07-01"]
SHARE, GAP_DAYS = 0.25, 30
WHY = {
    "next_month_prices": (
        "The model prices future sales from past ones, so its folds must train on earlier "
        "sales and test on later ones."
    ),
    "never_sold_cards": (
        "The model prices next month's sales of cards it has never seen sold: its folds must "
        "train on earlier sales of other cards and test on later sales of held-out cards."
    ),
    "condition_from_scans": (
        "One scan per card from one afternoon: no time order and no repeated cards, so the "
        "rows are independent and a shuffled KFold is honest."
    ),
    "rarity_from_photos": (
        "No time order, but several photos of each card, and the model meets cards it has no "
        "photo of: keep all photos of a card in one fold."
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
    """picks a strategy for each scenario (rejects a shuffled KFold everywhere)"""
    strategy = dict(exercise.STRATEGY)
    assert set(strategy) == set(EXPECTED), (
        f"STRATEGY has the scenarios {sorted(strategy)}; expected one answer for each of "
        f"{sorted(EXPECTED)}."
    )
    for scenario, answer in strategy.items():
        assert answer in ANSWERS, (
            f"STRATEGY[{scenario!r}] is {answer!r}; answer 'time', 'group', 'time_card' or 'kfold'."
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
    folds = folds_of(exercise.time_folds(sales, n_splits=4, gap_days=0), len(sales))
    assert len(folds) == 4, f"time_folds(n_splits=4) returned {len(folds)} folds; expected 4."
    dates = sales["sale_date"].to_numpy()
    for k, (train, test) in enumerate(folds):
        assert test.size, f"Fold {k} tests no sales: TimeSeriesSplit decides the test parts."
        assert train.size, (
            f"Fold {k} trains on no sales: its test part holds sales older than every sale "
            "it could train on. TimeSeriesSplit cuts by position and the sales come in no "
            "particular order: sort by sale_date first, then map the positions back."
        )
        last_train, first_test = dates[train].max(), dates[test].min()
        assert last_train <= first_test, (
            f"Fold {k} trains on a sale of {pd.Timestamp(last_train):%Y-%m-%d} and tests on "
            f"one of {pd.Timestamp(first_test):%Y-%m-%d}: it has seen the future. The sales "
            "come in no particular order and TimeSeriesSplit cuts by position: sort by "
            "sale_date first, then map the sorted positions back to the table as given."
        )


def expected_time_folds(dates: np.ndarray, gap_days: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """The dates (sorted) each fold should train and test on."""
    ordered = np.sort(dates)
    folds = []
    for train, test in TimeSeriesSplit(n_splits=4).split(ordered):
        first = ordered[test].min()
        folds.append(
            (ordered[train][ordered[train] < first - np.timedelta64(gap_days, "D")], ordered[test])
        )
    return folds


@pytest.mark.parametrize("gap_days", [GAP_DAYS, 0])
def test_time_folds_leave_a_gap_in_days(exercise, sales, gap_days):
    """each time fold leaves out the gap_days days before its test sales (rejects a gap in rows)"""
    folds = folds_of(exercise.time_folds(sales, n_splits=4, gap_days=gap_days), len(sales))
    dates = sales["sale_date"].to_numpy()
    expected = expected_time_folds(dates, gap_days)
    got_sizes = [(len(tr), len(te)) for tr, te in folds]
    want_sizes = [(len(tr), len(te)) for tr, te in expected]
    message = (
        f"With n_splits=4 and gap_days={gap_days} the folds should have (train, test) sizes "
        f"{want_sizes}; yours have {got_sizes}."
    )
    in_rows = list(TimeSeriesSplit(n_splits=4, gap=gap_days).split(dates))
    if gap_days and got_sizes == [(len(tr), len(te)) for tr, te in in_rows]:
        message += (
            f" Those are the sizes of TimeSeriesSplit(gap={gap_days}), which leaves out "
            f"{gap_days} sales, not {gap_days} days: how many days that is depends on how "
            "busy the market was. Cut the training part by date instead."
        )
    assert got_sizes == want_sizes, message
    for k, ((train, test), (want_train, want_test)) in enumerate(zip(folds, expected, strict=True)):
        assert np.array_equal(np.sort(dates[test]), want_test), (
            f"Fold {k} does not test the expected sales: TimeSeriesSplit(n_splits) over the "
            "sales in sale_date order decides the test parts."
        )
        assert np.array_equal(np.sort(dates[train]), want_train), (
            f"Fold {k} does not train on the expected sales: every earlier sale dated before "
            f"the first test day minus {gap_days} days, and none after."
        )


def test_time_folds_gap_does_not_depend_on_volume(exercise, sales):
    """the same gap_days leaves out the same days when every sale is listed twice"""
    doubled = pd.concat([sales, sales])
    folds = folds_of(exercise.time_folds(doubled, n_splits=4, gap_days=GAP_DAYS), len(doubled))
    dates = doubled["sale_date"].to_numpy()
    for k, (train, test) in enumerate(folds):
        days = (dates[test].min() - dates[train].max()) / np.timedelta64(1, "D")
        assert days > GAP_DAYS, (
            f"With twice as many sales, fold {k} trains up to {days:.0f} days before its "
            f"first test sale; gap_days={GAP_DAYS} must leave {GAP_DAYS} whole days out, "
            "however many sales they hold."
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


@pytest.fixture(scope="module")
def time_card(exercise, sales):
    """The learner's time-and-card folds of the check's sales, seed 5."""
    result = exercise.time_card_folds(sales, CUTOFFS, share=SHARE, gap_days=GAP_DAYS, seed=5)
    folds = folds_of(result, len(sales))
    assert len(folds) == len(CUTOFFS), (
        f"time_card_folds with {len(CUTOFFS)} cutoffs returned {len(folds)} folds; expected "
        "one per cutoff, in order."
    )
    return folds


def windows() -> list[tuple[pd.Timestamp, pd.Timestamp | None]]:
    starts = [pd.Timestamp(c) for c in CUTOFFS]
    return list(zip(starts, [*starts[1:], None], strict=True))


def settled_before(start: pd.Timestamp) -> np.datetime64:
    return np.datetime64(start - pd.Timedelta(days=GAP_DAYS))


def test_time_card_folds_keep_each_card_on_one_side(sales, time_card):
    """no card is on both sides of a time-and-card fold (rejects a time-only cut)"""
    cards = sales["card_id"].to_numpy()
    for k, (train, test) in enumerate(time_card):
        assert train.size and test.size, f"Fold {k} has an empty training or test part."
        shared = set(cards[train]) & set(cards[test])
        assert not shared, (
            f"Fold {k} has {len(shared)} cards (e.g. {sorted(shared)[0]}) in both its training "
            "and its test sales: it scores the model on cards it has seen sold. Hold a share "
            "of the cards out of training and test on those cards only."
        )


def test_time_card_folds_cut_by_cutoff_and_gap(sales, time_card):
    """each fold trains before its cutoff minus gap_days and tests its window up to the next"""
    dates = sales["sale_date"].to_numpy()
    for k, ((train, test), (start, end)) in enumerate(zip(time_card, windows(), strict=True)):
        settled = start - pd.Timedelta(days=GAP_DAYS)
        last = pd.Timestamp(dates[train].max())
        assert last < settled, (
            f"Fold {k} (cutoff {start:%Y-%m-%d}) trains on a sale of {last:%Y-%m-%d}; with "
            f"gap_days={GAP_DAYS} its training sales must be dated before {settled:%Y-%m-%d} "
            "(the cutoff minus the settlement window, in days)."
        )
        first, final = pd.Timestamp(dates[test].min()), pd.Timestamp(dates[test].max())
        assert first >= start and (end is None or final < end), (
            f"Fold {k} tests sales from {first:%Y-%m-%d} to {final:%Y-%m-%d}; it should test "
            f"from its cutoff {start:%Y-%m-%d}"
            + (f" up to the next cutoff, {end:%Y-%m-%d} (excluded)." if end else " to the end.")
        )


def test_time_card_folds_keep_every_eligible_sale(sales, time_card):
    """each fold trains on every settled sale of the other cards, tests every window sale of its
    held-out cards, and holds out about `share` of the cards"""
    dates, cards = sales["sale_date"].to_numpy(), sales["card_id"].to_numpy()
    for k, ((train, test), (start, end)) in enumerate(zip(time_card, windows(), strict=True)):
        settled = dates < settled_before(start)
        window = dates >= np.datetime64(start)
        if end is not None:
            window &= dates < np.datetime64(end)
        tested = set(cards[test])
        held = tested | (set(cards[settled]) - set(cards[train]))
        visible = set(cards[settled | window])
        assert 0.6 * SHARE <= len(held) / len(visible) <= 1.4 * SHARE, (
            f"Fold {k} holds out {len(held)} of the {len(visible)} cards that sold before or "
            f"in its window; share={SHARE} holds out about {SHARE:.0%} of the cards."
        )
        want_test = np.flatnonzero(window & np.isin(cards, list(tested)))
        assert np.array_equal(np.sort(test), want_test), (
            f"Fold {k} leaves out {len(want_test) - len(test)} sales of its held-out cards "
            "dated in its window: test on all of them."
        )
        want_train = np.flatnonzero(settled & ~np.isin(cards, list(held)))
        assert np.array_equal(np.sort(train), want_train), (
            f"Fold {k} trains on {len(train)} sales; the other cards have {len(want_train)} "
            "sales dated before the cutoff minus the gap: train on all of them."
        )


def test_time_card_folds_draw_cards_with_the_seed(exercise, sales, time_card):
    """the seed picks the held-out cards, a new draw per fold; the same seed, the same folds"""
    cards = sales["card_id"].to_numpy()
    again = folds_of(
        exercise.time_card_folds(sales, CUTOFFS, share=SHARE, gap_days=GAP_DAYS, seed=5),
        len(sales),
    )
    same = all(
        np.array_equal(np.sort(a), np.sort(b))
        for fold, other in zip(time_card, again, strict=True)
        for a, b in zip(fold, other, strict=True)
    )
    assert same, "time_card_folds(seed=5) gave different folds on a second call: use the seed."
    dates = sales["sale_date"].to_numpy()
    tested = [frozenset(cards[test]) for _, test in time_card]
    held = [
        tested[k] | (set(cards[dates < settled_before(start)]) - set(cards[train]))
        for k, ((train, _), (start, _)) in enumerate(zip(time_card, windows(), strict=True))
    ]
    overlap = len(held[0] & held[1]) / min(len(held[0]), len(held[1]))
    assert overlap < 0.8, (
        f"Folds 0 and 1 hold out mostly the same cards ({overlap:.0%} of them): draw each "
        "fold's held-out cards anew (one generator for all folds, one draw per fold), so the "
        "folds test different cards."
    )
    others = [
        folds_of(
            exercise.time_card_folds(sales, CUTOFFS, share=SHARE, gap_days=GAP_DAYS, seed=s),
            len(sales),
        )
        for s in (6, 7)
    ]
    assert any(frozenset(cards[o[0][1]]) != tested[0] for o in others), (
        "time_card_folds held out the same cards with seeds 5, 6 and 7: the draw ignores its "
        "seed. Use np.random.default_rng(seed)."
    )


class _ReadyMade(Exception):
    """Raised by the stand-ins for mlings.folds while the learner's time_card_folds runs."""


def test_time_card_folds_are_cut_here(exercise, sales, monkeypatch):
    """time_card_folds cuts its folds itself (rejects handing over to mlings.folds)"""
    from mlings import folds as ready

    message = (
        "time_card_folds hands the work to mlings.folds, the ready-made folds the rest of "
        "module 3 uses. This exercise is where you cut them yourself: draw each fold's cards "
        "and pick its training and test sales with the dates, as the docstring says."
    )
    answers = {id(ready), id(ready.time_card_folds), id(ready.TimeCardSplit)}
    imported = [name for name in dir(exercise) if id(getattr(exercise, name, None)) in answers]
    assert not imported, f"{message} (Your file imports it as {imported[0]!r}.)"

    def ready_made(*args, **kwargs):
        raise _ReadyMade

    monkeypatch.setattr(ready, "time_card_folds", ready_made)
    monkeypatch.setattr(ready, "TimeCardSplit", ready_made)
    try:
        exercise.time_card_folds(sales, CUTOFFS, share=SHARE, gap_days=GAP_DAYS, seed=5)
    except _ReadyMade:
        raise AssertionError(message) from None
