"""The list: every exercise with its status, to filter, search, jump to and reset."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from mlings import render
from mlings.course import Exercise
from mlings.tui.pages import ConfirmScreen

if TYPE_CHECKING:
    from mlings.app import App
    from mlings.watch import WatchApp

FILTERS = ("all", "pending", "done")


class ListScreen(Screen[Exercise | None]):
    """A full-screen table of the course; dismissed with the exercise to continue at, or None."""

    DEFAULT_CSS = """
    ListScreen #heading { height: 1; padding: 0 1; }
    ListScreen #search { display: none; height: 3; }
    ListScreen #search.shown { display: block; }
    ListScreen DataTable { height: 1fr; }
    ListScreen #list-notes { height: auto; max-height: 3; padding: 0 1; }
    ListScreen #list-keys { height: auto; padding: 0 1; }
    """
    BINDINGS = [  # noqa: RUF012 (Textual's own declaration style)
        Binding("escape,q,l", "back", "back", show=False),
        Binding("j", "down", show=False),
        Binding("k", "up", show=False),
        Binding("f", "filter", "filter", show=False),
        Binding("slash", "search", "search", show=False),
        Binding("x", "reset", "reset", show=False),
    ]

    def __init__(self, app: App, current: Exercise) -> None:
        super().__init__()
        self.course_app = app
        self.current = current
        self.filter = "all"
        self.query_text = ""
        self.shown: list[Exercise] = []

    @property
    def watch(self) -> WatchApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static(id="heading")
        yield Input(placeholder="search by name; Enter or Esc returns to the list", id="search")
        yield DataTable(cursor_type="row", zebra_stripes=False, id="table")
        yield Static(id="list-notes")
        yield Static(
            Text(
                "↑/↓ or j/k move · Enter continues there · / search · f filter (all, pending, "
                "done) · x reset · Esc, q or l goes back",
                style="dim",
            ),
            id="list-keys",
        )

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(" ", key="mark")
        table.add_column("status", key="status")
        table.add_column("module", key="module")
        table.add_column("exercise", key="exercise")
        self.fill(select=self.current)
        table.focus()

    def fill(self, select: Exercise | None = None) -> None:
        """Show the exercises the filter and search let through, the cursor on ``select``."""
        table = self.query_one(DataTable)
        done = self.course_app.progress.done
        self.shown = [
            e
            for e in self.course_app.course.exercises
            if (self.filter == "all" or (e.name in done) == (self.filter == "done"))
            and self.query_text.lower() in e.name.lower()
        ]
        table.clear()
        for exercise in self.shown:
            mark = "▶" if exercise == self.watch.view.exercise else " "
            table.add_row(
                mark,
                render.exercise_mark(
                    render.exercise_state(self.course_app.gate, exercise), words=True
                ),
                exercise.module,
                exercise.name,
            )
        heading = Text("Choose an exercise", style="bold")
        heading.append(f"   filter: {self.filter}", style="cyan")
        if self.query_text:
            heading.append(f"   search: {self.query_text}", style="cyan")
        heading.append(f"   {len(self.shown)} shown", style="dim")
        self.query_one("#heading", Static).update(heading)
        if select in self.shown:
            table.move_cursor(row=self.shown.index(select), animate=False, scroll=True)

    def note(self, text: str, style: str = "bold red") -> None:
        self.query_one("#list-notes", Static).update(Text(text, style=style))

    @property
    def chosen(self) -> Exercise | None:
        table = self.query_one(DataTable)
        if not self.shown:
            return None
        return self.shown[min(table.cursor_row, len(self.shown) - 1)]

    def action_back(self) -> None:
        self.dismiss(None)

    def action_down(self) -> None:
        self.query_one(DataTable).action_cursor_down()

    def action_up(self) -> None:
        self.query_one(DataTable).action_cursor_up()

    def action_filter(self) -> None:
        self.filter = FILTERS[(FILTERS.index(self.filter) + 1) % len(FILTERS)]
        self.fill(select=self.chosen)

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.add_class("shown")
        search.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value.strip()
        self.fill(select=self.chosen)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(DataTable).focus()

    def on_key(
        self, event: events.Key
    ) -> None:  # Esc in the search box returns to the table, not the app
        search = self.query_one("#search", Input)
        if event.key == "escape" and search.has_focus:
            event.stop()
            if not search.value:
                search.remove_class("shown")
            self.query_one(DataTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        chosen = self.chosen
        if chosen is None:
            return
        reason = self.course_app.gate.lock_reason(chosen)
        if reason:
            self.note(reason)
            return
        self.dismiss(chosen)

    def action_reset(self) -> None:
        chosen = self.chosen
        if chosen is None:
            return
        question = (
            f"Reset {chosen.name} to its original state? Your version is kept as a backup.\n\n"
            "Press y to reset, any other key to cancel."
        )

        def answered(yes: bool | None) -> None:
            if not yes:
                self.note("Reset cancelled.", style="bold")
                return
            self.note(self.watch.reset(chosen), style="bold")
            self.fill(select=chosen)
            if chosen == self.watch.view.exercise and self.watch.manual:
                self.watch.start_run()

        self.app.push_screen(ConfirmScreen(question), answered)
