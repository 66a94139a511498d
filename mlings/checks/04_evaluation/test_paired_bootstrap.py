"""Checks for 04_evaluation/05_paired_bootstrap: a paired bootstrap interval of an MAE gap,
resampling sales or, given card ids, whole cards."""

import functools
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import make_column_transformer
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

from mlings.dataset import make_cards, make_sales

N_RESAMPLES = 2000


def _features(sales: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rarity": sales["rarity"],
            "variant": sales["variant"],
            "condition": sales["condition"].fillna("graded"),
            "psa_grade": sales["psa_grade"].fillna(0.0),
        },
        index=sales.index,
    )


def _ridge(train: pd.DataFrame, columns: list[str]):
    categories = [c for c in columns if c != "psa_grade"]
    encode = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore"), categories), remainder="passthrough"
    )
    model = make_pipeline(encode, Ridge(alpha=1.0))
    return model.fit(_features(train)[columns], np.log1p(train["price_usd"]))


@functools.cache
def _case() -> dict[str, np.ndarray]:
    """Later PokéMarket sales priced by one global median, per-rarity medians and two Ridges."""
    sales = make_sales(make_cards(n=400), seed=7, n=1000, start="2019-01-01", end="2023-12-31")
    train, test = sales.iloc[:600], sales.iloc[600:]
    rarity_only = _ridge(train, ["rarity"])
    full = _ridge(train, ["rarity", "variant", "condition", "psa_grade"])
    medians = train.groupby("rarity")["price_usd"].median()
    X = _features(test)
    return {
        "actual": test["price_usd"].to_numpy(),
        "global_median": np.full(len(test), train["price_usd"].median()),
        "median": test["rarity"].map(medians).fillna(train["price_usd"].median()).to_numpy(),
        "rarity_ridge": np.clip(np.expm1(rarity_only.predict(X[["rarity"]])), 0.0, None),
        "full_ridge": np.clip(np.expm1(full.predict(X)), 0.0, None),
    }


def _errors(actual, predicted) -> np.ndarray:
    return np.abs(np.asarray(actual, dtype=float) - np.asarray(predicted, dtype=float))


@functools.cache
def _reference(a: str, b: str, confidence: float) -> tuple[float, float]:
    """The check's own paired percentile interval, with many resamples."""
    case = _case()
    gap = _errors(case["actual"], case[a]) - _errors(case["actual"], case[b])
    rows = np.random.default_rng(12345).integers(0, len(gap), size=(10_000, len(gap)))
    means = gap[rows].mean(axis=1)
    tail = (1 - confidence) / 2
    return float(np.quantile(means, tail)), float(np.quantile(means, 1 - tail))


@functools.cache
def _clustered() -> dict[str, np.ndarray]:
    """Sales of 80 cards, each sold a different number of times, in no order; each model
    misjudges a card by the same factor on every sale of it, so a card's sales move together."""
    rng = np.random.default_rng(11)
    n_cards = 80
    going_price = rng.lognormal(3.0, 1.2, size=n_cards)
    card = np.repeat(np.arange(n_cards), rng.geometric(0.12, size=n_cards))
    rng.shuffle(card)
    n = len(card)
    actual = going_price[card] * rng.lognormal(0.0, 0.15, size=n)
    rule = going_price[card] * rng.lognormal(0.0, 0.45, size=n_cards)[card]
    model = going_price[card] * rng.lognormal(0.0, 0.35, size=n_cards)[card]
    ids = np.array([f"sv{k % 7}-{k:03d}" for k in range(n_cards)])[card]
    return {
        "actual": actual,
        "rule": rule * rng.lognormal(0.0, 0.05, size=n),
        "model": model * rng.lognormal(0.0, 0.05, size=n),
        "card_id": ids,
    }


@functools.cache
def _reference_by(unit: str, confidence: float = 0.95) -> tuple[float, float]:
    """The check's own interval on the clustered sales, drawing sales or cards, many times."""
    case = _clustered()
    gap = _errors(case["actual"], case["rule"]) - _errors(case["actual"], case["model"])
    if unit == "sale":
        index = np.arange(len(gap))
    else:
        _, index = np.unique(case["card_id"], return_inverse=True)
    gap_sum, n_sales = np.bincount(index, weights=gap), np.bincount(index)
    picks = np.random.default_rng(12345).integers(0, len(gap_sum), size=(10_000, len(gap_sum)))
    means = gap_sum[picks].sum(axis=1) / n_sales[picks].sum(axis=1)
    tail = (1 - confidence) / 2
    return float(np.quantile(means, tail)), float(np.quantile(means, 1 - tail))


def _interval(exercise, actual, a, b, **options) -> tuple[float, float]:
    options = {"n_resamples": N_RESAMPLES, "confidence": 0.95, "seed": 0, **options}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = exercise.paired_bootstrap_ci(actual, a, b, **options)
    try:
        low, high = (float(v) for v in got)
    except (TypeError, ValueError):
        raise AssertionError(
            f"paired_bootstrap_ci returned {got!r}; expected a (low, high) pair of numbers."
        ) from None
    assert not (math.isnan(low) or math.isnan(high)), (
        f"paired_bootstrap_ci returned ({low}, {high}). NaN usually comes from scipy's default "
        "BCa method when every resample gives the same difference: use method='percentile'."
    )
    assert low <= high, f"paired_bootstrap_ci returned ({low}, {high}): low is above high."
    for warning in caught:  # not ours to swallow: pass them on
        warnings.warn_explicit(
            warning.message, warning.category, warning.filename, warning.lineno or 0
        )
    return low, high


def test_mae_difference(exercise):
    """mae_difference is MAE(A) - MAE(B), positive when B is better (rejects B - A)"""
    case = _case()
    actual, a, b = case["actual"], case["median"], case["full_ridge"]
    expected = float(_errors(actual, a).mean() - _errors(actual, b).mean())
    got = float(exercise.mae_difference(actual, a, b))
    message = f"mae_difference gave {got!r}; MAE(A) - MAE(B) is {expected:.4f}."
    if got == pytest.approx(-expected):
        message += " That is MAE(B) - MAE(A): the sign tells which model wins, keep A first."
    assert got == pytest.approx(expected), message


def test_model_against_itself_gives_zero(exercise):
    """a model compared with itself gives exactly (0, 0) (rejects an unpaired bootstrap)"""
    case = _case()
    actual, a = case["actual"], case["rarity_ridge"]
    low, high = _interval(exercise, actual, a, a.copy())
    assert abs(low) < 1e-9 and abs(high) < 1e-9, (
        f"Comparing a model with itself gave the interval ({low:.2f}, {high:.2f}); the two "
        "models make exactly the same errors, so every paired resample gives a difference of "
        "0 and the interval is (0, 0). Yours resamples the two models' errors separately "
        "(unpaired): draw ONE set of row indices per resample and use it for both models."
    )


def test_perfect_predictor_against_itself(exercise):
    """a perfect predictor compared with itself gives (0, 0), not NaN"""
    actual = _case()["actual"]
    low, high = _interval(exercise, actual, actual.copy(), actual.copy())
    assert abs(low) < 1e-9 and abs(high) < 1e-9, (
        f"Two perfect predictors (zero error on every sale) gave ({low}, {high}); expected "
        "(0.0, 0.0)."
    )


def _close(got: tuple[float, float], want: tuple[float, float], tolerance: float) -> bool:
    return abs(got[0] - want[0]) <= tolerance and abs(got[1] - want[1]) <= tolerance


def test_interval_when_b_is_clearly_better(exercise):
    """the model against one price for every card: the interval a paired bootstrap gives"""
    _check_interval(exercise, "global_median", "full_ridge", "b_better")


def test_interval_when_neither_is_clearly_better(exercise):
    """the model against the per-rarity median: a paired interval (rejects unpaired: wider)"""
    _check_interval(exercise, "median", "full_ridge", "inconclusive")


def _check_interval(exercise, a, b, outcome):
    case = _case()
    got = _interval(exercise, case["actual"], case[a], case[b])
    want = _reference(a, b, 0.95)
    width = want[1] - want[0]
    message = (
        f"paired_bootstrap_ci gave ({got[0]:.2f}, {got[1]:.2f}) for MAE(A) - MAE(B) on "
        f"{len(case['actual'])} PokéMarket sales; a paired percentile bootstrap gives about "
        f"({want[0]:.2f}, {want[1]:.2f})."
    )
    if got[1] - got[0] > 1.5 * width:
        message += (
            " Yours is much wider: it resamples each model's errors separately. Pairing (the "
            "same rows for both models) removes the variation both models share."
        )
    elif _close(got, (-want[1], -want[0]), 0.1 * width):
        message += " Yours is the interval of MAE(B) - MAE(A): keep A first."
    elif got[1] - got[0] < 0.8 * width:
        message += (
            " Yours is too narrow: is it a 95% interval, from the 2.5th to 97.5th percentile?"
        )
    assert _close(got, want, 0.12 * width), message
    assert (want[0] > 0) == (outcome == "b_better")  # the check's own premise


def test_interval_uses_the_confidence_level(exercise):
    """a 50% interval is narrower than a 95% one (rejects a hard-coded 95%)"""
    case = _case()
    got = _interval(
        exercise, case["actual"], case["rarity_ridge"], case["full_ridge"], confidence=0.5
    )
    want = _reference("rarity_ridge", "full_ridge", 0.5)
    wide = _reference("rarity_ridge", "full_ridge", 0.95)
    assert _close(got, want, 0.12 * (wide[1] - wide[0])), (
        f"With confidence=0.5, paired_bootstrap_ci gave ({got[0]:.2f}, {got[1]:.2f}); expected "
        f"about ({want[0]:.2f}, {want[1]:.2f}), from the 25th to the 75th percentile of the "
        "resampled differences. Use the confidence argument."
    )


def test_interval_is_reproducible(exercise):
    """the same seed gives the same interval, another seed a slightly different one"""
    case = _case()
    args = (case["actual"], case["rarity_ridge"], case["full_ridge"])
    first = _interval(exercise, *args, seed=3)
    again = _interval(exercise, *args, seed=3)
    assert first == again, (
        f"Two calls with seed=3 gave {first} and {again}: seed the resampling with "
        "np.random.default_rng(seed), so a report can be re-run and give the same numbers."
    )
    other = _interval(exercise, *args, seed=4)
    assert other != first, (
        f"seed=3 and seed=4 gave the same interval {first}: use the seed argument to seed the "
        "resampling, not a fixed seed."
    )


def test_verdict(exercise):
    """verdict names a winner only when the whole interval is on one side of 0 (0 included)"""
    cases = [
        ((1.2, 8.5), "b_better"),
        ((-8.5, -1.2), "a_better"),
        ((-2.0, 3.0), "inconclusive"),
        ((0.0, 2.5), "inconclusive"),
        ((-2.5, 0.0), "inconclusive"),
        ((0.0, 0.0), "inconclusive"),
    ]
    for (low, high), expected in cases:
        got = exercise.verdict(low, high)
        assert got == expected, (
            f"verdict({low}, {high}) gave {got!r}; expected {expected!r}. The interval is of "
            "MAE(A) - MAE(B): above 0 means B's error is lower, and an interval that touches 0 "
            "(a model compared with itself gives (0, 0)) cannot rule out no difference."
        )


def test_interval_by_card(exercise):
    """with card ids, the interval counts each card's sales together (rejects drawing sales)"""
    case = _clustered()
    cards = pd.Series(case["card_id"], dtype="str")  # as read from a sales table
    got = _interval(exercise, case["actual"], case["rule"], case["model"], groups=cards)
    want = _reference_by("card")
    by_sale = _reference_by("sale")
    width = want[1] - want[0]
    message = (
        f"paired_bootstrap_ci(..., groups=card_ids) gave ({got[0]:.2f}, {got[1]:.2f}) on "
        f"{len(cards)} sales of {cards.nunique()} cards whose errors move together card by card; "
        f"drawing cards, each with all its sales, gives about ({want[0]:.2f}, {want[1]:.2f})."
    )
    if _close(got, by_sale, 0.12 * width):
        message += (
            " Yours is the interval of drawing sales one by one: with groups, draw cards (as "
            "many as there are distinct ids, with replacement) and take all the sales of each."
        )
    elif got[1] - got[0] < 0.8 * width:
        message += (
            " Yours is too narrow: draw as many cards as there are distinct ids, not as many "
            "as there are sales."
        )
    else:
        message += (
            " The statistic is MAE(A) - MAE(B) over all the sales drawn, so a card sold 20 "
            "times weighs 20 times a card sold once (not the mean of per-card averages)."
        )
    assert _close(got, want, 0.12 * width), message
    assert want[1] - want[0] > 2 * (by_sale[1] - by_sale[0])  # the check's own premise


def test_model_against_itself_by_card(exercise):
    """with card ids, a model compared with itself gives exactly (0, 0) (rejects unpaired)"""
    case = _clustered()
    low, high = _interval(
        exercise, case["actual"], case["rule"], case["rule"].copy(), groups=case["card_id"]
    )
    assert abs(low) < 1e-9 and abs(high) < 1e-9, (
        f"With card ids, comparing a model with itself gave ({low:.2f}, {high:.2f}); expected "
        "(0, 0). Draw one set of cards per resample and take both models' errors on the sales "
        "of those same cards."
    )


def test_interval_by_card_is_reproducible(exercise):
    """with card ids, the same seed gives the same interval, another seed another one"""
    case = _clustered()
    args = (case["actual"], case["rule"], case["model"])
    first = _interval(exercise, *args, groups=case["card_id"], seed=3)
    again = _interval(exercise, *args, groups=case["card_id"], seed=3)
    other = _interval(exercise, *args, groups=case["card_id"], seed=4)
    assert first == again, (
        f"Two calls with card ids and seed=3 gave {first} and {again}: draw the cards with "
        "np.random.default_rng(seed) too."
    )
    assert other != first, (
        f"seed=3 and seed=4 gave the same interval {first} with card ids: use the seed argument."
    )
