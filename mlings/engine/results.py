"""What a check run produced: one status per run, one result per check.

The engine turns the child's event stream and its exit into a ``RunResult``; nothing here runs code
or draws anything.
"""

from __future__ import annotations

import re
import signal
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

# Terminal control sequences (CSI, OSC, DCS/APC/PM/SOS strings, two-byte ESC forms) and the
# other control characters: learner text is shown, never obeyed (no clear screen, no title).
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor, clear screen, alternate screen
    r"|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC (window title, links), DCS, APC...
    r"|\x1b[ -/]*[0-~]?"  # other escapes: ESC 7 (save cursor), ESC c (reset), ESC ( B
    # (character set), each whole; and a lone ESC
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"  # every other control character but tab and newline
    r"|[\ud800-\udfff]"  # lone surrogates: no encoding can write them
)
MAX_LINE = 400  # characters of a source line shown in a code frame


def clean_text(text: str, keep_lines: bool = True) -> str:
    """``text`` without terminal escapes or control characters (tabs and newlines stay)."""
    cleaned = _ESCAPES.sub("", text.replace("\r\n", "\n"))
    return cleaned if keep_lines else cleaned.replace("\n", " ")


def _line(text: str) -> str:
    text = clean_text(text, keep_lines=False)
    return text if len(text) <= MAX_LINE else text[:MAX_LINE] + " …"


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
        source = tuple((int(n), _line(str(text))) for n, text in data.get("source", ()))
        return cls(str(data["path"]), int(data["line"]), _line(str(data["function"])), source)


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
    shown_bytes: int | None = None  # bytes of the output ``text`` came from (None: all of it)

    @property
    def truncated(self) -> bool:
        shown = len(self.text.encode()) if self.shown_bytes is None else self.shown_bytes
        return self.total_bytes > shown


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


TAMPERED = (
    "Your code changed how the checks run (mlings' plugin, pytest's test runner or the checks "
    "themselves), so no check can count. Solve the exercise instead."
)
NEVER_RAN = (
    "This check never ran: the run stopped before it (pytest.exit, KeyboardInterrupt or an exit "
    "from your code)."
)
TWICE = "This check reported more than once, so its result can't be trusted."


@dataclass
class Collector:
    """Folds the plugin's events into check results as they arrive.

    Only events stamped with the run's nonce get here. A check passes only if it reported exactly
    once, passed, and no phase of it (set-up, call, tear-down) failed or was skipped.
    """

    checks: list[CheckResult] = field(default_factory=list)
    running: tuple[str, str] | None = None  # (id, title) of the check in progress
    load_error: dict[str, Any] | None = None
    collect_error: str | None = None
    done: bool = False
    tampered: bool = False
    clean: bool = False  # the child ended its own processes and said so
    exitcode: int | None = None  # pytest's exit code, as the child reported it
    phases: dict[str, list[str]] = field(default_factory=dict)  # outcomes per check id
    missing: tuple[str, ...] = ()

    def add(self, event: dict[str, Any]) -> CheckResult | None:
        """Record one event; returns the check result it completed, if any."""
        kind = event.get("event")
        if kind == "start":
            self.running = (str(event["id"]), clean_text(str(event["title"]), keep_lines=False))
        elif kind == "phase":
            self.phases.setdefault(str(event["id"]), []).append(str(event.get("outcome")))
        elif kind == "result":
            self.running = None
            ident = str(event["id"])
            phases = self.phases.get(ident, [])
            passed = (
                event.get("outcome") == "passed"
                and bool(phases)
                and all(outcome == "passed" for outcome in phases)
            )
            message = clean_text(str(event.get("message") or ""))
            if any(c.id == ident for c in self.checks):
                self.checks = [c for c in self.checks if c.id != ident]
                passed, message = False, TWICE
            result = CheckResult(
                id=ident,
                title=clean_text(str(event["title"]), keep_lines=False),
                passed=passed,
                message=message,
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
            self._tamper(bool(event.get("tampered")))
        elif kind == "clean":
            self.clean = True
            self.exitcode = event.get("exitcode")
            self._tamper(bool(event.get("tampered")))
        return None

    def _tamper(self, tampered: bool) -> None:
        """Once the run says its code changed how checks run, no check of it counts."""
        if tampered:
            self.tampered = True
            self.checks = [
                CheckResult(c.id, c.title, False, TAMPERED, None, "Tampered", c.points)
                for c in self.checks
            ]

    def finish(self, expected: tuple[str, ...]) -> None:
        """Add a failed result for each expected check that never reported."""
        reported = {c.id.split("::")[-1].split("[")[0] for c in self.checks}
        self.missing = tuple(name for name in expected if name not in reported)
        if not self.done or self.load_error is not None or self.collect_error is not None:
            return
        for name in self.missing:
            title = name.removeprefix("test_").replace("_", " ")
            self.checks.append(CheckResult(id=name, title=title, passed=False, message=NEVER_RAN))


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
        if error.get("kind") == "memory":  # out of memory is a crash, at import or in a check
            return Status.CRASHED, _memory_message(memory_mb, " while your file was imported"), None
        message = clean_text(str(error.get("message", "")))
        return Status.ERROR, message, Frame.from_event(error.get("frame"))
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
    if collected.tampered:
        return Status.FAILED, TAMPERED, None
    if collected.missing:
        count = len(collected.missing)
        return (
            Status.FAILED,
            f"{count} check{'s' if count > 1 else ''} never ran: the run stopped before "
            f"{'they' if count > 1 else 'it'} could (pytest.exit, KeyboardInterrupt or an exit "
            "from your code). Every check must run and pass.",
            None,
        )
    if not all(c.passed for c in collected.checks):
        return Status.FAILED, "", None
    if returncode != 0:  # every check passed, but the process did not end the way pytest ends
        return Status.CRASHED, crash_message(returncode, ""), None
    return Status.PASSED, "", None


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
