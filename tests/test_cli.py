"""Every command end to end, as a learner types it, on throwaway copies of a course."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

from mlings.progress import Store

from .conftest import mlings


def solve(course: Path, module: str, file: str) -> None:
    shutil.copy(course / "solutions" / module / file, course / "exercises" / module / file)


def said(result) -> str:
    """Everything the command printed, with rich's line wrapping undone."""
    text = result.stdout + result.stderr
    assert "Traceback" not in text, text
    return " ".join(text.split())


def test_run_shows_the_checklist_the_failure_and_the_learners_own_frame(tiny_course: Path):
    result = mlings(tiny_course, "run")
    out = said(result)
    assert result.returncode == 1
    assert "✗ answers 42" in out
    assert "NotImplementedError: return the answer" in out
    assert "exercises/01_first/01_answer.py, line 7" in out
    assert 'raise NotImplementedError("return the answer")' in out
    assert "answer() should return 42" not in out  # the check's own words stay hidden
    assert "Progress: " in out and "0/3" in out


def test_a_passing_run_is_recorded_and_moves_on(tiny_course: Path):
    solve(tiny_course, "01_first", "01_answer.py")
    result = mlings(tiny_course, "run")
    out = said(result)
    assert result.returncode == 0
    assert "✓ passed" in out and "Next up: double" in out and "1/3" in out
    progress = Store(tiny_course).load()
    assert set(progress.done) == {"answer"} and progress.current == "double"
    assert "double" in said(mlings(tiny_course, "run")), "run with no name continues at double"


def test_unknown_exercises_get_a_suggestion(tiny_course: Path):
    result = mlings(tiny_course, "run", "answr")
    assert result.returncode == 2
    assert "There is no exercise called 'answr'. Did you mean 'answer'?" in said(result)


def test_the_next_module_stays_locked_until_the_previous_is_done(tiny_course: Path):
    locked = mlings(tiny_course, "run", "greet")
    assert locked.returncode == 2
    assert "finish module 01_first (First Things) first" in said(locked)
    assert "locked" in said(mlings(tiny_course, "list"))
    solve(tiny_course, "01_first", "01_answer.py")
    solve(tiny_course, "01_first", "02_double.py")
    assert mlings(tiny_course, "run", "answer").returncode == 0
    unlocked = mlings(tiny_course, "run", "double")
    assert "Module 02_second · Second Things is unlocked" in said(unlocked)
    opened = mlings(tiny_course, "run", "greet")
    assert opened.returncode == 1 and "greets by name" in said(opened)


def test_hints_are_revealed_one_level_at_a_time_and_remembered(tiny_course: Path):
    first = said(mlings(tiny_course, "hint"))
    assert "Think of the answer to everything." in first and "It is a number." not in first
    second = said(mlings(tiny_course, "hint", "answer"))
    assert "Hint 2 of 3" in second and "It is a number." in second
    assert Store(tiny_course).load().hints == {"answer": 2}
    everything = said(mlings(tiny_course, "hint", "double", "--all"))
    assert "Return x * 2." in everything and "last hint" in everything


def test_list_shows_every_module_with_status(tiny_course: Path):
    solve(tiny_course, "01_first", "01_answer.py")
    mlings(tiny_course, "run")
    out = said(mlings(tiny_course, "list"))
    assert "01_first First Things 1/2" in out
    assert "✓ done" in out and "pending" in out and "02_second" in out


def test_verify_exits_1_while_anything_is_pending_and_0_when_all_pass(tiny_course: Path):
    pending = mlings(tiny_course, "verify")
    assert pending.returncode == 1 and "0/3 exercises pass" in said(pending)
    for module, file in [
        ("01_first", "01_answer.py"),
        ("01_first", "02_double.py"),
        ("02_second", "01_greet.py"),
    ]:
        solve(tiny_course, module, file)
    done = mlings(tiny_course, "verify", "--jobs", "2")
    assert done.returncode == 0 and "3/3 exercises pass" in said(done)
    assert set(Store(tiny_course).load().done) == {"answer", "double", "greet"}


def test_verify_writes_json_and_junit_reports(tiny_course: Path):
    solve(tiny_course, "01_first", "01_answer.py")
    result = mlings(tiny_course, "verify", "--format", "json")
    report = json.loads(result.stdout)
    assert result.returncode == 1
    assert report["passed"] == 1 and report["total"] == 3
    statuses = {e["name"]: e["status"] for e in report["exercises"]}
    assert statuses == {"answer": "passed", "double": "failed", "greet": "failed"}
    junit = tiny_course / "report.xml"
    result = mlings(tiny_course, "verify", "--format", "junit", "--output", str(junit))
    suites = ET.parse(junit).getroot()
    cases = suites.findall(".//testcase")
    assert len(cases) == 4 and len(suites.findall(".//failure")) == 3
    only = json.loads(
        mlings(tiny_course, "verify", "--module", "02_second", "--format", "json").stdout
    )
    assert [e["name"] for e in only["exercises"]] == ["greet"]


def test_reset_restores_the_original_and_keeps_the_learners_version(tiny_course: Path):
    mlings(tiny_course, "list")  # mlings keeps the originals from the first time it runs
    exercise = tiny_course / "exercises/01_first/01_answer.py"
    original = exercise.read_text()
    exercise.write_text("def answer():\n    return 'my work'\n")
    result = mlings(tiny_course, "reset", "answer")
    assert result.returncode == 0 and "Your version is kept at" in said(result)
    assert exercise.read_text() == original
    kept = list((tiny_course / ".mlings/backups/01_first").glob("01_answer.*.py"))
    assert len(kept) == 1 and "my work" in kept[0].read_text()


def test_reset_brings_back_a_deleted_exercise(tiny_course: Path):
    mlings(tiny_course, "list")
    exercise = tiny_course / "exercises/01_first/01_answer.py"
    original = exercise.read_text()
    exercise.unlink()
    missing = mlings(tiny_course, "run", "answer")
    assert missing.returncode == 2 and "mlings reset answer" in said(missing)
    assert mlings(tiny_course, "reset", "answer").returncode == 0
    assert exercise.read_text() == original


def test_the_solution_opens_only_once_done_as_a_diff(tiny_course: Path):
    closed = mlings(tiny_course, "solution", "answer")
    assert closed.returncode == 2 and "opens once your version passes" in said(closed)
    exercise = tiny_course / "exercises/01_first/01_answer.py"
    exercise.write_text(
        exercise.read_text().replace(
            '    # TODO: return the answer\n    raise NotImplementedError("return the answer")',
            "    return 6 * 7",
        )
    )
    assert mlings(tiny_course, "run").returncode == 0
    opened = said(mlings(tiny_course, "solution", "answer"))
    assert "- return 6 * 7" in opened and "+ return 42" in opened


def test_learn_shows_the_lesson_of_the_current_module(tiny_course: Path):
    assert "The first lesson." in said(mlings(tiny_course, "learn"))
    assert "The second lesson." in said(mlings(tiny_course, "learn", "02_second"))
    unknown = mlings(tiny_course, "learn", "09_nothing")
    assert unknown.returncode == 2 and "There is no module '09_nothing'" in said(unknown)


def test_a_learning_path_decides_what_is_open(tiny_course: Path):
    out = said(mlings(tiny_course, "path", "second_only"))
    assert "▶ second_only" in out
    assert mlings(tiny_course, "run", "greet").returncode == 1  # open, not locked
    bad = mlings(tiny_course, "path", "sideways")
    assert bad.returncode == 2 and "no learning path 'sideways'" in said(bad)


def test_watch_mode_outside_a_terminal_points_to_run_and_verify(tiny_course: Path):
    for args in ((), ("watch",)):
        result = mlings(tiny_course, *args)
        assert result.returncode == 2
        assert "needs a terminal" in said(result) and "mlings run" in said(result)


def test_outside_a_course_mlings_says_where_to_go(tmp_path: Path):
    result = mlings(tmp_path, "list")
    assert result.returncode == 2 and "No info.toml" in said(result)


def test_a_broken_catalog_is_one_clear_sentence(tiny_course: Path):
    catalog = tiny_course / "info.toml"
    catalog.write_text(catalog.read_text().replace("timeout = 10", 'timeout = "soon"'))
    result = mlings(tiny_course, "list")
    assert result.returncode == 2
    assert "info.toml, exercise 'answer' (line 20): field 'timeout'" in said(result)


def test_damaged_progress_is_recovered_and_said(tiny_course: Path):
    solve(tiny_course, "01_first", "01_answer.py")
    mlings(tiny_course, "run")
    (tiny_course / ".mlings/state.json").write_text("{ half a file")
    result = mlings(tiny_course, "list")
    assert "restored it from its backup" in said(result) and "1/2" in said(result)
    (tiny_course / ".mlings/state.json").write_text("{ half a file")
    (tiny_course / ".mlings/state.json.bak").write_text("{ and another")
    broken = mlings(tiny_course, "list")
    assert broken.returncode == 2 and "mlings changed nothing" in said(broken)


def test_dev_check_proves_a_sound_course_and_names_what_is_wrong(tiny_course: Path):
    sound = mlings(tiny_course, "dev", "check")
    assert sound.returncode == 0 and "All 3 exercise(s) sound" in said(sound)
    solve(tiny_course, "01_first", "02_double.py")  # ships solved
    (tiny_course / "solutions/02_second/01_greet.py").write_text(
        "def greet(name):\n    return 'hi'\n"
    )
    broken = mlings(tiny_course, "dev", "check")
    out = said(broken)
    assert broken.returncode == 1
    assert "01_first/double: the untouched exercise passes its checks" in out
    assert "01_first/double: the exercise is identical to its solution" in out
    assert "02_second/greet: the solution does not pass" in out


def test_dev_try_judges_any_file_without_gating_or_progress(tiny_course: Path):
    solution = tiny_course / "solutions/02_second/01_greet.py"  # in a locked module
    passed = mlings(tiny_course, "dev", "try", "greet", str(solution))
    assert passed.returncode == 0 and "✓ passed" in said(passed)
    draft = tiny_course / "draft.py"
    draft.write_text("def greet(name):\n    return 'hi'\n")
    failed = mlings(tiny_course, "dev", "try", "greet", str(draft))
    assert failed.returncode == 1 and "✗" in said(failed)
    assert not (tiny_course / ".mlings/state.json").exists() or not Store(tiny_course).load().done
    missing = mlings(tiny_course, "dev", "try", "greet", "nowhere.py")
    assert missing.returncode == 2 and "There is no file nowhere.py." in said(missing)


def test_python_dash_m_mlings_shows_help(tiny_course: Path):
    result = mlings(tiny_course, "--help")
    assert result.returncode == 0
    for command in ("run", "hint", "list", "verify", "reset", "solution", "learn", "dev"):
        assert command in result.stdout


def test_dev_check_treats_a_warning_in_a_solution_as_a_problem(tiny_course: Path):
    (tiny_course / "solutions/02_second/01_greet.py").write_text(
        "import warnings\n\n\ndef greet(name):\n"
        "    warnings.warn('an old API', DeprecationWarning, stacklevel=1)\n"
        "    return f'Hello, {name}!'\n"
    )
    result = mlings(tiny_course, "dev", "check")
    assert result.returncode == 1
    assert "02_second/greet: the solution does not pass" in said(result)
    assert "DeprecationWarning: an old API" in said(result)


def test_a_changed_data_file_is_reported_with_how_to_restore_it(course: Path):
    assert "no longer match" not in said(mlings(course, "list"))
    sales = course / "data/sales_raw.csv"
    sales.write_text(sales.read_text().replace("\n", "\n", 1) + "1,2,3\n")
    out = said(mlings(course, "list"))
    assert "data/sales_raw.csv no longer matches" in out
    assert "git checkout -- data/" in out and "python -m mlings.dataset" in out
