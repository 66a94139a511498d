"""Watch mode's screens, driven headlessly with Textual's pilot at the sizes learners use.

What is "on screen" is the text of every cell of the terminal Textual would draw, so a pane that
scrolled something away or pushed it off the bottom fails these tests.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from mlings.app import App
from mlings.engine.results import RunResult, Status
from mlings.tui.check_all import CheckAllScreen
from mlings.tui.exercise import ExerciseScreen
from mlings.tui.listing import ListScreen
from mlings.tui.pages import LessonScreen, PlotScreen, SolutionScreen
from mlings.watch import WatchApp

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
UPDATE_ENV = "MLINGS_UPDATE_SNAPSHOTS"
SIZES = [(80, 24), (120, 40)]
ANSWER = Path("exercises/01_first/01_answer.py")

Steps = Callable[[WatchApp, Pilot], Awaitable[None]]


def on_screen(app: WatchApp) -> str:
    """Every line of the terminal as the learner would see it."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def until(pilot: Pilot, condition: Callable[[], bool], timeout: float = 60) -> None:
    """Let the app work until ``condition`` holds (runs take real time)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting; the screen shows:\n{on_screen(pilot.app)}")
        await pilot.pause(0.05)
    await pilot.pause(0.1)  # let the screen catch up with the state


async def shows(pilot: Pilot, *texts: str, timeout: float = 30) -> str:
    """Wait until every one of ``texts`` is on screen (no guessed pause); returns the screen."""
    await until(pilot, lambda: all(text in on_screen(pilot.app) for text in texts), timeout)
    return on_screen(pilot.app)


def drive(
    root: Path,
    steps: Steps,
    size: tuple[int, int] = (80, 24),
    welcomed: bool = True,
    manual: bool = False,
):
    """Open watch mode on ``root`` headlessly, wait for the first verdict, then run ``steps``."""
    app = App.open(root, engine="warm")
    if welcomed:
        app.mark_welcomed()
    watch = WatchApp(app, manual=manual)

    async def main() -> None:
        async with watch.run_test(size=size) as pilot:
            await until(pilot, lambda: watch.view.result is not None)
            await steps(watch, pilot)

    try:
        asyncio.run(main())
    finally:
        app.close()
    return watch


def _channels(colour: str) -> list[int]:
    return [int(colour[i : i + 2], 16) for i in (0, 2, 4)]


def solve(root: Path, *names: str) -> None:
    for name in names:
        shutil.copy(root / "solutions" / name, root / "exercises" / name)


# --- the exercise view -----------------------------------------------------------------------
@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_after_three_hints_the_name_the_first_failure_and_the_keys_are_in_sight(
    tiny_course: Path, size: tuple[int, int]
) -> None:
    async def steps(watch: WatchApp, pilot: Pilot) -> None:
        await pilot.press("h", "h", "h")
        screen = await shows(pilot, "Hints 3 of 3")
        assert "01_first · answer" in screen and "✗ failed" in screen
        assert "First failure: answers 42" in screen
        assert "answers 42" in screen.split("First failure")[0], "the checklist is shown"
        assert "raise NotImplementedError" in screen, "the learner's code frame is shown"
        assert "Hints 3 of 3" in screen
        assert "Progress:" in screen and " q  quit" in screen

    drive(tiny_course, steps, size)


def test_hints_fold_away_and_come_back(tiny_course: Path) -> None:
    async def steps(watch: WatchApp, pilot: Pilot) -> None:
        await pilot.press("h")
        await shows(pilot, "Think of the answer to everything.")
        await pilot.press("f")
        await until(pilot, lambda: "Think of the answer" not in on_screen(watch))
        assert "Hints 1 of 3" in on_screen(watch)
        await pilot.press("f")
        await shows(pilot, "Think of the answer to everything.")

    drive(tiny_course, steps)


def test_a_pass_says_what_next_and_offers_the_reference_as_a_diff(tiny_course: Path) -> None:
    async def steps(watch: WatchApp, pilot: Pilot) -> None:
        await pilot.press("s")
        await shows(pilot, "opens once your version passes")
        assert isinstance(watch.screen, ExerciseScreen)
        solve(tiny_course, "01_first/01_answer.py")
        await until(pilot, lambda: watch.view.passed)
        assert "Press n for the next exercise" in on_screen(watch)
        await pilot.press("s")
        await until(pilot, lambda: isinstance(watch.screen, SolutionScreen))
        assert "identical to the reference solution" in on_screen(watch)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(watch.screen, ExerciseScreen))

    drive(tiny_course, steps)


def test_the_solution_view_shows_what_differs_from_the_learners_file(tiny_course: Path) -> None:
    solved = (tiny_course / "solutions" / "01_first/01_answer.py").read_text()
    (tiny_course / ANSWER).write_text(solved + "\n\n# my own note\n")

    async def steps(watch: WatchApp, pilot: Pilot) -> None:
        await pilot.press("s")
        await until(pilot, lambda: isinstance(watch.screen, SolutionScreen))
        screen = on_screen(watch)
        assert "-# my own note" in screen and "reference solution" in screen

    drive(tiny_course, steps)


def test_resizing_to_80_columns_keeps_every_part_in_sight(tiny_course: Path) -> None:
    async def steps(watch: WatchApp, pilot: Pilot) -> None:
        await pilot.press("h", "h")
        await pilot.resize_terminal(80, 24)
        await pilot.pause(0.3)
        screen = on_screen(watch)
        assert len(screen.splitlines()) == 24
        for part in ("01_first · answer", "First failure", "Progress:", " q  quit"):
            assert part in screen, part

    drive(tiny_course, steps, size=(160, 50))


def test_no_color_draws_in_greys_only(tiny_course: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")

    async def steps(watch: WatchApp, pilot: Pilot) -> None:
        assert watch.no_color
        svg = watch.export_screenshot()
        colours = set(re.findall(r"fill: #([0-9a-f]{6})", svg))
        hued = [c for c in colours if max(_channels(c)) - min(_channels(c)) > 8]
        assert not hued, f"NO_COLOR still draws in colour: {sorted(hued)}"
        assert "First failure: answers 42" in on_screen(watch)

    drive(tiny_course, steps)


def test_the_welcome_waits_for_a_key_and_that_key_still_works(tiny_course: Path) -> None:
    async def steps(watch: WatchApp, pilot: Pilot) -> None:
        assert "Welcome to the tiny test course." in on_screen(watch)
        await pilot.press("h")
        screen = await shows(pilot, "Hints 1 of 3")
        assert "Welcome" not in screen

    drive(tiny_course, steps, welcomed=False)


def test_plots_an_exercise_drew_are_listed_and_open_with_p(tiny_course: Path) -> None:
    plot = tiny_course / ".mlings" / "plots" / "answer" / "residuals.png"
    plot.parent.mkdir(parents=True)
    plot.write_bytes(b"\x89PNG\r\n\x1a\n")

    async def steps(watch: WatchApp, pilot: Pilot) -> None:
        await pilot.press("p")
        await shows(pilot, "has drawn no plot")
        result = watch.view.result
        assert result is not None
        watch.view.result = RunResult("answer", Status.FAILED, result.checks, plots=(str(plot),))
        watch.exercise_screen.refresh_view()
        await shows(pilot, "Your plot: .mlings/plots/answer/residuals.png")
        await pilot.press("p")
        await until(pilot, lambda: isinstance(watch.screen, PlotScreen))
        assert ".mlings/plots/answer/residuals.png" in on_screen(watch)

    drive(tiny_course, steps)


def save_by_renaming(target: Path, text: str) -> None:
    """Save as many editors do: write a temporary file beside it, then rename it over it."""
    temporary = target.with_name(f".{target.name}.swp")
    temporary.write_text(text)
    os.replace(temporary, target)


def test_a_save_by_renaming_is_seen_by_the_file_watcher_without_the_poll(
    tiny_course: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The once-a-second poll is switched off: only the watcher's own event can start the run."""
    monkeypatch.setattr("mlings.watch.POLL_SECONDS", 3600.0)
    solution = (tiny_course / "solutions" / "01_first/01_answer.py").read_text()

    async def steps(watch: WatchApp, pilot: Pilot) -> None:
        assert not watch.view.passed and not watch.saw_save
        save_by_renaming(tiny_course / ANSWER, solution)
        await until(pilot, lambda: watch.view.passed, timeout=60)
        assert watch.saw_save, "the watcher delivered the save"
        assert "--manual" not in on_screen(watch), "nobody is told file watching fails"

    drive(tiny_course, steps)


def test_a_redraw_that_comes_due_while_the_app_closes_draws_nothing(tiny_course: Path) -> None:
    """A live-checklist timer may fire while Textual takes the screens down (a save just before
    quitting): by then the panes are gone, and drawing them must not raise."""

    async def steps(watch: WatchApp, pilot: Pilot) -> None:
        pass

    watch = drive(tiny_course, steps)
    assert not watch.is_running
    watch.exercise_screen.drawn.clear()  # everything looks changed: each pane would be drawn
    watch.show_live()
    watch.exercise_screen.refresh_view()


@pytest.mark.parametrize("manual", [False, True], ids=["watching", "manual"])
def test_a_save_the_watcher_missed_is_caught_by_the_poll_except_in_manual_mode(
    tiny_course: Path, monkeypatch: pytest.MonkeyPatch, manual: bool
) -> None:
    """In manual mode only r checks: no file watcher, and the poll for missed saves is off."""
    monkeypatch.setattr("mlings.watch.POLL_SECONDS", 3600.0)  # the test calls the poll itself
    target = tiny_course / ANSWER

    async def steps(watch: WatchApp, pilot: Pilot) -> None:
        assert (watch._watcher is None) is manual
        runs = watch.run_id
        target.write_text(target.read_text() + "\n# saved where no event reaches mlings\n")
        past = time.time() - 10  # saved a while ago, as the poll sees a save the watcher missed
        os.utime(target, (past, past))
        watch.poll()
        assert watch.run_id == (runs if manual else runs + 1)

    drive(tiny_course, steps, manual=manual)


# --- the list ------------------------------------------------------------------------------
def test_the_list_cursor_stays_in_sight_past_the_first_screen(course: Path) -> None:
    async def steps(watch: WatchApp, pilot: Pilot) -> None:
        await pilot.press("l")
        await until(pilot, lambda: isinstance(watch.screen, ListScreen))
        screen = watch.screen
        assert isinstance(screen, ListScreen)
        for _ in range(45):
            await pilot.press("j")
        await pilot.pause(0.3)
        chosen = screen.chosen
        assert chosen is not None and chosen == screen.shown[45]
        assert re.search(rf"\b{chosen.name}\b", on_screen(watch)), "the cursor row is in sight"
        assert "Choose an exercise" in on_screen(watch)

    drive(course, steps)


def test_the_list_filters_searches_and_jumps(tiny_course: Path) -> None:
    solve(tiny_course, "01_first/01_answer.py")

    async def steps(watch: WatchApp, pilot: Pilot) -> None:
        await until(pilot, lambda: watch.view.passed)
        await pilot.press("l")
        await until(pilot, lambda: isinstance(watch.screen, ListScreen))
        screen = watch.screen
        assert isinstance(screen, ListScreen)
        assert [e.name for e in screen.shown] == ["answer", "double", "greet"]
        await pilot.press("f")
        assert [e.name for e in screen.shown] == ["double", "greet"], "pending"
        await pilot.press("f")
        assert [e.name for e in screen.shown] == ["answer"], "done"
        await pilot.press("f", "slash", "d", "o", "u")
        assert [e.name for e in screen.shown] == ["double"]
        await pilot.press("enter", "enter")  # leave the search box, then choose
        await until(pilot, lambda: isinstance(watch.screen, ExerciseScreen))
        await until(pilot, lambda: watch.view.result is not None and not watch.view.running)
        assert watch.view.exercise.name == "double"
        assert "01_first · double" in on_screen(watch)

    drive(tiny_course, steps)


def test_a_locked_exercise_in_the_list_says_what_unlocks_it(tiny_course: Path) -> None:
    async def steps(watch: WatchApp, pilot: Pilot) -> None:
        await pilot.press("l")
        await until(pilot, lambda: isinstance(watch.screen, ListScreen))
        await pilot.press("j", "j", "enter")
        await shows(pilot, "finish module 01_first")
        assert isinstance(watch.screen, ListScreen)

    drive(tiny_course, steps)


def test_reset_from_the_list_asks_first(tiny_course: Path) -> None:
    original = (tiny_course / ANSWER).read_text()

    async def steps(watch: WatchApp, pilot: Pilot) -> None:
        solve(tiny_course, "01_first/01_answer.py")
        await until(pilot, lambda: watch.view.passed)
        await pilot.press("l")
        await until(pilot, lambda: isinstance(watch.screen, ListScreen))
        await pilot.press("x")
        await shows(pilot, "Press y to reset")
        await pilot.press("n")
        await shows(pilot, "Reset cancelled")
        assert (tiny_course / ANSWER).read_text() != original
        await pilot.press("x")
        await shows(pilot, "Press y to reset")
        await pilot.press("y")
        await shows(pilot, "is kept at .mlings/backups/")
        assert (tiny_course / ANSWER).read_text() == original
        assert isinstance(watch.screen, ListScreen), "the list stays open"

    drive(tiny_course, steps)


# --- check all -----------------------------------------------------------------------------
def test_check_all_results_stay_until_dismissed_and_skip_locked_exercises(
    tiny_course: Path,
) -> None:
    async def steps(watch: WatchApp, pilot: Pilot) -> None:
        await pilot.press("c")
        await until(pilot, lambda: isinstance(watch.screen, CheckAllScreen))
        screen = watch.screen
        assert isinstance(screen, CheckAllScreen)
        await until(pilot, lambda: screen.results is not None)
        await pilot.pause(1.5)
        text = on_screen(watch)
        assert isinstance(watch.screen, CheckAllScreen), "the results wait for the learner"
        assert "2 of 2 exercises do not pass" in text and "1 locked, not checked" in text
        assert "02_second/greet" not in text
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(watch.screen, ExerciseScreen))

    drive(tiny_course, steps)


def test_check_all_lists_failures_first_and_enter_opens_one(tiny_course: Path) -> None:
    solve(tiny_course, "01_first/01_answer.py")

    async def steps(watch: WatchApp, pilot: Pilot) -> None:
        await until(pilot, lambda: watch.view.passed)
        await pilot.press("c")
        await until(pilot, lambda: isinstance(watch.screen, CheckAllScreen))
        screen = watch.screen
        assert isinstance(screen, CheckAllScreen)
        await until(pilot, lambda: screen.results is not None)
        assert screen.results is not None
        assert [e.name for e, _ in screen.results] == ["double", "answer"]
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(watch.screen, ExerciseScreen))
        await until(pilot, lambda: watch.view.exercise.name == "double")

    drive(tiny_course, steps)


# --- lessons -------------------------------------------------------------------------------
def test_m_opens_the_modules_lesson_and_unlocking_offers_the_next(tiny_course: Path) -> None:
    solve(tiny_course, "01_first/01_answer.py")

    async def steps(watch: WatchApp, pilot: Pilot) -> None:
        await pilot.press("m")
        await until(pilot, lambda: isinstance(watch.screen, LessonScreen))
        assert "The first lesson." in on_screen(watch)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(watch.screen, ExerciseScreen))
        await until(pilot, lambda: watch.view.passed)
        await pilot.press("n")
        await until(pilot, lambda: watch.view.exercise.name == "double" and not watch.view.running)
        solve(tiny_course, "01_first/02_double.py")
        await until(pilot, lambda: watch.view.passed)
        assert "02_second · Second Things is unlocked! m opens its lesson." in on_screen(watch)
        await pilot.press("m")
        await until(pilot, lambda: isinstance(watch.screen, LessonScreen))
        assert "Lesson · 02_second" in on_screen(watch)

    drive(tiny_course, steps)


# --- snapshots -----------------------------------------------------------------------------
def snapshot(name: str, svg: str) -> None:
    """Compare a screen with its stored SVG; ``MLINGS_UPDATE_SNAPSHOTS=1`` stores it anew."""
    svg = re.sub(r"terminal-\d+", "terminal", svg)  # an id Textual derives from file links
    stored = SNAPSHOTS / f"{name}.svg"
    if os.environ.get(UPDATE_ENV) or not stored.exists():
        SNAPSHOTS.mkdir(exist_ok=True)
        stored.write_text(svg, encoding="utf-8")
        if not os.environ.get(UPDATE_ENV):
            pytest.fail(f"{stored.name} did not exist and was written: check it and commit it")
        return
    if stored.read_text(encoding="utf-8") != svg:
        got = stored.with_suffix(".new.svg")
        got.write_text(svg, encoding="utf-8")
        pytest.fail(
            f"{name} looks different from {stored.name}; the new screen is in {got.name}. "
            f"If the change is meant, store it with {UPDATE_ENV}=1."
        )


def test_snapshots_of_the_main_views(tiny_course: Path) -> None:
    async def steps(watch: WatchApp, pilot: Pilot) -> None:
        await pilot.press("h")
        await shows(pilot, "Think of the answer to everything.")
        snapshot("exercise_failed_one_hint_80x24", watch.export_screenshot(title="mlings"))
        await pilot.press("l")
        await until(pilot, lambda: isinstance(watch.screen, ListScreen))
        snapshot("list_80x24", watch.export_screenshot(title="mlings"))
        await pilot.press("escape", "c")
        await until(pilot, lambda: isinstance(watch.screen, CheckAllScreen))
        screen = watch.screen
        assert isinstance(screen, CheckAllScreen)
        await until(pilot, lambda: screen.results is not None)
        snapshot("check_all_80x24", watch.export_screenshot(title="mlings"))
        await pilot.press("escape", "m")
        await until(pilot, lambda: isinstance(watch.screen, LessonScreen))
        snapshot("lesson_80x24", watch.export_screenshot(title="mlings"))

    drive(tiny_course, steps)


def test_snapshot_of_a_pass(tiny_course: Path) -> None:
    solve(tiny_course, "01_first/01_answer.py")

    async def steps(watch: WatchApp, pilot: Pilot) -> None:
        await until(pilot, lambda: watch.view.passed)
        snapshot("exercise_passed_80x24", watch.export_screenshot(title="mlings"))

    drive(tiny_course, steps)
