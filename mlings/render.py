"""Everything mlings draws in the terminal, with rich. Views take data and a console; no logic."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from mlings.course import Course, Exercise, Gate
from mlings.progress import Progress

if TYPE_CHECKING:  # what a run gives; commands that run nothing never load the engine's types
    from mlings.engine.results import CheckResult, Frame, RunResult
    from mlings.workspace import Created, Updated

STATUS_STYLE = {  # label and style by Status value (a StrEnum: its members are these strings)
    "passed": ("✓ passed", "bold green"),
    "failed": ("✗ failed", "bold red"),
    "error": ("✗ error", "bold red"),
    "timeout": ("⏱ timed out", "bold yellow"),
    "crashed": ("✗ crashed", "bold magenta"),
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


def verdict(exercise: Exercise, run: RunResult, root: Path) -> list[RenderableType]:
    """The verdict on one run as parts: title, checklist, first failure and its code frame."""
    label, style = STATUS_STYLE[run.status]
    title = Text(f"{exercise.module} · {exercise.name}  ", style="bold") + Text(label, style=style)
    failure = failure_parts(run, root)
    gap = [Text("")] if failure and not run.message else []
    return [title, *checks_part(run), *gap, *failure]


def checks_part(run: RunResult) -> list[RenderableType]:
    """The checklist of a run (nothing when no check reported)."""
    if run.checks or run.running:
        return [checklist(run.checks, run.running if not run.passed else None)]
    return []


def failure_parts(run: RunResult, root: Path) -> list[RenderableType]:
    """Why the run did not pass: the engine's message or the first failed check, with its frame."""
    parts: list[RenderableType] = []
    failure = run.first_failure
    if run.message:
        parts.append(Text(run.message, style="red" if run.status != "timeout" else ""))
        if run.frame:
            parts.append(code_frame(run.frame, root))
    elif failure is not None:
        parts.append(Text.assemble(("First failure: ", "bold red"), failure.title))
        parts.append(Text(failure.message))
        if failure.frame:
            parts.append(code_frame(failure.frame, root))
    return parts


def output_panel(run: RunResult) -> Panel | None:
    """What the learner's code printed, in a dim frame; None when it printed nothing."""
    if not run.output.text:
        return None
    note = ""
    if run.output.truncated:
        note = (
            f" (your code printed {_size(run.output.total_bytes)}; showing the first "
            f"{_size(len(run.output.text.encode()))})"
        )
    return Panel(
        Text(run.output.text.rstrip("\n")),
        title="Your output" + note,
        title_align="left",
        border_style="dim",
    )


def result(console: Console, exercise: Exercise, run: RunResult, root: Path) -> None:
    """The verdict on one run, printed: status, checklist, first failure, the learner's output."""
    console.print(Group(*verdict(exercise, run, root)))
    output = output_panel(run)
    if output is not None:
        console.print(output)


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


def hint_panels(exercise: Exercise, level: int) -> list[Panel]:
    """The hints revealed so far, one framed Markdown panel each, newest last."""
    return [
        Panel(
            markdown(hint),
            title=f"Hint {number} of {len(exercise.hints)}",
            title_align="left",
            border_style="yellow",
        )
        for number, hint in enumerate(exercise.hints[:level], start=1)
    ]


def hints(console: Console, exercise: Exercise, level: int) -> None:
    """The hints revealed so far, newest last, and what to do for more."""
    for panel in hint_panels(exercise, level):
        console.print(panel)
    if level >= len(exercise.hints):
        console.print(
            Text("That was the last hint. `mlings solution` opens once you pass.", style="dim")
        )
    else:
        console.print(Text("Run `mlings hint` again for the next one.", style="dim"))


EXERCISE_MARKS = {"done": ("✓", "green"), "pending": ("○", "yellow"), "locked": ("·", "dim")}


def exercise_state(gate: Gate, exercise: Exercise) -> str:
    """'done', 'pending' or 'locked': how the list marks an exercise."""
    if exercise.name in gate.done:
        return "done"
    return "pending" if gate.unlocked(exercise) else "locked"


def exercise_mark(state: str, *, words: bool = False) -> Text:
    """The mark of an exercise's state (``✓``, ``○``, ``·``), with its word if asked."""
    mark, style = EXERCISE_MARKS[state]
    return Text(f"{mark} {state}" if words else mark, style=style)


def course_list(console: Console, course: Course, gate: Gate, progress: Progress) -> None:
    """Every module of the path (then those open for review) with exercises, status and lock.

    One plain line per exercise, never wrapped or cut: the paths are for copying, so a line
    wider than the terminal is left for the terminal to wrap, and piped output stays whole.
    """
    review = tuple(course.module(m) for m in course.path_open.get(gate.path, ()))
    path_modules = course.path_modules(gate.path) + review
    widest = max((len(e.name) for m in path_modules for e in m.exercises), default=0)
    lines: list[Text] = []
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
        lines.append(heading)
        for exercise in module.exercises:
            pointer = "▶" if exercise.name == progress.current else " "
            row = Text(f"{pointer} ")
            row.append_text(exercise_mark(exercise_state(gate, exercise)))
            row.append(f" {exercise.name:<{widest}} ")
            row.append_text(link(course.file(exercise.path), course.root))
            lines.append(row)
        lines.append(Text())
    lines.append(Text("✓ done  ○ pending  · locked  ▶ current", style="dim"))
    lines.append(
        progress_bar(sum(e.name in gate.done for e in gate.in_path()), len(gate.in_path()))
    )
    console.print(Text("\n").join(lines), no_wrap=True, crop=False, overflow="ignore")


def first_problem(run: RunResult) -> str:
    """The run's message, or its first failing check as 'title: message'; '' when it passed."""
    failure = run.first_failure
    return run.message or (f"{failure.title}: {failure.message}" if failure else "")


def verify_summary(console: Console, results: Iterable[tuple[Exercise, RunResult]]) -> None:
    from rich.table import Table

    table = Table(title="mlings verify", title_justify="left")
    table.add_column("exercise")
    table.add_column("status")
    table.add_column("checks", justify="right")
    table.add_column("first problem", overflow="fold")
    for exercise, run in results:
        label, style = STATUS_STYLE[run.status]
        passed = sum(c.passed for c in run.checks)
        problem = first_problem(run)
        table.add_row(
            f"{exercise.module}/{exercise.name}",
            Text(label, style=style),
            f"{passed}/{len(run.checks)}",
            problem.splitlines()[0] if problem else "",
        )
    console.print(table)


def lesson(console: Console, text: str) -> None:
    console.print(markdown(text))


def _where(path: Path, here: Path) -> str:
    """``path`` relative to ``here`` when it lies below it, else absolute."""
    return str(path.relative_to(here)) if path.is_relative_to(here) else str(path)


def workspace_created(console: Console, created: Created, here: Path) -> None:
    """What ``mlings init`` made, and how to start."""
    folder = _where(created.root, here)
    console.print(f"Created your course in {folder}:", style="bold green")
    console.print(
        f"  exercises/   {created.exercises} exercises in {created.modules} modules, yours to edit"
    )
    console.print("  info.toml    the course catalog: modules, exercises, hints")
    if created.data_files:
        console.print(f"  data/        {created.data_files} data files, checked against MANIFEST")
    console.print("  .gitignore   keeps your progress (.mlings/) out of git")
    if created.workflow is not None:
        console.print(f"  {_where(created.workflow, created.root)}   grades every push in CI")
    console.print(
        "The reference solutions stay inside mlings: `mlings solution NAME` shows one once "
        "your version passes."
    )
    console.print(f"Start with: cd {folder} && mlings", style="bold")


def workspace_updated(console: Console, updated: Updated) -> None:
    """What ``mlings init --update`` changed, and what it left to the learner."""
    for label, paths in (
        ("Added", updated.added),
        ("Updated (you had not changed them)", updated.replaced),
    ):
        if paths:
            console.print(f"{label}: {', '.join(paths)}")
    if updated.kept:
        console.print(
            f"Kept your edited version of: {', '.join(updated.kept)}. The course changed these "
            "too: `mlings reset NAME` takes an exercise's new version (yours is backed up in "
            ".mlings/backups/); other files' new versions are in .mlings/upstream/."
        )
    if updated.gone:
        console.print(f"No longer in the course (left as they are): {', '.join(updated.gone)}")
    if updated.workflow is not None:
        console.print(f"Wrote {_where(updated.workflow, updated.root)}.")
    if not updated.changed and not updated.kept:
        console.print("Your course folder is up to date.")
