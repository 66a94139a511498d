"""The app state: the course, the learner's progress and the engine, behind small methods.

The CLI (and later the watch loop) calls these and hands what they return to ``render``.
Problems the user can fix raise ``UserError`` with one sentence that says what to do.
"""

from __future__ import annotations

import contextlib
import difflib
import json
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mlings import content, originals
from mlings.course import CatalogError, Course, Exercise, Gate, NotInCourse, find_root, load_course
from mlings.dataset.manifest import MANIFEST, changed_files, read_manifest, restore_message
from mlings.progress import STATE_DIR, Progress, ProgressError, Store, write_atomically

if TYPE_CHECKING:  # the engine (and pytest with it) loads only when something runs
    from mlings.engine.results import CheckResult, RunResult
    from mlings.engine.runner import Engine, Job

MEMORY_ENV = "MLINGS_MEMORY_MB"
CATALOG_CACHE = "catalog.json"  # in STATE_DIR: info.toml as parsed, for quick start-ups
DATA_STAMP = "data-checked.json"  # sizes and times of data files found matching the MANIFEST
PLOTS_DIR = "plots"  # in STATE_DIR: the images each exercise's last run drew, a folder each


def _data_stamp(folder: Path) -> dict[str, list[int]]:
    """Size and modification time (ns) of MANIFEST and every file it lists."""
    names = [MANIFEST, *read_manifest(folder)]
    stamp = {}
    for name in names:
        try:
            info = (folder / name).stat()
        except OSError:
            continue
        stamp[name] = [info.st_size, info.st_mtime_ns]
    return stamp


class UserError(Exception):
    """Something the user can fix; the message is shown as is."""


@dataclass
class App:
    """One course opened from a folder."""

    course: Course
    store: Store
    progress: Progress
    engine_kind: str = "auto"
    _engine: Engine | None = field(default=None, repr=False)

    @classmethod
    def open(cls, root: str | Path | None = None, engine: str = "auto") -> App:
        """Find the course, validate info.toml, load progress; UserError on any problem."""
        try:
            found = find_root(root)
            course = load_course(found, cache=found / STATE_DIR / CATALOG_CACHE)
        except (NotInCourse, CatalogError) as exc:
            raise UserError(str(exc)) from exc
        store = Store(course.root)
        try:
            progress = store.load()
        except ProgressError as exc:
            raise UserError(str(exc)) from exc
        if progress.path not in course.paths:
            progress.path = "complete"
        originals.snapshot(course)
        return cls(course, store, progress, engine)

    def data_notice(self) -> str | None:
        """A sentence when the learner's data files no longer match the course's manifest.

        Hashing the data costs more than the rest of a quick command, so files whose size and
        modification time are those of the last clean check are trusted without hashing again.
        """
        folder = self.course.root / "data"
        if not (folder / MANIFEST).is_file():
            return None
        stamp_file = self.course.root / STATE_DIR / DATA_STAMP
        stamp = _data_stamp(folder)
        try:
            if json.loads(stamp_file.read_text(encoding="utf-8")) == stamp:
                return None
        except (OSError, ValueError):
            pass
        changed = changed_files(self.course.root)
        if changed:
            made_by_init = (self.course.root / STATE_DIR / content.RECORD).is_file()
            return restore_message(changed, workspace=made_by_init)
        with contextlib.suppress(OSError):  # a read-only course only loses the shortcut
            stamp_file.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(stamp_file, json.dumps(stamp))
        return None

    # --- reading ---------------------------------------------------------------------------
    @property
    def gate(self) -> Gate:
        progress = self.progress
        return Gate(
            self.course, progress.path, frozenset(progress.done), frozenset(progress.reopened)
        )

    def exercise(self, name: str | None) -> Exercise:
        """The named exercise, or the current one; UserError if unknown."""
        if name is None:
            return self.current()
        by_path = self.exercise_at(name)
        if by_path is not None:
            return by_path
        if name.endswith(".py") or "/" in name:
            raise UserError(
                f"{name} is not an exercise file of this course. `mlings list` shows them all."
            )
        try:
            return self.course.exercise(name)
        except KeyError as exc:
            close = exc.args[0]
            suggestion = f" Did you mean '{close}'?" if close else ""
            raise UserError(
                f"There is no exercise called '{name}'.{suggestion} `mlings list` shows them all."
            ) from exc

    def exercise_at(self, given: str) -> Exercise | None:
        """The exercise a path names (what tab completion gives), from here or the course root."""
        if not given.endswith(".py") and "/" not in given and os.sep not in given:
            return None
        candidates = {Path(given).resolve(), (self.course.root / given).resolve()}
        for exercise in self.course.exercises:
            if self.course.file(exercise.path).resolve() in candidates:
                return exercise
        return None

    def current(self) -> Exercise:
        """Where the learner is: the saved current exercise, else the first pending one."""
        gate = self.gate
        if self.progress.current:
            try:
                exercise = self.course.exercise(self.progress.current)
            except KeyError:
                exercise = None
            if exercise is not None and gate.unlocked(exercise):
                return exercise
        pending = gate.next_pending()
        return pending or gate.in_path()[-1]

    def unlocked(self, exercise: Exercise) -> Exercise:
        """``exercise`` itself; UserError saying what unlocks it when it is locked."""
        reason = self.gate.lock_reason(exercise)
        if reason:
            raise UserError(reason)
        return exercise

    def exercise_file(self, exercise: Exercise) -> Path:
        path = self.course.file(exercise.path)
        if not path.exists():
            raise UserError(
                f"The exercise file {exercise.path} is missing. Restore it with "
                f"`mlings reset {exercise.name}`."
            )
        return path

    def lesson(self, module_id: str) -> str:
        """The Markdown text of a module's lesson; UserError for an unknown module or none yet."""
        try:
            self.course.module(module_id)
        except KeyError:
            known = ", ".join(m.id for m in self.course.modules)
            message = f"There is no module '{module_id}'. The modules are: {known}."
            raise UserError(message) from None
        path = self.course.lesson_file(module_id)
        if not path.is_file():
            raise UserError(f"Module {module_id} has no lesson yet.")
        return path.read_text(encoding="utf-8")

    def solution_diff(self, exercise: Exercise) -> str:
        """The reference solution as a unified diff against the learner's file ("" if the same).

        UserError until the learner's version has passed once: the answer is a reward, not a hint.
        """
        if not self.progress.passed_once(exercise.name):
            raise UserError(
                f"The solution to '{exercise.name}' opens once your version passes. "
                f"Try `mlings hint {exercise.name}` instead."
            )
        theirs = self.course.file(exercise.path)
        try:
            reference = self.course.solution_file(exercise).read_text(encoding="utf-8")
        except OSError:
            raise UserError(
                f"This install of mlings has no reference solution for '{exercise.name}'. "
                "Reinstall mlings (`pip install --force-reinstall mlings`) to get it back."
            ) from None
        mine = theirs.read_text(encoding="utf-8") if theirs.exists() else ""
        lines = difflib.unified_diff(
            mine.splitlines(keepends=True),
            reference.splitlines(keepends=True),
            "your version",
            "reference solution",
        )
        return "".join(lines)

    def path_done(self) -> bool:
        return all(e.name in self.progress.done for e in self.gate.in_path())

    # --- running ---------------------------------------------------------------------------
    @property
    def engine(self) -> Engine:
        if self._engine is None:
            from mlings.engine.runner import open_engine

            self._engine = open_engine(self.engine_kind)
        return self._engine

    def warm_up(self) -> None:
        """Start the warm worker now, so it imports the libraries while the screen starts."""
        from mlings.engine.runner import WarmEngine

        if isinstance(self.engine, WarmEngine):
            self.engine.start()

    def job(
        self,
        exercise: Exercise,
        file: Path | None = None,
        env: dict[str, str] | None = None,
        keep_plots: bool = True,
    ) -> Job:
        """How to run ``exercise``; the images it draws are kept in ``.mlings/plots/<name>/``."""
        from mlings.engine.runner import Job

        plots = self.course.root / STATE_DIR / PLOTS_DIR / exercise.name if keep_plots else None
        return Job(
            name=exercise.name,
            exercise=file or self.exercise_file(exercise),
            check=self.course.check_file(exercise),
            root=self.course.root,
            timeout=exercise.timeout,
            memory_mb=int(os.environ.get(MEMORY_ENV, "2048")),
            env=env or {},
            plots=plots,
        )

    def run(
        self,
        exercise: Exercise,
        on_check: Callable[[CheckResult], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> RunResult:
        """Run one exercise's checks and record the attempt (a cancelled run raises Cancelled)."""
        result = self.engine.run(self.job(exercise), on_check, cancel)
        self.record(exercise, result)
        return result

    def run_all(
        self,
        exercises: list[Exercise],
        jobs: int,
        on_result: Callable[[RunResult], None] | None = None,
    ) -> Iterator[tuple[Exercise, RunResult]]:
        """Run many exercises in parallel; passes are recorded as they come."""
        from mlings.engine.results import RunResult
        from mlings.engine.runner import run_many

        runnable = [e for e in exercises if self.course.file(e.path).exists()]
        missing = [e for e in exercises if e not in runnable]
        results = run_many(self.engine, [self.job(e) for e in runnable], jobs, on_result)
        for exercise, result in zip(runnable, results, strict=True):
            self.record(exercise, result, attempt=False)
            yield exercise, result
        for exercise in missing:
            yield exercise, RunResult.missing(exercise.name, str(exercise.path))

    def run_graded(
        self,
        exercises: list[Exercise],
        folder: Path,
        env: dict[str, str],
        jobs: int,
        on_result: Callable[[RunResult], None] | None = None,
    ) -> list[tuple[Exercise, RunResult]]:
        """Run graded deliverables from ``folder`` (a missing file is a run that earns nothing).

        Grading records no progress and keeps no plots: a grade is a measurement, not an attempt.
        """
        from mlings.engine.results import RunResult
        from mlings.engine.runner import run_many

        runnable = [e for e in exercises if (folder / e.file).is_file()]
        work = [self.job(e, folder / e.file, env, keep_plots=False) for e in runnable]
        results = dict(zip(runnable, run_many(self.engine, work, jobs, on_result), strict=True))
        return [
            (e, results.get(e) or RunResult.missing(e.name, str(folder / e.file)))
            for e in exercises
        ]

    def record(self, exercise: Exercise, result: RunResult, attempt: bool = True) -> None:
        """Save the outcome at once, so a pass is never lost."""

        self.progress = self._save(
            lambda progress: progress.record_run(exercise.name, result.passed, attempt)
        )

    def _save(self, change: Callable[[Progress], None]) -> Progress:
        """Apply ``change`` to the saved progress; UserError (saying so) when it can't be saved."""
        try:
            return self.store.update(change)
        except OSError as exc:
            raise UserError(
                f"mlings can't save your progress in {self.store.folder} ({exc.strerror or exc}). "
                "Make that folder writable (or remove it to start afresh), then run again. This "
                "last result was not saved."
            ) from exc

    # --- changing state --------------------------------------------------------------------
    def set_current(self, exercise: Exercise) -> None:
        def change(progress: Progress) -> None:
            progress.current = exercise.name

        self.progress = self._save(change)

    def reveal_hint(self, exercise: Exercise, all_hints: bool = False) -> int:
        """Raise the exercise's hint level by one (or to the last); returns the new level."""
        total = len(exercise.hints)

        def change(progress: Progress) -> None:
            level = progress.hints.get(exercise.name, 0)
            progress.hints[exercise.name] = total if all_hints else min(total, level + 1)

        self.progress = self._save(change)
        return self.progress.hints[exercise.name]

    def mark_welcomed(self) -> None:
        def change(progress: Progress) -> None:
            progress.welcomed = True

        self.progress = self._save(change)

    def choose_path(self, name: str) -> None:
        if name not in self.course.paths:
            known = ", ".join(sorted(self.course.paths))
            raise UserError(f"There is no learning path '{name}'. The paths are: {known}.")

        def change(progress: Progress) -> None:
            progress.path = name
            progress.current = None

        self.progress = self._save(change)

    def reset(self, exercise: Exercise) -> Path | None:
        """Restore the original file and mark the exercise pending; where the old one was kept."""
        try:
            kept = originals.reset(self.course, exercise)
        except FileNotFoundError as exc:
            raise UserError(
                f"mlings has no original copy of {exercise.path} (it keeps one from the first "
                "time it sees a file). Get the file again from the course repository."
            ) from exc
        self.progress = self._save(lambda progress: progress.reopen(exercise.name))
        return kept

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close()
