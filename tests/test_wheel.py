"""The package as a learner gets it: a wheel installed into a fresh virtual environment.

Builds the wheel from a copy of the sources, installs it (its dependencies from the package
index), runs `mlings init` in an empty folder and proves the course works there without the
reference solutions in the folder, and that the generated CI workflow's commands run as written.
Takes about two minutes, most of it pip installing the dependencies.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import yaml

from mlings import ci

from .conftest import PROJECT

SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "info.toml", "mlings")
SOURCES += ("exercises", "solutions", "data")
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".mlings", "*.egg-info", "build")
SOLVED = Path("00_business/01_should_we_use_ml.py")
MODULE = "00_business"


def _run(args: list[str | Path], cwd: Path, env: dict[str, str], timeout: float = 300):
    return subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, str]]]:
    """A fresh virtual environment with the built wheel installed; its bin folder and env."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"
    for part in SOURCES:
        origin = PROJECT / part
        if origin.is_dir():
            shutil.copytree(origin, source / part, ignore=IGNORE)
        else:
            source.mkdir(exist_ok=True)
            shutil.copy2(origin, source / part)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env |= {"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", base / "dist", "."],
                 source, env)  # fmt: skip
    assert built.returncode == 0, built.stdout + built.stderr
    wheel = next((base / "dist").glob("mlings-*.whl"))
    venv = base / "venv"
    made = _run([sys.executable, "-m", "venv", venv], base, env)
    assert made.returncode == 0, made.stderr
    bin_dir = venv / "bin"
    got = _run([bin_dir / "python", "-m", "pip", "install", "-q", wheel], base, env, timeout=900)
    assert got.returncode == 0, got.stdout + got.stderr
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    yield bin_dir, env


@pytest.fixture
def course(installed: tuple[Path, dict[str, str]], tmp_path: Path) -> Path:
    """`mlings init --ci github` run by the installed mlings in an empty folder, for each test."""
    bin_dir, env = installed
    here = tmp_path / "learner"
    here.mkdir()
    made = _run([bin_dir / "mlings", "init", "course", "--ci", "github"], here, env)
    assert made.returncode == 0, made.stdout + made.stderr
    assert "Created your course in course" in made.stdout
    return here / "course"


def test_the_installed_course_works_without_solutions_in_the_folder(
    installed: tuple[Path, dict[str, str]], course: Path
) -> None:
    bin_dir, env = installed
    mlings = bin_dir / "mlings"
    assert not (course / "solutions").exists()
    assert (course / "info.toml").is_file() and (course / "data/MANIFEST").is_file()
    untouched = _run([mlings, "run", "should_we_use_ml"], course, env)
    assert untouched.returncode == 1, untouched.stdout + untouched.stderr
    refused = _run([mlings, "solution", "should_we_use_ml"], course, env)
    assert refused.returncode == 2 and "opens once your version passes" in refused.stdout
    assert "Traceback" not in refused.stdout + refused.stderr
    shutil.copy(PROJECT / "solutions" / SOLVED, course / "exercises" / SOLVED)
    solved = _run([mlings, "run", "should_we_use_ml"], course, env)
    assert solved.returncode == 0, solved.stdout + solved.stderr
    shown = _run([mlings, "solution", "should_we_use_ml"], course, env)
    out = " ".join(shown.stdout.split())
    assert shown.returncode == 0 and "identical to the reference solution" in out
    assert "site-packages" in out, "the reference comes from the installed package"


def test_the_workflow_commands_run_as_written(
    installed: tuple[Path, dict[str, str]], course: Path, tmp_path: Path
) -> None:
    bin_dir, env = installed
    shutil.copy(PROJECT / "solutions" / SOLVED, course / "exercises" / SOLVED)
    flow = yaml.safe_load((course / ci.GITHUB_WORKFLOW).read_text())
    steps = flow["jobs"]["grade"]["steps"]
    version = _run([bin_dir / "mlings", "--version"], course, env).stdout.split()[-1]
    install = next(s["run"] for s in steps if "pip install" in s.get("run", ""))
    assert install == f'python -m pip install "mlings=={version}"'  # the wheel, already done
    grading = next(s for s in steps if s.get("id") == ci.STEP_ID)
    script = grading["run"].replace("mlings verify", f"mlings verify --module {MODULE}")
    assert script != grading["run"]
    output = tmp_path / "github_output"
    output.touch()
    step = _run(["bash", "-e", "-c", script], course, env | {"GITHUB_OUTPUT": str(output)})
    assert step.returncode == 1, step.stdout + step.stderr  # exercises pending: the job is red
    key, _, value = output.read_text().strip().partition("=")
    assert key == "result"
    result = json.loads(base64.b64decode(value))
    assert result["version"] == 1 and result["status"] == "fail"
    scores = {t["name"]: t["score"] for t in result["tests"]}
    assert len(scores) == result["max_score"] == 6 and scores[f"{MODULE}/should_we_use_ml"] == 1
    assert sum(scores.values()) == 1
    junit = ET.parse(course / ci.JUNIT).getroot()
    assert len(junit.findall("testsuite")) == 6 and int(junit.get("failures", "0")) > 0
