"""Checks for 03_training/05_early_stopping: stopped on a time-and-card carve of train, refitted."""

import warnings

import lightgbm as lgb
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import mean_absolute_error

from mlings.dataset import make_cards, make_sales

CATALOG = make_cards(n=600)  # a sample of the catalog: quick to sell from


def pokemarket(sales: pd.DataFrame) -> pd.DataFrame:
    """Sales with the card's series and release date, as the exercise's features expect."""
    return sales.join(CATALOG.set_index("card_id")[["series", "release_date"]], on="card_id")


@pytest.fixture(scope="module")
def data() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Training sales (2021-2024, shuffled, index labels not 0..n-1) and test sales (2025)."""
    train = make_sales(CATALOG, seed=41, n=2000, start="2021-01-01", end="2024-12-31")
    train = train.sample(frac=1.0, random_state=4)
    train.index = np.arange(3000, 3000 + len(train))
    test = make_sales(CATALOG, seed=[41, 9], n=300, start="2025-01-01", end="2025-06-30")
    return pokemarket(train), pokemarket(test)


@pytest.fixture(scope="module")
def fitted(exercise, data):
    """The learner's early-stopped model, and the warnings its fit raised."""
    train, _ = data
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = exercise.fit_early_stopped(train, seed=0)
    return model, [w for w in caught if issubclass(w.category, (FutureWarning, DeprecationWarning))]


def carve(exercise, train, seed):
    parts = exercise.carve_validation(train, seed=seed)
    assert len(parts) == 2, "carve_validation must return two tables: (fit, val)."
    fit, val = parts
    assert isinstance(fit, pd.DataFrame) and isinstance(val, pd.DataFrame), (
        "carve_validation must return two DataFrames of training sales: (fit, val)."
    )
    assert set(fit.index) <= set(train.index) and set(val.index) <= set(train.index), (
        "fit and val must be rows of the training sales, with their index labels."
    )
    return fit, val


def test_carves_validation_by_time_and_card(exercise, data):
    """the validation sales are of other cards than the fit sales, and all later (rejects a
    random carve)"""
    train, _ = data
    fit, val = carve(exercise, train, seed=3)
    assert len(fit) and len(val), f"The carve has {len(fit)} fit and {len(val)} validation sales."
    shared = set(fit["card_id"]) & set(val["card_id"])
    assert not shared, (
        f"{len(shared)} cards (e.g. {sorted(shared)[0]}) have sales on both sides of the carve: "
        "the validation error then rewards memorising those cards and stops the model too "
        "late. Hold a share of the cards out of the fit part and validate on those cards only."
    )
    last_fit, first_val = fit["sale_date"].max(), val["sale_date"].min()
    assert last_fit < first_val, (
        f"The fit part has a sale of {last_fit:%Y-%m-%d}, the validation part one of "
        f"{first_val:%Y-%m-%d}: validate on later sales than the model fits, as production "
        "prices next month from the past."
    )


def test_carve_keeps_the_last_days_of_a_share_of_cards(exercise, data):
    """val is every sale of VALIDATION_SHARE of the cards in the last VALIDATION_DAYS, fit every
    earlier sale of the other cards"""
    train, _ = data
    fit, val = carve(exercise, train, seed=3)
    cutoff = train["sale_date"].max() - pd.Timedelta(days=exercise.VALIDATION_DAYS)
    after = train["sale_date"] >= cutoff
    held = set(val["card_id"]) | (set(train.loc[~after, "card_id"]) - set(fit["card_id"]))
    share = len(held) / train["card_id"].nunique()
    assert 0.6 * exercise.VALIDATION_SHARE <= share <= 1.4 * exercise.VALIDATION_SHARE, (
        f"The validation part holds out {share:.0%} of the cards; hold out VALIDATION_SHARE "
        f"({exercise.VALIDATION_SHARE:.0%}) of them."
    )
    want_val = set(train.index[after & train["card_id"].isin(held)])
    assert set(val.index) == want_val, (
        f"The validation part has {len(val)} sales; its cards sold {len(want_val)} times on or "
        f"after the cutoff ({cutoff:%Y-%m-%d}, the last sale minus VALIDATION_DAYS days): "
        "validate on all of those, and on no earlier sale."
    )
    want_fit = set(train.index[~after & ~train["card_id"].isin(held)])
    assert set(fit.index) == want_fit, (
        f"The fit part has {len(fit)} sales; the other cards sold {len(want_fit)} times before "
        f"the cutoff ({cutoff:%Y-%m-%d}): fit on all of those, and on no later sale."
    )


def test_carve_follows_the_seed(exercise, data):
    """the same seed carves the same sales; other seeds hold out other cards"""
    train, _ = data
    _, val = carve(exercise, train, seed=3)
    again = carve(exercise, train, seed=3)[1]
    assert sorted(again.index) == sorted(val.index), (
        "carve_validation(seed=3) gave different validation sales on a second call: draw "
        "the cards with np.random.default_rng(seed)."
    )
    others = [set(carve(exercise, train, seed=s)[1]["card_id"]) for s in (4, 5)]
    assert any(cards != set(val["card_id"]) for cards in others), (
        "carve_validation held out the same cards with seeds 3, 4 and 5: the draw ignores its "
        "seed. Pass the seed argument to np.random.default_rng, not a fixed number."
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
        "trains on the error keeps falling forever: fit on the fit part only and validate on "
        "the validation part."
    )


def test_test_labels_never_move_the_number_of_trees(exercise, data):
    """noisy test labels change the test MAE, never the number of trees (rejects stopping on
    test)"""
    train, test = data
    noisy = test.assign(price_usd=np.random.default_rng(8).permutation(test["price_usd"]))
    rounds, mae = exercise.train_and_test(train, test, seed=0)
    noisy_rounds, noisy_mae = exercise.train_and_test(train, noisy, seed=0)
    if rounds != noisy_rounds:
        again, _ = exercise.train_and_test(train, test, seed=0)
        assert again == rounds, (
            f"Two runs with the same seed chose {rounds} and {again} trees: seed everything "
            "random (the validation carve, the model) with the seed."
        )
    assert rounds == noisy_rounds, (
        f"Shuffling the test prices moved the number of trees from {rounds} to {noisy_rounds}: "
        "the model was stopped on the test set. Stop it on sales carved out of the training "
        "set; the test sales only score the final model."
    )
    assert not np.isclose(mae, noisy_mae), (
        "The test MAE did not change when the test prices did: score the model on the test "
        "sales' target."
    )


def test_final_model_is_refitted_on_all_training_sales(exercise, data, fitted):
    """the final model has the early-stopped number of trees, fitted on every training sale
    (rejects keeping the early-stopped model)"""
    train, _ = data
    stopped, _ = fitted
    final = exercise.fit_final(train, seed=0)
    assert isinstance(final, lgb.LGBMRegressor), (
        f"fit_final returned {type(final).__name__}; return the refitted LGBMRegressor."
    )
    trees = final.booster_.num_trees()
    assert trees == stopped.best_iteration_, (
        f"The final model has {trees} trees; early stopping chose {stopped.best_iteration_}. "
        "Refit make_model(seed, n_estimators=best_iteration_)."
    )
    X, y = exercise.features(train), exercise.target(train)
    refit = exercise.make_model(0, n_estimators=trees).fit(X, y)
    assert np.allclose(final.predict(X), refit.predict(X)), (
        "The final model is not make_model(seed) with those trees fitted on all the training "
        "sales: after early stopping, refit on every training sale, the validation ones too."
    )


def test_reports_the_test_mae_of_the_final_model(exercise, data):
    """the test MAE is the final model's, and it beats the median by a wide margin"""
    train, test = data
    rounds, mae = exercise.train_and_test(train, test, seed=0)
    final = exercise.fit_final(train, seed=0)
    X_test, y_test = exercise.features(test), exercise.target(test)
    expected = mean_absolute_error(y_test, final.predict(X_test))
    assert rounds == final.booster_.num_trees(), (
        f"train_and_test reported {rounds} trees; the final model has {final.booster_.num_trees()}."
    )
    assert mae == pytest.approx(expected, rel=1e-9), (
        f"train_and_test reported a test MAE of {mae:.4f}; the final model scores "
        f"{expected:.4f} on the test sales."
    )
    y_train = exercise.target(train)
    median = mean_absolute_error(y_test, np.full(len(y_test), np.median(y_train)))
    assert mae < 0.6 * median, (
        f"A test MAE of {mae:.3f} barely beats the median baseline ({median:.3f}): did the "
        "model stop after its first few trees?"
    )
