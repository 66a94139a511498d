"""The verify reports (mlings.reports): what CI and a classroom read, field by field."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import pytest

from mlings import reports
from mlings.course import Exercise
from mlings.engine.results import CheckResult, RunResult, Status


def exercise(name: str, module: str = "01_data") -> Exercise:
    return Exercise(name=name, module=module, file=f"01_{name}.py", hints=("a", "b"))


def check(title: str, passed: bool = True, message: str = "") -> CheckResult:
    return CheckResult(id=f"test_{title}", title=title, passed=passed, message=message)


def run(name: str, status: Status, *checks: CheckResult, message: str = "", duration: float = 0.0):
    return RunResult(name, status, checks=checks, message=message, duration=duration)


MIXED = [
    (exercise("schema"), run("schema", Status.PASSED, check("keeps ids"), duration=0.12345)),
    (
        exercise("prices", "02_features"),
        run("prices", Status.FAILED, check("parses"), check("rounds", False, "off by one")),
    ),
    (exercise("split"), run("split", Status.TIMEOUT, message="still running after 15 s")),
]


def junit(results) -> ET.Element:
    return ET.fromstring(reports.to_junit(results).encode())


# --- JSON ---------------------------------------------------------------------------------


def test_the_json_report_counts_passed_exercises_out_of_all() -> None:
    report = json.loads(reports.to_json(MIXED))
    assert (report["passed"], report["total"]) == (1, 3)
    assert list(report) == [
        "schema",
        "course_version",
        "passed",
        "total",
        "points",
        "max_points",
        "exercises",
    ]


def test_the_json_report_gives_each_exercise_its_status_message_duration_and_checks() -> None:
    report = json.loads(reports.to_json(MIXED))
    assert report["exercises"] == [
        {
            "name": "schema",
            "module": "01_data",
            "status": "passed",
            "points": 1,
            "max_points": 1,
            "message": "",
            "duration": 0.123,
            "checks": [{"title": "keeps ids", "passed": True, "message": ""}],
        },
        {
            "name": "prices",
            "module": "02_features",
            "status": "failed",
            "points": 0,
            "max_points": 1,
            "message": "",
            "duration": 0.0,
            "checks": [
                {"title": "parses", "passed": True, "message": ""},
                {"title": "rounds", "passed": False, "message": "off by one"},
            ],
        },
        {
            "name": "split",
            "module": "01_data",
            "status": "timeout",
            "points": 0,
            "max_points": 1,
            "message": "still running after 15 s",
            "duration": 0.0,
            "checks": [],
        },
    ]


def test_the_json_duration_is_rounded_to_milliseconds() -> None:
    results = [(exercise("a"), run("a", Status.PASSED, duration=1.23456))]
    assert json.loads(reports.to_json(results))["exercises"][0]["duration"] == 1.235


def test_an_empty_json_report_has_no_exercises() -> None:
    report = json.loads(reports.to_json([]))
    assert (report["passed"], report["total"], report["max_points"]) == (0, 0, 0)
    assert report["exercises"] == []


def test_the_json_report_is_indented_utf8_text_ending_in_a_newline() -> None:
    results = [(exercise("a"), run("a", Status.FAILED, check("PokéMarket", False, "prix €")))]
    text = reports.to_json(results)
    assert text.startswith('{\n  "schema": 1,\n  "course_version": ')
    assert text.endswith("}\n")
    assert "PokéMarket" in text and "prix €" in text  # not \u-escaped


def test_the_json_report_drops_terminal_escapes_from_learner_text() -> None:
    results = [
        (
            exercise("a"),
            run(
                "a",
                Status.ERROR,
                check("\x1b[31mred\x1b[0m title", False, "clear\x1b[2J me"),
                message="bell\x07 and \x1b]0;title\x07done",
            ),
        )
    ]
    entry = json.loads(reports.to_json(results))["exercises"][0]
    assert entry["message"] == "bell and done"
    assert entry["checks"] == [{"title": "red title", "passed": False, "message": "clear me"}]


# --- JUnit --------------------------------------------------------------------------------


def test_the_junit_report_is_an_indented_xml_document_ending_in_a_newline() -> None:
    text = reports.to_junit(MIXED)
    assert text.startswith("<?xml version='1.0' encoding='utf-8'?>\n<testsuites name=\"mlings\" ")
    assert "\n  <testsuite " in text and "\n    <testcase " in text
    assert text.endswith("</testsuites>\n")


def test_the_junit_report_has_one_suite_per_exercise_in_the_order_run() -> None:
    root = junit(MIXED)
    assert root.tag == "testsuites" and root.get("name") == "mlings"
    names = [s.get("name") for s in root.findall("testsuite")]
    assert names == ["01_data.schema", "02_features.prices", "01_data.split"]
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("4", "1", "1")


def test_each_check_is_a_case_named_by_its_title_in_its_exercises_class() -> None:
    suite = junit(MIXED).find("testsuite[@name='02_features.prices']")
    assert suite is not None
    cases = [(c.get("classname"), c.get("name")) for c in suite.findall("testcase")]
    assert cases == [("02_features.prices", "parses"), ("02_features.prices", "rounds")]


def test_a_failed_check_carries_its_message_as_attribute_and_text() -> None:
    suite = junit(MIXED).find("testsuite[@name='02_features.prices']")
    assert suite is not None
    passed, failed = suite.findall("testcase")
    assert list(passed) == []
    (failure,) = list(failed)
    assert failure.tag == "failure"
    assert failure.get("message") == failure.text == "off by one"
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("2", "1", "0")


@pytest.mark.parametrize("status", [Status.ERROR, Status.TIMEOUT, Status.CRASHED])
def test_a_run_that_ended_early_is_one_errored_case_after_its_checks(status: Status) -> None:
    results = [(exercise("split"), run("split", status, check("first"), message="it stopped"))]
    suite = junit(results).find("testsuite")
    assert suite is not None
    first, ended = suite.findall("testcase")
    assert first.get("name") == "first"
    assert ended.get("classname") == "01_data.split"
    assert ended.get("name") == f"split ({status.value})"
    (error,) = list(ended)
    assert error.tag == "error"
    assert error.get("type") == status.value
    assert error.get("message") == error.text == "it stopped"
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("2", "0", "1")


@pytest.mark.parametrize("status", [Status.PASSED, Status.FAILED])
def test_a_run_that_finished_its_checks_adds_no_errored_case(status: Status) -> None:
    results = [(exercise("a"), run("a", status, check("only", status is Status.PASSED, "no")))]
    suite = junit(results).find("testsuite")
    assert suite is not None
    assert [c.get("name") for c in suite.findall("testcase")] == ["only"]
    assert suite.findall("testcase/error") == []


def test_each_suites_counts_and_the_totals_keep_failures_apart_from_errors() -> None:
    results = [
        (exercise("a"), run("a", Status.FAILED, check("x", False, "m"), check("y", False, "n"))),
        (exercise("b"), run("b", Status.CRASHED, check("z"), message="died")),
        (exercise("c"), run("c", Status.ERROR, message="syntax")),
        (exercise("d", "02_features"), run("d", Status.PASSED, check("w"))),
    ]
    root = junit(results)
    counts = {
        s.get("name"): (s.get("tests"), s.get("failures"), s.get("errors"))
        for s in root.findall("testsuite")
    }
    assert counts == {
        "01_data.a": ("2", "2", "0"),
        "01_data.b": ("2", "0", "1"),
        "01_data.c": ("1", "0", "1"),
        "02_features.d": ("1", "0", "0"),
    }
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("6", "2", "2")


def test_junit_text_holds_no_character_xml_cannot_carry() -> None:
    nasty = "a\x1b[31mb\x00c\x0bd\ufffee\uffff\ud800f"
    results = [(exercise("a"), run("a", Status.ERROR, check(nasty, False, nasty), message=nasty))]
    text = reports.to_junit(results)
    text.encode("utf-8")  # no lone surrogate left
    root = ET.fromstring(text.encode())
    case, ended = root.iter("testcase")
    assert case.get("name") == "abcdef"
    assert case[0].get("message") == case[0].text == "abcdef"
    assert ended[0].get("message") == ended[0].text == "abcdef"


def test_junit_escapes_markup_in_learner_text() -> None:
    text = '<b>"quoted" & done</b>'
    results = [(exercise("a"), run("a", Status.FAILED, check(text, False, text)))]
    case = next(junit(results).iter("testcase"))
    assert case.get("name") == text
    assert case[0].get("message") == case[0].text == text


def test_junit_keeps_line_breaks_in_messages() -> None:
    results = [(exercise("a"), run("a", Status.FAILED, check("t", False, "one\r\ntwo\tthree")))]
    case = next(junit(results).iter("testcase"))
    assert case[0].text == "one\ntwo\tthree"
