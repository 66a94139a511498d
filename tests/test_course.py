"""The catalog: a good info.toml loads; a bad one names the place and what is wrong; gating."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlings.content import package_dir
from mlings.course import CatalogError, Gate, NotInCourse, find_root, load_course

from .conftest import FIXTURES

GOOD = """
format_version = 1

[paths]
complete = ["01_data", "02_features"]

[[modules]]
id = "01_data"
title = "Data"

[[modules]]
id = "02_features"
title = "Features"

[[exercises]]
name = "load"
module = "01_data"
file = "01_load.py"
hints = ["one", "two"]

[[exercises]]
name = "clean"
module = "01_data"
file = "02_clean.py"
timeout = 30
hints = ["one", "two", "three"]

[[exercises]]
name = "encode"
module = "02_features"
file = "01_encode.py"
hints = ["one", "two"]
"""


def catalog(tmp_path: Path, text: str) -> Path:
    (tmp_path / "info.toml").write_text(text)
    return tmp_path


def test_a_good_catalog_loads_modules_and_exercises_in_order(tmp_path: Path) -> None:
    course = load_course(catalog(tmp_path, GOOD))
    assert [m.id for m in course.modules] == ["01_data", "02_features"]
    assert [e.name for e in course.exercises] == ["load", "clean", "encode"]
    clean = course.exercise("clean")
    assert clean.timeout == 30 and clean.hints == ("one", "two", "three")
    assert course.exercise("load").timeout == 15
    # a folder that is not mlings' own checkout reads the checks from the installed package
    assert course.check_file(clean) == package_dir().parent / "mlings/checks/01_data/test_clean.py"
    assert clean.path == Path("exercises/01_data/02_clean.py")


def test_the_real_course_catalog_is_valid() -> None:
    root = Path(__file__).resolve().parents[1]
    course = load_course(root)
    assert course.modules[0].id == "00_business"
    first = course.exercises[0]  # the package's own checkout reads its own checks and solutions
    assert course.check_file(first) == root / "mlings/checks" / first.module / (
        f"test_{first.name}.py"
    )
    assert course.solution_file(first) == root / first.solution
    assert len(course.modules[0].exercises) >= 5


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda t: t.replace("format_version = 1", "format_version = 2"), "'format_version'"),
        (lambda t: t.replace('title = "Data"', 'title = "Data'), "not valid TOML"),
        (
            lambda t: t.replace(
                'hints = ["one", "two"]\n\n[[exercises]]\nname = "clean"',
                'hint = ["one", "two"]\n\n[[exercises]]\nname = "clean"',
            ),
            "exercise 'load' (line 15): unknown field 'hint' (did you mean 'hints'?)",
        ),
        (lambda t: t.replace('name = "clean"', 'name = "load"'), "used by an earlier exercise"),
        (lambda t: t.replace('name = "clean"', 'name = "Clean-Up"'), "field 'name'"),
        (
            lambda t: t.replace('module = "02_features"', 'module = "03_models"'),
            "module '03_models' is not declared",
        ),
        (
            lambda t: t.replace('hints = ["one", "two", "three"]', 'hints = ["just one"]'),
            "exercise 'clean' (line 21): field 'hints' must be a list of 2 or 3",
        ),
        (lambda t: t.replace("timeout = 30", "timeout = -1"), "field 'timeout'"),
        (lambda t: t.replace('file = "01_load.py"', 'file = "../01_load.py"'), "field 'file'"),
        (
            lambda t: t.replace(
                'complete = ["01_data", "02_features"]', 'complete = ["01_data", "09_capstone"]'
            ),
            "[paths] 'complete': names module '09_capstone'",
        ),
        (lambda t: t.replace("complete =", "fast ="), "needs a 'complete' path"),
        (
            lambda t: t + '\n[[modules]]\nid = "03_models"\ntitle = "Models"\n',
            "module '03_models' (line 34): has no exercises",
        ),
        (lambda t: t.replace('id = "01_data"', 'id = "data"'), "must look like '01_data'"),
        (
            lambda t: t.replace("format_version = 1", "format_version = 1\nwelcome = 'hi'"),
            "unknown field 'welcome'",
        ),
    ],
)
def test_a_bad_catalog_names_the_field_and_the_problem(
    tmp_path: Path, change, expected: str
) -> None:
    with pytest.raises(CatalogError) as raised:
        load_course(catalog(tmp_path, change(GOOD)))
    assert expected in str(raised.value)
    assert str(raised.value).startswith("info.toml")


def test_a_cached_catalog_is_the_same_course_and_an_edit_is_seen_at_once(tmp_path: Path) -> None:
    root, cache = catalog(tmp_path, GOOD), tmp_path / ".mlings/catalog.json"
    parsed = load_course(root, cache=cache)
    assert cache.is_file() and load_course(root, cache=cache) == parsed == load_course(root)
    (root / "info.toml").write_text(GOOD.replace('"two", "three"', '"two", "tree"'))  # same length
    assert load_course(root, cache=cache).exercise("clean").hints[-1] == "tree"


@pytest.mark.parametrize("stored", ["", "{not json", '{"key": 1}', '["a list"]', '{"data": {}}'])
def test_a_broken_catalog_cache_costs_only_a_parse(tmp_path: Path, stored: str) -> None:
    root, cache = catalog(tmp_path, GOOD), tmp_path / "catalog.json"
    cache.write_text(stored)
    assert load_course(root, cache=cache) == load_course(root)


def test_a_cached_catalog_is_still_validated(tmp_path: Path) -> None:
    root, cache = catalog(tmp_path, GOOD), tmp_path / "catalog.json"
    load_course(root, cache=cache)
    (root / "info.toml").write_text(GOOD.replace("timeout = 30", 'timeout = "x"'))
    with pytest.raises(CatalogError):
        load_course(root, cache=cache)
    with pytest.raises(CatalogError):  # a second time, when a bad catalog could have been cached
        load_course(root, cache=cache)


def test_a_missing_catalog_is_not_a_course(tmp_path: Path) -> None:
    with pytest.raises(NotInCourse, match=r"No info\.toml"):
        find_root(start=tmp_path)


def test_the_course_root_is_the_nearest_folder_with_a_catalog(tmp_path: Path) -> None:
    catalog(tmp_path, GOOD)
    deep = tmp_path / "exercises" / "01_data"
    deep.mkdir(parents=True)
    assert find_root(start=deep) == tmp_path.resolve()


def test_modules_unlock_in_path_order_once_the_previous_is_done() -> None:
    course = load_course(FIXTURES / "course")
    greet = course.exercise("greet")
    gate = Gate(course, "complete", frozenset({"answer"}))
    reason = gate.lock_reason(greet)
    assert reason is not None and "finish module 01_first" in reason and "1 exercise(s)" in reason
    assert gate.next_pending() == course.exercise("double")
    opened = Gate(course, "complete", frozenset({"answer", "double"}))
    assert opened.unlocked(greet)
    assert opened.newly_unlocked({"answer"}) == (course.module("02_second"),)


def test_next_wraps_around_to_an_open_exercise_and_never_lands_on_a_locked_one() -> None:
    """double done before answer: after double comes greet, still locked, so n wraps to answer."""
    course = load_course(FIXTURES / "course")
    double, greet = course.exercise("double"), course.exercise("greet")
    gate = Gate(course, "complete", frozenset({"double"}))
    assert not gate.unlocked(greet)
    assert gate.next_pending(double) == course.exercise("answer")
    assert gate.next_pending(greet) == course.exercise("answer"), "from a locked one too"
    everything = Gate(course, "complete", frozenset({"answer", "double", "greet"}))
    assert everything.next_pending(double) is None


def test_a_module_outside_the_chosen_path_says_how_to_switch() -> None:
    course = load_course(FIXTURES / "course")
    gate = Gate(course, "second_only", frozenset())
    assert gate.unlocked(course.exercise("greet"))
    reason = gate.lock_reason(course.exercise("answer"))
    assert reason is not None and "mlings path" in reason


TABLE_PATHS = GOOD.replace(
    '[paths]\ncomplete = ["01_data", "02_features"]\n',
    """[paths]
complete = ["01_data", "02_features"]

[paths.features_first]
modules = ["02_features"]
open = ["01_data"]
about = "Straight to features; the data module stays open to read."
""",
)


def test_a_path_may_say_what_it_is_for_and_keep_modules_open_for_review(tmp_path: Path) -> None:
    course = load_course(catalog(tmp_path, TABLE_PATHS))
    assert course.paths == {
        "complete": ("01_data", "02_features"),
        "features_first": ("02_features",),
    }
    assert course.path_open == {"features_first": ("01_data",)}
    assert course.path_about["features_first"].startswith("Straight to features")
    gate = Gate(course, "features_first", frozenset())
    assert gate.unlocked(course.exercise("load")), "open for review: reachable at once"
    assert gate.in_path() == (course.exercise("encode"),), "and never required"
    assert gate.next_pending() == course.exercise("encode")


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ('open = ["01_data"]', "lists a module both as required and as open"),
        ('open = ["03_nowhere"]', "names module '03_nowhere', which does not exist"),
        ('about = ""', "field 'about' must be a non-empty string"),
        ('opn = ["01_data"]', "unknown field 'opn' (did you mean 'open'?)"),
    ],
)
def test_a_bad_path_table_names_the_path_and_the_mistake(
    tmp_path: Path, change: str, says: str
) -> None:
    text = TABLE_PATHS.replace(
        'open = ["01_data"]\nabout = "Straight to features; the data module stays open to read."',
        change if change.startswith(("open", "opn")) else f'open = ["01_data"]\n{change}',
    )
    if change == 'open = ["01_data"]':
        text = text.replace('modules = ["02_features"]', 'modules = ["01_data", "02_features"]')
    with pytest.raises(CatalogError) as error:
        load_course(catalog(tmp_path, text))
    assert "[paths] 'features_first'" in str(error.value) and says in str(error.value)


def test_the_course_has_the_three_learning_paths_of_its_outline() -> None:
    from .conftest import PROJECT

    course = load_course(PROJECT)
    modules = [m.id for m in course.modules]
    assert course.paths["complete"] == tuple(modules)
    assert course.paths["technical"] == tuple(
        m for m in modules if m[:2] in {"01", "02", "03", "04", "05", "06", "08"}
    )
    assert course.paths["business"] == tuple(
        m for m in modules if m[:2] in {"00", "01", "02", "06", "07", "08"}
    )
    assert course.path_open["business"] == ("03_training", "04_evaluation", "05_deployment")
    assert set(course.path_about) == {"complete", "technical", "business"}
