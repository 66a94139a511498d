"""ALTERNATIVE: MlflowClient only (no fluent API), a CSV-bytes fingerprint, the fingerprint as
a parameter, and best_run picking the minimum in Python."""

import hashlib
import logging

import lightgbm as lgb
import numpy as np
from mlflow import MlflowClient
from sklearn.model_selection import KFold, cross_val_score

logging.getLogger("mlflow").setLevel(logging.WARNING)

EXPERIMENT = "card-prices"
METRIC = "cv_mae"


def make_model(params, seed):
    """The pricing model with the given settings, seeded and single-threaded."""
    return lgb.LGBMRegressor(**params, random_state=seed, n_jobs=1, verbose=-1)


def cv_mae(X, y, params, seed):
    """3-fold cross-validated MAE of make_model(params, seed), folds shuffled with the seed."""
    folds = KFold(n_splits=3, shuffle=True, random_state=seed)
    scores = cross_val_score(
        make_model(params, seed), X, y, cv=folds, scoring="neg_mean_absolute_error"
    )
    return float(-scores.mean())


def data_fingerprint(X, y):
    """sha256 of the data written as CSV, labels included."""
    table = X.assign(__label__=np.asarray(y, dtype=float))
    return hashlib.sha256(table.to_csv(index=False).encode()).hexdigest()


def _experiment_id(client, name):
    found = client.get_experiment_by_name(name)
    return found.experiment_id if found else client.create_experiment(name)


def train_and_log(X, y, params, seed, tracking_uri, experiment=EXPERIMENT):
    """Cross-validate one setting and record it as an MLflow run; returns the run id."""
    client = MlflowClient(tracking_uri)
    run = client.create_run(_experiment_id(client, experiment))
    run_id = run.info.run_id
    for name, value in {**params, "seed": seed}.items():
        client.log_param(run_id, name, value)
    client.log_param(run_id, "data_fingerprint", data_fingerprint(X, y))
    client.log_metric(run_id, METRIC, cv_mae(X, y, params, seed))
    client.set_terminated(run_id)
    return run_id


def best_run(tracking_uri, experiment=EXPERIMENT):
    """The id of the experiment's run with the lowest METRIC, as stored."""
    client = MlflowClient(tracking_uri)
    runs = client.search_runs([client.get_experiment_by_name(experiment).experiment_id])
    return min(runs, key=lambda run: run.data.metrics[METRIC]).info.run_id
