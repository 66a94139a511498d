"""Checks for 07_collaboration/05_code_smells: smells found in a notebook export, and fixed."""

import ast
import dataclasses
import functools
import io
import os
import re
import tokenize
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_absolute_error
from sklearn.model_selection import KFold
from sklearn.preprocessing import StandardScaler

from mlings.dataset import make_cards, make_sales
from mlings.review import Defect, Finding, grade, problems

FILE = "notebooks/price_cv_export.py"
# The smells are in a whole file, not in a pull request: no DIFF, the file itself (from the root).
SOURCE = "exercises/07_collaboration/pokemarket_repo/notebooks/price_cv_export.py"
KINDS = (
    "unseeded-randomness",
    "fitted-across-folds",
    "magic-number",
    "silent-except",
    "notebook-state",
)
ALLOWED_FALSE_ALARMS = 1


def _defect(id_, lines, kind, severity, about) -> Defect:
    return Defect(id_, FILE, lines, frozenset({kind}), severity, about)


DEFECTS: tuple[Defect, ...] = (
    _defect("unseeded-sample", (33, 33), "unseeded-randomness", "major",
            "sales.sample(n=...) without random_state: another subset on every run"),
    _defect("silent-log-price", (41, 48), "silent-except", "major",
            "except Exception: pass turns bad prices into None; dropna deletes them unreported"),
    _defect("graded-condition-5", (56, 56), "magic-number", "minor",
            "fillna(5): graded cards' condition score, unexplained"),
    _defect("global-rarity-price", (59, 59), "notebook-state", "major",
            "make_features reads rarity_price, a global defined in a later cell"),
    _defect("rarity-encoder-all-rows", (66, 66), "fitted-across-folds", "major",
            "rarity mean log price fitted on all rows before the CV: target leakage"),
    _defect("scaler-all-rows", (69, 69), "fitted-across-folds", "minor",
            "StandardScaler fitted on all rows, reused in every fold"),
    _defect("maes-list-across-cells", (70, 80), "notebook-state", "major",
            "maes created in another cell: re-running the CV cell appends to the old list"),
    _defect("unseeded-kfold", (77, 77), "unseeded-randomness", "major",
            "KFold(shuffle=True) without random_state: new folds on every run"),
    _defect("eur-rate-0.87", (81, 81), "magic-number", "minor",
            "MAE multiplied by 0.87, an undated USD->EUR rate, printed without a currency"),
)  # fmt: skip

CONDITION_SCORE = {"NM": 4, "LP": 3, "MP": 2, "HP": 1, "DMG": 0}
GRADED_CONDITION = 5
RIDGE_ALPHA = 3.0


def _source_lines() -> list[str]:
    return (Path(os.environ["MLINGS_ROOT"]) / SOURCE).read_text(encoding="utf-8").splitlines()


# ---------------------------------------------------------------------------------- the review


def _smells(exercise) -> list[Finding]:
    smells = exercise.SMELLS
    assert isinstance(smells, list | tuple), (
        f"SMELLS is a {type(smells).__name__}; make it a list of Finding(...)."
    )
    return list(smells)


def _is_the_notebook(file: object) -> bool:
    given = str(file).strip().replace("\\", "/").removeprefix("./")
    return given in (FILE, f"a/{FILE}", f"b/{FILE}")


def _named(finding: Finding) -> str:
    return f"lines {finding.lines} ({finding.category})"


def test_findings_are_well_formed(exercise):
    """every finding names the notebook, its lines, a smell kind, a severity and a why"""
    smells = _smells(exercise)
    assert smells, "SMELLS is empty: add one Finding per smell you find in the notebook."
    # problems() knows the review categories; here a category is a smell kind, checked below.
    as_review = [
        dataclasses.replace(f, category="maintainability") if isinstance(f, Finding) else f
        for f in smells
    ]
    wrong = problems(as_review)
    last = len(_source_lines())
    for number, finding in enumerate(smells, start=1):
        if not isinstance(finding, Finding):
            continue
        where = f"finding {number} ({finding.file} {finding.lines})"
        if finding.category not in KINDS:
            wrong.append(f"{where}: category {finding.category!r} is not one of SMELL_KINDS.")
        if not _is_the_notebook(finding.file):
            wrong.append(
                f"{where}: file must be {FILE!r}, the notebook as the repository names it."
            )
        lines = finding.lines
        well_formed = isinstance(lines, tuple) and len(lines) == 2
        if well_formed and all(isinstance(n, int) for n in lines) and lines[1] > last:
            wrong.append(f"{where}: the notebook has {last} lines.")
    assert not wrong, " ".join(wrong[:4]) + (" …" if len(wrong) > 4 else "")


def _grade(exercise):
    smells = [f for f in _smells(exercise) if isinstance(f, Finding)]
    return grade(smells, DEFECTS)


def _in_words(count: int) -> str:
    return {1: "one", 2: "two", 3: "three"}.get(count, str(count))


def test_every_smell_is_named(exercise):
    """every planted smell is named by a finding (same lines, right kind)"""
    result = _grade(exercise)
    missed = Counter(kind for defect in result.missed for kind in defect.categories)
    absent = ", ".join(f"{_in_words(missed[kind])} {kind}" for kind in KINDS if missed[kind])
    assert not result.missed, (
        f"Your findings name {len(result.found)} of the {len(DEFECTS)} smells in the notebook. "
        f"Not in your list yet: {absent}. Read the notebook again with those kinds in mind: "
        "a smell can appear more than once, and a fitted object is named where it is fitted."
    )


def test_few_false_alarms(exercise):
    """at most one finding names no smell (rejects flagging every suspicious-looking line)"""
    result = _grade(exercise)
    alarms = result.false_alarms
    assert len(alarms) <= ALLOWED_FALSE_ALARMS, (
        f"{len(alarms)} of your findings name no smell: "
        + "; ".join(_named(f) for f in alarms)
        + ". Either the line is fine (ask: can it change the result?), or the kind is not the "
        "right one for what is wrong there."
    )


# ---------------------------------------------------------------------------------- the fix


@functools.cache
def _cards() -> pd.DataFrame:
    return make_cards(n=300)


@functools.cache
def _frame(name: str) -> pd.DataFrame:
    """400 sales with an index that is not 0..n-1 (KFold gives positions, not labels)."""
    seed, start, end = {"a": (1, "2020-01-01", "2021-12-31"), "b": (2, "2018-01-01", "2019-12-31")}[
        name
    ]
    sales = make_sales(_cards(), seed=seed, n=400, start=start, end=end)
    return sales.set_axis(np.arange(len(sales))[::-1] * 3 + 1000)


def _honest_features(frame, rarity_value):
    return pd.DataFrame(
        {
            "condition": frame["condition"].map(CONDITION_SCORE).fillna(GRADED_CONDITION),
            "grade": frame["psa_grade"].fillna(0),
            "first_edition": (frame["variant"] == "1st Edition").astype(int),
            "rarity_value": frame["rarity"].map(rarity_value).fillna(rarity_value.mean()),
        },
        index=frame.index,
    )


@functools.cache
def _reference(
    name: str,
    n_splits: int,
    seed: int,
    *,
    encoder_on_all: bool = False,
    scaler_on_all: bool = False,
    log_mae: bool = False,
    shuffle: bool = True,
    pooled: bool = False,
) -> float:
    """The honest experiment on _frame(name), or (for advice) one of the wrong ways."""
    frame = _frame(name)
    y = np.log(frame["price_usd"])
    everything = y.groupby(frame["rarity"]).mean()
    folds = KFold(n_splits, shuffle=True, random_state=seed) if shuffle else KFold(n_splits)
    scores, errors = [], []
    for train_rows, test_rows in folds.split(frame):
        train, test = frame.iloc[train_rows], frame.iloc[test_rows]
        rarity_value = (
            everything if encoder_on_all else y.iloc[train_rows].groupby(train["rarity"]).mean()
        )
        scaler = StandardScaler().fit(
            _honest_features(frame if scaler_on_all else train, rarity_value)
        )
        model = Ridge(alpha=RIDGE_ALPHA).fit(
            scaler.transform(_honest_features(train, rarity_value)), y.iloc[train_rows]
        )
        predicted = model.predict(scaler.transform(_honest_features(test, rarity_value)))
        truth = y.iloc[test_rows] if log_mae else test["price_usd"]
        predicted = predicted if log_mae else np.exp(predicted)
        scores.append(mean_absolute_error(truth, predicted))
        errors.append(np.abs(truth.to_numpy() - predicted))
    return float(np.mean(np.concatenate(errors)) if pooled else np.mean(scores))


def _cv(exercise, frame: pd.DataFrame, **kwargs) -> float:
    try:
        got = exercise.cross_validated_mae(frame.copy(), **kwargs)
    except (KeyError, IndexError) as error:
        raise AssertionError(
            f"cross_validated_mae raised {type(error).__name__}: {error} on sales whose index is "
            "not 0..n-1. KFold.split gives row positions: select the rows with frame.iloc[...]."
        ) from None
    assert isinstance(got, float | np.floating) and not isinstance(got, bool), (
        f"cross_validated_mae returned {got!r}; it must return the mean MAE, a float."
    )
    return float(got)


CASES = (("a", 5, 0), ("b", 3, 7))  # frame, n_splits, seed


def _gave(got: float, name: str, n_splits: int, seed: int) -> str:
    want = _reference(name, n_splits, seed)
    return (
        f"With n_splits={n_splits}, seed={seed} on 400 sales, cross_validated_mae gave "
        f"{got:.6f}; the notebook's experiment without its smells gives {want:.6f}."
    )


def _fitted_across_folds(got: float, name: str, n_splits: int, seed: int) -> str | None:
    """What fitted on all the rows explains got, if anything."""
    same = functools.partial(_reference, name, n_splits, seed)
    if got == pytest.approx(same(encoder_on_all=True)):
        return (
            "That is the rarity values fitted on ALL the rows: every test sale's own price is "
            "in its feature. Fit them on each fold's training rows."
        )
    if got == pytest.approx(same(encoder_on_all=True, scaler_on_all=True)):
        return (
            "That is the notebook's own number: the rarity values and the scaler fitted on ALL "
            "the rows. Fit both on each fold's training rows."
        )
    if got == pytest.approx(same(scaler_on_all=True)):
        return (
            "That is the scaler fitted on ALL the rows: fit it inside each fold, on the "
            "training rows only (a pipeline does it for you)."
        )
    return None


def test_rows_by_position(exercise):
    """cross_validated_mae works on sales whose index is not 0..n-1 (rejects .loc on positions)"""
    _cv(exercise, _frame("a"), n_splits=2, seed=0)


def test_fitted_inside_each_fold(exercise):
    """every fitted step is fitted inside each fold (rejects the encoder or scaler on all rows)"""
    for name, n_splits, seed in CASES:
        got = _cv(exercise, _frame(name), n_splits=n_splits, seed=seed)
        if got == pytest.approx(_reference(name, n_splits, seed), rel=1e-7):
            continue
        leak = _fitted_across_folds(got, name, n_splits, seed)
        assert leak is None, f"{_gave(got, name, n_splits, seed)} {leak}"
    # any other difference is judged by the next check


def _why_not(exercise, got: float, name: str, n_splits: int, seed: int) -> str:
    """The likely cause of a wrong number: which mistake, computed here, gives it."""
    frame = _frame(name)
    same = functools.partial(_reference, name, n_splits, seed)
    if _cv(exercise, frame, n_splits=n_splits, seed=seed) != got:
        return (
            "A second identical call gave another number: the folds are drawn without a seed "
            "(pass random_state=seed to KFold), or something outside the function keeps state "
            "between calls (a list of MAEs)."
        )
    if got == pytest.approx(same(shuffle=False)):
        return (
            "That is KFold without shuffle=True: each test fold is a block of consecutive rows "
            "(these sales are sorted by date, so a stretch of time), and the seed can change "
            "nothing. Split with KFold(n_splits, shuffle=True, random_state=seed)."
        )
    if _cv(exercise, frame, n_splits=n_splits, seed=seed + 1) == got:
        if seed != 0 and got == pytest.approx(_reference(name, n_splits, 0)):
            said = f"That is the result for seed=0, and seed={seed + 1} gives it too"
        else:
            said = f"seed={seed + 1} gives the same number"
        return (
            f"{said}: the seed parameter is ignored (a constant random_state?). Use it as "
            "KFold's random_state."
        )
    for folds in range(2, 11):
        if folds != n_splits and got == pytest.approx(_reference(name, folds, seed)):
            return (
                f"That is the result for {folds} folds: the n_splits parameter is ignored. "
                "Pass it to KFold."
            )
    if got == pytest.approx(same(pooled=True)):
        return (
            "That is the MAE of every fold's test rows pooled together; the experiment takes "
            "each fold's MAE and averages them. They differ when the folds differ in size "
            f"(400 sales in {n_splits} folds: {', '.join(map(str, _fold_sizes(n_splits)))})."
        )
    if got == pytest.approx(same(log_mae=True)):
        return "That is the MAE of the log prices: bring predictions back with np.exp."
    leak = _fitted_across_folds(got, name, n_splits, seed)
    if leak is not None:
        return leak
    return (
        "Keep to the experiment: KFold(n_splits, shuffle=True, random_state=seed), and in each "
        "fold fit_rarity_value, features and make_pipeline(StandardScaler(), "
        "Ridge(alpha=RIDGE_ALPHA)) on the training rows, then the dollar MAE of the test rows."
    )


def _fold_sizes(n_splits: int) -> list[int]:
    return [len(test) for _, test in KFold(n_splits).split(np.zeros(400))]


def test_reproduces_the_honest_experiment(exercise):
    """the result is the mean of the folds' dollar MAEs, for any n_splits and seed"""
    for name, n_splits, seed in CASES:
        got = _cv(exercise, _frame(name), n_splits=n_splits, seed=seed)
        if got == pytest.approx(_reference(name, n_splits, seed), rel=1e-7):
            continue
        why = _why_not(exercise, got, name, n_splits, seed)
        raise AssertionError(f"{_gave(got, name, n_splits, seed)} {why}")


def test_seeded(exercise):
    """the same seed gives the same MAE, another seed other folds (rejects unseeded KFold)"""
    frame = _frame("a")
    first = _cv(exercise, frame, n_splits=2, seed=3)
    again = _cv(exercise, frame, n_splits=2, seed=3)
    assert first == again, (
        f"Two calls with seed=3 gave {first:.6f} and then {again:.6f}: the folds are drawn "
        "without a seed (pass random_state=seed to KFold), or something outside the function "
        "keeps state between calls."
    )
    others = {_cv(exercise, frame, n_splits=2, seed=seed) for seed in (0, 1)}
    if others == {first} and first == pytest.approx(_reference("a", 2, 0, shuffle=False)):
        pytest.fail(
            f"Seeds 0, 1 and 3 all gave {first:.6f}, the result of KFold without shuffle=True: "
            "the folds are blocks of consecutive rows, which no seed changes. Split with "
            "KFold(n_splits, shuffle=True, random_state=seed)."
        )
    assert others != {first}, (
        f"Seeds 0, 1 and 3 all gave {first:.6f}: the seed parameter is ignored. Use it as "
        "KFold's random_state."
    )


def _bad_frame(prices: dict[int, float]) -> pd.DataFrame:
    frame = _frame("a").copy()
    for position, price in prices.items():
        frame.iloc[position, frame.columns.get_loc("price_usd")] = price
    return frame


def _refuses_with_a_count(exercise, prices: dict[int, float]) -> None:
    count = len(prices)
    frame = _bad_frame(prices)
    try:
        got = exercise.cross_validated_mae(frame)
    except ValueError as error:
        text = str(error)
        said = rf"(?<![\d.]){count}(?![\d.])|\b{_in_words(count)}\b"
        assert re.search(said, text, re.IGNORECASE), (
            f"With {count} sale(s) whose price_usd is missing or not positive, the ValueError "
            f"says {text!r}: it does not say how many sales are bad. Check the prices first and "
            "raise your own ValueError with the count, so whoever runs it knows what to fix."
        )
        return
    pytest.fail(
        f"With {count} sale(s) whose price_usd is missing or not positive, cross_validated_mae "
        f"returned {got!r}: they were dropped or used without a word. Raise a ValueError "
        "saying how many there are."
    )


def test_bad_prices_are_refused_with_a_count(exercise):
    """missing, zero and negative prices raise a ValueError saying how many (rejects dropping)"""
    _refuses_with_a_count(exercise, {5: 0.0, 50: -12.5, 200: float("nan")})


def test_one_missing_price_is_refused(exercise):
    """a single missing price (NaN) is refused too, with its count (rejects checking only <= 0)"""
    _refuses_with_a_count(exercise, {399: float("nan")})


def test_no_hidden_state(exercise):
    """one call never changes the next, nor the sales passed in (rejects a global list of MAEs)"""
    a, b = _frame("a").copy(deep=True), _frame("b")
    first = exercise.cross_validated_mae(a, n_splits=2, seed=1)
    try:
        pd.testing.assert_frame_equal(a, _frame("a"))
    except AssertionError:
        pytest.fail(
            "cross_validated_mae changed the sales passed to it (a column added, values or rows "
            "changed): the caller's data is not its to change. Work on new frames."
        )
    _cv(exercise, b, n_splits=2, seed=1)
    third = _cv(exercise, a, n_splits=2, seed=1)
    if first != third and _cv(exercise, a, n_splits=2, seed=1) != _cv(
        exercise, a, n_splits=2, seed=1
    ):
        pytest.fail(
            "Two identical calls in a row give different numbers: the result depends on "
            "unseeded randomness or on state kept between calls. Seed the folds with seed and "
            "keep everything a call needs inside it."
        )
    assert first == third, (
        f"The same call gave {first:.6f}, then {third:.6f} after a call on other sales: state "
        "from the earlier call leaked into the later one (a list or table kept outside the "
        "function). Keep everything a call needs inside it."
    )


def _comment_lines(source: str) -> tuple[set[int], set[int]]:
    """The lines that hold a comment, and those that hold nothing else."""
    lines = source.splitlines()
    comments = {
        token.start[0]
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type == tokenize.COMMENT
    }
    return comments, {n for n in comments if lines[n - 1].lstrip().startswith("#")}


def _is_number(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, int | float)
        and not isinstance(node.value, bool)
    )


LITERAL = (
    ast.Constant | ast.Dict | ast.Tuple | ast.List | ast.UnaryOp | ast.expr_context | ast.unaryop
)


def _only_literals(node: ast.AST) -> bool:
    return all(isinstance(child, LITERAL) for child in ast.walk(node))


def test_numbers_are_named(exercise):
    """functions hold no bare numbers but 0 and 1; module constants have a comment"""
    source = Path(exercise.__file__).read_text(encoding="utf-8")
    tree = ast.parse(source)
    bare = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        body = function.body if isinstance(function.body, list) else [function.body]
        for statement in body:
            for node in ast.walk(statement):
                if _is_number(node) and node.value not in (0, 1):
                    bare.append(f"{node.value!r} on line {node.lineno}")
    assert not bare, (
        f"Your functions hold bare numbers: {', '.join(sorted(set(bare))[:5])}. Name each as a "
        "module-level constant (RIDGE_ALPHA = 3.0) with a comment saying what it is and where "
        "it comes from."
    )
    comments, comment_only = _comment_lines(source)
    silent = []
    for statement in tree.body:
        if not isinstance(statement, ast.Assign | ast.AnnAssign) or statement.value is None:
            continue
        numbers = [n for n in ast.walk(statement.value) if _is_number(n)]
        if not numbers or not _only_literals(statement.value):
            continue
        own = set(range(statement.lineno, (statement.end_lineno or statement.lineno) + 1))
        if not own & comments and statement.lineno - 1 not in comment_only:
            silent.append(f"line {statement.lineno}")
    assert not silent, (
        f"The constant(s) at {', '.join(silent)} of your file have no comment: a named number "
        "still needs a comment (on its line or the line above) saying what it is and where it "
        "comes from."
    )
