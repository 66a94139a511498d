"""The pytest plugin every check run loads: it imports the learner's file and streams results.

It is loaded with ``-p mlings.engine.plugin`` in the child process (warm or cold). The runner names
the learner's file in ``MLINGS_EXERCISE``; the child hands the plugin the events pipe and the run's
nonce (``arm``). Every event is one JSON line on that pipe, stamped with the nonce and written the
moment it happens, so a run that is killed half-way still tells which check it was in. Events
never carry the check's own source, only the learner's frames.

The learner's file is imported once the checks are collected (so it can't rewrite them first),
and what the verdict rests on (this plugin's functions, pytest's run loop, each check's code) is
noted before and compared after every check: a change fails every check.
"""

from __future__ import annotations

import enum
import functools
import importlib.util
import inspect
import json
import linecache
import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import FunctionType, ModuleType, TracebackType
from typing import Any

import pytest

EXERCISE_ENV = "MLINGS_EXERCISE"
EVENTS_FD_ENV = "MLINGS_EVENTS_FD"
MODULE_NAME = "mlings_exercise"
MAX_MESSAGE = 4000
CONTEXT_LINES = 2

_state: dict[str, Any] = {"module": None}


def reset() -> None:
    """Forget a finished session (the warm worker rehearses one before it forks)."""
    _state.clear()
    _state["module"] = None
    exercise_path.cache_clear()
    sys.modules.pop(MODULE_NAME, None)


class _Channel:
    """The events pipe and the run's nonce, set by ``arm`` before the learner's code runs.

    Neither is in the environment, on the command line or in a file: a line the learner's code
    writes to the pipe by itself lacks the nonce and is ignored by the runner. (Code in the same
    process can still dig the nonce out of memory; the runner's own checks are the backstop.)
    """

    __slots__ = ("fd", "nonce", "pid")

    def __init__(self) -> None:
        self.fd = -1
        self.nonce = ""
        self.pid = 0


_channel = _Channel()


def arm(fd: int, nonce: str) -> None:
    """Send events to ``fd``, stamped with ``nonce``, from this process only."""
    _channel.fd, _channel.nonce, _channel.pid = fd, nonce, os.getpid()


def is_armed_here() -> bool:
    """Whether this process is the run's child (not a copy the learner's code forked)."""
    return _channel.fd >= 0 and _channel.pid == os.getpid()


def emit(event: str, **fields: Any) -> None:
    """Write one event line to the runner's pipe (nowhere when run by hand or from a fork)."""
    if not is_armed_here():
        return
    data = (json.dumps({**fields, "event": event, "nonce": _channel.nonce}) + "\n").encode()
    view = memoryview(data)
    while view:
        written = os.write(_channel.fd, view)
        view = view[written:]


@functools.cache
def exercise_path() -> Path:
    """The learner's file this run judges."""
    raw = os.environ.get(EXERCISE_ENV)
    if not raw:
        raise pytest.UsageError(f"{EXERCISE_ENV} is not set: the runner names the exercise file")
    return Path(raw).resolve()


def _frame(path: Path, lineno: int | None, function: str = "<module>") -> dict[str, Any] | None:
    if not lineno:
        return None
    linecache.checkcache(str(path))
    lines = linecache.getlines(str(path))
    first = max(1, lineno - CONTEXT_LINES)
    last = min(len(lines), lineno + CONTEXT_LINES)
    source = [[n, lines[n - 1].rstrip("\n")] for n in range(first, last + 1)]
    return {"path": str(path), "line": lineno, "function": function, "source": source}


def learner_frame(tb: TracebackType | None) -> dict[str, Any] | None:
    """The innermost traceback frame that lies in the learner's file, with its source."""
    path = exercise_path()
    wanted = str(path)
    found: tuple[int, str] | None = None
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename == wanted or (
            code.co_filename.endswith(path.name) and Path(code.co_filename).resolve() == path
        ):
            found = (tb.tb_lineno, code.co_name)
        tb = tb.tb_next
    return _frame(path, *found) if found else None


def describe(exc: BaseException) -> str:
    """A learner-facing sentence for an exception: the check's message or 'Type: detail'."""
    if isinstance(exc, AssertionError):
        text = str(exc) or "This check failed."
    elif isinstance(exc, SystemExit):
        text = f"Your code called sys.exit({exc.code!r}); return a value instead of exiting."
    elif isinstance(exc, NotImplementedError):
        detail = str(exc) or "this part is not written yet"
        text = f"NotImplementedError: {detail}"
    else:
        text = f"{type(exc).__name__}: {exc}"
    if len(text) > MAX_MESSAGE:
        text = text[:MAX_MESSAGE] + " …"
    return text


def load_exercise(path: Path) -> ModuleType:
    """Import the learner's file as a fresh module; its folder's files import each other."""
    sys.path.insert(0, str(path.parent))  # a project's files: `from features import ...`
    spec = importlib.util.spec_from_file_location(MODULE_NAME, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[MODULE_NAME] = module
    spec.loader.exec_module(module)
    return module


def _load_error(exc: BaseException) -> dict[str, Any]:
    path = exercise_path()
    if isinstance(exc, SyntaxError) and Path(exc.filename or "").resolve() == path:
        where = f"line {exc.lineno}"
        return {
            "kind": "syntax",
            "message": f"{type(exc).__name__}: {exc.msg} ({where})",
            "frame": _frame(path, exc.lineno),
        }
    if isinstance(exc, ModuleNotFoundError):
        kind, message = (
            "import",
            (
                f"ModuleNotFoundError: {exc} — your file imports a package that is not installed"
                " (check the spelling; the course's packages are installed with mlings)."
            ),
        )
    elif isinstance(exc, MemoryError):
        kind, message = "memory", "Importing your file ran out of memory."
    elif isinstance(exc, SystemExit):
        kind, message = (
            "exit",
            (
                f"Your file called sys.exit({exc.code!r}) while being imported. The checks "
                "import your file, so code at the top level must not exit."
            ),
        )
    elif isinstance(exc, FileNotFoundError) and not path.exists():
        kind, message = "missing", f"The exercise file {path.name} does not exist."
    else:
        kind, message = "exception", (f"Importing your file raised {describe(exc)}")
    return {"kind": kind, "message": message, "frame": learner_frame(exc.__traceback__)}


_COMPARISONS = ("__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__bool__", "__hash__")
_PLAIN = {float: float.__float__, int: int.__int__, str: str.__str__, complex: complex.__complex__}


def _learners(kind: type) -> bool:
    """Whether a class comes from the learner's files (not numpy's, not the standard library's)."""
    module = sys.modules.get(kind.__module__)
    where = getattr(module, "__file__", None) or ""
    return kind.__module__ == MODULE_NAME or (
        bool(where) and Path(where).resolve().is_relative_to(exercise_path().parent)
    )


def plain(value: Any) -> Any:
    """``value`` as its built-in type if it is a learner's subclass that redefines comparisons.

    A ``float`` whose ``__eq__`` always says True would pass any ``==`` check; the checks compare
    the plain number instead. Enums, named tuples and library types (numpy's) are left alone.
    """
    kind = type(value)
    if kind in _PLAIN or kind is bool or value is None:
        return value
    for base, raw in _PLAIN.items():
        if (
            isinstance(value, base)
            and any(getattr(kind, n, None) is not getattr(base, n, None) for n in _COMPARISONS)
            and not isinstance(value, enum.Enum)
            and _learners(kind)
        ):
            return raw(value)
    return value


class CheckedModule(ModuleType):
    """The learner's module as the checks see it: its functions return plain values.

    Everything else goes straight to the real module (``monkeypatch.setattr`` included).
    """

    def __init__(self, real: ModuleType) -> None:
        super().__init__(real.__name__)
        object.__setattr__(self, "_mlings_real", real)
        object.__setattr__(self, "_mlings_wrapped", {})

    def __getattribute__(self, name: str) -> Any:
        real = object.__getattribute__(self, "_mlings_real")
        value = getattr(real, name)
        if isinstance(value, FunctionType) and value.__module__ == MODULE_NAME:
            wrapped = object.__getattribute__(self, "_mlings_wrapped")
            if value not in wrapped:
                wrapped[value] = _returning_plain(value)
            return wrapped[value]
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(object.__getattribute__(self, "_mlings_real"), name, value)

    def __delattr__(self, name: str) -> None:
        delattr(object.__getattribute__(self, "_mlings_real"), name)

    def __dir__(self) -> list[str]:
        return dir(object.__getattribute__(self, "_mlings_real"))


def _returning_plain(function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        return plain(function(*args, **kwargs))

    return call


@pytest.fixture(scope="session")
def exercise() -> ModuleType:
    """The learner's module, imported once in this fresh process (its functions return plain
    values: see ``plain``)."""
    return CheckedModule(_state["module"])


@pytest.fixture(scope="session")
def course_root() -> Path:
    """The course folder (holds info.toml and data/)."""
    return Path(os.environ.get("MLINGS_ROOT", ".")).resolve()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "points(n): what a check is worth in a graded project")


def _points(item: pytest.Item) -> float:
    marker = item.get_closest_marker("points")
    return float(marker.args[0]) if marker and marker.args else 0.0


def _protected() -> dict[tuple[int, str], object]:
    """What the verdict depends on, by identity: the plugin, pytest's run loop, each check."""
    from _pytest import python, runner

    owners: list[tuple[object, tuple[str, ...]]] = [
        (sys.modules[__name__], tuple(n for n, v in globals().items() if callable(v))),
        (pytest.Function, ("runtest", "setup", "_getobj")),
        (pytest.TestReport, ("__init__", "from_item_and_call")),
        (pytest.CallInfo, ("from_call",)),
        (runner, ("call_and_report", "call_runtest_hook", "runtestprotocol")),
        (python, ("pytest_pyfunc_call",)),
        (os, ("write",)),
        (json, ("dumps",)),
    ]
    return {(id(o), name): _static(o, name) for o, names in owners for name in names}


def _static(owner: object, name: str) -> object:
    """An attribute as stored (a classmethod itself, not a new bound method each time)."""
    return inspect.getattr_static(owner, name, None)


def _check_code(items: list[pytest.Item]) -> dict[str, object]:
    return {item.nodeid: getattr(getattr(item, "obj", None), "__code__", None) for item in items}


def _tampered() -> bool:
    """Whether the learner's code replaced something the verdict rests on."""
    from _pytest import python, runner

    owners = {
        id(o): o
        for o in (
            sys.modules[__name__],
            pytest.Function,
            pytest.TestReport,
            pytest.CallInfo,
            runner,
            python,
            os,
            json,
        )
    }
    if "guarded" not in _state:  # no check was collected: nothing to compare yet
        return False
    guarded = _state["guarded"]
    if any(_static(owners[oid], name) is not value for (oid, name), value in guarded.items()):
        return True
    items = _state.get("items", [])
    return _check_code(items) != _state.get("codes")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    """Import the learner's file once the checks are collected, so it can't change them first."""
    _state["guarded"] = _protected()
    _state["items"] = list(items)
    _state["codes"] = _check_code(items)
    try:
        _state["module"] = load_exercise(exercise_path())
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        emit("load_error", **_load_error(exc))
        items.clear()


def pytest_collectreport(report: pytest.CollectReport) -> None:
    if report.failed:
        emit("collect_error", message=str(report.longrepr)[-MAX_MESSAGE:])


def _title(item: pytest.Item) -> str:
    doc = getattr(item, "obj", None).__doc__ if hasattr(item, "obj") else None
    first = (doc or "").strip().splitlines()
    return first[0].strip() if first else item.name.removeprefix("test_").replace("_", " ")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    _state.setdefault("titles", {})[item.nodeid] = title = _title(item)
    _state.setdefault("points", {})[item.nodeid] = _points(item)
    emit("start", id=item.nodeid, title=title)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> pytest.TestReport:
    """A report without pytest's traceback formatting: we never show it, and it is slow."""
    excinfo = call.excinfo
    longrepr: Any = None
    if excinfo is None:
        outcome = "passed"
    elif isinstance(excinfo.value, pytest.skip.Exception):  # a skip never counts as a pass
        outcome = "skipped"
        longrepr = (str(item.path), item.location[1], str(excinfo.value.msg))
        _state.setdefault("failures", {}).setdefault(item.nodeid, _skipped(excinfo.value))
    else:
        outcome = "failed"
        exc = excinfo.value
        longrepr = describe(exc)
        _state.setdefault("failures", {}).setdefault(
            item.nodeid,
            {
                "message": longrepr,
                "frame": learner_frame(excinfo.tb),
                "exc_type": "MemoryError" if isinstance(exc, MemoryError) else type(exc).__name__,
            },
        )
    emit("phase", id=item.nodeid, when=call.when, outcome=outcome)
    return pytest.TestReport(
        item.nodeid,
        item.location,
        dict.fromkeys(item.keywords, 1),
        outcome,
        longrepr,
        call.when,
        duration=call.duration,
        start=call.start,
        stop=call.stop,
    )


def _skipped(exc: BaseException) -> dict[str, Any]:
    detail = str(getattr(exc, "msg", "") or exc)
    return {
        "message": f"This check was skipped ({detail}). A check passes only by running; "
        "don't skip it.",
        "frame": None,
        "exc_type": "Skipped",
    }


TAMPERED = (
    "Your code changed how the checks run (mlings' plugin, pytest's test runner or the checks "
    "themselves), so this check can't count. Solve the exercise instead."
)


def pytest_runtest_logfinish(nodeid: str, location: tuple[str, int | None, str]) -> None:
    failure = _state.get("failures", {}).get(nodeid)
    if _tampered():
        failure = {"message": TAMPERED, "frame": None, "exc_type": "Tampered"}
        _state["tampered"] = True
    fields = failure or {"message": "", "frame": None, "exc_type": None}
    emit(
        "result",
        id=nodeid,
        title=_state["titles"].get(nodeid, nodeid),
        outcome="failed" if failure else "passed",
        points=_state.get("points", {}).get(nodeid, 0.0),
        **fields,
    )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _state["module"] is not None:
        tampered = bool(_state.get("tampered")) or _tampered()
        emit("done", exitstatus=int(exitstatus), tampered=tampered)
