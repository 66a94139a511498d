"""ALTERNATIVE: folds as a tuple drawn once, predictions with numpy arrays, a dict leaderboard."""

from dataclasses import dataclass

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.dummy import DummyRegressor
from sklearn.ensemble import RandomForestRegressor
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler


@dataclass
class ZooResult:
    """What compare_on_folds measured."""

    folds: list
    scores: dict


def one_hot_encoder():
    """Text columns one-hot encoded, numbers imputed (with a missing flag) and scaled."""
    return make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore"), make_column_selector(dtype_include="category")),
        (
            make_pipeline(SimpleImputer(add_indicator=True), StandardScaler()),
            make_column_selector(dtype_include="number"),
        ),
    )


def ordinal_encoder():
    """Text columns as integer codes (-1 unseen, -2 missing), numbers passed through."""
    return make_column_transformer(
        (
            OrdinalEncoder(
                handle_unknown="use_encoded_value", unknown_value=-1, encoded_missing_value=-2
            ),
            make_column_selector(dtype_include="category"),
        ),
        remainder="passthrough",
    )


def make_zoo(seed=0):
    """Median, Ridge, k-NN, a random forest and LightGBM."""
    return {
        "median": DummyRegressor(strategy="median"),
        "ridge": make_pipeline(one_hot_encoder(), Ridge()),
        "knn": make_pipeline(one_hot_encoder(), KNeighborsRegressor(n_neighbors=10, n_jobs=1)),
        "forest": make_pipeline(
            ordinal_encoder(), RandomForestRegressor(n_estimators=20, random_state=seed, n_jobs=1)
        ),
        "lgbm": lgb.LGBMRegressor(n_estimators=60, random_state=seed, n_jobs=1, verbose=-1),
    }


def compare_on_folds(models, X, y, cv):
    """Each model's MAE on every test fold, all models on the same folds drawn once from cv."""
    folds = tuple(cv.split(X, y))
    target = np.asarray(y, dtype=float)
    scores = {name: [] for name in models}
    for train, test in folds:
        for name, model in models.items():
            fitted = clone(model).fit(X.iloc[train], target[train])
            error = np.abs(target[test] - fitted.predict(X.iloc[test]))
            scores[name].append(error.mean())
    return ZooResult(list(folds), scores)


def leaderboard(result):
    """Mean and standard deviation of each model's fold MAEs, lowest mean first."""
    rows = {
        name: {"mean_mae": float(np.mean(maes)), "std_mae": float(np.std(maes))}
        for name, maes in sorted(result.scores.items(), key=lambda item: np.mean(item[1]))
    }
    return pd.DataFrame.from_dict(rows, orient="index")
