"""Watch mode, driven in a real pseudo-terminal the way a learner uses it."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sys
import time
from pathlib import Path

import pexpect
import pytest

from mlings.progress import Store

ANSWER = Path("exercises/01_first/01_answer.py")
SOLVED_ANSWER = Path("solutions/01_first/01_answer.py")


def spawn(root: Path, *args: str, engine: str = "warm", shell: str | None = None) -> pexpect.spawn:
    """``mlings watch`` in a 120x50 pseudo-terminal."""
    env = {**os.environ, "MLINGS_ENGINE": engine, "TERM": "xterm-256color"}
    env.pop("MLINGS_ROOT", None)
    command = shell or f"{sys.executable} -m mlings watch {' '.join(args)}"
    return pexpect.spawn(
        "/bin/bash",
        ["-c", command],
        cwd=str(root),
        env=env,
        dimensions=(50, 120),
        encoding="utf-8",
        timeout=60,  # for each expected screen: generous on a loaded machine, still bounded
    )


def save_atomically(root: Path, target: Path, text: str) -> None:
    """Save the way many editors do: write a temporary file, then rename it over the target."""
    temporary = (root / target).with_name(f".{target.name}.swp")
    temporary.write_text(text)
    os.replace(temporary, root / target)


def solution_text(root: Path) -> str:
    return (root / SOLVED_ANSWER).read_text()


def attempts(root: Path, name: str = "answer") -> int:
    return Store(root).load().attempts.get(name, 0)


def test_a_failing_exercise_turns_green_on_an_atomic_save(tiny_course: Path) -> None:
    watch = spawn(tiny_course)
    watch.expect("Welcome to the tiny test course.")
    watch.expect("✗ failed")
    watch.expect("answers 42")
    save_atomically(tiny_course, ANSWER, solution_text(tiny_course))
    watch.expect("✓ passed")
    watch.expect("Press n for the next exercise")
    assert "answer" in Store(tiny_course).load().done, "a pass is recorded at once"
    watch.send("q")
    watch.expect("Bye!")
    watch.expect(pexpect.EOF)


def test_h_reveals_hints_one_level_at_a_time(tiny_course: Path) -> None:
    watch = spawn(tiny_course)
    watch.expect("✗ failed")
    watch.send("h")
    watch.expect("Hint 1 of 3")
    watch.expect("Think of the answer to everything.")
    watch.send("h")
    watch.expect("Hint 2 of 3")
    watch.expect("It is a number.")
    assert Store(tiny_course).load().hints == {"answer": 2}
    watch.send("q")
    watch.expect(pexpect.EOF)


def test_n_moves_on_only_once_the_exercise_passes(tiny_course: Path) -> None:
    watch = spawn(tiny_course)
    watch.expect("✗ failed")
    watch.send("n")
    watch.expect("Pass this exercise first")
    save_atomically(tiny_course, ANSWER, solution_text(tiny_course))
    watch.expect("✓ passed")
    watch.send("n")
    watch.expect("01_first · double")
    watch.expect("✗ failed")
    assert Store(tiny_course).load().current == "double"
    watch.send("q")
    watch.expect(pexpect.EOF)


def test_a_key_pressed_during_a_run_waits_for_its_verdict(tiny_course: Path) -> None:
    slow = "import time\n\n\ndef answer():\n    time.sleep(1.5)\n    return 42\n"
    (tiny_course / ANSWER).write_text(slow)
    watch = spawn(tiny_course)
    watch.expect("… checking")
    watch.send("n")  # pressed before the verdict: it must apply to the pass, not be dropped
    watch.expect("✓ passed")
    watch.expect("01_first · double")
    watch.send("q")
    watch.expect(pexpect.EOF)


SLOW = """\
import os
import time
from pathlib import Path


def answer():
    with Path(__file__).with_name(".pids").open("a") as pids:
        pids.write(f"{os.getpid()}\\n")
    time.sleep(600)
"""


def alive(pid: int) -> bool:
    """Whether ``pid`` is a running process (not one that ended, nor a zombie)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def recorded_pids(path: Path) -> list[int]:
    return [int(line) for line in path.read_text().split()] if path.exists() else []


def test_saves_during_runs_cancel_them_and_only_the_last_reaches_a_verdict(
    tiny_course: Path,
) -> None:
    """Each save but the last starts a run that would take minutes; the next save comes once that
    run is surely in progress (its code has started) and cancels it. Only the last save's run
    reaches a verdict, and the cancelled runs' processes are gone."""
    catalog = tiny_course / "info.toml"
    catalog.write_text(catalog.read_text().replace("timeout = 10", "timeout = 120"))
    pids = (tiny_course / ANSWER).with_name(".pids")
    watch = spawn(tiny_course)
    watch.expect("✗ failed")
    before = attempts(tiny_course)  # the first run's attempt is recorded before it is shown
    for number in range(3):
        save_atomically(tiny_course, ANSWER, SLOW + f"\n# save {number}\n")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(recorded_pids(pids)) <= number:
            time.sleep(0.05)
        assert len(recorded_pids(pids)) == number + 1, f"save {number} started a run"
    save_atomically(tiny_course, ANSWER, solution_text(tiny_course))
    watch.expect("✓ passed")
    assert attempts(tiny_course) == before + 1, "only the last save's run reached a verdict"
    deadline = time.monotonic() + 30  # far below the runs' 120 s timeout
    while time.monotonic() < deadline and any(alive(pid) for pid in recorded_pids(pids)):
        time.sleep(0.1)
    assert not any(alive(pid) for pid in recorded_pids(pids)), "the earlier runs were cancelled"
    watch.send("q")
    watch.expect(pexpect.EOF)


def test_a_burst_of_five_saves_ends_in_a_verdict_on_the_last(tiny_course: Path) -> None:
    watch = spawn(tiny_course)
    watch.expect("✗ failed")
    before = attempts(tiny_course)
    text = (tiny_course / ANSWER).read_text()
    for number in range(4):
        save_atomically(tiny_course, ANSWER, text + f"\n# save {number}\n")
        time.sleep(0.02)
    save_atomically(tiny_course, ANSWER, solution_text(tiny_course))
    watch.expect("✓ passed")
    verdicts = attempts(tiny_course) - before
    assert 1 <= verdicts <= 5, "a verdict on the last save, and none for a save twice"
    watch.send("q")
    watch.expect(pexpect.EOF)


@pytest.mark.parametrize("leave", ["q", "\x03"], ids=["q", "ctrl-c"])
def test_the_terminal_is_restored_on_quit_and_ctrl_c(tiny_course: Path, leave: str) -> None:
    command = f"stty -g; {sys.executable} -m mlings watch; stty -g"
    watch = spawn(tiny_course, shell=command)
    watch.expect(r"([0-9a-f:]+)\r\n")
    before = watch.match.group(1)
    watch.expect("✗ failed")
    watch.send(leave)
    watch.expect(r"([0-9a-f:]{20,})\r\n")
    assert watch.match.group(1) == before
    watch.expect(pexpect.EOF)


def test_l_lists_exercises_and_continues_at_the_chosen_one(tiny_course: Path) -> None:
    shutil.copy(tiny_course / SOLVED_ANSWER, tiny_course / ANSWER)
    watch = spawn(tiny_course)
    watch.expect("✓ passed")
    watch.send("l")
    watch.expect("Choose an exercise")
    watch.send("jj\r")  # greet: locked until double passes
    watch.expect("finish module 01_first")
    watch.send("k\r")
    watch.expect("01_first · double")
    watch.send("q")
    watch.expect(pexpect.EOF)


def test_x_resets_after_confirmation(tiny_course: Path) -> None:
    watch = spawn(tiny_course)
    watch.expect("✗ failed")
    original = (tiny_course / ANSWER).read_text()
    save_atomically(tiny_course, ANSWER, solution_text(tiny_course))
    watch.expect("✓ passed")
    watch.send("x")
    watch.expect("Press y to reset")
    watch.send("n")
    watch.expect("Reset cancelled")
    watch.send("x")
    watch.expect("Press y to reset")
    watch.send("y")
    watch.expect("Your version is kept at")
    watch.expect("✗ failed")  # the restored file is checked again
    assert (tiny_course / ANSWER).read_text() == original
    watch.send("q")
    watch.expect(pexpect.EOF)


def test_manual_mode_runs_on_r(tiny_course: Path) -> None:
    watch = spawn(tiny_course, "--manual")
    watch.expect("✗ failed")
    watch.expect("Manual mode")
    before = attempts(tiny_course)
    shutil.copy(tiny_course / SOLVED_ANSWER, tiny_course / ANSWER)
    watch.send("r")
    watch.expect("✓ passed")
    assert attempts(tiny_course) == before + 1, "r ran the checks, once"
    watch.send("q")
    watch.expect(pexpect.EOF)


def test_pressing_r_before_any_save_suggests_manual_mode(tiny_course: Path) -> None:
    watch = spawn(tiny_course)
    watch.expect("✗ failed")
    watch.send("r")
    watch.expect("--manual")
    watch.send("q")
    watch.expect(pexpect.EOF)


def test_finishing_a_module_says_what_it_unlocked(tiny_course: Path) -> None:
    shutil.copy(tiny_course / SOLVED_ANSWER, tiny_course / ANSWER)
    watch = spawn(tiny_course)
    watch.expect("✓ passed")
    watch.send("n")
    watch.expect("01_first · double")
    save_atomically(
        tiny_course,
        Path("exercises/01_first/02_double.py"),
        (tiny_course / "solutions/01_first/02_double.py").read_text(),
    )
    watch.expect("Module 02_second · Second Things is unlocked")
    watch.send("q")
    watch.expect(pexpect.EOF)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def test_the_warm_worker_goes_away_with_a_killed_watch(tiny_course: Path) -> None:
    watch = spawn(tiny_course, shell=f"exec {sys.executable} -m mlings watch")
    watch.expect("✗ failed")
    workers = _children(watch.pid)
    assert workers, "watch mode runs a warm worker"
    os.kill(watch.pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() for p in workers):
        time.sleep(0.1)
    assert not any(Path(f"/proc/{p}").exists() for p in workers), "the worker outlived mlings"


def test_progress_survives_kill_dash_9_at_random_moments(tiny_course: Path) -> None:
    for module, file in [("01_first", "01_answer.py"), ("01_first", "02_double.py")]:
        shutil.copy(
            tiny_course / "solutions" / module / file, tiny_course / "exercises" / module / file
        )
    rng = random.Random(2026)
    passed_on_screen: set[str] = set()
    for _ in range(20):
        watch = spawn(tiny_course, engine="cold", shell=f"exec {sys.executable} -m mlings watch")
        deadline = time.monotonic() + 120  # until the round's first verdict, however slow
        current = None
        verdict_seen = False
        while time.monotonic() < deadline:
            try:
                seen = watch.expect([r"01_first · (\w+)", "✓ passed", "✗ failed"], timeout=0.05)
            except pexpect.TIMEOUT:
                continue
            if not verdict_seen and seen > 0:  # the random moment to kill at starts from here
                verdict_seen = True
                deadline = time.monotonic() + rng.uniform(0, 1.5)
            if seen == 0:
                current = watch.match.group(1)
            elif seen == 1 and current is not None:
                passed_on_screen.add(current)
                watch.send(rng.choice("rn"))
        os.kill(watch.pid, signal.SIGKILL)
        assert verdict_seen, "the round got as far as a verdict before it was killed"
        watch.wait()
        store = Store(tiny_course)
        progress = store.load()
        assert store.notice is None, store.notice
        assert passed_on_screen <= set(progress.done), "a pass shown on screen was lost"
    assert passed_on_screen, "the test saw no pass at all"


def test_finishing_the_course_shows_the_final_message_and_checks_everything(
    tiny_course: Path,
) -> None:
    for module, file in [("01_first", "01_answer.py"), ("01_first", "02_double.py")]:
        shutil.copy(
            tiny_course / "solutions" / module / file, tiny_course / "exercises" / module / file
        )
    store = Store(tiny_course)
    store.update(lambda p: p.done.update({"answer": "2026-01-01", "double": "2026-01-01"}))
    watch = spawn(tiny_course)
    watch.expect("02_second · greet")
    watch.expect("✗ failed")
    save_atomically(
        tiny_course,
        Path("exercises/02_second/01_greet.py"),
        (tiny_course / "solutions/02_second/01_greet.py").read_text(),
    )
    watch.expect("You finished the tiny test course.")
    watch.send("\r")  # closes the message; the full check's results are under it
    watch.expect("all 3 exercises pass")
    watch.expect("Esc or q goes back")
    watch.send("q")
    watch.expect("02_second · greet")
    watch.send("q")
    watch.expect(pexpect.EOF)
