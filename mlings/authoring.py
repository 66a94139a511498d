"""``mlings dev check``: proof for course authors that the course is sound.

The catalog is valid (loading it proves that); every exercise, solution, check and lesson exists;
every exercise marks its edits with ``# TODO`` and differs from its solution; every check has a
learner-facing docstring and never imports from ``solutions/``; every untouched exercise fails
cleanly (status failed, not an import error or a crash) and every solution passes with warnings
treated as errors.
"""

from __future__ import annotations

import ast
import contextlib
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from mlings.course import Course, Exercise
from mlings.engine.results import RunResult, Status
from mlings.engine.runner import Engine, Job, parse_python, run_many

TODO = "# TODO"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the course, for an author to fix."""

    where: str
    message: str


@dataclass(frozen=True)
class Verdicts:
    """An exercise run twice: untouched and with its reference solution."""

    exercise: Exercise
    unsolved: RunResult
    solved: RunResult


def where(exercise: Exercise) -> str:
    """How problems name an exercise: ``module/name``."""
    return f"{exercise.module}/{exercise.name}"


def files_of(course: Course, exercise: Exercise) -> dict[str, Path]:
    """The exercise, its solution and its check."""
    return {
        "exercise": course.file(exercise.path),
        "solution": course.file(exercise.solution),
        "check": course.check_file(exercise),
    }


def has_files(course: Course, exercise: Exercise) -> bool:
    return all(path.is_file() for path in files_of(course, exercise).values())


def static_problems(course: Course, exercises: Sequence[Exercise]) -> list[Problem]:
    """What can be seen without running anything."""
    problems: list[Problem] = []
    for module_id in dict.fromkeys(e.module for e in exercises):
        if not course.lesson_file(module_id).is_file():
            problems.append(Problem(module_id, f"no lesson at {course.lesson_file(module_id)}"))
    for exercise in exercises:
        files = files_of(course, exercise)
        missing = [f"{kind} {path}" for kind, path in files.items() if not path.is_file()]
        if missing:
            problems += [Problem(where(exercise), f"missing {m}") for m in missing]
            continue
        text = files["exercise"].read_text(encoding="utf-8")
        if TODO not in text:
            problems.append(
                Problem(where(exercise), f"the exercise has no '{TODO}' marking what to edit")
            )
        if text == files["solution"].read_text(encoding="utf-8"):
            problems.append(Problem(where(exercise), "the exercise is identical to its solution"))
        problems += [Problem(where(exercise), m) for m in check_file_problems(files["check"])]
    return problems


def check_file_problems(path: Path) -> list[str]:
    """Every test needs a one-line docstring; no check may read the solutions."""
    tree = parse_python(path.read_text(encoding="utf-8"), filename=str(path))
    problems = []
    tests = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test")
    ]
    if not tests:
        problems.append(f"{path.name} has no test functions")
    for node in tests:
        if not (ast.get_docstring(node) or "").strip():
            problems.append(f"{path.name}: {node.name} has no docstring (the learner's checklist)")
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        if any(name.split(".")[0] == "solutions" for name in names):
            problems.append(f"{path.name} imports from solutions/; checks must not")
    if "solutions/" in path.read_text(encoding="utf-8"):
        problems.append(f"{path.name} refers to solutions/; checks must not")
    return problems


def run_both(
    course: Course,
    engine: Engine,
    exercises: Sequence[Exercise],
    jobs: int,
    on_done: Callable[[], None] | None = None,
) -> list[Verdicts]:
    """Run every exercise untouched and solved, in parallel."""

    def job(exercise: Exercise, relative: Path) -> Job:
        return Job(
            name=exercise.name,
            exercise=course.file(relative),
            check=course.check_file(exercise),
            root=course.root,
            timeout=exercise.timeout,
            strict=relative == exercise.solution,
        )

    pairs = [(job(e, e.path), job(e, e.solution)) for e in exercises]
    flat = [j for pair in pairs for j in pair]
    callback = (lambda _: on_done()) if on_done else None
    results = list(run_many(engine, flat, jobs, callback))
    return [
        Verdicts(exercise, results[2 * i], results[2 * i + 1])
        for i, exercise in enumerate(exercises)
    ]


@contextlib.contextmanager
def staged(course: Course, exercise: Exercise, file: Path) -> Iterator[Path]:
    """Where to judge ``file`` as ``exercise``: in place, or, for one file of a multi-file project
    (a graded deliverable), beside the reference's other files in a throwaway course tree (its
    siblings import each other, and ``data/`` is where the course keeps it)."""
    if not exercise.points:
        yield file
        return
    with tempfile.TemporaryDirectory(prefix="mlings-stage-") as folder:
        tree = Path(folder)
        project = tree / exercise.path.parent
        shutil.copytree(course.file(exercise.solution).parent, project)
        shutil.copy(file, project / exercise.file)
        if (course.root / "data").is_dir():
            (tree / "data").symlink_to(course.root / "data", target_is_directory=True)
        yield project / exercise.file


def run_problems(verdicts: Sequence[Verdicts]) -> list[Problem]:
    problems: list[Problem] = []
    for v in verdicts:
        place = where(v.exercise)
        if v.unsolved.passed:
            problems.append(Problem(place, "the untouched exercise passes its checks"))
        elif v.unsolved.status is not Status.FAILED:
            problems.append(
                Problem(
                    place,
                    f"the untouched exercise does not fail cleanly "
                    f"({v.unsolved.status}): {v.unsolved.message}",
                )
            )
        if not v.solved.passed:
            failure = v.solved.first_failure
            detail = v.solved.message or (f"{failure.title}: {failure.message}" if failure else "")
            problems.append(
                Problem(place, f"the solution does not pass ({v.solved.status}): {detail}")
            )
        elif v.exercise.points:
            problems += [Problem(place, p) for p in points_problems(v.exercise, v.solved)]
    return problems


def points_problems(exercise: Exercise, solved: RunResult) -> list[str]:
    """A graded exercise's checks carry points that add up to the exercise's own."""
    found = []
    unpointed = [c.title for c in solved.checks if c.points <= 0]
    if unpointed:
        found.append(f"checks without points (pytest.mark.points): {', '.join(unpointed)}")
    total = sum(c.points for c in solved.checks)
    if abs(total - exercise.points) > 1e-9:
        found.append(f"its checks' points add up to {total:g}, not the catalog's {exercise.points}")
    return found
