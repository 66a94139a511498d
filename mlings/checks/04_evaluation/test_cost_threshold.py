"""Checks for 04_evaluation/07_cost_threshold: the cheapest threshold, chosen on validation."""

import functools

import numpy as np
import pandas as pd
import pytest
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

from mlings.dataset import make_cards, make_sales

C_FP, C_FN = 4.0, 16.0


def _cost(p, y, threshold, cost_fp, cost_fn) -> float:
    flagged = np.asarray(p) >= threshold
    y = np.asarray(y, dtype=bool)
    return float(cost_fp * np.sum(flagged & ~y) + cost_fn * np.sum(~flagged & y))


def _cheapest(p, y, cost_fp, cost_fn) -> float:
    return min(_cost(p, y, t, cost_fp, cost_fn) for t in np.unique(p))


@functools.cache
def _calibrated(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Calibrated probabilities: each listing is premium with exactly its probability."""
    rng = np.random.default_rng(seed)
    p = np.round(rng.beta(0.9, 1.6, size=20_000), 2)
    return p, rng.random(20_000) < p


@functools.cache
def _flag_probabilities() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The calibrated PokéMarket premium flag's probabilities on validation and test sales."""
    sales = make_sales(make_cards(n=500), seed=8, n=2400, start="2017-01-01", end="2024-06-30")
    X = pd.DataFrame(
        {
            "rarity": sales["rarity"],
            "variant": sales["variant"],
            "condition": sales["condition"].fillna("graded"),
            "psa_grade": sales["psa_grade"].fillna(0.0),
        }
    )
    y = (sales["price_usd"] >= 100).to_numpy()
    train, calib, val, test = (
        slice(0, 1000),
        slice(1000, 1500),
        slice(1500, 1950),
        slice(1950, None),
    )
    encode = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore"), make_column_selector(dtype_exclude="number")),
        remainder="passthrough",
    )
    flag = LogisticRegression(class_weight="balanced", solver="newton-cholesky")
    model = make_pipeline(encode, flag).fit(X.iloc[train], y[train])
    calibrated = CalibratedClassifierCV(FrozenEstimator(model), method="sigmoid")
    calibrated.fit(X.iloc[calib], y[calib])
    return {
        part: (np.round(calibrated.predict_proba(X.iloc[rows])[:, 1], 2), y[rows])
        for part, rows in (("val", val), ("test", test))
    }


def test_review_cost(exercise):
    """review_cost counts needless checks and missed premiums, checking p >= threshold"""
    p = [0.05, 0.2, 0.2, 0.35, 0.6, 0.9]
    premium = [False, True, False, False, True, True]
    for threshold, expected in ((0.2, 2 * C_FP), (0.5, C_FN), (0.95, 3 * C_FN)):
        got = float(exercise.review_cost(p, premium, threshold, C_FP, C_FN))
        message = (
            f"review_cost at threshold {threshold} gave {got!r}; expected {expected} for "
            f"p = {p} and premium = {premium}."
        )
        if threshold == 0.2 and got == _cost(np.array(p) - 1e-9, premium, 0.2, C_FP, C_FN):
            message += " Listings with p exactly at the threshold are checked: use p >= threshold."
        elif got == _cost(p, premium, threshold, C_FN, C_FP):
            message += " The costs are swapped: a needless check costs cost_fp, a miss cost_fn."
        assert got == pytest.approx(expected), message


def test_best_threshold_on_calibrated_probabilities(exercise):
    """on calibrated probabilities it lands near C_FP / (C_FP + C_FN) (rejects 0.5 and swaps)"""
    p, premium = _calibrated()
    for cost_fp, cost_fn in ((4.0, 16.0), (10.0, 10.0), (9.0, 1.0)):
        analytic = cost_fp / (cost_fp + cost_fn)
        got = float(exercise.best_threshold(p, premium, cost_fp, cost_fn))
        message = (
            f"With C_FP = ${cost_fp:g} and C_FN = ${cost_fn:g}, best_threshold gave {got!r} on "
            f"20,000 listings with calibrated probabilities; the cheapest threshold is near "
            f"C_FP / (C_FP + C_FN) = {analytic:.2f}."
        )
        if analytic != 0.5 and got == pytest.approx(0.5, abs=0.02):
            message += " 0.5 is the default, which assumes both mistakes cost the same."
        elif got == pytest.approx(1 - analytic, abs=0.05):
            message += " That is C_FN / (C_FP + C_FN): the costs are swapped."
        assert got == pytest.approx(analytic, abs=0.05), message
        cheapest = _cheapest(p, premium, cost_fp, cost_fn)
        assert _cost(p, premium, got, cost_fp, cost_fn) <= cheapest + 1e-6, (
            f"With C_FP = ${cost_fp:g} and C_FN = ${cost_fn:g}, best_threshold gave {got!r}, "
            "but another candidate threshold costs less on these listings: keep the one with "
            "the lowest review_cost."
        )


def test_best_threshold_on_uncalibrated_scores(exercise):
    """on inflated scores it still finds the cheapest cut (rejects the formula alone)"""
    p, premium = _calibrated(1)
    inflated = np.round(p**0.4, 2)  # the same ranking, probabilities far too high
    got = float(exercise.best_threshold(inflated, premium, C_FP, C_FN))
    cheapest = _cheapest(inflated, premium, C_FP, C_FN)
    cost = _cost(inflated, premium, got, C_FP, C_FN)
    message = (
        f"On uncalibrated scores, best_threshold gave {got!r}, which costs ${cost:,.0f}; the "
        f"cheapest threshold costs ${cheapest:,.0f}."
    )
    if got == pytest.approx(C_FP / (C_FP + C_FN)):
        message += (
            " That is the formula C_FP / (C_FP + C_FN), which is only right for calibrated "
            "probabilities. Measure the cost of each candidate threshold on the listings."
        )
    assert cost <= cheapest + 1e-6, message


def test_choose_and_evaluate(exercise):
    """chooses the threshold on validation and reports its cost per listing on test"""
    parts = _flag_probabilities()
    (p_val, y_val), (p_test, y_test) = parts["val"], parts["test"]
    got = exercise.choose_and_evaluate(p_val, y_val, p_test, y_test, C_FP, C_FN)
    try:
        threshold, cost = (float(v) for v in got)
    except (TypeError, ValueError):
        raise AssertionError(
            f"choose_and_evaluate returned {got!r}; expected (threshold, cost per listing)."
        ) from None
    assert (
        _cost(p_val, y_val, threshold, C_FP, C_FN) <= _cheapest(p_val, y_val, C_FP, C_FN) + 1e-6
    ), (
        f"choose_and_evaluate chose {threshold!r}, which is not the cheapest threshold on the "
        "validation listings."
    )
    expected = _cost(p_test, y_test, threshold, C_FP, C_FN) / len(p_test)
    message = (
        f"choose_and_evaluate reported a cost of {cost!r} per test listing for threshold "
        f"{threshold}; on the test listings it costs ${expected:.4f} per listing."
    )
    if cost == pytest.approx(expected * len(p_test)):
        message += " That is the total: divide by the number of test listings."
    elif cost == pytest.approx(_cost(p_val, y_val, threshold, C_FP, C_FN) / len(p_val)):
        message += " That is its cost on the validation listings it was chosen on."
    assert cost == pytest.approx(expected), message


def test_test_listings_do_not_move_the_threshold(exercise):
    """the test labels never move the threshold (rejects tuning it on the test set)"""
    parts = _flag_probabilities()
    (p_val, y_val), (p_test, y_test) = parts["val"], parts["test"]
    threshold, _ = exercise.choose_and_evaluate(p_val, y_val, p_test, y_test, C_FP, C_FN)
    rng = np.random.default_rng(2)
    for noise in (rng.permutation(y_test), ~y_test, np.zeros_like(y_test)):
        moved, _ = exercise.choose_and_evaluate(p_val, y_val, p_test, noise, C_FP, C_FN)
        assert float(moved) == pytest.approx(float(threshold)), (
            f"Changing only the TEST labels moved the threshold from {threshold} to {moved}: "
            "it was tuned on the test listings, so their cost is no longer an honest estimate. "
            "Choose it on the validation listings only."
        )
