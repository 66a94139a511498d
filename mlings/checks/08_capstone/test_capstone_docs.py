"""Checks for 08_capstone/documentation (capstone_docs, 5 points): documents that are true.

The documents live next to documentation.py, in the learner's capstone folder. Their numbers are
judged against the learner's OWN evaluation, recomputed here: data/sales_clean.csv split at the
cutoff the model card states (with the learner's time_split), the learner's train_model on the
earlier sales, the learner's evaluate on the later ones (about 10 s with the reference, once per
grade). When that evaluation cannot run (a broken sibling), the README and the PR description
are held to the model card's numbers instead, so only the card's own check loses its points.
Type hints and docstrings are read with ast from every capstone file, never by importing them.
"""

import ast
import functools
import importlib
import importlib.util
import math
import os
import re
import shlex
import sys
import tomllib
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import pytest

AREAS = {  # the rubric's areas and what each is worth
    "business": 10,
    "data": 15,
    "features": 15,
    "training": 15,
    "evaluation": 15,
    "deployment": 10,
    "monitoring": 10,
    "documentation": 5,
}
CAPSTONE_FILES = (
    "business.py",
    "data_pipeline.py",
    "features.py",
    "training.py",
    "evaluation.py",
    "serving.py",
    "monitoring.py",
    "documentation.py",
)
PLACEHOLDER = re.compile(r"\bTODO\b|\bTBD\b|\bFIXME\b|\bXXX\b|lorem ipsum", re.IGNORECASE)
FIRST_SALE, LAST_SALE = "2016-01-01", "2024-12-31"  # data/sales_clean.csv

README_PARTS = {  # part -> (what its heading contains, fewest words of prose)
    "What it does": (("what it does",), 25),
    "How to run it": (("how to run", "run it"), 10),
    "Data": (("data",), 20),
    "Results": (("result",), 15),
    "Known limits": (("limit",), 0),
}
CARD_PARTS = {
    "Model details": (("model details", "details"), 20),
    "Intended use": (("intended use",), 15),
    "Out of scope": (("out of scope", "not for"), 0),
    "Training data": (("training data",), 8),
    "Evaluation data": (("evaluation data", "test data"), 8),
    "Metrics": (("metric",), 0),
    "Limitations": (("limitation",), 0),
}
PR_PARTS = {
    "What and why": (("what",), 15),
    "How it was tested": (("test",), 10),
    "Metrics": (("metric",), 0),
    "Risks": (("risk",), 10),
    "Rollback": (("rollback", "roll back", "roll-back"), 8),
}
CHECKLIST_AREAS = ("data", "leakage", "evaluation", "serving", "reproducibility")
YES_NO = re.compile(
    r"(is|are|does|do|did|has|have|had|can|could|will|would|was|were|should|shall|must|may)"
    r"(n't)?\b",
    re.IGNORECASE,
)
GENERIC = frozenset(  # words that name nothing a reviewer could point at (Module 7's list)
    re.findall(
        r"\S+",
        """a an the and or but if of to in on at by for with from as into than then that this
        these those it its it's there here any all every each some no not only also be been
        being is are was were does do did done has have had can could will would should shall
        must may might code change changes changed pr pull request requests good bad ok okay
        fine great nice right correct correctly proper properly well work works working bug
        bugs issue issues problem problems error errors mistake mistakes everything anything
        something nothing sure look looks looked reviewed review quality clean enough sense
        reasonable safe ml model models thing things stuff way make made check checked checks
        tested test tests handled handle ready approved fixed""",
    )
)


# -- reading the learner's documents ---------------------------------------------------------


def _folder(exercise) -> Path:
    """The learner's capstone folder: the documents sit next to documentation.py."""
    return Path(exercise.__file__).resolve().parent


def _root() -> Path:
    return Path(os.environ.get("MLINGS_ROOT", ".")).resolve()


def _text(exercise, name: str) -> str:
    path = _folder(exercise) / name
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AssertionError(
            f"There is no {name} next to documentation.py: restore it with "
            f"`mlings reset capstone_docs` or `git checkout -- {name}`, then complete it."
        ) from None


FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})[ \t]*([\w+-]*)[^\n]*\n(.*?)^[ \t]{0,3}\1[ \t]*$",
                   re.MULTILINE | re.DOTALL)  # fmt: skip
HEADING = re.compile(r"^[ \t]{0,3}(#{1,6})[ \t]+(.+?)[ \t#]*$")


class Part(NamedTuple):
    title: str
    body: str  # everything under the heading, code included, up to the next heading of its level
    prose: str  # the body without its fenced code blocks
    blocks: list[tuple[str, str]]  # (language, code) of its fenced blocks


def _sections(text: str) -> list[tuple[int, str, str]]:
    """(level, title, body) of every heading outside code blocks, in order."""
    lines = text.splitlines()
    fenced = set()
    for match in FENCE.finditer(text):
        first = text.count("\n", 0, match.start())
        fenced.update(range(first, text.count("\n", 0, match.end()) + 1))
    headings = [
        (i, len(m.group(1)), m.group(2).strip())
        for i, line in enumerate(lines)
        if i not in fenced and (m := HEADING.match(line))
    ]
    sections = []
    for n, (i, level, title) in enumerate(headings):
        end = next((j for j, lv, _ in headings[n + 1 :] if lv <= level), len(lines))
        sections.append((level, title, "\n".join(lines[i + 1 : end])))
    return sections


def _parts(text: str, wanted: dict) -> dict[str, Part]:
    """Each wanted part's section, found by its heading (any level, first match wins)."""
    found: dict[str, Part] = {}
    for _, title, body in _sections(text):
        for part, (keys, _) in wanted.items():
            if part not in found and any(key in title.lower() for key in keys):
                blocks = [(m.group(2).lower(), m.group(3)) for m in FENCE.finditer(body + "\n")]
                found[part] = Part(title, body, FENCE.sub("", body + "\n"), blocks)
                break
    return found


def _words(text: str) -> int:
    return len(re.findall(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'_-]+", text))


def _items(text: str) -> list[str]:
    return re.findall(r"^\s*(?:[-*+]|\d+[.)])\s+(.+)$", text, re.MULTILINE)


def _require_parts(name: str, text: str, wanted: dict) -> dict[str, Part]:
    """The parts of a document, each present, with real prose and no placeholder."""
    parts = _parts(text, wanted)
    missing = [part for part in wanted if part not in parts]
    assert not missing, (
        f"{name} has no section {', '.join(repr(p) for p in missing)}: give each part its own "
        f"markdown heading ({', '.join('## ' + p for p in wanted)})."
    )
    prose = re.sub(r"`[^`\n]*`|<!--.*?-->", "", FENCE.sub("", text), flags=re.DOTALL)
    placeholder = PLACEHOLDER.search(prose)
    assert placeholder is None, (
        f"{name} still holds a placeholder ({placeholder.group(0)!r}, near "
        f"{' '.join(prose[max(0, placeholder.start() - 40) : placeholder.end() + 40].split())!r}"
        "): "
        "replace it with what your project does."
    )
    for part, (_, fewest) in wanted.items():
        words = _words(parts[part].prose)
        assert words >= fewest, (
            f"The {part!r} section of {name} has {words} words of text: "
            f"{parts[part].prose.strip()[:80]!r}. A reader needs real sentences there (at "
            f"least {fewest} words)."
        )
    return parts


def _require_list(name: str, part: Part, fewest: int, what: str) -> None:
    items = _items(part.prose)
    assert len(items) >= fewest, (
        f"The {part.title!r} section of {name} lists {len(items)} item(s): list at least "
        f"{fewest} {what}, one list item (`- ...`) each."
    )
    short = [item for item in items if len(item.split()) < 6]
    assert not short, (
        f"These items of {name}'s {part.title!r} are too short to help: {short[:3]}. Say each "
        "in a full sentence: what goes wrong, and when."
    )


# -- numbers -----------------------------------------------------------------------------------

AMOUNT = re.compile(r"(?<![\w.])(-|\u2212)?\s?(?:US)?\$\s?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?")
NUMBER = re.compile(r"(?<![\w.-])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(\s?%)?")
ISO_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")


class Read(NamedTuple):
    text: str
    value: float
    decimals: int


def _amounts(text: str) -> list[Read]:
    """Dollar amounts ($1,234.56) in a text."""
    found = []
    for match in AMOUNT.finditer(text):
        whole, fraction = match.group(2).replace(",", ""), match.group(3) or ""
        sign = -1 if match.group(1) else 1
        found.append(
            Read(match.group(0).strip(), sign * float(whole + fraction), max(0, len(fraction) - 1))
        )
    return found


def _cent(read: Read, value: float) -> bool:
    return read.decimals >= 2 and math.isclose(read.value, round(value, 2), abs_tol=0.006)


def _integers(text: str) -> set[int]:
    """Whole numbers written in a text (34,171 or 34171), dates left out."""
    text = ISO_DATE.sub(" ", text)
    return {
        int(m.group(1).replace(",", ""))
        for m in NUMBER.finditer(text)
        if not m.group(2) and not m.group(3)
    }


def _money(value: float) -> str:
    return f"${value:,.2f}"


# -- the learner's evaluation, recomputed ------------------------------------------------------


def _card_cutoff(exercise) -> str:
    card = _text(exercise, "MODEL_CARD.md")
    match = re.search(
        r"cut[\s-]?off(?:\s+date)?[*_`\s]*(?::|=|\bis\b)[*_`\s]*(\d{4}-\d{2}-\d{2})",
        card,
        re.IGNORECASE,
    )
    assert match, (
        "MODEL_CARD.md does not state its cutoff date: write `Cutoff: YYYY-MM-DD` (the model "
        "is trained on the sales before it and tested on the sales from it on), so a reader, "
        "and this check, can rerun your evaluation."
    )
    cutoff = match.group(1)
    try:
        day = pd.Timestamp(cutoff)
    except ValueError:
        raise AssertionError(f"The card's cutoff {cutoff} is not a date.") from None
    assert pd.Timestamp(FIRST_SALE) < day <= pd.Timestamp(LAST_SALE), (
        f"The card's cutoff {cutoff} leaves no sales on one side: data/sales_clean.csv runs "
        f"from {FIRST_SALE} to {LAST_SALE}."
    )
    return cutoff


def _any_cutoff(exercise) -> str:
    """The card's cutoff; without one, documentation.py's CUTOFF (what its run prints)."""
    try:
        return _card_cutoff(exercise)
    except AssertionError:
        cutoff = getattr(exercise, "CUTOFF", None)
        try:
            day = pd.Timestamp(str(cutoff))
        except ValueError:
            return "2024-01-01"
        if pd.Timestamp(FIRST_SALE) < day <= pd.Timestamp(LAST_SALE):
            return day.strftime("%Y-%m-%d")
        return "2024-01-01"


@functools.cache
def _csv(name: str, dates: str) -> pd.DataFrame:
    path = _root() / "data" / name
    try:
        return pd.read_csv(path, parse_dates=[dates])
    except FileNotFoundError:
        raise AssertionError(
            f"data/{name} is missing: the documents' numbers are checked against the course "
            "data. Restore it with `git checkout -- data/`."
        ) from None


def _sibling(folder: Path, name: str):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    return importlib.import_module(name)


@functools.cache
def _split(folder: Path, cutoff: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The learner's time_split of the clean sales; the contract's split if theirs fails."""
    sales = _csv("sales_clean.csv", "sale_date")
    try:
        train, test = _sibling(folder, "data_pipeline").time_split(sales.copy(), cutoff)
        if isinstance(train, pd.DataFrame) and isinstance(test, pd.DataFrame):
            return train, test
    except Exception:  # a broken sibling: split as the contract says
        pass
    before = sales["sale_date"] < pd.Timestamp(cutoff)
    return sales[before], sales[~before]


class Evaluation(NamedTuple):
    numbers: dict  # evaluate's dict
    model: object
    train: pd.DataFrame
    test: pd.DataFrame


@functools.cache
def _run(folder: Path, cutoff: str) -> Evaluation | str:
    """The learner's evaluation at the cutoff, or why it could not run."""
    train, test = _split(folder, cutoff)
    cards = _csv("cards.csv", "release_date")
    try:
        model = _sibling(folder, "training").train_model(train.copy(), cards.copy())
        numbers = _sibling(folder, "evaluation").evaluate(model, train.copy(), test.copy())
        for key in ("mae_usd", "baseline_mae_usd", "median_ape"):
            float(numbers[key])
    except Exception as error:  # reported, not raised: the other documents can still be judged
        lines = str(error).strip().splitlines() or [""]
        return f"{type(error).__name__}: {lines[0][:160]}"
    return Evaluation(dict(numbers), model, train, test)


def _evaluation(exercise) -> Evaluation:
    """The learner's own evaluation at the card's cutoff; fails with the reason it cannot run."""
    result = _run(_folder(exercise), _card_cutoff(exercise))
    assert isinstance(result, Evaluation), (
        "Rerunning your evaluation failed, so the card's numbers cannot be checked against it: "
        f"{result}. The check runs your time_split, train_model and evaluate on "
        "data/sales_clean.csv at the card's cutoff, as `python documentation.py` does: make "
        "that run."
    )
    return result


# -- the model card's metrics table -------------------------------------------------------------


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _rows(text: str) -> list[list[str]]:
    rows = [_cells(line) for line in text.splitlines() if line.strip().startswith("|")]
    return [r for r in rows if not all(re.fullmatch(r":?-+:?", c) for c in r if c)]


def _card_metrics(exercise) -> dict[str, tuple[str, Read | None]]:
    """{metric: (cell, its number)} read from the Metrics table of MODEL_CARD.md."""
    card = _text(exercise, "MODEL_CARD.md")
    parts = _parts(card, CARD_PARTS)
    assert "Metrics" in parts, "MODEL_CARD.md has no '## Metrics' section: give it one."
    rows = [r for r in _rows(parts["Metrics"].body) if len(r) >= 2]
    assert rows, (
        "The card's Metrics section has no table: give it a markdown table, one row per "
        "metric (| MAE (USD) | $123.45 |)."
    )

    def labelled(pattern: str, unless: str | None = None) -> list[list[str]]:
        return [
            r
            for r in rows
            if re.search(pattern, r[0], re.I) and not (unless and re.search(unless, r[0], re.I))
        ]

    found: dict[str, tuple[str, Read | None]] = {}
    baseline = labelled(r"\bmae\b|absolute error", None)
    baseline = [r for r in baseline if re.search(r"baseline|median|per[- ]rarity", r[0], re.I)]
    model = labelled(r"\bmae\b|mean absolute error", r"baseline|median|per[- ]rarity|tier|\$|<|>")
    ape = labelled(r"\bape\b|percentage error", None)
    for key, matching, what in (
        ("mae_usd", model, "the model's MAE (| MAE (USD) | ... |)"),
        ("baseline_mae_usd", baseline, "the baseline's MAE (| baseline MAE (USD) | ... |)"),
        ("median_ape", ape, "the median APE (| median APE | ... |)"),
    ):
        assert len(matching) == 1, (
            f"The card's metrics table has {len(matching)} rows for {what}: give it exactly "
            f"one, labelled in its first cell (rows found: {[r[0] for r in rows]})."
        )
        cell = " ".join(matching[0][1:])
        if key == "median_ape":
            match = NUMBER.search(cell)
            read = None
            if match:
                digits = match.group(1).replace(",", "") + (match.group(2) or "")
                decimals = max(0, len(match.group(2) or "") - 1)
                value = float(digits)
                if match.group(3):
                    read = Read(match.group(0), value / 100, decimals + 2)
                else:
                    read = Read(match.group(0), value, decimals)
        else:
            amounts = _amounts(cell)
            read = amounts[0] if amounts else None
        found[key] = (cell, read)
    return found


def _ape_matches(read: Read | None, value: float) -> bool:
    """A fraction to 3 decimals (0.469) or a percent to 1 decimal (46.9%), or finer."""
    return (
        read is not None
        and read.decimals >= 3
        and math.isclose(read.value, value, abs_tol=0.6 * 10.0**-read.decimals)
    )


def _numbers(exercise) -> tuple[dict[str, float], str]:
    """The numbers the documents must quote: the evaluation's, else the model card's own."""
    result = _run(_folder(exercise), _any_cutoff(exercise))
    if isinstance(result, Evaluation):
        numbers = result.numbers
        return {k: float(numbers[k]) for k in ("mae_usd", "baseline_mae_usd")}, "evaluation"
    try:
        card = _card_metrics(exercise)
    except AssertionError:
        card = {}
    reads = {k: card.get(k, ("", None))[1] for k in ("mae_usd", "baseline_mae_usd")}
    assert all(read is not None and read.decimals >= 2 for read in reads.values()), (
        f"Your evaluation could not be rerun ({result}) and the model card's metrics table "
        "has no MAEs to the cent to compare with: fix the evaluation run and the card first."
    )
    return {k: read.value for k, read in reads.items()}, "model card"


# -- commands ------------------------------------------------------------------------------------

SHELLS = ("", "sh", "bash", "shell", "console", "zsh", "shell-session", "terminal")
PYTHONS = ("python", "python3", "py")
MLINGS_COMMANDS = {
    "watch",
    "run",
    "hint",
    "list",
    "verify",
    "grade",
    "reset",
    "solution",
    "learn",
    "path",
    "dev",
}
NAMED = {"run", "hint", "reset", "solution"}


def _commands(code: str) -> list[list[str]]:
    """The commands of a shell block: prompts, comments and continuations handled."""
    code = re.sub(r"\\\n", " ", code)
    commands = []
    for line in code.splitlines():
        line = re.sub(r"^\s*(?:\$|>|%|PS>)\s+", "", line).strip()
        if not line or line.startswith("#"):
            continue
        try:
            tokens = shlex.split(line, comments=True)
        except ValueError:
            continue
        command: list[str] = []
        for token in [*tokens, ";"]:
            if token in ("&&", "||", ";", "|"):
                if command:
                    commands.append(command)
                command = []
            else:
                command.append(token)
    return commands


@functools.cache
def _exercise_names() -> frozenset[str]:
    try:
        catalog = tomllib.loads((_root() / "info.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return frozenset()
    return frozenset(e.get("name", "") for e in catalog.get("exercises", []))


def _find(path: str, places: list[Path]) -> Path | None:
    for place in places:
        candidate = (place / path).resolve()
        if candidate.exists():
            return candidate
    return None


def _mlings_problems(args: list[str], places: list[Path]) -> list[str]:
    words = [a for a in args if not a.startswith("-")]
    if not words:
        return []
    if words[0] not in MLINGS_COMMANDS:
        return [f"mlings has no command {words[0]!r}"]
    names = _exercise_names()
    if words[0] in NAMED and len(words) > 1 and names and words[1] not in names:
        return [f"there is no exercise {words[1]!r} (see `mlings list`)"]
    problems = []
    for i, arg in enumerate(args):
        value = args[i + 1] if i + 1 < len(args) else ""
        if arg.startswith("--format"):
            value = arg.partition("=")[2] or value
            if value not in ("rich", "json", "markdown"):
                problems.append(f"`--format {value}`: mlings grade writes rich, json or markdown")
        if arg.startswith("--folder"):
            value = arg.partition("=")[2] or value
            if _find(value, places) is None:
                problems.append(f"`--folder {value}` does not exist")
    return problems


def _python_file_problems(path: str, places: list[Path]) -> list[str]:
    return [] if _find(path, places) else [f"there is no file {path}"]


def _module_problems(module: str, places: list[Path], factory: bool = False) -> list[str]:
    """A module run with `python -m` or served by uvicorn: a file here, or installed.

    `module:attribute` must name something at the module's top level; with `factory` (uvicorn
    --factory) a function that uvicorn can call without arguments.
    """
    name, _, attribute = module.partition(":")
    local = _find(name.replace(".", "/") + ".py", places)
    if local is None:
        try:
            if importlib.util.find_spec(name) is not None:
                return []
        except (ImportError, ValueError):
            pass
        return [f"there is no module {name!r}"]
    if attribute:
        tree = ast.parse(local.read_text(encoding="utf-8"))
        defined = {
            target.id
            for node in tree.body
            for target in (
                [node]
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
                else getattr(node, "targets", [getattr(node, "target", None)])
            )
            if isinstance(target, ast.Name)
        } | {
            node.name
            for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        }
        if attribute.split("(")[0] not in defined:
            return [f"{local.name} defines no {attribute!r} at its top level"]
        if factory:
            for node in tree.body:
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and (
                    node.name == attribute
                ):
                    a = node.args
                    required = len(a.posonlyargs) + len(a.args) - len(a.defaults)
                    required += sum(d is None for d in a.kw_defaults)
                    if required:
                        return [
                            f"uvicorn --factory calls {attribute}() without arguments, and it "
                            "needs some: give the module a function that builds the app with "
                            "its model"
                        ]
    return []


def _command_problems(tokens: list[str], places: list[Path]) -> tuple[list[str], list[Path]]:
    """What is wrong with one command, and where the next one runs (after a `cd`)."""
    while tokens and re.fullmatch(r"[A-Za-z_]\w*=.*", tokens[0]):
        tokens = tokens[1:]
    if tokens[:2] == ["uv", "run"]:
        tokens = tokens[2:]
    if not tokens:
        return [], places
    program, args = tokens[0], tokens[1:]
    shown = " ".join(tokens)
    if program == "cd":
        target = args[0] if args else "~"
        moved = [(p / target).resolve() for p in places if (p / target).is_dir()]
        if not moved:
            return [f"`{shown}`: there is no folder {target}"], places
        return [], moved
    problems: list[str] = []
    if program in PYTHONS:
        if args[:1] == ["-m"] and len(args) > 1:
            if args[1] == "mlings":
                problems = _mlings_problems(args[2:], places)
            else:
                problems = _module_problems(args[1], places)
        elif args and args[0].endswith(".py"):
            problems = _python_file_problems(args[0], places)
    elif program == "mlings":
        problems = _mlings_problems(args, places)
    elif program == "uvicorn":
        apps = [a for a in args if ":" in a and not a.startswith("-")]
        for app in apps[:1]:
            problems = _module_problems(app, places, factory="--factory" in args)
    else:
        for arg in args:
            if re.fullmatch(r"[\w./-]+\.(?:py|csv)", arg):
                problems += _python_file_problems(arg, places)
    return [f"`{shown}`: {p}" for p in problems], places


def _readme_problems(text: str, folder: Path) -> list[str]:
    problems: list[str] = []
    for match in FENCE.finditer(text):
        if match.group(2).lower() not in SHELLS:
            continue
        places = [_root(), folder]
        for tokens in _commands(match.group(3)):
            found, places = _command_problems(tokens, places)
            problems += found
    return problems


def _runs_a_capstone_file(tokens: list[str]) -> bool:
    names = [Path(t).name for t in tokens]
    stems = {Path(name).stem for name in CAPSTONE_FILES}
    return any(name in CAPSTONE_FILES for name in names) or any(
        t.partition(":")[0] in stems for t in tokens
    )


# -- type hints and docstrings ------------------------------------------------------------------


def _missing(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    """What a function lacks: a docstring, hints on named parameters, the return hint."""
    lacks = []
    docstring = ast.get_docstring(function)
    if not (docstring and docstring.strip()):
        lacks.append("a docstring")
    a = function.args
    parameters = [*a.posonlyargs, *a.args, *a.kwonlyargs, *(p for p in (a.vararg, a.kwarg) if p)]
    unhinted = [p.arg for p in parameters if p.annotation is None]
    if unhinted:
        lacks.append(f"hints on {', '.join(unhinted)}")
    if function.returns is None:
        lacks.append("a return hint")
    return lacks


def _public(source: str) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [
        node
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and not node.name.startswith("_")
    ]


def _expected(source: str) -> list[str]:
    return [f.name for f in _public(source) if _missing(f)]


LINTED = '''\
"""A module to lint."""
import functools

from typing import Any


def documented(prices: list[float], *, cents: bool = False) -> float:
    """The mean price."""
    def inner(x):  # nested: not public API
        return x
    return sum(prices) / len(prices)


def no_return_hint(prices: list[float]):
    """The mean price."""
    return sum(prices) / len(prices)


def one_parameter_unhinted(sales, cutoff: str) -> int:
    """Rows before cutoff."""
    return 0


def no_docstring(sales: list[str]) -> int:
    return len(sales)


@functools.cache
def decorated(seed: int = 0) -> int:
    """Decorated functions count like any other."""
    return seed


def _private_helper(x):
    return x


def blank_docstring(x: int) -> int:
    """   """
    return x


def late_string(x: int) -> int:
    x += 1
    """Not a docstring: not the first statement."""
    return x


def star_args(*args, **kwargs: Any) -> None:
    """Takes anything."""


def keyword_only(a: int, *, flag) -> None:
    """A keyword-only parameter."""


def positional_only(a, /, b: int) -> None:
    """A positional-only parameter."""


def no_parameters() -> None:
    """Nothing goes in."""


async def fetch(url: str) -> bytes:
    """An async function, documented."""
    return b""


async def fetch_untyped(url) -> bytes:
    """An async function with an unhinted parameter."""
    return b""


class Model:
    """Methods are not in scope."""

    def predict(self, x):
        return x


if __name__ == "__main__":
    def main(argv):
        return argv

raise RuntimeError("this file must be parsed, never run: linting it ran it")
'''
LINTED_MISSING = [  # (name, why it is reported)
    ("no_return_hint", "it has no return hint"),
    ("one_parameter_unhinted", "its parameter `sales` has no hint"),
    ("no_docstring", "it has no docstring"),
    ("blank_docstring", "its docstring is blank"),
    ("late_string", "its string is not its first statement, so not a docstring"),
    ("star_args", "its *args has no hint"),
    ("keyword_only", "its keyword-only parameter `flag` has no hint"),
    ("positional_only", "its positional-only parameter `a` has no hint"),
    ("fetch_untyped", "an async def counts too, and `url` has no hint"),
]
LINTED_FINE = {
    "documented": "it is complete (its nested function is not public API)",
    "decorated": "a decorator does not change its hints or docstring",
    "_private_helper": "its name starts with _: it is private",
    "no_parameters": "it has no parameter to hint and has a return hint",
    "fetch": "it is complete",
    "predict": "methods of classes are out of scope",
    "main": "a def inside `if __name__ == ...` is not at the top level",
    "inner": "it is nested inside another function",
}


# -- the checks --------------------------------------------------------------------------------


@pytest.mark.points(0.25)
def test_undocumented_finds_missing_hints_and_docstrings(exercise):
    """undocumented lists the public top-level functions missing a hint or a docstring, in order"""
    for source, want in (
        (LINTED, [name for name, _ in LINTED_MISSING]),
        ('def ok(x: int) -> int:\n    """Fine."""\n    return x\n', []),
        ("def a(x):\n    pass\n\n\ndef b() -> None:\n    pass\n\n\nc = 1\n", ["a", "b"]),
    ):
        try:
            got = exercise.undocumented(source)
        except NotImplementedError:
            raise
        except (RuntimeError, NameError, ImportError) as error:
            raise AssertionError(
                f"undocumented raised {type(error).__name__}: {error}. It ran the file it "
                "lints: parse the source with ast instead (running a capstone file may train "
                "a model or start a server)."
            ) from None
        assert isinstance(got, list) and all(isinstance(n, str) for n in got), (
            f"undocumented returned {got!r}; return a list of function names (strings)."
        )
        missed = [name for name in want if name not in got]
        if missed:
            why = dict(LINTED_MISSING).get(missed[0], "it lacks a hint or a docstring")
            raise AssertionError(
                f"undocumented did not report {missed[0]}, which it should: {why}. "
                f"(It reported {got}.)"
            )
        extra = [name for name in got if name not in want]
        if extra:
            why = LINTED_FINE.get(extra[0], "it has every hint and a docstring")
            raise AssertionError(
                f"undocumented reported {extra[0]}, which it should not: {why}. "
                f"(It reported {got}.)"
            )
        assert got == want, (
            f"undocumented reported the right functions in the wrong order: {got}; list them "
            f"in the order they appear in the file ({want})."
        )


@pytest.mark.points(0.25)
def test_capstone_functions_are_documented(exercise):
    """every public function of your capstone's .py files has type hints and a docstring"""
    folder = _folder(exercise)
    problems = []
    for name in CAPSTONE_FILES:
        path = folder / name
        if not path.is_file():
            continue
        source = path.read_text(encoding="utf-8")
        try:
            functions = _public(source)
        except SyntaxError as error:
            problems.append(f"{name} does not parse (line {error.lineno}: {error.msg})")
            continue
        problems += [f"{name}: {f.name} lacks {' and '.join(_missing(f))}" for f in functions
                     if _missing(f)]  # fmt: skip
    assert not problems, (
        "Public functions without a full set of type hints and a docstring: "
        + "; ".join(problems[:6])
        + (f"; and {len(problems) - 6} more" if len(problems) > 6 else "")
        + ". Another file (and the next engineer) calls them: say what goes in and comes out."
    )
    try:
        for name in CAPSTONE_FILES:
            if (folder / name).is_file():
                exercise.undocumented((folder / name).read_text(encoding="utf-8"))
    except NotImplementedError:
        raise AssertionError(
            "Your functions look documented, but undocumented is not written yet: write it, "
            "so `python documentation.py` keeps checking them for you."
        ) from None


@pytest.mark.points(0.5)
def test_readme_has_every_part(exercise):
    """README.md has every 'Your project' section with substance and at least two known limits"""
    text = _text(exercise, "README.md")
    parts = _require_parts("README.md", text, README_PARTS)
    data = parts["Data"].body
    named = re.findall(r"[\w-]+\.csv\b", data)
    assert named, (
        "README.md's Data section names no data file: which file of data/ does the project "
        "learn from (and which does it clean)?"
    )
    absent = [name for name in named if not (_root() / "data" / Path(name).name).is_file()]
    assert not absent, (
        f"README.md's Data section names {absent}, which data/ does not hold: name the real "
        "files (`ls data/`)."
    )
    _require_list("README.md", parts["Known limits"], 2, "limits of your system")


@pytest.mark.points(0.5)
def test_readme_commands_exist(exercise):
    """README.md's commands run things that exist (rejects made-up files, commands, apps)"""
    text = _text(exercise, "README.md")
    parts = _parts(text, README_PARTS)
    assert "How to run it" in parts, "README.md has no 'How to run it' section: give it one."
    runs = [
        tokens
        for language, code in parts["How to run it"].blocks
        if language in SHELLS
        for tokens in _commands(code)
    ]
    assert any(_runs_a_capstone_file(tokens) for tokens in runs), (
        "README.md's 'How to run it' section shows no command that runs a file of your "
        "capstone, in a fenced block (```sh ... ```): show what to type to train, evaluate "
        "and serve it."
    )
    problems = _readme_problems(text, _folder(exercise))
    assert not problems, (
        "README.md's commands do not run as written: "
        + "; ".join(dict.fromkeys(problems))
        + ". A reader pastes them as they are: name real files, modules and commands."
    )


@pytest.mark.points(0.5)
def test_readme_results_are_your_evaluation(exercise):
    """README.md's Results quote both test MAEs (model, baseline) to the cent, and the split"""
    text = _text(exercise, "README.md")
    parts = _parts(text, README_PARTS)
    assert "Results" in parts, "README.md has no 'Results' section: give it one."
    results = parts["Results"].body
    numbers, source = _numbers(exercise)
    quoted = _amounts(results)
    for key, label in (("mae_usd", "your model's"), ("baseline_mae_usd", "the baseline's")):
        value = numbers[key]
        if any(_cent(read, value) for read in quoted):
            continue
        near = [r.text for r in quoted if abs(r.value - value) < 1]
        message = f"README.md's Results do not quote {label} test MAE, {_money(value)} (from "
        message += "your evaluation" if source == "evaluation" else "your model card"
        message += ")."
        if near:
            message += f" They quote {near[0]}: write it to the cent, as it is printed."
        raise AssertionError(message)
    cutoff = _any_cutoff(exercise)
    named = cutoff in results or (cutoff.endswith("-01-01") and cutoff[:4] in results)
    assert named, (
        "README.md's Results quote MAEs without their split: say which sales trained the "
        f"model and which tested it (the cutoff, {cutoff})."
    )


@pytest.mark.points(0.5)
def test_model_card_has_every_section(exercise):
    """MODEL_CARD.md has every section with substance, uses it is not for, and two limitations"""
    text = _text(exercise, "MODEL_CARD.md")
    parts = _require_parts("MODEL_CARD.md", text, CARD_PARTS)
    _require_list("MODEL_CARD.md", parts["Out of scope"], 1, "uses the model is not for")
    _require_list("MODEL_CARD.md", parts["Limitations"], 2, "limitations")


@pytest.mark.points(0.25)
def test_model_card_states_its_split(exercise):
    """MODEL_CARD.md states its cutoff and the rows of each side of the split (your time_split)"""
    cutoff = _card_cutoff(exercise)
    parts = _parts(_text(exercise, "MODEL_CARD.md"), CARD_PARTS)
    train, test = _split(_folder(exercise), cutoff)
    for part, rows, side in (
        ("Training data", len(train), "before"),
        ("Evaluation data", len(test), "from"),
    ):
        assert part in parts, f"MODEL_CARD.md has no '## {part}' section: give it one."
        written = _integers(parts[part].body)
        assert rows in written, (
            f"The card's {part} section does not give its number of sales: data/sales_clean.csv "
            f"has {rows:,} sales {side} the cutoff {cutoff} (by your time_split). Write it, "
            f"e.g. '{rows:,} sales'."
        )


@pytest.mark.points(0.75)
def test_model_card_metrics_are_your_evaluation(exercise):
    """the card's MAE, baseline MAE and median APE are your evaluation's (rejects train, swapped)"""
    evaluation = _evaluation(exercise)
    truth = evaluation.numbers
    card = _card_metrics(exercise)
    labels = {"mae_usd": "MAE", "baseline_mae_usd": "baseline MAE", "median_ape": "median APE"}
    shown = {
        "mae_usd": _money(truth["mae_usd"]),
        "baseline_mae_usd": _money(truth["baseline_mae_usd"]),
        "median_ape": f"{truth['median_ape']:.1%}",
    }
    for key, label in labels.items():
        cell, read = card[key]
        value = float(truth[key])
        if key == "median_ape" and _ape_matches(read, value):
            continue
        if key != "median_ape" and read is not None and _cent(read, value):
            continue
        message = (
            f"The card's {label} reads {cell!r}, but your evaluation gives {shown[key]} on the "
            f"{len(evaluation.test):,} test sales from the cutoff on."
        )
        other = {"mae_usd": "baseline_mae_usd", "baseline_mae_usd": "mae_usd"}.get(key)
        if read is None:
            message += " Write the number in the row's second cell."
        elif key != "median_ape" and read.decimals < 2:
            message += " Write it to the cent, as it is printed ($1,234.56)."
        elif key == "median_ape" and read.decimals < 3:
            message += " Write it to 0.1% (46.9%) or as a fraction to 3 decimals (0.469)."
        elif other and _cent(read, float(truth[other])):
            message += " That is the other row's number: the model's and the baseline's swapped."
        elif _on_training_rows(evaluation, key, read):
            message += (
                " That is measured on the TRAINING sales, which the model has seen: report "
                "the test sales."
            )
        else:
            message += (
                " It may be stale (from an earlier version of your code, or another cutoff) "
                "or mistyped: run `python documentation.py` and copy what it prints. (If your "
                "model is not seeded, its numbers change at every run: seed it.)"
            )
        raise AssertionError(message)


def _on_training_rows(evaluation: Evaluation, key: str, read: Read) -> bool:
    try:
        evaluate = sys.modules["evaluation"].evaluate
        on_train = evaluate(evaluation.model, evaluation.train, evaluation.train.copy())
        value = float(on_train[key])
    except Exception:  # only a diagnosis
        return False
    if key == "median_ape":
        return _ape_matches(read, value)
    return _cent(read, value)


def _business_truth(folder: Path, model_mae: float, baseline_mae: float) -> tuple[bool, float]:
    """(ships, payback months) by the learner's business case, on the card's own numbers."""
    try:
        business = _sibling(folder, "business")
        case = business.POKEMARKET
    except Exception:
        business, case = None, None
    required = float(getattr(case, "required_improvement", 0.10))
    ships = model_mae <= (1 - required) * baseline_mae + 1e-9
    try:
        months = float(business.payback_months(baseline_mae, model_mae))
    except Exception:  # a broken payback_months: the business case's own formula
        listings = float(getattr(case, "listings_per_month", 50_000))
        per_dollar = float(getattr(case, "sales_per_dollar", 0.004))
        commission = float(getattr(case, "commission_usd", 2.0))
        running = float(getattr(case, "run_cost_per_month_usd", 1_500))
        build = float(getattr(case, "build_cost_usd", 36_000))
        net = listings * (baseline_mae - model_mae) * per_dollar * commission - running
        months = build / net if net > 0 else math.inf
    return ships, months


@pytest.mark.points(0.25)
def test_model_card_decision_follows_the_business_case(exercise):
    """the card's decision (ship or not) and payback follow business.py on the card's numbers"""
    card = _card_metrics(exercise)
    reads = {k: card[k][1] for k in ("mae_usd", "baseline_mae_usd")}
    assert all(r is not None for r in reads.values()), (
        "The card's metrics table has no MAE and baseline MAE in dollars to decide on."
    )
    text = _text(exercise, "MODEL_CARD.md")
    decision = re.search(
        r"decision\W+(do not ship|don't ship|not ship|no ship|ship)\b", text, re.IGNORECASE
    )
    assert decision, (
        "MODEL_CARD.md gives no decision: write `Decision: ship` or `Decision: do not ship`, "
        "as business.py's success_criterion says on the card's numbers."
    )
    ships, months = _business_truth(
        _folder(exercise), reads["mae_usd"].value, reads["baseline_mae_usd"].value
    )
    said = decision.group(1).lower() == "ship"
    assert said == ships, (
        f"The card says {decision.group(0)!r}, but with a model MAE of "
        f"{_money(reads['mae_usd'].value)} against the baseline's "
        f"{_money(reads['baseline_mae_usd'].value)}, your business case says "
        f"{'ship' if ships else 'do not ship'} (the bar: at most (1 - required_improvement) "
        "x the baseline's MAE)."
    )
    payback = re.search(r"payback\W+(never|(\d+(?:\.\d+)?)\s*months?)", text, re.IGNORECASE)
    assert payback, (
        "MODEL_CARD.md gives no payback: write `Payback: N months` (or `Payback: never`), as "
        "business.py's payback_months says from the baseline's MAE to the model's."
    )
    if payback.group(1).lower() == "never":
        assert math.isinf(months), (
            f"The card says the model never pays back; your business case says {months:.1f} "
            "months (payback_months from the baseline's MAE to the model's)."
        )
        return
    written = payback.group(2)
    decimals = len(written.partition(".")[2])
    assert math.isfinite(months) and math.isclose(
        float(written), months, abs_tol=0.6 * 10.0**-decimals
    ), (
        f"The card's payback is {written} months; your business case says "
        f"{'never' if math.isinf(months) else f'{months:.1f} months'} (payback_months from the "
        "baseline's MAE to the model's, on the card's own numbers)."
    )


@pytest.mark.points(0.5)
def test_pr_description_has_every_part_and_true_numbers(exercise):
    """PR_DESCRIPTION.md has every part, and its Metrics name the split and your test MAEs"""
    text = _text(exercise, "PR_DESCRIPTION.md")
    parts = _require_parts("PR_DESCRIPTION.md", text, PR_PARTS)
    metrics = parts["Metrics"].body
    cutoff = _any_cutoff(exercise)
    assert cutoff in metrics or (cutoff.endswith("-01-01") and cutoff[:4] in metrics), (
        "The PR's Metrics do not say which sales they were measured on: name the test split "
        f"(the cutoff, {cutoff})."
    )
    numbers, source = _numbers(exercise)
    quoted = _amounts(metrics)
    for key, label in (("mae_usd", "your model's"), ("baseline_mae_usd", "the baseline's")):
        assert any(_cent(read, numbers[key]) for read in quoted), (
            f"The PR's Metrics do not quote {label} test MAE, {_money(numbers[key])} (from "
            f"{'your evaluation' if source == 'evaluation' else 'your model card'}), to the "
            "cent: the reviewer compares the model with what it replaces, on the same sales."
        )
    rollback = parts["Rollback"].prose
    assert re.search(
        r"\brevert|\bre-?deploy|\bprevious\b|\bprior\b|\bflag\b|\btoggle|last known good",
        rollback,
        re.IGNORECASE,
    ), (
        f"The PR's Rollback does not say how to undo it: {rollback.strip()[:100]!r}. Name the "
        "mechanism: revert the commit, redeploy the previous model, switch a flag off."
    )


@pytest.mark.points(0.5)
def test_review_checklist_asks_specific_questions(exercise):
    """REVIEW_CHECKLIST.md has yes/no questions in all five areas (rejects vague ones)"""
    text = _text(exercise, "REVIEW_CHECKLIST.md")
    placeholder = PLACEHOLDER.search(re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL))
    assert placeholder is None, (
        f"REVIEW_CHECKLIST.md still holds a placeholder ({placeholder.group(0)!r}): replace "
        "it with a question."
    )
    by_area: dict[str, list[str]] = {}
    for _, title, body in _sections(text):
        areas = [a for a in CHECKLIST_AREAS if a in title.lower()]
        if areas:
            questions = re.findall(r"^\s*[-*+]\s+\[[ xX]\]\s+(.+)$", body, re.MULTILINE)
            by_area.setdefault(areas[0], []).extend(questions)
    empty = [area for area in CHECKLIST_AREAS if not by_area.get(area)]
    assert not empty, (
        f"REVIEW_CHECKLIST.md has no item under {', '.join(empty)}: give each area "
        f"({', '.join(CHECKLIST_AREAS)}) a heading and at least one checkbox item "
        "(`- [ ] Does ...?`)."
    )
    seen: set[str] = set()
    for area, questions in by_area.items():
        for question in questions:
            plain = re.sub(r"[*`]|\b_+|_+\b", "", question).strip()
            assert YES_NO.match(plain) and plain.endswith("?"), (
                f"The {area} item {plain!r} is not a yes/no question: start it like one "
                "(Is, Are, Does, Has, ...) and end it with '?'."
            )
            specific = [w for w in re.findall(r"[a-z0-9_]+", plain.lower()) if w not in GENERIC]
            assert len(specific) >= 3, (
                f"The {area} item {plain!r} names nothing a reviewer can point at: say what "
                "to look at (a split, a column, a seed, a payload field)."
            )
            key = " ".join(plain.lower().split())
            assert key not in seen, f"REVIEW_CHECKLIST.md asks {plain!r} twice."
            seen.add(key)


@pytest.mark.points(0.25)
def test_self_assessment_gives_your_points(exercise):
    """SELF_ASSESSMENT.toml gives your own points for all 8 areas, each within the area's points"""
    text = _text(exercise, "SELF_ASSESSMENT.toml")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise AssertionError(f"SELF_ASSESSMENT.toml is not valid TOML: {error}.") from None
    points = data.get("points")
    assert isinstance(points, dict), (
        "SELF_ASSESSMENT.toml has no [points] table: keep the skeleton's `[points]` with one "
        "line per area."
    )
    unknown = [key for key in points if key not in AREAS]
    assert not unknown, (
        f"SELF_ASSESSMENT.toml has areas the grader does not know: {unknown}; the areas are "
        f"{', '.join(AREAS)}."
    )
    missing = [area for area in AREAS if area not in points]
    assert not missing, f"SELF_ASSESSMENT.toml gives no points for {', '.join(missing)}."
    for area, value in points.items():
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        assert ok and 0 <= value <= AREAS[area], (
            f"SELF_ASSESSMENT.toml gives {area} {value!r}: give a number from 0 to "
            f"{AREAS[area]} (the area's points)."
        )
    assert any(points.values()), (
        "SELF_ASSESSMENT.toml still has 0 for every area (the skeleton): before you grade, "
        "write the points you think each area earns."
    )
