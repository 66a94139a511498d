"""WRONG: calibrates on the training data the model has already seen."""

import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder

PREMIUM_USD = 100.0  # a sale at or above this price is premium


def train_flag(X_train: pd.DataFrame, y_train) -> Pipeline:
    """The colleague's premium flag, fitted (no need to change this function)."""
    encode = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore"), make_column_selector(dtype_exclude="number")),
        remainder="passthrough",
    )
    flag = LogisticRegression(class_weight="balanced", solver="newton-cholesky")
    model = make_pipeline(encode, flag)
    return model.fit(X_train, y_train)


def calibrate(model, X_calib: pd.DataFrame, y_calib):
    """The fitted model, calibrated on (X_calib, y_calib) without being refitted."""
    calibrated = CalibratedClassifierCV(FrozenEstimator(model), method="sigmoid")
    return calibrated.fit(X_calib, y_calib)


def fit_calibrated_flag(X_train, y_train, X_calib, y_calib):
    """(model, calibrated): train on the training split, calibrate on the calibration split."""
    model = train_flag(X_train, y_train)
    return model, calibrate(model, X_train, y_train)


def brier(classifier, X: pd.DataFrame, y) -> float:
    """Brier score of the classifier's probability that each sale is premium."""
    premium = list(classifier.classes_).index(True)
    return float(brier_score_loss(y, classifier.predict_proba(X)[:, premium]))


if __name__ == "__main__":
    from pathlib import Path

    data = Path(__file__).resolve().parents[2] / "data"
    sales = pd.read_csv(data / "sales_clean.csv", parse_dates=["sale_date"])
    X = pd.DataFrame(
        {
            "rarity": sales["rarity"],
            "variant": sales["variant"],
            "condition": sales["condition"].fillna("graded"),
            "psa_grade": sales["psa_grade"].fillna(0.0),
        }
    )
    y = sales["price_usd"] >= PREMIUM_USD
    year = sales["sale_date"].dt.year
    train, calib, test = year <= 2021, year == 2022, year >= 2023
    model, calibrated = fit_calibrated_flag(X[train], y[train], X[calib], y[calib])
    print(f"Brier on test: raw {brier(model, X[test], y[test]):.4f}, ", end="")
    print(f"calibrated {brier(calibrated, X[test], y[test]):.4f}")
