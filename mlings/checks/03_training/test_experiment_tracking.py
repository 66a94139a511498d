"""Checks for 03_training/08_experiment_tracking: MLflow runs that can be found and reproduced."""

import contextlib
import logging
import os
import shutil

import numpy as np
import pandas as pd
import pytest

from mlings.dataset import make_cards, make_sales

CATALOG = make_cards(n=600)  # a sample of the catalog: quick to sell from
PARAMS = {"n_estimators": 25, "num_leaves": 15, "learning_rate": 0.2}


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    """Some PokéMarket sales, indexed by listing id, as the time-and-card folds read them."""
    sales = make_sales(CATALOG, seed=81, n=900, start="2019-01-01", end="2024-12-31")
    return sales.set_index(sales["listing_id"].rename(None))


@pytest.fixture(scope="module")
def mlflow_module():
    """MLflow, imported once for this file, with its INFO lines silenced."""
    import mlflow

    logging.getLogger("mlflow").setLevel(logging.WARNING)
    return mlflow


@pytest.fixture(scope="module")
def tracking_uri(mlflow_module, course_root, tmp_path_factory):
    """A fresh SQLite tracking store for this check file, copied from a cached empty one.

    Creating a store runs MLflow's database migrations (seconds); the first run caches an empty,
    migrated store under .mlings/cache/ (per MLflow version) and later runs copy it.
    """
    folder = tmp_path_factory.mktemp("mlflow")
    store = folder / "mlflow.db"
    cache = course_root / ".mlings" / "cache" / f"mlflow-{mlflow_module.__version__}-empty.db"
    if cache.is_file():
        shutil.copyfile(cache, store)
    else:
        mlflow_module.MlflowClient(f"sqlite:///{store}").search_experiments()  # migrates
        with contextlib.suppress(OSError):  # a read-only course folder: no cache, still fine
            cache.parent.mkdir(parents=True, exist_ok=True)
            partial = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
            shutil.copyfile(store, partial)
            os.replace(partial, cache)
    return f"sqlite:///{store}"


@pytest.fixture(scope="module")
def two_runs(exercise, data, tracking_uri):
    """The same inputs logged twice, in their own experiment."""
    return [
        exercise.train_and_log(data, PARAMS, 3, tracking_uri, experiment="check-rerun")
        for _ in range(2)
    ]


def read(mlflow_module, tracking_uri, run_id):
    client = mlflow_module.MlflowClient(tracking_uri)
    assert isinstance(run_id, str) and run_id, (
        f"train_and_log returned {run_id!r}; return the run's id (run.info.run_id)."
    )
    try:
        return client.get_run(run_id)
    except Exception:
        raise AssertionError(
            f"No run with the id {run_id!r} in the tracking store the check passed in: log to "
            "tracking_uri (mlflow.set_tracking_uri) and return run.info.run_id."
        ) from None


def test_fingerprint_follows_the_data(exercise, data):
    """the fingerprint is stable, and moves with any cell, price, date, column name or order"""
    sales = data
    first = exercise.data_fingerprint(sales)
    assert isinstance(first, str) and len(first) >= 16, (
        f"data_fingerprint returned {first!r}; expected a hex digest string (sha256)."
    )
    assert exercise.data_fingerprint(sales.copy()) == first, (
        "data_fingerprint gave a different answer for an identical copy of the data: hash the "
        "content, not the object (no id(), no memory addresses, no timestamps)."
    )
    edited = sales.copy()
    edited.iloc[7, edited.columns.get_loc("variant")] = "1st Edition"
    if sales["variant"].iloc[7] == "1st Edition":
        edited.iloc[7, edited.columns.get_loc("variant")] = "Holo"
    assert exercise.data_fingerprint(edited) != first, (
        "Changing one cell of the sales left the fingerprint unchanged: hash every value, not "
        "just the shape or the column names."
    )
    repriced = sales.copy()
    repriced.iloc[11, repriced.columns.get_loc("price_usd")] += 0.5
    assert exercise.data_fingerprint(repriced) != first, (
        "Changing one price left the fingerprint unchanged: the prices are the labels the "
        "metric is computed against."
    )
    redated = sales.copy()
    redated.iloc[13, redated.columns.get_loc("sale_date")] += pd.Timedelta(days=400)
    assert exercise.data_fingerprint(redated) != first, (
        "Moving one sale's date left the fingerprint unchanged: the dates decide the "
        "time-and-card folds, so they are part of the data."
    )
    renamed = sales.rename(columns={"platform": "platform_v2"})
    assert exercise.data_fingerprint(renamed) != first, (
        "Renaming one column left the fingerprint unchanged: the same values under another "
        "column name are other data to a model. Hash the column names too."
    )
    order = np.arange(len(sales))[::-1]
    assert exercise.data_fingerprint(sales.iloc[order]) != first, (
        "Reversing the row order left the fingerprint unchanged: the rows' order is part of "
        "the data a model is fitted on. Hash the values in order, not a sum or a sorted set of "
        "row hashes."
    )


def test_logs_params_seed_and_fingerprint(exercise, data, mlflow_module, tracking_uri, two_runs):
    """every run records its parameters, its seed and the data fingerprint"""
    run = read(mlflow_module, tracking_uri, two_runs[0])
    params, tags = run.data.params, run.data.tags
    for name, value in PARAMS.items():
        assert params.get(name) == str(value), (
            f"The run's parameter {name!r} is {params.get(name)!r}; expected {str(value)!r}. "
            "Log every parameter (mlflow.log_params(params))."
        )
    assert params.get("seed") == "3", (
        f"The run's parameter 'seed' is {params.get('seed')!r}; expected '3'. Log the seed."
    )
    logged = params.get("data_fingerprint", tags.get("data_fingerprint"))
    assert logged == exercise.data_fingerprint(data), (
        f"The run's data_fingerprint (tag or parameter) is {logged!r}; expected "
        "data_fingerprint(sales) of the sales it was cross-validated on."
    )


def test_logs_the_cross_validated_metric(exercise, data, mlflow_module, tracking_uri, two_runs):
    """every run records its cv_mae metric, the one cv_mae computes"""
    run = read(mlflow_module, tracking_uri, two_runs[0])
    metric = run.data.metrics.get(exercise.METRIC)
    expected = exercise.cv_mae(data, PARAMS, 3)
    assert metric is not None, (
        f"The run has no metric {exercise.METRIC!r} (it has {sorted(run.data.metrics)}): "
        "mlflow.log_metric(METRIC, value)."
    )
    assert metric == pytest.approx(expected, rel=1e-12), (
        f"The run's {exercise.METRIC} is {metric!r}; cv_mae(sales, params, seed) gives "
        f"{expected!r}."
    )


def test_rerun_reproduces_the_metric_exactly(exercise, mlflow_module, tracking_uri, two_runs):
    """running the same inputs twice records two runs with exactly the same metric"""
    first, second = (read(mlflow_module, tracking_uri, r) for r in two_runs)
    assert first.info.run_id != second.info.run_id, (
        "Two calls of train_and_log returned the same run: start a new run every time."
    )
    a, b = (run.data.metrics.get(exercise.METRIC) for run in (first, second))
    assert a == b, (
        f"The same data, parameters and seed gave {exercise.METRIC} {a!r}, then {b!r}: seed "
        "everything random with the seed, so a run can be reproduced exactly."
    )
    for run in (first, second):
        assert run.info.status == "FINISHED", (
            f"A run is still {run.info.status}: use `with mlflow.start_run():` so the run "
            "is closed when the block ends."
        )
    experiment = mlflow_module.MlflowClient(tracking_uri).get_experiment(first.info.experiment_id)
    assert experiment.name == "check-rerun", (
        f"The runs landed in the experiment {experiment.name!r}; log them in the experiment "
        "named by the `experiment` argument (mlflow.set_experiment(experiment))."
    )


def test_best_run_has_the_lowest_metric(exercise, data, mlflow_module, tracking_uri):
    """best_run reads the runs back and returns the one with the lowest MAE (rejects the highest)"""
    ids = [
        exercise.train_and_log(
            data, {**PARAMS, "n_estimators": rounds}, 0, tracking_uri, experiment="check-best"
        )
        for rounds in (80, 25, 3)
    ]
    client = mlflow_module.MlflowClient(tracking_uri)
    maes = {run_id: client.get_run(run_id).data.metrics[exercise.METRIC] for run_id in ids}
    best = min(maes, key=maes.get)
    got = exercise.best_run(tracking_uri, experiment="check-best")
    message = (
        f"best_run returned {got!r}; the run with the lowest {exercise.METRIC} "
        f"({maes[best]:.4f}) is {best!r}."
    )
    if got == max(maes, key=maes.get):
        message += " That is the run with the highest MAE: order by the metric ascending."
    assert got == best, message
