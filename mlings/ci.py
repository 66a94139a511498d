"""The grading workflow ``mlings init --ci github`` writes into a class's template repository.

It installs the pinned mlings from the package index (so the checks and the catalog's meaning
come from the package, out of the learner's reach), runs ``mlings verify`` into a JUnit report
and a GitHub Classroom result, and hands the result to Classroom's grading reporter.
"""

from __future__ import annotations

from pathlib import Path

GITHUB_WORKFLOW = Path(".github/workflows/mlings.yml")
PROVIDERS = ("github",)
STEP_ID = "mlings"  # the reporter reads the step's result from <STEP_ID upper-cased>_RESULTS
JUNIT = "mlings.xml"
CLASSROOM = "classroom.json"
PYTHON = "3.11"


def workflow_path(provider: str) -> Path:
    """Where the workflow for ``provider`` goes, relative to the course folder."""
    if provider != "github":
        raise ValueError(provider)
    return GITHUB_WORKFLOW


def github_workflow(version: str) -> str:
    """The GitHub Actions workflow that grades a learner's folder with mlings ``version``."""
    return f"""\
# Written by `mlings init --ci github` (mlings {version}). On every push it checks every exercise
# with the checks of mlings {version}, installed from the package index: the checks are not in this
# repository, so editing them here changes nothing. Points per exercise: info.toml `points`
# (1 where none is set). Keep this file as written; see "For instructors" in the mlings README.
name: Autograding Tests
on:
  push:
  workflow_dispatch:
  repository_dispatch:
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  grade:
    name: Autograding Tests
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    timeout-minutes: 60
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "{PYTHON}"
      - name: Install mlings {version}
        run: python -m pip install "mlings=={version}"
      - name: Check every exercise
        id: {STEP_ID}
        run: |
          status=0
          mlings verify --format junit --output {JUNIT} --classroom {CLASSROOM} || status=$?
          echo "result=$(base64 -w0 {CLASSROOM})" >> "$GITHUB_OUTPUT"
          exit "$status"
      - name: Report points to GitHub Classroom
        if: always()
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
          {STEP_ID.upper()}_RESULTS: "${{{{ steps.{STEP_ID}.outputs.result }}}}"
          GITHUB_TOKEN: "${{{{ secrets.GITHUB_TOKEN }}}}"
        with:
          runners: {STEP_ID}
      - name: Keep the JUnit report
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: mlings-report
          path: {JUNIT}
"""
