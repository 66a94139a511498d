"""Correct: fingerprint = sha256 of the sales as CSV; runs recorded through MlflowClient calls.

data_fingerprint hashes the column names and every value in row order (the CSV text of the
sales, without the index); train_and_log uses the client API (get-or-create the experiment,
create_run, log_batch of params + seed + metric, a data_fingerprint tag, set_terminated)
instead of the fluent mlflow.start_run; best_run searches the experiment ordered by cv_mae ASC.
"""

import hashlib
import logging

import lightgbm as lgb
import mlflow  # noqa: F401 (yours to use)
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
    text = sales.to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%dT%H:%M:%S.%f")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _experiment_id(client: MlflowClient, name: str) -> str:
    found = client.get_experiment_by_name(name)
    if found is not None:
        if found.lifecycle_stage == "deleted":
            client.restore_experiment(found.experiment_id)
        return found.experiment_id
    return client.create_experiment(name)


def train_and_log(
    sales: pd.DataFrame, params: dict, seed: int, tracking_uri: str, experiment: str = EXPERIMENT
) -> str:
    """Cross-validate one setting and record it as an MLflow run; returns the run id."""
    from mlflow.entities import Metric, Param

    client = MlflowClient(tracking_uri)
    fingerprint = data_fingerprint(sales)
    run = client.create_run(
        _experiment_id(client, experiment), tags={"data_fingerprint": fingerprint}
    )
    run_id = run.info.run_id
    try:
        value = cv_mae(sales, params, seed)
        logged = [Param(str(k), str(v)) for k, v in params.items()]
        logged.append(Param("seed", str(seed)))
        stamp = int(pd.Timestamp.now(tz="UTC").timestamp() * 1000)
        client.log_batch(run_id, metrics=[Metric(METRIC, value, stamp, 0)], params=logged)
    except BaseException:
        client.set_terminated(run_id, status="FAILED")
        raise
    client.set_terminated(run_id, status="FINISHED")
    return run_id


def best_run(tracking_uri: str, experiment: str = EXPERIMENT) -> str:
    """The id of the experiment's run with the lowest METRIC, as stored."""
    client = MlflowClient(tracking_uri)
    found = client.get_experiment_by_name(experiment)
    if found is None:
        raise LookupError(f"no experiment named {experiment!r} in {tracking_uri}")
    runs = client.search_runs(
        [found.experiment_id],
        filter_string=f"metrics.{METRIC} >= 0",
        order_by=[f"metrics.{METRIC} ASC"],
        max_results=1,
    )
    if not runs:
        raise LookupError(f"no run of {experiment!r} has a {METRIC}")
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
