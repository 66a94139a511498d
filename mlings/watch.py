"""Watch mode: saves, keys and run results arrive as events on one queue; the loop redraws.

Three threads feed the queue: the file watcher (the exercises folder, not the file: editors save
by renaming), the key reader, and the run in progress (streaming each check as it finishes).
The loop itself is the only one that changes state or draws. Keys pressed while a run is in
progress wait for its verdict, so ``n`` is never applied to a stale result. A save cancels a run
still in progress and starts a fresh one, so a burst of saves ends in one verdict, on the last.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import watchfiles
from rich.console import Console

from mlings import render
from mlings.app import App, UserError
from mlings.course import Exercise
from mlings.engine.results import CheckResult, RunResult, Status
from mlings.engine.runner import Cancelled
from mlings.terminal import KeyReader, single_keys

STEP_MS = 10  # watchfiles waits this long for more changes before it reports a batch
POLL_SECONDS = 1.0  # how often the loop looks for saves the watcher missed
IMMEDIATE_KEYS = {"q", "h"}  # the rest wait for a run in progress to finish
LIVE_REDRAW = 0.1  # seconds between redraws for checks finishing during a run


@dataclass
class Screen:
    """What the loop shows; ``render.watch_screen`` draws it."""

    exercise: Exercise
    result: RunResult | None = None
    running: bool = False
    live: list[CheckResult] = field(default_factory=list)
    mode: str = "main"  # main, list, confirm_reset, summary
    cursor: int = 0
    notes: list[str] = field(default_factory=list)
    summary: list[tuple[Exercise, RunResult]] = field(default_factory=list)
    checking_all: tuple[int, int] | None = None
    welcome: str = ""


class FileWatcher:
    """Watches the exercises folder and reports changes to one file at a time."""

    def __init__(self, folder: Path, on_change: Any) -> None:
        self._folder = folder
        self._on_change = on_change
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="mlings-watch", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)

    def _loop(self) -> None:
        for changes in watchfiles.watch(
            self._folder,
            step=STEP_MS,
            stop_event=self._stop,
            raise_interrupt=False,
            ignore_permission_denied=True,
        ):
            self._on_change({Path(path) for _, path in changes})


class WatchLoop:
    """The interactive session on one course."""

    def __init__(self, app: App, console: Console, manual: bool = False) -> None:
        self.app = app
        self.console = console
        self.manual = manual
        self.events: queue.Queue[tuple[str, Any]] = queue.Queue()
        self.screen = Screen(app.current())
        self.screen.notes = [n for n in (app.store.notice, app.data_notice()) if n]
        self.deferred: list[str] = []
        self.rerun = False
        self.saw_save = False
        self.suggested_manual = False
        self.quit = False
        self.drawn_at = 0.0
        self.run_id = 0
        self.cancel = threading.Event()
        self.done_before: set[str] = set(app.progress.done)
        self.last_stat = self._stat()

    # --- the loop -------------------------------------------------------------------------
    def run(self) -> None:
        """Run until the learner quits; the terminal is restored whatever happens."""
        if not self.app.progress.welcomed and self.app.course.welcome_message:
            self.screen.welcome = self.app.course.welcome_message
            self.app.mark_welcomed()
        watcher = None
        if not self.manual:
            watcher = FileWatcher(self.app.course.root / "exercises", self._on_files)
            watcher.start()
        keys = KeyReader(lambda key: self.events.put(("key", key)))
        with single_keys():
            keys.start()
            try:
                self.start_run()
                while not self.quit:
                    try:
                        kind, value = self.events.get(timeout=POLL_SECONDS)
                    except queue.Empty:
                        self.poll()
                        continue
                    self.handle(kind, value)
            finally:
                keys.stop()
                if watcher is not None:
                    watcher.stop()
        self.console.print("Bye! Your progress is saved. Run `mlings` to continue.")

    def handle(self, kind: str, value: Any) -> None:
        """Apply one event, then redraw."""
        if kind == "save":
            self.saw_save = True
            if self.screen.checking_all is not None:
                self.rerun = True
            else:
                self.start_run()  # a newer save supersedes a run in progress
            return
        if kind == "check":
            run_id, check = value
            if run_id == self.run_id:
                self.screen.live.append(check)
            if time.monotonic() - self.drawn_at < LIVE_REDRAW:
                return  # the verdict follows soon and is always drawn
        elif kind == "result":
            run_id, exercise, result = value
            if run_id != self.run_id:
                return
            self.finish_run(exercise, result)
        elif kind == "checked_one":
            done, total = self.screen.checking_all or (0, 0)
            self.screen.checking_all = (done + 1, total)
            if time.monotonic() - self.drawn_at < LIVE_REDRAW:
                return
        elif kind == "checked_all":
            self.finish_check_all(value)
        elif kind == "key":
            if self.busy and value not in IMMEDIATE_KEYS:
                self.deferred.append(value)
            else:
                self.key(value)
                if self.quit:
                    return
        self.draw()

    @property
    def busy(self) -> bool:
        return self.screen.running or self.screen.checking_all is not None

    def draw(self) -> None:
        """Redraw the whole screen, written to the terminal in one go."""
        with self.console:
            self.console.clear()
            render.watch_screen(self.console, self.app, self.screen, self.manual)
        self.drawn_at = time.monotonic()

    # --- runs -----------------------------------------------------------------------------
    def _stat(self) -> tuple[int, int] | None:
        try:
            info = self.app.course.file(self.screen.exercise.path).stat()
        except OSError:
            return None
        return info.st_mtime_ns, info.st_size

    def _on_files(self, paths: set[Path]) -> None:
        target = self.app.course.file(self.screen.exercise.path).resolve()
        if any(path.resolve() == target for path in paths):
            self.events.put(("save", None))

    def start_run(self) -> None:
        """Check the current exercise in a thread, cancelling any run still in progress."""
        self.cancel.set()
        self.cancel = threading.Event()
        self.run_id += 1
        run_id, cancel, exercise = self.run_id, self.cancel, self.screen.exercise
        self.rerun = False
        self.done_before = set(self.app.progress.done)
        self.last_stat = self._stat()
        self.screen.running = True
        self.screen.live = []
        self.screen.mode = "main" if self.screen.mode == "summary" else self.screen.mode

        def work() -> None:
            try:
                result = self.app.run(
                    exercise, lambda check: self.events.put(("check", (run_id, check))), cancel
                )
            except Cancelled:
                return
            except UserError as exc:  # the file is gone
                result = RunResult(exercise.name, Status.ERROR, message=str(exc))
            self.events.put(("result", (run_id, exercise, result)))

        threading.Thread(target=work, name="mlings-run", daemon=True).start()
        self.draw()  # after the start: the run doesn't wait for the screen

    def finish_run(self, exercise: Exercise, result: RunResult) -> None:
        self.screen.running = False
        if exercise != self.screen.exercise:
            return
        self.screen.result = result
        if result.passed and exercise.name not in self.done_before:
            for module in self.app.gate.newly_unlocked(self.done_before):
                self.screen.notes.append(f"🔓 Module {module.id} · {module.title} is unlocked!")
            if self.app.path_done():
                self.screen.welcome = self.app.course.final_message
                self.check_all()
                return
        self.apply_deferred()

    def apply_deferred(self) -> None:
        """Show the verdict, then the keys pressed while it was being reached, in order."""
        pending, self.deferred = self.deferred, []
        for key in pending:
            self.draw()
            self.key(key)

    def check_all(self) -> None:
        exercises = list(self.app.gate.in_path())
        self.screen.checking_all = (0, len(exercises))
        jobs = os.cpu_count() or 1

        def work() -> None:
            results = list(
                self.app.run_all(exercises, jobs, lambda _: self.events.put(("checked_one", None)))
            )
            self.events.put(("checked_all", results))

        threading.Thread(target=work, name="mlings-check-all", daemon=True).start()

    def finish_check_all(self, results: list[tuple[Exercise, RunResult]]) -> None:
        self.screen.checking_all = None
        self.screen.summary = results
        self.screen.mode = "summary"
        if self.rerun:  # the exercise was saved while everything was being checked
            self.start_run()
            return
        self.apply_deferred()

    def poll(self) -> None:
        """Catch a save the watcher missed (some file systems send no events)."""
        if self.manual or self.busy:
            return
        stat = self._stat()
        if stat is not None and stat != self.last_stat and time.time_ns() - stat[0] > 5e8:
            if not self.suggested_manual:
                self.suggested_manual = True
                self.screen.notes.append(
                    "Your save reached mlings late: file watching seems not to work here. "
                    "If saves are missed, run `mlings watch --manual` and press r after saving."
                )
            self.start_run()

    # --- keys -----------------------------------------------------------------------------
    def key(self, key: str) -> None:
        """Apply one keypress in the current mode."""
        self.screen.welcome = ""
        mode = self.screen.mode
        if mode == "confirm_reset":
            self.screen.mode = "main"
            if key == "y":
                kept = self.app.reset(self.screen.exercise)
                note = f"Restored {self.screen.exercise.path} to its original state."
                if kept is not None:
                    note += f" Your version is kept at {kept.relative_to(self.app.course.root)}."
                self.screen.notes.append(note)
                if self.manual:
                    self.start_run()
            else:
                self.screen.notes.append("Reset cancelled.")
            return
        if mode == "list":
            self.list_key(key)
            return
        if mode == "summary" and key not in ("q", "h"):
            self.screen.mode = "main"
        actions = {
            "q": self.do_quit,
            "h": self.do_hint,
            "n": self.do_next,
            "l": self.do_list,
            "c": self.check_all,
            "r": self.do_rerun,
            "x": self.do_reset,
        }
        action = actions.get(key)
        if action is not None:
            self.screen.notes = []
            action()

    def do_quit(self) -> None:
        self.quit = True

    def do_hint(self) -> None:
        exercise = self.screen.exercise
        level = self.app.progress.hints.get(exercise.name, 0)
        if level >= len(exercise.hints):
            self.screen.notes.append("That was the last hint.")
        else:
            self.app.reveal_hint(exercise)

    def do_next(self) -> None:
        exercise = self.screen.exercise
        if exercise.name not in self.app.progress.done:
            self.screen.notes.append("Pass this exercise first; then n moves on.")
            return
        following = self.app.gate.next_pending(exercise)
        if following is None:
            self.screen.notes.append("Every exercise in your path is done. c checks them all.")
            return
        self.go_to(following)

    def go_to(self, exercise: Exercise) -> None:
        self.app.set_current(exercise)
        self.screen.exercise = exercise
        self.screen.result = None
        self.start_run()

    def do_list(self) -> None:
        exercises = list(self.app.course.exercises)
        self.screen.mode = "list"
        self.screen.cursor = exercises.index(self.screen.exercise)

    def do_rerun(self) -> None:
        if not self.manual and not self.saw_save and not self.suggested_manual:
            self.suggested_manual = True
            self.screen.notes.append(
                "No save has reached mlings yet. If saving doesn't start a check, your file "
                "system may not report changes: try `mlings watch --manual`."
            )
        self.start_run()

    def do_reset(self) -> None:
        self.screen.mode = "confirm_reset"

    def list_key(self, key: str) -> None:
        exercises = list(self.app.course.exercises)
        if key in ("down", "j"):
            self.screen.cursor = min(len(exercises) - 1, self.screen.cursor + 1)
        elif key in ("up", "k"):
            self.screen.cursor = max(0, self.screen.cursor - 1)
        elif key in ("l", "q", "escape"):
            self.screen.mode = "main"
        elif key == "enter":
            chosen = exercises[self.screen.cursor]
            reason = self.app.gate.lock_reason(chosen)
            if reason:
                self.screen.notes = [reason]
                return
            self.screen.mode = "main"
            self.screen.notes = []
            self.go_to(chosen)
