"""Checks for 03_training/05_early_stopping: LightGBM stopped on a validation split of train."""

import warnings

import lightgbm as lgb
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import mean_absolute_error

from mlings.dataset import make_cards, make_sales

CATALOG = make_cards(n=600)  # a sample of the catalog: quick to sell from
CATEGORICAL = ("rarity", "variant", "condition", "platform", "series")
CATEGORIES = {
    "rarity": sorted(CATALOG["rarity"].unique()),
    "variant": ["1st Edition", "Normal", "Reverse Holo"],
    "condition": ["DMG", "HP", "LP", "MP", "NM"],
    "platform": ["Cardmarket", "PokéMarket", "TCGplayer", "eBay"],
    "series": sorted(CATALOG["series"].unique()),
}


def pokemarket(sales: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Features (text columns as category) and log1p(price) of some PokéMarket sales."""
    sales = sales.join(CATALOG.set_index("card_id")[["series", "release_date"]], on="card_id")
    X = pd.DataFrame(index=sales.index)
    for column in CATEGORICAL:
        X[column] = pd.Categorical(sales[column], categories=CATEGORIES[column])
    X["psa_grade"] = sales["psa_grade"]
    X["card_age_years"] = (sales["sale_date"] - sales["release_date"]).dt.days / 365.25
    return X, np.log1p(sales["price_usd"]).rename("log_price")


@pytest.fixture(scope="module")
def data():
    train = make_sales(CATALOG, seed=41, n=700, start="2019-01-01", end="2024-12-31")
    train.index = np.arange(3000, 3000 + len(train))
    test = make_sales(CATALOG, seed=[41, 9], n=300, start="2025-01-01", end="2025-06-30")
    return (*pokemarket(train), *pokemarket(test))


@pytest.fixture(scope="module")
def fitted(exercise, data):
    """The learner's early-stopped model, and the warnings its fit raised."""
    X_train, y_train, _, _ = data
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = exercise.fit_early_stopped(X_train, y_train, seed=0)
    return model, [w for w in caught if issubclass(w.category, (FutureWarning, DeprecationWarning))]


def test_carves_the_validation_rows_from_train(exercise, data):
    """carves a fifth of the training rows out for validation with the seed given, no overlap"""
    X_train, y_train, _, _ = data
    parts = exercise.carve_validation(X_train, y_train, seed=3)
    assert len(parts) == 4, "carve_validation must return four things: X_fit, X_val, y_fit, y_val."
    X_fit, X_val, y_fit, y_val = parts
    fit_rows, val_rows = set(X_fit.index), set(X_val.index)
    assert not fit_rows & val_rows, (
        f"{len(fit_rows & val_rows)} rows are in both X_fit and X_val: the validation rows "
        "must be held out of the rows the model fits."
    )
    assert fit_rows | val_rows == set(X_train.index), (
        "X_fit and X_val together should be exactly the training rows."
    )
    share = len(X_val) / len(X_train)
    assert 0.15 <= share <= 0.25, (
        f"{share:.0%} of the training rows went to validation; hold out VALIDATION_SHARE "
        "(a fifth) of them."
    )
    assert len(y_fit) == len(X_fit) and len(y_val) == len(X_val), (
        "y_fit and y_val must line up with X_fit and X_val."
    )
    assert np.allclose(np.asarray(y_val, dtype=float), y_train.loc[X_val.index].to_numpy()), (
        "y_val does not hold the labels of the X_val rows: split X and y together."
    )
    again = exercise.carve_validation(X_train, y_train, seed=3)[1]
    assert list(again.index) == list(X_val.index), (
        "carve_validation(seed=3) gave different validation rows on a second call: pass the "
        "seed as random_state."
    )
    others = [set(exercise.carve_validation(X_train, y_train, seed=s)[1].index) for s in (4, 5)]
    assert any(rows != val_rows for rows in others), (
        "carve_validation gave the same validation rows with seeds 3, 4 and 5: the split "
        "ignores its seed. Pass the seed argument as random_state, not a fixed number."
    )


def test_uses_eval_x_and_eval_y(exercise, fitted):
    """passes the validation set as eval_X/eval_y (rejects the deprecated eval_set)"""
    model, caught = fitted
    assert not caught, (
        "Fitting warned: "
        + str(caught[0].message)
        + " In LightGBM 4.7, fit(X_fit, y_fit, eval_X=X_val, eval_y=y_val, callbacks=[...])."
    )
    assert isinstance(model, lgb.LGBMRegressor), (
        f"fit_early_stopped returned {type(model).__name__}; return the fitted LGBMRegressor."
    )
    assert getattr(model, "evals_result_", None), (
        "The model was fitted without a validation set: pass eval_X and eval_y to fit."
    )


def test_stops_early_on_held_out_rows(exercise, fitted):
    """stops well before MAX_ROUNDS (rejects validating on rows the model trains on)"""
    model, _ = fitted
    best = model.best_iteration_
    assert best and best > 1, (
        f"best_iteration_ is {best!r}: the model did not early-stop. Pass "
        "callbacks=[lgb.early_stopping(PATIENCE, verbose=False)] to fit."
    )
    assert best < 0.8 * exercise.MAX_ROUNDS, (
        f"The model ran to round {best} of {exercise.MAX_ROUNDS} without stopping. On rows it "
        "trains on the error keeps falling forever: fit on X_fit only and validate on X_val, "
        "the rows carved out of the training set."
    )


def test_test_labels_never_move_the_stopping_round(exercise, data):
    """noisy test labels change the test MAE, never best_iteration_ (rejects stopping on test)"""
    X_train, y_train, X_test, y_test = data
    noise = pd.Series(np.random.default_rng(8).permutation(y_test.to_numpy()), index=y_test.index)
    rounds, mae = exercise.train_and_test(X_train, y_train, X_test, y_test, seed=0)
    noisy_rounds, noisy_mae = exercise.train_and_test(X_train, y_train, X_test, noise, seed=0)
    if rounds != noisy_rounds:
        again, _ = exercise.train_and_test(X_train, y_train, X_test, y_test, seed=0)
        assert again == rounds, (
            f"Two runs with the same seed stopped at rounds {rounds} and {again}: seed "
            "everything random (the validation carve, the model) with the seed."
        )
    assert rounds == noisy_rounds, (
        f"Shuffling the test labels moved best_iteration_ from {rounds} to {noisy_rounds}: the "
        "model was stopped on the test set. Stop it on rows carved out of the training set; "
        "the test rows only score the final model."
    )
    assert not np.isclose(mae, noisy_mae), (
        "The test MAE did not change when the test labels did: score the model on y_test."
    )


def test_reports_the_test_mae_of_the_stopped_model(exercise, data, fitted):
    """the test MAE is the early-stopped model's, and it beats the median by a wide margin"""
    X_train, y_train, X_test, y_test = data
    model, _ = fitted
    rounds, mae = exercise.train_and_test(X_train, y_train, X_test, y_test, seed=0)
    expected = mean_absolute_error(y_test, model.predict(X_test))
    assert rounds == model.best_iteration_, (
        f"train_and_test reported {rounds} rounds; the same seed gave best_iteration_ "
        f"{model.best_iteration_} in fit_early_stopped. Return model.best_iteration_."
    )
    assert mae == pytest.approx(expected, rel=1e-9), (
        f"train_and_test reported a test MAE of {mae:.4f}; the early-stopped model scores "
        f"{expected:.4f} on the test rows."
    )
    median = mean_absolute_error(y_test, np.full(len(y_test), np.median(y_train)))
    assert mae < 0.6 * median, (
        f"A test MAE of {mae:.3f} barely beats the median baseline ({median:.3f}): did the "
        "model stop after its first few trees?"
    )
