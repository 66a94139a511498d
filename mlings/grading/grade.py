"""A grade: every capstone deliverable judged by its hidden checks, passed checks turned to points.

Each deliverable is a catalog exercise with ``points`` and a ``rubric`` area. Its checks run in the
engine's child processes like any exercise (timeout, memory cap), with the grade's seed in
``MLINGS_GRADE_SEED`` (the checks draw held-out data from it) and a folder for the learner's plots
in ``MLINGS_GRADE_OUT``. A section that crashes or hangs keeps only the points of the checks that
passed before it stopped; it never costs another section anything.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from mlings.course import Course, Exercise
from mlings.engine.results import RunResult, Status
from mlings.grading.rubric import AREAS, band, score

SEED_ENV = "MLINGS_GRADE_SEED"
OUT_ENV = "MLINGS_GRADE_OUT"
SELF_ASSESSMENT = "SELF_ASSESSMENT.toml"


@dataclass(frozen=True)
class Criterion:
    """One check of a section: what it checks, what it is worth and what it earned."""

    title: str
    points: float
    earned: float
    why: str  # the first line of the check's message when it failed

    @property
    def sentence(self) -> str:
        if self.earned:
            return f"earned {self.earned:g}/{self.points:g}: {self.title}"
        return f"lost {self.points:g}: {self.title}" + (f" — {self.why}" if self.why else "")


@dataclass(frozen=True)
class Section:
    """One rubric area as graded: its deliverable, its criteria and the points they earned."""

    area: str
    exercise: str
    file: str
    points: int
    criteria: tuple[Criterion, ...]
    status: str
    note: str  # why a section stopped early (timeout, crash, import error), else ""

    @property
    def earned(self) -> float:
        return min(float(self.points), sum(c.earned for c in self.criteria))


@dataclass(frozen=True)
class Grade:
    """The whole capstone's grade."""

    seed: int
    sections: tuple[Section, ...]
    self_assessment: dict[str, float]
    plots: tuple[Path, ...]

    @property
    def points(self) -> float:
        """Rubric points earned (the areas add up to 95)."""
        return round(sum(s.earned for s in self.sections), 2)

    @property
    def total(self) -> float:
        """The score out of 100."""
        return score(self.points)

    @property
    def band(self) -> str:
        return band(self.total)


def deliverables(course: Course) -> list[Exercise]:
    """The exercises that carry rubric points (the capstone's deliverables), in catalog order."""
    return [e for e in course.exercises if e.points > 0 and e.rubric]


def section_of(exercise: Exercise, result: RunResult) -> Section:
    """A section from one run: each reported check earns its points if it passed."""
    criteria = tuple(
        Criterion(
            title=check.title,
            points=check.points,
            earned=check.points if check.passed else 0.0,
            why=(check.message.strip().splitlines() or [""])[0] if not check.passed else "",
        )
        for check in result.checks
    )
    note = ""
    if result.status in (Status.ERROR, Status.TIMEOUT, Status.CRASHED):
        note = (result.message.strip().splitlines() or [str(result.status)])[0]
    return Section(
        area=exercise.rubric,
        exercise=exercise.name,
        file=exercise.file,
        points=exercise.points,
        criteria=criteria,
        status=result.status.value,
        note=note,
    )


def read_self_assessment(folder: Path) -> dict[str, float]:
    """The learner's own points per area from SELF_ASSESSMENT.toml (empty when absent or bad)."""
    path = folder / SELF_ASSESSMENT
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}
    points = data.get("points", data)
    if not isinstance(points, dict):
        return {}
    return {
        area: float(value)
        for area, value in points.items()
        if area in AREAS and isinstance(value, int | float) and not isinstance(value, bool)
    }


def grade(
    sections: list[tuple[Exercise, RunResult]],
    seed: int,
    folder: Path,
    plots_dir: Path | None,
) -> Grade:
    """Put the runs together: sections, the learner's self-assessment, the plots they drew."""
    plots = tuple(sorted(plots_dir.glob("*.png"))) if plots_dir and plots_dir.is_dir() else ()
    return Grade(
        seed=seed,
        sections=tuple(section_of(exercise, result) for exercise, result in sections),
        self_assessment=read_self_assessment(folder),
        plots=plots,
    )
