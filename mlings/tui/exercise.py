"""The exercise view: status, checklist, first failure, hints, progress and keys on one screen.

Every pane has a fixed share of the screen and scrolls inside it, so at 80x24 the title, the
checklist, the first failure, the progress bar and the key line are always in sight.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Collapsible, Static

from mlings import render
from mlings.course import Exercise
from mlings.engine.results import CheckResult, RunResult

if TYPE_CHECKING:
    from mlings.app import App
    from mlings.watch import WatchApp


@dataclass
class View:
    """What the exercise view shows; the watch app changes it, ``ExerciseScreen`` draws it."""

    exercise: Exercise
    result: RunResult | None = None
    running: bool = False
    live: list[CheckResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    hints_open: bool = False

    @property
    def passed(self) -> bool:
        return self.result is not None and self.result.passed and not self.running

    @property
    def plots(self) -> tuple[str, ...]:
        return self.result.plots if self.result is not None else ()


KEYS = (  # key, label, action, shown only when
    ("h", "hint", "hint", None),
    ("n", "next", "next", "passed"),
    ("l", "list", "list", None),
    ("c", "check all", "check_all", None),
    ("r", "rerun", "rerun", None),
    ("x", "reset", "reset", None),
    ("m", "lesson", "lesson", None),
    ("s", "solution", "solution", "passed"),
    ("p", "plots", "plots", "plots"),
    ("f", "fold hints", "fold", "hints"),
    ("q", "quit", "quit", None),
)


def key_line(view: View, hints: int) -> Text:
    """The keys the view answers to; those that need a pass are dim until there is one."""
    line = Text()
    for key, label, _, when in KEYS:
        if (when == "plots" and not view.plots) or (when == "hints" and not hints):
            continue
        dim = when == "passed" and not view.passed
        line.append(f" {key} ", style="reverse dim" if dim else "reverse bold")
        line.append(f" {label}  ", style="dim" if dim else "")
    return line


class ExerciseScreen(Screen[None]):
    """The main view of watch mode."""

    DEFAULT_CSS = """
    ExerciseScreen { layout: vertical; }
    #title { height: auto; max-height: 2; padding: 0 1; }
    #checks { height: auto; max-height: 25vh; padding: 0 1; }
    #failure { height: 1fr; min-height: 4; padding: 0 1; }
    #hints { height: auto; padding: 0; margin: 0; border-top: none; }
    #hints Contents { padding: 0 0 0 1; }
    #hints-scroll { height: auto; max-height: 25vh; }
    #notes { height: auto; max-height: 4; padding: 0 1; }
    #status { height: auto; padding: 0 1; }
    #keys { height: auto; padding: 0 1; }
    """

    BINDINGS = [  # noqa: RUF012 (Textual's own declaration style)
        Binding(key, action, label, show=False) for key, label, action, _ in KEYS
    ]
    AUTO_FOCUS = None  # keys go to the screen; nothing here takes focus (f folds the hints)

    def __init__(self, app: App, view: View, manual: bool) -> None:
        super().__init__()
        self.course_app = app
        self.view = view
        self.manual = manual
        self.ready = False  # the panes exist once mounted; nothing is drawn before
        self.drawn: dict[str, object] = {}  # what each pane shows, to skip redrawing it

    @property
    def watch(self) -> WatchApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        with VerticalScroll(id="checks", can_focus=False):
            yield Static(id="checklist")
        with VerticalScroll(id="failure", can_focus=False):
            yield Static(id="failure-text")
        with (
            Collapsible(title="Hints", collapsed=True, id="hints"),
            VerticalScroll(id="hints-scroll", can_focus=False),
        ):
            yield Static(id="hints-text")
        yield Static(id="notes")
        yield Static(id="status")
        yield Static(id="keys")

    def on_mount(self) -> None:
        self.ready = True
        self.refresh_view()

    def press(self, key: str | None) -> None:
        """Act on ``key`` as if it was pressed here (a key that closed a message over the view)."""
        for bound, _, action, _ in KEYS:
            if key == bound:
                getattr(self, f"action_{action}")()

    # --- actions: the watch app does the work -------------------------------------------------
    def action_hint(self) -> None:
        self.watch.do_hint()

    def action_fold(self) -> None:
        self.watch.do_fold()

    def action_lesson(self) -> None:
        self.watch.do_lesson()

    def action_quit(self) -> None:
        self.watch.exit()

    def action_next(self) -> None:
        self.watch.act("next")

    def action_list(self) -> None:
        self.watch.act("list")

    def action_check_all(self) -> None:
        self.watch.act("check_all")

    def action_rerun(self) -> None:
        self.watch.act("rerun")

    def action_reset(self) -> None:
        self.watch.act("reset")

    def action_solution(self) -> None:
        self.watch.act("solution")

    def action_plots(self) -> None:
        self.watch.act("plots")

    # --- drawing ------------------------------------------------------------------------------
    def refresh_view(self) -> None:
        """Redraw the panes whose content changed (a run streams many small changes).

        Nothing is drawn before the panes exist, nor once the app has begun to close: Textual
        takes the screens down while timers and delivered saves may still arrive, and the app
        stops running before the first pane goes.
        """
        if not (self.ready and self.is_attached and self.app.is_running):
            return
        view, app = self.view, self.course_app
        exercise, root = view.exercise, app.course.root
        result = None if view.running else view.result
        level = app.progress.hints.get(exercise.name, 0)
        self._set("#title", (exercise, view.running, result), self._title)
        self._set("#checklist", (exercise, len(view.live), result), self._checklist)
        self._set("#failure-text", (exercise, result), lambda: self._failure(result, root))
        if self._changed("hints", (exercise, level, view.hints_open)):
            self._hints(exercise, level)
        notes = tuple(view.notes)
        self._set("#notes", notes, lambda: Text("\n").join(Text(n, style="bold") for n in notes))
        self.query_one("#notes").display = bool(notes)
        done = len(app.progress.done)
        self._set("#status", (exercise, done, self.size.width), self._status)
        self._set("#keys", (view.passed, level > 0, view.plots), lambda: key_line(view, level))
        if result is not None and not result.passed and self._changed("scrolled", result):
            self._show_first_failure(result)

    def _changed(self, part: str, key: object) -> bool:
        """Whether ``part`` must be drawn again: what it shows differs from last time."""
        if self.drawn.get(part) == key:
            return False
        self.drawn[part] = key
        return True

    def _set(self, selector: str, key: object, content: Callable[[], RenderableType]) -> None:
        if self._changed(selector, key):
            self.query_one(selector, Static).update(content())

    def _checklist(self) -> RenderableType:
        view = self.view
        pane = self.query_one("#checks")
        if view.running:
            pane.display = bool(view.live)
            return render.checklist(view.live)
        result = view.result
        pane.display = result is not None and bool(result.checks or result.running)
        return Group(*render.checks_part(result)) if result is not None else Text("")

    def _title(self) -> Text:
        view = self.view
        exercise = view.exercise
        title = Text(f"{exercise.module} · {exercise.name}  ", style="bold")
        if view.running:
            return title + Text("… checking", style="bold yellow")
        if view.result is None:
            return title
        label, style = render.STATUS_STYLE[view.result.status]
        title.append(label, style=style)
        if view.result.checks:
            passed = sum(check.passed for check in view.result.checks)
            title.append(f"  {passed}/{len(view.result.checks)} checks", style="dim")
        return title

    def _failure(self, result: RunResult | None, root: Path) -> RenderableType:
        parts: list[RenderableType] = []
        if result is not None:
            parts.extend(render.failure_parts(result, root))
            if result.passed:
                parts.append(
                    Text("✓ Well done! Press n for the next exercise.", style="bold green")
                )
                parts.append(Text("s shows the reference solution beside yours.", style="dim"))
            for plot in self.view.plots:
                parts.append(
                    Text("📈 Your plot: ") + render.link(Path(plot), root) + Text("  (p shows it)")
                )
            output = render.output_panel(result)
            if output is not None:
                parts.append(output)
        return Group(*parts)

    def _hints(self, exercise: Exercise, level: int) -> None:
        hints = self.query_one("#hints", Collapsible)
        hints.display = level > 0
        for part in hints.query("*"):  # keys belong to the screen: the title takes no focus
            part.can_focus = False
        self.set_focus(None)
        if not level:
            return
        hints.title = f"Hints {level} of {len(exercise.hints)}  (f folds, h shows the next)"
        self.query_one("#hints-text", Static).update(Group(*render.hint_panels(exercise, level)))
        hints.collapsed = not self.view.hints_open
        if self.view.hints_open:
            scroll = self.query_one("#hints-scroll", VerticalScroll)
            scroll.call_after_refresh(scroll.scroll_end, animate=False)

    def _status(self) -> Text:
        app, exercise = self.course_app, self.view.exercise
        gate = app.gate
        in_path = gate.in_path()
        width = max(10, min(40, self.size.width - 30))
        done = sum(e.name in gate.done for e in in_path)
        line = render.progress_bar(done, len(in_path), width=width)
        line.append("\n")
        line.append_text(render.link(app.course.file(exercise.path), app.course.root))
        if self.manual:
            line.append("  Manual mode: save, then press r to check.", style="dim")
        return line

    def _show_first_failure(self, result: RunResult) -> None:
        """Scroll the checklist so the first failed check is in sight."""
        index = next((i for i, c in enumerate(result.checks) if not c.passed), None)
        if index is None:
            return
        scroll = self.query_one("#checks", VerticalScroll)
        scroll.call_after_refresh(scroll.scroll_to, y=max(0, index - 1), animate=False)
