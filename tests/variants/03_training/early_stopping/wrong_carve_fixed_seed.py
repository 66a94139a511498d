"""WRONG: carves the validation rows with random_state=0, whatever the seed."""

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
    return train_test_split(X_train, y_train, test_size=VALIDATION_SHARE, random_state=0)


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
