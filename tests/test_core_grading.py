"""The capstone grade (mlings.grading) from run results to reports, without running any check.

The end-to-end story (real checks, the CLI, held-out data) is in test_grading.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console

from mlings.course import Exercise
from mlings.engine.results import CheckResult, RunResult, Status
from mlings.grading import grade as grading
from mlings.grading import report, rubric
from mlings.grading.grade import Criterion, Grade, Section

# --- the rubric ---------------------------------------------------------------------------


def test_the_rubric_areas_their_points_and_modules() -> None:
    assert {k: (a.title, a.points, a.revisit) for k, a in rubric.AREAS.items()} == {
        "business": ("Business case", 10, ("00_business",)),
        "data": ("Data engineering", 15, ("01_data",)),
        "features": ("Feature engineering", 15, ("02_features",)),
        "training": ("Model training", 15, ("03_training",)),
        "evaluation": ("Evaluation", 15, ("04_evaluation",)),
        "deployment": ("Deployment", 10, ("05_deployment",)),
        "monitoring": ("Monitoring", 10, ("06_monitoring",)),
        "documentation": ("Documentation", 5, ("07_collaboration",)),
    }
    assert (rubric.RUBRIC_POINTS, rubric.TOTAL) == (95, 100)


@pytest.mark.parametrize(
    ("points", "out_of_100"), [(0, 0.0), (95, 100.0), (47.5, 50.0), (10, 10.5)]
)
def test_rubric_points_scale_to_a_score_out_of_100_with_one_decimal(
    points: float, out_of_100: float
) -> None:
    assert rubric.score(points) == out_of_100


@pytest.mark.parametrize(
    ("total", "name"),
    [
        (100, "hire-ready"),
        (90, "hire-ready"),
        (89.9, "strong foundation"),
        (80, "strong foundation"),
        (79.9, "good understanding"),
        (70, "good understanding"),
        (69.9, "review weak areas"),
        (60, "review weak areas"),
        (59.9, "redo modules"),
        (0, "redo modules"),
    ],
)
def test_each_band_starts_at_its_lowest_total(total: float, name: str) -> None:
    assert rubric.band(total) == name


def test_an_area_is_weak_below_seventy_percent_of_its_points() -> None:
    assert rubric.weak("data", 10.4)  # 70% of 15 is 10.5
    assert not rubric.weak("data", 10.5)
    assert not rubric.weak("documentation", 5)


# --- sections from runs -------------------------------------------------------------------


def deliverable(name: str = "model", area: str = "training", points: int = 15) -> Exercise:
    return Exercise(name, "08_capstone", f"{name}.py", ("a", "b"), points=points, rubric=area)


def check(title: str, points: float, passed: bool, message: str = "") -> CheckResult:
    return CheckResult(f"test_{title}", title, passed, message, points=points)


def test_a_criterion_says_what_it_earned_or_lost_and_why() -> None:
    assert Criterion("fits", 2.5, 2.5, "").sentence == "earned 2.5/2.5: fits"
    assert Criterion("fits", 3.0, 0.0, "too slow").sentence == "lost 3: fits — too slow"
    assert Criterion("fits", 3.0, 0.0, "").sentence == "lost 3: fits"


def test_a_section_earns_the_points_of_its_passed_checks() -> None:
    result = RunResult(
        "model",
        Status.FAILED,
        checks=(
            check("fits", 5, True, "ignored"),
            check("beats baseline", 4, False, "\n  MAE 3.2 > 3.0\nmore detail"),
            check("no leak", 6, False, ""),
        ),
    )
    section = grading.section_of(deliverable(), result)
    assert section == Section(
        area="training",
        exercise="model",
        file="model.py",
        points=15,
        criteria=(
            Criterion("fits", 5, 5, ""),
            Criterion("beats baseline", 4, 0.0, "MAE 3.2 > 3.0"),
            Criterion("no leak", 6, 0.0, ""),
        ),
        status="failed",
        note="",
    )
    assert section.earned == 5.0


def test_a_section_never_earns_more_than_its_area_is_worth() -> None:
    result = RunResult("m", Status.PASSED, checks=(check("a", 10, True), check("b", 10, True)))
    assert grading.section_of(deliverable(points=15), result).earned == 15.0


@pytest.mark.parametrize("status", [Status.ERROR, Status.TIMEOUT, Status.CRASHED])
def test_a_section_that_stopped_early_keeps_the_first_line_of_why(status: Status) -> None:
    result = RunResult("m", status, checks=(check("a", 2, True),), message="\n stopped here\nx")
    section = grading.section_of(deliverable(), result)
    assert (section.note, section.status, section.earned) == ("stopped here", status.value, 2.0)


def test_a_section_that_stopped_without_a_message_names_its_status() -> None:
    section = grading.section_of(deliverable(), RunResult("m", Status.TIMEOUT))
    assert section.note == "timeout"


def test_the_deliverables_are_the_exercises_with_points_and_an_area() -> None:
    class Catalog:
        exercises = (
            deliverable("a"),
            deliverable("b", points=0),
            deliverable("c", area=""),
            deliverable("d", area="data"),
            deliverable("e", area="business", points=1),
        )

    names = [e.name for e in grading.deliverables(Catalog())]  # type: ignore[arg-type]
    assert names == ["a", "d", "e"]


# --- the self-assessment ------------------------------------------------------------------


def assess(tmp_path: Path, text: str | bytes) -> dict[str, float]:
    path = tmp_path / "SELF_ASSESSMENT.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return grading.read_self_assessment(tmp_path)


def test_the_self_assessment_gives_points_per_known_area(tmp_path: Path) -> None:
    text = 'data = 12\ntraining = 7.5\nbogus = 3\nfeatures = "high"\nbusiness = true\n'
    assert assess(tmp_path, text) == {"data": 12.0, "training": 7.5}
    assert assess(tmp_path, "[points]\nmonitoring = 8\n") == {"monitoring": 8.0}


@pytest.mark.parametrize("text", ["points = 3", "not toml =", b"\xff\xfe"])
def test_a_bad_self_assessment_is_no_self_assessment(tmp_path: Path, text: str | bytes) -> None:
    assert assess(tmp_path, text) == {}


def test_no_self_assessment_is_empty(tmp_path: Path) -> None:
    assert grading.read_self_assessment(tmp_path) == {}
    assert grading.SELF_ASSESSMENT == "SELF_ASSESSMENT.toml"
    assert (grading.SEED_ENV, grading.OUT_ENV) == ("MLINGS_GRADE_SEED", "MLINGS_GRADE_OUT")


# --- a grade ------------------------------------------------------------------------------


def test_a_grade_puts_sections_self_assessment_and_sorted_plots_together(tmp_path: Path) -> None:
    (tmp_path / "SELF_ASSESSMENT.toml").write_text("training = 9\n")
    plots = tmp_path / "plots"
    plots.mkdir()
    for name in ("b.png", "a.png", "notes.txt"):
        (plots / name).write_text("")
    result = RunResult("model", Status.PASSED, checks=(check("fits", 15, True),))
    g = grading.grade([(deliverable(), result)], 7, tmp_path, plots)
    assert g.seed == 7
    assert g.self_assessment == {"training": 9.0}
    assert g.plots == (plots / "a.png", plots / "b.png")
    assert [s.exercise for s in g.sections] == ["model"]
    assert grading.grade([], 1, tmp_path, None).plots == ()
    assert grading.grade([], 1, tmp_path, tmp_path / "none").plots == ()


def sample(plots: tuple[Path, ...] = ()) -> Grade:
    strong = Section(
        "data",
        "clean",
        "data.py",
        15,
        (Criterion("dedupes", 11, 11, ""), Criterion("types", 4, 0, "ids are floats")),
        "failed",
        "",
    )
    weak = Section(
        "training",
        "model",
        "model.py",
        15,
        (Criterion("fits", 5, 5, ""), Criterion("fast", 10, 0, "")),
        "timeout",
        "still running",
    )
    return Grade(7, (strong, weak), {"data": 14.0, "training": 12.5}, plots)


def test_a_grades_points_total_and_band_follow_its_sections() -> None:
    g = sample()
    assert g.points == 16.0
    assert g.total == 16.8
    assert g.band == "redo modules"
    odd = Section("data", "x", "x.py", 15, (Criterion("a", 1, 1 / 3, ""),), "failed", "")
    assert Grade(1, (odd,), {}, ()).points == 0.33


def test_only_weak_areas_are_to_revisit_in_rubric_order() -> None:
    assert report.revisit(sample()) == [("training", ("03_training",))]


def test_the_json_grade_holds_every_section_and_criterion() -> None:
    data = json.loads(report.to_json(sample((Path("/x/loss.png"),))))
    assert data == {
        "seed": 7,
        "total": 16.8,
        "out_of": 100,
        "points": 16.0,
        "rubric_points": 95,
        "band": "redo modules",
        "sections": [
            {
                "area": "data",
                "title": "Data engineering",
                "file": "data.py",
                "points": 15,
                "earned": 11,
                "self_assessed": 14.0,
                "status": "failed",
                "note": "",
                "criteria": [
                    {"title": "dedupes", "points": 11, "earned": 11, "why": ""},
                    {"title": "types", "points": 4, "earned": 0, "why": "ids are floats"},
                ],
            },
            {
                "area": "training",
                "title": "Model training",
                "file": "model.py",
                "points": 15,
                "earned": 5,
                "self_assessed": 12.5,
                "status": "timeout",
                "note": "still running",
                "criteria": [
                    {"title": "fits", "points": 5, "earned": 5, "why": ""},
                    {"title": "fast", "points": 10, "earned": 0, "why": ""},
                ],
            },
        ],
        "revisit": {"training": ["03_training"]},
        "plots": ["loss.png"],
    }


def test_the_json_grade_is_indented_utf8_ending_in_a_newline() -> None:
    text = report.to_json(Grade(1, (), {}, ()))
    assert text.startswith('{\n  "seed": 1,\n')
    assert text.endswith("}\n")
    é = Section("data", "x", "é.py", 15, (), "passed", "")
    assert "é.py" in report.to_json(Grade(1, (é,), {}, ()))


def test_the_markdown_grade_is_a_page_to_share() -> None:
    g = Grade(7, sample().sections, {"data": 14.0}, ())
    assert report.to_markdown(g) == (
        "# PokéMarket card-price model — capstone grade\n"
        "\n"
        "**16.8/100 — redo modules** (held-out seed 7; 16 of the rubric's 95 points)\n"
        "\n"
        "| area | points | self-assessed |\n"
        "|---|---:|---:|\n"
        "| Data engineering | 11/15 | 14 |\n"
        "| Model training | 5/15 |  |\n"
        "\n"
        "## Data engineering (`data.py`)\n"
        "\n"
        "- ✓ earned 11/11: dedupes\n"
        "- ✗ lost 4: types — ids are floats\n"
        "\n"
        "## Model training (`model.py`)\n"
        "\n"
        "*Stopped early: still running*\n"
        "\n"
        "- ✓ earned 5/5: fits\n"
        "- ✗ lost 10: fast\n"
        "\n"
        "## To revisit\n"
        "\n"
        "- Model training: 03_training\n"
    )


def test_a_markdown_grade_without_weak_areas_has_nothing_to_revisit() -> None:
    full = Section("data", "x", "x.py", 15, (Criterion("all", 15, 15, ""),), "passed", "")
    text = report.to_markdown(Grade(1, (full,), {}, ()))
    assert "To revisit" not in text
    assert text.endswith("- ✓ earned 15/15: all\n")


def test_the_markdown_grade_copies_and_embeds_the_plots_beside_it(tmp_path: Path) -> None:
    drawn = tmp_path / "drawn"
    drawn.mkdir()
    (drawn / "loss.png").write_bytes(b"png")
    output = tmp_path / "out" / "grade.md"
    text = report.to_markdown(sample((drawn / "loss.png",)), output)
    without_plots = report.to_markdown(sample())
    assert text == without_plots + "\n## Plots\n\n![loss](grade_plots/loss.png)\n"
    assert (tmp_path / "out" / "grade_plots" / "loss.png").read_bytes() == b"png"
    (drawn / "loss.png").write_bytes(b"png, drawn again")
    assert report.to_markdown(sample((drawn / "loss.png",)), output) == text  # grading again
    assert (tmp_path / "out" / "grade_plots" / "loss.png").read_bytes() == b"png, drawn again"
    assert "## Plots" not in report.to_markdown(sample((drawn / "loss.png",)))


def test_the_terminal_grade_shows_areas_criteria_total_and_how_to_grade_again() -> None:
    console = Console(width=120, record=True, color_system=None)
    report.show(console, sample())
    lines = [line.rstrip() for line in console.export_text().splitlines()]
    assert lines == [
        "Capstone grade (seed 7)",
        "┏━━━━━━━━━━━━━━━━━━┳━━━━━━━━┳━━━━━━━━━━┳━━━━━━━━━━┓",
        "┃ area             ┃ points ┃ you said ┃ file     ┃",
        "┡━━━━━━━━━━━━━━━━━━╇━━━━━━━━╇━━━━━━━━━━╇━━━━━━━━━━┩",
        "│ Data engineering │  11/15 │       14 │ data.py  │",
        "│ Model training   │   5/15 │     12.5 │ model.py │",
        "└──────────────────┴────────┴──────────┴──────────┘",
        "Data engineering (data.py)",
        "  ✓ earned 11/11: dedupes",
        "  ✗ lost 4: types — ids are floats",
        "Model training (model.py)",
        "  stopped early: still running",
        "  ✓ earned 5/5: fits",
        "  ✗ lost 10: fast",
        "Total: 16.8/100 — redo modules (16 of the rubric's 95 points)",
        "Revisit 03_training for model training.",
        "Grade again with the same held-out data: `mlings grade --seed 7`.",
    ]


def test_the_terminal_grade_marks_weak_areas_red_and_strong_ones_green() -> None:
    console = Console(width=120, record=True, color_system="standard", force_terminal=True)
    report.show(console, Grade(7, sample().sections, {}, ()))
    styled = console.export_text(styles=True)
    assert "│ \x1b[32m 11/15\x1b[0m │          │" in styled  # no self-assessment: blank
    assert "│ \x1b[31m  5/15\x1b[0m │" in styled
    assert "\x1b[1mData engineering (data.py)\x1b[0m" in styled
    assert "\x1b[32m  ✓ earned 11/11: dedupes\x1b[0m" in styled
    assert "\x1b[31m  ✗ lost 4: types" in styled
    assert "\x1b[33m  stopped early: still running\x1b[0m" in styled
    assert "\x1b[1mTotal: 16.8/100" in styled


def test_an_area_taught_by_several_modules_names_each_to_revisit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    revisit = ("03_training", "04_evaluation")
    monkeypatch.setitem(rubric.AREAS, "training", rubric.Area("Model training", 15, revisit))
    g = Grade(7, sample().sections, {}, ())
    assert "- Model training: 03_training, 04_evaluation\n" in report.to_markdown(g)
    console = Console(width=120, record=True, color_system=None)
    report.show(console, g)
    assert "Revisit 03_training, 04_evaluation for model training." in console.export_text()
