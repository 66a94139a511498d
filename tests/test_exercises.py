"""The course's exercises are sound, their checks judge by behaviour, and both engines agree.

``tests/variants/<module>/<exercise>/`` holds plausible learner files: ``wrong_*.py`` make the
common mistake the exercise's lesson warns about and must fail; ``alt_*.py`` are correct but
written differently from the reference solution and must pass.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest

from mlings import authoring
from mlings.course import load_course
from mlings.engine.results import RunResult, Status
from mlings.engine.runner import Engine, Job, run_many

from .conftest import PROJECT, mlings

COURSE = load_course(PROJECT)
VARIANTS = Path(__file__).resolve().parent / "variants"


# Variants run all cores at once, beside whatever else loads the machine, and a wrong answer may
# be slow (early stopping that never stops fits every tree): what is under test is their verdict,
# not their speed, which `mlings dev check` holds the reference solutions to.
VARIANT_SLACK = 3


def job_for(name: str, file: Path, slack: float = 1) -> Job:
    exercise = COURSE.exercise(name)
    timeout = exercise.timeout * slack
    return Job(name, file, COURSE.check_file(exercise), PROJECT, timeout=timeout)


def variants(prefix: str) -> list[pytest.param]:
    found = []
    for exercise in COURSE.exercises:
        folder = VARIANTS / exercise.module / exercise.name
        for file in sorted(folder.glob(f"{prefix}_*.py")):
            found.append(pytest.param(exercise.name, file, id=f"{exercise.name}/{file.stem}"))
    return found


def test_mlings_dev_check_passes_on_the_course() -> None:
    result = mlings(PROJECT, "dev", "check", timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "sound: each fails untouched and passes solved" in result.stdout


def test_every_exercise_has_a_wrong_and_an_alternative_variant() -> None:
    for exercise in COURSE.exercises:
        folder = VARIANTS / exercise.module / exercise.name
        assert list(folder.glob("wrong_*.py")), f"no wrong_* variant for {exercise.name}"
        assert list(folder.glob("alt_*.py")), f"no alt_* variant for {exercise.name}"


@pytest.fixture(scope="module")
def variant_results(warm_engine: Engine, request: pytest.FixtureRequest) -> dict[Path, RunResult]:
    """Every selected variant (``-k`` narrows them) through its checks, all cores at once."""
    selected = {
        item.callspec.params["file"]
        for item in request.session.items
        if hasattr(item, "callspec") and "file" in item.callspec.params
    }
    files = [
        (p.values[0], p.values[1])
        for p in variants("wrong") + variants("alt")
        if p.values[1] in selected
    ]
    with contextlib.ExitStack() as stack:  # a capstone file is judged beside the reference's
        staged = [
            stack.enter_context(authoring.staged(COURSE, COURSE.exercise(name), file))
            for name, file in files
        ]
        jobs = [
            job_for(name, path, VARIANT_SLACK)
            for (name, _), path in zip(files, staged, strict=True)
        ]
        results = list(run_many(warm_engine, jobs, os.cpu_count() or 1))
    return {file: result for (_, file), result in zip(files, results, strict=True)}


@pytest.mark.parametrize(("name", "file"), variants("wrong"))
def test_the_common_mistake_fails_the_checks(
    variant_results: dict[Path, RunResult], name: str, file: Path
) -> None:
    result = variant_results[file]
    assert result.status is Status.FAILED, (result.status, result.message)


@pytest.mark.parametrize(("name", "file"), variants("alt"))
def test_a_correct_alternative_passes_the_checks(
    variant_results: dict[Path, RunResult], name: str, file: Path
) -> None:
    result = variant_results[file]
    failure = result.first_failure
    assert result.status is Status.PASSED, result.message or (failure and failure.message)


@pytest.mark.parametrize("kind", ["path", "solution"])
@pytest.mark.parametrize("name", [e.name for e in COURSE.module("00_business").exercises])
def test_warm_and_cold_engines_agree_on_every_module_0_exercise(
    warm_engine: Engine, cold_engine: Engine, name: str, kind: str
) -> None:
    exercise = COURSE.exercise(name)
    job = job_for(name, PROJECT / getattr(exercise, kind))
    warm, cold = warm_engine.run(job), cold_engine.run(job)
    assert warm.status is (Status.PASSED if kind == "solution" else Status.FAILED)
    assert (warm.status, warm.checks, warm.message, warm.output) == (
        cold.status,
        cold.checks,
        cold.message,
        cold.output,
    )
