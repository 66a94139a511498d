"""Experiment tracking with MLflow

Three weeks and forty training runs later, someone asks: "which settings gave that 0.61 MAE,
on which data, with which seed?" If the answer lives in a notebook's scrollback, it is gone.
Track every run instead: its parameters, its seed, a fingerprint of the exact data it saw, and
its metrics, in a store you can query. Then any result can be found, compared and reproduced.

MLflow does this with a local store and no server: a SQLite file, named by a tracking URI
such as `sqlite:///mlruns/pokemarket.db`. (MLflow 3 refuses its old folder-of-files store.)
The calls you need:

    mlflow.set_tracking_uri(uri)          # where runs are stored
    mlflow.set_experiment(name)           # a named group of runs (created if new)
    with mlflow.start_run() as run:       # one run; it is closed when the block ends
        mlflow.log_params({...})          # settings (stored as text)
        mlflow.log_param("seed", seed)
        mlflow.set_tag("data_fingerprint", fingerprint)
        mlflow.log_metric("cv_mae", value)
    run.info.run_id                       # the run's id
    MlflowClient(uri).search_runs([experiment_id], order_by=["metrics.cv_mae ASC"])

The metric is the module's: cv_mae (given) scores the model on time-and-card folds
(mlings.folds.TimeCardSplit, the held-out cards drawn with the seed), so it depends on the
features and prices of the sales, and on their dates and cards too. The run's data is
therefore the sales table itself. A fingerprint is a hash of its content: the same sales give
the same fingerprint, and one changed cell (a price, a date, a card) gives a different one.
Together with the seed and the parameters it lets anyone re-run a run and get exactly the same
metric.

Write:

- data_fingerprint: a sha256 hex digest of the sales (values, column names, row order);
- train_and_log:    compute cv_mae(sales, params, seed) and record one run in the experiment:
                    every parameter, the seed, the data fingerprint (as a tag or a parameter
                    named "data_fingerprint") and the metric METRIC; return the run id;
- best_run:         the id of the experiment's run with the lowest METRIC, read back from the
                    store with MlflowClient.

Done when: the checks read every run back through MlflowClient and find its parameters, seed,
fingerprint and metric; running the same inputs twice logs exactly the same metric; and
best_run picks the run with the lowest MAE.

Stuck? Run `mlings hint`.
"""

import hashlib
import logging

import lightgbm as lgb
import mlflow
import numpy as np
import pandas as pd
from mlflow import MlflowClient
from sklearn.model_selection import cross_val_score

from mlings.folds import TimeCardSplit

logging.getLogger("mlflow").setLevel(logging.WARNING)  # keep MLflow's INFO lines out of the way

EXPERIMENT = "card-prices"
METRIC = "cv_mae"


def make_model(params: dict, seed: int) -> lgb.LGBMRegressor:
    """The pricing model with the given settings, seeded and single-threaded."""
    return lgb.LGBMRegressor(**params, random_state=seed, n_jobs=1, verbose=-1)


def features(sales: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """The model's features (text columns as category) and log1p(price), on the sales' index."""
    X = sales[["rarity", "variant", "condition", "platform"]].astype("category")
    X["psa_grade"] = sales["psa_grade"]
    return X, np.log1p(sales["price_usd"])


def cv_mae(sales: pd.DataFrame, params: dict, seed: int) -> float:
    """MAE of log1p(price) of make_model(params, seed) over 3 time-and-card folds of the sales
    (a 14-day gap before each cutoff; each fold's held-out cards drawn with the seed)."""
    X, y = features(sales)
    folds = TimeCardSplit(sales, n_splits=3, share=0.2, gap_days=14, seed=seed)
    scores = cross_val_score(
        make_model(params, seed), X, y, cv=folds, scoring="neg_mean_absolute_error"
    )
    return float(-scores.mean())


def data_fingerprint(sales: pd.DataFrame) -> str:
    """sha256 hex digest of the sales: changes with any cell, column name or the row order."""
    digest = hashlib.sha256()
    digest.update(",".join(map(str, sales.columns)).encode())
    digest.update(pd.util.hash_pandas_object(sales, index=False).to_numpy().tobytes())
    return digest.hexdigest()


def train_and_log(
    sales: pd.DataFrame, params: dict, seed: int, tracking_uri: str, experiment: str = EXPERIMENT
) -> str:
    """Cross-validate one setting and record it as an MLflow run; returns the run id."""
    mlflow.set_tracking_uri(tracking_uri)
    mlflow.set_experiment(experiment)
    with mlflow.start_run() as run:
        mlflow.log_params(params)
        mlflow.log_param("seed", seed)
        mlflow.set_tag("data_fingerprint", data_fingerprint(sales))
        mlflow.log_metric(METRIC, cv_mae(sales, params, seed))
    return run.info.run_id


def best_run(tracking_uri: str, experiment: str = EXPERIMENT) -> str:
    """The id of the experiment's run with the lowest METRIC, as stored."""
    client = MlflowClient(tracking_uri)
    found = client.get_experiment_by_name(experiment)
    runs = client.search_runs(
        [found.experiment_id], order_by=[f"metrics.{METRIC} ASC"], max_results=1
    )
    return runs[0].info.run_id


if __name__ == "__main__":
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    sales = pd.read_csv(root / "data" / "sales_clean.csv", parse_dates=["sale_date"])
    sales = sales.sample(4000, random_state=0)
    (root / "mlruns").mkdir(exist_ok=True)  # git ignores mlruns/
    uri = f"sqlite:///{root / 'mlruns' / 'pokemarket.db'}"
    for leaves in (7, 15, 31):
        train_and_log(sales, {"n_estimators": 100, "num_leaves": leaves}, seed=0, tracking_uri=uri)
    best = MlflowClient(uri).get_run(best_run(uri))
    print("best run:", best.data.params, best.data.metrics)
