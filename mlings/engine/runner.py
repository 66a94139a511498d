"""Running an exercise's checks from the tool: warm (fork from the worker) or cold (a fresh python).

Learner code never runs in the tool's process. Both engines hand the same ``Request`` to the same
child code and read the same event stream, so they give identical results; they differ only in how
the child process starts. ``open_engine`` picks the warm one where ``fork`` is available.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import itertools
import json
import os
import secrets
import select
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from mlings.engine import procs
from mlings.engine.child import OUTPUT_FILE, PARENT_ENV, Request
from mlings.engine.plots import keep_plots
from mlings.engine.results import (
    CheckResult,
    Collector,
    Output,
    RunResult,
    Status,
    clean_text,
    verdict,
)

DEFAULT_MEMORY_MB = 2048
OUTPUT_CAP = 8 * 1024  # bytes of the learner's prints kept for the screen
GRACE = 5.0  # seconds the tool waits beyond a run's timeout before giving up on the worker
WORKER_START = 120.0  # seconds a worker may spend on its imports (slow disk, loaded machine)
CANCEL_POLL = 0.02  # seconds between looks at a run's cancel flag
INTERRUPT_POLL = 0.1  # seconds between looks for Ctrl-C while waiting for many runs

PACKAGE = Path(__file__).resolve().parents[1]  # mlings itself: no run may write to it
ENGINE_LOST = (
    "mlings lost its worker process during this run, twice. This is a problem in mlings, not in "
    "your code; run the exercise again, and report it if it keeps happening."
)
CHECKS_CHANGED = (
    "Your code changed the checks file ({name}) while it ran. mlings put it back as it was; the "
    "checks can't be edited from an exercise. Solve the exercise instead."
)

OnCheck = Callable[[CheckResult], None]
_run_ids = itertools.count(1)
_stale_cleaned = threading.Event()


def clean_stale_once() -> None:
    """Clean what a killed session left (its runs' processes, its folders), once per process."""
    if not _stale_cleaned.is_set():
        _stale_cleaned.set()
        procs.clean_stale()


# Runs judge in threads (verify --jobs, check all), and CPython 3.11's AST builder is not safe in
# two threads at once: it can fail with "AST constructor recursion depth mismatch" (gh-106905).
_PARSING = threading.Lock()


def parse_python(source: str | bytes, filename: str = "<unknown>") -> ast.Module:
    """``ast.parse``, one thread at a time."""
    with _PARSING:
        return ast.parse(source, filename=filename)


@functools.lru_cache(maxsize=256)
def expected_checks(source: bytes) -> tuple[str, ...]:
    """The checks a check file must report: its top-level ``test_*`` functions, in order.

    Read from the file's text in the tool, not from anything the run says about itself.
    """
    try:
        tree = parse_python(source)
    except SyntaxError:
        return ()
    return tuple(
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test")
    )


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
    lost: bool = False  # the warm worker died: the run's end says nothing about its code


class _Child(Protocol):
    """A started run, as the supervising loop sees it."""

    ended_fd: int  # readable once the run has ended (or the worker has news)
    started: float  # when the run's time started (time.monotonic())
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
    fd: int, buffer: bytearray, collector: Collector, on_check: OnCheck | None, nonce: str
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
            if not isinstance(event, dict) or event.get("nonce") != nonce:
                continue  # not written by the run's plugin: the learner's code, or a fork of it
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
    return Output(text=clean_text(text), total_bytes=total, shown_bytes=len(head))


def _packaged_solutions() -> tuple[Path, ...]:
    """The reference solutions the installed package carries (a wheel's ``_course``)."""
    from mlings import content

    course = content.course_dir()
    return (course / "solutions",) if course is not None else ()


class _BaseEngine:
    """What both engines share: the run folder, the event loop and the verdict."""

    def __init__(self) -> None:
        clean_stale_once()

    def close(self) -> None:
        """Release the engine's resources."""

    def _start(self, request: Request, events_w: int) -> _Child:
        """Start the child process that runs ``request``, events going to ``events_w``."""
        raise NotImplementedError

    def request(self, job: Job, run_dir: Path) -> Request:
        """What the child is told: the job, a fresh nonce and marker, what it may not touch."""
        root = job.root.resolve()
        exercise, check = job.exercise.resolve(), job.check.resolve()
        protect = [str(check), str(PACKAGE)]
        if not exercise.is_relative_to(check.parent):  # a folder of checks, not the learner's
            protect.append(str(check.parent))
        hide = tuple(
            str(solutions)
            for solutions in (root / "solutions", *_packaged_solutions())
            if not exercise.is_relative_to(solutions)
        )
        marker = f"{os.getpid()}:{next(_run_ids)}"
        return Request(
            exercise=str(exercise),
            check=str(check),
            root=str(root),
            run_dir=str(run_dir),
            timeout=job.timeout,
            memory_mb=job.memory_mb,
            strict=job.strict,
            env=dict(job.env),
            nonce=secrets.token_hex(16),
            marker=marker,
            cgroup=str(procs.memory_group(marker, job.memory_mb * 2**20) or ""),
            protect=tuple(protect),
            hide=hide,
        )

    def run(
        self, job: Job, on_check: OnCheck | None = None, cancel: threading.Event | None = None
    ) -> RunResult:
        """Run a job's checks in a fresh child process and return the verdict.

        Setting ``cancel`` ends the run early and raises ``Cancelled``. Images the run left in its
        folder (its working directory, the checks' ``tmp_path``) are copied to ``job.plots``.
        A run whose warm worker was lost under it is run once more before mlings blames itself.
        """
        started = time.monotonic()
        original = _read_bytes(job.exercise)
        check_source = _read_bytes(job.check)
        expected = expected_checks(check_source) if check_source is not None else ()
        run_dir = procs.temp_folder("mlings-run-")
        try:
            for start in (self._start, self._retry_start):
                request = self.request(job, run_dir)
                collector, ended = self._supervise(request, job, start, on_check, cancel)
                if not ended.lost:
                    break
            collector.finish(expected)
            status, message, frame = verdict(
                collector,
                ended.returncode,
                timed_out=ended.timed_out,
                timeout=job.timeout,
                memory_mb=job.memory_mb,
            )
            if ended.lost:
                status, message, frame = Status.ERROR, ENGINE_LOST, None
            output = _read_output(run_dir)
            plots = keep_plots(run_dir, job.plots) if job.plots is not None else ()
        finally:
            shutil.rmtree(run_dir, ignore_errors=True)
        if check_source is not None and _read_bytes(job.check) != check_source:
            _restore(job.check, check_source)
            status, message, frame = Status.ERROR, CHECKS_CHANGED.format(name=job.check.name), None
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

    def _retry_start(self, request: Request, events_w: int) -> _Child:
        """Start a run again after its worker was lost under it."""
        return self._start(request, events_w)

    def _supervise(
        self,
        request: Request,
        job: Job,
        start: Callable[[Request, int], _Child],
        on_check: OnCheck | None,
        cancel: threading.Event | None,
    ) -> tuple[Collector, _Ended]:
        """Start the run and follow it to its end; whatever happens, nothing of it is left."""
        collector = Collector()
        events_r, events_w = os.pipe()
        try:
            child = start(request, events_w)
        except BaseException:  # interrupted while starting: what did start still ends
            os.close(events_r)
            procs.kill_marked(request.marker)
            raise
        finally:
            os.close(events_w)
        os.set_blocking(events_r, False)
        buffer = bytearray()
        pipe_open = True
        ended: _Ended | None = None
        try:
            while ended is None:
                # not fixed up front: a warm run's time starts once the worker has forked it
                remaining = child.started + job.timeout + child.slack - time.monotonic()
                if remaining <= 0:
                    ended = child.stop()
                    break
                if cancel is not None:
                    if cancel.is_set():
                        raise Cancelled
                    remaining = min(remaining, CANCEL_POLL)
                watched = [child.ended_fd, events_r] if pipe_open else [child.ended_fd]
                readable, _, _ = select.select(watched, [], [], remaining)
                if events_r in readable:
                    pipe_open = _read_events(events_r, buffer, collector, on_check, request.nonce)
                if child.ended_fd in readable:
                    ended = child.ended()
            _read_events(events_r, buffer, collector, on_check, request.nonce)
        except BaseException:  # cancelled, Ctrl-C, or a bug of ours: the run still ends
            child.cancel()
            procs.kill_marked(request.marker)
            raise
        finally:
            os.close(events_r)
            procs.remove_group(request.cgroup)
        if not collector.clean:  # the child did not clean up after itself: sweep by marker
            procs.kill_marked(request.marker)
        return collector, ended


def _restore(path: Path, data: bytes) -> None:
    """Put a file back as it was (atomically: a reader never sees half of it)."""
    temporary = path.with_name(f".{path.name}.mlings-restore")
    with contextlib.suppress(OSError):
        temporary.write_bytes(data)
        os.replace(temporary, path)


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
        self.started = time.monotonic()
        self.ended_fd = _ended_fd(proc)

    def _finish(self, timed_out: bool) -> _Ended:
        returncode = self.proc.wait()
        _kill_group(self.proc.pid)  # anything the learner's code left running in the group
        if self.ended_fd >= 0:
            os.close(self.ended_fd)
            self.ended_fd = -1
        return _Ended(returncode, timed_out)

    def ended(self) -> _Ended:
        return self._finish(timed_out=False)

    def stop(self) -> _Ended:
        _kill_group(self.proc.pid)
        return self._finish(timed_out=True)

    def cancel(self) -> None:
        self.stop()


def start_cold(request: Request, events_w: int) -> _ColdChild:
    """Start ``python -m mlings.engine.child`` for ``request``; the request goes on its stdin."""
    env = {
        **os.environ,
        "MLINGS_EVENTS_FD": str(events_w),
        PARENT_ENV: str(os.getpid()),
        procs.MARKER_ENV: request.marker,
    }
    proc = subprocess.Popen(
        [sys.executable, "-P", "-m", "mlings.engine.child"],
        pass_fds=(events_w,),
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        cwd=request.run_dir,
    )
    assert proc.stdin is not None
    with contextlib.suppress(OSError):  # the request (and its nonce) never on a command line
        proc.stdin.write(request.to_json().encode() + b"\n")
        proc.stdin.close()
    return _ColdChild(proc)


class ColdEngine(_BaseEngine):
    """Each run is a fresh ``python -m mlings.engine.child`` process (slower, works anywhere)."""

    def _start(self, request: Request, events_w: int) -> _ColdChild:
        return start_cold(request, events_w)


class _WarmChild:
    """A run forked by the worker; the worker enforces its timeout and reports its end.

    The run's time starts when the worker says it forked the run. Before that a worker that has
    never forked may still be importing (on a slow machine): that wait is bounded by
    ``WORKER_START`` rather than by the run's timeout.
    """

    def __init__(
        self,
        conn: socket.socket,
        on_worker_lost: Callable[[], None],
        on_forked: Callable[[], None],
        worker_ready: bool,
    ) -> None:
        self.conn = conn
        self.started = time.monotonic()
        self.slack = GRACE if worker_ready else GRACE + WORKER_START
        self._on_forked = on_forked
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
            return _Ended(None, False, lost=True)
        message = json.loads(data)
        if "pid" in message:  # forked: the run's time starts now
            self.started, self.slack = time.monotonic(), GRACE
            self._on_forked()
            return None
        self.conn.close()
        return _Ended(message["returncode"], message["timed_out"])

    def stop(self) -> _Ended:
        """The worker did not stop the run in time (stopped, or stuck): replace the worker."""
        self.conn.close()
        self._on_worker_lost()
        return _Ended(None, True)

    def cancel(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.close()  # the worker kills a run whose connection closes


class WarmEngine(_BaseEngine):
    """Runs are forked from a worker that has already imported the heavy libraries."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._worker: subprocess.Popen[bytes] | None = None
        self._folder: Path | None = None
        self._address = ""
        self._ready: subprocess.Popen[bytes] | None = None  # the worker, once it has forked a run
        self._closed = False

    def start(self) -> None:
        """Start the worker now (it also starts on the first run)."""
        with self._lock:
            self._ensure_worker()

    def _ensure_worker(self) -> tuple[subprocess.Popen[bytes], str]:
        if self._closed:  # a run still on its way when the tool closed: no worker outlives it
            raise Cancelled
        if self._worker is None or self._worker.poll() is not None:
            self._stop_worker()
            self._folder = procs.temp_folder("mlings-worker-")
            self._address = str(self._folder / "socket")
            listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            listener.bind(self._address)
            listener.listen(64)
            # No parent-death signal for the worker: it would fire when the *thread* that
            # started it ends. It exits when its stdin closes instead, which the kernel does
            # when the tool ends, however it ends.
            self._worker = subprocess.Popen(
                [sys.executable, "-P", "-m", "mlings.engine.worker", str(listener.fileno())],
                pass_fds=(listener.fileno(),),
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            listener.close()
        return self._worker, self._address

    def _start(self, request: Request, events_w: int) -> _WarmChild:
        with self._lock:
            worker, address = self._ensure_worker()
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            conn.connect(address)
            socket.send_fds(conn, [request.to_json().encode()], [events_w])
        except OSError:  # the worker went away since: the supervisor sees a lost worker
            conn.close()
            conn = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        return _WarmChild(
            conn,
            functools.partial(self._lost, worker),
            functools.partial(self._forked, worker),
            worker_ready=self._ready is worker,
        )

    def _forked(self, worker: subprocess.Popen[bytes]) -> None:
        """``worker`` has forked a run: it is done importing."""
        self._ready = worker

    def _retry_start(self, request: Request, events_w: int) -> _Child:
        """A run whose worker was lost runs again in a fresh process of its own: were it the
        run that killed the worker, it can't take the other runs down a second time."""
        return start_cold(request, events_w)

    def _lost(self, worker: subprocess.Popen[bytes]) -> None:
        """A run lost ``worker``: stop it, unless another run has already replaced it."""
        with self._lock:
            if self._worker is worker:
                self._stop_worker()

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
            self._closed = True
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


def _report(on_result: Callable[[RunResult], None], future: Future[RunResult]) -> None:
    """Hand a finished run to ``on_result`` (not a cancelled or failed one)."""
    if not future.cancelled() and future.exception() is None:
        on_result(future.result())


def run_many(
    engine: Engine,
    jobs: Iterable[Job],
    parallel: int,
    on_result: Callable[[RunResult], None] | None = None,
) -> Iterator[RunResult]:
    """Run jobs, ``parallel`` at a time; yields results in the jobs' order.

    Interrupted (Ctrl-C, or the caller stops iterating), the runs in flight are cancelled and the
    queued ones never start.
    """
    cancel = threading.Event()
    pool = ThreadPoolExecutor(max_workers=max(1, parallel))
    try:
        futures = [pool.submit(engine.run, job, None, cancel) for job in jobs]
        if on_result is not None:
            for future in futures:
                future.add_done_callback(functools.partial(_report, on_result))
        for future in futures:
            while not future.done():  # wake now and then: Ctrl-C is handled between waits
                wait([future], timeout=INTERRUPT_POLL)
            yield future.result()
    finally:
        cancel.set()
        pool.shutdown(wait=True, cancel_futures=True)
