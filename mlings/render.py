"""Everything mlings draws in the terminal, with rich. Views take data and a console; no logic."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from mlings.course import Course, Exercise, Gate
from mlings.engine.results import CheckResult, Frame, RunResult, Status
from mlings.progress import Progress

if TYPE_CHECKING:
    from mlings.app import App
    from mlings.watch import Screen

STATUS_STYLE = {
    Status.PASSED: ("✓ passed", "bold green"),
    Status.FAILED: ("✗ failed", "bold red"),
    Status.ERROR: ("✗ error", "bold red"),
    Status.TIMEOUT: ("⏱ timed out", "bold yellow"),
    Status.CRASHED: ("✗ crashed", "bold magenta"),
}


def markdown(text: str) -> RenderableType:
    """Markdown text (rich's Markdown and its parser load on first use)."""
    from rich.markdown import Markdown

    return Markdown(text)


def message_panel(console: Console, text: str, style: str) -> None:
    """A course message (welcome, the end) from info.toml, as Markdown in a frame."""
    console.print(Panel(markdown(text), border_style=style, padding=(1, 2)))


def error(console: Console, message: str) -> None:
    """A problem the user can fix: one sentence in red, never a traceback."""
    console.print(Text("✗ ", style="bold red") + Text(message))


def notice(console: Console, message: str) -> None:
    console.print(Text("! ", style="bold yellow") + Text(message))


def link(path: Path, root: Path) -> Text:
    """A path shown relative to the course root, clickable in terminals that support links."""
    try:
        shown = path.relative_to(root)
    except ValueError:
        shown = path
    return Text(str(shown), style=f"bold cyan link {path.resolve().as_uri()}")


def code_frame(frame: Frame, root: Path) -> RenderableType:
    """The learner's own lines around the failure, the failing line highlighted."""
    header = link(Path(frame.path), root) + Text(f", line {frame.line}, in {frame.function}")
    if not frame.source:
        return header
    first = frame.source[0][0]
    code = "\n".join(text for _, text in frame.source)
    from rich.syntax import Syntax  # pygments loads only when a frame is shown

    syntax = Syntax(
        code,
        "python",
        line_numbers=True,
        start_line=first,
        highlight_lines={frame.line},
        theme="ansi_dark",
        word_wrap=True,
    )
    return Group(header, syntax)


def checklist(checks: Sequence[CheckResult], running: str | None = None) -> Text:
    """One line per check: ✓ or ✗ and its learner-facing title; … for the one running."""
    lines = [
        Text.assemble(("  ✓ ", "green") if check.passed else ("  ✗ ", "red"), check.title)
        for check in checks
    ]
    if running:
        lines.append(Text.assemble(("  … ", "yellow"), (running, "yellow")))
    return Text("\n").join(lines)


def result(console: Console, exercise: Exercise, run: RunResult, root: Path) -> None:
    """The verdict on one run: status, checklist, first failure, the learner's output."""
    label, style = STATUS_STYLE[run.status]
    title = Text(f"{exercise.module} · {exercise.name}  ", style="bold") + Text(label, style=style)
    parts: list[RenderableType] = [title]
    if run.checks or run.running:
        parts.append(checklist(run.checks, run.running if not run.passed else None))
    failure = run.first_failure
    if run.message:
        parts.append(Text(run.message, style="red" if run.status is not Status.TIMEOUT else ""))
        if run.frame:
            parts.append(code_frame(run.frame, root))
    elif failure is not None:
        parts.append(Text.assemble("\n", ("First failure: ", "bold red"), failure.title))
        parts.append(Text(failure.message))
        if failure.frame:
            parts.append(code_frame(failure.frame, root))
    console.print(Group(*parts))
    if run.output.text:
        note = ""
        if run.output.truncated:
            note = (
                f" (your code printed {_size(run.output.total_bytes)}; showing the first "
                f"{_size(len(run.output.text.encode()))})"
            )
        console.print(
            Panel(
                Text(run.output.text.rstrip("\n")),
                title="Your output" + note,
                title_align="left",
                border_style="dim",
            )
        )


def _size(count: int) -> str:
    if count < 1024:
        return f"{count} bytes"
    if count < 1024**2:
        return f"{count / 1024:.1f} KB"
    return f"{count / 1024**2:.1f} MB"


def progress_bar(done: int, total: int, width: int = 40) -> Text:
    """``Progress: ████░░░░ 12/64``, readable with or without colour."""
    filled = round(width * done / total) if total else 0
    bar = Text("Progress: ")
    bar.append("█" * filled, style="green")
    bar.append("░" * (width - filled), style="dim")
    bar.append(f" {done}/{total}")
    return bar


def hints(console: Console, exercise: Exercise, level: int, footer: bool = True) -> None:
    """The hints revealed so far, newest last."""
    for number, hint in enumerate(exercise.hints[:level], start=1):
        console.print(
            Panel(
                markdown(hint),
                title=f"Hint {number} of {len(exercise.hints)}",
                title_align="left",
                border_style="yellow",
            )
        )
    if not footer:
        return
    if level >= len(exercise.hints):
        console.print(
            Text("That was the last hint. `mlings solution` opens once you pass.", style="dim")
        )
    else:
        console.print(Text("Run `mlings hint` again for the next one.", style="dim"))


def course_list(console: Console, course: Course, gate: Gate, progress: Progress) -> None:
    """Every module of the path (then those open for review) with exercises, status and lock."""
    review = tuple(course.module(m) for m in course.path_open.get(gate.path, ()))
    path_modules = course.path_modules(gate.path) + review
    widest = max((len(str(e.path)) for m in path_modules for e in m.exercises), default=0)
    for module in path_modules:
        done = sum(e.name in gate.done for e in module.exercises)
        locked = not gate.unlocked(module.exercises[0])
        heading = Text(f"{module.id}  {module.title}  ", style="bold dim" if locked else "bold")
        heading.append(
            "🔒 locked" if locked else f"{done}/{len(module.exercises)}",
            style="dim" if locked else "cyan",
        )
        if module in review:
            heading.append("  open for review, not required", style="dim")
        table = Table(show_header=False, box=None, padding=(0, 1))
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_column(overflow="fold")  # a long name folds; the path beside it never does
        table.add_column(no_wrap=True, min_width=widest)  # paths are for copying: never cut
        for exercise in module.exercises:
            if exercise.name in gate.done:
                mark = Text("✓", style="green")
            elif locked:
                mark = Text("·", style="dim")
            else:
                mark = Text("○", style="yellow")
            pointer = "▶" if exercise.name == progress.current else " "
            table.add_row(
                pointer, mark, Text(exercise.name), link(course.file(exercise.path), course.root)
            )
        console.print(heading, table, "")
    total = len(gate.in_path())
    console.print(Text("✓ done  ○ pending  · locked  ▶ current", style="dim"))
    console.print(progress_bar(sum(e.name in gate.done for e in gate.in_path()), total))


def verify_summary(console: Console, results: Iterable[tuple[Exercise, RunResult]]) -> None:
    table = Table(title="mlings verify", title_justify="left")
    table.add_column("exercise")
    table.add_column("status")
    table.add_column("checks", justify="right")
    table.add_column("first problem", overflow="fold")
    for exercise, run in results:
        label, style = STATUS_STYLE[run.status]
        passed = sum(c.passed for c in run.checks)
        failure = run.first_failure
        problem = run.message or (f"{failure.title}: {failure.message}" if failure else "")
        table.add_row(
            f"{exercise.module}/{exercise.name}",
            Text(label, style=style),
            f"{passed}/{len(run.checks)}",
            problem.splitlines()[0] if problem else "",
        )
    console.print(table)


def lesson(console: Console, text: str) -> None:
    console.print(markdown(text))


KEYS = (
    ("h", "hint"),
    ("n", "next"),
    ("l", "list"),
    ("c", "check all"),
    ("r", "rerun"),
    ("x", "reset"),
    ("q", "quit"),
)


def keys_line(passed: bool) -> Text:
    """The keys watch mode answers to; ``n`` is dim until the exercise passes."""
    line = Text()
    for key, label in KEYS:
        dim = key == "n" and not passed
        line.append(f" {key} ", style="reverse dim" if dim else "reverse bold")
        line.append(f" {label}   ", style="dim" if dim else "")
    return line


def watch_screen(console: Console, app: App, screen: Screen, manual: bool) -> None:
    """The whole watch-mode screen, drawn from scratch."""
    course, gate = app.course, app.gate
    if screen.welcome:
        message_panel(console, screen.welcome, "cyan")
    if screen.mode == "list":
        _pick_list(console, app, screen)
        return
    if screen.mode == "summary":
        verify_summary(console, screen.summary)
        console.print(Text("Any key goes back to your exercise.", style="dim"))
    exercise = screen.exercise
    if screen.running:
        console.print(
            Text(f"{exercise.module} · {exercise.name}  ", style="bold")
            + Text("… checking", style="bold yellow")
        )
        if screen.live:
            console.print(checklist(screen.live))
    elif screen.result is not None:
        result(console, exercise, screen.result, course.root)
    if screen.checking_all is not None:
        done, total = screen.checking_all
        console.print(Text(f"Checking every exercise: {done}/{total}", style="bold yellow"))
    level = app.progress.hints.get(exercise.name, 0)
    if level:
        hints(console, exercise, level, footer=False)
    for note in screen.notes:
        console.print(Text(note, style="bold"))
    console.print()
    in_path = gate.in_path()
    console.print(progress_bar(sum(e.name in gate.done for e in in_path), len(in_path)))
    console.print(Text("Current exercise: ") + link(course.file(exercise.path), course.root))
    if manual:
        console.print(Text("Manual mode: save, then press r to check.", style="dim"))
    if screen.mode == "confirm_reset":
        console.print(
            Text(
                f"Reset {exercise.name} to its original state? Your version is kept as a "
                "backup. Press y to reset, any other key to cancel.",
                style="bold yellow",
            )
        )
        return
    passed = screen.result is not None and screen.result.passed and not screen.running
    if passed:
        console.print(Text("✓ Well done! Press n for the next exercise.", style="bold green"))
    console.print(keys_line(passed))


def _pick_list(console: Console, app: App, screen: Screen) -> None:
    gate = app.gate
    table = Table(box=None, padding=(0, 2), show_header=False)
    for index, exercise in enumerate(app.course.exercises):
        if exercise.name in gate.done:
            mark = Text("✓ done", style="green")
        elif gate.unlocked(exercise):
            mark = Text("pending", style="yellow")
        else:
            mark = Text("🔒 locked", style="dim")
        chosen = index == screen.cursor
        style = "reverse" if chosen else ""
        table.add_row(
            Text("▶" if chosen else " "),
            mark,
            Text(exercise.module, style=style),
            Text(exercise.name, style=style),
        )
    console.print(Text("Choose an exercise", style="bold"), table)
    for note in screen.notes:
        console.print(Text(note, style="bold red"))
    console.print(Text("↑/↓ or j/k move · Enter continues there · l or q goes back", style="dim"))
