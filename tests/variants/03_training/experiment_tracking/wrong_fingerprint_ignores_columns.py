"""WRONG: the fingerprint hashes the values only, not the column names."""

import hashlib
import logging

import lightgbm as lgb
import mlflow
import numpy as np
import pandas as pd
from mlflow import MlflowClient
from sklearn.model_selection import KFold, cross_val_score

logging.getLogger("mlflow").setLevel(logging.WARNING)  # keep MLflow's INFO lines out of the way

EXPERIMENT = "card-prices"
METRIC = "cv_mae"


def make_model(params: dict, seed: int) -> lgb.LGBMRegressor:
    """The pricing model with the given settings, seeded and single-threaded."""
    return lgb.LGBMRegressor(**params, random_state=seed, n_jobs=1, verbose=-1)


def cv_mae(X: pd.DataFrame, y, params: dict, seed: int) -> float:
    """3-fold cross-validated MAE of make_model(params, seed), folds shuffled with the seed."""
    folds = KFold(n_splits=3, shuffle=True, random_state=seed)
    scores = cross_val_score(
        make_model(params, seed), X, y, cv=folds, scoring="neg_mean_absolute_error"
    )
    return float(-scores.mean())


def data_fingerprint(X: pd.DataFrame, y) -> str:
    """sha256 hex digest of the data: changes with any cell, label, column name or row order."""
    digest = hashlib.sha256()
    digest.update(pd.util.hash_pandas_object(X, index=False).to_numpy().tobytes())
    digest.update(np.ascontiguousarray(np.asarray(y, dtype=float)).tobytes())
    return digest.hexdigest()


def train_and_log(
    X: pd.DataFrame, y, params: dict, seed: int, tracking_uri: str, experiment: str = EXPERIMENT
) -> str:
    """Cross-validate one setting and record it as an MLflow run; returns the run id."""
    mlflow.set_tracking_uri(tracking_uri)
    mlflow.set_experiment(experiment)
    with mlflow.start_run() as run:
        mlflow.log_params(params)
        mlflow.log_param("seed", seed)
        mlflow.set_tag("data_fingerprint", data_fingerprint(X, y))
        mlflow.log_metric(METRIC, cv_mae(X, y, params, seed))
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
    sales = pd.read_csv(root / "data" / "sales_clean.csv").sample(2000, random_state=0)
    X = sales[["rarity", "variant", "condition", "platform"]].astype("category")
    X["psa_grade"] = sales["psa_grade"]
    y = np.log1p(sales["price_usd"])
    (root / "mlruns").mkdir(exist_ok=True)  # git ignores mlruns/
    uri = f"sqlite:///{root / 'mlruns' / 'pokemarket.db'}"
    for leaves in (7, 15, 31):
        train_and_log(X, y, {"n_estimators": 100, "num_leaves": leaves}, seed=0, tracking_uri=uri)
    best = MlflowClient(uri).get_run(best_run(uri))
    print("best run:", best.data.params, best.data.metrics)
