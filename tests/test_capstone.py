"""The capstone as `mlings grade` sees it: untouched it earns almost nothing, the reference earns
a hire-ready grade, and a broken deliverable costs its own section's points.

Each grade trains the learner's model on the course's data and scores it on held-out sales drawn
from the seed, so these tests take a minute or two; `bench/grade_time.py` measures the time.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from mlings.dataset import heldout_sales

from .conftest import mlings

CAPSTONE = Path("exercises/08_capstone")
REFERENCE = Path("solutions/08_capstone")


def grade_of(course: Path, *args: str) -> dict:
    result = mlings(course, "grade", "--seed", "7", "--format", "json", *args, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


def by_area(report: dict) -> dict[str, float]:
    return {s["area"]: s["earned"] for s in report["sections"]}


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict:
    from .conftest import COURSE_PARTS, PROJECT, copy_course

    course = copy_course(PROJECT, tmp_path_factory.mktemp("reference"), COURSE_PARTS)
    return grade_of(course, "--folder", str(REFERENCE))


def test_the_untouched_capstone_earns_under_20_and_says_what_is_missing(course: Path):
    report = grade_of(course)
    assert report["total"] < 20, by_area(report)
    lost = [c for s in report["sections"] for c in s["criteria"] if not c["earned"]]
    assert lost and all(c["why"] for c in lost), "every lost point says why"
    assert set(report["revisit"]) == {s["area"] for s in report["sections"]}


def test_the_reference_is_hire_ready(reference: dict):
    assert reference["total"] >= 90, [
        (s["area"], c["title"], c["why"])
        for s in reference["sections"]
        for c in s["criteria"]
        if not c["earned"]
    ]
    assert reference["band"] == "hire-ready"
    assert reference["plots"] == ["drift.png", "error_analysis.png"], "the portfolio's figures"


LEAK = (
    "    count = priced.groupby(key).cumsum() - priced  # the earlier rows: all but this one\n",
    "    count = priced.groupby(key).cumsum()  # (leaks: the row's own price is counted)\n",
)
UNLEAK_TOTAL = (
    ".groupby(key).shift(fill_value=0.0).groupby(key).cumsum()",
    ".groupby(key).cumsum()",
)


SILENT = (
    '    return {"drifted": bool(alerts), "psi": psi, "alerts": alerts}',
    '    return {"drifted": False, "psi": psi, "alerts": []}',
)


def break_reference(course: Path) -> None:
    """The reference, with a leaky feature and a drift report that never fires."""
    folder = course / CAPSTONE
    for file in (course / REFERENCE).iterdir():
        if file.is_file():
            shutil.copy(file, folder / file.name)
    features = folder / "features.py"
    text = features.read_text(encoding="utf-8")
    assert LEAK[0] in text and UNLEAK_TOTAL[0] in text, "the reference's features changed"
    features.write_text(text.replace(*LEAK).replace(*UNLEAK_TOTAL), encoding="utf-8")
    monitoring = folder / "monitoring.py"
    text = monitoring.read_text(encoding="utf-8")
    assert SILENT[0] in text, "the reference's monitoring changed"
    monitoring.write_text(text.replace(*SILENT), encoding="utf-8")


def test_a_broken_deliverable_costs_its_own_sections_points(course: Path, reference: dict):
    break_reference(course)
    broken = by_area(grade_of(course))
    whole = by_area(reference)
    assert broken["features"] < whole["features"], "the leak is caught"
    assert broken["monitoring"] < whole["monitoring"], "the silent drift report is caught"
    for area in ("business", "data", "deployment"):
        assert broken[area] == whole[area], f"{area} does not depend on features or monitoring"


def test_held_out_sales_are_the_same_for_a_seed_and_differ_between_seeds():
    first, again, other = heldout_sales(3, n=300), heldout_sales(3, n=300), heldout_sales(4, n=300)
    assert first.equals(again)
    assert not first["price_usd"].equals(other["price_usd"])
    assert first["sale_date"].min() >= pd.Timestamp("2025-01-01")
