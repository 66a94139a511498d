"""ALTERNATIVE: cross_validate on a list of folds, a five-model zoo with HistGradientBoosting,
a pandas aggregation for the leaderboard (std with ddof=1)."""

from dataclasses import dataclass

import lightgbm as lgb
import pandas as pd
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.dummy import DummyRegressor
from sklearn.ensemble import ExtraTreesRegressor, HistGradientBoostingRegressor
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.model_selection import cross_validate
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
    """Five models: baseline, linear, two tree ensembles, LightGBM."""
    return {
        "median": DummyRegressor(strategy="median"),
        "ridge": make_pipeline(one_hot_encoder(), Ridge(alpha=3.0)),
        "extra_trees": make_pipeline(
            ordinal_encoder(),
            ExtraTreesRegressor(n_estimators=25, min_samples_leaf=5, random_state=seed, n_jobs=1),
        ),
        "hist_gb": HistGradientBoostingRegressor(max_iter=40, random_state=seed),
        "lightgbm": lgb.LGBMRegressor(
            n_estimators=80, num_leaves=15, random_state=seed, n_jobs=1, verbose=-1
        ),
    }


def compare_on_folds(models, X, y, cv):
    """Each model's MAE on every test fold, all models on the same folds drawn once from cv."""
    folds = list(cv.split(X, y))
    scores = {}
    for name, model in models.items():
        result = cross_validate(model, X, y, cv=folds, scoring="neg_mean_absolute_error")
        scores[name] = (-result["test_score"]).tolist()
    return ZooResult(folds, scores)


def leaderboard(result):
    """Mean and standard deviation of each model's fold MAEs, lowest mean first."""
    long = pd.DataFrame(
        [(name, mae) for name, maes in result.scores.items() for mae in maes],
        columns=["model", "mae"],
    )
    board = long.groupby("model")["mae"].agg(mean_mae="mean", std_mae="std")
    return board.sort_values("mean_mae")
