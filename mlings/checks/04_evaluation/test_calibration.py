"""Checks for 04_evaluation/06_calibration: FrozenEstimator, a calibration split, Brier score."""

import contextlib
import functools

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import brier_score_loss

from mlings.dataset import make_cards, make_sales

PREMIUM_USD = 100.0


@functools.cache
def _splits() -> dict[str, tuple[pd.DataFrame, np.ndarray]]:
    """Train, calibration and test splits of PokéMarket sales, by time; y = premium sale."""
    cards = make_cards(n=600)
    sales = make_sales(cards, seed=3, n=3000, start="2017-01-01", end="2024-06-30")
    release = sales["card_id"].map(cards.set_index("card_id")["release_date"])
    era = pd.cut(
        release.dt.year, [0, 2002, 2010, 2019, 3000], labels=["wotc", "ex_dp", "bw_sm", "swsh_sv"]
    )
    X = pd.DataFrame(
        {
            "rarity": sales["rarity"],
            "era": era.astype(str),
            "variant": sales["variant"],
            "condition": sales["condition"].fillna("graded"),
            "psa_grade": sales["psa_grade"].fillna(0.0),
        }
    )
    y = (sales["price_usd"] >= PREMIUM_USD).to_numpy()
    parts = {"train": slice(0, 1500), "calib": slice(1500, 2200), "test": slice(2200, None)}
    return {name: (X.iloc[rows], y[rows]) for name, rows in parts.items()}


def _premium(classifier, X) -> np.ndarray:
    classes = list(classifier.classes_)
    return classifier.predict_proba(X)[:, classes.index(True)]


@contextlib.contextmanager
def _no_prefit():
    """Turn scikit-learn's refusal of cv="prefit" into advice."""
    try:
        yield
    except ValueError as error:
        if "prefit" in str(error):
            raise AssertionError(
                'CalibratedClassifierCV(cv="prefit") is gone in scikit-learn 1.9: wrap the '
                "fitted model in FrozenEstimator(model) instead."
            ) from None
        raise


def _calibrate(exercise, model, X, y):
    with _no_prefit():
        calibrated = exercise.calibrate(model, X, y)
    assert hasattr(calibrated, "predict_proba"), (
        f"calibrate returned {type(calibrated).__name__}; expected a fitted classifier with "
        "predict_proba (the CalibratedClassifierCV)."
    )
    return calibrated


@functools.cache
def _model(exercise, part: str = "train"):
    return exercise.train_flag(*_splits()[part])


def test_calibrate_keeps_the_fitted_model(exercise):
    """calibrate never refits the model (rejects refitting it on the calibration split)"""
    model = exercise.train_flag(*_splits()["train"])
    X_test, _ = _splits()["test"]
    before = _premium(model, X_test)
    _calibrate(exercise, model, *_splits()["calib"])
    after = _premium(model, X_test)
    assert np.allclose(before, after), (
        "After calibrate, the model itself predicts differently: it was refitted. Calibration "
        "learns a mapping on top of the fitted model; wrap it in FrozenEstimator so "
        "CalibratedClassifierCV never calls its fit."
    )


def test_calibrate_builds_on_the_model_it_is_given(exercise):
    """calibrate maps the given model's scores (rejects CalibratedClassifierCV without Frozen)"""
    X_train, y_train = _splits()["train"]
    X_calib, y_calib = _splits()["calib"]
    X_test, _ = _splits()["test"]
    common = np.isin(X_train["rarity"], ["Common", "Uncommon", "Rare"])
    narrow = exercise.train_flag(X_train[~common], y_train[~common])  # fitted on other data
    one = _premium(_calibrate(exercise, _model(exercise), X_calib, y_calib), X_test)
    two = _premium(_calibrate(exercise, narrow, X_calib, y_calib), X_test)
    assert not np.allclose(one, two), (
        "Two differently fitted models gave exactly the same calibrated probabilities: "
        "calibrate ignores the fitted model and trains fresh copies on the calibration split "
        "(CalibratedClassifierCV(model) clones and refits it). Wrap the fitted model in "
        "FrozenEstimator(model)."
    )


def test_brier_score(exercise):
    """brier scores the probability of premium (rejects class False's column and hard labels)"""
    model = _model(exercise)
    X_test, y_test = _splits()["test"]
    p = _premium(model, X_test)
    expected = brier_score_loss(y_test, p)
    got = float(exercise.brier(model, X_test, y_test))
    message = f"brier gave {got!r} for the raw flag on test sales; expected {expected:.6f}."
    if got == pytest.approx(brier_score_loss(y_test, 1 - p)):
        message += (
            " That scores predict_proba's first column, the probability of NOT premium: take "
            "the column of class True (classifier.classes_ lists the order)."
        )
    elif got == pytest.approx(brier_score_loss(y_test, model.predict(X_test).astype(float))):
        message += " That scores the 0/1 predictions; the Brier score needs probabilities."
    assert got == pytest.approx(expected), message


def test_calibration_improves_brier_on_test_data(exercise):
    """calibrated probabilities have a lower Brier score on held-out test sales"""
    model = _model(exercise)
    calibrated = _calibrate(exercise, model, *_splits()["calib"])
    X_test, y_test = _splits()["test"]
    raw = brier_score_loss(y_test, _premium(model, X_test))
    better = brier_score_loss(y_test, _premium(calibrated, X_test))
    assert better < raw - 0.01, (
        f"On test sales the calibrated Brier score is {better:.4f} and the raw one {raw:.4f}; "
        "calibration should cut it clearly. Fit CalibratedClassifierCV(FrozenEstimator(model), "
        'method="sigmoid") on the calibration split.'
    )
    share = float(np.mean(y_test))
    mean_p = float(np.mean(_premium(calibrated, X_test)))
    assert abs(mean_p - share) < 0.05, (
        f"The calibrated flag's average probability on test sales is {mean_p:.3f}, but "
        f"{share:.3f} of them are premium; calibrated probabilities should average out close "
        "to the share."
    )


def test_fit_calibrated_flag_uses_the_calibration_split(exercise):
    """calibrates on the calibration split, not the training data the model has seen"""
    X_train, y_train = _splits()["train"]
    X_calib, y_calib = _splits()["calib"]
    X_test, _ = _splits()["test"]
    with _no_prefit():
        model, calibrated = exercise.fit_calibrated_flag(X_train, y_train, X_calib, y_calib)
    shuffled = np.random.default_rng(0).permutation(y_calib)
    model_2, calibrated_2 = exercise.fit_calibrated_flag(X_train, y_train, X_calib, shuffled)
    assert np.allclose(_premium(model, X_test), _premium(model_2, X_test)), (
        "Shuffling the calibration split's labels changed the model itself: train it on the "
        "training split only."
    )
    assert not np.allclose(_premium(calibrated, X_test), _premium(calibrated_2, X_test)), (
        "Shuffling the calibration split's labels did not change the calibrated "
        "probabilities at all: the calibration never looked at that split. Calibrating on the "
        "training data reuses answers the model has already seen; calibrate on X_calib, "
        "y_calib."
    )
