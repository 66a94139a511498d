"""Shared fixtures: temporary copies of courses, engines and a way to run the real CLI."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from mlings.engine.runner import ColdEngine, Engine, Job, WarmEngine

PROJECT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
COURSE_PARTS = ("info.toml", "exercises", "solutions", "mlings/checks", "mlings/lessons", "data")
IGNORE = shutil.ignore_patterns("__pycache__", ".mlings", "*.pyc")


def pytest_configure(config: pytest.Config) -> None:
    """Ctrl-C heard as a terminal delivers it, however the suite was started.

    A non-interactive shell starts background jobs with SIGINT ignored, and every process they
    start (each ``mlings`` a test runs) inherits that: the Ctrl-C tests would wait out the runs'
    timeouts. A learner's terminal never ignores it, so neither does the suite.
    """
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The random order's seed, even under ``-q``: a failure found in one order can be repeated."""
    seed = getattr(terminalreporter.config.option, "randomly_seed", None)
    if isinstance(seed, int):
        terminalreporter.write_line(f"random order: repeat it with --randomly-seed={seed}")


def copy_course(source: Path, target: Path, parts: tuple[str, ...] | None = None) -> Path:
    """A throwaway copy of a course folder (only the parts a course needs)."""
    for part in parts or (p.name for p in source.iterdir()):
        origin = source / part
        if origin.is_dir():
            shutil.copytree(origin, target / part, ignore=IGNORE)
        elif origin.exists():
            (target / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, target / part)
    return target


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A copy of the real course."""
    return copy_course(PROJECT, tmp_path / "course", COURSE_PARTS)


@pytest.fixture
def tiny_course(tmp_path: Path) -> Path:
    """A copy of the two-module test course."""
    return copy_course(FIXTURES / "course", tmp_path / "tiny")


@pytest.fixture(scope="session")
def warm_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WarmEngine]:
    """A warm engine whose worker has done its imports: one run has been through it, so no
    test's time limit pays for the worker's start on a loaded machine."""
    engine = WarmEngine()
    engine.start()
    folder = tmp_path_factory.mktemp("warm-up")
    shutil.copy(FIXTURES / "hostile" / "good.py", folder / "good.py")
    check = FIXTURES / "hostile" / "check_answer.py"
    engine.run(Job("warm-up", folder / "good.py", check, folder, timeout=120))
    yield engine
    engine.close()


@pytest.fixture(scope="session")
def cold_engine() -> Iterator[ColdEngine]:
    yield ColdEngine()


@pytest.fixture(params=["warm", "cold"])
def engine(request: pytest.FixtureRequest) -> Engine:
    """Each engine in turn: tests using this must hold for both."""
    return request.getfixturevalue(f"{request.param}_engine")


def mlings(root: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the real ``mlings`` command in a course folder, as a learner would."""
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
    env.pop("MLINGS_ROOT", None)
    return subprocess.run(
        [sys.executable, "-m", "mlings", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
