"""The learner's progress in ``.mlings/``: loaded, validated, saved atomically with a backup.

Every save writes ``state.json`` and then ``state.json.bak`` the same way (temp file, fsync,
rename), so at any moment at least one of them holds a complete state. A damaged file is recovered
from the backup and kept aside for inspection; if neither can be read, loading stops with a clear
message and touches nothing. Changes go through ``Store.update``, which holds a file lock so two
mlings processes (watch mode and ``mlings run`` in another terminal) never lose each other's work.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

STATE_DIR = ".mlings"
STATE_FILE = "state.json"
BACKUP_FILE = "state.json.bak"
LOCK_FILE = "lock"
FORMAT_VERSION = 1


class ProgressError(Exception):
    """The progress files cannot be read; the message says what to do."""


@dataclass
class Progress:
    """What the learner has done. ``done`` maps an exercise to the time it first passed.

    ``reopened`` holds exercises passed once and then reset: pending again, yet still counted
    for unlocking modules, so practising an old exercise never locks the learner out.
    """

    path: str = "complete"
    current: str | None = None
    done: dict[str, str] = field(default_factory=dict)
    hints: dict[str, int] = field(default_factory=dict)
    attempts: dict[str, int] = field(default_factory=dict)
    welcomed: bool = False
    reopened: dict[str, str] = field(default_factory=dict)

    def record_run(self, exercise: str, passed: bool, attempt: bool = True) -> bool:
        """Count an attempt; on a first pass mark it done. True if it is newly done."""
        if attempt:
            self.attempts[exercise] = self.attempts.get(exercise, 0) + 1
        if passed and exercise not in self.done:
            self.done[exercise] = datetime.now(UTC).isoformat(timespec="seconds")
            self.reopened.pop(exercise, None)
            return True
        return False

    def reopen(self, exercise: str) -> None:
        """A done exercise becomes pending again (after a reset); its unlocks stay."""
        if exercise in self.done:
            self.done.pop(exercise)
            self.reopened[exercise] = datetime.now(UTC).isoformat(timespec="seconds")

    def passed_once(self, exercise: str) -> bool:
        return exercise in self.done or exercise in self.reopened

    def to_json(self) -> str:
        return json.dumps({"format_version": FORMAT_VERSION, **asdict(self)}, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Progress:
        """Parse and validate; ValueError says what is wrong."""
        try:
            data = json.loads(text)
        except RecursionError:  # nested thousands deep: damaged (or hostile), like any bad JSON
            raise ValueError("the file is nested too deeply to be progress") from None
        if not isinstance(data, dict):
            raise ValueError("the file does not hold a JSON object")
        if data.get("format_version") != FORMAT_VERSION:
            raise ValueError(f"format_version must be {FORMAT_VERSION}")
        progress = cls(
            path=_typed(data, "path", str, "complete"),
            current=_typed(data, "current", (str, type(None)), None),
            done=_mapping(data, "done", str),
            hints=_mapping(data, "hints", int),
            attempts=_mapping(data, "attempts", int),
            welcomed=_typed(data, "welcomed", bool, False),
            reopened=_mapping(data, "reopened", str),
        )
        if any(v < 0 for v in (*progress.hints.values(), *progress.attempts.values())):
            raise ValueError("hint levels and attempts cannot be negative")
        return progress


def _typed(data: dict[str, Any], key: str, kind: Any, default: Any) -> Any:
    value = data.get(key, default)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ValueError(f"'{key}' has the wrong type")
    return value


def _mapping(data: dict[str, Any], key: str, kind: type) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict) or not all(
        isinstance(v, kind) and not (kind is int and isinstance(v, bool)) for v in value.values()
    ):
        raise ValueError(f"'{key}' must map exercise names to {kind.__name__} values")
    return dict(value)


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so that readers see the old or the new file, never half."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


class Store:
    """Reads and writes one course's progress under ``root/.mlings``."""

    def __init__(self, root: Path) -> None:
        self.folder = root / STATE_DIR
        self.state = self.folder / STATE_FILE
        self.backup = self.folder / BACKUP_FILE
        self.notice: str | None = None  # set when loading had to recover

    def _read(self, path: Path) -> Progress | None:
        """The progress in ``path``; None if it does not exist; ValueError if damaged."""
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as exc:
            raise ValueError(str(exc)) from exc
        return Progress.from_json(text)

    def load(self) -> Progress:
        """The saved progress (a fresh one the first time); recovers from the backup if needed."""
        try:
            progress = self._read(self.state)
            if progress is not None:
                return progress
            problem = "is missing"
        except ValueError as exc:
            problem = f"is damaged ({exc})"
        try:
            backup = self._read(self.backup)
        except ValueError as exc:
            raise ProgressError(
                f"Your progress file {self.state} {problem}, and its backup {self.backup} is "
                f"damaged too ({exc}). mlings changed nothing. Repair the file by hand, or move "
                "both away to start over: the next run begins fresh."
            ) from exc
        if backup is None:
            if problem == "is missing":
                return Progress()
            raise ProgressError(
                f"Your progress file {self.state} {problem} and there is no backup. mlings "
                "changed nothing. Repair the file by hand, or move it away to start over."
            )
        if self.state.exists():
            aside = self.state.with_name(f"{STATE_FILE}.damaged-{int(time.time())}")
            os.replace(self.state, aside)
            kept = f" The damaged file is kept as {aside.name}."
        else:
            kept = ""
        write_atomically(self.state, backup.to_json())
        self.notice = f"Your progress file {problem}; mlings restored it from its backup.{kept}"
        return backup

    def save(self, progress: Progress) -> None:
        """Write the state, then its backup, each atomically."""
        self.folder.mkdir(parents=True, exist_ok=True)
        text = progress.to_json()
        write_atomically(self.state, text)
        write_atomically(self.backup, text)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.folder.mkdir(parents=True, exist_ok=True)
        with (self.folder / LOCK_FILE).open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def update(self, change: Callable[[Progress], Any]) -> Progress:
        """Load the latest state, apply ``change`` and save it, under a lock."""
        with self._locked():
            progress = self.load()
            change(progress)
            self.save(progress)
            return progress
