"""The warm worker: a process that imports the heavy libraries once and forks a child per run.

Started by the tool as ``python -m mlings.engine.worker LISTEN_FD``. It has no Python threads and
never runs OpenMP or joblib code itself; it only imports, rehearses one trivial pytest session,
freezes the garbage collector and forks, so a child starts in tens of milliseconds with pandas,
scikit-learn, LightGBM and a warm pytest already loaded.

Protocol, over one ``SOCK_SEQPACKET`` connection per run: the tool sends a request (JSON) with the
write end of its events pipe attached; the worker answers ``{"pid": N}`` once forked and
``{"returncode": R, "timed_out": B}`` when the child has ended. The worker enforces the timeout by
killing the child's whole process group; it exits when its stdin closes (the tool is gone). Each
child dies with the worker (a parent-death signal) and kills itself past its timeout.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import importlib
import json
import os
import select
import signal
import socket
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# Imported before the first run: what most checks need.
PRELOAD = (
    "numpy",
    "pandas",
    "sklearn.base",
    "sklearn.compose",
    "sklearn.ensemble",
    "sklearn.linear_model",
    "sklearn.metrics",
    "sklearn.model_selection",
    "sklearn.pipeline",
    "sklearn.preprocessing",
    "lightgbm",
    "pandera.pandas",
    "pytest",
    "mlings.engine.plugin",
    "mlings.engine.child",
    "mlings.engine.procs",
    "mlings.engine.guard",
)
# Imported one at a time while the worker is idle, so the first run does not wait for them.
# Each makes every fork a little slower (a bigger heap to map), so only what checks use goes
# here. Never polars or mlflow (which imports polars): they start native thread pools at import,
# and a forked child would inherit a pool without its threads.
LATER = (
    "scipy.stats",
    "mlings.dataset.sales",  # the package itself loads its parts lazily
    "mlings.dataset.slices",
    "mlings.dataset.defects",
    "sklearn.calibration",
    "sklearn.feature_selection",
    "sklearn.frozen",
    "sklearn.gaussian_process",
    "sklearn.neighbors",
    "sklearn.tree",
    "threadpoolctl",
    "matplotlib.pyplot",
    "fastapi",
    "fastapi.testclient",
    "httpx",
    "uvicorn",
    "skops.io",  # walks every scikit-learn estimator at import: ~0.7 s a check would pay
    "skl2onnx",  # never onnxruntime: it starts a native thread at import (0.1 s to import)
)
MAX_MESSAGE = 65536


def load(name: str) -> None:
    """Import a module quietly; a missing optional library is skipped."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with contextlib.suppress(Exception):
            importlib.import_module(name)


def build_catalog() -> None:
    """Build the PokéMarket card catalog once (cached), which many checks start from."""
    with contextlib.suppress(Exception):
        from mlings.dataset import make_cards

        make_cards()


def idle_work() -> list[Callable[[], None]]:
    """What the worker does, one step at a time, while nothing is running."""
    return [*(functools.partial(load, name) for name in LATER), build_catalog]


def preload() -> None:
    """Import what the first run needs, pytest's own plugins included."""
    for name in PRELOAD:
        load(name)
    from _pytest.config import default_plugins

    for name in default_plugins:
        load(f"_pytest.{name}")


REHEARSAL_EXERCISE = "def answer():\n    return 42\n"
REHEARSAL_CHECK = '''
def test_passes(exercise):
    """passes"""
    assert exercise.answer() == 42


def test_fails(exercise):
    """fails"""
    assert exercise.answer() == 41, "not 41"
'''


def rehearse_pandas() -> None:
    """Use pandas once on a tiny frame, so its first-call set-up is done before any fork.

    Single-threaded, no OpenMP: pandas on a few rows never starts a thread pool.
    """
    import numpy as np
    import pandas as pd

    frame = pd.DataFrame(
        {
            "rarity": ["Common", "Rare", "Common", "Holo Rare"],
            "sale_date": pd.to_datetime(["2023-01-05", "2023-02-11", "2023-03-02", "2023-04-01"]),
            "price_usd": np.array([0.25, 3.1, 0.4, 12.0]),
        }
    )
    frame.groupby("rarity")["price_usd"].agg(["median", "mean", "count"])
    frame.loc[frame["sale_date"] >= "2023-02-01", "price_usd"].describe()
    merged = frame.merge(frame[["rarity"]].drop_duplicates(), on="rarity", how="left")
    merged.sort_values("sale_date").assign(log=np.log1p(merged["price_usd"])).to_numpy()
    pd.concat([frame, frame], ignore_index=True).sample(frac=1.0, random_state=0)
    frame["rarity"].map({"Common": 1.0}).fillna(0.0).astype("category")


def rehearse() -> None:
    """Run one throwaway pytest session so pytest's lazy imports and caches are warm in forks."""
    rehearse_pandas()
    import pytest

    from mlings.engine import plugin
    from mlings.engine.child import Request, pytest_args

    with tempfile.TemporaryDirectory(prefix="mlings-rehearsal-") as folder:
        exercise, check = Path(folder, "exercise.py"), Path(folder, "test_rehearsal.py")
        exercise.write_text(REHEARSAL_EXERCISE)
        check.write_text(REHEARSAL_CHECK)
        request = Request(str(exercise), str(check), folder, folder, timeout=1, memory_mb=1)
        os.environ[plugin.EXERCISE_ENV] = str(exercise)
        try:
            with contextlib.suppress(Exception):
                pytest.main(pytest_args(request))
        finally:
            del os.environ[plugin.EXERCISE_ENV]
            plugin.reset()
            for name in [n for n in sys.modules if n.endswith("test_rehearsal")]:
                del sys.modules[name]


@dataclass
class Child:
    """A forked run in progress."""

    pid: int
    pidfd: int
    conn: socket.socket
    deadline: float
    timed_out: bool = False


def _send(conn: socket.socket, message: dict[str, object]) -> None:
    with contextlib.suppress(OSError):
        conn.send(json.dumps(message).encode())


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def _fork_child(request_json: str, events_fd: int, keep: list[int]) -> int:
    """Fork a child that runs the checks; returns its pid in the worker."""
    from mlings.engine.child import Request, run_checks

    request = Request.from_json(request_json)
    worker = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: never return into the worker's loop
        code = 70
        try:
            os.setpgid(0, 0)
            for fd in keep:
                with contextlib.suppress(OSError):
                    os.close(fd)
            code = run_checks(request, events_fd, worker)
        finally:
            os._exit(code)
    with contextlib.suppress(OSError):
        os.setpgid(pid, pid)
    return pid


def serve(listener: socket.socket, later: list[Callable[[], None]]) -> None:
    """Accept runs until stdin closes; do the ``later`` steps whenever nothing is running."""
    conns: dict[int, socket.socket] = {}  # connections waiting for their request
    children: dict[int, Child] = {}  # by pidfd
    busy: dict[int, Child] = {}  # by connection fd, to kill a run whose tool went away
    stdin = sys.stdin.fileno()
    while True:
        now = time.monotonic()
        for child in children.values():
            if not child.timed_out and now >= child.deadline:
                child.timed_out = True
                _kill_group(child.pid)
        pending = [c.deadline - now for c in children.values() if not c.timed_out]
        wait = max(0.0, min(pending)) if pending else None
        idle = later and not children and not conns
        watched = [listener.fileno(), stdin, *conns, *children, *busy]
        readable, _, _ = select.select(watched, [], [], 0 if idle else wait)
        if idle and not readable:
            later.pop(0)()
            gc.collect()
            gc.freeze()
            continue
        for fd in readable:
            if fd == stdin:
                if not os.read(stdin, 4096):  # the tool is gone
                    for child in children.values():
                        # SIGTERM: the child kills what its code started, then exits (and
                        # its own timer kills it should its code have taken SIGTERM over)
                        with contextlib.suppress(ProcessLookupError, PermissionError):
                            os.killpg(child.pid, signal.SIGTERM)
                    return
            elif fd == listener.fileno():
                conn, _ = listener.accept()
                conns[conn.fileno()] = conn
            elif fd in conns:
                conn = conns.pop(fd)
                try:
                    data, fds, _, _ = socket.recv_fds(conn, MAX_MESSAGE, 1)
                except OSError:
                    data, fds = b"", []
                if not data or not fds:
                    for extra in fds:
                        os.close(extra)
                    conn.close()
                    continue
                request = json.loads(data)
                keep = [listener.fileno(), conn.fileno(), *conns, *children, *busy]
                pid = _fork_child(data.decode(), fds[0], keep)
                os.close(fds[0])
                child = Child(pid, os.pidfd_open(pid), conn, time.monotonic() + request["timeout"])
                children[child.pidfd] = child
                busy[conn.fileno()] = child
                _send(conn, {"pid": pid})
            elif fd in children:
                child = children.pop(fd)
                busy.pop(child.conn.fileno(), None)
                _, status = os.waitpid(child.pid, 0)
                os.close(child.pidfd)
                _kill_group(child.pid)  # anything the learner's code left running in the group
                _send(
                    child.conn,
                    {
                        "returncode": os.waitstatus_to_exitcode(status),
                        "timed_out": child.timed_out,
                    },
                )
                child.conn.close()
            elif fd in busy:  # the tool hung up mid-run: stop the run
                with contextlib.suppress(OSError):
                    if busy[fd].conn.recv(1):
                        continue
                _kill_group(busy.pop(fd).pid)


def main() -> None:
    """Entry point: preload, freeze the heap so forks share it, then serve."""
    listener = socket.socket(fileno=int(sys.argv[1]))
    os.environ["MPLBACKEND"] = "Agg"  # matplotlib reads it at import: no windows from checks
    preload()
    rehearse()
    gc.collect()
    gc.freeze()
    serve(listener, idle_work())


if __name__ == "__main__":
    main()
