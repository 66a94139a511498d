"""The pytest plugin every check run loads: it imports the learner's file and streams results.

It is loaded with ``-p mlings.engine.plugin`` in the child process (warm or cold). The runner names
the learner's file in ``MLINGS_EXERCISE`` and an open pipe in ``MLINGS_EVENTS_FD``; every event is
one JSON line on that pipe, written the moment it happens, so a run that is killed half-way still
tells which check it was in. Events never carry the check's own source, only the learner's frames.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import linecache
import os
import sys
from pathlib import Path
from types import ModuleType, TracebackType
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


def emit(event: str, **fields: Any) -> None:
    """Write one event line to the runner's pipe (or nowhere when run by hand)."""
    fd = os.environ.get(EVENTS_FD_ENV)
    if not fd:
        return
    data = (json.dumps({"event": event, **fields}) + "\n").encode()
    view = memoryview(data)
    while view:
        written = os.write(int(fd), view)
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
            "message": f"SyntaxError: {exc.msg} ({where})",
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


@pytest.fixture(scope="session")
def exercise() -> ModuleType:
    """The learner's module, imported once in this fresh process."""
    return _state["module"]


@pytest.fixture(scope="session")
def course_root() -> Path:
    """The course folder (holds info.toml and data/)."""
    return Path(os.environ.get("MLINGS_ROOT", ".")).resolve()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "points(n): what a check is worth in a graded project")


def _points(item: pytest.Item) -> float:
    marker = item.get_closest_marker("points")
    return float(marker.args[0]) if marker and marker.args else 0.0


def pytest_sessionstart(session: pytest.Session) -> None:
    try:
        _state["module"] = load_exercise(exercise_path())
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        emit("load_error", **_load_error(exc))
        pytest.exit("the exercise could not be imported", returncode=3)


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
    elif isinstance(excinfo.value, pytest.skip.Exception):
        outcome = "skipped"
        longrepr = (str(item.path), item.location[1], str(excinfo.value.msg))
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


def pytest_runtest_logfinish(nodeid: str, location: tuple[str, int | None, str]) -> None:
    failure = _state.get("failures", {}).get(nodeid)
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
        emit("done", exitstatus=int(exitstatus))
