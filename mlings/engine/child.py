"""Inside a run's child process: limits, a clean environment, then pytest with our plugin.

The same ``run_checks`` runs in a child forked by the warm worker and in a cold
``python -m mlings.engine.child`` process, so both paths give identical results.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import signal
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from mlings.engine import plugin

OUTPUT_FILE = "output.txt"
SCRATCH_DIR = "scratch"
BASETEMP_DIR = "tmp"  # pytest's tmp_path folders, inside the run folder so their plots can be kept
MAX_OUTPUT_FILE = 256 * 2**20  # bytes a run may write to any one file, prints included
DISABLED_PLUGINS = (
    "cacheprovider",
    "terminal",
    "faulthandler",
    "doctest",
    "pastebin",
    "junitxml",
    "stepwise",
    "unittest",
)


@dataclass(frozen=True)
class Request:
    """Everything a child needs to judge one exercise."""

    exercise: str  # the learner's file
    check: str  # the hidden check file
    root: str  # the course root
    run_dir: str  # a fresh folder for this run: output file, scratch working directory, tmp_path
    timeout: float
    memory_mb: int
    strict: bool = False  # warnings are errors (authors proving their own code warning-free)
    env: dict[str, str] = field(default_factory=dict)  # extra variables (a grade's seed, ...)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Request:
        return cls(**json.loads(text))


def pytest_args(request: Request) -> list[str]:
    """The command line pytest runs with, the same on both paths."""
    args = [
        "-c",
        str(Path(__file__).with_name("pytest.ini")),
        "--rootdir",
        str(Path(request.check).parent),
        "--confcutdir",  # collect from the check's own folder, not from a crowded one above it
        str(Path(request.check).parent),
        "-p",
        "mlings.engine.plugin",
        "--assert=plain",
        "--import-mode=importlib",
        "--basetemp",
        str(Path(request.run_dir) / BASETEMP_DIR),
        "-s",
    ]
    for name in DISABLED_PLUGINS:
        args += ["-p", f"no:{name}"]
    if request.strict:
        args += ["-W", "error"]
    return [*args, request.check]


def child_environment(request: Request, events_fd: int) -> dict[str, str]:
    """Environment variables a child runs with."""
    return {
        **request.env,
        plugin.EXERCISE_ENV: request.exercise,
        plugin.EVENTS_FD_ENV: str(events_fd),
        "MLINGS_ROOT": request.root,
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "MPLBACKEND": "Agg",
    }


def _limit(kind: int, value: int) -> None:
    _, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    with contextlib.suppress(ValueError, OSError):  # some systems refuse some limits
        resource.setrlimit(kind, (value, hard))


def confine(request: Request) -> None:
    """Cap memory, file size and core dumps; send prints to the output file; work in scratch."""
    _limit(resource.RLIMIT_DATA, request.memory_mb * 2**20)
    _limit(resource.RLIMIT_CORE, 0)
    _limit(resource.RLIMIT_FSIZE, MAX_OUTPUT_FILE)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an oversized write fails, it doesn't kill
    run_dir = Path(request.run_dir)
    scratch = run_dir / SCRATCH_DIR
    scratch.mkdir(exist_ok=True)
    out = os.open(run_dir / OUTPUT_FILE, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(out, 1)
    os.dup2(out, 2)
    os.close(out)
    os.close(devnull)
    os.chdir(scratch)


def run_checks(request: Request, events_fd: int) -> int:
    """Run the check file against the learner's exercise; returns pytest's exit code."""
    import pytest

    os.environ.update(child_environment(request, events_fd))
    confine(request)
    sys.dont_write_bytecode = True
    try:
        return int(pytest.main(pytest_args(request)))
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()


def main() -> None:
    """Cold path: ``python -m mlings.engine.child REQUEST_JSON`` with the events fd in the env."""
    request = Request.from_json(sys.argv[1])
    events_fd = int(os.environ[plugin.EVENTS_FD_ENV])
    code = 70
    try:
        code = run_checks(request, events_fd)
    finally:
        os._exit(code)


if __name__ == "__main__":
    main()
