"""The ``mlings`` command line: parse arguments, call the app, hand results to ``render``."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from mlings import render, terminal, typer_speed
from mlings.app import App, UserError
from mlings.course import Course, Exercise
from mlings.progress import write_atomically

if TYPE_CHECKING:
    from mlings.engine.results import CheckResult

# Commands that run no checks import nothing heavy: the engine (pytest), the watcher, the
# authoring tools and the dataset (pandas) load inside the commands that use them.

typer_speed.install()
console = Console(highlight=False)
cli = typer.Typer(
    name="mlings",
    help="A rustlings-style course in practical ML engineering, set at PokéMarket.",
    no_args_is_help=False,
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: flags read as flags, and no rich formatter to load
)
dev = typer.Typer(help="Tools for course authors.", no_args_is_help=True, rich_markup_mode=None)
cli.add_typer(dev, name="dev")

USER_ERROR = 2


def _course_for_completion() -> Course | None:
    """The course, for shell completion; None rather than a traceback printed into the shell."""
    from mlings.course import find_root, load_course

    try:
        return load_course(find_root(_root["path"]))
    except Exception:
        return None


def complete_exercise(incomplete: str) -> list[str]:
    """Exercise names (or exercise paths, once a path is being typed) for shell completion."""
    course = _course_for_completion()
    if course is None:
        return []
    names = [e.name for e in course.exercises]
    if incomplete:  # a path once the learner starts typing one
        names += [str(e.path) for e in course.exercises]
    return [n for n in names if n.startswith(incomplete)]


def complete_module(incomplete: str) -> list[str]:
    """Module ids for shell completion."""
    course = _course_for_completion()
    return [m.id for m in course.modules if m.id.startswith(incomplete)] if course else []


def show_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        console.print(f"mlings {version('mlings')}")
        raise typer.Exit()


NameArgument = Annotated[
    str | None,
    typer.Argument(
        help="Exercise name or file (default: the current one).",
        autocompletion=complete_exercise,
    ),
]
RootOption = Annotated[
    Path | None,
    typer.Option("--root", help="The course folder (default: the nearest one holding info.toml)."),
]


class Format(StrEnum):
    rich = "rich"
    json = "json"
    junit = "junit"


class GradeFormat(StrEnum):
    rich = "rich"
    json = "json"
    markdown = "markdown"


def friendly(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn user errors into one clear sentence and a non-zero exit, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except UserError as exc:
            render.error(console, str(exc))
            raise typer.Exit(USER_ERROR) from None
        except KeyboardInterrupt:
            render.error(console, "Interrupted. Your progress is saved.")
            raise typer.Exit(130) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:
            if os.environ.get("MLINGS_DEBUG"):
                raise
            render.error(
                console,
                f"mlings hit an internal error ({type(exc).__name__}: {exc}). Your progress is "
                "saved. Run again with MLINGS_DEBUG=1 to see the details, and please report it.",
            )
            raise typer.Exit(70) from None

    return wrapper


_root: dict[str, Path | None] = {"path": None}


def open_app(engine: str = "auto") -> App:
    app = App.open(_root["path"], engine=engine)
    for message in (app.store.notice, app.data_notice()):
        if message:
            render.notice(console, message)
    return app


@cli.callback()
def main_callback(
    ctx: typer.Context,
    root: RootOption = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=show_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Start (or continue) the course: with no command, watch mode on the current exercise."""
    _root["path"] = root
    if ctx.invoked_subcommand is None:
        friendly(_watch)(manual=False)


@cli.command()
@friendly
def watch(
    manual: Annotated[
        bool, typer.Option("--manual", help="Don't watch files; press r to check after saving.")
    ] = False,
):
    """Check the current exercise on every save, with hints and keys (the default command)."""
    _watch(manual)


def _watch(manual: bool) -> None:
    if not terminal.interactive():
        raise UserError(
            "Watch mode needs a terminal (this looks like a pipe or CI). Use `mlings run` to "
            "check one exercise, or `mlings verify` to check them all."
        )
    app = open_app()
    try:
        app.warm_up()
        from mlings.watch import run_watch  # Textual loads while the worker starts

        run_watch(app, manual=manual)
    finally:
        app.close()
    console.print("Bye! Your progress is saved. Run `mlings` to continue.")


def _run_and_show(app: App, exercise: Exercise) -> bool:
    """Run one exercise, draw the verdict and what it changed; True if it passed."""
    app.unlocked(exercise)
    before = set(app.progress.done)
    checked: list[CheckResult] = []
    with console.status(f"Checking {exercise.name}…") as status:

        def show(check: CheckResult) -> None:
            checked.append(check)
            passed = sum(c.passed for c in checked)
            status.update(f"Checking {exercise.name}… {passed} ✓ {len(checked) - passed} ✗")

        result = app.run(exercise, on_check=show)
    render.result(console, exercise, result, app.course.root)
    gate = app.gate
    if result.passed:
        console.print(
            f"See the reference solution beside yours: `mlings solution {exercise.name}`."
        )
        for module in gate.newly_unlocked(before):
            console.print(
                render.Text(
                    f"🔓 Module {module.id} · {module.title} is unlocked!", style="bold green"
                )
            )
        following = gate.next_pending(exercise)
        if following is not None:
            if app.progress.current in (None, exercise.name):
                app.set_current(following)
            console.print(f"Next up: [bold]{following.name}[/]. Run `mlings run` to start it.")
        elif app.path_done():
            render.message_panel(console, app.course.final_message, "green")
    in_path = gate.in_path()
    console.print()
    console.print(render.progress_bar(sum(e.name in gate.done for e in in_path), len(in_path)))
    if not result.passed:
        path = render.link(app.course.file(exercise.path), app.course.root)
        console.print(
            render.Text("Edit ")
            + path
            + render.Text(", then `mlings run` checks it again. Stuck? `mlings hint`.")
        )
    return result.passed


@cli.command()
@friendly
def run(name: NameArgument = None):
    """Run one exercise's checks once; exit 0 if it passes, 1 if not."""
    app = open_app(engine="cold")
    try:
        exercise = app.unlocked(app.exercise(name))
        if name is not None:
            app.set_current(exercise)
        passed = _run_and_show(app, exercise)
    finally:
        app.close()
    raise typer.Exit(0 if passed else 1)


@cli.command()
@friendly
def hint(
    name: NameArgument = None,
    all_hints: Annotated[bool, typer.Option("--all", help="Reveal every hint at once.")] = False,
):
    """Reveal the next hint for an exercise (each says a little more)."""
    app = open_app()
    exercise = app.unlocked(app.exercise(name))
    level = app.reveal_hint(exercise, all_hints)
    console.print(render.Text(f"Hints for {exercise.name} ({exercise.path})", style="bold"))
    render.hints(console, exercise, level)


@cli.command("list")
@friendly
def list_() -> None:
    """Show modules and exercises with their status."""
    app = open_app()
    render.course_list(console, app.course, app.gate, app.progress)


@cli.command()
@friendly
def verify(
    module: Annotated[str | None, typer.Option(help="Only this module, e.g. 00_business.")] = None,
    format: Annotated[Format, typer.Option(help="Report format.")] = Format.rich,
    output: Annotated[Path | None, typer.Option(help="Write the report to this file.")] = None,
    jobs: Annotated[int, typer.Option(help="Exercises run at once.", min=1)] = os.cpu_count() or 1,
    classroom: Annotated[
        Path | None,
        typer.Option(help="Also write GitHub Classroom's autograding result (JSON) to this file."),
    ] = None,
):
    """Run every exercise's checks in parallel; exit 1 while any is pending."""
    from mlings import reports

    app = open_app()
    if classroom is not None:
        _graded_by_the_package(app.course)
    exercises = list(app.course.exercises)
    if module is not None:
        try:
            exercises = list(app.course.module(module).exercises)
        except KeyError:
            known = ", ".join(m.id for m in app.course.modules)
            raise UserError(f"There is no module '{module}'. The modules are: {known}.") from None
    try:
        with _Bar(
            len(exercises), "verifying", quiet=format is not Format.rich and not output
        ) as advance:
            results = list(app.run_all(exercises, jobs, lambda _: advance()))
    finally:
        app.close()
    if format is Format.rich:
        render.verify_summary(console, results)
        text = None
    else:
        text = reports.to_json(results) if format is Format.json else reports.to_junit(results)
    if output is not None:
        # atomically, once every run has ended: a CI job never reads half a report
        write_atomically(output, text if text is not None else reports.to_json(results))
        console.print(f"Report written to {output}.")
    if classroom is not None:
        write_atomically(classroom, reports.to_classroom(results))
        console.print(f"GitHub Classroom result written to {classroom}.")
    elif text is not None:
        sys.stdout.write(text)
    passed = sum(r.passed for _, r in results)
    if format is Format.rich or output is not None:
        console.print(f"{passed}/{len(results)} exercises pass.")
    raise typer.Exit(0 if passed == len(results) else 1)


@cli.command()
@friendly
def init(
    folder: Annotated[  # a str, not a Path: typer would load pydantic to coerce it
        str | None,
        typer.Argument(help="The folder to create (default: mlings-course; with --update: here)."),
    ] = None,
    update: Annotated[
        bool,
        typer.Option(
            "--update", help="Bring a folder made by init up to date; your edits are kept."
        ),
    ] = False,
    ci: Annotated[
        str | None,
        typer.Option(
            "--ci", metavar="github", help="Also write a CI workflow that grades the exercises."
        ),
    ] = None,
):
    """Create your course folder (exercises, info.toml, data) from the installed mlings."""
    from mlings import workspace
    from mlings.ci import PROVIDERS

    if ci is not None and ci not in PROVIDERS:
        raise UserError(f"mlings writes CI workflows for: {', '.join(PROVIDERS)} (`--ci github`).")
    if update:
        from mlings.course import NotInCourse, find_root

        try:
            root = find_root(folder or _root["path"])
        except NotInCourse as exc:
            raise UserError(
                f"{exc} `mlings init --update` runs in a folder `mlings init` made; "
                "`mlings init FOLDER` makes a new one."
            ) from None
        render.workspace_updated(console, workspace.update(root, ci))
    else:
        created = workspace.init(Path(folder or "mlings-course"), ci)
        render.workspace_created(console, created, Path.cwd())


def _graded_by_the_package(course: Course) -> None:
    """UserError unless the checks come from the installed mlings (not from the folder graded)."""
    from mlings import content

    checks = course.tool_dir(course.checks_dir).resolve()
    if not checks.is_relative_to(content.package_dir().resolve()):
        raise UserError(
            f"A grade needs the checks of the installed mlings, but info.toml's checks_dir "
            f"points to {checks}. Put info.toml back as the course has it (`mlings init "
            "--update` keeps the new version in .mlings/upstream/), then grade again."
        )


@cli.command()
@friendly
def grade(
    seed: Annotated[
        int | None, typer.Option(help="Held-out data seed (default: a new one, printed).")
    ] = None,
    format: Annotated[GradeFormat, typer.Option(help="Report format.")] = GradeFormat.rich,
    output: Annotated[
        Path | None,
        typer.Option(help="Write the report to this file (.md: markdown, else JSON by default)."),
    ] = None,
    folder: Annotated[
        Path | None,
        typer.Option(help="Grade the capstone files in this folder (default: the exercises')."),
    ] = None,
    jobs: Annotated[int, typer.Option(help="Sections graded at once.", min=1)] = 2,
):
    """Grade the capstone on 100 points, on held-out sales generated now from a seed."""
    import secrets
    import tempfile

    from mlings.grading import report
    from mlings.grading.grade import OUT_ENV, SEED_ENV, deliverables
    from mlings.grading.grade import grade as build_grade

    app = open_app()
    graded = deliverables(app.course)
    if not graded:
        raise UserError("This course has no graded capstone (no exercise carries points).")
    where = folder or app.course.file(graded[0].path).parent
    if not where.is_dir():
        raise UserError(f"There is no folder {where}.")
    seed = secrets.randbelow(1_000_000) if seed is None else seed
    if output is not None and format is GradeFormat.rich:  # the file's name says what it holds
        format = GradeFormat.markdown if output.suffix in (".md", ".markdown") else GradeFormat.json
    quiet = format is not GradeFormat.rich and not output
    with tempfile.TemporaryDirectory(prefix="mlings-grade-") as plots:
        env = {SEED_ENV: str(seed), OUT_ENV: plots}
        if not quiet:
            console.print(f"Grading {where} on held-out data from seed {seed}…")
        try:
            with _Bar(len(graded), "grading", quiet=quiet) as advance:
                runs = app.run_graded(graded, where.resolve(), env, jobs, lambda _: advance())
        finally:
            app.close()
        result = build_grade(runs, seed, where, Path(plots))
        if format is GradeFormat.rich:
            report.show(console, result)
            text = None
        elif format is GradeFormat.json:
            text = report.to_json(result)
        else:
            text = report.to_markdown(result, output)
        if output is not None:
            output.write_text(text if text is not None else report.to_json(result), "utf-8")
            console.print(f"Report written to {output}.")
        elif text is not None:
            sys.stdout.write(text)


class _Bar:
    """A live bar while many runs go on (silent when stdout carries a report)."""

    def __init__(self, total: int, label: str, quiet: bool) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.bar = Progress(
            TextColumn(label),
            BarColumn(),
            MofNCompleteColumn(),
            console=Console(stderr=True),
            transient=True,
            disable=quiet,
        )
        self.task = self.bar.add_task(label, total=total)

    def __enter__(self) -> Callable[[], None]:
        self.bar.start()
        return lambda: self.bar.advance(self.task)

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()


@cli.command()
@friendly
def reset(
    name: Annotated[
        str,
        typer.Argument(
            help="The exercise to restore (name or file).", autocompletion=complete_exercise
        ),
    ],
):
    """Restore an exercise to its original state and mark it pending (your version is kept)."""
    app = open_app()
    exercise = app.exercise(name)
    was_done = exercise.name in app.progress.done
    kept = app.reset(exercise)
    console.print(f"Restored {exercise.path} to its original state.")
    if was_done:
        console.print(
            f"{exercise.name} is pending again; the modules it unlocked stay open, and "
            f"`mlings solution {exercise.name}` still shows the reference."
        )
    if kept is not None:
        console.print("Your version is kept at ", render.link(kept, app.course.root), ".", sep="")


@cli.command()
@friendly
def solution(name: NameArgument = None):
    """Once an exercise is done: the reference solution, as a diff against your version."""
    app = open_app()
    exercise = app.exercise(name)
    diff = app.solution_diff(exercise)
    if diff:
        from rich.syntax import Syntax

        console.print(Syntax(diff, "diff", theme="ansi_dark"))
    else:
        console.print("Your version is identical to the reference solution.")
    full = app.course.solution_file(exercise)
    console.print("The full solution: ", render.link(full, app.course.root), sep="")


@cli.command()
@friendly
def learn(
    module: Annotated[
        str | None,
        typer.Argument(help="Module id, e.g. 00_business.", autocompletion=complete_module),
    ] = None,
):
    """Read a module's lesson (default: the current exercise's module)."""
    app = open_app()
    text = app.lesson(module or app.current().module)
    if terminal.interactive():
        os.environ.setdefault("LESS", "FRX")  # as git does: colours shown, short text not paged
        with console.pager(styles=True):
            render.lesson(console, text)
    else:
        render.lesson(console, text)


@cli.command()
@friendly
def path(name: Annotated[str | None, typer.Argument(help="The path to follow.")] = None):
    """Show the learning paths, or switch to one."""
    app = open_app()
    if name is not None:
        app.choose_path(name)
    course = app.course
    for path_name, modules in course.paths.items():
        mark = "▶" if path_name == app.progress.path else " "
        line = render.Text(f"{mark} ") + render.Text(path_name, style="bold")
        line += render.Text(f": {' → '.join(modules)}")
        review = course.path_open.get(path_name)
        if review:
            line += render.Text(f" (open for review: {', '.join(review)})")
        console.print(line)
        if path_name in course.path_about:
            console.print(render.Text(f"    {course.path_about[path_name]}", style="dim"))


@dev.command("check")
@friendly
def dev_check(
    module: Annotated[str | None, typer.Option(help="Only this module.")] = None,
    jobs: Annotated[int, typer.Option(help="Runs at once.", min=1)] = os.cpu_count() or 1,
):
    """Prove the course sound: valid catalog, every exercise fails, every solution passes."""
    from mlings import authoring

    app = open_app()
    exercises = [e for e in app.course.exercises if module in (None, e.module)]
    if not exercises:
        raise UserError(f"There is no module '{module}'.")
    problems = authoring.static_problems(app.course, exercises)
    runnable = [e for e in exercises if authoring.has_files(app.course, e)]
    try:
        with _Bar(2 * len(runnable), "running", quiet=False) as advance:
            verdicts = authoring.run_both(app.course, app.engine, runnable, jobs, advance)
    finally:
        app.close()
    problems += authoring.run_problems(verdicts)
    for verdict in verdicts:
        ok = not any(p.where == authoring.where(verdict.exercise) for p in problems)
        mark = "[green]✓[/]" if ok else "[red]✗[/]"
        console.print(
            f"{mark} {verdict.exercise.module}/{verdict.exercise.name}: unsolved "
            f"{verdict.unsolved.status}, solution {verdict.solved.status}"
        )
    for problem in problems:
        render.error(console, f"{problem.where}: {problem.message}")
    if problems:
        console.print(f"[red]{len(problems)} problem(s) in {len(exercises)} exercise(s).[/]")
        raise typer.Exit(1)
    console.print(
        f"[green]All {len(exercises)} exercise(s) sound: each fails untouched and passes solved.[/]"
    )


@dev.command("try")
@friendly
def dev_try(
    name: Annotated[str, typer.Argument(help="The exercise whose checks judge the file.")],
    file: Annotated[Path, typer.Argument(help="Any learner file: a variant, a draft, a solution.")],
):
    """Authors: judge any file with an exercise's hidden checks (no gating, progress untouched).

    A file of a multi-file project is judged beside the reference's other files.
    """
    from mlings import authoring

    app = open_app(engine="cold")  # one run: a fresh python beats starting the warm worker
    try:
        exercise = app.exercise(name)
        if not file.is_file():
            raise UserError(f"There is no file {file}.")
        with authoring.staged(app.course, exercise, file.resolve()) as judged:
            result = app.engine.run(app.job(exercise, judged))
    finally:
        app.close()
    render.result(console, exercise, result, app.course.root)
    raise typer.Exit(0 if result.passed else 1)


def main() -> None:
    """Console-script entry point (also ``python -m mlings``: one name in help and completion)."""
    cli(prog_name="mlings")
