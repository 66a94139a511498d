"""A model zoo on identical folds

Your baseline has a number. Now the question every team asks next: which kind of model should
PokéMarket use? A linear model, a random forest, gradient boosting? Do not argue, measure: train
each candidate on the same training rows, score it on the same held-out rows, and compare.

"The same rows" is the whole point. Cross-validation scores move a lot from one split of the
data to another, so two models scored on different folds are not comparable: one of them may
simply have drawn easier test rows. A splitter with `shuffle=True` draws new folds every time
you call `cv.split(...)` unless it has a fixed `random_state`, so calling it once per model (or
handing the splitter itself to `cross_val_score` once per model) quietly gives each model its
own folds. Draw the folds ONCE, keep them as a list, and give that list to every model.

The folds come ready-made: module 3 validates every model on folds cut by time and card
(`mlings.folds.TimeCardSplit`; the next exercise, cv_strategy, shows how and why they are cut).
X is a DataFrame of sale features (text columns have `category` dtype, which LightGBM reads
directly and the one-hot encoder below expands), y the log price.

Write:

- make_zoo:         at least four untrained models by name: the median baseline, a Ridge
                    regression (behind `one_hot_encoder()`), a random forest (behind
                    `ordinal_encoder()`) and a LightGBM regressor; every random model seeded
                    with `seed`, and `n_jobs=1` wherever a model has n_jobs;
- compare_on_folds: draw the folds once from `cv`, then score every model on those folds:
                    a ZooResult with the folds and each model's MAE on each test fold;
- leaderboard:      a DataFrame, one row per model (index: its name), columns `mean_mae` and
                    `std_mae`, best (lowest mean MAE) first.

Done when: every model was trained and scored on exactly the same folds, the ones returned, and
the scores are each test fold's MAE (positive numbers; lower is better).

Stuck? Run `mlings hint`.
"""

from dataclasses import dataclass

import lightgbm as lgb  # noqa: F401 (yours to use)
import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, clone  # noqa: F401 (yours to use)
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.dummy import DummyRegressor  # noqa: F401 (yours to use)
from sklearn.ensemble import RandomForestRegressor  # noqa: F401 (yours to use)
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge  # noqa: F401 (yours to use)
from sklearn.metrics import mean_absolute_error  # noqa: F401 (yours to use)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

Folds = list[tuple[np.ndarray, np.ndarray]]  # (training positions, test positions) per fold


@dataclass
class ZooResult:
    """What compare_on_folds measured."""

    folds: Folds  # the folds every model used, in order
    scores: dict[str, list[float]]  # model name -> its MAE on each test fold, in fold order


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


def make_zoo(seed: int = 0) -> dict[str, BaseEstimator]:
    """Untrained candidate models by name; seeded, single-threaded, small enough to be quick."""
    # TODO: return a dict name -> untrained model with at least four models: the median
    # baseline (DummyRegressor), Ridge behind one_hot_encoder(), RandomForestRegressor behind
    # ordinal_encoder() (make_pipeline joins them), and lgb.LGBMRegressor (it reads category
    # columns itself). random_state=seed and n_jobs=1 wherever a model has them; keep them
    # small (30 trees for the forest, 100 for LightGBM) so the checks stay fast.
    raise NotImplementedError("make_zoo: four or more models by name")


def compare_on_folds(models: dict[str, BaseEstimator], X: pd.DataFrame, y, cv) -> ZooResult:
    """Each model's MAE on every test fold, all models on the same folds drawn once from cv."""
    # TODO: draw the folds ONCE (a list of (train, test) position arrays from cv.split(X, y)),
    # then, for every model and every fold, train a fresh clone(model) on the training rows
    # and take its mean absolute error on the test rows.
    raise NotImplementedError("compare_on_folds: one list of folds, every model on it")


def leaderboard(result: ZooResult) -> pd.DataFrame:
    """Mean and standard deviation of each model's fold MAEs, lowest mean first."""
    # TODO: one row per model (index: its name), columns mean_mae and std_mae, sorted.
    raise NotImplementedError("leaderboard: mean and std of each model's MAEs, best first")


if __name__ == "__main__":
    from pathlib import Path

    from mlings.folds import TimeCardSplit

    data = Path(__file__).resolve().parents[2] / "data"
    sales = pd.read_csv(data / "sales_clean.csv", parse_dates=["sale_date"]).sample(
        2000, random_state=0
    )
    X = sales[["rarity", "variant", "condition", "platform"]].astype("category")
    X["psa_grade"] = sales["psa_grade"]
    X["sale_year"] = sales["sale_date"].dt.year
    folds = TimeCardSplit(sales, n_splits=3, share=0.2, gap_days=14)  # cut by time and card
    result = compare_on_folds(make_zoo(), X, np.log1p(sales["price_usd"]), folds)
    print(leaderboard(result))
