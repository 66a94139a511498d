"""Watch mode: a full-screen Textual app that checks the current exercise on every save.

Everything that changes the session happens on the app's event loop, one thing at a time: the
file watcher, the run in progress (streaming each check as it finishes) and check-all hand their
news to the loop, and keys arrive there too. Keys that act on the verdict (``n``, ``l``, ``c``,
``r``, ``x``, ``s``, ``p``) wait while a run is in progress and are applied, in order, to its
verdict; ``q``, ``h``, ``f`` and ``m`` act at once. A save cancels a run still in progress and
starts a fresh one, so a burst of saves ends in one verdict, on the last.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import watchfiles
from textual.app import App as TextualApp
from textual.binding import Binding
from textual.message import Message
from textual.timer import Timer

from mlings.app import App, UserError
from mlings.course import Exercise
from mlings.engine.results import CheckResult, RunResult, Status
from mlings.engine.runner import Cancelled
from mlings.tui.check_all import CheckAllScreen
from mlings.tui.exercise import ExerciseScreen, View
from mlings.tui.listing import ListScreen
from mlings.tui.pages import (
    ConfirmScreen,
    LessonScreen,
    MessageScreen,
    PlotScreen,
    SolutionScreen,
    prepare_images,
)

STEP_MS = 10  # watchfiles waits this long for more changes before it reports a batch
POLL_SECONDS = 1.0  # how often the app looks for saves the watcher missed
LIVE_REDRAW = 0.1  # seconds between redraws for checks finishing during a run
DEFERRED = {"next", "list", "check_all", "rerun", "reset", "solution", "plots"}


class FileWatcher:
    """Watches the exercises folder (editors save by renaming) and reports changed paths."""

    def __init__(self, folder: Path, on_change: Callable[[set[Path]], None]) -> None:
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


class Deliver(Message):
    """News from another thread (the watcher, a run, check-all) for the event loop."""

    def __init__(self, callback: Callable[..., Any], args: tuple[Any, ...]) -> None:
        super().__init__()
        self.callback = callback
        self.args = args


class WatchApp(TextualApp[None]):
    """The interactive session on one course."""

    TITLE = "mlings"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [  # noqa: RUF012 (Textual's own declaration style)
        Binding("ctrl+c", "quit", "quit", show=False, priority=True),
    ]

    def __init__(self, app: App, manual: bool = False) -> None:
        super().__init__()
        self.theme = "ansi-dark"  # the terminal's own colours, and far less to send per frame
        self.course_app = app
        self.manual = manual
        self.view = View(app.current())
        self.view.notes = [n for n in (app.store.notice, app.data_notice()) if n]
        self.deferred: list[str] = []
        self.replaying = False
        self.live_timer: Timer | None = None
        self.rerun_after_check_all = False
        self.saw_save = False
        self.suggested_manual = False
        self.run_id = 0
        self.cancel = threading.Event()
        self.done_before: set[str] = set(app.progress.done)
        self.last_stat = self._stat()
        self.checking_all: CheckAllScreen | None = None
        self.offered_lesson: str | None = None
        self._watcher: FileWatcher | None = None
        self.exercise_screen = ExerciseScreen(app, self.view, manual)

    # --- life cycle -------------------------------------------------------------------------
    def on_mount(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGHUP):  # leave like q does: the terminal is restored
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, self.exit)
        if not self.manual:
            self._watcher = FileWatcher(self.course_app.course.root / "exercises", self._on_files)
            self._watcher.start()
        self.set_interval(POLL_SECONDS, self.poll)
        self.start_run()
        course = self.course_app.course
        if not self.course_app.progress.welcomed and course.welcome_message:
            self.course_app.mark_welcomed()
            prompt = "Press any key to begin."
            self.push_screen(
                MessageScreen(course.welcome_message, prompt, self.exercise_screen.press)
            )

    def get_default_screen(self) -> ExerciseScreen:
        return self.exercise_screen

    def on_unmount(self) -> None:
        self.cancel.set()
        if self._watcher is not None:
            self._watcher.stop()

    def soon(self, callback: Callable[..., Any], *args: Any) -> None:
        """Hand ``callback(*args)`` from another thread to the event loop (never blocks)."""
        self.post_message(Deliver(callback, args))  # thread-safe; handled in order

    def on_deliver(self, message: Deliver) -> None:
        message.callback(*message.args)

    @property
    def busy(self) -> bool:
        return self.view.running or self.checking_all is not None

    # --- runs ---------------------------------------------------------------------------------
    def _stat(self) -> tuple[int, int] | None:
        try:
            info = self.course_app.course.file(self.view.exercise.path).stat()
        except OSError:
            return None
        return info.st_mtime_ns, info.st_size

    def _on_files(self, paths: set[Path]) -> None:
        """Called on the watcher's thread."""
        target = self.course_app.course.file(self.view.exercise.path).resolve()
        if any(path.resolve() == target for path in paths):
            self.soon(self.on_save)

    def on_save(self) -> None:
        self.saw_save = True
        if self.checking_all is not None:
            self.rerun_after_check_all = True
        else:
            self.start_run()  # a newer save supersedes a run in progress

    def start_run(self) -> None:
        """Check the current exercise in a thread, cancelling any run still in progress."""
        self.cancel.set()
        self.cancel = threading.Event()
        self.run_id += 1
        run_id, cancel, exercise = self.run_id, self.cancel, self.view.exercise
        self.rerun_after_check_all = False
        self.done_before = set(self.course_app.progress.done)
        self.last_stat = self._stat()
        self.view.running = True
        self.view.live = []
        self.exercise_screen.refresh_view()

        def on_check(check: CheckResult) -> None:
            self.soon(self.on_check, run_id, check)

        def work() -> None:
            try:
                result = self.course_app.run(exercise, on_check, cancel)
            except Cancelled:
                return
            except UserError as exc:  # the file is gone
                result = RunResult(exercise.name, Status.ERROR, message=str(exc))
            self.soon(self.on_result, run_id, exercise, result)

        threading.Thread(target=work, name="mlings-run", daemon=True).start()

    def on_check(self, run_id: int, check: CheckResult) -> None:
        """One more check finished: drawn at most every LIVE_REDRAW s (the verdict follows)."""
        if run_id != self.run_id:
            return
        self.view.live.append(check)
        if self.live_timer is None:
            self.live_timer = self.set_timer(LIVE_REDRAW, self.show_live)

    def show_live(self) -> None:
        self.live_timer = None
        self.exercise_screen.refresh_view()

    def on_result(self, run_id: int, exercise: Exercise, result: RunResult) -> None:
        if run_id != self.run_id:
            return
        self.view.running = False
        if exercise != self.view.exercise:
            return
        self.view.result = result
        self.exercise_screen.refresh_view()
        if result.passed and exercise.name not in self.done_before:
            unlocked = self.course_app.gate.newly_unlocked(self.done_before)
            for module in unlocked:
                self.view.notes.append(
                    f"🔓 Module {module.id} · {module.title} is unlocked! m opens its lesson."
                )
                self.offered_lesson = module.id
            if self.course_app.path_done():
                self.check_all(final=True)
                return
        self.exercise_screen.refresh_view()
        self.replay_deferred()

    def replay_deferred(self) -> None:
        """Once the verdict is on screen, apply the keys pressed while it was being reached."""
        if self.deferred:
            self.replaying = True  # keys pressed meanwhile queue behind them
            self.call_after_refresh(self.apply_deferred)

    def apply_deferred(self) -> None:
        """Apply the keys pressed while the verdict was being reached, in order."""
        self.replaying = False
        pending, self.deferred = self.deferred, []
        for action in pending:
            self.act(action)

    def act(self, action: str) -> None:
        """Run a deferrable action now, or queue it until the run in progress has its verdict."""
        if self.busy or self.replaying:
            self.deferred.append(action)
            return
        if self.screen is not self.exercise_screen:
            return  # a key meant for the exercise, pressed before another view opened
        self.view.notes = []
        getattr(self, f"do_{action}")()
        self.exercise_screen.refresh_view()

    def check_all(self, final: bool = False) -> None:
        """Check every unlocked exercise of the path in parallel; the results stay on screen."""
        gate = self.course_app.gate
        exercises = [e for e in gate.in_path() if gate.unlocked(e)]
        locked = len(gate.in_path()) - len(exercises)
        screen = CheckAllScreen(len(exercises), locked)
        self.checking_all = screen
        self.push_screen(screen, self.after_check_all)
        if final:
            message = self.course_app.course.final_message
            self.push_screen(MessageScreen(message, "Press any key to see every check."))
            # the key that closes it is not passed on: the results view is under it
        jobs = os.cpu_count() or 1

        def work() -> None:
            results = list(
                self.course_app.run_all(
                    exercises, jobs, lambda run: self.soon(screen.one_done, run)
                )
            )
            self.soon(self.finish_check_all, screen, results)

        threading.Thread(target=work, name="mlings-check-all", daemon=True).start()

    def finish_check_all(
        self, screen: CheckAllScreen, results: list[tuple[Exercise, RunResult]]
    ) -> None:
        self.checking_all = None
        screen.show_results(results)
        if self.rerun_after_check_all:  # the exercise was saved while everything was checked
            self.start_run()
        else:
            self.exercise_screen.refresh_view()

    def after_check_all(self, chosen: Exercise | None) -> None:
        """The results view was dismissed, maybe with an exercise to open."""
        self.replay_deferred()
        if chosen is not None and chosen != self.view.exercise:
            self.go_to(chosen)

    def poll(self) -> None:
        """Catch a save the watcher missed (some file systems send no events)."""
        if self.manual or self.busy or not self.is_running:  # not while the app closes
            return
        stat = self._stat()
        if stat is not None and stat != self.last_stat and time.time_ns() - stat[0] > 5e8:
            if not self.suggested_manual:
                self.suggested_manual = True
                self.view.notes.append(
                    "Your save reached mlings late: file watching seems not to work here. "
                    "If saves are missed, run `mlings watch --manual` and press r after saving."
                )
            self.start_run()

    # --- what the keys do -------------------------------------------------------------------
    def note(self, text: str) -> None:
        self.view.notes.append(text)
        self.exercise_screen.refresh_view()

    def do_hint(self) -> None:
        exercise = self.view.exercise
        level = self.course_app.progress.hints.get(exercise.name, 0)
        self.view.notes = []
        if level >= len(exercise.hints):
            self.view.notes.append(
                "That was the last hint. After a pass, s shows the reference solution."
            )
        else:
            self.course_app.reveal_hint(exercise)
        self.view.hints_open = True
        self.exercise_screen.refresh_view()

    def do_fold(self) -> None:
        self.view.hints_open = not self.view.hints_open
        self.exercise_screen.refresh_view()

    def do_next(self) -> None:
        exercise = self.view.exercise
        if exercise.name not in self.course_app.progress.done:
            self.view.notes.append("Pass this exercise first; then n moves on.")
            return
        following = self.course_app.gate.next_pending(exercise)
        if following is None:
            self.view.notes.append("Every exercise in your path is done. c checks them all.")
            return
        self.go_to(following)

    def go_to(self, exercise: Exercise) -> None:
        self.course_app.set_current(exercise)
        self.view.exercise = exercise
        self.view.result = None
        self.view.notes = []
        self.view.hints_open = False
        self.start_run()

    def do_list(self) -> None:
        self.push_screen(ListScreen(self.course_app, self.view.exercise), self.after_list)

    def after_list(self, chosen: Exercise | None) -> None:
        if chosen is not None and chosen != self.view.exercise:
            self.go_to(chosen)

    def do_check_all(self) -> None:
        self.check_all()

    def do_rerun(self) -> None:
        if not self.manual and not self.saw_save and not self.suggested_manual:
            self.suggested_manual = True
            self.view.notes.append(
                "No save has reached mlings yet. If saving doesn't start a check, your file "
                "system may not report changes: try `mlings watch --manual`."
            )
        self.start_run()

    def do_reset(self) -> None:
        exercise = self.view.exercise
        question = (
            f"Reset {exercise.name} to its original state? Your version is kept as a backup.\n\n"
            "Press y to reset, any other key to cancel."
        )
        self.push_screen(ConfirmScreen(question), self.after_reset_question)

    def after_reset_question(self, yes: bool | None) -> None:
        if not yes:
            self.note("Reset cancelled.")
            return
        self.note(self.reset(self.view.exercise))
        if self.manual:
            self.start_run()

    def reset(self, exercise: Exercise) -> str:
        """Restore an exercise's file; the sentence that says what happened."""
        try:
            kept = self.course_app.reset(exercise)
        except UserError as exc:
            return str(exc)
        note = f"Restored {exercise.path} to its original state."
        if kept is not None:
            note += f" Your version is kept at {kept.relative_to(self.course_app.course.root)}."
        return note

    def do_lesson(self) -> None:
        module = self.offered_lesson or self.view.exercise.module
        self.offered_lesson = None
        try:
            text = self.course_app.lesson(module)
        except UserError as exc:
            self.note(str(exc))
            return
        self.push_screen(LessonScreen(module, text))

    def do_solution(self) -> None:
        exercise = self.view.exercise
        try:
            diff = self.course_app.solution_diff(exercise)
        except UserError:
            self.view.notes.append("The reference solution opens once your version passes.")
            return
        full = self.course_app.course.solution_file(exercise)
        self.push_screen(SolutionScreen(exercise.name, diff, full, self.course_app.course.root))

    def do_plots(self) -> None:
        plots = [Path(p) for p in self.view.plots]
        if not plots:
            self.view.notes.append("This exercise has drawn no plot yet.")
            return
        self.push_screen(PlotScreen(plots, self.course_app.course.root))


def run_watch(app: App, manual: bool = False) -> None:
    """Run watch mode until the learner quits; the terminal is restored whatever happens."""
    prepare_images()
    WatchApp(app, manual).run()
