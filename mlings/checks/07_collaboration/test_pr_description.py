"""Checks for 07_collaboration/06_pr_description: a card-age feature and a PR description that
tells the truth about it (the numbers are the evaluation's own, on the split it names)."""

import functools
import math
import os
import re
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder
from threadpoolctl import threadpool_limits

from mlings.dataset import make_cards, make_sales

VALIDATION_YEAR = 2024
CATEGORIES = ["rarity", "variant", "condition"]
PARTS = {  # section -> what its heading contains, and the fewest words it must have
    "What and why": (("what",), 10),
    "How it was tested": (("test",), 6),
    "Metrics": (("metric",), 0),
    "Risks": (("risk",), 8),
    "Rollback": (("rollback", "roll back", "roll-back"), 6),
}
PLACEHOLDER = re.compile(r"\bTODO\b|\bTBD\b|\bFIXME\b|lorem ipsum|\bXXX\b", re.IGNORECASE)
METRICS = {"mae_usd": "MAE (USD)", "within_25pct": "within 25%"}
EXAMPLE = {  # the docstring's made-up numbers, (before, after)
    "mae_usd": (181.20, 176.05),
    "within_25pct": (0.141, 0.149),
}
NUMBER = re.compile(
    r"(?P<minus>[-\u2212])?\s*(?:US)?\$?\s*(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"\s*(?P<pct>%)?"
)


# -- the evaluation, as the exercise gives it ------------------------------------------------


def _inputs(sales: pd.DataFrame, extra: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rarity": sales["rarity"],
            "variant": sales["variant"],
            "condition": sales["condition"].fillna("graded"),
            "psa_grade": sales["psa_grade"].fillna(0.0),
            **{column: sales[column].astype(float) for column in extra},
        },
        index=sales.index,
    )


def _evaluate(sales: pd.DataFrame, extra: list[str]) -> dict[str, dict[str, float]]:
    X = _inputs(sales, extra)
    price = sales["price_usd"].to_numpy(dtype=float)
    train = (sales["sale_date"].dt.year < VALIDATION_YEAR).to_numpy()
    validation = (sales["sale_date"].dt.year == VALIDATION_YEAR).to_numpy()
    encode = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore", sparse_output=False), CATEGORIES),
        (SimpleImputer(strategy="median"), ["psa_grade", *extra]),
    )
    with threadpool_limits(limits=1):  # a tiny solve: threads only fight on a busy machine
        model = make_pipeline(encode, Ridge(alpha=1.0)).fit(X[train], np.log1p(price[train]))
    scores = {}
    for name, rows in (("train", train), ("validation", validation)):
        predicted = np.clip(np.expm1(model.predict(X[rows])), 0.0, None)
        error = np.abs(price[rows] - predicted)
        scores[name] = {
            "mae_usd": float(error.mean()),
            "within_25pct": float(np.mean(error <= 0.25 * price[rows])),
        }
    return scores


@functools.cache
def _csv(path: str, dates: str) -> pd.DataFrame:
    return pd.read_csv(path, parse_dates=[dates])


def _real_data(root: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The course's sales and catalog: what the learner's run of the file evaluated."""
    try:
        sales = _csv(f"{root}/data/sales_clean.csv", "sale_date")
        cards = _csv(f"{root}/data/cards.csv", "release_date")
    except FileNotFoundError as error:
        raise AssertionError(
            f"{error.filename} is missing: the description's numbers are checked against the "
            "course data. Restore it with `git checkout -- data/`."
        ) from None
    return sales, cards


@functools.cache
def _before(root: str) -> dict[str, dict[str, float]]:
    return _evaluate(_real_data(root)[0], [])


@functools.cache
def _after(exercise, root: str) -> dict[str, dict[str, float]]:
    sales, cards = _real_data(root)
    changed = exercise.add_card_age(sales.copy(), cards.copy())
    assert isinstance(changed, pd.DataFrame) and "card_age_years" in changed, (
        "add_card_age did not return the sales with a card_age_years column, so the change "
        "cannot be evaluated; fix add_card_age first."
    )
    return _evaluate(changed, ["card_age_years"])


# -- the change -----------------------------------------------------------------------------


@functools.cache
def _catalog() -> pd.DataFrame:
    """300 cards of the catalog (the course's cards.csv, read for the description anyway)."""
    path = Path(os.environ.get("MLINGS_ROOT", ".")) / "data" / "cards.csv"
    if path.is_file():
        cards = _csv(str(path), "release_date")
        return cards.sample(n=300, random_state=4).reset_index(drop=True)
    return make_cards(n=300)


@functools.cache
def _sales() -> pd.DataFrame:
    """Sales with a shuffled, non-default index, as a feature function meets them mid-pipeline."""
    sales = make_sales(_catalog(), seed=4, n=400, start="2018-01-01", end="2024-12-31")
    shuffled = sales.sample(frac=1.0, random_state=4)
    return shuffled.set_axis(np.arange(len(shuffled))[::-1] * 3 + 11)


def _expected_age(sales: pd.DataFrame, cards: pd.DataFrame) -> pd.Series:
    release = sales["card_id"].map(cards.set_index("card_id")["release_date"])
    return (sales["sale_date"] - release).dt.days / 365.25


def _aged(exercise, sales: pd.DataFrame, cards: pd.DataFrame) -> pd.DataFrame:
    got = exercise.add_card_age(sales, cards)
    assert isinstance(got, pd.DataFrame), (
        f"add_card_age returned {type(got).__name__}; return the sales table (a DataFrame) "
        "with the new column."
    )
    assert "card_age_years" in got.columns, (
        f"add_card_age's result has no card_age_years column (it has {list(got.columns)})."
    )
    return got


def test_card_age_in_years(exercise):
    """card_age_years is the days from the card's release to the sale / 365.25 (rejects years)"""
    sales, cards = _sales(), _catalog()
    got = _aged(exercise, sales.copy(), cards.copy())
    assert len(got) == len(sales), (
        f"add_card_age returned {len(got)} rows for {len(sales)} sales; every sale keeps its row."
    )
    want = _expected_age(sales, cards).to_numpy()
    age = pd.to_numeric(got["card_age_years"], errors="coerce").to_numpy(dtype=float)
    if not np.allclose(age, want, rtol=0, atol=1e-6):
        bad = int(np.argmax(~np.isclose(age, want, rtol=0, atol=1e-6)))
        message = (
            f"For a sale of {sales['card_id'].iloc[bad]} on "
            f"{sales['sale_date'].iloc[bad].date()}, card_age_years is {age[bad]:.4f}; the "
            f"card was {want[bad]:.4f} years old (days since its release / 365.25)."
        )
        if np.allclose(age, want * 365.25 / 365, atol=1e-6):
            message += " That divides by 365: use 365.25, which counts leap years."
        elif np.allclose(age, -want, atol=1e-6):
            message += " The sign is flipped: the sale comes after the release."
        elif np.allclose(age, want * 365.25, atol=1e-3):
            message += " That is the age in days: divide by 365.25."
        elif np.allclose(np.sort(age), np.sort(want), atol=1e-6):
            message += " The values are right but on the wrong rows: keep the sales' order."
        raise AssertionError(message)


def test_card_age_keeps_the_sales(exercise):
    """add_card_age keeps every sale's row, order, index and columns, and changes no input"""
    original = _sales()
    sales, cards = original.copy(), _catalog().copy()
    columns = list(sales.columns)
    got = _aged(exercise, sales, cards)
    assert list(sales.columns) == columns, (
        "add_card_age added a column to the sales table it was given: with copy-on-write, "
        "`sales[...] = ...` still changes the caller's own table. Return a new table "
        "(sales.assign(...) or a copy)."
    )
    assert sales.equals(original) and cards.equals(_catalog()), (
        "add_card_age changed the tables it was given; leave its inputs as they were and "
        "return a new table."
    )
    assert got.index.equals(sales.index), (
        "add_card_age's result does not keep the sales' index (a merge resets it to 0..n-1): "
        "other code lines rows up by that index. Look the release date up with map, or set "
        "the index back."
    )
    missing = [c for c in columns if c not in got.columns]
    assert not missing, f"add_card_age dropped the sales' columns {missing}; keep them all."
    pd.testing.assert_frame_equal(
        got[columns], original, obj="the sales' own columns in add_card_age's result"
    )


def test_card_age_of_an_unknown_card_is_missing(exercise):
    """a card missing from the catalog gets NaN (rejects dropping the sale, an error or 0)"""
    sales, cards = _sales(), _catalog()
    dropped = set(sales["card_id"].iloc[:40])
    partial = cards[~cards["card_id"].isin(dropped)]
    try:
        got = _aged(exercise, sales.copy(), partial.copy())
    except (KeyError, IndexError, ValueError) as error:
        raise AssertionError(
            f"add_card_age raised {type(error).__name__} for a sale of a card the catalog does "
            "not have (a set newer than the catalog): give that sale NaN instead."
        ) from None
    assert len(got) == len(sales), (
        f"With {len(dropped)} cards missing from the catalog, add_card_age returned {len(got)} "
        f"rows for {len(sales)} sales: an inner join drops sales. Keep every sale; an unknown "
        "card's age is NaN."
    )
    unknown = sales["card_id"].isin(dropped).to_numpy()
    age = pd.to_numeric(got["card_age_years"], errors="coerce").to_numpy(dtype=float)
    assert np.isnan(age[unknown]).all(), (
        f"Sales of cards missing from the catalog got card_age_years {age[unknown][:3]}; "
        "their age is unknown, so it must be NaN (the model imputes it), not a made-up value."
    )
    full = _aged(exercise, sales.copy(), cards.copy())
    want = pd.to_numeric(full["card_age_years"], errors="coerce").to_numpy(dtype=float)
    assert np.allclose(age[~unknown], want[~unknown], equal_nan=True), (
        "With some cards missing from the catalog, the ages of the known cards changed; only "
        "the unknown ones should be NaN."
    )


# -- the description ------------------------------------------------------------------------


def _description(exercise) -> str:
    text = getattr(exercise, "PR_DESCRIPTION", None)
    assert isinstance(text, str) and text.strip(), (
        "PR_DESCRIPTION is empty or missing: write the pull request's description as a "
        "markdown string."
    )
    return text


def _sections(text: str) -> dict[str, str]:
    """Each required part's text, found by its heading (any level); missing parts are absent."""
    pieces = re.split(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", text, flags=re.MULTILINE)
    found: dict[str, str] = {}
    for heading, body in zip(pieces[1::2], pieces[2::2], strict=True):
        for part, (keys, _) in PARTS.items():
            if part not in found and any(key in heading.lower() for key in keys):
                found[part] = body.strip()
                break
    return found


def _words(text: str) -> int:
    return len(re.findall(r"[A-Za-z][A-Za-z'_-]+", text))


def _section(exercise, part: str) -> str:
    sections = _sections(_description(exercise))
    assert part in sections, (
        f"PR_DESCRIPTION has no '## {part}' section: give each part its own heading."
    )
    return sections[part]


def test_description_has_every_part(exercise):
    """the description has every section, each with real content and no TODO left"""
    text = _description(exercise)
    sections = _sections(text)
    missing = [part for part in PARTS if part not in sections]
    assert not missing, (
        f"PR_DESCRIPTION has no section {', '.join(missing)}: give each part a markdown "
        "heading (## What and why, ## How it was tested, ## Metrics, ## Risks, ## Rollback)."
    )
    placeholder = PLACEHOLDER.search(text)
    assert placeholder is None, (
        f"PR_DESCRIPTION still holds a placeholder ({placeholder.group(0)!r}): replace it "
        "with what you did and measured."
    )
    for part, (_, fewest) in PARTS.items():
        words = _words(sections[part])
        assert words >= fewest, (
            f"The '{part}' section has {words} words: {sections[part][:80]!r}. A reviewer "
            f"needs a real sentence there (at least {fewest} words)."
        )


def test_what_names_the_change(exercise):
    """What and why names the column this change adds (rejects describing a different change)"""
    what = _section(exercise, "What and why")
    assert re.search(r"card[_ ]age", what, re.IGNORECASE), (
        f"'What and why' does not name the column your change adds (card_age_years): "
        f"{what[:100]!r}. A reviewer must know what the numbers below are the numbers of; "
        "describe this change, not the example's."
    )


def test_metrics_name_their_split(exercise):
    """Metrics names the split its numbers were measured on, the validation year"""
    metrics = _section(exercise, "Metrics")
    assert str(VALIDATION_YEAR) in metrics, (
        "The Metrics section does not say which sales its numbers were measured on: a MAE "
        "without its split cannot be compared with anything. Name the validation split by its "
        f"year ({VALIDATION_YEAR})."
    )


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _table(metrics: str) -> dict[str, dict[str, str]]:
    """{metric key: {"before": cell, "after": cell}} from the Metrics section's table."""
    rows = [_cells(line) for line in metrics.splitlines() if line.strip().startswith("|")]
    rows = [r for r in rows if not all(re.fullmatch(r":?-+:?", c) for c in r if c)]
    assert len(rows) >= 2, (
        "The Metrics section has no markdown table: give it one with a header row "
        "(| metric | before | after |) and a row per metric."
    )
    header = [cell.lower() for cell in rows[0]]
    columns = {}
    for name in ("before", "after"):
        where = [i for i, cell in enumerate(header) if name in cell]
        assert where, (
            f"The metrics table's header {rows[0]} has no '{name}' column: give it columns "
            "`before` and `after`."
        )
        columns[name] = where[0]
    labels = {"mae_usd": r"\bmae\b", "within_25pct": r"within|25\s*%"}
    table = {}
    for key, pattern in labels.items():
        matching = [r for r in rows[1:] if r and re.search(pattern, r[0], re.IGNORECASE)]
        assert len(matching) == 1, (
            f"The metrics table has {len(matching)} rows labelled {METRICS[key]!r}; give it "
            "exactly one, for the split the section names."
        )
        row = matching[0]
        table[key] = {name: row[i] if i < len(row) else "" for name, i in columns.items()}
    return table


class Read(NamedTuple):
    """A number read from a cell, in the metric's unit, as the learner rounded it."""

    value: float
    tolerance: float  # half a unit of the last digit shown, and some slack
    decimals: int
    percent: bool  # written as a percent (15.6%) rather than a fraction (0.156)


def _number(cell: str, key: str) -> Read | None:
    """The first number in a cell, in the metric's unit; None if there is none."""
    match = NUMBER.search(cell)
    if match is None:
        return None
    digits = match.group("num").replace(",", "")
    decimals = len(digits.partition(".")[2])
    value = float(digits) * (-1 if match.group("minus") else 1)
    tolerance = 0.6 * 10.0**-decimals
    percent = key == "within_25pct" and bool(match.group("pct") or value > 1)
    if percent:
        value, tolerance = value / 100, tolerance / 100
    return Read(value, tolerance, decimals, percent)


def _printed_decimals(read: Read, key: str) -> int:
    """The decimals the file prints: $1,234.56, 12.3%, or 0.123 as a fraction."""
    return 2 if key == "mae_usd" else 1 if read.percent else 3


def _rounded(value: float, key: str, read: Read) -> str:
    """value as the learner's cell rounds it."""
    if key == "mae_usd":
        return f"${value:,.{read.decimals}f}"
    return f"{value:.{read.decimals}%}" if read.percent else f"{value:.{read.decimals}f}"


def _shown(value: float, key: str) -> str:
    return f"${value:,.2f}" if key == "mae_usd" else f"{value:.1%}"


def _close(read: Read | None, value: float) -> bool:
    return read is not None and math.isclose(read.value, value, rel_tol=0, abs_tol=read.tolerance)


def _check_rounding(table, column: str, before: dict, after: dict) -> None:
    """Each number of the column is written at least as finely as the file prints it."""
    coarse = []
    for key in METRICS:
        read = _number(table[key][column], key)
        if read is not None and read.decimals < _printed_decimals(read, key):
            hidden = _rounded(before[key], key, read) == _rounded(after[key], key, read)
            coarse.append((not hidden, key, read))  # a change rounded away is the worst
    if not coarse:
        return
    _, key, read = min(coarse)
    cell, b, a = table[key][column], before[key], after[key]
    message = (
        f"The {METRICS[key]} '{column}' cell reads {cell!r}, rounded coarser than the "
        f"evaluation prints it ({_shown(b if column == 'before' else a, key)})."
    )
    if _rounded(b, key, read) == _rounded(a, key, read) and _shown(b, key) != _shown(a, key):
        message += (
            f" At that rounding {_shown(b, key)} -> {_shown(a, key)} reads "
            f"{_rounded(b, key, read)} -> {_rounded(a, key, read)}: the table hides the change "
            "the verdict claims."
        )
    else:
        message += (
            " At that rounding a reviewer cannot check it against the run, and a small change "
            "would read as none."
        )
    precision = (
        "two decimals for dollars ($1,234.56)"
        if key == "mae_usd"
        else "one decimal for a percent (12.3%), or three for a fraction (0.123)"
    )
    raise AssertionError(f"{message} Write it to the rounding shown or finer: {precision}.")


def _check_column(exercise, course_root, column: str) -> None:
    root = str(course_root)
    table = _table(_section(exercise, "Metrics"))
    before, after = _before(root), _after(exercise, root)
    want = (before if column == "before" else after)["validation"]
    other = (after if column == "before" else before)["validation"]
    on_train = (before if column == "before" else after)["train"]
    _check_rounding(table, column, before["validation"], after["validation"])
    for key, label in METRICS.items():
        cell = table[key][column]
        read = _number(cell, key)
        if _close(read, want[key]):
            continue
        message = (
            f"The {label} '{column}' cell reads {cell!r}, but the evaluation gives "
            f"{_shown(want[key], key)} {'without' if column == 'before' else 'with'} your "
            f"change, on the {VALIDATION_YEAR} validation sales."
        )
        if read is None:
            message += " Write the number there."
        elif _close(read, other[key]):
            message += " That is the other column's number: 'before' and 'after' are swapped."
        elif _close(read, on_train[key]):
            message += (
                " That is measured on the TRAINING sales, which the model has seen; report "
                "the held-out validation split."
            )
        elif _close(read, EXAMPLE[key][0 if column == "before" else 1]):
            message += " That is the docstring example's made-up number, not your evaluation."
        else:
            message += (
                " It may be stale (from an earlier version of your code) or mistyped: run the "
                "file again and copy what it prints"
            )
            if column == "after" and not _same_evaluation(exercise, root):
                message += "; and restore `evaluate` as given, the checks use that one"
            message += "."
        raise AssertionError(message)


def _same_evaluation(exercise, root: str) -> bool:
    try:
        theirs = exercise.evaluate(_real_data(root)[0])
        return all(
            math.isclose(theirs[s][k], _before(root)[s][k], rel_tol=1e-9)
            for s in ("train", "validation")
            for k in METRICS
        )
    except Exception:  # a broken evaluate is not the same evaluation
        return False


def test_before_numbers_are_the_evaluation(exercise, course_root):
    """the 'before' numbers are the validation ones without the change, as finely as printed"""
    _check_column(exercise, course_root, "before")


def test_after_numbers_are_the_evaluation(exercise, course_root):
    """the 'after' numbers are the evaluation's with your change (rejects train, stale, coarser)"""
    _check_column(exercise, course_root, "after")


def test_verdict_agrees_with_the_numbers(exercise, course_root):
    """the stated verdict (better, worse, mixed) agrees with the validation numbers"""
    metrics = _section(exercise, "Metrics")
    stated = re.search(r"verdict\W*(better|worse|mixed)\b", metrics, re.IGNORECASE)
    assert stated, (
        "The Metrics section has no verdict line: end it with `Verdict: better`, "
        "`Verdict: worse` or `Verdict: mixed`."
    )
    root = str(course_root)
    before, after = _before(root)["validation"], _after(exercise, root)["validation"]
    # compared as printed; MAE is better lower, the share within 25% better higher
    gains = [
        np.sign(round(before["mae_usd"], 2) - round(after["mae_usd"], 2)),
        np.sign(round(after["within_25pct"], 3) - round(before["within_25pct"], 3)),
    ]
    if min(gains) >= 0 and max(gains) > 0:
        truth = "better"
    elif max(gains) <= 0 and min(gains) < 0:
        truth = "worse"
    else:
        truth = "mixed"
    said = stated.group(1).lower()
    assert said == truth, (
        f"The verdict says {said!r}, but on the validation sales MAE goes "
        f"{_shown(before['mae_usd'], 'mae_usd')} -> {_shown(after['mae_usd'], 'mae_usd')} "
        f"(lower is better) and the share within 25% "
        f"{_shown(before['within_25pct'], 'within_25pct')} -> "
        f"{_shown(after['within_25pct'], 'within_25pct')} "
        "(higher is better): the verdict must follow the numbers."
    )


def test_risks_are_concrete(exercise):
    """Risks names what the change relies on and how it could fail (rejects 'none')"""
    risks = _section(exercise, "Risks")
    relies = re.compile(
        r"card[_ ]age|\bages?\b|release|catalog|cards\.csv|card[_ ]id|sale[_ ]date",
        re.IGNORECASE,
    )
    assert _words(risks) >= 8 and not re.match(r"\W*(none|n/?a|no risks?)\b", risks, re.I), (
        f"Risks says {risks[:80]!r}. Every change can fail somehow: say how this one could "
        "go wrong in production."
    )
    assert relies.search(risks), (
        f"Risks does not name what this change relies on: {risks[:100]!r}. A concrete risk "
        "says which input could be missing, late or different in production (the new column, "
        "or the data it is computed from) and what happens then."
    )


def test_rollback_says_how(exercise):
    """Rollback names how to undo the change (revert, the previous model version, a flag)"""
    rollback = _section(exercise, "Rollback")
    how = re.compile(
        r"\brevert|\bre-?deploy|\bprevious\b|\bprior\b|\bflag\b|\btoggle|last known good",
        re.IGNORECASE,
    )
    assert how.search(rollback), (
        f"Rollback does not say how to undo the change: {rollback[:100]!r}. Name the "
        "mechanism: revert the commit, redeploy the previous model version, or switch a "
        "feature flag off."
    )
