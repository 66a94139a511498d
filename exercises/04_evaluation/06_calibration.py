"""Calibrate on a separate split

PokéMarket sends listings likely to sell for $100 or more ("premium") to an authenticator
before they ship. A colleague trained the premium flag with class_weight="balanced", because
only about 1 sale in 5 is premium. It ranks listings well, but its probabilities are inflated:
among listings it gives 0.6, far fewer than 60% are premium. The cost-based threshold you will
set next assumes that a probability of 0.3 means "premium 30% of the time", so the
probabilities must be calibrated first.

Calibration learns a mapping from the model's scores to honest probabilities. Learn it on a
split of its own: not the training data (the model has seen those answers, and its scores
there are more confident than anywhere else), and not the test data (that is where you will
measure whether it worked). The model is already fitted: wrap it in
sklearn.frozen.FrozenEstimator so CalibratedClassifierCV only fits the mapping on the
calibration split and never refits the model. (CalibratedClassifierCV(cv="prefit"), the old
way, is gone in scikit-learn 1.9.)

The Brier score measures probabilities: the mean of (p - outcome)², with outcome 1 for a
premium sale and 0 otherwise; lower is better.

Write:

- calibrate:           a CalibratedClassifierCV (method="sigmoid") around the FROZEN model,
                       fitted on the calibration split;
- fit_calibrated_flag: (model, calibrated): train_flag on the training split, then calibrate
                       it on the calibration split;
- brier:               the Brier score of a classifier's probability of premium (class True) on
                       (X, y).

Done when: calibration uses the calibration split only, never refits the model, and lowers the
Brier score on held-out test data.

Stuck? Run `mlings hint`.
"""

import pandas as pd
from sklearn.calibration import CalibratedClassifierCV  # noqa: F401 (you will need it)
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.frozen import FrozenEstimator  # noqa: F401 (you will need it)
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss  # noqa: F401 (one way to do it)
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
    # TODO
    raise NotImplementedError("calibrate: CalibratedClassifierCV(FrozenEstimator(model), ...)")


def fit_calibrated_flag(X_train, y_train, X_calib, y_calib):
    """(model, calibrated): train on the training split, calibrate on the calibration split."""
    # TODO
    raise NotImplementedError("fit_calibrated_flag: train_flag on train, calibrate on calib")


def brier(classifier, X: pd.DataFrame, y) -> float:
    """Brier score of the classifier's probability that each sale is premium."""
    # TODO: which column of predict_proba is class True? classifier.classes_ says.
    raise NotImplementedError("brier: brier_score_loss(y, probability of premium)")


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
