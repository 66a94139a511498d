"""Machine-readable verify reports for CI and classroom grading: JSON and JUnit XML."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from xml.etree import ElementTree as ET

from mlings.course import Exercise
from mlings.engine.results import RunResult, Status, clean_text

Results = Sequence[tuple[Exercise, RunResult]]
# What XML 1.0 cannot hold at all, escaped or not: most control characters, lone surrogates.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml(text: str) -> str:
    """``text`` as XML can carry it: terminal escapes and forbidden characters removed."""
    return _NOT_XML.sub("", clean_text(text))


def to_json(results: Results) -> str:
    """One object: totals and, per exercise, its status and checks."""
    exercises = [
        {
            "name": exercise.name,
            "module": exercise.module,
            "status": run.status.value,
            "message": clean_text(run.message),
            "duration": round(run.duration, 3),
            "checks": [
                {"title": clean_text(c.title), "passed": c.passed, "message": clean_text(c.message)}
                for c in run.checks
            ],
        }
        for exercise, run in results
    ]
    passed = sum(run.passed for _, run in results)
    report = {"passed": passed, "total": len(exercises), "exercises": exercises}
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def to_junit(results: Results) -> str:
    """A JUnit document: a test suite per module, a test case per check.

    A run that ended before its checks finished (error, timeout, crash) is one errored case.
    """
    root = ET.Element("testsuites", name="mlings")
    suites: dict[str, ET.Element] = {}
    for exercise, run in results:
        suite = suites.get(exercise.module)
        if suite is None:
            suite = suites[exercise.module] = ET.SubElement(root, "testsuite", name=exercise.module)
        classname = f"{exercise.module}.{exercise.name}"
        for check in run.checks:
            case = ET.SubElement(suite, "testcase", classname=classname, name=_xml(check.title))
            if not check.passed:
                message = _xml(check.message)
                ET.SubElement(case, "failure", message=message).text = message
        if run.status in (Status.ERROR, Status.TIMEOUT, Status.CRASHED):
            case = ET.SubElement(
                suite, "testcase", classname=classname, name=f"{exercise.name} ({run.status})"
            )
            message = _xml(run.message)
            ET.SubElement(case, "error", type=run.status.value, message=message).text = message
        case_count = len(suite.findall("testcase"))
        suite.set("tests", str(case_count))
        suite.set("failures", str(len(suite.findall("testcase/failure"))))
        suite.set("errors", str(len(suite.findall("testcase/error"))))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
