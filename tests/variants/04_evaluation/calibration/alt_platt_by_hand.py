"""ALTERNATIVE: Platt scaling written by hand: a logistic regression on the frozen model's logit."""

import numpy as np
import pandas as pd
from scipy.special import logit
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder

PREMIUM_USD = 100.0  # a sale at or above this price is premium


def train_flag(X_train: pd.DataFrame, y_train) -> Pipeline:
    encode = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore"), make_column_selector(dtype_exclude="number")),
        remainder="passthrough",
    )
    flag = LogisticRegression(class_weight="balanced", solver="newton-cholesky")
    model = make_pipeline(encode, flag)
    return model.fit(X_train, y_train)


class PlattScaled:
    """A fitted classifier whose premium score goes through a logistic mapping."""

    def __init__(self, model):
        self.model = model  # never refitted here
        self.classes_ = model.classes_
        self.mapping = LogisticRegression()

    def _score(self, X) -> np.ndarray:
        p = self.model.predict_proba(X)[:, list(self.classes_).index(True)]
        return logit(np.clip(p, 1e-6, 1 - 1e-6)).reshape(-1, 1)

    def fit(self, X, y):
        self.mapping.fit(self._score(X), y)
        return self

    def predict_proba(self, X) -> np.ndarray:
        return self.mapping.predict_proba(self._score(X))


def calibrate(model, X_calib: pd.DataFrame, y_calib):
    return PlattScaled(model).fit(X_calib, y_calib)


def fit_calibrated_flag(X_train, y_train, X_calib, y_calib):
    model = train_flag(X_train, y_train)
    return model, calibrate(model, X_calib, y_calib)


def brier(classifier, X: pd.DataFrame, y) -> float:
    column = int(np.flatnonzero(np.asarray(classifier.classes_) == True)[0])  # noqa: E712
    return brier_score_loss(y, classifier.predict_proba(X)[:, column])
