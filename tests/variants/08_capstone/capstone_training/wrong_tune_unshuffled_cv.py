"""Wrong: tune passes cv=3 to GridSearchCV, so its 3 folds are not shuffled with seed.

PokéMarket wants a price for every card a seller lists. Your data pipeline gives clean sales and
your features file turns them into model inputs; this file chooses, tunes, records and trains
the model. Your team will review it, so every claim has to hold: "LightGBM beats the baseline"
means it beat it on the same rows, "these settings are best" means cross-validation on the
training rows chose them, and every experiment can be found again in the MLflow store.

The inputs: X is `build_features(sales, cards)` (your features.py), one row per sale; y is
`sales["price_usd"]`, in US dollars. Every candidate model takes X and predicts dollars. The
given `price_pipeline(regressor)` makes one: your preprocessor (fitted inside the pipeline, so
cross-validation fits it on each fold's training rows only) and the regressor, trained on
`log1p(price)` and answering in dollars. The given `RarityMedian` is the baseline every model
has to beat: the median price of each rarity in the training rows.

Write:

- candidate_models: untrained models by name, seeded with `seed`: the baseline `RarityMedian()`
                    under the name BASELINE, and at least four different algorithms (each behind
                    `price_pipeline`), one of them named FINAL (the model `train_model` trains);
- compare_models:   `n_splits`-fold cross-validation shuffled with `seed`, the SAME folds for
                    every model of `candidate_models(seed)`: a DataFrame with one row per model
                    and fold, columns `model`, `fold` (0 to n_splits - 1) and `mae_usd` (the MAE
                    in dollars on that fold's held-out rows);
- tune:             the point of `grid` (parameter name -> values to try, for
                    `candidate_models(seed)[FINAL]`) with the lowest mean MAE over 3 folds of
                    (X, y) shuffled with `seed`, as a dict {parameter: value}; it uses nothing
                    but the rows it is given;
- log_runs:         one MLflow run per model of a compare_models table, in the experiment
                    EXPERIMENT of the store at `tracking_uri`: the run named after the model
                    (`run_name`), with the metric `mae_usd` (its mean over the folds); return
                    the run ids, in the table's model order;
- train_model:      fit `candidate_models()[FINAL]` (with your TUNED settings) on all of
                    `train_sales` and return a PriceModel.

`PriceModel.predict(sales)` (given) prices sales that have no `price_usd` column: it builds
their features after the training sales, the history your past-only features look back on.
Train every model in this process (no `n_jobs` in the search or the cross-validation): the
checks watch which rows each model is trained and scored on.

Done when: every model is scored on identical folds, tune chooses by cross-validation on the
rows it is given, the runs are found in your MLflow store, and the trained model prices new
sales. Training on the 40,000 clean sales should take well under a minute.

Stuck? Run `mlings hint`.
"""

import logging
from dataclasses import dataclass

import lightgbm as lgb
import mlflow
import numpy as np
import pandas as pd
from features import build_features, make_preprocessor
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.compose import TransformedTargetRegressor
from sklearn.ensemble import RandomForestRegressor
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_absolute_error
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler  # noqa: F401 (yours to use)

logging.getLogger("mlflow").setLevel(logging.WARNING)  # keep MLflow's INFO lines out of the way

BASELINE = "rarity_median"
FINAL = "lightgbm"
EXPERIMENT = "capstone"
TUNED: dict = {"model__regressor__num_leaves": 15, "model__regressor__learning_rate": 0.05}


class RarityMedian(RegressorMixin, BaseEstimator):
    """The baseline: the median price of each rarity in training, the overall median otherwise.

    (no need to change this class)
    """

    def __init__(self, column: str = "rarity"):
        self.column = column

    def fit(self, X: pd.DataFrame, y: pd.Series) -> "RarityMedian":
        target = pd.Series(np.asarray(y, dtype=float), index=X.index)
        groups = X[self.column].astype(str)
        self.medians_ = target.groupby(groups).median().to_dict()
        self.overall_ = float(target.median())
        return self

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        prices = X[self.column].astype(str).map(self.medians_).fillna(self.overall_)
        return prices.to_numpy(dtype=float)


def price_pipeline(regressor: BaseEstimator) -> Pipeline:
    """Your preprocessor, then the regressor trained on log1p(price), predicting dollars.

    Its parameters are named `features__...` and `model__regressor__...`
    (e.g. "model__regressor__max_depth"). (no need to change this function)
    """
    return Pipeline(
        [
            ("features", make_preprocessor()),
            (
                "model",
                TransformedTargetRegressor(
                    regressor=regressor, func=np.log1p, inverse_func=np.expm1
                ),
            ),
        ]
    )


@dataclass
class PriceModel:
    """A trained price model that keeps what it needs to price new sales.

    (no need to change this class)
    """

    pipeline: BaseEstimator  # fitted on build_features(history, cards)
    cards: pd.DataFrame  # the card catalog
    history: pd.DataFrame  # the training sales: what past-only features look back on

    def predict(self, sales: pd.DataFrame) -> np.ndarray:
        """Prices in dollars, one per row of sales (a price_usd column, if any, is ignored)."""
        new = sales.drop(columns="price_usd", errors="ignore").assign(
            sale_date=pd.to_datetime(sales["sale_date"])
        )
        both = pd.concat([self.history, new], ignore_index=True)
        features = build_features(both, self.cards).iloc[len(self.history) :]
        return np.clip(self.pipeline.predict(features), 0.0, None)


def candidate_models(seed: int = 0) -> dict[str, BaseEstimator]:
    """The baseline and at least four algorithms, untrained, seeded with seed."""
    return {
        BASELINE: RarityMedian(),
        "ridge": price_pipeline(make_pipeline(SimpleImputer(strategy="median"), Ridge(alpha=1.0))),
        "knn": price_pipeline(
            make_pipeline(SimpleImputer(strategy="median"), KNeighborsRegressor(n_neighbors=15))
        ),
        "random_forest": price_pipeline(
            RandomForestRegressor(
                n_estimators=60, max_depth=12, min_samples_leaf=3, random_state=seed, n_jobs=1
            )
        ),
        "lightgbm": price_pipeline(
            lgb.LGBMRegressor(n_estimators=300, random_state=seed, n_jobs=1, verbose=-1)
        ),
    }


def compare_models(
    X: pd.DataFrame, y: pd.Series, *, n_splits: int = 5, seed: int = 0
) -> pd.DataFrame:
    """Every candidate's dollar MAE on each of the same n_splits shuffled folds."""
    folds = list(KFold(n_splits=n_splits, shuffle=True, random_state=seed).split(X))
    rows = []
    for name, model in candidate_models(seed).items():
        for fold, (train_idx, test_idx) in enumerate(folds):
            fitted = clone(model).fit(X.iloc[train_idx], y.iloc[train_idx])
            predicted = fitted.predict(X.iloc[test_idx])
            mae = mean_absolute_error(y.iloc[test_idx], predicted)
            rows.append({"model": name, "fold": fold, "mae_usd": float(mae)})
    return pd.DataFrame(rows, columns=["model", "fold", "mae_usd"])


def tune(X: pd.DataFrame, y: pd.Series, grid: dict[str, list], *, seed: int = 0) -> dict:
    """The grid point with the lowest 3-fold cross-validated dollar MAE on (X, y) only."""
    search = GridSearchCV(
        candidate_models(seed)[FINAL],
        grid,
        scoring="neg_mean_absolute_error",
        cv=3,
        refit=False,
    )
    search.fit(X, y)
    return dict(search.best_params_)


def log_runs(results: pd.DataFrame, tracking_uri: str) -> list[str]:
    """One MLflow run per model of a compare_models table, with its mean mae_usd; the run ids."""
    mlflow.set_tracking_uri(tracking_uri)
    mlflow.set_experiment(EXPERIMENT)
    run_ids = []
    for name in results["model"].drop_duplicates():
        mean_mae = float(results.loc[results["model"] == name, "mae_usd"].mean())
        with mlflow.start_run(run_name=name) as run:
            mlflow.log_metric("mae_usd", mean_mae)
            run_ids.append(run.info.run_id)
    return run_ids


def train_model(train_sales: pd.DataFrame, cards: pd.DataFrame) -> PriceModel:
    """The FINAL model with the TUNED settings, fitted on every training sale."""
    history = train_sales.assign(sale_date=pd.to_datetime(train_sales["sale_date"])).reset_index(
        drop=True
    )
    X = build_features(history, cards)
    pipeline = candidate_models()[FINAL].set_params(**TUNED)
    pipeline.fit(X, history["price_usd"])
    return PriceModel(pipeline, cards, history=history)


if __name__ == "__main__":
    import time
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    cards = pd.read_csv(root / "data" / "cards.csv", parse_dates=["release_date"])
    sales = pd.read_csv(root / "data" / "sales_clean.csv", parse_dates=["sale_date"])
    train, test = (
        sales[sales["sale_date"] < "2024-01-01"],
        sales[sales["sale_date"] >= "2024-01-01"],
    )

    sample = train.sample(6000, random_state=0)  # a sample: comparing is 30 fits
    X, y = build_features(sample, cards), sample["price_usd"]
    results = compare_models(X, y)
    print(results.groupby("model")["mae_usd"].agg(["mean", "std"]).sort_values("mean"))
    grid = {
        "model__regressor__num_leaves": [15, 63],
        "model__regressor__learning_rate": [0.05, 0.1],
    }
    print("tuned:", tune(X, y, grid))

    (root / "mlruns").mkdir(exist_ok=True)  # git ignores mlruns/
    print("runs:", log_runs(results, f"sqlite:///{root / 'mlruns' / 'pokemarket.db'}"))

    started = time.perf_counter()
    model = train_model(train, cards)
    print(f"trained on {len(train):,} sales in {time.perf_counter() - started:.1f} s")
    predicted = model.predict(test.drop(columns="price_usd"))
    print(f"MAE on 2024: ${mean_absolute_error(test['price_usd'], predicted):,.2f}")
