"""Checks for 07_collaboration/08_document_model: hints and docstrings that match the running code.

The docstring rules (numpy, Google or Sphinx fields) are parsed here and every claim is compared
with what the learner's functions do on small generated sales; the README section is checked for
substance: its parts, its commands against the course's files, its metrics against `evaluate`.
"""

import ast
import builtins
import functools
import importlib.util
import inspect
import keyword
import math
import os
import re
import shlex
import sys
import tempfile
import tomllib
import types
import typing
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sklearn
from sklearn.compose import make_column_transformer
from sklearn.linear_model import Ridge
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder

from mlings.dataset import make_cards, make_sales

FUNCTIONS = (
    "load_sales",
    "build_features",
    "fit_price_model",
    "predict_prices",
    "mae_usd",
    "baseline_prices",
    "evaluate",
)
MONEY = ("predict_prices", "mae_usd", "baseline_prices", "evaluate")  # return dollars
RAISES = {"load_sales": ValueError, "mae_usd": ValueError, "evaluate": ValueError}
COLUMNS = ["sale_date", "rarity", "variant", "condition", "psa_grade", "price_usd"]
CUTOFF = "2024-01-01"
README_PARTS = ("Setup", "Data", "Train and evaluate", "Tests", "Known limits")
MLINGS_COMMANDS = {
    "watch",
    "run",
    "hint",
    "list",
    "verify",
    "reset",
    "solution",
    "learn",
    "path",
    "dev",
}
NAMED_EXERCISE = {"run", "hint", "reset", "solution"}  # `mlings run NAME`
PLACEHOLDERS = re.compile(r"\bTODO\b|\bTBD\b|\bFIXME\b|\bXXX\b|lorem ipsum", re.IGNORECASE)


# ---------------------------------------------------------------- the original code, for reference


def _ref_load_sales(path):
    sales = pd.read_csv(path, parse_dates=["sale_date"])
    missing = [column for column in COLUMNS if column not in sales.columns]
    if missing:
        raise ValueError(f"{path} has no column {', '.join(missing)}")
    sales = sales[COLUMNS]
    return sales[sales["price_usd"] > 0].reset_index(drop=True)


def _ref_build_features(sales):
    return pd.DataFrame(
        {
            "rarity": sales["rarity"],
            "variant": sales["variant"],
            "condition": sales["condition"].fillna("graded"),
            "psa_grade": sales["psa_grade"].fillna(0.0),
            "sale_year": sales["sale_date"].dt.year,
        },
        index=sales.index,
    )


def _ref_fit(features, prices):
    encode = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore"), ["rarity", "variant", "condition"]),
        remainder="passthrough",
    )
    return make_pipeline(encode, Ridge(alpha=1.0)).fit(features, np.log1p(prices))


def _ref_predict(model, features):
    return np.clip(np.expm1(model.predict(features)), 0.0, None)


def _ref_mae(actual, predicted):
    return float(np.mean(np.abs(np.asarray(actual, float) - np.asarray(predicted, float))))


def _ref_evaluate(sales, cutoff=CUTOFF):
    train = sales[sales["sale_date"] < cutoff]
    test = sales[sales["sale_date"] >= cutoff]
    model = _ref_fit(_ref_build_features(train), train["price_usd"])
    predicted = _ref_predict(model, _ref_build_features(test))
    medians = train.groupby("rarity")["price_usd"].median()
    baseline = test["rarity"].map(medians).fillna(train["price_usd"].median())
    return {
        "mae_usd": _ref_mae(test["price_usd"], predicted),
        "baseline_mae_usd": _ref_mae(test["price_usd"], baseline),
    }


# ---------------------------------------------------------------------------------- test data


def _root() -> Path:
    return Path(os.environ["MLINGS_ROOT"])


@functools.cache
def _raw_sales() -> pd.DataFrame:
    """Generated sales as a file holds them, with two rows the loader must drop."""
    sales = make_sales(make_cards(n=300), seed=1, n=800, start="2022-01-01", end="2024-12-31")
    sales = sales.copy()
    sales.loc[[5, 17], "price_usd"] = [0.0, -3.0]
    return sales


def _write(folder: Path) -> Path:
    path = folder / "sales.csv"
    _raw_sales().to_csv(path, index=False)
    return path


@functools.cache
def _sales() -> pd.DataFrame:
    """The generated sales as the original load_sales returns them."""
    with tempfile.TemporaryDirectory() as folder:
        return _ref_load_sales(_write(Path(folder)))


def _public(exercise) -> dict[str, types.FunctionType]:
    """The learner's public functions: the given ones and any they added."""
    found = {
        name: value
        for name, value in vars(exercise).items()
        if inspect.isfunction(value)
        and not name.startswith("_")
        and value.__module__ == exercise.__name__
    }
    missing = [name for name in FUNCTIONS if name not in found]
    assert not missing, (
        f"The module has no function {', '.join(missing)} any more: keep every function "
        "(document them, do not rename or remove them)."
    )
    return found


@functools.cache
def _calls(exercise) -> tuple[tuple[str, dict, object], ...]:
    """(function, arguments, returned) of every call the module's own flow makes."""
    calls: list[tuple[str, dict, object]] = []
    originals = _public(exercise)

    def spy(name, function):
        signature = inspect.signature(function)

        def wrapper(*args, **kwargs):
            result = function(*args, **kwargs)
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            calls.append((name, dict(bound.arguments), result))
            return result

        return wrapper

    try:
        for name, function in originals.items():
            setattr(exercise, name, spy(name, function))
        with tempfile.TemporaryDirectory() as folder:
            sales = exercise.load_sales(_write(Path(folder)))
        exercise.evaluate(sales)
    finally:
        for name, function in originals.items():
            setattr(exercise, name, function)
    return tuple(calls)


def _result(exercise, name: str):
    for called, _, result in _calls(exercise):
        if called == name:
            return result
    raise AssertionError(
        f"Loading a sales file and running evaluate never called {name}: keep the code as given."
    )


# ------------------------------------------------------------------------------- type checking


def _admits(value, hint) -> bool:
    """Whether `value` satisfies the type hint (leniently where runtime checks cannot tell)."""
    if hint is typing.Any or hint is object:
        return True
    if hint is None or hint is type(None):
        return value is None
    if isinstance(hint, typing.TypeVar | typing.ParamSpec | str | typing.ForwardRef):
        return True
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_admits(value, arg) for arg in args)
    if origin is typing.Literal:
        return value in args
    if origin is typing.Annotated:
        return _admits(value, args[0])
    if hint is float:
        return isinstance(value, int | float | np.integer | np.floating) and not isinstance(
            value, bool
        )
    if hint is int:
        return isinstance(value, int | np.integer) and not isinstance(value, bool)
    if origin is None:
        if hint is typing.Callable:
            return callable(value)
        if not isinstance(hint, type):
            return True
        try:
            return isinstance(value, hint)
        except TypeError:  # a protocol that cannot be checked at runtime
            return True
    try:
        if not isinstance(value, origin):
            return False
    except TypeError:
        return True
    if isinstance(value, np.ndarray) and len(args) == 2:
        dtype_args = typing.get_args(args[1])
        if dtype_args and isinstance(dtype_args[0], type) and issubclass(dtype_args[0], np.generic):
            return bool(np.issubdtype(value.dtype, dtype_args[0]))
        return True
    if isinstance(value, Mapping) and len(args) == 2:
        items = list(value.items())[:50]
        return all(_admits(k, args[0]) and _admits(v, args[1]) for k, v in items)
    if isinstance(value, tuple) and args:
        if len(args) == 2 and args[1] is Ellipsis:
            return all(_admits(item, args[0]) for item in value)
        return len(args) == len(value) and all(map(_admits, value, args))
    if isinstance(value, list | set | frozenset) and len(args) == 1:
        return all(_admits(item, args[0]) for item in list(value)[:50])
    return True


def _show(hint) -> str:
    if isinstance(hint, type) and not typing.get_args(hint):
        module = hint.__module__
        short = {"pandas": "pd", "numpy": "np"}.get(module.split(".")[0])
        if module == "builtins":
            return hint.__qualname__
        return f"{short}.{hint.__qualname__}" if short else hint.__qualname__
    return str(hint).replace("typing.", "")


def _kind(value) -> str:
    if isinstance(value, Path):
        return "pathlib.Path"
    if isinstance(value, dict) and value:
        keys = sorted({_kind(k) for k in value})
        values = sorted({_kind(v) for v in value.values()})
        return f"dict[{' | '.join(keys)}, {' | '.join(values)}]"
    return _show(type(value))


def _hints(function) -> dict:
    try:
        return typing.get_type_hints(function)
    except Exception as error:  # NameError, mostly: a name the module does not import
        raise AssertionError(
            f"The type hints of {function.__name__} do not resolve: {type(error).__name__}: "
            f"{error}. Import every name a hint uses (e.g. `from sklearn.pipeline import "
            "Pipeline`), also when it is written as a string."
        ) from None


# ------------------------------------------------------------------------------ docstring parsing

NUMPY_SECTIONS = {
    "parameters": "parameters",
    "other parameters": "parameters",
    "returns": "returns",
    "yields": "returns",
    "raises": "raises",
    "warns": "other",
    "notes": "other",
    "examples": "other",
    "see also": "other",
    "references": "other",
    "attributes": "other",
    "warnings": "other",
}
GOOGLE_SECTIONS = {
    "args": "parameters",
    "arguments": "parameters",
    "parameters": "parameters",
    "params": "parameters",
    "keyword args": "parameters",
    "returns": "returns",
    "return": "returns",
    "yields": "returns",
    "raises": "raises",
    "exceptions": "raises",
    "note": "other",
    "notes": "other",
    "example": "other",
    "examples": "other",
    "see also": "other",
    "attributes": "other",
    "warning": "other",
    "warnings": "other",
    "todo": "other",
}


class Doc(typing.NamedTuple):
    summary: str
    params: dict[str, str]  # documented name -> its description (type and text)
    returns: str  # the whole Returns part
    return_type: str  # the type named in it, if any
    raises: list[str]  # exception names


def _entries(lines: list[str]) -> list[tuple[str, str]]:
    """(header, body) of each entry of a section: headers sit at the section's base indent."""
    filled = [line for line in lines if line.strip()]
    if not filled:
        return []
    base = min(len(line) - len(line.lstrip()) for line in filled)
    entries: list[tuple[str, list[str]]] = []
    for line in filled:
        if len(line) - len(line.lstrip()) == base:
            entries.append((line.strip(), []))
        elif entries:
            entries[-1][1].append(line.strip())
    return [(header, " ".join(body)) for header, body in entries]


def _parse(doc: str | None) -> Doc | None:
    if not doc or not doc.strip():
        return None
    lines = inspect.cleandoc(doc).splitlines()
    sections: dict[str, list[tuple[str, list[str]]]] = {}
    current: tuple[str, list[str]] | None = None
    index = 1
    while index < len(lines):
        line, stripped = lines[index], lines[index].strip()
        underline = lines[index + 1].strip() if index + 1 < len(lines) else ""
        key = stripped.lower()
        if key in NUMPY_SECTIONS and len(underline) >= 3 and set(underline) == {"-"}:
            current = ("numpy", [])
            sections.setdefault(NUMPY_SECTIONS[key], []).append(current)
            index += 2
            continue
        if key.endswith(":") and key[:-1].strip() in GOOGLE_SECTIONS and line == line.lstrip():
            current = ("google", [])
            sections.setdefault(GOOGLE_SECTIONS[key[:-1].strip()], []).append(current)
            index += 1
            continue
        if current and current[0] == "google" and stripped and line == line.lstrip():
            current = None  # back at the docstring's own indent: the section ended
        if current is not None:
            current[1].append(line)
        index += 1

    params: dict[str, str] = {}
    for style, body in sections.get("parameters", []):
        for header, text in _entries(body):
            names, _, rest = header.partition(":")
            names = re.sub(r"\([^)]*\)", "", names)
            for name in names.split(","):
                name = name.strip().lstrip("*").strip()
                if name.isidentifier():
                    params[name] = f"{rest} {text}".strip() if style == "google" else text
                    if style == "numpy" and not text:
                        params[name] = ""  # a type alone describes nothing
    returns, return_type = "", ""
    for style, body in sections.get("returns", []):
        entries = _entries(body)
        returns += " ".join(f"{header} {text}" for header, text in entries) + " "
        if entries and not return_type:
            header = entries[0][0]
            if style == "numpy":
                return_type = header.partition(":")[2].strip() if ":" in header else header
            elif ":" in header:
                return_type = header.partition(":")[0].strip()
    raises: list[str] = []
    for _, body in sections.get("raises", []):
        for header, _ in _entries(body):
            match = re.match(r"[A-Za-z_][\w.]*", header)
            if match:
                raises.append(match.group(0))
    # Sphinx fields
    text = "\n".join(lines)
    for match in re.finditer(r"^\s*:param\s+(?:[^:]*\s)?(\*{0,2}\w+)\s*:(.*)$", text, re.M):
        params[match.group(1).lstrip("*")] = match.group(2).strip()
    for match in re.finditer(r"^\s*:returns?:(.*(?:\n\s+\S.*)*)", text, re.M):
        returns += " " + " ".join(match.group(1).split())
    for match in re.finditer(r"^\s*:rtype:\s*(.+)$", text, re.M):
        return_type = return_type or match.group(1).strip()
    for match in re.finditer(r"^\s*:raises?\s+([\w.]+)\s*:", text, re.M):
        raises.append(match.group(1))
    return Doc(lines[0].strip(), params, returns.strip(), return_type, raises)


def _doc(exercise, name: str) -> Doc:
    function = _public(exercise)[name]
    doc = _parse(function.__doc__)
    assert doc is not None, f"{name} has no docstring: give it one."
    return doc


def _namespace(exercise) -> dict:
    names = {"pd": pd, "np": np, "pandas": pd, "numpy": np, "sklearn": sklearn}
    names |= {"DataFrame": pd.DataFrame, "Series": pd.Series, "ndarray": np.ndarray}
    names |= {"Pipeline": Pipeline, "array": np.ndarray}
    return {**vars(builtins), **names, **vars(exercise)}


def _resolve(text: str, exercise):
    """The type (or exception class) a docstring names, or None when it names none."""
    leading = r"^[A-Za-z_][\w.]*(?:\[[^\]]*\])?(?=$|,|:| of | with | \()"  # "ndarray of float"
    for candidate in (text, *re.findall(leading, text)[:1]):
        candidate = re.sub(r"\bor\b", "|", candidate.strip())
        if not candidate or "(" in candidate:  # a type is named, never called
            continue
        try:
            value = eval(candidate, {"__builtins__": {}}, _namespace(exercise))
        except Exception:
            continue
        if isinstance(value, type) or typing.get_origin(value) is not None:
            return value
    return None


BACKTICKED = re.compile(r"``?([^`]+?)``?")


def _claims(doc: Doc, exercise) -> set[str]:
    """The names a Returns part puts in backticks, with module constants spelled out."""
    claimed: set[str] = set()
    for token in BACKTICKED.findall(doc.returns):
        quoted = re.findall(r"['\"](\w+)['\"]", token)
        words = quoted or [w for w in re.split(r"[,\s]+", token) if w.isidentifier()]
        for word in words:
            constant = getattr(exercise, word, None)
            if isinstance(constant, list | tuple) and all(isinstance(c, str) for c in constant):
                claimed |= set(constant)
            else:
                claimed.add(word)
    outside = BACKTICKED.sub(" ", doc.returns)
    claimed |= set(re.findall(r"(?<![\w'])['\"]([A-Za-z_]\w*)['\"]", outside))  # "mae_usd"
    return claimed


# ------------------------------------------------------------------------------------ hints


def test_every_function_is_fully_annotated(exercise):
    """every public function annotates each parameter and its return (rejects missing or Any)"""
    for name, function in _public(exercise).items():
        signature = inspect.signature(function)
        bare = [p.name for p in signature.parameters.values() if p.annotation is p.empty]
        assert not bare, (
            f"{name} has no type hint on {', '.join(bare)}: annotate every parameter, with the "
            "type of what is really passed."
        )
        assert signature.return_annotation is not signature.empty, (
            f"{name} has no return hint: add `-> ...` with the type it returns."
        )
        for part, hint in _hints(function).items():
            where = "its return" if part == "return" else f"{part!r}"
            assert hint is not typing.Any and hint is not object, (
                f"{name} annotates {where} as {_show(hint)}, which tells the reader nothing: "
                "name the real type."
            )


def test_hints_resolve(exercise):
    """type hints resolve: every name they use is imported (rejects an unimported name)"""
    for function in _public(exercise).values():
        _hints(function)


def test_hints_admit_what_the_code_passes_and_returns(exercise):
    """each hint admits what the module's own code passes and returns (rejects wrong types)"""
    functions = _public(exercise)
    for name, arguments, result in _calls(exercise):
        hints = _hints(functions[name])
        for part, value in arguments.items():
            if part in hints:
                assert _admits(value, hints[part]), (
                    f"{name}'s hint says {part} is {_show(hints[part])}, but the module's own "
                    f"code passes it a {_kind(value)} (run load_sales then evaluate and watch "
                    "the calls). A hint must admit what is really passed."
                )
        if "return" in hints:
            assert _admits(result, hints["return"]), (
                f"{name}'s hint says it returns {_show(hints['return'])}, but it returns a "
                f"{_kind(result)}. Read what the last line builds."
            )


# ------------------------------------------------------------------------------ docstrings


def test_every_function_has_a_summary(exercise):
    """every public function has a docstring that opens with a summary line"""
    for name in _public(exercise):
        doc = _doc(exercise, name)
        assert len(re.findall(r"\w+", doc.summary)) >= 3, (
            f"{name}'s docstring opens with {doc.summary!r}; open with a summary line of at "
            "least three words saying what the function does."
        )


def test_parameters_are_documented(exercise):
    """docstrings document every parameter by name, and no parameter that does not exist"""
    for name, function in _public(exercise).items():
        doc = _doc(exercise, name)
        real = list(inspect.signature(function).parameters)
        missing = [p for p in real if p not in doc.params]
        extra = [p for p in doc.params if p not in real]
        assert not (missing and extra), (
            f"{name}'s docstring documents {', '.join(extra)}, but the parameter is called "
            f"{', '.join(missing)}: use the names of the signature."
        )
        assert not missing, (
            f"{name}'s docstring does not document {', '.join(missing)}: give each parameter "
            "an entry under Parameters (numpy) or Args: (Google), by its exact name."
        )
        assert not extra, (
            f"{name}'s docstring documents {', '.join(extra)}, but {name} has no such "
            f"parameter (it takes {', '.join(real)}): document the signature as it is."
        )
        empty = [p for p in real if len(re.findall(r"[A-Za-z]{2,}", doc.params[p])) < 2]
        assert not empty, (
            f"{name}'s docstring names {', '.join(empty)} without describing it: say what it "
            "is, in a few words, under its name."
        )


def test_returns_part_names_the_type_returned(exercise):
    """each docstring's Returns part describes the result, and any type it names is right"""
    for name in _public(exercise):
        doc = _doc(exercise, name)
        assert len(re.findall(r"[A-Za-z]{2,}", doc.returns)) >= 3, (
            f"{name}'s docstring has no Returns part (or an empty one): say what comes back."
        )
        if name not in FUNCTIONS:
            continue
        claimed = _resolve(doc.return_type, exercise) if doc.return_type else None
        result = _result(exercise, name)
        if claimed is not None:
            assert _admits(result, claimed), (
                f"{name}'s docstring says it returns {doc.return_type}, but it returns a "
                f"{_kind(result)}. Document what the code returns."
            )


SOURCE = re.compile(
    r"\b(?:of|from|off|in|on|by|per|using|uses|via|derived|computed|taken|extracted|based|"
    r"parsed|drops?|dropped|without|not|no|except|instead|replac\w*|than)\b"
    r"(?:\s+(?:the|an?|each|every|its|their|this|input|original|raw|longer|columns?|"
    r"[\w-]+['\u2019]s?)){0,3}"
    r"\s+``?([A-Za-z_]\w*)``?",
    re.IGNORECASE,
)


def _inputs(exercise, name: str) -> set[str]:
    """The columns of what the function reads: its DataFrame arguments, or the sales file."""
    if name == "load_sales":
        return set(map(str, _raw_sales().columns))
    return {
        str(column)
        for called, arguments, _ in _calls(exercise)
        if called == name
        for value in arguments.values()
        if isinstance(value, pd.DataFrame)
        for column in value.columns
    }


def test_columns_and_keys_are_the_ones_returned(exercise):
    """the Returns part lists exactly the columns and keys returned (rejects a stale column)"""
    for name in ("load_sales", "build_features", "evaluate"):
        doc = _doc(exercise, name)
        result = _result(exercise, name)
        actual = set(map(str, result.columns if isinstance(result, pd.DataFrame) else result))
        what = "column" if isinstance(result, pd.DataFrame) else "key"
        claimed = _claims(doc, exercise)
        allowed = set(inspect.signature(_public(exercise)[name]).parameters)
        allowed |= set(vars(exercise)) | {"None", "True", "False", "NaN", "nan", "NA"}
        allowed |= {c for c in claimed if any(hasattr(m, c) for m in (pd, np, pd.DataFrame))}
        if isinstance(result, pd.DataFrame):
            for column in result.select_dtypes(exclude="number").columns:
                allowed |= {str(v) for v in result[column].dropna().unique()[:200]}
        inputs = _inputs(exercise, name)
        allowed |= set(SOURCE.findall(doc.returns)) & inputs  # "the year of `sale_date`"
        stale = sorted(claimed - actual - allowed)
        read = [c for c in stale if c in inputs]
        assert not stale, (
            f"{name}'s Returns part claims the {what}(s) {', '.join(stale)}, but it returns "
            f"{', '.join(sorted(actual))}. Read the code, not the old comments."
            + (
                f" (To name {', '.join(read)} as where a value comes from, say so: "
                f'"the year of `{read[0]}`", "from `{read[0]}`".)'
                if read
                else ""
            )
        )
        missing = sorted(actual - claimed)
        assert not missing, (
            f"{name}'s Returns part does not list the {what}(s) {', '.join(missing)}; list "
            f"every {what} it returns in backticks, like `{missing[0]}`."
        )


SHAPE = re.compile(r"shape\s*[:=]?\s*(?:of\s*)?\(((?:[^()]|\([^()]*\))*)\)", re.IGNORECASE)
ONE_D = re.compile(r"\(\s*(?:[^(),]|\([^()]*\))+,\s*\)")  # a bare 1-tuple: (n_rows,)
PER_ROW = re.compile(
    r"same (length|size|number of rows) as|\bone\b[^.;]{0,40}?\b(per|for each|for every)\s+"
    r"(row|sale|listing)|\b(per|for each|for every) (row|sale|listing)\b|\b1-?d\b|"
    r"one-dimensional|\blength\b|\bvector\b",
    re.IGNORECASE,
)
DTYPES = re.compile(
    r"\b(float(?:16|32|64)?s?|int(?:8|16|32|64)?s?|integers?|bool(?:ean)?s?)\b", re.IGNORECASE
)


def test_arrays_state_their_shape_and_dtype(exercise):
    """an array's or Series' Returns part states its shape, and any dtype it names is right"""
    for name in FUNCTIONS:
        result = _result(exercise, name)
        if not isinstance(result, np.ndarray | pd.Series):
            continue
        doc = _doc(exercise, name)
        shape = SHAPE.search(doc.returns)
        if shape is not None:
            dims = [part for part in shape.group(1).split(",") if part.strip()]
            assert len(dims) == result.ndim, (
                f"{name}'s Returns part gives the shape ({shape.group(1)}), a {len(dims)}-D "
                f"result, but {name} returns a {result.ndim}-D {_kind(result)} of shape "
                f"{result.shape}."
            )
        else:
            assert ONE_D.search(doc.returns) or PER_ROW.search(doc.returns), (
                f"{name}'s Returns part says nothing of its shape: give it (`shape (n_rows,)`) "
                "or say it holds one value per row of its input."
            )
        for word in {w.lower() for w in DTYPES.findall(doc.returns)}:
            word = word.rstrip("s") if word not in ("float", "int") else word
            kind = result.dtype.kind
            if word.startswith(("int", "integer")):
                ok = kind in "iu" and (word in ("int", "integer") or result.dtype == word)
            elif word.startswith("float"):
                ok = kind == "f" and (word == "float" or result.dtype == word)
            else:
                ok = kind == "b"
            assert ok, (
                f"{name}'s Returns part names the dtype {word}, but its values are "
                f"{result.dtype}. Name the dtype it returns, or none."
            )


LOG_CLAIM = re.compile(r"\blog1p\b|\blog[- ]?(price|scale|space|dollar|usd)", re.IGNORECASE)
LOG_DENIED = re.compile(r"expm1|\bback\b|\bundo|\binverse|\bnot\b|instead|convert|turn", re.I)
UNIT = re.compile(r"\bUSD\b|dollar|\$", re.IGNORECASE)


def test_money_is_documented_in_dollars(exercise):
    """money is documented in USD, not on a log scale (rejects the stale log1p comment)"""
    for name in MONEY:
        doc = _doc(exercise, name)
        assert UNIT.search(doc.returns), (
            f"{name} returns money, but its Returns part gives no unit: say it is in USD."
        )
        claim = LOG_CLAIM.search(doc.returns)
        assert claim is None or LOG_DENIED.search(doc.returns), (
            f"{name}'s Returns part says {claim.group(0) if claim else ''!r}, but {name} "
            "returns plain dollars (predict_prices undoes the log1p with np.expm1). Read the "
            "code, not the old comment."
        )


def test_raises_part_names_what_is_raised(exercise):
    """the Raises part names each exception the function raises itself, and only exceptions"""
    for name in _public(exercise):
        doc = _doc(exercise, name)
        for raised in doc.raises:
            resolved = _resolve(raised, exercise)
            assert isinstance(resolved, type) and issubclass(resolved, BaseException), (
                f"{name}'s Raises part names {raised}, which is not an exception class: list "
                "exception types (ValueError, KeyError, ...) and when each is raised."
            )
        if name in RAISES:
            wanted = RAISES[name]
            named = [_resolve(raised, exercise) for raised in doc.raises]
            right = [
                c
                for c in named
                if isinstance(c, type)
                and issubclass(wanted, c)
                and c not in (Exception, BaseException)
            ]
            assert right or not doc.raises, (
                f"{name}'s Raises part names {', '.join(doc.raises)}, but the code raises "
                f"{wanted.__name__} (read its `raise` statement): name the exception it "
                "raises, and when."
            )
            assert right, (
                f"{name} raises {wanted.__name__} itself (read its `raise` statement), but its "
                "docstring has no Raises part naming it: say which exception and when."
            )


# ------------------------------------------------------------------------------ behaviour


def _same_frame(got, want) -> bool:
    if not isinstance(got, pd.DataFrame):
        return False
    try:
        pd.testing.assert_frame_equal(got, want)
    except AssertionError:
        return False
    return True


def test_loading_and_features_behave_as_before(exercise, tmp_path):
    """load_sales and build_features behave exactly as before (no change of behaviour)"""
    want = _sales()
    assert _same_frame(exercise.load_sales(_write(tmp_path)), want), (
        "load_sales no longer returns what it did (columns, rows kept, index or dtypes "
        "changed): documenting must not change the code. Restore it (`mlings reset` keeps "
        "your version as a backup)."
    )
    no_price = tmp_path / "no_price.csv"
    _raw_sales().drop(columns=["price_usd"]).to_csv(no_price, index=False)
    with pytest.raises(ValueError):
        exercise.load_sales(no_price)
    assert _same_frame(exercise.build_features(want), _ref_build_features(want)), (
        "build_features no longer returns what it did: documenting must not change the code."
    )


def _same_kind(got, want) -> str | None:
    """How `got` differs from `want` in type, shape or dtype (None when it does not)."""
    if type(got) is not type(want):
        return f"a {_kind(got)}, where it returned a {_kind(want)}"
    if isinstance(want, np.ndarray) and (got.shape != want.shape or got.dtype != want.dtype):
        return (
            f"an array of shape {got.shape} and dtype {got.dtype}, where it returned shape "
            f"{want.shape} and dtype {want.dtype}"
        )
    return None


def test_model_and_metrics_behave_as_before(exercise):
    """the model, predictions, mae_usd and evaluate behave as before (rejects a changed type)"""
    sales = _sales()
    features = _ref_build_features(sales)
    model = _ref_fit(features, sales["price_usd"])
    fitted = exercise.fit_price_model(features, sales["price_usd"])
    changed = _same_kind(fitted, model)
    assert changed is None, (
        f"fit_price_model now returns {changed}: documenting must not change the code."
    )
    mine, want = exercise.predict_prices(fitted, features), _ref_predict(model, features)
    changed = _same_kind(mine, want)
    assert changed is None, (
        f"predict_prices now returns {changed}: documenting must not change the code (its "
        "type, index and shape are part of its behaviour). Restore it (`mlings reset` keeps "
        "your version as a backup)."
    )
    assert np.allclose(mine, want), (
        "fit_price_model and predict_prices no longer predict what they did: documenting must "
        "not change the code."
    )
    actual, predicted = sales["price_usd"], want
    for given in ((actual, predicted), (actual.to_numpy(), pd.Series(predicted))):
        got, expected = exercise.mae_usd(*given), _ref_mae(*given)
        changed = _same_kind(got, expected)
        assert changed is None, f"mae_usd now returns {changed}: documenting must not change it."
        assert got == pytest.approx(expected), (
            "mae_usd no longer computes what it did: documenting must not change the code."
        )
    with pytest.raises(ValueError):
        exercise.mae_usd(actual, predicted[:-1])
    for cutoff in (CUTOFF, "2023-07-01"):
        got, want = exercise.evaluate(sales, cutoff), _ref_evaluate(sales, cutoff)
        assert isinstance(got, dict) and set(got) == set(want), (
            f"evaluate now returns {got!r}: documenting must not change the code."
        )
        changed = [
            f"{k}: {_same_kind(got[k], want[k])}" for k in want if _same_kind(got[k], want[k])
        ]
        assert not changed, (
            f"evaluate's values changed type ({'; '.join(changed)}): documenting must not "
            "change the code."
        )
        assert all(got[k] == pytest.approx(want[k]) for k in want), (
            f"evaluate(sales, {cutoff!r}) gives {got}, not {want} as before: documenting must "
            "not change the code."
        )
    with pytest.raises(ValueError):
        exercise.evaluate(sales, "2030-01-01")


# ------------------------------------------------------------------------------ README section


FENCE = re.compile(r"^[ \t]*(```+|~~~+)[ \t]*([\w+-]*)[^\n]*\n(.*?)^[ \t]*\1[ \t]*$", re.M | re.S)


class Part(typing.NamedTuple):
    prose: str  # text outside code blocks
    blocks: list[tuple[str, str]]  # (language, code)


def _readme(exercise) -> str:
    text = getattr(exercise, "README_SECTION", "")
    assert isinstance(text, str) and text.strip(), (
        "README_SECTION is empty: write the onboarding section, in markdown, with a heading "
        "for each of README_PARTS."
    )
    return text


def _parts(text: str) -> dict[str, Part]:
    """The README's parts by heading (lower case), with their prose and code blocks."""
    blocks: list[tuple[int, int, str, str]] = [
        (m.start(), m.end(), m.group(2).lower(), m.group(3)) for m in FENCE.finditer(text)
    ]
    prose_only = text
    for start, end, _, _ in reversed(blocks):
        prose_only = prose_only[:start] + "\x00" * (end - start) + prose_only[end:]
    headings = [
        (m.start(), m.group(1).strip().rstrip(":").strip().lower())
        for m in re.finditer(r"^#{1,4}[ \t]+(.+?)[ \t]*#*[ \t]*$", prose_only, re.M)
    ]
    parts: dict[str, Part] = {}
    for i, (start, title) in enumerate(headings):
        end = headings[i + 1][0] if i + 1 < len(headings) else len(text)
        prose = prose_only[start:end].replace("\x00", "")
        prose = prose.split("\n", 1)[1] if "\n" in prose else ""
        inside = [(lang, code) for s, _, lang, code in blocks if start <= s < end]
        old = parts.get(title, Part("", []))
        parts[title] = Part(old.prose + prose, old.blocks + inside)
    return parts


def _part(exercise, title: str) -> Part:
    parts = _parts(_readme(exercise))
    assert title.lower() in parts, (
        f"README_SECTION has no heading {title!r} (found {', '.join(parts) or 'none'}): give "
        "each part of README_PARTS its own markdown heading, like `## " + title + "`."
    )
    return parts[title.lower()]


@functools.cache
def _exercise_names() -> frozenset[str]:
    catalog = tomllib.loads((_root() / "info.toml").read_text(encoding="utf-8"))
    return frozenset(entry["name"] for entry in catalog.get("exercises", []))


def _module_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


PATHLIKE = re.compile(
    r"/|\.(py|csv|md|toml|txt|json|parquet|cfg|ini|ya?ml|pkl|joblib|onnx|diff|lock)$"
)
CREATED = (".venv", "venv", ".mlings", "env/", "~", "$", "/", "..", "-", "http:", "https:")


def _path_problem(token: str, cwd: Path) -> str | None:
    token = token.split("=", 1)[1] if token.startswith("-") and "=" in token else token
    if not PATHLIKE.search(token) or token.startswith(CREATED) or "://" in token:
        return None
    if any(c in token for c in "*?[]{}<>"):
        return None
    root = _root()
    clean = token.rstrip("/")
    if (cwd / clean).exists() or (root / clean).exists() or (root / "data" / clean).exists():
        return None
    return f"the path {token!r} does not exist in the course (from its root, or in data/)"


def _python_problems(code: str, exercise, cwd: Path) -> list[str]:
    lines = code.splitlines()
    if any(line.lstrip().startswith(">>>") for line in lines):
        lines = [
            re.sub(r"^\s*(>>>|\.\.\.) ?", "", line)
            for line in lines
            if line.lstrip().startswith((">>>", "..."))
        ]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError as error:
        return [f"a Python block does not parse ({error.msg}, line {error.lineno})"]
    problems: list[str] = []
    mine = {name for name in vars(exercise) if not name.startswith("_")}
    real: dict[str, types.ModuleType | None] = {}  # names bound to other modules
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            module = node.module if isinstance(node, ast.ImportFrom) else None
            for alias in node.names:
                target = module or alias.name
                local = alias.asname or alias.name.split(".")[0]
                bound.add(local)
                if target.split(".")[-1] in ("document_model", "08_document_model"):
                    problems.append(
                        f"it imports {target}, which Python started at the course root cannot "
                        "find: this file is exercises/07_collaboration/08_document_model.py, "
                        "and a name that starts with a digit cannot be imported (load the file "
                        "with runpy.run_path, or show the shell command that runs it)"
                    )
                elif not _module_exists(target):
                    problems.append(f"it imports {target}, which is not an installed module")
                elif module is not None and target in sys.modules:
                    if not hasattr(sys.modules[target], alias.name) and not _module_exists(
                        f"{target}.{alias.name}"
                    ):
                        problems.append(f"{target} has no {alias.name}")
                elif module is None:
                    real[local] = sys.modules.get(target.split(".")[0])
        elif isinstance(node, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef):
            bound.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            bound.add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
    loads = any(  # runpy.run_path("exercises/.../08_document_model.py"), import_module(...)
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.endswith(("08_document_model.py", "08_document_model"))
        for node in ast.walk(tree)
    )
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            name = node.func.id
            if name in bound or hasattr(builtins, name):
                continue
            if name not in mine:
                problems.append(f"it calls {name}(), which does not exist in this module")
            elif not loads:
                problems.append(
                    f"it calls {name}() but never loads this module, so pasted as it is it "
                    "fails with a NameError"
                )
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Subscript)
            and isinstance(node.func.slice, ast.Constant)
            and isinstance(node.func.slice.value, str)
            and node.func.slice.value not in mine
        ):  # runpy.run_path(...)["name"](...)
            problems.append(f"it calls {node.func.slice.value}(), which this module does not have")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if (
                isinstance(owner, ast.Name)
                and real.get(owner.id) is not None
                and not hasattr(real[owner.id], node.func.attr)
            ):
                problems.append(f"{owner.id} has no {node.func.attr}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            problem = _path_problem(node.value, cwd)
            if problem and "\n" not in node.value and " " not in node.value:
                problems.append(problem)
    return problems


def _commands(code: str) -> list[list[str]]:
    """The simple commands of a shell block, as token lists."""
    code = re.sub(r"\\\n", " ", code)
    commands: list[list[str]] = []
    for line in code.splitlines():
        line = re.sub(r"^\s*(\$|%|>|PS>)\s+", "", line).strip()
        if not line or line.startswith("#"):
            continue
        try:
            tokens = shlex.split(line, comments=True)
        except ValueError:
            tokens = line.split()
        command: list[str] = []
        for token in tokens:
            if token in ("&&", "||", ";", "|", "&"):
                commands.append(command)
                command = []
            else:
                command.append(token)
        commands.append(command)
    return [c for c in commands if c]


PYTHONS = ("python", "python3", "py", "python3.11", "python3.12", "python3.13")
NAME = "document_model"  # this exercise, as info.toml names it
RUNNERS = ("uv", "poetry", "pdm", "hatch", "pipx")  # `uv run mlings ...`
VALUED = ("--root", "--module", "--format", "--output", "--jobs")  # options that take a value


def _mlings_args(tokens: list[str]) -> list[str] | None:
    """The arguments of a mlings command (`mlings ...` or `python -m mlings ...`), else None."""
    while len(tokens) > 1 and tokens[0] in RUNNERS and tokens[1] == "run":
        tokens = tokens[2:]
    if tokens and (tokens[0] == "mlings" or tokens[0].endswith("/mlings")):
        return tokens[1:]
    python = tokens and (tokens[0] in PYTHONS or tokens[0].endswith("/python"))
    if python and tokens[1:3] == ["-m", "mlings"]:
        return tokens[3:]
    return None


def _mlings_words(args: list[str]) -> list[str]:
    """A mlings command's words: its subcommand and exercise name, without options."""
    words: list[str] = []
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in VALUED:
            skip = True
        elif not arg.startswith("-"):
            words.append(arg)
    return words


def _option(args: list[str], name: str) -> str | None:
    for i, arg in enumerate(args):
        if arg == name and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None


def _shell_problems(code: str, exercise) -> list[str]:
    problems: list[str] = []
    cwd = _root()
    for tokens in _commands(code):
        while tokens and re.fullmatch(r"[A-Za-z_]\w*=.*", tokens[0]):
            tokens = tokens[1:]  # VAR=value before the command
        if not tokens:
            continue
        command, args = tokens[0], tokens[1:]
        shown = " ".join(tokens)
        if command == "cd" and args:
            if (cwd / args[0]).is_dir():
                cwd = (cwd / args[0]).resolve()
            elif "/" in args[0] and not args[0].startswith(CREATED):
                problems.append(f"`{shown}`: there is no folder {args[0]!r}")
            continue
        skip: set[int] = set()
        if command in PYTHONS or command.endswith("/python"):
            for i, arg in enumerate(args):
                if arg == "-m" and i + 1 < len(args):
                    skip.add(i + 1)
                    if not _module_exists(args[i + 1]):
                        problems.append(f"`{shown}`: there is no module {args[i + 1]!r}")
                    break
                if arg == "-c" and i + 1 < len(args):
                    skip.add(i + 1)
                    problems += [
                        f"`{shown}`: {p}" for p in _python_problems(args[i + 1], exercise, cwd)
                    ]
                    break
                if not arg.startswith("-"):
                    break
        mlings = _mlings_args(tokens)
        if mlings is not None:
            words = _mlings_words(mlings)
            if words and words[0] not in MLINGS_COMMANDS:
                problems.append(
                    f"`{shown}`: mlings has no command {words[0]!r} "
                    f"(it has {', '.join(sorted(MLINGS_COMMANDS))})"
                )
            elif words and words[0] in NAMED_EXERCISE and len(words) > 1:
                if words[1] not in _exercise_names():
                    problems.append(f"`{shown}`: there is no exercise named {words[1]!r}")
            elif words and words[0] == "dev":
                if len(words) < 2 or words[1] not in ("check", "try"):
                    problems.append(f"`{shown}`: mlings dev has the commands check and try")
                elif words[1] == "try" and len(words) > 2 and words[2] not in _exercise_names():
                    problems.append(f"`{shown}`: there is no exercise named {words[2]!r}")
        for i, arg in enumerate(args):
            if i not in skip:
                problem = _path_problem(arg, cwd)
                if problem:
                    problems.append(f"`{shown}`: {problem}")
    return problems


SHELLS = ("", "sh", "bash", "shell", "console", "zsh", "shell-session", "terminal", "powershell")
PYTHON_BLOCKS = ("python", "py", "pycon", "python3", "ipython")


def _block_problems(language: str, code: str, exercise) -> list[str]:
    if language in PYTHON_BLOCKS:
        return _python_problems(code, exercise, _root())
    if language in SHELLS:
        return _shell_problems(code, exercise)
    return []


def _runs(blocks: list[tuple[str, str]]) -> list[list[str]]:
    return [tokens for language, code in blocks if language in SHELLS for tokens in _commands(code)]


def _words(text: str) -> int:
    return len(re.findall(r"[A-Za-zÀ-ÿ]{2,}", text))


def test_readme_has_every_part(exercise):
    """README_SECTION has a heading and real text for each part (no placeholders)"""
    text = _readme(exercise)
    for title in README_PARTS:
        part = _part(exercise, title)
        assert _words(part.prose) >= 8, (
            f"The README's {title!r} part has {_words(part.prose)} words of text outside code: "
            "say, in a few sentences, what a new teammate needs there."
        )
    prose = FENCE.sub("", text)
    placeholder = PLACEHOLDERS.search(prose)
    assert placeholder is None, (
        f"README_SECTION still holds a placeholder ({placeholder.group(0)!r}): replace it."
    )


def test_readme_commands_exist(exercise):
    """every README command and code sample refers to things that exist (rejects made-up ones)"""
    text = _readme(exercise)
    problems: list[str] = []
    for match in FENCE.finditer(text):
        problems += _block_problems(match.group(2).lower(), match.group(3), exercise)
    prose = FENCE.sub("", text)
    mine = {name for name in vars(exercise) if not name.startswith("_")}
    for code in re.findall(r"`([^`\n]+)`", prose):
        for name in re.findall(r"(?<![\w.])([A-Za-z_]\w*)\(", code):
            if name not in mine and not hasattr(builtins, name) and not keyword.iskeyword(name):
                problems.append(f"`{code}` calls {name}(), which this module does not have")
    for name in re.findall(r"[\w./-]*\w\.csv\b", prose):
        problem = _path_problem(name, _root())
        if problem:
            problems.append(problem)
    assert not problems, (
        "The README refers to things that do not exist: "
        + "; ".join(dict.fromkeys(problems))
        + ". A new teammate will copy these exactly: name real files, modules and functions."
    )
    for title in ("Setup", "Train and evaluate", "Tests"):
        part = _part(exercise, title)
        assert _runs(part.blocks) or any(
            lang in PYTHON_BLOCKS and code.strip() for lang, code in part.blocks
        ), (
            f"The README's {title!r} part shows no command in a fenced code block "
            "(```sh ... ```): show what to type."
        )


def test_readme_names_the_data(exercise):
    """the Data part names the file the model learns from"""
    part = _part(exercise, "Data")
    everything = part.prose + " ".join(code for _, code in part.blocks)
    assert re.search(r"\bsales_clean\.csv\b", everything), (
        "The README's Data part does not name the file the model learns from: which file in "
        "data/ does this module's __main__ load?"
    )


@functools.cache
def _real_metrics() -> dict[str, float]:
    return _ref_evaluate(_ref_load_sales(_root() / "data" / "sales_clean.csv"))


AMOUNT = re.compile(
    r"(?:\$|\bUSD)\s?(\d[\d,]*(?:\.\d+)?)|\b(\d[\d,]*(?:\.\d+)?)\s?(?:USD|dollars)\b"
)
OUTPUT_BLOCKS = ("text", "txt", "output", "out", "plaintext", "plain", "log")
BASELINE_WORDS = re.compile(r"\bbaselines?\b|\bper[- ]rarity\b|\bmedians?\b", re.IGNORECASE)
MODEL_WORDS = re.compile(r"\b(?:models?|ridge|regression|pipeline|ours)\b", re.IGNORECASE)
LABELS = {"mae_usd": "the model's", "baseline_mae_usd": "the baseline's"}


class Amount(typing.NamedTuple):
    text: str  # as written, e.g. "$175.31"
    value: float
    start: int
    end: int


def _amounts(text: str) -> list[Amount]:
    found = []
    for match in AMOUNT.finditer(text):
        number = (match.group(1) or match.group(2)).rstrip(",")
        found.append(
            Amount(match.group(0).rstrip(","), float(number.replace(",", "")), *match.span())
        )
    return found


def _to_the_cent(amount: Amount, value: float) -> bool:
    return math.isclose(amount.value, round(value, 2), abs_tol=0.006)


def _mentions(text: str) -> dict[str, list[tuple[int, int]]]:
    """Where a text names the baseline and where it names the model (not "baseline model")."""
    model = [
        m.span()
        for m in MODEL_WORDS.finditer(text)
        if not re.search(r"(?:baselines?|medians?|rarity)[\s-]+$", text[: m.start()], re.I)
    ]
    return {
        "baseline_mae_usd": [m.span() for m in BASELINE_WORDS.finditer(text)],
        "mae_usd": model,
    }


def _gap(span: tuple[int, int], amount: Amount) -> float:
    return max(0, span[0] - amount.end, amount.start - span[1])


def _nearest(spans: list[tuple[int, int]], amount: Amount) -> float:
    return min((_gap(span, amount) for span in spans), default=math.inf)


def _read(text: str, metrics: dict[str, float]) -> list[tuple[str, str, str]]:
    """(amount, the metric it is, the metric its nearest label says) in one sentence or row."""
    quoted = [
        (amount, key)
        for amount in _amounts(text)
        for key in metrics
        if _to_the_cent(amount, metrics[key])
    ]
    mentions = _mentions(text)
    if not quoted or not any(mentions.values()):
        return []
    other = {"mae_usd": "baseline_mae_usd", "baseline_mae_usd": "mae_usd"}
    if len({key for _, key in quoted}) == 1:  # one metric: its nearest label is its label
        readings = []
        for amount, key in quoted:
            model, baseline = (_nearest(mentions[k], amount) for k in LABELS)
            if model != baseline:
                readings.append(
                    (amount.text, key, "mae_usd" if model < baseline else other["mae_usd"])
                )
        return readings
    # both metrics: the reading that puts each nearer its own label wins ("$196.79 for the
    # model and $175.31 for the baseline" reads the first as the model's)
    first = {key: amount for amount, key in reversed(quoted)}
    as_written = sum(_nearest(mentions[k], first[k]) for k in LABELS if mentions[k])
    swapped = sum(_nearest(mentions[other[k]], first[k]) for k in LABELS if mentions[other[k]])
    if abs(as_written - swapped) <= 2:  # a tie: the labels' order decides
        order = {k: min((s[0] for s in mentions[k]), default=math.inf) for k in LABELS}
        if math.inf in order.values() or order["mae_usd"] == order["baseline_mae_usd"]:
            return []
        model_first = order["mae_usd"] < order["baseline_mae_usd"]
        amounts_model_first = first["mae_usd"].start < first["baseline_mae_usd"].start
        as_written, swapped = (0, 1) if model_first == amounts_model_first else (1, 0)
    return [(first[k].text, k, k if as_written < swapped else other[k]) for k in LABELS]


def _table_readings(rows: list[str], metrics: dict[str, float]) -> list[tuple[str, str, str]]:
    """Readings of a markdown table: a cell's label is in its row, else in its column's header."""
    cells = [
        [cell.strip() for cell in row.strip().strip("|").split("|")]
        for row in rows
        if not re.fullmatch(r"[\s|:-]*", row)
    ]
    readings: list[tuple[str, str, str]] = []
    for r, row in enumerate(cells):
        for c, cell in enumerate(row):
            for amount in _amounts(cell):
                keys = [k for k in metrics if _to_the_cent(amount, metrics[k])]
                if not keys:
                    continue
                rest = " ".join(x for i, x in enumerate(row) if i != c)
                header = cells[0][c] if r and c < len(cells[0]) else ""
                for text in (AMOUNT.sub(" ", cell), rest, header):
                    kinds = [k for k, spans in _mentions(text).items() if spans]
                    if len(kinds) == 1:
                        readings.append((amount.text, keys[0], kinds[0]))
                        break
    return readings


def _quoted_text(part: Part) -> str:
    """The prose of a part and any program output it pastes (```text blocks)."""
    pasted = [code for language, code in part.blocks if language in OUTPUT_BLOCKS]
    return "\n\n".join([part.prose, *pasted])


def _readings(part: Part, metrics: dict[str, float]) -> list[tuple[str, str, str]]:
    readings: list[tuple[str, str, str]] = []
    table: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if table:
            readings.extend(_table_readings(table, metrics))
            table.clear()
        text = " ".join(paragraph)
        paragraph.clear()
        for sentence in re.split(r"(?<=[.!?;])\s+", text):
            readings.extend(_read(sentence, metrics))

    for line in _quoted_text(part).splitlines():
        stripped = line.strip()
        if stripped.startswith("|"):
            if paragraph:
                flush()
            table.append(stripped)
            continue
        if table or not stripped or re.match(r"(?:[-*+]|\d+[.)])\s", stripped):
            flush()
        if stripped:
            paragraph.append(stripped)
    flush()
    return readings


def test_readme_quotes_the_real_metrics(exercise):
    """the quoted MAEs are evaluate's on data/sales_clean.csv, to the cent, with the split date"""
    part = _part(exercise, "Train and evaluate")
    metrics = _real_metrics()
    values = [*metrics.values(), metrics["baseline_mae_usd"] - metrics["mae_usd"]]
    quoted = _amounts(_quoted_text(part))
    rounded = [
        a.text
        for a in quoted
        if not any(_to_the_cent(a, v) for v in values) and any(abs(a.value - v) < 1 for v in values)
    ]
    assert not rounded, (
        f"The Train and evaluate part quotes {', '.join(rounded)}, rounded: that is not "
        "what the file prints. Quote every amount to the cent, as printed ($1,234.56)."
    )
    wrong = [a.text for a in quoted if not any(_to_the_cent(a, v) for v in values)]
    assert not wrong, (
        f"The Train and evaluate part quotes {', '.join(wrong)}, which is not a metric "
        "evaluate computes on data/sales_clean.csv. Run the file and copy what it prints "
        "(the model's MAE and the baseline's)."
    )
    for key, label in LABELS.items():
        assert any(_to_the_cent(a, metrics[key]) for a in quoted), (
            f"The Train and evaluate part does not quote {label} test MAE: run this file and "
            "quote both numbers it prints, in dollars to the cent ($1,234.56)."
        )
    split = (
        CUTOFF in part.prose
        or re.search(r"Jan(uary)?\.? 1(st)?,? 2024|1(st)? Jan(uary)?\.? 2024", part.prose)
        or ("2023" in part.prose and "2024" in part.prose)
    )
    assert split, (
        "The Train and evaluate part quotes metrics without their split: say which sales "
        "train the model and which test it (the date they are cut at)."
    )


def test_readme_ties_each_mae_to_its_label(exercise):
    """each quoted MAE is labelled as the model's or the baseline's (rejects the two swapped)"""
    part = _part(exercise, "Train and evaluate")
    metrics = _real_metrics()
    readings = _readings(part, metrics)
    for text, key, read_as in readings:
        assert key == read_as, (
            f"The Train and evaluate part gives {text} as {LABELS[read_as]} test MAE, but "
            f"the file prints it as {LABELS[key]}: the model and the baseline are swapped. "
            "(Each MAE is read as belonging to the label, model or baseline, written nearest "
            "to it in its sentence or table row.)"
        )
    for key, label in LABELS.items():
        assert any(k == key for _, k, _ in readings), (
            f"The Train and evaluate part quotes {label} test MAE without saying whose it is: "
            "write each number next to its label (the model, the baseline), in one sentence "
            "or table row."
        )


CHECK_FILE = "mlings/checks/07_collaboration/test_document_model.py"


def _runs_these_checks(tokens: list[str]) -> bool:
    """Whether a command runs this exercise's checks (not the course's tests, not another's)."""
    while tokens and re.fullmatch(r"[A-Za-z_]\w*=.*", tokens[0]):
        tokens = tokens[1:]
    args = _mlings_args(tokens)
    if args is not None:
        words = _mlings_words(args)
        if words[:1] == ["run"]:
            return words[1:2] == [NAME]
        if words[:2] == ["dev", "try"]:
            return words[2:3] == [NAME]
        if words[:1] == ["verify"]:  # every exercise, this one included
            return _option(args, "--module") in (None, "07_collaboration")
        return False
    pytest_args = (
        tokens[1:]
        if tokens[:1] == ["pytest"]
        else tokens[3:]
        if tokens[:1] and tokens[0] in PYTHONS and tokens[1:3] == ["-m", "pytest"]
        else None
    )
    if pytest_args is None:
        return False
    plugin = (
        any(
            pytest_args[i : i + 2] == ["-p", "mlings.engine.plugin"]
            for i in range(len(pytest_args))
        )
        or "-pmlings.engine.plugin" in pytest_args
    )
    targets = [a.split("::")[0].rstrip("/") for a in pytest_args if not a.startswith("-")]
    return plugin and any(t and (CHECK_FILE + "/").startswith(t + "/") for t in targets)


def test_readme_shows_how_to_run_the_tests(exercise):
    """the Tests part shows a command that runs this exercise's checks (rejects other tests)"""
    part = _part(exercise, "Tests")
    commands = _runs(part.blocks)
    shown = ", ".join(f"`{' '.join(c)}`" for c in commands) or "none"
    assert any(_runs_these_checks(c) for c in commands), (
        f"The README's Tests part shows no command that runs this exercise's checks (it "
        f"shows {shown}). Pytest on the course's tests does not test this module, and "
        "`mlings run` without a name runs whichever exercise is current: in a code block, "
        "run this one by its name (`mlings list` shows it)."
    )


def test_readme_lists_known_limits(exercise):
    """the Known limits part lists at least two limits, each a real sentence"""
    part = _part(exercise, "Known limits")
    items = re.findall(r"^\s*(?:[-*+]|\d+[.)])\s+(.+)$", part.prose, re.M)
    assert len(items) >= 2, (
        f"The Known limits part lists {len(items)} item(s): list at least two things the model "
        "cannot do or gets wrong (one list item each)."
    )
    short = [item for item in items if len(item.split()) < 6]
    assert not short, (
        f"These limits are too short to help: {short}. Say each in a full sentence: what goes "
        "wrong, and when."
    )
