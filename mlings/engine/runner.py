"""Running an exercise's checks from the tool: warm (fork from the worker) or cold (a fresh python).

Learner code never runs in the tool's process. Both engines hand the same ``Request`` to the same
child code and read the same event stream, so they give identical results; they differ only in how
the child process starts. ``open_engine`` picks the warm one where ``fork`` is available.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from mlings.engine.child import OUTPUT_FILE, Request
from mlings.engine.plots import keep_plots
from mlings.engine.results import CheckResult, Collector, Output, RunResult, Status, verdict

DEFAULT_MEMORY_MB = 2048
OUTPUT_CAP = 8 * 1024  # bytes of the learner's prints kept for the screen
GRACE = 5.0  # seconds the tool waits beyond a run's timeout before giving up on the worker
CANCEL_POLL = 0.02  # seconds between looks at a run's cancel flag

OnCheck = Callable[[CheckResult], None]


@dataclass(frozen=True)
class Job:
    """One exercise to judge."""

    name: str
    exercise: Path
    check: Path
    root: Path
    timeout: float = 15.0
    memory_mb: int = DEFAULT_MEMORY_MB
    strict: bool = False  # warnings count as errors
    env: dict[str, str] = field(default_factory=dict)  # extra environment for the child
    plots: Path | None = None  # emptied, then given the images the run drew; None keeps none


class Engine(Protocol):
    """Something that runs a job in an isolated process."""

    def run(
        self, job: Job, on_check: OnCheck | None = None, cancel: threading.Event | None = None
    ) -> RunResult: ...

    def close(self) -> None: ...


@dataclass
class _Ended:
    returncode: int | None
    timed_out: bool


class _Child(Protocol):
    """A started run, as the supervising loop sees it."""

    ended_fd: int  # readable once the run has ended (or the worker has news)
    slack: float  # seconds past the timeout before the tool itself stops the run

    def ended(self) -> _Ended | None:
        """Read the news on ``ended_fd``: the end of the run, or None if it goes on."""
        ...

    def stop(self) -> _Ended:
        """The run is out of time: kill it and report it timed out."""
        ...

    def cancel(self) -> None:
        """The run is no longer wanted: end it quietly."""
        ...


class Cancelled(Exception):
    """The run was cancelled before it reached a verdict."""


def _read_events(
    fd: int, buffer: bytearray, collector: Collector, on_check: OnCheck | None
) -> bool:
    """Read what the pipe holds into the collector; False once the pipe is closed."""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except BlockingIOError:
            return True
        if not chunk:
            return False
        buffer.extend(chunk)
        while (end := buffer.find(b"\n")) >= 0:
            line = bytes(buffer[:end])
            del buffer[: end + 1]
            try:
                event = json.loads(line)
            except ValueError:
                continue
            result = collector.add(event)
            if result is not None and on_check is not None:
                on_check(result)


def _read_output(run_dir: Path) -> Output:
    path = run_dir / OUTPUT_FILE
    try:
        total = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(OUTPUT_CAP)
    except OSError:
        return Output()
    text = head.decode("utf-8", errors="replace")
    if total > OUTPUT_CAP:  # don't end on half a character
        text = text.rstrip("\ufffd")
    return Output(text=text, total_bytes=total)


class _BaseEngine:
    """What both engines share: the run folder, the event loop and the verdict."""

    def close(self) -> None:
        """Release the engine's resources."""

    def _start(self, request: Request, events_w: int) -> _Child:
        """Start the child process that runs ``request``, events going to ``events_w``."""
        raise NotImplementedError

    def run(
        self, job: Job, on_check: OnCheck | None = None, cancel: threading.Event | None = None
    ) -> RunResult:
        """Run a job's checks in a fresh child process and return the verdict.

        Setting ``cancel`` ends the run early and raises ``Cancelled``. Images the run left in its
        folder (its working directory, the checks' ``tmp_path``) are copied to ``job.plots``.
        """
        started = time.monotonic()
        original = _read_bytes(job.exercise)
        run_dir = Path(tempfile.mkdtemp(prefix="mlings-run-"))
        try:
            request = Request(
                exercise=str(job.exercise.resolve()),
                check=str(job.check.resolve()),
                root=str(job.root.resolve()),
                run_dir=str(run_dir),
                timeout=job.timeout,
                memory_mb=job.memory_mb,
                strict=job.strict,
                env=dict(job.env),
            )
            collector, ended = self._supervise(request, job, on_check, cancel)
            status, message, frame = verdict(
                collector,
                ended.returncode,
                timed_out=ended.timed_out,
                timeout=job.timeout,
                memory_mb=job.memory_mb,
            )
            output = _read_output(run_dir)
            plots = keep_plots(run_dir, job.plots) if job.plots is not None else ()
        finally:
            shutil.rmtree(run_dir, ignore_errors=True)
        if original is not None and not job.exercise.exists():
            job.exercise.write_bytes(original)
            status = Status.ERROR
            message = (
                f"Your code deleted its own exercise file, {job.exercise.name}. mlings put it back "
                "as it was before the run; don't delete files your code did not create."
            )
            frame = None
        return RunResult(
            exercise=job.name,
            status=status,
            checks=tuple(collector.checks),
            message=message,
            frame=frame,
            output=output,
            duration=time.monotonic() - started,
            running=collector.running[1] if collector.running else None,
            plots=plots,
        )

    def _supervise(
        self, request: Request, job: Job, on_check: OnCheck | None, cancel: threading.Event | None
    ) -> tuple[Collector, _Ended]:
        collector = Collector()
        events_r, events_w = os.pipe()
        try:
            child = self._start(request, events_w)
        finally:
            os.close(events_w)
        os.set_blocking(events_r, False)
        buffer = bytearray()
        deadline = time.monotonic() + job.timeout + child.slack
        pipe_open = True
        ended: _Ended | None = None
        try:
            while ended is None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    ended = child.stop()
                    break
                if cancel is not None:
                    if cancel.is_set():
                        child.cancel()
                        raise Cancelled
                    remaining = min(remaining, CANCEL_POLL)
                watched = [child.ended_fd, events_r] if pipe_open else [child.ended_fd]
                readable, _, _ = select.select(watched, [], [], remaining)
                if events_r in readable:
                    pipe_open = _read_events(events_r, buffer, collector, on_check)
                if child.ended_fd in readable:
                    ended = child.ended()
            _read_events(events_r, buffer, collector, on_check)  # what came before the end
        finally:
            os.close(events_r)
        return collector, ended


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def _read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _ended_fd(proc: subprocess.Popen[bytes]) -> int:
    """A file descriptor that becomes readable when ``proc`` ends.

    A pidfd on Linux; elsewhere (macOS) a pipe whose writer closes once a thread saw the exit.
    """
    if hasattr(os, "pidfd_open"):
        return os.pidfd_open(proc.pid)
    readable, writable = os.pipe()

    def wait() -> None:
        proc.wait()
        os.close(writable)

    threading.Thread(target=wait, name="mlings-cold-wait", daemon=True).start()
    return readable


class _ColdChild:
    """A run in a ``python -m mlings.engine.child`` process of our own."""

    slack = 0.0

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        self.proc = proc
        self.ended_fd = _ended_fd(proc)

    def _finish(self, timed_out: bool) -> _Ended:
        returncode = self.proc.wait()
        _kill_group(self.proc.pid)  # anything the learner's code left running in the group
        os.close(self.ended_fd)
        return _Ended(returncode, timed_out)

    def ended(self) -> _Ended:
        return self._finish(timed_out=False)

    def stop(self) -> _Ended:
        _kill_group(self.proc.pid)
        return self._finish(timed_out=True)

    def cancel(self) -> None:
        self.stop()


class ColdEngine(_BaseEngine):
    """Each run is a fresh ``python -m mlings.engine.child`` process (slower, works anywhere)."""

    def _start(self, request: Request, events_w: int) -> _ColdChild:
        env = {**os.environ, "MLINGS_EVENTS_FD": str(events_w)}
        proc = subprocess.Popen(
            [sys.executable, "-m", "mlings.engine.child", request.to_json()],
            pass_fds=(events_w,),
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            cwd=request.run_dir,
        )
        return _ColdChild(proc)


class _WarmChild:
    """A run forked by the worker; the worker enforces its timeout and reports its end."""

    slack = GRACE

    def __init__(self, conn: socket.socket, on_worker_lost: Callable[[], None]) -> None:
        self.conn = conn
        self.ended_fd = conn.fileno()
        self._on_worker_lost = on_worker_lost

    def ended(self) -> _Ended | None:
        try:
            data = self.conn.recv(65536)
        except OSError:
            data = b""
        if not data:  # the worker died: a new one starts with the next run
            self.conn.close()
            self._on_worker_lost()
            return _Ended(None, False)
        message = json.loads(data)
        if "pid" in message:
            return None
        self.conn.close()
        return _Ended(message["returncode"], message["timed_out"])

    def stop(self) -> _Ended:
        self.conn.close()  # the worker kills a run whose connection closes
        self._on_worker_lost()
        return _Ended(None, True)

    def cancel(self) -> None:
        self.conn.close()  # the worker kills a run whose connection closes


class WarmEngine(_BaseEngine):
    """Runs are forked from a worker that has already imported the heavy libraries."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._worker: subprocess.Popen[bytes] | None = None
        self._folder: str | None = None
        self._address = ""

    def start(self) -> None:
        """Start the worker now (it also starts on the first run)."""
        with self._lock:
            if self._worker is not None and self._worker.poll() is None:
                return
            self._stop_worker()
            self._folder = tempfile.mkdtemp(prefix="mlings-worker-")
            self._address = os.path.join(self._folder, "socket")
            listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            listener.bind(self._address)
            listener.listen(64)
            self._worker = subprocess.Popen(
                [sys.executable, "-m", "mlings.engine.worker", str(listener.fileno())],
                pass_fds=(listener.fileno(),),
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            listener.close()

    def _start(self, request: Request, events_w: int) -> _WarmChild:
        self.start()
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        conn.connect(self._address)
        socket.send_fds(conn, [request.to_json().encode()], [events_w])
        return _WarmChild(conn, self.close)

    def _stop_worker(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            with contextlib.suppress(OSError):
                if worker.stdin:
                    worker.stdin.close()
            try:
                worker.wait(timeout=2)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()
        if self._folder:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    def close(self) -> None:
        with self._lock:
            self._stop_worker()


def fork_available() -> bool:
    """Whether the warm engine can work here (Linux: fork and pidfd)."""
    return hasattr(os, "fork") and hasattr(os, "pidfd_open") and hasattr(socket, "send_fds")


def open_engine(kind: str = "auto") -> Engine:
    """``warm``, ``cold`` or ``auto`` (warm where fork works; ``MLINGS_ENGINE`` overrides)."""
    kind = os.environ.get("MLINGS_ENGINE", kind)
    if kind == "warm" or (kind == "auto" and fork_available()):
        return WarmEngine()
    return ColdEngine()


def run_many(
    engine: Engine,
    jobs: Iterable[Job],
    parallel: int,
    on_result: Callable[[RunResult], None] | None = None,
) -> Iterator[RunResult]:
    """Run jobs, ``parallel`` at a time; yields results in the jobs' order."""
    with ThreadPoolExecutor(max_workers=max(1, parallel)) as pool:
        futures = [pool.submit(engine.run, job) for job in jobs]
        if on_result is not None:
            for future in futures:
                future.add_done_callback(lambda f: on_result(f.result()))
        for future in futures:
            yield future.result()
