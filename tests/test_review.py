"""A review is graded by which planted defects its findings name, and the pull requests are real.

Module 7's checks hold planted defects; `mlings.review.grade` matches a learner's findings to them.
The pull requests under review are unified diffs that git applies to the code base beside them, and
every planted defect sits on lines the diff adds.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

from mlings.review import (
    Defect,
    Finding,
    added_lines,
    grade,
    judge_blockers_rated,
    judge_every_defect_named,
    judge_false_alarms,
    judge_majors_rated,
    numbered,
    problems,
)

from .conftest import PROJECT

REPO = PROJECT / "exercises" / "07_collaboration" / "pokemarket_repo"
CHECKS = PROJECT / "mlings" / "checks" / "07_collaboration"

LEAK = Defect(
    "leak", "pkg/features.py", (10, 12), frozenset({"leakage"}), "blocker", "mean over all rows"
)
SEED = Defect("seed", "pkg/features.py", (30, 30), frozenset({"reproducibility"}), "minor", "seed")


def finding(file="pkg/features.py", lines=(10, 12), category="leakage", severity="blocker"):
    return Finding(file, lines, category, severity, "It reads the sale's own price, a leak.")


def test_a_finding_on_the_defects_lines_with_a_fitting_category_names_it() -> None:
    result = grade([finding()], [LEAK, SEED])
    assert set(result.found) == {"leak"}
    assert result.missed == (SEED,)
    assert (result.precision, result.recall) == (1.0, 0.5)


@pytest.mark.parametrize(
    ("lines", "named"),
    [((10, 10), True), ((9, 9), False), ((12, 20), True), ((13, 20), False), ((1, 40), True)],
)
def test_a_finding_must_overlap_the_defects_lines(lines: tuple[int, int], named: bool) -> None:
    assert LEAK.named_by(finding(lines=lines)) is named


def test_the_wrong_file_or_category_names_nothing() -> None:
    assert not LEAK.named_by(finding(file="pkg/train.py"))
    assert not LEAK.named_by(finding(category="maintainability"))


def test_git_prefixes_and_dot_slash_are_the_same_file() -> None:
    for name in ("b/pkg/features.py", "a/pkg/features.py", "./pkg/features.py"):
        assert LEAK.named_by(finding(file=name))


def test_a_second_finding_on_a_found_defect_is_a_repeat_not_a_false_alarm() -> None:
    result = grade([finding(), finding(lines=(11, 11)), finding(lines=(50, 52))], [LEAK])
    assert len(result.repeats) == 1 and len(result.false_alarms) == 1
    assert result.precision == 0.5


def test_one_finding_covering_two_defects_names_only_one() -> None:
    near = Defect("near", "pkg/features.py", (14, 14), frozenset({"leakage"}), "major", "x")
    result = grade([finding(lines=(10, 14))], [LEAK, near])
    assert len(result.found) == 1 and len(result.missed) == 1


def test_a_blocker_rated_major_is_underrated_and_a_minor_rated_major_is_not() -> None:
    seed = finding(lines=(30, 30), category="reproducibility", severity="major")
    result = grade([finding(severity="major"), seed], [LEAK, SEED])
    assert [d.id for d, _ in result.underrated] == ["leak"]


def test_a_malformed_finding_names_nothing_rather_than_crashing() -> None:
    broken = Finding("pkg/features.py", (10,), "leakage", "blocker", "x")
    assert grade([broken], [LEAK]).false_alarms == (broken,)


def test_no_findings_has_no_precision_and_no_recall() -> None:
    result = grade([], [LEAK])
    assert (result.precision, result.recall) == (0.0, 0.0)


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        (finding(lines=(12, 10)), "first <= last"),
        (finding(lines=(0, 3)), "numbers from 1"),
        (Finding("f.py", [1, 2], "leakage", "blocker", "a sentence of six words here"), "lines"),
        (finding(category="leak"), "category 'leak'"),
        (finding(severity="critical"), "severity 'critical'"),
        (Finding("f.py", (1, 2), "leakage", "blocker", "leaks"), "needs a sentence"),
        (("f.py", (1, 2), "leakage", "blocker", "note"), "not a Finding"),
    ],
)
def test_malformed_findings_are_named_in_a_sentence(bad: object, says: str) -> None:
    (message,) = problems([finding(), bad])
    assert message.startswith("finding 2") and says in message


DIFF = """\
diff --git a/pkg/f.py b/pkg/f.py
--- a/pkg/f.py
+++ b/pkg/f.py
@@ -1,3 +1,4 @@
 one
-two
+TWO
+three
 four
"""


def test_a_smell_hunt_may_name_its_own_categories() -> None:
    smell = Finding("nb.py", (3, 3), "magic-number", "minor", "0.87 has no name or reason.")
    assert problems([smell]) and not problems([smell], categories=("magic-number",))


NUDGES = {"leak": "look at which rows the mean is taken over", "seed": "look at the seed"}


def test_a_missed_defect_is_counted_and_nudged_without_its_lines() -> None:
    with pytest.raises(AssertionError) as failed:
        judge_every_defect_named([finding()], [LEAK, SEED], NUDGES)
    message = str(failed.value)
    assert "1 of 2 defects is not in your findings" in message
    assert NUDGES["seed"] in message
    assert "(30, 30)" not in message  # where a defect is, the learner finds


def test_a_finding_on_the_right_lines_with_the_wrong_category_is_pointed_out() -> None:
    with pytest.raises(AssertionError, match="points at it, but that category"):
        judge_every_defect_named([finding(category="security")], [LEAK], NUDGES)


def test_files_the_diff_does_not_change_are_named_when_the_diff_is_known() -> None:
    with pytest.raises(AssertionError, match=r"Name files as the diff does \(pkg/features.py\)"):
        judge_every_defect_named([finding(file="features.py")], [LEAK], NUDGES, ["pkg/features.py"])


def test_a_blocker_rated_less_fails_and_says_what_merging_it_would_do() -> None:
    judge_blockers_rated([finding()], [LEAK], harm="leak")
    with pytest.raises(AssertionError, match="Merged, it would leak prices: rate it blocker"):
        judge_blockers_rated([finding(severity="major")], [LEAK], harm="leak prices")


def test_a_major_defect_rated_minor_fails_and_one_rated_blocker_passes() -> None:
    major = Defect("m", "pkg/features.py", (10, 12), frozenset({"leakage"}), "major", "a major")
    judge_majors_rated([finding(severity="blocker")], [major])
    with pytest.raises(AssertionError, match="rate it major"):
        judge_majors_rated([finding(severity="minor")], [major])


def test_one_false_alarm_is_allowed_and_two_are_listed() -> None:
    alarm = finding(lines=(50, 50))
    judge_false_alarms([finding(), alarm], [LEAK])
    with pytest.raises(AssertionError, match="2 of your findings name no defect"):
        judge_false_alarms([finding(), alarm, finding(lines=(60, 61))], [LEAK])


def test_a_diff_is_numbered_as_findings_name_its_lines(tmp_path: Path) -> None:
    path = tmp_path / "x.diff"
    path.write_text(DIFF)
    assert added_lines(path) == {"pkg/f.py": {2, 3}}
    shown = numbered(path).splitlines()
    assert shown[0] == "=== pkg/f.py"
    assert "    2 +TWO" in shown and "      -two" in shown and "    4  four" in shown


def review_checks() -> list[ModuleType]:
    """The Module 7 check files that plant defects in a pull request."""
    found = []
    for path in sorted(CHECKS.glob("test_*.py")):
        spec = importlib.util.spec_from_file_location(f"review_{path.stem}", path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if hasattr(module, "DEFECTS") and (hasattr(module, "DIFF") or hasattr(module, "SOURCE")):
            found.append(pytest.param(module, id=path.stem))
    return found


def diffs() -> list[pytest.param]:
    return [p for p in review_checks() if hasattr(p.values[0], "DIFF")]


@pytest.mark.parametrize("check", diffs())
def test_every_pull_request_applies_with_git_to_the_code_under_review(
    tmp_path: Path, check: ModuleType
) -> None:
    copy = tmp_path / "repo"
    shutil.copytree(REPO, copy)
    subprocess.run(["git", "init", "-q"], cwd=copy, check=True)
    applied = subprocess.run(
        ["git", "apply", "--check", str(PROJECT / check.DIFF)],
        cwd=copy,
        capture_output=True,
        text=True,
    )
    assert applied.returncode == 0, applied.stderr


@pytest.mark.parametrize("check", review_checks())
def test_every_planted_defect_is_on_lines_its_change_adds(check: ModuleType) -> None:
    """In a pull request: lines the diff adds; in a whole file under review: its lines."""
    if hasattr(check, "DIFF"):
        added = added_lines(PROJECT / check.DIFF)
    else:
        text = (PROJECT / check.SOURCE).read_text(encoding="utf-8")
        added = {check.DEFECTS[0].file: set(range(1, len(text.splitlines()) + 1))}
    assert check.DEFECTS
    for defect in check.DEFECTS:
        lines = set(range(defect.lines[0], defect.lines[1] + 1))
        assert lines & added.get(defect.file, set()), f"{defect.id} is not on an added line"
