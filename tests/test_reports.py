"""Verify reports: the JSON schema, JUnit's counts, GitHub Classroom's result format."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

from mlings import reports
from mlings.course import Exercise
from mlings.engine.results import CheckResult, RunResult, Status

PLAIN = Exercise("pricing", "00_business", "01_pricing.py", ("a", "b"))
GRADED = Exercise("model", "08_capstone", "02_model.py", ("a", "b"), points=10, rubric="model")


def check(title: str, passed: bool, points: float = 0.0) -> CheckResult:
    return CheckResult(f"t::{title}", title, passed, "" if passed else f"{title} is wrong", None,
                       None if passed else "AssertionError", points)  # fmt: skip


def run(exercise: Exercise, status: Status, *checks: CheckResult, message: str = "") -> RunResult:
    return RunResult(exercise.name, status, checks, message, duration=0.5)


PASSED = (PLAIN, run(PLAIN, Status.PASSED, check("a", True), check("b", True)))
FAILED = (PLAIN, run(PLAIN, Status.FAILED, check("a", True), check("b", False)))
# a timeout after one failed check: one failure and one error, never two failures
TIMED_OUT = (PLAIN, run(PLAIN, Status.TIMEOUT, check("a", False), message="took over 15 s"))
PARTIAL = (GRADED, run(GRADED, Status.FAILED, check("x", True, 6), check("y", False, 4)))


def test_json_carries_schema_version_and_points() -> None:
    report = json.loads(reports.to_json([PASSED, PARTIAL]))
    assert report["schema"] == reports.SCHEMA == 1
    assert report["course_version"] == reports.course_version() != "unknown"
    assert (report["passed"], report["total"]) == (1, 2)
    assert (report["points"], report["max_points"]) == (7, 11)
    first, second = report["exercises"]
    assert (first["points"], first["max_points"]) == (1, 1)
    assert (second["points"], second["max_points"], second["status"]) == (6, 10, "failed")


def test_junit_names_each_exercise_and_check_and_counts_failures_apart_from_errors() -> None:
    root = ET.fromstring(reports.to_junit([PASSED, FAILED, TIMED_OUT]).encode())
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["00_business.pricing"] * 3
    counts = [(s.get("tests"), s.get("failures"), s.get("errors")) for s in suites]
    assert counts == [("2", "0", "0"), ("2", "1", "0"), ("2", "1", "1")]
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("6", "2", "1")
    names = [c.get("name") for c in suites[1].findall("testcase")]
    assert names == ["a", "b"]
    error = suites[2].find("testcase/error")
    assert error is not None and error.get("type") == "timeout"


def test_a_run_without_checks_is_one_errored_or_failed_case() -> None:
    missing = (PLAIN, RunResult.missing(PLAIN.name, str(PLAIN.path)))
    silent = (PLAIN, run(PLAIN, Status.FAILED, message="no check reported"))
    root = ET.fromstring(reports.to_junit([missing, silent]).encode())
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("2", "1", "1")


def test_classroom_result_scores_each_exercise_in_points() -> None:
    report = json.loads(reports.to_classroom([PASSED, FAILED, PARTIAL]))
    assert report["version"] == 1 and report["status"] == "fail" and report["max_score"] == 12
    tests = report["tests"]
    assert [t["name"] for t in tests] == ["00_business/pricing"] * 2 + ["08_capstone/model"]
    assert [(t["status"], t["score"]) for t in tests] == [("pass", 1), ("fail", 0), ("fail", 6)]
    assert tests[1]["message"] == "b is wrong" and tests[0]["message"] == ""
    assert all({"name", "status", "score", "message"} <= set(t) for t in tests)


def test_classroom_status_is_error_when_a_run_ended_early_and_pass_when_all_pass() -> None:
    assert json.loads(reports.to_classroom([PASSED, TIMED_OUT]))["status"] == "error"
    assert json.loads(reports.to_classroom([PASSED]))["status"] == "pass"


def test_classroom_messages_are_capped() -> None:
    long = (PLAIN, run(PLAIN, Status.FAILED, message="x" * 10_000))
    message = json.loads(reports.to_classroom([long]))["tests"][0]["message"]
    assert len(message) == reports.MESSAGE_CAP
