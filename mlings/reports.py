"""Machine-readable verify reports for CI and classroom grading: JSON, JUnit XML, Classroom.

The JSON report carries ``schema`` (``SCHEMA``, raised whenever a field changes meaning or goes
away), the course version (the installed mlings) and each exercise's points. Points: a passed
exercise earns its catalog ``points`` (1 when the catalog gives none); one that did not pass
earns the points of its passed checks where its checks carry points (the capstone), else 0.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from xml.etree import ElementTree as ET

from mlings.course import Exercise
from mlings.engine.results import RunResult, Status, clean_text

Results = Sequence[tuple[Exercise, RunResult]]
SCHEMA = 1
CLASSROOM_VERSION = 1  # the version of GitHub Classroom's autograding result format
MESSAGE_CAP = 500
ENDED_EARLY = (Status.ERROR, Status.TIMEOUT, Status.CRASHED)
# What XML 1.0 cannot hold at all, escaped or not: most control characters, lone surrogates.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml(text: str) -> str:
    """``text`` as XML can carry it: terminal escapes and forbidden characters removed."""
    return _NOT_XML.sub("", clean_text(text))


def course_version() -> str:
    """The installed mlings' version: the course's checks and catalog come with it."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mlings")
    except PackageNotFoundError:
        return "unknown"


def max_points(exercise: Exercise) -> float:
    """What an exercise is worth: its catalog ``points``, 1 when it has none."""
    return float(exercise.points or 1)


def earned(exercise: Exercise, run: RunResult) -> float:
    """Points earned: all of them for a pass, else those of passed checks that carry points."""
    if run.passed:
        return max_points(exercise)
    partial = sum(c.points for c in run.checks if c.passed and c.points > 0)
    return min(max_points(exercise), partial)


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 3)


def to_json(results: Results) -> str:
    """One object: schema, course version, totals and, per exercise, status, points, checks."""
    exercises = [
        {
            "name": exercise.name,
            "module": exercise.module,
            "status": run.status.value,
            "points": _number(earned(exercise, run)),
            "max_points": _number(max_points(exercise)),
            "message": clean_text(run.message),
            "duration": round(run.duration, 3),
            "checks": [
                {"title": clean_text(c.title), "passed": c.passed, "message": clean_text(c.message)}
                for c in run.checks
            ],
        }
        for exercise, run in results
    ]
    report = {
        "schema": SCHEMA,
        "course_version": course_version(),
        "passed": sum(run.passed for _, run in results),
        "total": len(exercises),
        "points": _number(sum(earned(e, r) for e, r in results)),
        "max_points": _number(sum(max_points(e) for e, _ in results)),
        "exercises": exercises,
    }
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def to_junit(results: Results) -> str:
    """A JUnit document: a test suite per exercise (``module.name``), a test case per check.

    A run that ended before its checks finished (error, timeout, crash) adds one errored case;
    a run that failed without reporting any check adds one failed case. ``failures`` counts
    failed cases only and ``errors`` errored ones, per suite and in total.
    """
    root = ET.Element("testsuites", name="mlings")
    for exercise, run in results:
        classname = f"{exercise.module}.{exercise.name}"
        suite = ET.SubElement(root, "testsuite", name=classname, time=f"{run.duration:.3f}")
        properties = ET.SubElement(suite, "properties")
        for name, value in (
            ("status", run.status.value),
            ("points", _number(earned(exercise, run))),
            ("max_points", _number(max_points(exercise))),
        ):
            ET.SubElement(properties, "property", name=name, value=str(value))
        for check in run.checks:
            case = ET.SubElement(suite, "testcase", classname=classname, name=_xml(check.title))
            if not check.passed:
                message = _xml(check.message)
                ET.SubElement(case, "failure", message=message).text = message
        if run.status in ENDED_EARLY:
            case = ET.SubElement(
                suite, "testcase", classname=classname, name=f"{exercise.name} ({run.status})"
            )
            message = _xml(run.message)
            ET.SubElement(case, "error", type=run.status.value, message=message).text = message
        elif not run.passed and not run.checks:
            case = ET.SubElement(suite, "testcase", classname=classname, name=exercise.name)
            message = _xml(run.message) or "no check reported"
            ET.SubElement(case, "failure", message=message).text = message
        _count(suite)
    _count(root)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _count(element: ET.Element) -> None:
    """Set ``tests``, ``failures`` and ``errors`` from the test cases below ``element``."""
    cases = element.findall(".//testcase")
    element.set("tests", str(len(cases)))
    element.set("failures", str(sum(c.find("failure") is not None for c in cases)))
    element.set("errors", str(sum(c.find("error") is not None for c in cases)))


def _classroom_status(run: RunResult) -> str:
    if run.passed:
        return "pass"
    return "error" if run.status in ENDED_EARLY else "fail"


def to_classroom(results: Results) -> str:
    """GitHub Classroom's autograding result: one test per exercise, scored in points.

    The ``autograding-grading-reporter`` action reads it base64-encoded from the env variable
    ``<STEP ID>_RESULTS`` and adds up the tests' ``score`` against ``max_score``.
    """
    tests = []
    for exercise, run in results:
        failure = run.first_failure
        message = clean_text(failure.message if failure is not None else run.message)
        if len(message) > MESSAGE_CAP:  # the result travels in an environment variable
            message = message[: MESSAGE_CAP - 1] + "…"
        tests.append(
            {
                "name": f"{exercise.module}/{exercise.name}",
                "status": _classroom_status(run),
                "score": _number(earned(exercise, run)),
                "max_score": _number(max_points(exercise)),
                "message": message if not run.passed else "",
                "test_code": f"mlings run {exercise.name}",
                "filename": str(exercise.path),
                "line_no": 0,
                "execution_time": f"{run.duration:.2f}s",
            }
        )
    statuses = {t["status"] for t in tests}
    status = "error" if "error" in statuses else "fail" if "fail" in statuses else "pass"
    report = {
        "version": CLASSROOM_VERSION,
        "status": status,
        "max_score": _number(sum(max_points(e) for e, _ in results)),
        "tests": tests,
    }
    return json.dumps(report, ensure_ascii=False) + "\n"
