"""Wrong: fingerprints only the features and target, not the sales table the folds were cut from.

Breaks "the run's data is therefore the sales table itself ... one changed cell (a price, a
date, a card) gives a different one": features(sales) has no sale_date or card_id, so moving a
sale's date or card changes the folds (and the metric) but not the fingerprint.
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
    X, y = features(sales)  # exactly what the model is trained on
    digest = hashlib.sha256()
    digest.update(",".join(X.columns).encode())
    digest.update(pd.util.hash_pandas_object(X, index=False).to_numpy().tobytes())
    digest.update(pd.util.hash_pandas_object(y, index=False).to_numpy().tobytes())
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
    runs = client.search_runs([found.experiment_id], order_by=[f"metrics.{METRIC} ASC"])
    return runs[0].info.run_id


if __name__ == "__main__":
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    store_dir = root / "mlruns"
    if not (root / "data").is_dir():  # this copy lives outside the repo: data from the cwd,
        root = Path.cwd()  # the store next to this file (nothing written into the repo)
        store_dir = Path(__file__).resolve().parent / "mlruns"
    sales = pd.read_csv(root / "data" / "sales_clean.csv", parse_dates=["sale_date"])
    sales = sales.sample(4000, random_state=0)
    store_dir.mkdir(exist_ok=True)  # git ignores mlruns/
    uri = f"sqlite:///{store_dir / 'pokemarket.db'}"
    for leaves in (7, 15, 31):
        train_and_log(sales, {"n_estimators": 100, "num_leaves": leaves}, seed=0, tracking_uri=uri)
    best = MlflowClient(uri).get_run(best_run(uri))
    print("best run:", best.data.params, best.data.metrics)
