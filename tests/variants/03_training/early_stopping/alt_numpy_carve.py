"""ALTERNATIVE: carves with a numpy permutation, watches L1 as well, keyword callbacks."""

import lightgbm as lgb
import numpy as np

MAX_ROUNDS = 500
PATIENCE = 20
VALIDATION_SHARE = 0.2


def make_model(seed):
    """The pricing model: up to MAX_ROUNDS trees, seeded, single-threaded, quiet."""
    return lgb.LGBMRegressor(
        n_estimators=MAX_ROUNDS, learning_rate=0.1, random_state=seed, n_jobs=1, verbose=-1
    )


def carve_validation(X_train, y_train, seed=0):
    """(X_fit, X_val, y_fit, y_val): a seeded VALIDATION_SHARE of the training rows held out."""
    order = np.random.default_rng(seed).permutation(len(X_train))
    n_val = round(VALIDATION_SHARE * len(X_train))
    val, fit = order[:n_val], order[n_val:]
    y = np.asarray(y_train)
    return X_train.iloc[fit], X_train.iloc[val], y[fit], y[val]


def fit_early_stopped(X_train, y_train, seed=0):
    """make_model(seed) fitted on the fit part, stopped early on the validation part."""
    X_fit, X_val, y_fit, y_val = carve_validation(X_train, y_train, seed)
    return make_model(seed).fit(
        X_fit,
        y_fit,
        eval_X=(X_val,),
        eval_y=(y_val,),
        eval_metric="l1",
        callbacks=[lgb.early_stopping(stopping_rounds=PATIENCE, verbose=False)],
    )


def train_and_test(X_train, y_train, X_test, y_test, seed=0):
    """(best_iteration_, test MAE) of a model early-stopped on the training rows only."""
    model = fit_early_stopped(X_train, y_train, seed)
    error = np.abs(np.asarray(y_test) - model.predict(X_test))
    return int(model.best_iteration_), float(error.mean())
