"""Early stopping on a validation split carved from train

A boosted model adds trees one at a time; too few and it underfits, too many and it starts
memorising (you saw it in the last exercise). Early stopping picks the number of trees for you:
after each tree, LightGBM scores a validation set and stops once the score has not improved for
`PATIENCE` rounds; `best_iteration_` remembers the best round and `predict` uses it.

The validation set decides something about the model, so it is part of training. It must be
carved from the training rows, never be the test set: a model stopped on the test set has been
tuned on it, and its test score is no longer an honest estimate of the next month's error.
And it must be held OUT of the rows the model fits: scoring the rows it trains on, the error
keeps falling and the model never stops.

LightGBM 4.7 takes the validation set as `fit(X, y, eval_X=..., eval_y=...)` (the older
`eval_set=[(X, y)]` is deprecated and warns) and stops with the callback
`lgb.early_stopping(PATIENCE, verbose=False)`.

Write:

- carve_validation:       split the training rows into (X_fit, X_val, y_fit, y_val), with a
                          fifth of them (VALIDATION_SHARE) for validation, seeded;
- fit_early_stopped:      a LightGBM model (make_model) trained on the fit part, stopped early
                          on the validation part;
- train_and_test:         fit with early stopping on the training rows only, then return
                          (best_iteration_, MAE on the test rows).

Done when: the model stops well before MAX_ROUNDS, the same seed gives the same model, and
replacing the test labels with noise changes the test MAE but not best_iteration_.

Stuck? Run `mlings hint`.
"""

import lightgbm as lgb
import pandas as pd
from sklearn.metrics import mean_absolute_error
from sklearn.model_selection import train_test_split

MAX_ROUNDS = 500
PATIENCE = 20
VALIDATION_SHARE = 0.2


def make_model(seed: int) -> lgb.LGBMRegressor:
    """The pricing model: up to MAX_ROUNDS trees, seeded, single-threaded, quiet."""
    return lgb.LGBMRegressor(
        n_estimators=MAX_ROUNDS, learning_rate=0.1, random_state=seed, n_jobs=1, verbose=-1
    )


def carve_validation(X_train: pd.DataFrame, y_train, seed: int = 0):
    """(X_fit, X_val, y_fit, y_val): a seeded VALIDATION_SHARE of the training rows held out."""
    return train_test_split(X_train, y_train, test_size=VALIDATION_SHARE, random_state=seed)


def fit_early_stopped(X_train: pd.DataFrame, y_train, seed: int = 0) -> lgb.LGBMRegressor:
    """make_model(seed) fitted on the fit part, stopped early on the validation part."""
    X_fit, X_val, y_fit, y_val = carve_validation(X_train, y_train, seed)
    model = make_model(seed)
    model.fit(
        X_fit,
        y_fit,
        eval_X=X_val,
        eval_y=y_val,
        callbacks=[lgb.early_stopping(PATIENCE, verbose=False)],
    )
    return model


def train_and_test(
    X_train: pd.DataFrame, y_train, X_test: pd.DataFrame, y_test, seed: int = 0
) -> tuple[int, float]:
    """(best_iteration_, test MAE) of a model early-stopped on the training rows only."""
    model = fit_early_stopped(X_train, y_train, seed)
    return model.best_iteration_, float(mean_absolute_error(y_test, model.predict(X_test)))


if __name__ == "__main__":
    from pathlib import Path

    import numpy as np

    data = Path(__file__).resolve().parents[2] / "data"
    sales = pd.read_csv(data / "sales_clean.csv", parse_dates=["sale_date"]).sample(
        4000, random_state=0
    )
    X = sales[["rarity", "variant", "condition", "platform"]].astype("category")
    X["psa_grade"] = sales["psa_grade"]
    X["sale_year"] = sales["sale_date"].dt.year
    y = np.log1p(sales["price_usd"])
    is_test = sales["sale_date"] >= "2024-01-01"
    rounds, mae = train_and_test(X[~is_test], y[~is_test], X[is_test], y[is_test])
    print(f"stopped after {rounds} rounds; test MAE {mae:.3f}")
