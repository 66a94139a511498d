"""Checks for 08_capstone/features (capstone_features, 15 points): past-only features.

Sales are generated at grading time with the grade's seed (MLINGS_GRADE_SEED): a dense history
(few cards, many sales each) for the leakage checks, and held-out sales of 2025 for the rows a
model never saw.
"""

import functools
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted

from mlings.dataset import heldout_sales, make_cards, make_sales

SEED = int(os.environ.get("MLINGS_GRADE_SEED", "0"))
UNSEEN = "Never Seen Before"


@functools.cache
def _catalog(root: str) -> pd.DataFrame:
    """The course's catalog: data/cards.csv, or make_cards() (the same catalog, built slower)."""
    path = Path(root) / "data" / "cards.csv"
    return pd.read_csv(path, parse_dates=["release_date"]) if path.is_file() else make_cards()


@functools.cache
def _dense(root: str) -> pd.DataFrame:
    """Sales of 120 cards, ten or so each, shuffled, indexed by labels that are not positions."""
    catalog = _catalog(root)
    pick = np.random.default_rng([SEED, 84]).choice(len(catalog), 120, replace=False)
    cards = catalog.iloc[np.sort(pick)].reset_index(drop=True)
    sales = make_sales(cards, [SEED, 85], 1200, "2016-01-01", "2024-12-31")
    sales = sales.sample(frac=1.0, random_state=SEED)
    return sales.set_axis(np.arange(len(sales)) * 7 + 1001)


@functools.cache
def _history(root: str) -> pd.DataFrame:
    """Sales of the whole catalog, 2016 to 2024."""
    return make_sales(_catalog(root), [SEED, 86], 1500, "2016-01-01", "2024-12-31")


@functools.cache
def _heldout() -> pd.DataFrame:
    """Sales of 2025 the model never saw (new sets among them), without their prices."""
    return heldout_sales(SEED, 400).drop(columns="price_usd").set_axis(np.arange(400) + 70_000)


def _names(exercise) -> list[str]:
    names = exercise.FEATURES
    assert isinstance(names, list | tuple) and all(isinstance(n, str) for n in names), (
        f"FEATURES is {names!r}; it is the list of the names of your engineered columns."
    )
    return list(names)


def _features(exercise, sales: pd.DataFrame, cards: pd.DataFrame) -> pd.DataFrame:
    """build_features' FEATURES columns, after checking they line up with the sales."""
    got = exercise.build_features(sales.copy(), cards.copy())
    assert isinstance(got, pd.DataFrame), (
        f"build_features returned {type(got).__name__}; expected a DataFrame of features."
    )
    names = _names(exercise)
    absent = [n for n in names if n not in got.columns]
    assert not absent, f"build_features' result has no column {absent} named in FEATURES."
    assert len(got) == len(sales), (
        f"build_features returned {len(got)} rows for {len(sales)} sales: one row per sale."
    )
    assert got.index.equals(sales.index), (
        "build_features' rows do not carry the sales' index, in the sales' order. Compute on a "
        "sorted copy if you need to, then put the rows back in the order given, with the "
        "index given (assign by index, or undo the sort by position)."
    )
    return got[names]


def _same(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Element-wise equality, NaN equal to NaN, numbers to floating-point precision."""
    if pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b):
        x, y = a.to_numpy(dtype=float), b.to_numpy(dtype=float)
        return np.isclose(x, y, rtol=1e-9, atol=1e-12) | (np.isnan(x) & np.isnan(y))
    x, y = a.astype(object).to_numpy(), b.astype(object).to_numpy()
    return (x == y) | (pd.isna(a).to_numpy() & pd.isna(b).to_numpy())


def _changes(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """A boolean frame: which feature of which row changed."""
    return pd.DataFrame(
        {c: ~_same(before[c], after[c]) for c in before.columns}, index=before.index
    )


def _which(changed: pd.DataFrame, rows) -> str:
    """The features that changed on these rows."""
    columns = changed.loc[rows].any()
    return ", ".join(columns.index[columns])


@pytest.mark.points(1.5)
def test_five_engineered_features(exercise, course_root):
    """FEATURES names at least 5 engineered columns (not copies of a sales column)"""
    names = _names(exercise)
    assert len(set(names)) == len(names), f"FEATURES names a column twice: {names}."
    assert len(names) >= 5, f"FEATURES names {len(names)} columns; engineer at least 5."
    sales = _dense(str(course_root))
    features = _features(exercise, sales, _catalog(str(course_root)))
    copies = [
        name
        for name in names
        if any(_same(features[name], sales[column]).all() for column in sales.columns)
    ]
    engineered = len(names) - len(copies)
    assert engineered >= 5, (
        f"Only {engineered} of FEATURES are engineered: {copies} are copies of columns of the "
        "sales. Keep them if they help, and add features a collector knows: the card's age at "
        "the sale, a secret rare, the grade as a number, what the card sold for before."
    )


@pytest.mark.points(1.5)
def test_rows_line_up_with_sales(exercise, course_root):
    """build_features keeps each sale's index and order, whatever order the sales come in"""
    root = str(course_root)
    sales, cards = _dense(root), _catalog(root)
    shuffled = _features(exercise, sales, cards)
    ordered = sales.sort_values(["sale_date", "listing_id"])
    in_order = _features(exercise, ordered, cards).loc[sales.index]
    changes = _changes(in_order, shuffled)
    changed = changes.any(axis=1)
    if not changed.any():
        return
    same_day = sales["sale_date"].duplicated(keep=False)
    if same_day[changed].all():  # only sales that share their day with another differ
        raise AssertionError(
            f"The same sales given in another order got other features on {changed.sum()} "
            f"rows ({_which(changes, changed)}), all of them sold on the same day as another "
            "sale: which of them came first depended on the order they were given in. Sort "
            "by sale_date, then listing_id: same-day sales are ordered by listing id (an "
            "earlier sale is an earlier day, or the same day and a smaller listing_id)."
        )
    raise AssertionError(
        f"The same sales given in another order got other features on {changed.sum()} rows "
        f"({_which(changes, changed)}). Each row's features must belong to that sale: sort "
        "a copy by time to compute, then line results up by index (a plain .to_numpy() or "
        ".values on sorted results puts them on the wrong rows)."
    )


@pytest.mark.points(2)
def test_own_price_never_enters(exercise, course_root):
    """a sale's own price changes none of its features (rejects an expanding mean with the row)"""
    root = str(course_root)
    sales, cards = _dense(root), _catalog(root)
    base = _features(exercise, sales, cards)
    earlier_sales = sales.groupby("card_id")["sale_date"].rank(method="first") > 3
    rows = sales.index[earlier_sales & sales["sale_date"].gt("2018-01-01")]
    for row in np.random.default_rng(SEED).choice(rows, 5, replace=False):
        edited = sales.copy()
        edited.loc[row, "price_usd"] = edited.loc[row, "price_usd"] * 37.0 + 500.0
        changed = _changes(base, _features(exercise, edited, cards))
        assert not changed.loc[row].any(), (
            f"Changing the price of sale {row} changed its own features "
            f"({_which(changed, [row])}). When a card is listed, its price is what the model "
            "must predict: never use the row's price (shift before an expanding mean, or "
            "subtract the row from a cumulative sum)."
        )
        earlier = sales.index[sales["sale_date"] < sales.loc[row, "sale_date"]]
        moved = changed.loc[earlier].any(axis=1)
        assert not moved.any(), (
            f"Changing the price of sale {row} changed the features of {moved.sum()} EARLIER "
            f"sales ({_which(changed, earlier[moved])}): a statistic over all the rows (a "
            "groupby().transform('mean')) uses sales that had not happened yet."
        )


@pytest.mark.points(3)
def test_later_sales_never_enter(exercise, course_root):
    """later sales (their prices, or whether they happened) change no earlier sale's features"""
    root = str(course_root)
    sales, cards = _dense(root), _catalog(root)
    base = _features(exercise, sales, cards)
    rng = np.random.default_rng(SEED + 1)
    for cutoff in ("2019-06-30", "2022-03-15"):
        later = sales["sale_date"] > cutoff
        edited = sales.copy()
        edited.loc[later, "price_usd"] *= rng.uniform(0.05, 20.0, size=later.sum())
        changed = _changes(base, _features(exercise, edited, cards))
        moved = changed.loc[~later].any(axis=1)
        assert not moved.any(), (
            f"Changing the prices of the sales after {cutoff} changed the features of "
            f"{moved.sum()} sales on or before it ({_which(changed.loc[~later], moved)}). A "
            "feature may use earlier sales only: a groupby().transform('mean') or a "
            "centred/forward window reads the future."
        )
        early = sales[~later]
        alone = _features(exercise, early, cards)
        changed = _changes(base.loc[early.index], alone)
        moved = changed.any(axis=1)
        assert not moved.any(), (
            f"Removing the sales after {cutoff} changed the features of {moved.sum()} earlier "
            f"sales ({_which(changed, moved)}). Counts, ranks or scales over the whole frame "
            "(all sales of the card, the frame's mean) use sales that had not happened yet."
        )


@pytest.mark.points(1.5)
def test_uses_earlier_prices(exercise, course_root):
    """at least one feature uses the prices of earlier sales (what the card sold for before)"""
    root = str(course_root)
    sales, cards = _dense(root), _catalog(root)
    base = _features(exercise, sales, cards)
    edited = sales.copy()
    edited["price_usd"] *= np.random.default_rng(SEED + 2).uniform(0.1, 10.0, size=len(sales))
    changed = _changes(base, _features(exercise, edited, cards)).any(axis=1)
    first_day = sales.groupby("card_id")["sale_date"].transform("min")
    seen = sales["sale_date"] > first_day  # the card sold on an earlier day
    share = changed[seen].mean()
    assert share >= 0.2, (
        f"Changing every sale's price changed the features of {share:.0%} of the sales whose "
        "card had sold before. The best hint to a price is what the same card (or Pokémon, "
        "or set) sold for before: add a past-only price feature, e.g. the mean log price of "
        "the card's earlier sales."
    )


@pytest.mark.points(1)
def test_uses_the_catalog(exercise, course_root):
    """at least one feature comes from the card catalog given (release date, number, hp...)"""
    root = str(course_root)
    sales, cards = _dense(root), _catalog(root)
    base = _features(exercise, sales, cards)
    edited = cards.copy()
    edited["release_date"] = pd.to_datetime(edited["release_date"]) - pd.Timedelta(days=800)
    edited["printed_total"] = edited["number"] - 1  # every card a secret rare
    edited["hp"] = edited["hp"] + 70
    for column in ("set_code", "series", "pokemon", "name"):
        edited[column] = edited[column] + " (edited)"
    changed = _changes(base, _features(exercise, sales, edited)).any(axis=1)
    assert changed.mean() >= 0.5, (
        f"Changing the catalog (release dates, printed totals, hp, set codes, Pokémon) "
        f"changed the features of {changed.mean():.0%} of the sales. Use the cards you are "
        "given (not a file read inside build_features): join them on card_id for the card's "
        "age at the sale, a secret-rare flag, its era."
    )


@pytest.mark.points(1.5)
def test_works_on_unseen_2025_sales(exercise, course_root):
    """build_features works on 2025 sales the model never saw, without their prices"""
    root = str(course_root)
    cards, heldout = _catalog(root), _heldout()
    alone = _features(exercise, heldout, cards)
    history = _history(root)
    both = pd.concat([history.set_axis(np.arange(len(history))), heldout])
    after = _features(exercise, both, cards).loc[heldout.index]
    for name, frame in (("alone", alone), ("after the history", after)):
        numbers = frame.select_dtypes("number").to_numpy(dtype=float)
        assert not np.isinf(numbers).any(), (
            f"build_features gave infinite values on 2025 sales without prices ({name}): a "
            "division by a count of 0, or the log of a missing price. Leave NaN instead."
        )


@pytest.mark.points(1)
def test_preprocessor_is_new_and_unfitted(exercise):
    """make_preprocessor returns a new, unfitted scikit-learn transformer each call"""
    first, second = exercise.make_preprocessor(), exercise.make_preprocessor()
    for method in ("fit", "transform", "get_params"):
        assert hasattr(first, method), (
            f"make_preprocessor returned {type(first).__name__}, which has no {method}: "
            "return a scikit-learn transformer (a ColumnTransformer or a Pipeline)."
        )
    try:
        check_is_fitted(first)
    except NotFittedError:
        pass
    else:
        pytest.fail(
            "make_preprocessor returned a fitted transformer. Fit it later, on the training "
            "rows only: fitted on everything, it learns from the rows it will be tested on."
        )
    assert first is not second, (
        "make_preprocessor returned the same object twice: build a new one in each call, or "
        "two models would share (and refit) one preprocessor."
    )
    try:
        clone(first)
    except Exception as exc:  # the learner's object: any failure is theirs
        raise AssertionError(
            f"sklearn.base.clone cannot copy your preprocessor ({type(exc).__name__}: {exc}); "
            "cross-validation clones it for every fold. Build it from scikit-learn parts."
        ) from None


@pytest.mark.points(2)
def test_preprocessor_fits_train_and_takes_any_row(exercise, course_root):
    """fitted on train, the preprocessor turns unseen categories and holes into finite numbers"""
    root = str(course_root)
    cards, heldout, history = _catalog(root), _heldout(), _history(root)
    train = _features(exercise, history, cards)
    test = _features(exercise, pd.concat([history, heldout]), cards).loc[heldout.index].copy()
    rng = np.random.default_rng(SEED)
    for column in test.columns:  # a category nobody saw, and holes, in every column
        rows = test.index[rng.choice(len(test), 12, replace=False)]
        if pd.api.types.is_float_dtype(test[column]):
            test.loc[rows[:6], column] = np.nan
        elif not pd.api.types.is_numeric_dtype(test[column]):
            test[column] = test[column].astype(object)
            test.loc[rows[:6], column] = UNSEEN
            test.loc[rows[6:], column] = np.nan
    preprocessor = exercise.make_preprocessor()
    preprocessor.fit(train.copy())
    try:
        out = preprocessor.transform(test.copy())
    except Exception as exc:  # the learner's object: any failure is theirs
        raise AssertionError(
            f"The preprocessor fitted on training rows failed on new rows with a category it "
            f"never saw ({UNSEEN!r}) or a missing value: {type(exc).__name__}: "
            f"{str(exc)[:300]}. OneHotEncoder(handle_unknown='ignore') and a SimpleImputer "
            "before each encoder and scaler take any row."
        ) from None
    values = out.toarray() if hasattr(out, "toarray") else out
    try:
        values = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        pytest.fail(
            "The preprocessor's output is not all numbers: encode every text column "
            "(OneHotEncoder) and pass no column through untouched."
        )
    assert values.ndim == 2 and len(values) == len(test), (
        f"The preprocessor turned {len(test)} rows into an array of shape {values.shape}."
    )
    assert np.isfinite(values).all(), (
        f"The preprocessor left {(~np.isfinite(values)).sum()} missing or infinite values in "
        "new rows: impute every numeric column (SimpleImputer) before scaling; models need "
        "numbers everywhere."
    )
    refit = exercise.make_preprocessor().fit(train.iloc[: len(train) // 3].copy())
    again = refit.transform(test.copy())
    again = np.asarray(again.toarray() if hasattr(again, "toarray") else again, dtype=float)
    assert again.shape != values.shape or not np.allclose(again, values), (
        "Fitted on other training rows, the preprocessor transforms new rows exactly the "
        "same: it learns nothing from the rows it is fitted on (no imputed medians, no "
        "scaling, no known categories). Fit its steps in fit, not in make_preprocessor."
    )
