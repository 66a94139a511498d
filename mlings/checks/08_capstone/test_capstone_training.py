"""Checks for 08_capstone/training (capstone_training, 15 points): compare, tune, track, train.

compare_models and tune are judged with spy estimators put in place of candidate_models: each
spy records the rows it is fitted on and predicts from them, so the check knows every fold and
recomputes every MAE. The real candidates and train_model run on the course's clean sales,
through the learner's own features.py.
"""

import contextlib
import functools
import logging
import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, RegressorMixin, clone, is_regressor
from sklearn.metrics import mean_absolute_error

from mlings.dataset import make_cards, make_sales

SEED = int(os.environ.get("MLINGS_GRADE_SEED", "0"))
SPIES = ("spy_rarity", "spy_mean", "spy_rarity_too", "spy_mean_too")
FITTED: dict[str, list[frozenset]] = {}  # spy tag -> the listing ids of each fit, in order
PREDICTED: dict[str, list[frozenset]] = {}  # spy tag -> the listing ids of each predict
STOCHASTIC = {  # regressors whose result depends on their random_state
    "RandomForestRegressor",
    "ExtraTreesRegressor",
    "DecisionTreeRegressor",
    "ExtraTreeRegressor",
    "GradientBoostingRegressor",
    "HistGradientBoostingRegressor",
    "BaggingRegressor",
    "AdaBoostRegressor",
    "MLPRegressor",
    "SGDRegressor",
    "LGBMRegressor",
    "XGBRegressor",
    "CatBoostRegressor",
}


class Spy(RegressorMixin, BaseEstimator):
    """Records the rows (listing ids) it is fitted on and predicts, and predicts from them.

    mode "rarity": the median price of the row's rarity in its training rows (overall median
    for an unseen rarity); "mean": the mean training price; "memorize": the exact training
    price of a row it was fitted on, the mean price for any other row.
    """

    def __init__(self, tag: str = "spy", mode: str = "rarity"):
        self.tag = tag
        self.mode = mode

    def fit(self, X, y):
        ids = _ids(X)
        FITTED.setdefault(self.tag, []).append(frozenset(ids))
        y = np.asarray(y, dtype=float)
        rarity = _column(X, "rarity").astype(str)
        self.medians_ = pd.Series(y).groupby(rarity.to_numpy()).median().to_dict()
        self.median_ = float(np.median(y))
        self.mean_ = float(np.mean(y))
        self.seen_ = dict(zip(ids, y, strict=True))
        return self

    def predict(self, X):
        ids = _ids(X)
        PREDICTED.setdefault(self.tag, []).append(frozenset(ids))
        if self.mode == "rarity":
            rarity = _column(X, "rarity").astype(str)
            return rarity.map(self.medians_).fillna(self.median_).to_numpy(dtype=float)
        if self.mode == "memorize":
            return np.array([self.seen_.get(i, self.mean_) for i in ids], dtype=float)
        return np.full(len(ids), self.mean_)


def _column(X, name: str) -> pd.Series:
    if isinstance(X, pd.DataFrame):
        return X[name].reset_index(drop=True)
    position = {"listing_id": 0, "rarity": 1}[name]  # the spy data's column order
    return pd.Series(np.asarray(X, dtype=object)[:, position])


def _ids(X) -> list[int]:
    return [int(i) for i in _column(X, "listing_id")]


def _reset_spies() -> None:
    FITTED.clear()
    PREDICTED.clear()


@functools.cache
def _spy_data() -> tuple[pd.DataFrame, pd.Series]:
    """Sales as (X, y in dollars) for the spies; X's first columns are listing_id and rarity."""
    sales = make_sales(make_cards(n=500), seed=[SEED, 31], n=600, start="2018-01-01")
    X = sales[["listing_id", "rarity", "variant", "condition", "psa_grade"]]
    X = X.set_axis(pd.RangeIndex(1000, 1000 + len(X), name="row"))  # an index that is not 0..n
    # Prices that follow the rarity closely: the per-rarity median wins any fair comparison
    # (real prices are so heavy-tailed that 600 of them may not say so).
    level = X["rarity"].astype("category").cat.codes.to_numpy()
    noise = np.random.default_rng([SEED, 32]).uniform(0.0, 4.0, len(X))
    return X, pd.Series(5.0 + 20.0 * level + noise, index=X.index, name="price_usd")


def _spy_models(exercise, tags=SPIES) -> dict:
    modes = {"spy_rarity": "rarity", "spy_rarity_too": "rarity"}
    models = {tag: Spy(tag, modes.get(tag, "mean")) for tag in tags}
    return {exercise.BASELINE if tag == tags[0] else tag: model for tag, model in models.items()}


def _compare_with_spies(exercise, monkeypatch, **kwargs) -> tuple[pd.DataFrame, dict]:
    """compare_models with the spies as the candidates; (its table, the spy of each name)."""
    models = _spy_models(exercise)
    monkeypatch.setattr(exercise, "candidate_models", lambda *args, **kw: models)
    _reset_spies()
    X, y = _spy_data()
    table = exercise.compare_models(X, y, **kwargs)
    monkeypatch.undo()
    return table, models


def _folds(tag: str, n_rows: int) -> list[frozenset]:
    """The training rows of each CV fit of a spy (a fit on every row is not a fold)."""
    fits = FITTED.get(tag, [])
    assert fits, (
        "compare_models never trained the models candidate_models() returns (the check put spy "
        "models there): train and score each of them, in this process (no n_jobs)."
    )
    return [fit for fit in fits if len(fit) < n_rows]


@functools.cache
def _course() -> tuple[pd.DataFrame, pd.DataFrame]:
    root = Path(os.environ["MLINGS_ROOT"]) / "data"
    cards = pd.read_csv(root / "cards.csv", parse_dates=["release_date"])
    sales = pd.read_csv(root / "sales_clean.csv", parse_dates=["sale_date"])
    return cards, sales


def _algorithm(model) -> set[str]:
    """The regressor classes inside a (possibly nested) model, meta-estimators left out."""
    meta = {"Pipeline", "TransformedTargetRegressor", "GridSearchCV", "RandomizedSearchCV"}
    found = set()
    parts = [model, *model.get_params(deep=True).values()]
    for part in parts:
        if isinstance(part, BaseEstimator) and is_regressor(part):
            name = type(part).__name__
            if name not in meta:
                found.add(name)
    return found


@pytest.mark.points(1.5)
def test_candidates_are_a_baseline_and_four_algorithms(exercise):
    """candidate_models has the per-rarity median under BASELINE and >= 4 other seeded algorithms"""
    models = exercise.candidate_models(seed=7)
    assert isinstance(models, dict), (
        f"candidate_models returned {type(models).__name__}; return a dict of name -> model."
    )
    assert exercise.BASELINE in models, (
        f"candidate_models has no model named BASELINE ({exercise.BASELINE!r}): keep the "
        f"per-rarity median under that name. It has {sorted(models)}."
    )
    assert exercise.FINAL in models, (
        f"candidate_models has no model named FINAL ({exercise.FINAL!r}), the one train_model "
        f"trains. It has {sorted(models)}."
    )
    X, y = _spy_data()
    baseline = clone(models[exercise.BASELINE]).fit(X, y)
    medians = y.groupby(X["rarity"]).median()
    assert np.allclose(baseline.predict(X), X["rarity"].map(medians).to_numpy(dtype=float)), (
        "The BASELINE model does not predict the median price of each rarity: keep the given "
        "RarityMedian() there."
    )
    others = {name: model for name, model in models.items() if name != exercise.BASELINE}
    kinds = {name: _algorithm(model) for name, model in others.items()}
    distinct = set().union(*kinds.values()) if kinds else set()
    assert len(others) >= 4 and len(distinct) >= 4, (
        f"Besides the baseline, candidate_models has {len(others)} models using {len(distinct)} "
        f"different algorithms ({sorted(distinct)}): compare at least four different kinds of "
        "regressor (e.g. a linear model, nearest neighbours, a random forest, boosting)."
    )
    for name, model in models.items():
        parts = [model, *model.get_params(deep=True).values()]
        unseeded = {
            type(part).__name__: part.random_state
            for part in parts
            if type(part).__name__ in STOCHASTIC and part.random_state != 7
        }
        assert not unseeded, (
            f"candidate_models(seed=7) gave {name!r} the random_state {unseeded}: seed every "
            "random model with the seed argument, so a comparison can be repeated exactly."
        )


@pytest.mark.points(1.5)
def test_candidates_train_on_the_features_and_predict_dollars(exercise):
    """every candidate trains on build_features output and predicts dollars; one beats baseline"""
    cards, sales = _course()
    rows = sales[sales["sale_date"] >= "2023-01-01"].sample(2500, random_state=SEED)
    rows = rows.sort_values(["sale_date", "listing_id"])
    features = exercise.build_features(rows, cards)
    train, test = slice(0, 2000), slice(2000, None)
    X_train, X_test = features.iloc[train], features.iloc[test]
    y_train, y_test = rows["price_usd"].iloc[train], rows["price_usd"].iloc[test]
    maes = {}
    for name, model in exercise.candidate_models(seed=SEED).items():
        try:
            predicted = np.asarray(clone(model).fit(X_train, y_train).predict(X_test), float)
        except Exception as error:
            raise AssertionError(
                f"The candidate {name!r} failed to train or predict on build_features(sales, "
                f"cards): {type(error).__name__}: {error}"
            ) from None
        assert predicted.shape == (len(X_test),) and np.isfinite(predicted).all(), (
            f"The candidate {name!r} predicted {predicted.shape} values, or some not finite, for "
            f"{len(X_test)} sales: one dollar price per sale."
        )
        maes[name] = mean_absolute_error(y_test, predicted)
    best = min((mae, name) for name, mae in maes.items() if name != exercise.BASELINE)
    baseline = maes[exercise.BASELINE]
    assert best[0] < baseline, (
        f"No candidate beats the baseline on later sales: best {best[1]!r} ${best[0]:.2f} MAE, "
        f"baseline ${baseline:.2f}. Models trained on log1p(price) must answer in dollars "
        "(price_pipeline does both); check your features carry information."
    )


@pytest.mark.points(3)
def test_compare_models_uses_identical_folds(exercise, monkeypatch):
    """every model is trained and scored on the same folds (rejects new folds per model)"""
    _compare_with_spies(exercise, monkeypatch, n_splits=4, seed=SEED)
    X, _ = _spy_data()
    everyone = frozenset(X["listing_id"])
    first = _folds(SPIES[0], len(X))
    for tag in SPIES:
        folds = _folds(tag, len(X))
        assert len(folds) == 4, (
            f"With n_splits=4 a model was trained on {len(folds)} folds: train each model once "
            "per fold, on that fold's training rows."
        )
        assert set(folds) == set(first), (
            "The models were trained on different folds: the check's spy models saw different "
            "training rows. Draw the folds once (a KFold with random_state=seed, split once) "
            "and give every model the same ones."
        )
        tested = [everyone - fold for fold in folds]
        assert (
            sum(len(part) for part in tested) == len(everyone)
            and frozenset().union(*tested) == everyone
        ), (
            "The folds' held-out parts do not cover every row exactly once: use K-fold "
            "cross-validation, each row held out in exactly one fold."
        )
        predicted = set(PREDICTED.get(tag, []))
        missing = [part for part in tested if part not in predicted]
        assert not missing, (
            "A model was not scored on a fold's held-out rows: predict the rows the fold holds "
            "out (and only then compute its MAE)."
        )


@pytest.mark.points(2.5)
def test_compare_models_reports_each_folds_dollar_mae(exercise, monkeypatch):
    """the table has each model's held-out dollar MAE per fold, fold k the same rows for all"""
    table, models = _compare_with_spies(exercise, monkeypatch, n_splits=4, seed=SEED)
    assert isinstance(table, pd.DataFrame) and {"model", "fold", "mae_usd"} <= set(table), (
        f"compare_models returned {type(table).__name__} with columns "
        f"{list(getattr(table, 'columns', []))}; expected a DataFrame with model, fold, mae_usd."
    )
    assert len(table) == len(models) * 4, (
        f"The table has {len(table)} rows for {len(models)} models and 4 folds; expected one row "
        "per model and fold."
    )
    assert set(table["model"]) == set(models), (
        f"The table's models are {sorted(set(table['model']))}; expected the names of "
        f"candidate_models(): {sorted(models)}."
    )
    assert sorted(set(table["fold"])) == [0, 1, 2, 3], (
        f"The folds are numbered {sorted(set(table['fold']))}; number them 0 to n_splits - 1."
    )
    X, y = _spy_data()
    y_of = dict(zip(X["listing_id"], y, strict=True))
    everyone = frozenset(X["listing_id"])
    for name, spy in models.items():
        expected = []
        for fold in _folds(spy.tag, len(X)):
            rows = X[X["listing_id"].isin(fold)]
            held_out = X[X["listing_id"].isin(everyone - fold)]
            fitted = clone(spy).set_params(tag="check").fit(rows, y.loc[rows.index])
            truth = [y_of[i] for i in held_out["listing_id"]]
            expected.append(mean_absolute_error(truth, fitted.predict(held_out)))
        got = table.loc[table["model"] == name, "mae_usd"].to_numpy(dtype=float)
        assert np.allclose(np.sort(got), np.sort(expected), rtol=1e-9, atol=1e-9), (
            f"{name!r}: the table's mae_usd are {np.round(np.sort(got), 4).tolist()}, the "
            f"check recomputes {np.round(np.sort(expected), 4).tolist()} from the same model "
            "on each fold's held-out rows. Report mean_absolute_error(y_test, predictions) in "
            "dollars (not log units, not the training rows' error, not negated)."
        )
    by_fold = table.pivot_table(index="fold", columns="model", values="mae_usd")
    pairs = [(exercise.BASELINE, "spy_rarity_too"), ("spy_mean", "spy_mean_too")]
    for one, other in pairs:
        assert np.allclose(by_fold[one], by_fold[other]), (
            "Two identical models got different MAEs on the same fold number: fold k must be "
            "the same rows for every model in the table."
        )


@pytest.mark.points(1)
def test_compare_models_honours_seed_and_n_splits(exercise, monkeypatch):
    """the same seed gives the same table, another seed other folds, n_splits sets the fold count"""
    X, _ = _spy_data()
    first, _ = _compare_with_spies(exercise, monkeypatch, n_splits=3, seed=SEED)
    folds = set(_folds(SPIES[0], len(X)))
    assert len(folds) == 3, (
        f"With n_splits=3 the models were trained on {len(folds)} folds; use n_splits folds."
    )
    again, _ = _compare_with_spies(exercise, monkeypatch, n_splits=3, seed=SEED)
    assert set(_folds(SPIES[0], len(X))) == folds and np.allclose(
        first["mae_usd"].to_numpy(float), again["mae_usd"].to_numpy(float)
    ), (
        "compare_models gave different folds or MAEs for the same seed: shuffle the folds "
        "with random_state=seed, so a comparison can be repeated exactly."
    )
    _compare_with_spies(exercise, monkeypatch, n_splits=3, seed=SEED + 1)
    assert set(_folds(SPIES[0], len(X))) != folds, (
        "compare_models drew the same folds for two different seeds: shuffle the rows into "
        "folds with the seed (KFold(n_splits, shuffle=True, random_state=seed))."
    )


def _tune_with_spy(exercise, monkeypatch, X, y, seed) -> dict:
    models = {exercise.BASELINE: Spy("baseline"), exercise.FINAL: Spy("tuned")}
    monkeypatch.setattr(exercise, "candidate_models", lambda *args, **kw: models)
    _reset_spies()
    grid = {"mode": ["memorize", "rarity", "mean"]}
    try:
        chosen = exercise.tune(X, y, grid, seed=seed)
    finally:
        monkeypatch.undo()
    assert FITTED.get("tuned"), (
        "tune never trained candidate_models()[FINAL] (the check put a spy model there) in "
        "this process: search the grid on that model, without n_jobs."
    )
    return chosen


@pytest.mark.points(2)
def test_tune_chooses_by_cross_validation(exercise, monkeypatch):
    """tune returns the grid point with the best cross-validated MAE (rejects the training score)"""
    X, y = _spy_data()
    chosen = _tune_with_spy(exercise, monkeypatch, X, y, SEED)
    assert isinstance(chosen, dict) and set(chosen) == {"mode"}, (
        f"tune returned {chosen!r}; return the chosen grid point as a dict with the grid's keys, "
        "e.g. {'mode': ...} for the grid {'mode': [...]}."
    )
    message = (
        f"tune chose {chosen!r}; cross-validation prefers {{'mode': 'rarity'}} (the per-rarity "
        "median) on the rows it was given."
    )
    if chosen["mode"] == "memorize":
        message += (
            " 'memorize' is perfect on the rows it was trained on and poor on any other: score "
            "each setting on held-out folds, not on its own training rows."
        )
    assert chosen == {"mode": "rarity"}, message
    scored_apart = any(
        not (predicted & fit)
        for predicted in PREDICTED.get("tuned", [])
        for fit in FITTED.get("tuned", [])
    )
    assert scored_apart, (
        "tune never scored a setting on rows it was not trained on: use cross-validation."
    )


@pytest.mark.points(1)
def test_tune_uses_only_the_rows_it_is_given(exercise, monkeypatch):
    """tune cross-validates on 3 folds of the rows it is given only, shuffled with the seed"""
    X, y = _spy_data()
    given = slice(0, 450)
    first = _tune_with_spy(exercise, monkeypatch, X.iloc[given], y.iloc[given], SEED)
    fits = list(FITTED["tuned"])
    allowed = frozenset(X["listing_id"].iloc[given])
    seen = frozenset().union(*FITTED["tuned"], *PREDICTED.get("tuned", []))
    assert seen <= allowed, (
        f"tune trained or scored the model on {len(seen - allowed)} rows it was not given: "
        "search with the rows passed in only (never the test rows, never data read elsewhere)."
    )
    folds = {fit for fit in fits if fit != allowed}
    assert len(folds) == 3, (
        f"tune trained the model on {len(folds)} different sets of rows besides all of them; "
        "cross-validate each grid point on the same 3 folds (KFold(3, shuffle=True, "
        "random_state=seed))."
    )
    perturbed_y = y.copy()
    perturbed_y.iloc[450:] = perturbed_y.iloc[450:].to_numpy()[::-1] * 7.0
    again = _tune_with_spy(exercise, monkeypatch, X.iloc[given], perturbed_y.iloc[given], SEED)
    assert again == first and FITTED["tuned"] == fits, (
        "tune gave different folds or a different choice for the same rows and seed: shuffle "
        "the folds with random_state=seed."
    )
    _tune_with_spy(exercise, monkeypatch, X.iloc[given], y.iloc[given], SEED + 1)
    assert {fit for fit in FITTED["tuned"] if fit != allowed} != folds, (
        "tune drew the same folds for two different seeds: cv=3 gives unshuffled blocks of "
        "rows (a block of time when sales are sorted by date). Pass "
        "KFold(3, shuffle=True, random_state=seed) as cv."
    )


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


def _run_model(run) -> str | None:
    """The model a run is about: its run name, or a "model" parameter or tag."""
    return run.data.params.get("model") or run.data.tags.get("model") or run.info.run_name


@pytest.mark.points(1.5)
def test_log_runs_records_one_run_per_model(exercise, mlflow_module, tracking_uri):
    """log_runs stores one finished run per model with its mean mae_usd, found with MlflowClient"""
    maes = {
        "rarity_median": [30.0, 34.0, 29.0],
        "ridge": [21.0, 25.5, 20.0],
        "knn": [9.0, 8.0, 7.5],
    }
    results = pd.DataFrame(
        [
            {"model": name, "fold": fold, "mae_usd": mae}
            for fold in range(3)
            for name, scores in maes.items()
            for mae in [scores[fold]]
        ]
    )
    ids = exercise.log_runs(results, tracking_uri)
    assert isinstance(ids, list) and len(ids) == len(maes) and len(set(ids)) == len(maes), (
        f"log_runs returned {ids!r} for a table of {len(maes)} models; return one run id per "
        "model (run.info.run_id), in the table's model order."
    )
    client = mlflow_module.MlflowClient(tracking_uri)
    for run_id, (name, scores) in zip(ids, maes.items(), strict=True):
        try:
            run = client.get_run(run_id)
        except Exception:
            raise AssertionError(
                f"No run {run_id!r} in the MLflow store at the tracking_uri the check passed: "
                "log there (mlflow.set_tracking_uri(tracking_uri)) and return run.info.run_id."
            ) from None
        assert _run_model(run) == name, (
            f"The run {run_id!r} is named {run.info.run_name!r}; expected {name!r}, the model "
            "it scores (mlflow.start_run(run_name=name)), in the table's model order."
        )
        metric = run.data.metrics.get("mae_usd")
        assert metric is not None and metric == pytest.approx(np.mean(scores), rel=1e-9), (
            f"The run of {name!r} has mae_usd {metric!r}; expected its mean over the folds, "
            f"{np.mean(scores):.4f} (mlflow.log_metric('mae_usd', ...))."
        )
        assert run.info.status == "FINISHED", (
            f"The run of {name!r} is {run.info.status}: use `with mlflow.start_run(...):` so "
            "each run is closed."
        )
        experiment = client.get_experiment(run.info.experiment_id)
        assert experiment.name == exercise.EXPERIMENT, (
            f"The run of {name!r} is in the experiment {experiment.name!r}; log the runs in "
            f"EXPERIMENT ({exercise.EXPERIMENT!r}) with mlflow.set_experiment."
        )


@functools.cache
def _trained(exercise):
    cards, sales = _course()
    return exercise.train_model(sales[sales["sale_date"] < "2024-01-01"], cards)


@pytest.mark.points(1)
def test_train_model_prices_new_sales(exercise):
    """train_model returns a model whose predict prices sales without price_usd, row by row"""
    _, sales = _course()
    model = _trained(exercise)
    later = sales[sales["sale_date"] >= "2024-01-01"].sample(800, random_state=SEED)
    later = later.drop(columns="price_usd")
    assert hasattr(model, "predict"), (
        f"train_model returned {type(model).__name__}; return the PriceModel (it has predict)."
    )
    predicted = np.asarray(model.predict(later), dtype=float)
    assert predicted.shape == (len(later),) and np.isfinite(predicted).all(), (
        f"predict gave {predicted.shape} values (or some not finite) for {len(later)} sales "
        "without price_usd: one dollar price per sale."
    )
    actual = sales.loc[later.index, "price_usd"]
    ratio = predicted.sum() / actual.sum()
    assert (predicted >= 0).all() and 0.2 < ratio < 5, (
        f"predict's prices add up to {ratio:.2f} times the actual prices of these sales (or "
        "some are negative): answer in dollars (expm1 of a log1p prediction), not in log units."
    )
    order = np.random.default_rng(SEED).permutation(len(later))
    shuffled = later.iloc[order].set_axis(pd.RangeIndex(len(later)) + 77)
    again = np.asarray(model.predict(shuffled), dtype=float)
    assert np.allclose(again, predicted[order], rtol=1e-6, atol=1e-6), (
        "predict gave different prices for the same sales in another order and with another "
        "index: answer row by row, in the order of the rows given."
    )
