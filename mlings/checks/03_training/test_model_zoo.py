"""Checks for 03_training/02_model_zoo: four+ models compared on one set of folds."""

from typing import ClassVar

import lightgbm as lgb
import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, RegressorMixin, clone, is_regressor
from sklearn.model_selection import KFold
from threadpoolctl import threadpool_limits

from mlings.dataset import make_cards, make_sales
from mlings.folds import TimeCardSplit

CATALOG = make_cards(n=600)  # a sample of the catalog: quick to sell from
RANDOM_MODULES = ("sklearn.ensemble", "sklearn.tree", "sklearn.neural_network", "lightgbm")


def pokemarket(sales: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Features (text columns as category) and log1p(price) of some PokéMarket sales."""
    sales = sales.join(CATALOG.set_index("card_id")[["series", "release_date"]], on="card_id")
    X = pd.DataFrame(
        {
            col: sales[col].astype("category")
            for col in ("rarity", "variant", "condition", "platform", "series")
        },
        index=sales.index,
    )
    X["psa_grade"] = sales["psa_grade"]
    X["card_age_years"] = (sales["sale_date"] - sales["release_date"]).dt.days / 365.25
    return X, np.log1p(sales["price_usd"]).rename("log_price")


class FreshFolds:
    """A splitter that draws different folds at every call of split(), and remembers them."""

    def __init__(self, n_splits: int = 4):
        self.n_splits = n_splits
        self.drawn: list[list[tuple[np.ndarray, np.ndarray]]] = []

    def get_n_splits(self, X=None, y=None, groups=None):
        return self.n_splits

    def split(self, X, y=None, groups=None):
        folds = list(
            KFold(self.n_splits, shuffle=True, random_state=100 + len(self.drawn)).split(X)
        )
        self.drawn.append(folds)
        yield from folds


class Recorder(RegressorMixin, BaseEstimator):
    """Predicts the training mean plus `shift`; logs the rows each copy trains and predicts on."""

    log: ClassVar[list[tuple[str, str, frozenset]]] = []

    def __init__(self, name: str = "m", shift: float = 0.0):
        self.name = name
        self.shift = shift

    @staticmethod
    def _rows(X) -> frozenset:
        keys = X["row_key"] if isinstance(X, pd.DataFrame) else np.asarray(X)[:, 0]
        return frozenset(np.asarray(keys).astype(int).tolist())

    def fit(self, X, y):
        Recorder.log.append((self.name, "fit", self._rows(X)))
        self.mean_ = float(np.mean(y)) + self.shift
        return self

    def predict(self, X):
        Recorder.log.append((self.name, "predict", self._rows(X)))
        return np.full(len(X), self.mean_)


@pytest.fixture(scope="module")
def toy():
    """60 rows with a row key, in a shuffled order, and a skewed target."""
    rng = np.random.default_rng(4)
    X = pd.DataFrame({"row_key": np.arange(60), "size": rng.normal(size=60)})
    X = X.sample(frac=1.0, random_state=2)
    y = pd.Series(rng.lognormal(size=60), index=X.index)
    return X, y


def run_recorders(exercise, toy):
    X, y = toy
    Recorder.log.clear()
    cv = FreshFolds(4)
    models = {"a": Recorder("a"), "b": Recorder("b", shift=1.0), "c": Recorder("c", shift=-0.5)}
    result = exercise.compare_on_folds(models, X, y, cv)
    assert cv.drawn, "compare_on_folds never called cv.split(...): draw the folds from cv."
    return X, y, cv, result


def as_sets(X, folds):
    keys = X["row_key"].to_numpy()
    return [
        (frozenset(keys[np.asarray(tr)].tolist()), frozenset(keys[np.asarray(te)].tolist()))
        for tr, te in folds
    ]


def _estimators(model):
    yield model
    for value in model.get_params(deep=True).values():
        if isinstance(value, BaseEstimator):
            yield value


def test_the_zoo_has_four_seeded_models(exercise):
    """the zoo holds 4+ untrained models, scikit-learn and LightGBM, seeded and with n_jobs=1"""
    zoo = exercise.make_zoo(seed=7)
    assert isinstance(zoo, dict) and len(zoo) >= 4, (
        f"make_zoo returned {len(zoo) if isinstance(zoo, dict) else type(zoo).__name__} "
        "models; expected a dict of at least four models by name."
    )
    lightgbm = [
        n for n, m in zoo.items() if any(isinstance(e, lgb.LGBMModel) for e in _estimators(m))
    ]
    assert lightgbm, "The zoo has no LightGBM model: add an lgb.LGBMRegressor."
    assert len(zoo) - len(lightgbm) >= 3, (
        "The zoo needs at least three scikit-learn models besides LightGBM (the median "
        "baseline, Ridge, a random forest)."
    )
    for name, model in zoo.items():
        assert is_regressor(model), (
            f"zoo[{name!r}] is not a regressor (or a Pipeline ending in one)."
        )
        clone(model)
        for part in _estimators(model):
            params = part.get_params(deep=False)
            kind = type(part).__name__
            threads = params.get("n_jobs", 1)
            if isinstance(part, lgb.LGBMModel):
                assert threads == 1, (
                    f"zoo[{name!r}]'s {kind} has n_jobs={threads!r}; LightGBM then uses every "
                    "core. Use n_jobs=1 so the checks (and your laptop) stay predictable."
                )
            else:
                assert threads in (None, 1), (
                    f"zoo[{name!r}]'s {kind} has n_jobs={threads!r}; use n_jobs=1 (or leave it "
                    "at None) so the checks stay predictable."
                )
            seed = params.get("random_state")
            random_kind = type(part).__module__.startswith(RANDOM_MODULES)
            if seed is not None or random_kind:
                assert seed == 7, (
                    f"zoo[{name!r}]'s {kind} has random_state={seed!r} for make_zoo(seed=7); "
                    "seed every random model with the seed, or two runs will not give the "
                    "same scores."
                )


def test_every_model_trains_on_the_same_folds(exercise, toy):
    """every model trains and is scored on the same folds (rejects drawing folds per model)"""
    _, _, cv, _ = run_recorders(exercise, toy)
    trained = {
        name: [rows for who, what, rows in Recorder.log if who == name and what == "fit"]
        for name in "abc"
    }
    assert all(len(fits) == 4 for fits in trained.values()), (
        "With a 4-fold splitter each model should be trained 4 times (once per fold); they "
        f"were trained {[len(f) for f in trained.values()]} times."
    )
    assert trained["a"] == trained["b"] == trained["c"], (
        "The three models were trained on different rows in the same fold: they did not share "
        f"folds. cv.split(...) was called {len(cv.drawn)} times and this splitter shuffles "
        "differently every time; call it once, keep the folds in a list, and give that list "
        "to every model."
    )


def test_returns_the_folds_it_used(exercise, toy):
    """returns the folds drawn from cv, and they are the ones every model used"""
    X, _, cv, result = run_recorders(exercise, toy)
    folds = list(result.folds)
    assert len(folds) == 4, f"result.folds has {len(folds)} folds; the splitter makes 4."
    returned = as_sets(X, folds)
    drawn = [as_sets(X, d) for d in cv.drawn]
    assert returned in drawn, (
        "result.folds are not folds the splitter cv produced: return the (train, test) "
        "position arrays you got from cv.split(X, y), as a list."
    )
    fits = [rows for who, what, rows in Recorder.log if who == "a" and what == "fit"]
    assert fits == [train for train, _ in returned], (
        "The models were not trained on the training part of the folds in result.folds, in "
        "order: return the folds the models actually used."
    )
    for name in "abc":
        predicted = {rows for who, what, rows in Recorder.log if who == name and what == "predict"}
        missing = [k for k, (_, test) in enumerate(returned) if test not in predicted]
        assert not missing, (
            f"Model {name!r} never predicted the test rows of fold(s) {missing}: score each "
            "model on each fold's test rows."
        )


def test_scores_are_the_mae_of_each_test_fold(exercise, toy):
    """scores are each test fold's MAE, positive (rejects negated scores and training-fold MAE)"""
    _, y, _, result = run_recorders(exercise, toy)
    assert set(result.scores) == {"a", "b", "c"}, (
        f"result.scores has the keys {sorted(result.scores)}; expected one per model: a, b, c."
    )
    target = y.to_numpy()
    for name, shift in (("a", 0.0), ("b", 1.0), ("c", -0.5)):
        got = np.asarray(list(result.scores[name]), dtype=float)
        expected = np.array(
            [np.mean(np.abs(target[te] - (target[tr].mean() + shift))) for tr, te in result.folds]
        )
        message = (
            f"Model {name!r} scored {np.round(got, 4).tolist()}; expected its MAE on each test "
            f"fold, {np.round(expected, 4).tolist()}."
        )
        if got.shape == expected.shape and np.allclose(got, -expected):
            message += " Those are negated: neg_mean_absolute_error is -MAE; report the MAE."
        assert got.shape == expected.shape and np.allclose(got, expected), message


def test_leaderboard_ranks_by_mean_mae(exercise):
    """the leaderboard has each model's mean and std of fold MAEs, lowest mean first"""
    scores = {"lightgbm": [0.5, 0.7, 0.6], "median": [1.9, 2.0, 2.1], "ridge": [0.4, 0.9, 0.8]}
    result = exercise.ZooResult(folds=[], scores=scores)
    board = exercise.leaderboard(result)
    assert isinstance(board, pd.DataFrame) and {"mean_mae", "std_mae"} <= set(board.columns), (
        "leaderboard must return a DataFrame with the columns mean_mae and std_mae."
    )
    assert list(board.index) == ["lightgbm", "ridge", "median"], (
        f"leaderboard lists the models as {list(board.index)}; expected the model names as the "
        "index, lowest mean MAE first: ['lightgbm', 'ridge', 'median']."
    )
    assert np.allclose(board["mean_mae"].to_numpy(dtype=float), [0.6, 0.7, 2.0]), (
        f"mean_mae is {board['mean_mae'].tolist()}; expected [0.6, 0.7, 2.0]."
    )
    stds = board["std_mae"].to_numpy(dtype=float)
    assert np.allclose(
        stds, [np.std(v) for v in (scores["lightgbm"], scores["ridge"], scores["median"])]
    ) or np.allclose(
        stds, [np.std(v, ddof=1) for v in (scores["lightgbm"], scores["ridge"], scores["median"])]
    ), f"std_mae is {stds.tolist()}; expected the standard deviation of each model's fold MAEs."


def test_the_zoo_beats_the_median_on_pokemarket(exercise):
    """on PokéMarket's time-and-card folds every model runs, and the best beats the median by a
    wide margin"""
    sales = make_sales(CATALOG, seed=22, n=400, start="2019-01-01", end="2024-12-31")
    X, y = pokemarket(sales)
    with threadpool_limits(limits=1):
        result = exercise.compare_on_folds(
            exercise.make_zoo(seed=0), X, y, TimeCardSplit(sales, n_splits=3, share=0.3)
        )
    means = {name: float(np.mean(maes)) for name, maes in result.scores.items()}
    assert all(np.isfinite(v) and v > 0 for v in means.values()), (
        f"Some models got no finite, positive MAE: {means}."
    )
    median = float(
        np.mean([np.mean(np.abs(y.iloc[te] - np.median(y.iloc[tr]))) for tr, te in result.folds])
    )
    best = min(means, key=means.get)
    assert means[best] < 0.6 * median, (
        f"The best model, {best!r}, has a mean MAE of {means[best]:.3f}, not much better than "
        f"the median baseline's {median:.3f}. The zoo's real models should learn something: "
        "check their features and settings."
    )
