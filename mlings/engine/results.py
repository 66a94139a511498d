"""What a check run produced: one status per run, one result per check.

The engine turns the child's event stream and its exit into a ``RunResult``; nothing here runs code
or draws anything.
"""

from __future__ import annotations

import signal
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    """How a run ended. Exactly one per run."""

    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"  # the learner's file could not be imported (syntax, missing import, exit)
    TIMEOUT = "timeout"
    CRASHED = "crashed"  # the process died: segfault, os._exit, out of memory


@dataclass(frozen=True)
class Frame:
    """A place in the learner's file, with a few lines of its source around it."""

    path: str
    line: int
    function: str
    source: tuple[tuple[int, str], ...] = ()

    @classmethod
    def from_event(cls, data: dict[str, Any] | None) -> Frame | None:
        if not data:
            return None
        source = tuple((int(n), str(text)) for n, text in data.get("source", ()))
        return cls(str(data["path"]), int(data["line"]), str(data["function"]), source)


@dataclass(frozen=True)
class CheckResult:
    """One check: its learner-facing title and, when it failed, why."""

    id: str
    title: str
    passed: bool
    message: str = ""
    frame: Frame | None = None
    exc_type: str | None = None
    points: float = 0.0  # what the check is worth in a graded project (pytest.mark.points)


@dataclass(frozen=True)
class Output:
    """What the learner's code printed, capped."""

    text: str = ""
    total_bytes: int = 0

    @property
    def truncated(self) -> bool:
        return self.total_bytes > len(self.text.encode())


@dataclass(frozen=True)
class RunResult:
    """The verdict on one exercise."""

    exercise: str
    status: Status
    checks: tuple[CheckResult, ...] = ()
    message: str = ""
    frame: Frame | None = None
    output: Output = field(default_factory=Output)
    duration: float = 0.0
    running: str | None = None  # the check that was running when the run ended early
    plots: tuple[str, ...] = ()  # absolute paths of the images the run drew, as kept

    @property
    def passed(self) -> bool:
        return self.status is Status.PASSED

    @classmethod
    def missing(cls, exercise: str, path: str) -> RunResult:
        """The verdict on an exercise whose file is gone."""
        message = f"The exercise file {path} is missing. Restore it with `mlings reset {exercise}`."
        return cls(exercise=exercise, status=Status.ERROR, message=message)

    @property
    def first_failure(self) -> CheckResult | None:
        return next((c for c in self.checks if not c.passed), None)


@dataclass
class Collector:
    """Folds the plugin's events into check results as they arrive."""

    checks: list[CheckResult] = field(default_factory=list)
    running: tuple[str, str] | None = None  # (id, title) of the check in progress
    load_error: dict[str, Any] | None = None
    collect_error: str | None = None
    done: bool = False

    def add(self, event: dict[str, Any]) -> CheckResult | None:
        """Record one event; returns the check result it completed, if any."""
        kind = event.get("event")
        if kind == "start":
            self.running = (event["id"], event["title"])
        elif kind == "result":
            self.running = None
            result = CheckResult(
                id=event["id"],
                title=event["title"],
                passed=event["outcome"] == "passed",
                message=event.get("message") or "",
                frame=Frame.from_event(event.get("frame")),
                exc_type=event.get("exc_type"),
                points=float(event.get("points") or 0.0),
            )
            self.checks.append(result)
            return result
        elif kind == "load_error":
            self.load_error = event
        elif kind == "collect_error":
            self.collect_error = event.get("message", "")
        elif kind == "done":
            self.done = True
        return None


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def verdict(
    collected: Collector,
    returncode: int | None,
    *,
    timed_out: bool,
    timeout: float,
    memory_mb: int,
) -> tuple[Status, str, Frame | None]:
    """Decide the one status of a run from what was collected and how the process ended."""
    running = f" while checking “{collected.running[1]}”" if collected.running else ""
    if timed_out:
        return (
            Status.TIMEOUT,
            f"Your code was still running after {timeout:g} s{running}, so mlings stopped it. "
            "Look for a loop that never ends (a `while` whose condition never changes).",
            None,
        )
    if collected.load_error:
        error = collected.load_error
        return Status.ERROR, error["message"], Frame.from_event(error.get("frame"))
    if collected.collect_error is not None:
        return (
            Status.ERROR,
            "The checks for this exercise could not be loaded. This is a bug in mlings, not in "
            "your code; please report it.\n" + collected.collect_error,
            None,
        )
    if not collected.done:
        return Status.CRASHED, crash_message(returncode, running), None
    memory = next((c for c in collected.checks if c.exc_type == "MemoryError"), None)
    if memory:
        return Status.CRASHED, _memory_message(memory_mb, f" while checking “{memory.title}”"), None
    if not collected.checks:
        return Status.ERROR, "No checks ran for this exercise. This is a bug in mlings.", None
    if all(c.passed for c in collected.checks):
        return Status.PASSED, "", None
    return Status.FAILED, "", None


def _memory_message(memory_mb: int, running: str) -> str:
    return (
        f"Your code used more than the {memory_mb} MiB memory cap{running}. Look for a data "
        "structure that grows without end, or work on a smaller sample."
    )


def crash_message(returncode: int | None, running: str) -> str:
    """A sentence for a process that ended without finishing its checks."""
    if returncode is not None and returncode < 0:
        sig = -returncode
        if sig == signal.SIGSEGV:
            return (
                f"Python crashed with a segmentation fault{running}. This usually comes from "
                "native code misused (ctypes, a C extension) rather than from plain Python."
            )
        if sig == signal.SIGKILL:
            return f"The run was killed{running}, most likely for using too much memory."
        return f"The run died from {_signal_name(sig)}{running}."
    code = "" if returncode is None else f" with exit code {returncode}"
    return (
        f"The run stopped early{code}{running} before the checks finished. Something in your "
        "code ended the process (os._exit, or an exit the checks could not catch); remove it."
    )
