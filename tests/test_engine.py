"""The engine survives whatever an exercise does and gives each run exactly one fitting status."""

from __future__ import annotations

import ast
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from mlings.app import App
from mlings.engine import procs
from mlings.engine.child import Request
from mlings.engine.plots import MAX_PLOT_BYTES
from mlings.engine.results import CheckResult, RunResult, Status, clean_text
from mlings.engine.runner import (
    GRACE,
    Cancelled,
    ColdEngine,
    Engine,
    Job,
    WarmEngine,
    expected_checks,
    open_engine,
    run_many,
)

from .conftest import FIXTURES

HOSTILE = FIXTURES / "hostile"
CHECK = HOSTILE / "check_answer.py"
PLOTS = FIXTURES / "plots"
PNG = b"\x89PNG\r\n\x1a\n"


SLACK = 5.0  # seconds a loaded machine may add to a run's end: generous, yet far below any hang
RUN_TIMEOUT = 30.0  # for runs that should end by themselves: a loaded machine never reaches it


def hostile_job(
    tmp_path: Path, name: str, timeout: float = RUN_TIMEOUT, memory_mb: int = 2048
) -> Job:
    """A job running one hostile fixture, copied so it may harm only its copy."""
    exercise = tmp_path / f"{name}.py"
    shutil.copy(HOSTILE / f"{name}.py", exercise)
    return Job(name, exercise, CHECK, tmp_path, timeout=timeout, memory_mb=memory_mb)


def assert_still_works(engine: Engine, tmp_path: Path) -> None:
    """After anything, the same engine still judges a good exercise."""
    folder = tmp_path / "after"
    folder.mkdir()
    result = engine.run(hostile_job(folder, "good"))
    assert result.status is Status.PASSED, result


def test_a_correct_exercise_passes_every_check(engine: Engine, tmp_path: Path) -> None:
    result = engine.run(hostile_job(tmp_path, "good"))
    assert result.status is Status.PASSED
    assert [c.title for c in result.checks] == ["answers 42", "answers 42 a second time"]
    assert all(c.passed for c in result.checks)


def test_a_wrong_answer_fails_with_the_checks_message_and_its_prints(
    engine: Engine, tmp_path: Path
) -> None:
    result = engine.run(hostile_job(tmp_path, "wrong"))
    assert result.status is Status.FAILED
    assert result.first_failure is not None
    assert result.first_failure.message == "answer() should return 42"
    assert "thinking hard" in result.output.text
    assert not result.output.truncated


def test_check_results_stream_as_each_check_finishes(engine: Engine, tmp_path: Path) -> None:
    seen: list[CheckResult] = []
    result = engine.run(hostile_job(tmp_path, "wrong"), on_check=seen.append)
    assert [c.title for c in seen] == [c.title for c in result.checks]


def test_an_infinite_loop_times_out_and_leaves_no_process_behind(
    engine: Engine, tmp_path: Path
) -> None:
    timeout = 2.0
    started = time.monotonic()
    result = engine.run(hostile_job(tmp_path, "infinite_loop", timeout=timeout))
    elapsed = time.monotonic() - started
    assert result.status is Status.TIMEOUT
    assert elapsed < timeout + SLACK, f"took {elapsed:.1f} s"
    assert "still running after 2 s" in result.message
    assert result.running == "answers 42", "the message names the check that was running"
    assert wait_for(lambda: leftovers() == [], SLACK), f"left running: {leftovers()}"
    assert_still_works(engine, tmp_path)


def test_sys_exit_inside_the_exercise_is_a_failed_check(engine: Engine, tmp_path: Path) -> None:
    result = engine.run(hostile_job(tmp_path, "exit_in_function"))
    assert result.status is Status.FAILED
    assert "sys.exit(0)" in result.checks[0].message
    assert_still_works(engine, tmp_path)


def test_sys_exit_while_imported_is_an_error_naming_the_line(
    engine: Engine, tmp_path: Path
) -> None:
    result = engine.run(hostile_job(tmp_path, "exit_at_import"))
    assert result.status is Status.ERROR
    assert "sys.exit(0) while being imported" in result.message
    assert result.frame is not None and result.frame.line == 4


def test_os_exit_is_a_crash_that_names_the_running_check(engine: Engine, tmp_path: Path) -> None:
    result = engine.run(hostile_job(tmp_path, "os_exit"))
    assert result.status is Status.CRASHED
    assert "stopped early" in result.message and "answers 42" in result.message
    assert_still_works(engine, tmp_path)


def test_a_segfault_is_a_crash(engine: Engine, tmp_path: Path) -> None:
    result = engine.run(hostile_job(tmp_path, "segfault"))
    assert result.status is Status.CRASHED
    assert "segmentation fault" in result.message
    assert_still_works(engine, tmp_path)


def test_printing_ten_megabytes_is_capped_and_said(engine: Engine, tmp_path: Path) -> None:
    result = engine.run(hostile_job(tmp_path, "print_10mb"))
    assert result.status is Status.PASSED
    assert result.output.truncated
    assert result.output.total_bytes >= 10 * 2**20
    assert len(result.output.text) <= 8 * 1024


def test_memory_past_the_cap_is_a_crash_that_says_memory(engine: Engine, tmp_path: Path) -> None:
    result = engine.run(hostile_job(tmp_path, "memory_hog", timeout=30, memory_mb=2048))
    assert result.status is Status.CRASHED
    assert "2048 MiB memory cap" in result.message
    assert_still_works(engine, tmp_path)


def test_a_syntax_error_is_shown_as_that_with_its_line(engine: Engine, tmp_path: Path) -> None:
    result = engine.run(hostile_job(tmp_path, "syntax_error"))
    assert result.status is Status.ERROR
    assert result.message.startswith("SyntaxError")
    assert result.frame is not None and result.frame.line == 4
    assert any("def answer()" in text for _, text in result.frame.source)


def test_a_missing_package_is_shown_as_that_with_its_line(engine: Engine, tmp_path: Path) -> None:
    result = engine.run(hostile_job(tmp_path, "missing_import"))
    assert result.status is Status.ERROR
    assert "pokemarket_secret_sauce" in result.message
    assert result.frame is not None and result.frame.line == 2


def test_an_exercise_that_deletes_itself_is_restored(engine: Engine, tmp_path: Path) -> None:
    job = hostile_job(tmp_path, "deletes_itself")
    original = job.exercise.read_bytes()
    result = engine.run(job)
    assert result.status is Status.ERROR
    assert "deleted its own exercise file" in result.message
    assert job.exercise.read_bytes() == original


def test_learner_failures_show_their_own_frame_never_the_check(
    engine: Engine, tmp_path: Path
) -> None:
    exercise = tmp_path / "todo.py"
    exercise.write_text('def answer():\n    # TODO\n    raise NotImplementedError("answer")\n')
    result = engine.run(Job("todo", exercise, CHECK, tmp_path))
    failure = result.first_failure
    assert failure is not None
    assert failure.message == "NotImplementedError: answer"
    assert failure.frame is not None
    assert Path(failure.frame.path) == exercise.resolve() and failure.frame.line == 3
    assert "exercise.answer()" not in repr(result), "the check's source stays hidden"


def test_a_failure_inside_the_check_shows_no_frame_and_none_of_the_checks_source(
    engine: Engine, tmp_path: Path
) -> None:
    """The learner's answer() returned (41): the assertion that fails is the check's own line."""
    result = engine.run(hostile_job(tmp_path, "wrong"))
    failure = result.first_failure
    assert failure is not None and failure.message == "answer() should return 42"
    assert failure.frame is None, "no frame of the learner's raised: nothing of theirs to show"
    assert all(c.frame is None for c in result.checks)
    assert "exercise.answer() == 42" not in repr(result), "the check's source stays hidden"


@pytest.mark.parametrize(
    "name",
    [
        "good",
        "wrong",
        "exit_in_function",
        "exit_at_import",
        "os_exit",
        "segfault",
        "syntax_error",
        "missing_import",
        "deletes_itself",
    ],
)
def test_warm_and_cold_runs_agree(
    warm_engine: Engine, cold_engine: Engine, tmp_path: Path, name: str
) -> None:
    job = hostile_job(tmp_path, name)
    warm, cold = warm_engine.run(job), cold_engine.run(job)
    assert (warm.status, warm.checks, warm.message, warm.frame, warm.output) == (
        cold.status,
        cold.checks,
        cold.message,
        cold.frame,
        cold.output,
    )


def test_the_cold_engine_works_without_pidfd(
    cold_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As on macOS: the end of a run is noticed another way, with the same verdicts."""
    monkeypatch.delattr("os.pidfd_open")
    monkeypatch.delenv("MLINGS_ENGINE", raising=False)
    assert isinstance(open_engine(), ColdEngine)
    assert cold_engine.run(hostile_job(tmp_path, "wrong")).status is Status.FAILED
    loop = tmp_path / "loop"
    loop.mkdir()
    assert cold_engine.run(hostile_job(loop, "infinite_loop", timeout=2)).status is Status.TIMEOUT


GRADED_CHECK = '''\
import os

import pytest


@pytest.mark.points(3)
def test_worth_three(exercise):
    """worth three points"""
    assert exercise.answer() == 42


@pytest.mark.points(1.5)
def test_sees_the_grade_seed(exercise):
    """sees the seed it is graded with"""
    assert os.environ.get("MLINGS_GRADE_SEED") == "7"


def test_worth_nothing(exercise):
    """carries no points"""
'''


def test_a_check_carries_its_points_and_the_job_its_environment(
    engine: Engine, tmp_path: Path
) -> None:
    check = tmp_path / "test_graded.py"
    check.write_text(GRADED_CHECK)
    exercise = tmp_path / "good.py"
    shutil.copy(HOSTILE / "good.py", exercise)
    job = Job("graded", exercise, check, tmp_path, env={"MLINGS_GRADE_SEED": "7"})
    result = engine.run(job)
    assert result.status is Status.PASSED, result
    assert [(c.title, c.points) for c in result.checks] == [
        ("worth three points", 3.0),
        ("sees the seed it is graded with", 1.5),
        ("carries no points", 0.0),
    ]
    strict = engine.run(Job("graded", exercise, check, tmp_path, strict=True))
    assert [c.passed for c in strict.checks] == [True, False, True], "no unknown-mark warning"


def test_an_exercise_imports_the_files_beside_it(engine: Engine, tmp_path: Path) -> None:
    (tmp_path / "helpers_for_answer.py").write_text("def forty_two():\n    return 42\n")
    exercise = tmp_path / "answer.py"
    exercise.write_text(
        "from helpers_for_answer import forty_two\n\n\ndef answer():\n    return forty_two()\n"
    )
    result = engine.run(Job("answer", exercise, CHECK, tmp_path))
    assert result.status is Status.PASSED, result


def plot_job(tmp_path: Path, name: str) -> Job:
    """A job whose two checks each hand the learner's ``draw`` a ``tmp_path`` to save images in."""
    exercise = tmp_path / f"{name}.py"
    shutil.copy(PLOTS / f"{name}.py", exercise)
    check = PLOTS / "check_plots.py"
    return Job(name, exercise, check, tmp_path, plots=tmp_path / "plots" / name)


def kept(folder: Path | None) -> list[str]:
    """The names in a plots folder, sorted; none if it does not exist."""
    assert folder is not None
    return sorted(path.name for path in folder.iterdir()) if folder.is_dir() else []


def test_the_figure_each_check_saves_is_kept_under_a_name_of_its_own(
    engine: Engine, tmp_path: Path
) -> None:
    job = plot_job(tmp_path, "residuals")
    result = engine.run(job)
    assert result.status is Status.PASSED, result
    names = ["test_draws0-residuals.png", "test_draws_again0-residuals.png"]
    assert kept(job.plots) == names, "both checks saved residuals.png: neither is lost"
    assert result.plots == tuple(str(tmp_path / "plots" / "residuals" / name) for name in names)
    for plot in result.plots:
        assert Path(plot).read_bytes().startswith(PNG), "a real matplotlib figure"


def test_a_run_that_draws_nothing_leaves_the_plots_folder_empty(
    engine: Engine, tmp_path: Path
) -> None:
    drawn = engine.run(plot_job(tmp_path, "residuals"))
    assert len(drawn.plots) == 2
    job = plot_job(tmp_path, "nothing")
    job = Job(job.name, job.exercise, job.check, job.root, plots=tmp_path / "plots" / "residuals")
    (job.plots / "stale").mkdir()  # whatever else was there goes too
    result = engine.run(job)
    assert result.status is Status.PASSED, result
    assert result.plots == ()
    assert kept(job.plots) == [], "the last run's figures are not this run's"


def test_a_job_without_a_plots_folder_keeps_nothing(engine: Engine, tmp_path: Path) -> None:
    job = plot_job(tmp_path, "residuals")
    result = engine.run(Job(job.name, job.exercise, job.check, job.root))
    assert result.status is Status.PASSED, result
    assert result.plots == ()
    assert kept(job.plots) == []


def test_links_and_pipes_named_like_images_are_never_followed(
    engine: Engine, tmp_path: Path
) -> None:
    """x.png -> /etc/passwd, a link to a folder of images, a pipe named pipe.png: none is copied."""
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.png").write_bytes(PNG)
    job = plot_job(tmp_path, "links")
    result = engine.run(job)
    assert result.status is Status.PASSED, result
    assert result.plots == ()
    assert kept(job.plots) == []


def test_at_most_eight_plots_are_kept_and_none_past_ten_megabytes(
    engine: Engine, tmp_path: Path
) -> None:
    job = plot_job(tmp_path, "many")
    result = engine.run(job)
    assert result.status is Status.PASSED, result
    names = [f"test_draws0-plot_{number:02}.png" for number in range(8)]
    assert kept(job.plots) == names, "the first eight in order; a_big.png is skipped"
    assert [Path(plot).name for plot in result.plots] == names
    assert all(Path(plot).stat().st_size <= MAX_PLOT_BYTES for plot in result.plots)


class RecordingEngine:
    """An engine that judges nothing: it records the jobs it is given."""

    def __init__(self) -> None:
        self.jobs: list[Job] = []

    def run(self, job: Job, on_check: object = None, cancel: object = None) -> RunResult:
        self.jobs.append(job)
        return RunResult(job.name, Status.PASSED)

    def close(self) -> None:
        """Nothing to release."""


def test_a_run_keeps_its_plots_in_the_course_state_folder_and_a_grade_keeps_none(
    tiny_course: Path,
) -> None:
    app = App.open(tiny_course)
    recorder = RecordingEngine()
    app._engine = recorder
    exercise = app.current()
    app.run(exercise)
    assert recorder.jobs[-1].plots == tiny_course.resolve() / ".mlings" / "plots" / exercise.name
    app.run_graded([exercise], tiny_course / "exercises" / exercise.module, {}, jobs=1)
    assert recorder.jobs[-1].plots is None


# --- runs end, whatever happens ------------------------------------------------------------------


def leftovers(owner: int | None = None) -> list[int]:
    """Processes still carrying a run marker of ``owner`` (this test process by default)."""
    prefix = f"{owner or os.getpid()}:".encode()
    return [pid for pid, marker in procs._marked(None) if marker.startswith(prefix)]


def wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    """Whether ``condition`` holds within ``seconds`` (looked at every 50 ms)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_a_process_started_in_a_session_of_its_own_ends_with_the_run(
    engine: Engine, tmp_path: Path
) -> None:
    result = engine.run(hostile_job(tmp_path, "escapes_session"))
    assert result.status is Status.PASSED, result
    assert wait_for(lambda: leftovers() == [], SLACK), (
        "a new session is no escape: the marker finds it"
    )


def test_a_timed_out_run_leaves_nothing_not_even_a_double_fork_in_a_new_session(
    engine: Engine, tmp_path: Path
) -> None:
    started = time.monotonic()
    result = engine.run(hostile_job(tmp_path, "escapes_and_loops", timeout=2))
    assert result.status is Status.TIMEOUT
    assert time.monotonic() - started < 2 + SLACK
    assert wait_for(lambda: leftovers() == [], SLACK), leftovers()
    assert_still_works(engine, tmp_path)


def test_a_child_whose_supervisor_is_already_gone_ends_itself_at_once() -> None:
    """Re-parented before it asked to die with its parent: no death signal would ever come."""
    code = (
        "import signal, sys; from mlings.engine import procs\n"
        "procs.die_with_parent(signal.SIGTERM, parent=-1)  # not its parent: that one is gone\n"
        "sys.exit(3)\n"
    )
    child = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert child.returncode == -signal.SIGTERM, child.stderr.decode()


def test_a_checks_fresh_process_keeps_the_runs_marker_and_none_of_its_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A check's own subprocess (a fresh Python) is swept with the run, yet sees no run setting."""
    monkeypatch.setenv(procs.MARKER_ENV, "123:4")
    monkeypatch.setenv("MLINGS_EXERCISE", "/course/exercise.py")
    monkeypatch.setenv("PYTEST_CURRENT_TEST", "test_x.py::test_y")
    monkeypatch.setenv("LANG", "C.UTF-8")
    env = procs.fresh_env(PYTHONHASHSEED="random")
    assert env[procs.MARKER_ENV] == "123:4"
    assert "MLINGS_EXERCISE" not in env and "PYTEST_CURRENT_TEST" not in env
    assert env["LANG"] == "C.UTF-8" and env["PYTHONHASHSEED"] == "random"
    monkeypatch.delenv(procs.MARKER_ENV)
    assert procs.MARKER_ENV not in procs.fresh_env(), "outside a run there is no marker to keep"


def test_a_child_without_a_supervisor_stops_itself_past_its_timeout(tmp_path: Path) -> None:
    """Nobody kills it: its own timer (SIGALRM) ends it soon after its timeout."""
    exercise = tmp_path / "infinite_loop.py"
    shutil.copy(HOSTILE / "infinite_loop.py", exercise)
    (tmp_path / "run").mkdir()
    marker = f"{os.getpid()}:alone"
    run_dir = str(tmp_path / "run")
    request = Request(str(exercise), str(CHECK), str(tmp_path), run_dir, 1, 2048, marker=marker)
    read, write = os.pipe()
    env = {**os.environ, "MLINGS_EVENTS_FD": str(write), procs.MARKER_ENV: marker}
    started = time.monotonic()
    child = subprocess.Popen(
        [sys.executable, "-m", "mlings.engine.child"],
        stdin=subprocess.PIPE,
        pass_fds=(write,),
        env=env,
        start_new_session=True,
    )
    os.close(write)
    child.communicate(request.to_json().encode() + b"\n", timeout=60)
    os.close(read)
    assert time.monotonic() - started < 1 + SLACK, "python's start-up included"
    assert child.returncode == -signal.SIGALRM
    assert leftovers() != [], "its helper is left to the supervisor's sweep"
    procs.kill_marked(marker)


TOOL = """
import shutil, sys
from pathlib import Path
from mlings.engine.runner import ColdEngine, Job, WarmEngine
folder = Path(sys.argv[2])
shutil.copy(sys.argv[3], folder / "escapes_and_loops.py")
engine = WarmEngine() if sys.argv[1] == "warm" else ColdEngine()
engine.run(Job("x", folder / "escapes_and_loops.py", Path(sys.argv[4]), folder, timeout=60))
"""


@pytest.mark.parametrize("kind", ["warm", "cold"])
def test_killing_the_tool_ends_its_runs_and_all_they_started(kind: str, tmp_path: Path) -> None:
    tool = subprocess.Popen(
        [
            sys.executable,
            "-c",
            TOOL,
            kind,
            str(tmp_path),
            str(HOSTILE / "escapes_and_loops.py"),
            str(CHECK),
        ],
        start_new_session=True,
    )
    try:
        # the helper and its fork (a warm child shows the marker in os.environ only)
        assert wait_for(lambda: len(leftovers(tool.pid)) >= 2, 60), "the run got going"
        os.kill(tool.pid, signal.SIGKILL)
        tool.wait()
        assert wait_for(lambda: leftovers(tool.pid) == [], SLACK), leftovers(tool.pid)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(tool.pid, signal.SIGKILL)
        procs.kill_marked_by(tool.pid)


def test_a_cancelled_run_ends_at_once_not_at_its_timeout(engine: Engine, tmp_path: Path) -> None:
    """A newer save cancels the run in progress: its process goes now, long before its timeout."""
    job = hostile_job(tmp_path, "reports_pid_and_loops", timeout=120)
    pid_file = tmp_path / "running.pid"
    cancel = threading.Event()
    outcome: list[BaseException | RunResult] = []

    def run() -> None:
        try:
            outcome.append(engine.run(job, cancel=cancel))
        except BaseException as exc:  # handed to the test's thread
            outcome.append(exc)

    runner = threading.Thread(target=run)
    runner.start()
    try:
        assert wait_for(pid_file.exists, 60), "the run got going"
        assert wait_for(lambda: pid_file.read_text().isdigit(), 10)
        pid = int(pid_file.read_text())
        assert procs.alive(pid)
        cancel.set()
        runner.join(30)
        assert not runner.is_alive(), "the cancelled run returned"
        assert len(outcome) == 1 and isinstance(outcome[0], Cancelled), outcome
        assert wait_for(lambda: not procs.alive(pid), 30), "the cancelled run's process is gone"
    finally:
        cancel.set()
        runner.join(130)
    assert_still_works(engine, tmp_path)


def test_a_worker_slow_to_start_does_not_eat_into_the_first_runs_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a slow or loaded machine the worker's imports can outlast a run's timeout and grace:
    the run's time starts when the worker starts it, so a first run is not called a timeout."""
    timeout = 3.0
    slow_python = tmp_path / "slow-python"
    slow_python.write_text(f'#!/bin/sh\nsleep {timeout + GRACE + 4}\nexec {sys.executable} "$@"\n')
    slow_python.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(slow_python))  # what the worker is started with
    engine = WarmEngine()
    try:
        result = engine.run(hostile_job(tmp_path, "good", timeout=timeout))
    finally:
        engine.close()
    assert result.status is Status.PASSED, result


def test_a_worker_that_never_gets_going_still_ends_the_run_in_bounded_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hung_python = tmp_path / "hung-python"
    hung_python.write_text(f'#!/bin/sh\nsleep 600\nexec {sys.executable} "$@"\n')
    hung_python.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(hung_python))
    monkeypatch.setattr("mlings.engine.runner.WORKER_START", 2.0)
    engine = WarmEngine()
    started = time.monotonic()
    try:
        result = engine.run(hostile_job(tmp_path, "good", timeout=1))
    finally:
        engine.close()
    assert result.status is Status.TIMEOUT, result
    assert time.monotonic() - started < 1 + GRACE + 2 + SLACK


def test_a_run_that_reaches_a_closed_warm_engine_starts_no_worker(tmp_path: Path) -> None:
    """A run still on its way when the tool closes (a save just before quitting) is cancelled."""
    engine = WarmEngine()
    engine.close()
    with pytest.raises(Cancelled):
        engine.run(hostile_job(tmp_path, "good"))
    assert engine._worker is None, "no worker outlives the engine"


def test_a_lost_worker_is_replaced_and_the_runs_in_flight_are_not_blamed(
    warm_engine: Engine, tmp_path: Path
) -> None:
    jobs = []
    for name in ("kills_worker", "good", "good"):
        folder = tmp_path / f"{len(jobs)}"
        folder.mkdir()
        jobs.append(hostile_job(folder, name, timeout=3 if name == "kills_worker" else RUN_TIMEOUT))
    results = list(run_many(warm_engine, jobs, parallel=3))
    assert [r.status for r in results[1:]] == [Status.PASSED, Status.PASSED], results
    assert results[0].status is Status.TIMEOUT, "retried in a fresh process, it only loops"
    assert "something in your code" not in results[0].message
    assert wait_for(lambda: leftovers() == [], SLACK), leftovers()
    assert_still_works(warm_engine, tmp_path)


def helpers() -> list[int]:
    """This test process's runs' helper processes (the infinite_loop fixture starts one each)."""
    found = []
    for pid in leftovers():
        with contextlib.suppress(OSError):
            if b"mlings-orphan-marker" in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(pid)
    return found


def test_interrupting_many_runs_stops_them_now_and_starts_no_more(
    engine: Engine, tmp_path: Path
) -> None:
    jobs = []
    for number in range(6):
        folder = tmp_path / str(number)
        folder.mkdir()
        jobs.append(hostile_job(folder, "infinite_loop", timeout=60))
    main = threading.main_thread().ident
    assert main is not None
    going = threading.Event()
    interrupted: list[float] = []

    def interrupt_once_both_run() -> None:
        if wait_for(lambda: len(helpers()) >= 2, 60):
            going.set()
        interrupted.append(time.monotonic())
        signal.pthread_kill(main, signal.SIGINT)  # as Ctrl-C does

    threading.Thread(target=interrupt_once_both_run, daemon=True).start()
    with pytest.raises(KeyboardInterrupt):
        list(run_many(engine, jobs, parallel=2))
    assert going.is_set(), "the interrupt came while two runs were in flight"
    assert time.monotonic() - interrupted[0] < SLACK, "stopped now, not at the runs' timeout"
    assert wait_for(lambda: leftovers() == [], SLACK), leftovers()


def dead_pid() -> int:
    """The pid of a process that has ended."""
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_what_a_killed_session_left_is_cleaned_at_the_next_start(tmp_path: Path) -> None:
    gone = dead_pid()
    theirs = [Path(tempfile.mkdtemp(prefix=f"{p}{gone}-")) for p in procs.TEMP_PREFIXES]
    ours = procs.temp_folder("mlings-run-")
    stray = subprocess.Popen(
        ["sleep", "600"], env={**os.environ, procs.MARKER_ENV: f"{gone}:1"}, start_new_session=True
    )
    try:
        assert wait_for(lambda: leftovers(gone) != [], 60)
        procs.clean_stale()
        assert not any(folder.exists() for folder in theirs), "a dead session's folders go"
        assert ours.exists(), "a live session's folders stay"
        assert stray.wait(timeout=SLACK) == -signal.SIGKILL, "a dead session's processes go"
    finally:
        stray.kill()
        shutil.rmtree(ours, ignore_errors=True)


# --- a pass means every check passed -------------------------------------------------------------

FORGERIES = [
    "patches_emit",
    "patches_state",
    "patches_runtest",
    "skips",
    "pytest_exit",
    "keyboard_interrupt",
    "fake_events",
    "rewrites_check",
    "rewrites_check_from_shell",
    "execs_solution",
    "returns_a_yes_float",
]


def guarded_job(tmp_path: Path, name: str) -> Job:
    """A hostile job judged by its own copy of the check, in a course with a solutions/ folder."""
    job = hostile_job(tmp_path, name)
    (tmp_path / "checks").mkdir()
    check = tmp_path / "checks" / CHECK.name
    shutil.copy(CHECK, check)
    (tmp_path / "solutions").mkdir()
    (tmp_path / "solutions" / "answer.py").write_text("def answer():\n    return 42\n")
    return Job(job.name, job.exercise, check, tmp_path, timeout=job.timeout)


@pytest.mark.parametrize("name", FORGERIES)
def test_an_unsolved_exercise_cannot_forge_a_pass(
    engine: Engine, tmp_path: Path, name: str
) -> None:
    job = guarded_job(tmp_path, name)
    result = engine.run(job)
    assert result.status is not Status.PASSED, result
    assert not all(c.passed for c in result.checks) or not result.checks
    assert job.check.read_bytes() == CHECK.read_bytes(), "the check file is as it was"
    assert wait_for(lambda: leftovers() == [], SLACK), leftovers()
    assert_still_works(engine, tmp_path)


@pytest.mark.parametrize(
    ("name", "status", "passed"),
    [
        ("half_right", Status.FAILED, [True, False]),
        ("raises_the_second_time", Status.FAILED, [True, False]),
        ("exits_the_second_time", Status.CRASHED, [True]),
    ],
)
def test_a_run_that_fails_or_crashes_after_a_check_passed_is_not_a_pass(
    engine: Engine, tmp_path: Path, name: str, status: Status, passed: list[bool]
) -> None:
    """One passing check never carries the run: every check must pass."""
    result = engine.run(hostile_job(tmp_path, name))
    assert result.status is status, result
    assert [c.passed for c in result.checks] == passed
    if status is Status.CRASHED:
        assert result.running == "answers 42 a second time", "the crash names its check"


def test_a_check_file_without_checks_is_an_error_not_a_pass(engine: Engine, tmp_path: Path) -> None:
    job = hostile_job(tmp_path, "good")
    empty = Job(job.name, job.exercise, HOSTILE / "check_nothing.py", tmp_path, job.timeout)
    result = engine.run(empty)
    assert result.status is Status.ERROR, result
    assert result.checks == ()
    assert "No checks ran" in result.message


def test_checks_that_never_ran_are_listed_as_failed(engine: Engine, tmp_path: Path) -> None:
    result = engine.run(guarded_job(tmp_path, "pytest_exit"))
    assert result.status is Status.FAILED
    assert [c.passed for c in result.checks] == [True, False]
    assert "never ran" in result.message


def test_a_skipped_check_fails(engine: Engine, tmp_path: Path) -> None:
    result = engine.run(guarded_job(tmp_path, "skips"))
    assert result.status is Status.FAILED
    assert "skipped (not today)" in result.checks[0].message


def test_a_changed_check_file_is_put_back_and_said(engine: Engine, tmp_path: Path) -> None:
    result = engine.run(guarded_job(tmp_path, "rewrites_check_from_shell"))
    assert result.status is Status.ERROR
    assert "changed the checks file" in result.message


def test_reading_the_reference_solution_is_refused(engine: Engine, tmp_path: Path) -> None:
    result = engine.run(guarded_job(tmp_path, "execs_solution"))
    assert result.status is Status.ERROR
    assert "reference solution can't be opened" in result.message


def test_a_fork_in_the_learners_code_reports_each_check_once(
    engine: Engine, tmp_path: Path
) -> None:
    result = engine.run(hostile_job(tmp_path, "forks"))
    assert result.status is Status.PASSED, result
    assert len(result.checks) == 2
    assert wait_for(lambda: leftovers() == [], SLACK), leftovers()


def test_the_expected_checks_come_from_the_check_files_text() -> None:
    assert expected_checks(CHECK.read_bytes()) == ("test_answer", "test_answer_again")


# --- what learners print and raise is shown, never obeyed -----------------------------------------


def test_escapes_and_control_characters_are_stripped(engine: Engine, tmp_path: Path) -> None:
    result = engine.run(hostile_job(tmp_path, "control_characters"))
    assert result.status is Status.FAILED
    message = result.checks[0].message
    assert message == "ValueError: red and link", repr(message)
    assert "visible" in result.output.text
    for text in (message, result.output.text):
        assert not any(ord(c) < 32 and c not in "\t\n" for c in text), repr(text)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b7saved\x1b8", "saved"),  # DECSC / DECRC: save and restore the cursor
        ("\x1bcafter a reset", "after a reset"),  # RIS: reset the terminal
        ("\x1b(Bplain\x1b)0", "plain"),  # character set selection
        ("\x1b=keypad\x1b>", "keypad"),
        ("\x1b[31mred\x1b[0m and \x1b]0;title\x07done", "red and done"),
        ("a lone escape at the end\x1b", "a lone escape at the end"),
    ],
)
def test_every_escape_sequence_goes_whole_leaving_no_stray_character(raw: str, shown: str) -> None:
    assert clean_text(raw) == shown


def test_a_five_megabyte_line_is_cut_in_the_code_frame(engine: Engine, tmp_path: Path) -> None:
    exercise = tmp_path / "long_line.py"
    exercise.write_text('def answer():\n    raise ValueError("' + "x" * 5_000_000 + '")\n')
    result = engine.run(Job("long", exercise, CHECK, tmp_path))
    failure = result.first_failure
    assert failure is not None and failure.frame is not None
    assert max(len(text) for _, text in failure.frame.source) <= 402


def test_an_indentation_error_is_called_that_and_pytest_says_nothing(
    engine: Engine, tmp_path: Path
) -> None:
    result = engine.run(hostile_job(tmp_path, "indentation_error"))
    assert result.status is Status.ERROR
    assert result.message.startswith("IndentationError"), result.message
    assert result.output.text == "", "no 'Exit: could not be imported' from pytest"


def test_out_of_memory_is_a_crash_at_import_as_in_a_check(engine: Engine, tmp_path: Path) -> None:
    at_import = engine.run(hostile_job(tmp_path, "memory_at_import", timeout=30, memory_mb=1024))
    assert at_import.status is Status.CRASHED, at_import
    assert "1024 MiB memory cap" in at_import.message


def test_memory_is_capped_per_run_where_a_cgroup_is_delegated_else_per_process() -> None:
    group = procs.memory_group(f"{os.getpid()}:cgroup-test", 64 * 2**20)
    if procs._delegated() is None:
        assert group is None, "no delegated cgroup v2 here: the per-process limit stays"
        return
    assert group is not None
    assert (group / "memory.max").read_text().strip() == str(64 * 2**20)
    procs.remove_group(str(group))
    assert not group.exists()


@pytest.mark.parametrize("kind", ["warm", "cold"])
def test_no_run_has_its_starting_folder_on_sys_path(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Python starts with -P: a learner's file named like a library can't shadow the library."""
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)  # where the learner runs mlings: the warm worker starts here
    exercise = tmp_path / "exercise" / "answer.py"
    exercise.parent.mkdir()
    exercise.write_text("import sys\nprint(repr(sys.path))\n\n\ndef answer():\n    return 42\n")
    engine = open_engine(kind)
    try:
        result = engine.run(Job("answer", exercise, CHECK, tmp_path))
    finally:
        engine.close()
    assert result.status is Status.PASSED, result
    path = ast.literal_eval(result.output.text.strip())
    assert str(exercise.parent) in path  # a project's own files import each other
    assert str(here) not in path and "" not in path
    assert not any("mlings-run-" in entry for entry in path), "nor the run's own folder"
