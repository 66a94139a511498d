"""Progress is saved atomically with a backup, recovered when damaged, never silently reset."""

from __future__ import annotations

import json
import multiprocessing
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mlings.progress import Progress, ProgressError, Store


def saved(root: Path) -> Store:
    store = Store(root)
    progress = Progress(current="double")
    progress.record_run("answer", passed=True)
    progress.hints["double"] = 2
    store.save(progress)
    return store


def test_a_fresh_course_starts_with_empty_progress(tmp_path: Path) -> None:
    progress = Store(tmp_path).load()
    assert progress == Progress()


def test_progress_round_trips_through_the_file(tmp_path: Path) -> None:
    store = saved(tmp_path)
    loaded = Store(tmp_path).load()
    assert loaded.current == "double"
    assert set(loaded.done) == {"answer"}
    assert loaded.hints == {"double": 2} and loaded.attempts == {"answer": 1}
    assert store.state.read_text() == store.backup.read_text()


def test_a_save_leaves_no_temporary_files(tmp_path: Path) -> None:
    store = saved(tmp_path)
    assert sorted(p.name for p in store.folder.iterdir()) == ["state.json", "state.json.bak"]


def test_a_save_that_dies_midway_leaves_the_previous_state_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = saved(tmp_path)
    before = store.state.read_text()

    def power_cut(fd: int) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr("mlings.progress.os.fsync", power_cut)
    with pytest.raises(OSError, match="disk gone"):
        store.save(Progress(current="greet"))
    assert store.state.read_text() == before
    assert sorted(p.name for p in store.folder.iterdir()) == ["state.json", "state.json.bak"]


def test_a_first_pass_is_dated_and_later_passes_only_count_attempts() -> None:
    progress = Progress()
    assert progress.record_run("answer", passed=False) is False
    assert progress.record_run("answer", passed=True) is True
    first = progress.done["answer"]
    assert progress.record_run("answer", passed=True) is False
    assert progress.done["answer"] == first and progress.attempts["answer"] == 3


@pytest.mark.parametrize(
    "damage",
    [
        '{"format_version": 1, "done": {',  # cut off mid-write
        "",  # emptied
        '{"format_version": 1, "done": ["answer"]}',  # hand-edited into the wrong shape
        '{"format_version": 1, "hints": {"double": -3}}',
    ],
)
def test_a_damaged_file_is_recovered_from_the_backup_and_kept_aside(
    tmp_path: Path, damage: str
) -> None:
    store = saved(tmp_path)
    store.state.write_text(damage)
    fresh = Store(tmp_path)
    progress = fresh.load()
    assert set(progress.done) == {"answer"} and progress.hints == {"double": 2}
    assert fresh.notice is not None and "restored it from its backup" in fresh.notice
    kept = list(store.folder.glob("state.json.damaged-*"))
    assert len(kept) == 1 and kept[0].read_text() == damage
    assert Progress.from_json(store.state.read_text()) == progress


def test_a_missing_state_with_a_backup_is_restored(tmp_path: Path) -> None:
    store = saved(tmp_path)
    store.state.unlink()
    assert set(Store(tmp_path).load().done) == {"answer"}
    assert store.state.exists()


def test_when_both_files_are_damaged_loading_stops_and_changes_nothing(tmp_path: Path) -> None:
    store = saved(tmp_path)
    store.state.write_text("{broken")
    store.backup.write_text("{also broken")
    with pytest.raises(ProgressError, match="changed nothing"):
        Store(tmp_path).load()
    assert store.state.read_text() == "{broken"
    assert store.backup.read_text() == "{also broken"


def test_a_damaged_file_without_backup_is_reported_not_reset(tmp_path: Path) -> None:
    store = saved(tmp_path)
    store.backup.unlink()
    store.state.write_text("not json")
    with pytest.raises(ProgressError, match="no backup"):
        Store(tmp_path).load()
    assert store.state.read_text() == "not json"


UPDATES = 150  # per process: long enough that the two surely overlap once both are going


def _count_attempts(root: str, times: int, start: Any) -> None:
    store = Store(Path(root))
    start.wait()  # every process is up before any updates: their updates overlap
    for _ in range(times):
        store.update(lambda p: p.record_run("answer", passed=False))


def test_concurrent_updates_from_two_processes_lose_nothing(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(3, timeout=120)
    workers = [
        context.Process(target=_count_attempts, args=(str(tmp_path), UPDATES, start))
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    try:
        start.wait()
        for worker in workers:
            worker.join(120)
        assert [worker.exitcode for worker in workers] == [0, 0]
    finally:
        for worker in workers:
            worker.kill()
    assert Store(tmp_path).load().attempts == {"answer": 2 * UPDATES}


def test_the_state_file_is_plain_json_a_human_can_read(tmp_path: Path) -> None:
    store = saved(tmp_path)
    data = json.loads(store.state.read_text())
    assert data["format_version"] == 1 and data["current"] == "double"


SAVER = """
import sys
from pathlib import Path
from mlings.progress import Store
store = Store(Path(sys.argv[1]))
while True:
    store.update(lambda p: p.record_run("answer", passed=False))
"""


def _attempts(root: Path) -> int:
    return Store(root).load().attempts.get("answer", 0)


def _wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def test_killing_a_process_mid_save_never_leaves_unreadable_progress(tmp_path: Path) -> None:
    """Each saver is killed only once it is saving (however slowly it started), at a random
    moment within its next few saves."""
    rng = random.Random(7)
    seen = 0
    for _ in range(10):
        saver = subprocess.Popen([sys.executable, "-c", SAVER, str(tmp_path)])
        try:
            assert _wait_for(lambda before=seen: _attempts(tmp_path) > before, 60), "saving"
            time.sleep(rng.uniform(0, 0.02))
        finally:
            saver.send_signal(signal.SIGKILL)
            saver.wait()
        store = Store(tmp_path)
        attempts = store.load().attempts.get("answer", 0)
        assert store.notice is None, store.notice
        assert attempts > seen, "a later save never loses what an earlier one recorded"
        seen = attempts
