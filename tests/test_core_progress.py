"""The learner's progress (mlings.progress): its rules, its file format, and how it is kept safe.

Everything here runs in one process on a temporary folder; the crash and concurrency stories are
in test_progress.py.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from mlings import progress as progress_module
from mlings.progress import Progress, ProgressError, Store, write_atomically

STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")  # UTC, to the second


# --- the rules ----------------------------------------------------------------------------


def test_fresh_progress_is_empty_on_the_complete_path() -> None:
    assert Progress() == Progress(
        path="complete",
        current=None,
        done={},
        hints={},
        attempts={},
        welcomed=False,
        reopened={},
    )


def test_each_run_counts_one_attempt_and_the_first_pass_is_dated() -> None:
    p = Progress()
    assert p.record_run("a", passed=False) is False
    assert p.attempts == {"a": 1} and p.done == {}
    assert p.record_run("a", passed=True) is True
    assert p.attempts == {"a": 2}
    assert STAMP.fullmatch(p.done["a"])
    first = p.done["a"]
    assert p.record_run("a", passed=True) is False  # already done: only an attempt
    assert p.attempts == {"a": 3} and p.done == {"a": first}


def test_a_run_that_is_not_an_attempt_counts_nothing() -> None:
    p = Progress()
    assert p.record_run("a", passed=True, attempt=False) is True
    assert p.attempts == {}
    assert "a" in p.done


def test_a_reset_reopens_a_done_exercise_and_passing_again_closes_it() -> None:
    p = Progress()
    p.record_run("a", passed=True)
    p.reopen("a")
    assert p.done == {}
    assert STAMP.fullmatch(p.reopened["a"])
    assert p.passed_once("a")
    assert p.record_run("a", passed=True) is True
    assert "a" in p.done and p.reopened == {}


def test_reopening_an_exercise_never_done_changes_nothing() -> None:
    p = Progress(reopened={"b": "x"})
    p.reopen("a")
    assert p == Progress(reopened={"b": "x"})


def test_passed_once_means_done_or_reopened() -> None:
    p = Progress(done={"a": "t"}, reopened={"b": "t"})
    assert p.passed_once("a") and p.passed_once("b") and not p.passed_once("c")


# --- the file format ----------------------------------------------------------------------


def test_progress_is_indented_json_with_its_format_version_first() -> None:
    text = Progress(current="a", hints={"a": 2}).to_json()
    assert text.startswith('{\n  "format_version": 1,\n  "path": "complete",\n')
    assert text.endswith("}\n")
    assert json.loads(text) == {
        "format_version": 1,
        "path": "complete",
        "current": "a",
        "done": {},
        "hints": {"a": 2},
        "attempts": {},
        "welcomed": False,
        "reopened": {},
    }


def test_every_field_round_trips() -> None:
    p = Progress(
        path="technical",
        current="b",
        done={"a": "2026-01-01T00:00:00+00:00"},
        hints={"b": 1},
        attempts={"a": 3, "b": 0},
        welcomed=True,
        reopened={"c": "2026-01-02T00:00:00+00:00"},
    )
    assert Progress.from_json(p.to_json()) == p


def test_fields_left_out_take_their_defaults() -> None:
    assert Progress.from_json('{"format_version": 1}') == Progress()


def reject(data: object) -> str:
    with pytest.raises(ValueError) as caught:
        Progress.from_json(json.dumps(data))
    return str(caught.value)


def test_only_a_json_object_of_format_version_1_is_progress() -> None:
    assert reject([1]) == "the file does not hold a JSON object"
    assert reject({}) == "format_version must be 1"
    assert reject({"format_version": 2}) == "format_version must be 1"
    assert reject({"format_version": "1"}) == "format_version must be 1"
    with pytest.raises(ValueError):
        Progress.from_json("{not json")


def test_json_nested_too_deeply_is_damaged_not_a_crash() -> None:
    with pytest.raises(ValueError, match=r"^the file is nested too deeply to be progress$"):
        Progress.from_json("[" * 100_000 + "]" * 100_000)


@pytest.mark.parametrize(
    ("key", "value"),
    [("path", 3), ("path", None), ("current", 3), ("welcomed", "yes"), ("welcomed", 0)],
)
def test_a_field_of_the_wrong_type_is_named(key: str, value: object) -> None:
    assert reject({"format_version": 1, key: value}) == f"'{key}' has the wrong type"


def test_current_may_be_null() -> None:
    assert Progress.from_json('{"format_version": 1, "current": null}').current is None


@pytest.mark.parametrize(
    ("key", "value", "kind"),
    [
        ("done", [], "str"),
        ("done", {"a": 1}, "str"),
        ("reopened", {"a": None}, "str"),
        ("hints", {"a": "2"}, "int"),
        ("hints", {"a": True}, "int"),  # a bool is not a count
        ("attempts", {"a": 1.5}, "int"),
        ("attempts", {"a": False}, "int"),
        ("attempts", "3", "int"),
    ],
)
def test_a_mapping_of_the_wrong_kind_is_named(key: str, value: object, kind: str) -> None:
    message = reject({"format_version": 1, key: value})
    assert message == f"'{key}' must map exercise names to {kind} values"


@pytest.mark.parametrize("key", ["hints", "attempts"])
def test_counts_cannot_be_negative(key: str) -> None:
    message = reject({"format_version": 1, key: {"a": 0, "b": -1}})
    assert message == "hint levels and attempts cannot be negative"


def test_zero_counts_are_fine() -> None:
    p = Progress.from_json('{"format_version": 1, "hints": {"a": 0}, "attempts": {"a": 0}}')
    assert (p.hints, p.attempts) == ({"a": 0}, {"a": 0})


# --- atomic writes ------------------------------------------------------------------------


def test_an_atomic_write_replaces_the_file_and_leaves_nothing_else(tmp_path: Path) -> None:
    target = tmp_path / "state.json"
    target.write_text("old")
    write_atomically(target, "new é\n")
    assert target.read_bytes() == "new é\n".encode()
    assert os.listdir(tmp_path) == ["state.json"]


def test_an_atomic_write_goes_through_a_hidden_temporary_file_synced_to_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "state.json"
    synced: list[tuple[str, list[str]]] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.append((os.readlink(f"/proc/self/fd/{fd}"), sorted(os.listdir(tmp_path))))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    write_atomically(target, "text")
    (file_path, before), (folder_path, after) = synced  # the file, then its folder
    assert re.fullmatch(r"\.state\.json\..+\.tmp", Path(file_path).name)
    assert Path(file_path).parent == tmp_path
    assert before == [Path(file_path).name]  # not yet in place while it is written
    assert Path(folder_path) == tmp_path
    assert after == ["state.json"]


def test_a_failed_atomic_write_removes_its_temporary_file_and_keeps_the_old_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "state.json"
    target.write_text("old")

    def broken(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError, match="disk full"):
        write_atomically(target, "new")
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["state.json"]


# --- the store ----------------------------------------------------------------------------


def test_a_store_keeps_its_files_in_the_courses_mlings_folder(tmp_path: Path) -> None:
    store = Store(tmp_path)
    assert store.folder == tmp_path / ".mlings"
    assert store.state == tmp_path / ".mlings" / "state.json"
    assert store.backup == tmp_path / ".mlings" / "state.json.bak"
    assert store.notice is None


def test_a_first_load_is_fresh_and_writes_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path)
    assert store.load() == Progress()
    assert store.notice is None
    assert not (tmp_path / ".mlings").exists()


def test_a_save_writes_the_state_and_an_identical_backup(tmp_path: Path) -> None:
    store = Store(tmp_path)
    p = Progress(current="a", attempts={"a": 1})
    store.save(p)
    assert store.state.read_text(encoding="utf-8") == p.to_json()
    assert store.backup.read_text(encoding="utf-8") == p.to_json()
    assert Store(tmp_path).load() == p


def test_a_save_creates_missing_folders(tmp_path: Path) -> None:
    store = Store(tmp_path / "deep" / "course")
    store.save(Progress())
    assert store.state.exists()


def saved(root: Path, state: str | None, backup: str | None) -> Store:
    store = Store(root)
    store.folder.mkdir(parents=True)
    if state is not None:
        store.state.write_text(state, encoding="utf-8")
    if backup is not None:
        store.backup.write_text(backup, encoding="utf-8")
    return store


def test_a_damaged_state_is_restored_from_the_backup_and_kept_aside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(progress_module.time, "time", lambda: 1234.9)
    good = Progress(done={"a": "t"})
    store = saved(tmp_path, "{broken", good.to_json())
    assert store.load() == good
    aside = store.folder / "state.json.damaged-1234"
    assert aside.read_text() == "{broken"
    assert store.state.read_text() == good.to_json()
    assert store.notice is not None
    assert store.notice.startswith("Your progress file is damaged (")
    assert store.notice.endswith(
        "); mlings restored it from its backup. The damaged file is kept as "
        "state.json.damaged-1234."
    )


def test_a_missing_state_is_restored_from_the_backup(tmp_path: Path) -> None:
    good = Progress(hints={"a": 1})
    store = saved(tmp_path, None, good.to_json())
    assert store.load() == good
    assert store.state.read_text() == good.to_json()
    assert store.notice == "Your progress file is missing; mlings restored it from its backup."
    assert sorted(os.listdir(store.folder)) == ["state.json", "state.json.bak"]


def test_an_unreadable_state_counts_as_damaged(tmp_path: Path) -> None:
    good = Progress(welcomed=True)
    store = saved(tmp_path, None, good.to_json())
    store.state.write_bytes(b"\xff\xfe not utf-8")
    assert store.load() == good
    assert store.notice is not None and "is damaged" in store.notice


def test_a_state_that_is_a_folder_counts_as_damaged(tmp_path: Path) -> None:
    store = saved(tmp_path, None, None)
    store.state.mkdir()
    with pytest.raises(ProgressError, match="is damaged"):
        store.load()


def test_a_damaged_state_without_backup_stops_loading_and_says_what_to_do(tmp_path: Path) -> None:
    store = saved(tmp_path, "[]", None)
    with pytest.raises(ProgressError) as caught:
        store.load()
    assert str(caught.value) == (
        f"Your progress file {store.state} is damaged (the file does not hold a JSON object) "
        "and there is no backup. mlings changed nothing. Repair the file by hand, or move it "
        "away to start over."
    )
    assert store.state.read_text() == "[]"
    assert os.listdir(store.folder) == ["state.json"]


def test_a_damaged_state_and_backup_stop_loading_and_change_nothing(tmp_path: Path) -> None:
    store = saved(tmp_path, "[]", '{"format_version": 9}')
    with pytest.raises(ProgressError) as caught:
        store.load()
    assert str(caught.value) == (
        f"Your progress file {store.state} is damaged (the file does not hold a JSON object), "
        f"and its backup {store.backup} is damaged too (format_version must be 1). mlings "
        "changed nothing. Repair the file by hand, or move both away to start over: the next "
        "run begins fresh."
    )
    assert sorted(os.listdir(store.folder)) == ["state.json", "state.json.bak"]


def test_a_missing_state_and_damaged_backup_stop_loading(tmp_path: Path) -> None:
    store = saved(tmp_path, None, "nope")
    with pytest.raises(ProgressError, match=r"is missing, and its backup .* is damaged too"):
        store.load()


def test_an_update_loads_changes_and_saves_under_the_lock(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.save(Progress(attempts={"a": 1}))
    seen: list[Progress] = []

    def change(p: Progress) -> str:
        seen.append(Progress.from_json(p.to_json()))
        p.attempts["a"] += 1
        return "ignored"

    result = store.update(change)
    assert seen == [Progress(attempts={"a": 1})]
    assert result == Progress(attempts={"a": 2})
    assert Store(tmp_path).load() == result
    assert Progress.from_json(store.backup.read_text()) == result
    assert (store.folder / "lock").exists()


def test_a_failed_update_saves_nothing_and_releases_the_lock(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.save(Progress(current="a"))

    def broken(p: Progress) -> None:
        p.current = "b"
        raise RuntimeError("no")

    with pytest.raises(RuntimeError):
        store.update(broken)
    assert store.load().current == "a"
    store.update(lambda p: setattr(p, "current", "c"))  # the lock was let go
    assert store.load().current == "c"
