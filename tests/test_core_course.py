"""The course catalog (mlings.course): every rule info.toml must follow, its cache, and gating."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import mlings
from mlings.course import (
    CatalogError,
    Course,
    Exercise,
    Gate,
    Module,
    NotInCourse,
    find_root,
    load_course,
)

HEAD = 'format_version = 1\nwelcome_message = "  hi  "\nfinal_message = "\\nbye\\n"\n'
MODULES = """
[[modules]]
id = "01_data"
title = "Data"

[[modules]]
id = "02_features"
title = "Features"

[[modules]]
id = "03_training"
title = "Training"
"""


def exercise_table(name: str, module: str, **fields: str) -> str:
    lines = [f'name = "{name}"', f'module = "{module}"', f'file = "{name}.py"']
    lines += [f"{key} = {value}" for key, value in fields.items()]
    if "hints" not in fields:
        lines.append('hints = ["one", "two"]')
    return "\n[[exercises]]\n" + "\n".join(lines) + "\n"


EXERCISES = (
    exercise_table("load", "01_data")
    + exercise_table("clean", "01_data")
    + exercise_table("encode", "02_features")
    + exercise_table("fit", "03_training")
)
GOOD = HEAD + MODULES + EXERCISES


def load(tmp_path: Path, text: str) -> Course:
    (tmp_path / "info.toml").write_text(text, encoding="utf-8")
    return load_course(tmp_path)


def error(tmp_path: Path, text: str) -> str:
    with pytest.raises(CatalogError) as caught:
        load(tmp_path, text)
    return str(caught.value)


# --- a good catalog -----------------------------------------------------------------------


def test_a_good_catalog_is_read_with_its_defaults(tmp_path: Path) -> None:
    course = load(tmp_path, GOOD)
    assert course.root == tmp_path
    assert (course.welcome_message, course.final_message) == ("hi", "bye")
    assert (course.checks_dir, course.lessons_dir) == ("mlings/checks", "mlings/lessons")
    assert course.paths == {"complete": ("01_data", "02_features", "03_training")}
    assert (course.path_about, course.path_open) == ({}, {})
    assert course.exercise("load") == Exercise("load", "01_data", "load.py", ("one", "two"))
    assert course.module("02_features").title == "Features"
    assert [e.name for e in course.module("01_data").exercises] == ["load", "clean"]


def test_an_exercises_optional_fields_are_read(tmp_path: Path) -> None:
    text = (
        HEAD
        + MODULES
        + EXERCISES.replace(
            'name = "fit"',
            'name = "fit"\ntimeout = 600\npoints = 12\nrubric = "Training"',
        ).replace('hints = ["one", "two"]', 'hints = [" one ", "two", "three "]', 1)
    )
    course = load(tmp_path, text)
    fit = course.exercise("fit")
    assert (fit.timeout, fit.points, fit.rubric) == (600.0, 12, "Training")
    assert isinstance(fit.timeout, float)
    assert course.exercise("load").hints == ("one", "two", "three")
    assert course.exercise("load").timeout == 15.0


def test_an_exercises_files_live_under_its_module(tmp_path: Path) -> None:
    course = load(tmp_path, GOOD)
    clean = course.exercise("clean")
    assert clean.path == Path("exercises", "01_data", "clean.py")
    assert clean.solution == Path("solutions", "01_data", "clean.py")
    assert course.file(clean.path) == tmp_path / "exercises" / "01_data" / "clean.py"
    # a folder that is not the tool's source reads checks and lessons from the installed tool
    tool = Path(mlings.__file__).resolve().parent
    assert course.check_file(clean) == tool / "checks/01_data/test_clean.py"
    assert course.lesson_file("01_data") == tool / "lessons/01_data.md"


def test_checks_and_lessons_can_live_elsewhere(tmp_path: Path) -> None:
    text = GOOD.replace("format_version = 1\n", 'format_version = 1\nchecks_dir = "c"\n')
    course = load(
        tmp_path, text.replace("format_version = 1\n", 'format_version = 1\nlessons_dir = "l"\n')
    )
    assert course.check_file(course.exercise("fit")) == tmp_path / "c/03_training/test_fit.py"
    assert course.lesson_file("03_training") == tmp_path / "l/03_training.md"


def test_messages_are_optional(tmp_path: Path) -> None:
    course = load(tmp_path, "format_version = 1\n" + MODULES + EXERCISES)
    assert (course.welcome_message, course.final_message) == ("", "")


def test_an_unknown_module_is_a_key_error(tmp_path: Path) -> None:
    with pytest.raises(KeyError):
        load(tmp_path, GOOD).module("09_nothing")


def test_an_unknown_exercise_suggests_the_closest_name(tmp_path: Path) -> None:
    course = load(tmp_path, GOOD)
    with pytest.raises(KeyError) as close:
        course.exercise("claen")
    assert close.value.args == ("clean",)
    with pytest.raises(KeyError) as far:
        course.exercise("zzzzzz")
    assert far.value.args == ("",)


# --- finding the course -------------------------------------------------------------------


def test_the_root_is_the_nearest_folder_up_with_a_catalog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MLINGS_ROOT", raising=False)
    (tmp_path / "info.toml").write_text("")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_root(start=deep) == tmp_path
    assert find_root(start=tmp_path) == tmp_path
    monkeypatch.chdir(deep)
    assert find_root() == tmp_path


def test_an_explicit_root_or_mlings_root_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here, there = tmp_path / "here", tmp_path / "there"
    for folder in (here, there):
        folder.mkdir()
        (folder / "info.toml").write_text("")
    monkeypatch.setenv("MLINGS_ROOT", str(there))
    assert find_root(start=here) == there
    assert find_root(str(here), start=there) == here
    monkeypatch.setenv("HOME", str(tmp_path))
    assert find_root("~/here") == here


def test_a_chosen_root_without_a_catalog_is_not_a_course(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MLINGS_ROOT", raising=False)
    with pytest.raises(NotInCourse) as caught:
        find_root(tmp_path)
    assert (
        str(caught.value) == f"{tmp_path} has no info.toml, so it is not an mlings course folder."
    )
    (tmp_path / "info.toml").mkdir()  # a folder is not a catalog
    with pytest.raises(NotInCourse):
        find_root(tmp_path)


def test_no_catalog_above_says_how_to_point_to_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MLINGS_ROOT", raising=False)
    with pytest.raises(NotInCourse) as caught:
        find_root(start=tmp_path)
    assert str(caught.value) == (
        f"No info.toml in {tmp_path} or any folder above it. Run mlings inside the course folder "
        "(make one with `mlings init`), or point to it with --root or MLINGS_ROOT."
    )


def test_an_unreadable_catalog_says_why(tmp_path: Path) -> None:
    with pytest.raises(CatalogError) as caught:
        load_course(tmp_path)
    assert str(caught.value) == f"Cannot read {tmp_path / 'info.toml'}: No such file or directory."


def test_a_catalog_that_is_not_toml_says_so(tmp_path: Path) -> None:
    message = error(tmp_path, "format_version = \n")
    assert message.startswith("info.toml is not valid TOML: ") and message.endswith(".")


# --- the parse cache ----------------------------------------------------------------------


def test_the_cache_is_written_in_a_new_folder_keyed_on_the_text(tmp_path: Path) -> None:
    (tmp_path / "info.toml").write_text(GOOD, encoding="utf-8")
    cache = tmp_path / "state" / "catalog.json"
    course = load_course(tmp_path, cache)
    stored = json.loads(cache.read_text(encoding="utf-8"))
    assert set(stored) == {"key", "data"}
    assert stored["key"].startswith(f"{len(GOOD)}:")
    assert stored["data"]["modules"][0] == {"id": "01_data", "title": "Data"}
    assert load_course(tmp_path, cache) == course


def test_a_cache_holding_this_text_is_read_instead_of_the_toml(tmp_path: Path) -> None:
    (tmp_path / "info.toml").write_text(GOOD, encoding="utf-8")
    cache = tmp_path / "catalog.json"
    load_course(tmp_path, cache)
    stored = json.loads(cache.read_text(encoding="utf-8"))
    stored["data"]["welcome_message"] = "from the cache"
    cache.write_text(json.dumps(stored), encoding="utf-8")
    assert load_course(tmp_path, cache).welcome_message == "from the cache"


def test_a_cache_of_other_text_is_replaced(tmp_path: Path) -> None:
    (tmp_path / "info.toml").write_text(GOOD, encoding="utf-8")
    cache = tmp_path / "catalog.json"
    cache.write_text(json.dumps({"key": "1:2", "data": {"welcome_message": "stale"}}))
    assert load_course(tmp_path, cache).welcome_message == "hi"
    assert json.loads(cache.read_text())["key"] != "1:2"


def test_a_catalog_json_cannot_hold_is_parsed_every_time(tmp_path: Path) -> None:
    dated = GOOD.replace('title = "Data"', 'title = "Data"\nwhen = 2026-01-01', 1)
    (tmp_path / "info.toml").write_text(dated, encoding="utf-8")
    cache = tmp_path / "catalog.json"
    with pytest.raises(CatalogError, match="unknown field 'when'"):
        load_course(tmp_path, cache)
    assert not cache.exists()


def test_an_unwritable_cache_costs_only_a_parse(tmp_path: Path) -> None:
    (tmp_path / "info.toml").write_text(GOOD, encoding="utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert load_course(tmp_path, blocker / "catalog.json").welcome_message == "hi"


# --- a bad catalog names the place and the problem ----------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            GOOD.replace("final_message", "finale_message"),
            "info.toml, top level: unknown field 'finale_message' (did you mean 'final_message'?).",
        ),
        (
            GOOD.replace("format_version = 1\n", "format_version = 1\nzzz = 1\n"),
            "info.toml, top level: unknown field 'zzz'.",
        ),
        (
            GOOD.replace("format_version = 1", "format_version = 2"),
            "info.toml, top level: field 'format_version' must be 1.",
        ),
        (
            GOOD.replace("format_version = 1\n", ""),
            "info.toml, top level: field 'format_version' must be 1.",
        ),
        (
            GOOD.replace('welcome_message = "  hi  "', "welcome_message = 3"),
            "info.toml, top level: field 'welcome_message' must be a non-empty string.",
        ),
        (HEAD + EXERCISES, "info.toml, top level: needs at least one [[modules]] table."),
        (HEAD + "modules = []\n", "info.toml, top level: needs at least one [[modules]] table."),
        (HEAD + MODULES, "info.toml, top level: needs at least one [[exercises]] table."),
        (
            GOOD.replace('title = "Features"', 'title = "Features"\nname = "x"'),
            "info.toml, [[modules]] number 2 (line 9): unknown field 'name'.",
        ),
        (
            GOOD.replace('title = "Features"', 'title = "  "'),
            "info.toml, [[modules]] number 2 (line 9): field 'title' must be a non-empty string.",
        ),
        (
            GOOD.replace('id = "02_features"', "id = 2"),
            "info.toml, [[modules]] number 2 (line 9): field 'id' must be a non-empty string.",
        ),
        (
            GOOD.replace('id = "02_features"', 'id = "2_features"'),
            "info.toml, [[modules]] number 2 (line 9): module id '2_features' must look like "
            "'01_data'.",
        ),
        (
            GOOD.replace('id = "02_features"', 'id = "01_data"'),
            "info.toml, [[modules]] number 2 (line 9): module id '01_data' is used twice.",
        ),
        (
            GOOD.replace('name = "clean"', 'name = "load"'),
            "info.toml, exercise 'load' (line 23): the name 'load' is used by an earlier exercise.",
        ),
        (
            GOOD.replace('name = "clean"', 'name = "a23456789012345678901234567890123"'),
            "info.toml, exercise 'a23456789012345678901234567890123' (line 23): field 'name' must "
            "be 1-32 characters of a-z, 0-9 and _.",
        ),
        (
            GOOD.replace('name = "clean"', "name = 7"),
            "info.toml, exercise '2' (line 23): field 'name' must be a non-empty string.",
        ),
        (
            GOOD.replace('module = "02_features"', 'module = "04_x"'),
            "info.toml, exercise 'encode' (line 29): module '04_x' is not declared in a "
            "[[modules]] table.",
        ),
        (
            GOOD.replace('file = "fit.py"', 'file = "a\\\\fit.py"'),
            "info.toml, exercise 'fit' (line 35): field 'file' must be a file name ending in .py, "
            "no folders.",
        ),
        (
            GOOD.replace('file = "fit.py"', 'file = "fit.txt"'),
            "info.toml, exercise 'fit' (line 35): field 'file' must be a file name ending in .py, "
            "no folders.",
        ),
        (
            GOOD.replace('name = "fit"', 'name = "fit"\npoint = 3'),
            "info.toml, exercise 'fit' (line 35): unknown field 'point' (did you mean 'points'?).",
        ),
    ],
)
def test_a_bad_catalog_names_the_place_and_the_problem(
    tmp_path: Path, text: str, message: str
) -> None:
    assert error(tmp_path, text) == message


def test_an_empty_module_is_named_with_its_line(tmp_path: Path) -> None:
    text = HEAD + MODULES + exercise_table("load", "01_data") + exercise_table("fit", "03_training")
    assert error(tmp_path, text) == (
        "info.toml, module '02_features' (line 9): has no exercises; add one or remove the module."
    )


def test_a_table_header_that_cannot_be_found_is_a_question_mark(tmp_path: Path) -> None:
    text = GOOD.replace('[[modules]]\nid = "03_training"', '[[ modules ]]\nid = "3"')
    assert "[[modules]] number 3 (?)" in error(tmp_path, text)


BAD_HINTS = ["[]", '["one"]', '["a", "b", "c", "d"]', '["a", " "]', '["a", 2]', '"ab"']


@pytest.mark.parametrize("hints", BAD_HINTS)
def test_hints_are_two_or_three_non_empty_strings(tmp_path: Path, hints: str) -> None:
    text = (
        HEAD
        + MODULES
        + EXERCISES.replace(
            exercise_table("fit", "03_training"), exercise_table("fit", "03_training", hints=hints)
        )
    )
    assert error(tmp_path, text) == (
        "info.toml, exercise 'fit' (line 35): field 'hints' must be a list of 2 or 3 non-empty "
        "strings."
    )


def with_fit(**fields: str) -> str:
    return (
        HEAD
        + MODULES
        + EXERCISES.replace(
            exercise_table("fit", "03_training"), exercise_table("fit", "03_training", **fields)
        )
    )


@pytest.mark.parametrize("timeout", ["0", "-1", "600.5", "true", '"10"'])
def test_a_timeout_is_seconds_up_to_ten_minutes(tmp_path: Path, timeout: str) -> None:
    assert error(tmp_path, with_fit(timeout=timeout)) == (
        "info.toml, exercise 'fit' (line 35): field 'timeout' must be a number of seconds from 1 "
        "to 600."
    )


@pytest.mark.parametrize("timeout", ["0.5", "1", "600", "599.9"])
def test_a_timeout_in_range_is_kept(tmp_path: Path, timeout: str) -> None:
    assert load(tmp_path, with_fit(timeout=timeout)).exercise("fit").timeout == float(timeout)


@pytest.mark.parametrize("points", ["-1", "1.5", "true", '"3"'])
def test_points_are_a_whole_number_zero_or_more(tmp_path: Path, points: str) -> None:
    assert error(tmp_path, with_fit(points=points)) == (
        "info.toml, exercise 'fit' (line 35): field 'points' must be a whole number, 0 or more."
    )


def test_zero_points_and_an_empty_rubric_are_fine(tmp_path: Path) -> None:
    fit = load(tmp_path, with_fit(points="0", rubric='""')).exercise("fit")
    assert (fit.points, fit.rubric) == (0, "")


def test_a_rubric_must_be_text(tmp_path: Path) -> None:
    assert error(tmp_path, with_fit(rubric="3")) == (
        "info.toml, exercise 'fit' (line 35): field 'rubric' must be a non-empty string."
    )


# --- learning paths -----------------------------------------------------------------------


def with_paths(paths: str) -> str:
    return HEAD + "\n[paths]\n" + paths + "\n" + MODULES + EXERCISES


def test_paths_may_be_lists_or_tables(tmp_path: Path) -> None:
    course = load(
        tmp_path,
        with_paths(
            'complete = ["01_data", "02_features", "03_training"]\n'
            'fast = { modules = ["01_data", "03_training"], open = ["02_features"], '
            'about = "  skip features  " }'
        ),
    )
    assert course.paths == {
        "complete": ("01_data", "02_features", "03_training"),
        "fast": ("01_data", "03_training"),
    }
    assert course.path_open == {"fast": ("02_features",)}
    assert course.path_about == {"fast": "skip features"}
    assert [m.id for m in course.path_modules("fast")] == ["01_data", "03_training"]


@pytest.mark.parametrize(
    ("paths", "message"),
    [
        ("", "info.toml, [paths]: must map path names to lists of module ids."),
        (
            'fast = ["01_data"]',
            "info.toml, [paths]: needs a 'complete' path, the default.",
        ),
        (
            "complete = []",
            "info.toml, [paths] 'complete': must be a non-empty list of module ids.",
        ),
        (
            'complete = "01_data"',
            "info.toml, [paths] 'complete': must be a non-empty list of module ids.",
        ),
        (
            'complete = ["01_data", "01_data"]',
            "info.toml, [paths] 'complete': lists a module twice.",
        ),
        (
            'complete = ["01_data", "05_x"]',
            "info.toml, [paths] 'complete': names module '05_x', which does not exist.",
        ),
        (
            'complete = { modules = ["01_data"], opened = ["02_features"] }',
            "info.toml, [paths] 'complete': unknown field 'opened' (did you mean 'open'?).",
        ),
        (
            'complete = { modules = ["01_data"], open = ["01_data"] }',
            "info.toml, [paths] 'complete': lists a module both as required and as open.",
        ),
        (
            'complete = { modules = ["01_data"], open = [] }',
            "info.toml, [paths] 'complete' open: must be a non-empty list of module ids.",
        ),
        (
            'complete = { modules = ["01_data"], about = "" }',
            "info.toml, [paths] 'complete': field 'about' must be a non-empty string.",
        ),
        (
            'complete = { open = ["01_data"] }',
            "info.toml, [paths] 'complete': must be a non-empty list of module ids.",
        ),
    ],
)
def test_a_bad_path_names_the_path_and_the_mistake(
    tmp_path: Path, paths: str, message: str
) -> None:
    assert error(tmp_path, with_paths(paths)) == message


def test_paths_must_be_a_table(tmp_path: Path) -> None:
    text = HEAD + 'paths = ["01_data"]\n' + MODULES + EXERCISES
    assert (
        error(tmp_path, text) == "info.toml, [paths]: must map path names to lists of module ids."
    )


# --- gating -------------------------------------------------------------------------------


@pytest.fixture
def course(tmp_path: Path) -> Course:
    return load(
        tmp_path,
        with_paths(
            'complete = ["01_data", "02_features", "03_training"]\n'
            'fast = { modules = ["01_data", "03_training"], open = ["02_features"] }\n'
            'data = ["01_data"]'
        ),
    )


def gate(course: Course, done: set[str] = frozenset(), path: str = "complete", reopened=()):
    return Gate(course, path, frozenset(done), frozenset(reopened))


def test_the_first_module_is_open_and_the_next_locked_until_it_is_done(course: Course) -> None:
    g = gate(course, {"load"})
    assert g.lock_reason(course.exercise("load")) is None
    assert g.lock_reason(course.exercise("clean")) is None
    assert g.lock_reason(course.exercise("encode")) == (
        "Module 02_features is locked: finish module 01_data (Data) first — 1 exercise(s) to go."
    )
    assert gate(course).lock_reason(course.exercise("fit")) == (
        "Module 03_training is locked: finish module 01_data (Data) first — 2 exercise(s) to go."
    )
    assert gate(course, {"load", "clean"}).lock_reason(course.exercise("fit")) == (
        "Module 03_training is locked: finish module 02_features (Features) first — 1 "
        "exercise(s) to go."
    )
    assert gate(course, {"load", "clean", "encode"}).unlocked(course.exercise("fit"))


def test_a_module_outside_the_path_says_how_to_switch(course: Course) -> None:
    assert gate(course, path="data").lock_reason(course.exercise("fit")) == (
        "Module 03_training is not part of your learning path 'data'. Switch paths with "
        "`mlings path NAME`."
    )


def test_an_open_module_is_reachable_but_not_required(course: Course) -> None:
    g = gate(course, path="fast")
    assert g.unlocked(course.exercise("encode"))
    assert not g.unlocked(course.exercise("fit"))
    assert gate(course, {"load", "clean"}, "fast").unlocked(course.exercise("fit"))
    assert [e.name for e in g.in_path()] == ["load", "clean", "fit"]


def test_reopened_exercises_still_count_for_unlocking(course: Course) -> None:
    g = gate(course, {"load"}, reopened={"clean"})
    assert g.module_done(course.module("01_data"))
    assert not gate(course, {"load"}).module_done(course.module("01_data"))
    assert g.unlocked(course.exercise("encode"))
    partial = gate(course, set(), reopened={"load"})
    assert "1 exercise(s) to go" in (partial.lock_reason(course.exercise("encode")) or "")


def test_the_next_pending_exercise_follows_path_order_and_wraps_around(course: Course) -> None:
    assert gate(course).next_pending() == course.exercise("load")
    g = gate(course, {"load"})
    assert g.next_pending() == course.exercise("clean")
    assert g.next_pending(after=course.exercise("clean")) == course.exercise("clean")
    everything_but_load = gate(course, {"clean", "encode", "fit"})
    assert everything_but_load.next_pending(after=course.exercise("encode")) == course.exercise(
        "load"
    )
    assert gate(course, {"load", "clean"}).next_pending(
        after=course.exercise("load")
    ) == course.exercise("encode")
    assert gate(course, {"load", "clean", "encode", "fit"}).next_pending() is None


def test_a_reopened_exercise_is_pending_again(course: Course) -> None:
    g = gate(course, {"clean", "encode", "fit"}, reopened={"load"})
    assert g.next_pending() == course.exercise("load")


def test_an_exercise_outside_the_path_starts_the_search_at_the_top(course: Course) -> None:
    g = gate(course, {"load"}, path="data")
    assert g.next_pending(after=course.exercise("fit")) == course.exercise("clean")


def test_newly_unlocked_modules_are_those_locked_before(course: Course) -> None:
    g = gate(course, {"load", "clean"})
    assert g.newly_unlocked({"load"}) == (course.module("02_features"),)
    assert g.newly_unlocked({"load", "clean"}) == ()
    assert gate(course, {"load", "clean", "encode"}).newly_unlocked(set()) == (
        course.module("02_features"),
        course.module("03_training"),
    )


def test_newly_unlocked_counts_the_reopened_as_before(course: Course) -> None:
    g = gate(course, {"load"}, reopened={"clean"})
    assert g.newly_unlocked({"load"}) == ()


def test_modules_keep_their_exercises_in_catalog_order(course: Course) -> None:
    assert course.modules[0] == Module(
        "01_data", "Data", (course.exercise("load"), course.exercise("clean"))
    )
    assert [e.name for e in course.exercises] == ["load", "clean", "encode", "fit"]
