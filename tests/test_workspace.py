"""`mlings init`: a learner's folder from the packaged course, updates that keep the learner's
edits, the refusals and what the command says. The packaged course is a throwaway copy here."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from rich.console import Console

from mlings import ci, content, render, workspace
from mlings.course import load_course
from mlings.dataset.manifest import write_manifest
from mlings.workspace import WorkspaceError

from .conftest import FIXTURES, PROJECT, copy_course, mlings

ANSWER = "exercises/01_first/01_answer.py"
DOUBLE = "exercises/01_first/02_double.py"


@pytest.fixture
def upstream(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The course as the installed package carries it: the tiny course plus data."""
    source = copy_course(FIXTURES / "course", tmp_path / "package" / "_course")
    (source / "data").mkdir()
    (source / "data" / "cards.csv").write_text("id,name\n1,Pikachu\n")
    write_manifest(source / "data", ["cards.csv"])
    monkeypatch.setattr(content, "course_dir", lambda: source)
    return source


def said(console: Console) -> str:
    return " ".join(console.export_text().split())


def test_init_copies_exercises_catalog_and_data_but_never_the_solutions(
    upstream: Path, tmp_path: Path
) -> None:
    created = workspace.init(tmp_path / "mine")
    root = tmp_path / "mine"
    assert created.root == root and created.exercises == 3 and created.data_files == 1
    assert (root / ANSWER).read_text() == (upstream / ANSWER).read_text()
    assert (root / "info.toml").is_file() and (root / "data/MANIFEST").is_file()
    assert not (root / "solutions").exists()
    assert ".mlings/*" in (root / ".gitignore").read_text()
    record = json.loads((root / ".mlings/workspace.json").read_text())
    assert set(record["files"]) == {
        "info.toml",
        ANSWER,
        DOUBLE,
        "exercises/02_second/01_greet.py",
        "data/MANIFEST",
        "data/cards.csv",
    }
    assert created.workflow is None and not (root / ".github").exists()


def test_a_workspace_finds_the_solutions_in_the_package(upstream: Path, tmp_path: Path) -> None:
    workspace.init(tmp_path / "mine")
    course = load_course(tmp_path / "mine")
    answer = course.exercise("answer")
    assert course.solution_file(answer) == upstream / answer.solution


@pytest.mark.parametrize("existing", ["notes.txt", ".mlings"])
def test_init_refuses_a_folder_that_is_not_empty(
    upstream: Path, tmp_path: Path, existing: str
) -> None:
    folder = tmp_path / "busy"
    folder.mkdir()
    (folder / existing).write_text("mine")
    with pytest.raises(WorkspaceError, match="not empty") as refused:
        workspace.init(folder)
    assert "--update" in str(refused.value)
    assert sorted(p.name for p in folder.iterdir()) == [existing]
    assert (folder / existing).read_text() == "mine"


def test_init_accepts_a_freshly_cloned_empty_repository(upstream: Path, tmp_path: Path) -> None:
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    workspace.init(tmp_path / "repo")
    assert (tmp_path / "repo" / ANSWER).is_file() and (tmp_path / "repo/.git").is_dir()


def test_init_refuses_a_file(upstream: Path, tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("x")
    with pytest.raises(WorkspaceError, match="is a file"):
        workspace.init(tmp_path / "taken")


def test_init_without_packaged_content_says_how_to_get_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(content, "course_dir", lambda: None)
    with pytest.raises(WorkspaceError, match="pip install --force-reinstall mlings"):
        workspace.init(tmp_path / "mine")
    assert not (tmp_path / "mine").exists()


def test_update_keeps_edits_replaces_untouched_files_and_adds_new_ones(
    upstream: Path, tmp_path: Path
) -> None:
    root = tmp_path / "mine"
    workspace.init(root)
    (root / ANSWER).write_text("def answer():\n    return 42\n")  # the learner's work
    (root / "data/cards.csv").write_text("id,name\n1,Mew\n")  # data is not theirs to change
    # upstream: a fix to both first exercises, a new exercise
    (upstream / ANSWER).write_text((upstream / ANSWER).read_text() + "# fixed\n")
    (upstream / DOUBLE).write_text((upstream / DOUBLE).read_text() + "# fixed\n")
    (upstream / "exercises/02_second/02_new.py").write_text("# new\n")

    updated = workspace.update(root)

    assert (root / ANSWER).read_text() == "def answer():\n    return 42\n"
    assert updated.kept == [ANSWER]
    assert (root / ".mlings/originals" / ANSWER).read_text().endswith("# fixed\n"), "for reset"
    assert (root / DOUBLE).read_text().endswith("# fixed\n")
    assert sorted(updated.replaced) == ["data/cards.csv", DOUBLE]
    assert updated.added == ["exercises/02_second/02_new.py"]
    assert (root / "data/cards.csv").read_text() == "id,name\n1,Pikachu\n"

    again = workspace.update(root)  # nothing new upstream: nothing to say
    assert (again.added, again.replaced, again.kept) == ([], [], [ANSWER])


def test_an_edit_upstream_did_not_change_is_not_reported(upstream: Path, tmp_path: Path) -> None:
    root = tmp_path / "mine"
    workspace.init(root)
    (root / ANSWER).write_text("mine\n")
    updated = workspace.update(root)
    assert (updated.added, updated.replaced, updated.kept) == ([], [], [])
    assert (root / ANSWER).read_text() == "mine\n"


def test_without_its_record_update_keeps_every_file_that_differs(
    upstream: Path, tmp_path: Path
) -> None:
    root = tmp_path / "mine"
    workspace.init(root)
    (root / ".mlings/workspace.json").unlink()
    (upstream / DOUBLE).write_text("# fixed upstream\n")
    updated = workspace.update(root)
    assert updated.kept == [DOUBLE] and (root / DOUBLE).read_text() != "# fixed upstream\n"


def test_a_changed_catalog_the_learner_edited_is_kept_beside_the_new_one(
    upstream: Path, tmp_path: Path
) -> None:
    root = tmp_path / "mine"
    workspace.init(root)
    (root / "info.toml").write_text((root / "info.toml").read_text() + "\n# my points\n")
    (upstream / "info.toml").write_text((upstream / "info.toml").read_text() + "\n# new\n")
    updated = workspace.update(root)
    assert updated.kept == ["info.toml"]
    assert (root / ".mlings/upstream/info.toml").read_text().endswith("# new\n")


def test_update_refuses_a_folder_holding_another_course(upstream: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    (other / "exercises").mkdir(parents=True)
    (other / "info.toml").write_text("format_version = 1\n")
    with pytest.raises(WorkspaceError, match="holds another course"):
        workspace.update(other)
    assert sorted(p.name for p in other.iterdir()) == ["exercises", "info.toml"]


def test_update_refuses_the_course_repository_itself() -> None:
    with pytest.raises(WorkspaceError, match="git pull"):
        workspace.update(PROJECT)


def test_what_init_and_update_say(upstream: Path, tmp_path: Path) -> None:
    console = Console(record=True, width=200)
    render.workspace_created(console, workspace.init(tmp_path / "mine", "github"), tmp_path)
    text = said(console)
    assert "Created your course in mine" in text and "3 exercises in 2 modules" in text
    assert ".github/workflows/mlings.yml" in text and "cd mine && mlings" in text
    assert "`mlings solution NAME`" in text
    (tmp_path / "mine" / ANSWER).write_text("mine\n")
    (upstream / ANSWER).write_text("# fixed\n")
    (upstream / "exercises/01_first/03_new.py").write_text("# new\n")
    console = Console(record=True, width=200)
    render.workspace_updated(console, workspace.update(tmp_path / "mine"))
    text = said(console)
    assert "Added: exercises/01_first/03_new.py" in text
    assert f"Kept your edited version of: {ANSWER}" in text and "mlings reset NAME" in text
    console = Console(record=True, width=200)
    render.workspace_updated(console, workspace.update(tmp_path / "mine"))
    assert "Kept your edited version" in said(console)


def test_the_workflow_installs_the_pinned_mlings_and_reports_to_classroom(
    upstream: Path, tmp_path: Path
) -> None:
    from mlings.reports import course_version

    created = workspace.init(tmp_path / "mine", "github")
    assert created.workflow == tmp_path / "mine" / ci.GITHUB_WORKFLOW
    flow = yaml.safe_load(created.workflow.read_text())
    steps = flow["jobs"]["grade"]["steps"]
    runs = "\n".join(step.get("run", "") for step in steps)
    assert f'pip install "mlings=={course_version()}"' in runs
    assert "mlings verify --format junit" in runs and "--classroom" in runs
    reporter = next(s for s in steps if "autograding-grading-reporter" in s.get("uses", ""))
    assert reporter["with"]["runners"] == ci.STEP_ID
    assert f"steps.{ci.STEP_ID}.outputs.result" in reporter["env"]["MLINGS_RESULTS"]


# --- the real command, on the real packaged course --------------------------------------------


def test_the_command_creates_refuses_and_updates(tmp_path: Path) -> None:
    made = mlings(tmp_path, "init", "course")
    out = " ".join((made.stdout + made.stderr).split())
    assert made.returncode == 0, out
    assert "Created your course in course" in out and "exercises in 9 modules" in out
    assert not (tmp_path / "course/solutions").exists()
    assert (tmp_path / "course/exercises/00_business").is_dir()
    again = mlings(tmp_path, "init", "course")
    out = " ".join((again.stdout + again.stderr).split())
    assert again.returncode == 2 and "Traceback" not in out
    assert "is not empty" in out and "mlings init --update" in out
    current = mlings(tmp_path / "course", "init", "--update")
    assert current.returncode == 0 and "up to date" in current.stdout
    sales = tmp_path / "course/data/sales_raw.csv"
    sales.write_text(sales.read_text() + "1,2,3\n")
    noticed = " ".join(mlings(tmp_path / "course", "list").stdout.split())
    assert "data/sales_raw.csv no longer matches" in noticed and "mlings init --update" in noticed
    restored = mlings(tmp_path / "course", "init", "--update")
    assert "Updated (you had not changed them): data/sales_raw.csv" in restored.stdout
    assert "no longer match" not in mlings(tmp_path / "course", "list").stdout
    outside = mlings(tmp_path, "init", "--update")
    out = " ".join((outside.stdout + outside.stderr).split())
    assert outside.returncode == 2 and "Traceback" not in out and "mlings init FOLDER" in out
    shutil.rmtree(tmp_path / "course")


def test_a_grade_refuses_checks_that_do_not_come_from_the_package(tiny_course: Path) -> None:
    graded = mlings(tiny_course, "verify", "--classroom", "classroom.json")
    out = " ".join((graded.stdout + graded.stderr).split())
    assert graded.returncode == 2 and "Traceback" not in out
    assert "needs the checks of the installed mlings" in out
    assert not (tiny_course / "classroom.json").exists()


def test_the_package_is_found_even_beside_a_folder_named_mlings(tmp_path: Path) -> None:
    (tmp_path / "mlings" / "checks").mkdir(parents=True)  # as in a copy of the course
    found = subprocess.run(
        [sys.executable, "-c", "from mlings import content; print(content.package_dir())"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(found.stdout.strip()) == content.package_dir() == PROJECT / "mlings"
