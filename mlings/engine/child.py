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
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from mlings.engine import guard, plugin, procs

OUTPUT_FILE = "output.txt"
SCRATCH_DIR = "scratch"
BASETEMP_DIR = "tmp"  # pytest's tmp_path folders, inside the run folder so their plots can be kept
# Taken when this module is imported, before any learner code: replacing plugin.emit or
# plugin._tampered later does not change what the child says last.
_EMIT = plugin.emit
_TAMPERED = plugin._tampered
SELF_STOP = 0.5  # seconds past its timeout a child kills itself when nobody else has
PARENT_ENV = "MLINGS_PARENT"  # the cold child's expected parent (the tool)
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
    nonce: str = ""  # stamps every event: lines the learner's code writes to the pipe lack it
    marker: str = ""  # MLINGS_RUN of every process the run starts (see procs)
    cgroup: str = ""  # the run's own cgroup v2 group (memory for all its processes), if any
    protect: tuple[str, ...] = ()  # folders no run may write to (the checks, mlings itself)
    hide: tuple[str, ...] = ()  # folders no run may open at all (the reference solutions)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Request:
        data = json.loads(text)
        for name in ("protect", "hide"):
            data[name] = tuple(data.get(name, ()))
        return cls(**data)


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


def child_environment(request: Request) -> dict[str, str]:
    """Environment variables a child runs with (never the events pipe's number nor the nonce)."""
    return {
        **request.env,
        plugin.EXERCISE_ENV: request.exercise,
        procs.MARKER_ENV: request.marker,
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
    """Cap memory, file size and core dumps; send prints to the output file; work in scratch.

    The memory cap is per process (``RLIMIT_DATA``); where the run has a cgroup of its own
    (``request.cgroup``) that group caps all its processes together as well.
    """
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


def _safe(test: Callable[[], bool]) -> bool:
    """``test()``, or True if it can't even be asked (the learner's code broke it)."""
    try:
        return bool(test())
    except Exception:
        return True


def _parent_gone(signum: int, frame: object) -> None:
    """The supervisor ended: take everything this run started down with us."""
    procs.kill_descendants()
    os._exit(128 + signum)


def leash(request: Request, parent: int) -> None:
    """Make sure this run ends, whatever its code does and whatever happens to the supervisor.

    - the kernel sends SIGTERM when the parent (the tool, or the warm worker) ends; the handler
      kills what the run started, then exits;
    - a real-time timer kills the process (SIGALRM, default action: no Python code involved) half
      a second past its timeout, should the supervisor not do it;
    - it is a subreaper: whatever its code starts, even in a new session, stays below it and is
      killed when it ends (``kill_descendants``); the supervisor sweeps by marker otherwise.
    """
    signal.signal(signal.SIGTERM, _parent_gone)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    procs.die_with_parent(signal.SIGTERM, parent)
    procs.become_subreaper()
    procs.join_group(request.cgroup)
    signal.setitimer(signal.ITIMER_REAL, request.timeout + SELF_STOP)


def run_checks(request: Request, events_fd: int, parent: int) -> int:
    """Run the check file against the learner's exercise; returns pytest's exit code.

    ``parent`` is the process supervising this one: the run ends when it does.
    """
    import pytest

    leash(request, parent)
    os.set_inheritable(events_fd, False)  # the learner's subprocesses never get the pipe
    os.environ.pop(plugin.EVENTS_FD_ENV, None)
    os.environ.update(child_environment(request))
    plugin.arm(events_fd, request.nonce)
    confine(request)
    guard.install(request)
    sys.dont_write_bytecode = True
    code = 70
    try:
        code = int(pytest.main(pytest_args(request)))
        return code
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        if plugin.is_armed_here():  # not in a copy the learner's code forked
            procs.kill_descendants()
            _EMIT("clean", exitcode=code, tampered=_safe(_TAMPERED))


def main() -> None:
    """Cold path: ``python -m mlings.engine.child`` reads its request on stdin.

    Not on the command line: ``/proc/<pid>/cmdline`` is readable by the learner's code, and the
    request holds the run's nonce. The events pipe's number is in the environment, removed
    before the learner's code runs.
    """
    request = Request.from_json(sys.stdin.readline())
    events_fd = int(os.environ[plugin.EVENTS_FD_ENV])
    code = 70
    try:
        code = run_checks(request, events_fd, int(os.environ.get(PARENT_ENV, os.getppid())))
    finally:
        os._exit(code)


if __name__ == "__main__":
    main()
