"""`mlings grade`: a project's deliverables judged by their checks, passed checks become points.

Runs on a tiny graded project (tests/fixtures/graded): three deliverables worth 10, 15 and 15
points in the business, data and monitoring areas of the capstone rubric.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from mlings.grading.rubric import AREAS, TOTAL, band, score
from mlings.progress import Store

from .conftest import FIXTURES, copy_course, mlings

FILES = ("business.py", "data_pipeline.py", "monitoring.py")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_course(FIXTURES / "graded", tmp_path / "graded")


def solve(course: Path, *files: str) -> None:
    for file in files or FILES:
        shutil.copy(course / "solutions/01_project" / file, course / "exercises/01_project" / file)


def graded(course: Path, *args: str) -> dict:
    result = mlings(course, "grade", "--format", "json", *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


def earned(report: dict) -> dict[str, float]:
    return {s["area"]: s["earned"] for s in report["sections"]}


def test_the_rubric_scores_out_of_100_keeping_each_areas_stated_weight():
    stated = {"business": 10, "data": 15, "features": 15, "training": 15, "evaluation": 15}
    stated |= {"deployment": 10, "monitoring": 10, "documentation": 5}
    assert {name: area.points for name, area in AREAS.items()} == stated
    assert (score(95), score(0), score(47.5)) == (TOTAL, 0, 50)


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
def test_bands_start_at_their_lowest_total(total: float, name: str):
    assert band(total) == name


def test_an_untouched_project_earns_nothing_and_says_what_is_missing(project: Path):
    report = graded(project, "--seed", "3")
    assert report["points"] == 0 and report["band"] == "redo modules"
    whys = [c["why"] for s in report["sections"] for c in s["criteria"]]
    assert whys and all("NotImplementedError" in why for why in whys)
    assert report["revisit"] == {
        "business": ["00_business"],
        "data": ["01_data"],
        "monitoring": ["06_monitoring"],
    }


def test_a_solved_project_earns_every_point_of_every_check(project: Path):
    solve(project)
    report = graded(project, "--seed", "3")
    assert earned(report) == {"business": 10, "data": 15, "monitoring": 15}
    assert report["points"] == 40 and report["total"] == 42.1
    assert report["plots"] == ["tiny_plot.png"]
    assert report["seed"] == 3 and report["revisit"] == {}


def test_checks_see_the_grades_seed(project: Path):
    solve(project)
    (project / "exercises/01_project/data_pipeline.py").write_text(
        "def double(x):\n    return 6 if x == 3 else 0\n\n\ndef plot():\n    return b'x'\n"
    )
    assert earned(graded(project, "--seed", "3"))["data"] == 15
    assert earned(graded(project, "--seed", "4"))["data"] == 5


def test_partial_credit_is_the_passed_checks_points_with_a_sentence_each(project: Path):
    solve(project)
    (project / "exercises/01_project/business.py").write_text(
        "def margin(price, cost):\n    return abs(price - cost)\n"
    )
    report = graded(project, "--seed", "1")
    business = next(s for s in report["sections"] if s["area"] == "business")
    assert business["earned"] == 6
    lost = [c for c in business["criteria"] if not c["earned"]]
    assert [c["title"] for c in lost] == ["a loss is a negative margin"]
    assert lost[0]["why"] == "margin(1, 4) should be -3"
    assert report["revisit"] == {"business": ["00_business"]}


def test_a_hanging_section_costs_only_its_own_points(project: Path):
    solve(project)
    (project / "exercises/01_project/monitoring.py").write_text(
        "def flag(value):\n    while True:\n        pass\n"
    )
    report = graded(project, "--seed", "1")
    assert earned(report) == {"business": 10, "data": 15, "monitoring": 0}
    monitoring = next(s for s in report["sections"] if s["area"] == "monitoring")
    assert monitoring["status"] == "timeout" and monitoring["note"]


def test_a_missing_or_broken_file_costs_only_its_own_points(project: Path):
    solve(project)
    (project / "exercises/01_project/business.py").unlink()
    (project / "exercises/01_project/monitoring.py").write_text("def flag(value) return 1\n")
    report = graded(project, "--seed", "1")
    assert earned(report) == {"business": 0, "data": 15, "monitoring": 0}


def test_the_terminal_report_gives_the_total_band_seed_and_what_to_revisit(project: Path):
    solve(project, "business.py")
    result = mlings(project, "grade", "--seed", "11")
    out = " ".join(result.stdout.split())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Total: 10.5/100 — redo modules (10 of the rubric's 95 points)" in out
    assert "earned 6/6: the margin is price minus cost" in out
    assert "lost 10: doubles the grade's seed — NotImplementedError: return twice x" in out
    assert "Revisit 01_data for data engineering." in out
    assert "mlings grade --seed 11" in out


def test_without_a_seed_a_new_one_is_drawn_and_printed(project: Path):
    first, second = graded(project)["seed"], graded(project)["seed"]
    assert isinstance(first, int) and isinstance(second, int)


def test_the_markdown_report_embeds_the_learners_plots(project: Path, tmp_path: Path):
    solve(project)
    page = tmp_path / "portfolio" / "grade.md"
    page.parent.mkdir()
    result = mlings(project, "grade", "--seed", "2", "--format", "markdown", "--output", str(page))
    assert result.returncode == 0, result.stdout + result.stderr
    text = page.read_text(encoding="utf-8")
    assert "**42.1/100 — redo modules** (held-out seed 2; 40 of the rubric's 95 points)" in text
    assert "![tiny_plot](grade_plots/tiny_plot.png)" in text
    assert (page.parent / "grade_plots" / "tiny_plot.png").read_bytes() == b"\x89PNG not really"


def test_the_self_assessment_is_shown_beside_the_grade(project: Path):
    (project / "exercises/01_project/SELF_ASSESSMENT.toml").write_text(
        "[points]\nbusiness = 8\ndata = 15.5\nnonsense = 3\n"
    )
    report = graded(project, "--seed", "1")
    assessed = {s["area"]: s["self_assessed"] for s in report["sections"]}
    assert assessed == {"business": 8, "data": 15.5, "monitoring": None}


def test_grading_records_no_progress(project: Path):
    solve(project)
    graded(project, "--seed", "1")
    assert not Store(project).load().done


def test_a_folder_can_be_graded_in_place_of_the_exercises(project: Path):
    report = graded(project, "--seed", "1", "--folder", "solutions/01_project")
    assert report["points"] == 40


def test_dev_check_proves_every_check_carries_points_that_add_up(project: Path):
    assert mlings(project, "dev", "check").returncode == 0
    check = project / "checks/01_project/test_tiny_monitoring.py"
    check.write_text(check.read_text().replace("points(7)", "points(6)"))
    result = mlings(project, "dev", "check")
    out = " ".join((result.stdout + result.stderr).split())
    assert result.returncode == 1
    assert "its checks' points add up to 14, not the catalog's 15" in out
    check.write_text(check.read_text().replace("@pytest.mark.points(6)\n", ""))
    out = " ".join(mlings(project, "dev", "check").stdout.split())
    assert "checks without points (pytest.mark.points): stays quiet on a small value" in out


def test_dev_try_judges_one_project_file_beside_the_references_others(
    project: Path, tmp_path: Path
):
    draft = tmp_path / "elsewhere" / "my_monitoring.py"
    draft.parent.mkdir()
    draft.write_text(
        "from business import margin\n\n\ndef flag(value):\n    return margin(value, 10) > 0\n"
    )
    result = mlings(project, "dev", "try", "tiny_monitoring", str(draft))
    assert result.returncode == 0, result.stdout + result.stderr
    assert not list((project / "exercises/01_project").glob("my_monitoring*")), "staged apart"


def test_an_output_file_named_md_gets_markdown_and_any_other_json(project: Path, tmp_path: Path):
    page, data = tmp_path / "grade.md", tmp_path / "grade.json"
    assert mlings(project, "grade", "--seed", "1", "--output", str(page)).returncode == 0
    assert page.read_text(encoding="utf-8").startswith("# PokéMarket card-price model")
    assert mlings(project, "grade", "--seed", "1", "--output", str(data)).returncode == 0
    assert json.loads(data.read_text(encoding="utf-8"))["seed"] == 1
