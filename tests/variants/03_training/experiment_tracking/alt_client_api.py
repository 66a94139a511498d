"""ALTERNATIVE: MlflowClient only (no fluent API), a CSV-bytes fingerprint, the fingerprint as
a parameter, and best_run picking the minimum in Python."""

import hashlib
import logging

import lightgbm as lgb
import numpy as np
import pandas as pd
from mlflow import MlflowClient
from sklearn.model_selection import cross_val_score

from mlings.folds import TimeCardSplit

logging.getLogger("mlflow").setLevel(logging.WARNING)

EXPERIMENT = "card-prices"
METRIC = "cv_mae"


def make_model(params, seed):
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


def data_fingerprint(sales):
    """sha256 of the sales written as CSV (header, every value, in row order)."""
    return hashlib.sha256(sales.to_csv(index=False).encode()).hexdigest()


def _experiment_id(client, name):
    found = client.get_experiment_by_name(name)
    return found.experiment_id if found else client.create_experiment(name)


def train_and_log(sales, params, seed, tracking_uri, experiment=EXPERIMENT):
    """Cross-validate one setting and record it as an MLflow run; returns the run id."""
    client = MlflowClient(tracking_uri)
    run = client.create_run(_experiment_id(client, experiment))
    run_id = run.info.run_id
    for name, value in {**params, "seed": seed}.items():
        client.log_param(run_id, name, value)
    client.log_param(run_id, "data_fingerprint", data_fingerprint(sales))
    client.log_metric(run_id, METRIC, cv_mae(sales, params, seed))
    client.set_terminated(run_id)
    return run_id


def best_run(tracking_uri, experiment=EXPERIMENT):
    """The id of the experiment's run with the lowest METRIC, as stored."""
    client = MlflowClient(tracking_uri)
    runs = client.search_runs([client.get_experiment_by_name(experiment).experiment_id])
    return min(runs, key=lambda run: run.data.metrics[METRIC]).info.run_id
