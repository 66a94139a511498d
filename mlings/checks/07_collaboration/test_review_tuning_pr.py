"""Checks for 07_collaboration/03_review_tuning_pr: review PR #102, then tune, report honestly."""

import contextlib
import functools
import math
import re

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.model_selection import ParameterGrid, TimeSeriesSplit

from mlings.dataset import make_cards, make_sales
from mlings.review import (
    Defect,
    judge_blockers_rated,
    judge_every_defect_named,
    judge_false_alarms,
    judge_majors_rated,
    learner_findings,
)

DIFF = "exercises/07_collaboration/pokemarket_repo/prs/02_tune_hyperparameters.diff"
TRAIN = "pokemarket/train.py"

DEFECTS: tuple[Defect, ...] = (
    Defect(
        id="chosen_and_reported_on_validation",
        file=TRAIN,
        lines=(70, 79),
        categories=frozenset({"evaluation", "leakage"}),
        severity="blocker",
        about="the setting is chosen by its validation MAE and that same minimum is written to "
        "metrics.json as the expected error: the best of 10 scores on the sales it was picked "
        "for is biased low, and no untouched data is left to measure the tuned model.",
    ),
    Defect(
        id="unseeded_search",
        file=TRAIN,
        lines=(68, 68),
        categories=frozenset({"reproducibility"}),
        severity="minor",
        about="ParameterSampler without random_state: each run tries other settings, so a "
        "retrain can ship another model with other metrics.",
    ),
    Defect(
        id="params_overridden",
        file=TRAIN,
        lines=(44, 46),
        categories=frozenset({"correctness", "evaluation"}),
        severity="major",
        about="{**params, **PARAMS}: PARAMS wins, so learning_rate and max_leaf_nodes from the "
        "grid are replaced by the fixed ones; only l2_regularization is really searched.",
    ),
)
NUDGES = {  # where to look, without the category or the line numbers
    "chosen_and_reported_on_validation": "look at which sales choose the setting, and what "
    "metrics.json then says about the number they chose it by",
    "unseeded_search": "ask whether two runs of train() on the same sales try the same settings",
    "params_overridden": "look at which value wins when a setting from the grid and PARAMS name "
    "the same parameter",
}

HOLDOUT_START = "2024-01-01"  # the exercise's default
CATEGORICAL = ("rarity", "variant", "condition", "platform")
GRID = {"alpha": [0.03, 3.0, 1000.0], "use_grade": [True, False]}


# ---------------------------------------------------------------- the review


def test_findings_are_well_formed(exercise):
    """your findings are well-formed: file, lines, category, severity and a one-sentence note"""
    learner_findings(exercise)


def test_every_defect_is_named(exercise):
    """every defect the pull request brings in is named by one of your findings"""
    judge_every_defect_named(learner_findings(exercise), DEFECTS, NUDGES)


def test_blocker_is_rated_blocker(exercise):
    """the defect that must stop the merge is rated blocker"""
    judge_blockers_rated(
        learner_findings(exercise), DEFECTS, harm="quote sellers an error the model does not have"
    )


def test_major_defects_are_not_rated_minor(exercise):
    """a defect that breaks something real is rated major or blocker (rejects minor or nit)"""
    judge_majors_rated(learner_findings(exercise), DEFECTS)


def test_at_most_one_false_alarm(exercise):
    """at most one finding names no defect (precision: what only looks unusual is fine)"""
    judge_false_alarms(learner_findings(exercise), DEFECTS)


# ---------------------------------------------------------------- the fix

LOG: list[dict] = []  # every fit and predict of the check's models, in order


class _Spy(RegressorMixin, BaseEstimator):
    """A small ridge regression on the log price that notes every sale it fits and predicts."""

    def __init__(self, alpha: float = 1.0, use_grade: bool = True, tag: int = 0):
        self.alpha = alpha
        self.use_grade = use_grade
        self.tag = tag  # changes nothing: settings that differ only by tag tie

    def _design(self, X) -> np.ndarray:
        assert isinstance(X, pd.DataFrame) and {"listing_id", "sale_date"} <= set(X.columns), (
            "A model from make_model was given something other than rows of the sales with their "
            "columns: fit and predict with the sales rows themselves (model.fit(rows, "
            'rows["price_usd"])), the model picks its own features.'
        )
        ids, design = _design_table()
        where = np.searchsorted(ids, X["listing_id"].to_numpy())
        return design[where] if self.use_grade else design[where, :-2]

    def _note(self, event: str, X) -> None:
        LOG.append(
            {
                "event": event,
                "model": id(self),
                "params": {"alpha": self.alpha, "use_grade": self.use_grade, "tag": self.tag},
                "ids": X["listing_id"].to_numpy(),
                "dates": X["sale_date"].to_numpy(),
                "last": pd.Timestamp(X["sale_date"].to_numpy().max()),
            }
        )

    def fit(self, X, y):
        A = self._design(X)
        target = np.log1p(np.asarray(y, dtype=float))
        penalty = self.alpha * np.eye(A.shape[1])
        penalty[0, 0] = 0.0  # no penalty on the intercept
        self.coef_ = np.linalg.solve(A.T @ A + penalty, A.T @ target)
        self._note("fit", X)
        return self

    def predict(self, X):
        self._note("predict", X)
        return np.expm1(self._design(X) @ self.coef_)


def _spy(params: dict) -> _Spy:
    return _Spy(**params)


SEEDS = (1, 2)


@functools.cache
def _design_table() -> tuple[np.ndarray, np.ndarray]:
    """(listing ids, sorted; their rows of features): one-hot columns, then the PSA grade."""
    sales = pd.concat([_sales(seed) for seed in SEEDS]).sort_values("listing_id")
    parts = [np.ones((len(sales), 1))]
    for column in CATEGORICAL:
        codes, _ = pd.factorize(sales[column], sort=True)  # -1 for a missing value
        parts.append(np.eye(codes.max() + 2)[codes][:, :-1])
    grade_ = pd.to_numeric(sales["psa_grade"], errors="coerce").to_numpy(dtype=float)
    parts.append(np.column_stack([np.nan_to_num(grade_) / 10, np.isnan(grade_)]))
    return sales["listing_id"].to_numpy(), np.hstack(parts)


@functools.cache
def _base(seed: int) -> pd.DataFrame:
    cards = make_cards(n=300)
    return make_sales(cards, seed=seed, n=700, start="2022-06-01", end="2024-04-30")


@functools.cache
def _sales(seed: int = 1) -> pd.DataFrame:
    """700 sales, one a day from 2022-06-01 to 2024-04-30, shuffled, with odd index labels."""
    sales = _base(seed).sort_values("sale_date", kind="stable")
    sales = sales.assign(
        sale_date=pd.date_range("2022-06-01", periods=len(sales), freq="D"),
        listing_id=sales["listing_id"] + seed * 10_000_000,  # no id in two seeds' sales
    )
    return sales.sample(frac=1.0, random_state=seed).set_axis(np.arange(len(sales)) * 3 + 7)


def _mae(model, rows: pd.DataFrame) -> float:
    return float(np.mean(np.abs(rows["price_usd"].to_numpy() - model.predict(rows))))


def _scores(sales: pd.DataFrame, grid: dict, n_splits: int = 3) -> list[tuple[dict, float]]:
    """Each setting of the grid, in ParameterGrid order, with its mean time-ordered fold MAE."""
    ordered = sales.sort_values("sale_date")
    folds = list(TimeSeriesSplit(n_splits=n_splits).split(ordered))
    scored = []
    for params in ParameterGrid(grid):
        errors = []
        for fit_rows, score_rows in folds:
            earlier, later = ordered.iloc[fit_rows], ordered.iloc[score_rows]
            errors.append(_mae(_Spy(**params).fit(earlier, earlier["price_usd"]), later))
        scored.append((params, float(np.mean(errors))))
    return scored


@functools.cache
def _reference(seed: int, grid: tuple, holdout_start: str, n_splits: int, day_in_past=False):
    """The contract's answer: (each setting's score, setting, selection MAE, holdout MAE), or,
    with day_in_past, the answer of the mistake that counts holdout_start's sales in the past."""
    sales, grid = _sales(seed), {name: list(values) for name, values in grid}
    after = sales["sale_date"] > pd.Timestamp(holdout_start)
    if not day_in_past:
        after = sales["sale_date"] >= pd.Timestamp(holdout_start)
    past, holdout = sales[~after], sales[after]
    scored = _scores(past, grid, n_splits)
    params, score = min(scored, key=lambda each: each[1])  # the first of any tie
    model = _Spy(**params).fit(past, past["price_usd"])
    return scored, params, score, _mae(model, holdout)


def _key(grid: dict) -> tuple:
    return tuple((name, tuple(values)) for name, values in grid.items())


def _expected(seed: int, grid=None, holdout_start=HOLDOUT_START, n_splits=3):
    """(setting, selection MAE, holdout MAE) as the contract defines them."""
    return _reference(seed, _key(grid or GRID), holdout_start, n_splits)[1:]


@functools.cache
def _fold_scores(seed: int, grid: tuple, n_splits: int) -> list[tuple[dict, float]]:
    """What select_params scores each setting at, on all the sales of _sales(seed)."""
    return _scores(_sales(seed), {name: list(values) for name, values in grid}, n_splits)


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-6)


def _positions_as_labels(error: KeyError, sales: pd.DataFrame) -> bool:
    """Whether the missing keys are row positions of the sales but not index labels of them."""
    keys = [int(key) for key in re.findall(r"-?\d+", str(error))]
    return (
        bool(keys)
        and all(0 <= key < len(sales) for key in keys)
        and not set(keys) <= set(sales.index)
    )


@contextlib.contextmanager
def _advice(function: str, sales: pd.DataFrame):
    """Turn two known errors into advice: settings sent to the module's own make_model, and row
    positions looked up as index labels (the check's sales have the labels 7, 10, 13, ...)."""
    try:
        yield
    except ValueError as error:
        if "Invalid parameter" in str(error):
            raise AssertionError(
                "A setting of the check's grid went to a model the check did not give you: build "
                "every model with the make_model passed in as an argument, not the module's own."
            ) from None
        raise
    except KeyError as error:
        if not _positions_as_labels(error, sales):
            raise
        shown = str(error) if len(str(error)) <= 80 else str(error)[:80].rsplit(",", 1)[0] + ", …"
        raise AssertionError(
            f"{function} raised KeyError ({shown}). Those numbers are row positions, as "
            "TimeSeriesSplit gives them, but .loc looks up index labels, and the check's sales "
            "are labelled 7, 10, 13, ... (not 0, 1, 2, ...): use .iloc for positions."
        ).with_traceback(error.__traceback__) from None


def _select(exercise, sales, grid, n_splits=3, make_model=None) -> tuple[dict, float]:
    LOG.clear()
    with _advice("select_params", sales):
        got = exercise.select_params(sales.copy(), grid, make_model or _spy, n_splits=n_splits)
    assert isinstance(got, tuple | list) and len(got) == 2, (
        f"select_params returned {type(got).__name__}; expected a tuple (setting, score)."
    )
    params, score = got
    assert LOG, (
        "select_params never fitted a model from the make_model it was given: build every "
        "model with make_model(setting), in this process (no n_jobs)."
    )
    return dict(params), float(score)


def _report(exercise, sales, grid=None, **kwargs):
    LOG.clear()
    with _advice("tune_and_report", sales):
        report = exercise.tune_and_report(sales.copy(), grid or GRID, _spy, **kwargs)
    for field in ("params", "selection_mae", "holdout_mae"):
        assert hasattr(report, field), (
            f"tune_and_report returned {type(report).__name__} without .{field}; return a "
            "Report(params, selection_mae, holdout_mae)."
        )
    assert LOG, (
        "tune_and_report never fitted a model from the make_model it was given: build every "
        "model with make_model(setting), in this process (no n_jobs)."
    )
    return report


@functools.cache
def _plain_run(exercise, seed: int) -> tuple[tuple[dict, float, float], tuple[dict, ...]]:
    """((params, selection_mae, holdout_mae), LOG) of tune_and_report on _sales(seed), defaults
    kept: one run that several checks read."""
    report = _report(exercise, _sales(seed))
    got = (dict(report.params), float(report.selection_mae), float(report.holdout_mae))
    return got, tuple(LOG)


def _plain_report(exercise, seed: int) -> tuple[dict, float, float]:
    """(params, selection_mae, holdout_mae) of tune_and_report on _sales(seed), defaults kept."""
    return _plain_run(exercise, seed)[0]


def _day_in_past(seed: int, selection_mae: float) -> str:
    """A sentence when selection_mae is that of choosing with holdout_start's sale in the past."""
    _, _, score, _ = _reference(seed, _key(GRID), HOLDOUT_START, 3, day_in_past=True)
    if not _close(selection_mae, score) or _close(selection_mae, _expected(seed)[1]):
        return ""
    return (
        f" Your selection_mae is what choosing with the sales up to and including {HOLDOUT_START} "
        "gives: the sale made on holdout_start itself belongs to the holdout (sale_date >= "
        "holdout_start); only the sales before it (<) choose."
    )


def _time_travel(log=LOG) -> str:
    """A model in the log that scored sales older than the newest sale it was fitted on, if any."""
    fitted = {}
    for entry in log:
        if entry["event"] == "fit":
            fitted[entry["model"]] = entry
            continue
        fit = fitted.get(entry["model"])
        if fit is None:
            continue
        unseen = ~np.isin(entry["ids"], fit["ids"])  # scoring its own training rows is no harm
        if unseen.any() and entry["dates"][unseen].min() < fit["last"]:
            return (
                f"a model fitted on sales up to {fit['last']:%Y-%m-%d} scored sales from "
                f"{pd.Timestamp(entry['dates'][unseen].min()):%Y-%m-%d}"
            )
    return ""


def test_select_params_folds_respect_time(exercise):
    """each fold scores later sales than it was fitted on (rejects shuffled KFold, unsorted rows)"""
    _select(exercise, _sales(), {"alpha": [3.0], "use_grade": [True, False]})
    travel = _time_travel()
    assert not travel, (
        f"In select_params, {travel}: it learnt from the future it was asked to predict. "
        "Sort the sales by sale_date and use TimeSeriesSplit; shuffled folds (or folds over rows "
        "in the order they came) let later sales teach the model, and flatter it."
    )


def test_select_params_returns_the_best_setting_and_its_score(exercise):
    """select_params returns the setting with the lowest mean fold MAE, and that mean"""
    for seed in (1, 2):
        sales = _sales(seed)
        params, score = _select(exercise, sales, GRID)
        scored = _fold_scores(seed, _key(GRID), 3)
        best, best_score = min(scored, key=lambda s: s[1])
        mine = [s for p, s in scored if p == params]
        assert mine, f"select_params returned {params}, which is not a setting of the grid."
        assert _close(score, mine[0]), (
            f"select_params returned {params} with the score {score:.4f}, but that setting's "
            f"mean MAE over TimeSeriesSplit(3) folds of the sales in date order is "
            f"{mine[0]:.4f}. The score is the mean of the folds' dollar MAEs (not their sum, not "
            "the log price's error, not another split)."
        )
        assert params == best, (
            f"select_params chose {params} (mean fold MAE {mine[0]:.4f}) but {best} scores "
            f"{best_score:.4f}: keep the setting with the LOWEST score."
        )


def test_select_params_tries_every_setting(exercise):
    """select_params tries every setting of the grid it is given, with make_model"""
    grid = {"alpha": [0.5, 5.0, 50.0], "use_grade": [False, True]}
    _select(exercise, _sales(), grid, n_splits=2)
    tried = {(e["params"]["alpha"], e["params"]["use_grade"]) for e in LOG if e["event"] == "fit"}
    wanted = {(p["alpha"], p["use_grade"]) for p in ParameterGrid(grid)}
    assert wanted <= tried, (
        f"select_params never fitted the settings {sorted(wanted - tried)} of the grid it was "
        "given: try every setting of ParameterGrid(grid), each as make_model(setting)."
    )


def test_select_params_honours_n_splits(exercise):
    """select_params scores with n_splits time-ordered folds (2 and 5 as well as 3)"""
    sales, grid = _sales(), {"alpha": [0.03, 3.0]}
    for n_splits in (2, 5):
        params, score = _select(exercise, sales, grid, n_splits=n_splits)
        scored = {tuple(sorted(p.items())): s for p, s in _fold_scores(1, _key(grid), n_splits)}
        expected = scored.get(tuple(sorted(params.items())))
        assert expected is not None, f"select_params returned {params}, not a grid setting."
        assert _close(score, expected), (
            f"With n_splits={n_splits}, select_params scored {params} at {score:.4f}; its mean "
            f"MAE over TimeSeriesSplit(n_splits={n_splits}) is {expected:.4f}. Use the n_splits "
            "you are given."
        )


def _twins(params: dict) -> _Spy:
    """Settings whose a and b differ are the same good model and tie; a == b is a poor one."""
    return _Spy(alpha=0.03 if params["a"] != params["b"] else 1000.0)


def test_select_params_breaks_ties_by_grid_order(exercise):
    """a tie goes to the first tied setting in ParameterGrid order (rejects the grid's key order)"""
    grid = {"alpha": [10.0], "tag": [3, 1, 2]}  # tag changes nothing: all three tie
    params, _ = _select(exercise, _sales(), grid, n_splits=2)
    first = next(iter(ParameterGrid(grid)))
    assert params == first, (
        f"Three settings that score exactly the same: select_params chose {params}, but a tie "
        f"goes to the first in ParameterGrid(grid) order, {first} (values in the order the grid "
        "lists them). Replace the best only when a setting is strictly better."
    )
    grid = {"b": [1, 2], "a": [1, 2]}  # {a: 1, b: 2} and {a: 2, b: 1} tie for best
    params, _ = _select(exercise, _sales(), grid, n_splits=2, make_model=_twins)
    first = list(ParameterGrid(grid))[1]  # ParameterGrid sorts the keys: a, then b
    assert params == first, (
        f"With the grid {grid}, the settings {first} and {{'a': 2, 'b': 1}} tie for the lowest "
        f"score: select_params chose {dict(sorted(params.items()))}, but a tie goes to the first "
        "in ParameterGrid(grid) order, and ParameterGrid sorts the keys (a before b) before "
        "combining their values. "
        "Walk ParameterGrid(grid) itself, not itertools.product over grid.values() in the "
        "dict's own key order."
    )


def test_holdout_prices_never_change_the_choice(exercise):
    """the holdout's prices never change the setting chosen (rejects choosing on the holdout)"""
    for seed, how, scale in ((1, "all $1", None), (2, "100 times higher", 100.0)):
        sales = _sales(seed)
        params, selection_mae, holdout_mae = _plain_report(exercise, seed)
        holdout = sales["sale_date"] >= pd.Timestamp(HOLDOUT_START)
        changed = sales.copy()
        prices = 1.0 if scale is None else sales.loc[holdout, "price_usd"] * scale
        changed.loc[holdout, "price_usd"] = prices
        again = _report(exercise, changed)
        assert dict(again.params) == params, (
            f"Making the holdout's prices {how} changed the setting chosen from {params} to "
            f"{dict(again.params)}: the holdout took part in choosing. Choose with the sales "
            "before holdout_start only; the holdout scores the chosen model once, afterwards."
            + _day_in_past(seed, selection_mae)
        )
        assert _close(float(again.selection_mae), selection_mae), (
            f"Making the holdout's prices {how} changed selection_mae from "
            f"{selection_mae:.4f} to {float(again.selection_mae):.4f}: it must come from the "
            "sales before holdout_start only." + _day_in_past(seed, selection_mae)
        )
        assert not _close(float(again.holdout_mae), holdout_mae), (
            f"Making the holdout's prices {how} did not change holdout_mae "
            f"({holdout_mae:.4f}): it is not measured on the holdout's sales."
        )


def test_holdout_mae_is_the_chosen_models_error(exercise):
    """holdout_mae is the chosen model's MAE on the holdout (rejects quoting the selection score)"""
    for seed in (1, 2):
        params, _, got = _plain_report(exercise, seed)
        expected_params, score, holdout_mae = _expected(seed)
        assert params == expected_params, (
            f"tune_and_report chose {params}; select_params on the sales before "
            f"{HOLDOUT_START} (and only those) chooses {expected_params}."
        )
        message = (
            f"holdout_mae is {got:.4f}; the chosen setting fitted on every sale before "
            f"{HOLDOUT_START} has an MAE of {holdout_mae:.4f} on the sales from that day on."
        )
        if _close(got, score):
            message += (
                " You report the selection score: it chose the setting, so it flatters it. Score "
                "the refitted model on the holdout and report that."
            )
        else:
            message += (
                " Refit make_model(chosen setting) on ALL the sales before holdout_start (not "
                "one fold's), then score it once on the holdout."
            )
        assert _close(got, holdout_mae), message


def test_selection_mae_is_reported_apart(exercise):
    """selection_mae is the chosen setting's own selection score, reported apart from holdout_mae"""
    _, got, _ = _plain_report(exercise, 2)
    _, score, holdout_mae = _expected(2)
    hint = " That is the holdout's MAE: keep the two apart." if _close(got, holdout_mae) else ""
    assert _close(got, score), (
        f"selection_mae is {got:.4f}; the chosen setting's mean fold MAE on the sales before "
        f"{HOLDOUT_START} (select_params's score) is {score:.4f}.{hint}"
    )


def test_no_model_learns_from_the_holdout(exercise):
    """no model is fitted on a holdout sale, and only the chosen model ever scores one"""
    log = _plain_run(exercise, 1)[1]
    start = pd.Timestamp(HOLDOUT_START)
    late = [e for e in log if e["event"] == "fit" and e["last"] >= start]
    assert not late, (
        f"A model was fitted on sales up to {late[0]['last']:%Y-%m-%d}, past holdout_start "
        f"({HOLDOUT_START}): the holdout must stay untouched until the final score, or that "
        "score measures sales the model has seen."
    )
    travel = _time_travel(log)
    assert not travel, f"In tune_and_report, {travel}: sort by sale_date, never shuffle."
    fits, scorers = {}, set()  # a model is known by its latest fit: ids of freed ones recur
    for number, entry in enumerate(log):
        if entry["event"] == "fit":
            fits[entry["model"]] = number
        elif (entry["dates"] >= start.to_datetime64()).any():
            scorers.add(fits.get(entry["model"]))
    assert len(scorers) == 1, (
        f"{len(scorers)} different fitted models predicted holdout sales. Only the chosen "
        "model, fitted once on all the sales before holdout_start, may see the holdout: a "
        "holdout scored for every candidate is one you have looked at while choosing."
    )


def test_a_sale_on_holdout_start_is_in_the_holdout(exercise):
    """a sale made on holdout_start itself belongs to the holdout: scored, never fitted"""
    sales = _sales()
    (sale,) = sales.loc[sales["sale_date"] == pd.Timestamp(HOLDOUT_START), "listing_id"]
    log = _plain_run(exercise, 1)[1]
    fitted = [e for e in log if e["event"] == "fit" and sale in e["ids"]]
    scored = [e for e in log if e["event"] == "predict" and sale in e["ids"]]
    assert not fitted and scored, (
        f"The sale made on {HOLDOUT_START} (holdout_start itself) was "
        + ("fitted on" if fitted else "never scored")
        + ": the holdout is the sales FROM holdout_start on, that day included (>=), and the "
        "sales before it (<) choose and fit."
    )


def test_every_parameter_is_honoured(exercise):
    """holdout_start, n_splits and the grid given are honoured, not only their defaults"""
    sales = _sales(2)
    grid = {"alpha": [0.3, 30.0], "use_grade": [False, True]}
    for holdout_start, n_splits in (("2023-09-01", 4), ("2023-03-15", 2)):
        report = _report(exercise, sales, grid, holdout_start=holdout_start, n_splits=n_splits)
        params, score, holdout_mae = _expected(2, grid, holdout_start, n_splits)
        got = (dict(report.params), float(report.selection_mae), float(report.holdout_mae))
        assert got[0] == params and _close(got[1], score) and _close(got[2], holdout_mae), (
            f"With holdout_start={holdout_start!r}, n_splits={n_splits} and the grid {grid}, "
            f"tune_and_report gave (params, selection_mae, holdout_mae) = ({got[0]}, "
            f"{got[1]:.4f}, {got[2]:.4f}); expected ({params}, {score:.4f}, {holdout_mae:.4f}). "
            "Pass every argument on: the grid and n_splits to select_params, and split at the "
            "holdout_start you are given."
        )
