"""Check all: progress while every unlocked exercise runs, then the results until dismissed."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, ProgressBar, Static

from mlings import render
from mlings.course import Exercise
from mlings.engine.results import RunResult


class CheckAllScreen(Screen[Exercise | None]):
    """Dismissed with the exercise Enter opened, or None."""

    DEFAULT_CSS = """
    CheckAllScreen #summary { height: auto; padding: 0 1; }
    CheckAllScreen ProgressBar { height: 1; padding: 0 1; }
    CheckAllScreen DataTable { height: 1fr; }
    CheckAllScreen #check-keys { height: auto; padding: 0 1; }
    """
    BINDINGS = [Binding("escape,q,c", "back", "back", show=False)]  # noqa: RUF012

    def __init__(self, total: int, locked: int) -> None:
        super().__init__()
        self.total = total
        self.locked = locked
        self.results: list[tuple[Exercise, RunResult]] | None = None

    def compose(self) -> ComposeResult:
        yield Static(
            Text(f"Checking every unlocked exercise: 0/{self.total}", style="bold yellow"),
            id="summary",
        )
        yield ProgressBar(total=self.total, show_eta=False, id="progress")
        yield DataTable(cursor_type="row", id="results")
        yield Static(Text("Running… Esc goes back when it is done.", style="dim"), id="check-keys")

    def one_done(self, run: RunResult) -> None:
        """One more exercise has its verdict."""
        if not self.is_mounted or self.results is not None:
            return
        bar = self.query_one(ProgressBar)
        bar.advance(1)
        done = int(bar.progress)
        text = Text(f"Checking every unlocked exercise: {done}/{self.total}", style="bold yellow")
        self.query_one("#summary", Static).update(text)

    def show_results(self, results: list[tuple[Exercise, RunResult]]) -> None:
        """The verdicts, failures first; they stay until the learner leaves."""
        self.results = sorted(results, key=lambda pair: pair[1].passed)
        failed = sum(not run.passed for _, run in results)
        summary = Text("mlings verify: ", style="bold")
        if failed:
            summary.append(f"{failed} of {len(results)} exercises do not pass", style="bold red")
        else:
            summary.append(f"all {len(results)} exercises pass", style="bold green")
        if self.locked:
            summary.append(f" · {self.locked} locked, not checked", style="dim")
        if not self.is_mounted:
            return
        self.query_one("#summary", Static).update(summary)
        self.query_one(ProgressBar).display = False
        table = self.query_one(DataTable)
        table.add_columns("exercise", "status", "checks", "first problem")
        for exercise, run in self.results:
            label, style = render.STATUS_STYLE[run.status]
            passed = sum(check.passed for check in run.checks)
            table.add_row(
                f"{exercise.module}/{exercise.name}",
                Text(label, style=style),
                f"{passed}/{len(run.checks)}",
                next(iter(render.first_problem(run).splitlines()), "")[:120],
            )
        table.focus()
        self.query_one("#check-keys", Static).update(
            Text("Enter opens an exercise · Esc or q goes back", style="dim")
        )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if self.results is not None:
            self.dismiss(self.results[event.cursor_row][0])

    def action_back(self) -> None:
        if self.results is not None:
            self.dismiss(None)
