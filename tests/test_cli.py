"""Every command end to end, as a learner types it, on throwaway copies of a course."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from mlings.app import App, UserError
from mlings.engine import procs
from mlings.progress import Store

from .conftest import mlings

ML_LIBRARIES = ("pandas", "numpy", "sklearn", "scipy", "lightgbm", "pytest")


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
    assert "✓ answer" in out and "○ double" in out and "02_second" in out


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
    assert "make one with `mlings init`" in said(result)


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


def imported_by(root: Path, *args: str) -> set[str]:
    """The top-level packages a command imports, read from Python's own -X importtime log."""
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "mlings", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    names = re.findall(r"^import time:.*\|\s*(\S+)$", result.stderr, flags=re.MULTILINE)
    assert names, result.stderr
    return {name.split(".")[0] for name in names}


def test_commands_that_run_no_checks_import_no_ml_library_nor_pydantic(course: Path):
    commands = [
        ("--help",),
        ("list",),
        ("hint",),
        ("learn", "00_business"),
        ("path",),
        ("solution", "pricing_roi"),
        ("reset", "pricing_roi"),
        ("--version",),
        ("init", "a-new-folder"),
    ]
    for command in commands:
        heavy = imported_by(course, *command) & {*ML_LIBRARIES, "pydantic"}
        assert not heavy, f"mlings {' '.join(command)} imports {sorted(heavy)}"


def test_every_run_status_has_a_label_and_a_style():
    from mlings import render
    from mlings.engine.results import Status

    assert set(render.STATUS_STYLE) == {status.value for status in Status}
    assert all(render.STATUS_STYLE[status] for status in Status)


def test_a_same_size_edit_of_a_data_file_is_noticed_after_a_clean_check(course: Path):
    assert "no longer match" not in said(mlings(course, "list"))  # remembers the clean state
    cards = course / "data/cards.csv"
    data = bytearray(cards.read_bytes())
    data[-2] = ord("X") if data[-2] != ord("X") else ord("Y")
    cards.write_bytes(bytes(data))
    assert "data/cards.csv no longer matches" in said(mlings(course, "list"))


def test_version_names_the_installed_package(tiny_course: Path):
    from importlib.metadata import version

    result = mlings(tiny_course, "--version")
    assert result.returncode == 0 and result.stdout.strip() == f"mlings {version('mlings')}"


def test_help_shows_flags_as_flags(tiny_course: Path):
    result = mlings(tiny_course, "hint", "--help")
    assert re.search(r"^\s*--all\s+Reveal every hint", result.stdout, flags=re.MULTILINE)
    assert "<bool>" not in result.stdout
    assert "--install-completion" in mlings(tiny_course, "--help").stdout


def test_shell_completion_offers_exercise_names_and_paths(tiny_course: Path):
    def complete(*words: str) -> list[str]:
        env = {
            **os.environ,
            "_MLINGS_COMPLETE": "complete_bash",
            "COMP_WORDS": " ".join(["mlings", *words]),
            "COMP_CWORD": str(len(words)),
        }
        result = subprocess.run(
            [sys.executable, "-m", "mlings"],
            cwd=tiny_course,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        return result.stdout.split()

    assert complete("run", "") == ["answer", "double", "greet"]
    assert complete("hint", "do") == ["double"]
    assert complete("reset", "exercises/01") == [
        "exercises/01_first/01_answer.py",
        "exercises/01_first/02_double.py",
    ]
    assert complete("learn", "02") == ["02_second"]


def test_an_exercise_may_be_named_by_its_path(tiny_course: Path):
    result = mlings(tiny_course, "run", "exercises/01_first/02_double.py")
    assert result.returncode == 1 and "double" in said(result)
    assert Store(tiny_course).load().current == "double"
    inside = mlings(tiny_course / "exercises" / "01_first", "hint", "01_answer.py")
    assert "Hints for answer" in said(inside)
    wrong = mlings(tiny_course, "run", "exercises/01_first/03_nothing.py")
    assert wrong.returncode == 2
    assert "exercises/01_first/03_nothing.py is not an exercise file of this course" in said(wrong)


def test_hint_says_which_exercise_it_is_for(tiny_course: Path):
    out = said(mlings(tiny_course, "hint", "double"))
    assert "Hints for double (exercises/01_first/02_double.py)" in out


def test_reset_marks_the_exercise_pending_and_keeps_what_it_unlocked(tiny_course: Path):
    for file in ("01_answer.py", "02_double.py"):
        solve(tiny_course, "01_first", file)
    mlings(tiny_course, "run", "answer")
    mlings(tiny_course, "run", "double")
    out = said(mlings(tiny_course, "reset", "answer"))
    assert "answer is pending again" in out
    progress = Store(tiny_course).load()
    assert "answer" not in progress.done and "answer" in progress.reopened
    listed = said(mlings(tiny_course, "list"))
    assert "○ answer" in listed and "1/2" in listed
    assert mlings(tiny_course, "run", "greet").returncode == 1, "module 2 stays open"
    assert mlings(tiny_course, "solution", "answer").returncode == 0, "the reference stays open"
    solve(tiny_course, "01_first", "01_answer.py")
    mlings(tiny_course, "run", "answer")
    progress = Store(tiny_course).load()
    assert "answer" in progress.done and "answer" not in progress.reopened


def test_reset_of_a_pending_exercise_leaves_progress_alone(tiny_course: Path):
    out = said(mlings(tiny_course, "reset", "answer"))
    assert "pending again" not in out
    assert not Store(tiny_course).load().reopened


def test_list_never_cuts_a_path_when_piped_at_80_columns(course: Path):
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1", "TERM": "dumb"}
    result = subprocess.run(
        [sys.executable, "-m", "mlings", "list"],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    lines = result.stdout.splitlines()
    paths = sorted((course / "exercises").glob("*/*.py"))
    assert paths
    for path in paths:
        shown = str(path.relative_to(course))
        assert any(shown in line for line in lines), f"{shown} is cut or missing"
    assert all(len(line.rstrip()) <= 80 for line in lines)


def test_a_pass_says_how_to_see_the_reference_solution(tiny_course: Path):
    solve(tiny_course, "01_first", "01_answer.py")
    assert "`mlings solution answer`" in said(mlings(tiny_course, "run"))


def test_the_welcome_and_the_readme_point_to_the_lessons():
    from mlings.course import load_course

    from .conftest import PROJECT

    assert "mlings learn" in load_course(PROJECT).welcome_message
    assert "mlings learn" in (PROJECT / "README.md").read_text(encoding="utf-8")


def test_learn_prints_plainly_when_piped(tiny_course: Path):
    result = mlings(tiny_course, "learn", "01_first")
    assert result.returncode == 0 and "\x1b[" not in result.stdout
    assert result.stdout.strip()


def test_learn_pages_the_lesson_in_a_terminal(tiny_course: Path, tmp_path: Path):
    pexpect = __import__("pytest").importorskip("pexpect")
    paged = tmp_path / "paged.txt"
    env = {**os.environ, "PAGER": f"cat > {paged}", "TERM": "xterm", "COLUMNS": "100"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "mlings", "learn", "01_first"],
        cwd=str(tiny_course),
        env=env,
        encoding="utf-8",
        timeout=60,
    )
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    lesson = (tiny_course / "lessons/01_first.md").read_text(encoding="utf-8")
    first_words = lesson.strip().splitlines()[0].lstrip("# ").strip()
    assert first_words in paged.read_text(encoding="utf-8")


def test_path_explains_each_learning_path(course: Path):
    out = said(mlings(course, "path"))
    assert "business: 00_business → 01_data → 02_features → 06_monitoring" in out
    assert "(open for review: 03_training, 04_evaluation, 05_deployment)" in out
    assert "For analysts and product people" in out
    switched = said(mlings(course, "path", "business"))
    assert "▶ business" in switched
    listed = said(mlings(course, "list"))
    assert "03_training Model Training & Experimentation" in listed
    assert "open for review, not required" in listed


def test_deeply_nested_progress_is_recovered_from_the_backup(tiny_course: Path):
    solve(tiny_course, "01_first", "01_answer.py")
    mlings(tiny_course, "run")
    (tiny_course / ".mlings/state.json").write_text("[" * 100_000 + "]" * 100_000)
    result = mlings(tiny_course, "list")
    assert result.returncode == 0, said(result)
    assert "restored it from its backup" in said(result) and "1/2" in said(result)


def test_progress_that_cannot_be_saved_is_said_plainly(
    tiny_course: Path, monkeypatch: pytest.MonkeyPatch
):
    """A read-only .mlings/ (root ignores modes, so the refusal is simulated)."""

    def refuse(self: Store, change: object) -> None:
        raise PermissionError(13, "Permission denied", str(self.state))

    app = App.open(tiny_course)
    monkeypatch.setattr(Store, "update", refuse)
    with pytest.raises(UserError, match="can't save your progress") as caught:
        app.set_current(app.current())
    assert "saved" not in str(caught.value).replace("can't save", "").replace("not saved", "")


@pytest.mark.parametrize("command", [["verify", "--jobs", "1"], ["run"]])
def test_ctrl_c_stops_at_once_and_leaves_no_run_behind(tiny_course: Path, command: list[str]):
    for file in sorted((tiny_course / "exercises").rglob("*.py")):
        file.write_text(
            "import subprocess, sys\n\n\ndef _loop(*args, **kwargs):\n"
            "    subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'],"
            " start_new_session=True)\n    while True:\n        pass\n\n\n"
            "answer = double = greet = _loop\n"
        )
    env = {**os.environ, "MLINGS_ENGINE": "cold", "TERM": "dumb"}
    env.pop("MLINGS_ROOT", None)
    tool = subprocess.Popen(
        [sys.executable, "-m", "mlings", *command],
        cwd=tiny_course,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while not marked(tool.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marked(tool.pid), "the first run started"
        started = time.monotonic()
        tool.send_signal(signal.SIGINT)
        out, err = tool.communicate(timeout=60)
        # generous on a loaded machine, yet well before the run's 10 s timeout or the queue
        assert time.monotonic() - started < 5, "not after the run's timeout, nor the queue"
        assert tool.returncode == 130, out + err
        assert "Interrupted" in out + err
        deadline = time.monotonic() + 5
        while marked(tool.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marked(tool.pid) == []
    finally:
        tool.kill()
        procs.kill_marked_by(tool.pid)


def marked(owner: int) -> list[int]:
    """Processes carrying a run marker of the tool ``owner``."""
    return [pid for pid, value in procs._marked(None) if procs.owner(value) == owner]


def test_junit_stays_valid_xml_whatever_a_message_holds(tiny_course: Path):
    from mlings import reports
    from mlings.engine.results import CheckResult, RunResult, Status

    app = App.open(tiny_course)
    nasty = "ValueError: \x1b[31mred\x00\x0b\ud800 end"
    check = CheckResult("t::a", "a \x1b]0;title\x07check", False, nasty)
    runs = [(app.current(), RunResult("answer", Status.FAILED, (check,), nasty))]
    root = ET.fromstring(reports.to_junit(runs).encode())
    failure = root.find(".//failure")
    assert failure is not None and failure.get("message") == "ValueError: red end"
    written = reports.to_json(runs).encode()  # no lone surrogate left to refuse encoding
    assert json.loads(written)["exercises"][0]["checks"][0]["message"] == "ValueError: red end"


def test_junit_counts_failed_checks_as_failures_and_ended_runs_as_errors(tiny_course: Path):
    """A CI reader sums these counts: a crash is an error, never also a failure."""
    from mlings import reports
    from mlings.engine.results import CheckResult, RunResult, Status

    app = App.open(tiny_course)
    answer, double, greet = (app.exercise(name) for name in ("answer", "double", "greet"))
    ok, wrong = CheckResult("t::a", "a", True), CheckResult("t::b", "b", False, "wrong")
    runs = [
        (answer, RunResult("answer", Status.FAILED, (ok, wrong))),
        (double, RunResult("double", Status.CRASHED, (ok,), "The run died from SIGABRT.")),
        (greet, RunResult("greet", Status.TIMEOUT, (), "still running after 2 s")),
    ]
    root = ET.fromstring(reports.to_junit(runs).encode())
    counts = {
        suite.get("name"): (suite.get("tests"), suite.get("failures"), suite.get("errors"))
        for suite in root.findall("testsuite")
    }
    assert counts == {
        "01_first.answer": ("2", "1", "0"),
        "01_first.double": ("2", "0", "1"),
        "02_second.greet": ("1", "0", "1"),
    }
    totals = (root.get("tests"), root.get("failures"), root.get("errors"))
    assert totals == ("5", "1", "2")
