"""The capstone rubric: areas and their points, the bands, and what to revisit when weak."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Area:
    """A rubric area: its name, what it is worth, and the modules that teach it."""

    title: str
    points: int
    revisit: tuple[str, ...]


AREAS: dict[str, Area] = {
    "business": Area("Business case", 10, ("00_business",)),
    "data": Area("Data engineering", 15, ("01_data",)),
    "features": Area("Feature engineering", 15, ("02_features",)),
    "training": Area("Model training", 15, ("03_training",)),
    "evaluation": Area("Evaluation", 15, ("04_evaluation",)),
    "deployment": Area("Deployment", 10, ("05_deployment",)),
    "monitoring": Area("Monitoring", 10, ("06_monitoring",)),
    "documentation": Area("Documentation", 5, ("07_collaboration",)),
}
# The areas' points as the course states them add up to 95: the score out of 100 scales them, so
# each area keeps its stated weight and a perfect capstone scores 100.
RUBRIC_POINTS = sum(area.points for area in AREAS.values())
TOTAL = 100


def score(points: float) -> float:
    """Rubric points earned, as a score out of 100 (one decimal)."""
    return round(TOTAL * points / RUBRIC_POINTS, 1)


BANDS = (  # lowest total of each band, best first
    (90, "hire-ready"),
    (80, "strong foundation"),
    (70, "good understanding"),
    (60, "review weak areas"),
    (0, "redo modules"),
)
WEAK = 0.7  # an area earning less than this share of its points is weak


def band(total: float) -> str:
    """The band a total falls in (90 to 100 hire-ready, ..., below 60 redo modules)."""
    return next(name for lowest, name in BANDS if total >= lowest)


def weak(area: str, earned: float) -> bool:
    return earned < WEAK * AREAS[area].points
