"""Checks for 04_evaluation/02_metrics_by_hand: MAE, RMSE, R², MAPE, precision and recall."""

import functools
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import (
    mean_absolute_error,
    mean_absolute_percentage_error,
    precision_score,
    r2_score,
    recall_score,
    root_mean_squared_error,
)

from mlings.dataset import make_cards, make_sales

FLOOR = 1.0  # MAPE_FLOOR_USD


@functools.cache
def _prices() -> tuple[np.ndarray, np.ndarray]:
    """Sale prices of PokéMarket cards, and a per-rarity median rule's predictions of them."""
    sales = make_sales(make_cards(n=300), seed=4, n=400, start="2021-01-01", end="2023-12-31")
    earlier, later = sales.iloc[:200], sales.iloc[200:]
    medians = earlier.groupby("rarity")["price_usd"].median()
    predicted = later["rarity"].map(medians).fillna(earlier["price_usd"].median())
    return later["price_usd"].to_numpy(), predicted.to_numpy()


def _value(function, *args) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            got = function(*args)
        except Warning as warning:
            raise AssertionError(
                f"{function.__name__} raised a warning: {type(warning).__name__}: {warning}. "
                "Guard the zero denominators instead of dividing by zero."
            ) from None
    try:
        return float(got)
    except (TypeError, ValueError):
        raise AssertionError(
            f"{function.__name__} returned {got!r}; expected one number (a float)."
        ) from None


def test_mae_matches_sklearn(exercise):
    """mae equals scikit-learn's mean_absolute_error (rejects the mean of signed errors)"""
    actual, predicted = _prices()
    expected = mean_absolute_error(actual, predicted)
    got = _value(exercise.mae, actual, predicted)
    message = f"mae gave {got!r} on PokéMarket sales; mean_absolute_error gives {expected:.6f}."
    if got == pytest.approx(abs(float(np.mean(actual - predicted)))):
        message += " That is the mean of the signed errors: over- and under-pricing cancel out."
    assert got == pytest.approx(expected), message
    series = pd.Series(actual, index=np.arange(len(actual))[::-1])
    got = _value(exercise.mae, series, pd.Series(predicted, index=series.index))
    assert got == pytest.approx(expected), (
        f"mae gave {got!r} for the same prices given as pandas Series; expected {expected:.6f}."
    )


def test_rmse_matches_sklearn(exercise):
    """rmse equals root_mean_squared_error (rejects the MSE and the mean of absolute errors)"""
    actual, predicted = _prices()
    expected = root_mean_squared_error(actual, predicted)
    got = _value(exercise.rmse, actual, predicted)
    message = (
        f"rmse gave {got!r} on PokéMarket sales; root_mean_squared_error gives {expected:.6f}."
    )
    if got == pytest.approx(expected**2):
        message += " That is the mean squared error: take its square root, back to dollars."
    elif got == pytest.approx(mean_absolute_error(actual, predicted)):
        message += " That is the MAE: square the errors, average, then take the root."
    elif got == pytest.approx(math.sqrt(float(np.sum((actual - predicted) ** 2)))):
        message += " That is the root of the SUM of squared errors; take the mean first."
    assert got == pytest.approx(expected), message


def test_r2_matches_sklearn_in_argument_order(exercise):
    """r2(actual, predicted) equals r2_score(y_true, y_pred) (rejects swapped arguments)"""
    actual, predicted = _prices()
    expected, swapped = r2_score(actual, predicted), r2_score(predicted, actual)
    assert abs(expected - swapped) > 0.05  # the check's own premise: the order matters here
    got = _value(exercise.r2, actual, predicted)
    message = f"r2 gave {got!r}; r2_score(actual, predicted) gives {expected:.6f}."
    if got == pytest.approx(swapped):
        message += (
            f" {swapped:.6f} is r2_score(predicted, actual): the arguments are swapped. R² "
            "compares the errors with how much the ACTUAL prices vary around THEIR mean."
        )
    assert got == pytest.approx(expected), message


def test_r2_is_not_a_squared_correlation(exercise):
    """r2 can be negative and punishes bias (rejects the squared correlation and clipping at 0)"""
    actual, _ = _prices()
    biased = 0.5 * actual + 3.0  # perfectly correlated, but wrong by half
    expected = r2_score(actual, biased)
    got = _value(exercise.r2, actual, biased)
    message = f"r2 gave {got!r} for predictions of half the price plus $3; expected {expected:.6f}."
    if got == pytest.approx(1.0):
        message += (
            " That is the squared correlation: these predictions move with the prices but are "
            "wrong by half. R² is 1 - SS_res / SS_tot and counts every error."
        )
    assert got == pytest.approx(expected), message
    awful = np.full_like(actual, actual.mean() + 500.0)
    expected = r2_score(actual, awful)
    got = _value(exercise.r2, actual, awful)
    assert got == pytest.approx(expected), (
        f"r2 gave {got!r} for a constant prediction $500 above the mean price; expected "
        f"{expected:.6f}. A model worse than predicting the mean has a negative R²: don't clip "
        "it at 0."
    )


def test_mape_matches_sklearn_on_real_prices(exercise):
    """mape equals mean_absolute_percentage_error on sales of $1 and more, as a fraction"""
    actual, predicted = _prices()
    keep = actual >= FLOOR
    actual, predicted = actual[keep], predicted[keep]
    expected = mean_absolute_percentage_error(actual, predicted)
    got = _value(exercise.mape, actual, predicted)
    message = f"mape gave {got!r}; mean_absolute_percentage_error gives {expected:.6f}."
    if got == pytest.approx(100 * expected):
        message += " That is a percentage; return a fraction (0.25 for 25%), like scikit-learn."
    elif got == pytest.approx(float(np.mean(np.abs(actual - predicted) / predicted))):
        message += " That divides by the predicted price; divide by the actual one."
    assert got == pytest.approx(expected), message


def test_mape_survives_zero_dollar_sales(exercise):
    """mape stays finite on $0 sales, with the max(|actual|, $1) guard (rejects no guard)"""
    actual = np.array([0.0, 0.0, 0.25, 4.0, 12.0, 80.0])
    predicted = np.array([0.5, 0.2, 0.5, 5.0, 9.0, 100.0])
    expected = float(np.mean(np.abs(actual - predicted) / np.maximum(actual, FLOOR)))
    got = _value(exercise.mape, actual, predicted)
    assert math.isfinite(got) and got < 10, (
        f"mape gave {got!r} on sales that include two $0 promo giveaways. Dividing by a $0 "
        "price blows MAPE up; divide each error by max(|actual|, MAPE_FLOOR_USD) instead."
    )
    message = f"mape gave {got!r} on sales that include two $0 giveaways; expected {expected:.6f}."
    kept = actual > 0
    dropped = float(np.mean(np.abs(actual - predicted)[kept] / actual[kept]))
    if got == pytest.approx(dropped):
        message += " That leaves the $0 sales out; keep every sale and divide by max(|actual|, $1)."
    elif got == pytest.approx(100 * expected):
        message += " That is a percentage; return a fraction (0.25 for 25%), like scikit-learn."
    assert got == pytest.approx(expected), message


def _flags() -> tuple[np.ndarray, np.ndarray]:
    actual, predicted = _prices()
    return actual >= 50.0, predicted >= 20.0


def test_precision_and_recall_match_sklearn(exercise):
    """precision and recall equal scikit-learn's (rejects the two swapped)"""
    actual, flagged = _flags()
    want_p, want_r = precision_score(actual, flagged), recall_score(actual, flagged)
    assert abs(want_p - want_r) > 0.05  # the check's own premise: they differ here
    got_p = _value(exercise.precision, actual, flagged)
    got_r = _value(exercise.recall, actual, flagged)
    swapped = got_p == pytest.approx(want_r) and got_r == pytest.approx(want_p)
    hint = (
        " Precision and recall are swapped: precision divides by the FLAGGED items, recall by "
        "the ACTUAL positives."
        if swapped
        else ""
    )
    assert got_p == pytest.approx(want_p), (
        f"precision gave {got_p!r} for a $20 flag of $50 cards; precision_score gives "
        f"{want_p:.6f}.{hint}"
    )
    assert got_r == pytest.approx(want_r), (
        f"recall gave {got_r!r} for a $20 flag of $50 cards; recall_score gives {want_r:.6f}.{hint}"
    )
    as_ints = _value(exercise.precision, actual.astype(int).tolist(), flagged.astype(int).tolist())
    assert as_ints == pytest.approx(want_p), (
        f"precision gave {as_ints!r} for the same flags as lists of 0/1; expected {want_p:.6f}."
    )


def test_precision_and_recall_with_nothing_to_count(exercise):
    """precision with nothing flagged and recall with no positives are 0.0, without a warning"""
    actual = np.array([False, True, False, True])
    nothing = np.zeros(4, dtype=bool)
    got = _value(exercise.precision, actual, nothing)
    assert got == 0.0, (
        f"precision gave {got!r} when nothing was flagged; return 0.0 (scikit-learn's "
        "zero_division=0.0), not NaN."
    )
    got = _value(exercise.recall, nothing, actual)
    assert got == 0.0, (
        f"recall gave {got!r} when there are no actual positives; return 0.0, not NaN."
    )
