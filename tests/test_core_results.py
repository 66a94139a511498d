"""Run results (mlings.engine.results): cleaning learner text, folding events, one verdict per run.

Pure functions and plain objects: no process is started here.
"""

from __future__ import annotations

import signal

import pytest

from mlings.engine.results import (
    MAX_LINE,
    NEVER_RAN,
    TAMPERED,
    TWICE,
    CheckResult,
    Collector,
    Frame,
    Output,
    RunResult,
    Status,
    clean_text,
    crash_message,
    verdict,
)

# --- cleaning learner text ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("\x1b[31mred\x1b[0m", "red"),  # colours
        ("a\x1b[2Jb\x1b[?1049hc", "abc"),  # clear screen, alternate screen
        ("\x1b]0;title\x07text", "text"),  # window title (OSC ended by BEL)
        ("\x1b]8;;http://x\x1b\\link", "link"),  # hyperlink (OSC ended by ST)
        ("\x1bPdcs\x1b\\after", "after"),  # DCS string
        ("\x1b_apc\x07after", "after"),  # APC string
        ("a\x1bMb\x1bZc", "abc"),  # two-byte escapes
        ("a\x1b7b", "ab"),  # a two-byte escape (save cursor) goes whole
        ("lone\x1b", "lone"),
        ("\x9b31mred", "red"),  # 8-bit CSI
        ("a\x00b\x07c\x08d\x7fe\x85f", "abcdef"),  # other control characters
        ("a\ud800b", "ab"),  # lone surrogate
        ("tab\tand\nnewline", "tab\tand\nnewline"),  # kept
        ("crlf\r\nline", "crlf\nline"),
        ("bare\rreturn", "barereturn"),
        ("plain text, é and €", "plain text, é and €"),
    ],
)
def test_learner_text_is_shown_never_obeyed(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_learner_text_can_be_folded_onto_one_line() -> None:
    assert clean_text("one\r\ntwo\nthree", keep_lines=False) == "one two three"
    assert clean_text("one\ntwo") == "one\ntwo"  # lines are kept unless asked


# --- frames -------------------------------------------------------------------------------


def test_no_frame_data_is_no_frame() -> None:
    assert Frame.from_event(None) is None
    assert Frame.from_event({}) is None


def test_a_frame_is_built_from_its_event_with_clean_one_line_text() -> None:
    frame = Frame.from_event(
        {
            "path": "/x/ex.py",
            "line": "7",
            "function": "f\x1b[31m\nname",
            "source": [["6", "a = 1\x1b[2J"], [7, "b\n= 2"]],
        }
    )
    assert frame == Frame("/x/ex.py", 7, "f name", ((6, "a = 1"), (7, "b = 2")))


def test_a_frame_without_source_has_an_empty_one() -> None:
    frame = Frame.from_event({"path": "p", "line": 1, "function": "f"})
    assert frame is not None and frame.source == ()


def test_a_long_source_line_is_cut_with_an_ellipsis() -> None:
    exact = "x" * MAX_LINE
    longer = "y" * (MAX_LINE + 1)
    frame = Frame.from_event(
        {"path": "p", "line": 1, "function": "f", "source": [[1, exact], [2, longer]]}
    )
    assert frame is not None
    assert frame.source == ((1, exact), (2, "y" * MAX_LINE + " …"))
    assert MAX_LINE == 400


# --- outputs and results ------------------------------------------------------------------


def test_output_is_truncated_only_when_more_bytes_were_printed_than_shown() -> None:
    assert not Output().truncated
    assert not Output("abc", total_bytes=3).truncated
    assert Output("abc", total_bytes=4).truncated
    assert not Output("é", total_bytes=2).truncated  # bytes, not characters
    assert Output("abc", total_bytes=10, shown_bytes=9).truncated
    assert not Output("abc", total_bytes=10, shown_bytes=10).truncated


def test_only_a_passed_status_is_a_pass() -> None:
    assert RunResult("a", Status.PASSED).passed
    for status in (Status.FAILED, Status.ERROR, Status.TIMEOUT, Status.CRASHED):
        assert not RunResult("a", status).passed


def test_a_result_starts_empty() -> None:
    result = RunResult("a", Status.PASSED)
    assert (result.checks, result.message, result.frame, result.duration) == ((), "", None, 0.0)
    assert (result.running, result.plots, result.output) == (None, (), Output())
    check = CheckResult("i", "t", True)
    assert (check.message, check.frame, check.exc_type, check.points) == ("", None, None, 0.0)


def test_a_missing_file_is_an_error_saying_how_to_restore_it() -> None:
    result = RunResult.missing("card_schema", "exercises/01_data/02_card_schema.py")
    assert result == RunResult(
        exercise="card_schema",
        status=Status.ERROR,
        message="The exercise file exercises/01_data/02_card_schema.py is missing. "
        "Restore it with `mlings reset card_schema`.",
    )


def test_the_first_failure_is_the_first_check_that_did_not_pass() -> None:
    ok, bad, worse = (
        CheckResult("1", "a", True),
        CheckResult("2", "b", False),
        CheckResult("3", "c", False),
    )
    assert RunResult("a", Status.FAILED, checks=(ok, bad, worse)).first_failure is bad
    assert RunResult("a", Status.PASSED, checks=(ok,)).first_failure is None


# --- folding events -----------------------------------------------------------------------


def passing(ident: str, title: str = "a check", **extra: object) -> list[dict[str, object]]:
    """The events of one check that passed every phase."""
    return [
        {"event": "start", "id": ident, "title": title},
        *({"event": "phase", "id": ident, "outcome": "passed"} for _ in range(3)),
        {"event": "result", "id": ident, "title": title, "outcome": "passed", **extra},
    ]


def fold(*events: dict[str, object]) -> Collector:
    collector = Collector()
    for event in events:
        collector.add(event)
    return collector


def test_a_new_collector_has_seen_nothing() -> None:
    c = Collector()
    assert (c.checks, c.running, c.load_error, c.collect_error) == ([], None, None, None)
    assert (c.done, c.tampered, c.clean, c.exitcode, c.phases, c.missing) == (
        False,
        False,
        False,
        None,
        {},
        (),
    )


def test_a_check_that_passed_every_phase_passes() -> None:
    collector = Collector()
    results = [collector.add(e) for e in passing("t::test_a", "keeps \x1b[1mids\nall")]
    assert results[:-1] == [None] * 4
    assert results[-1] == CheckResult("t::test_a", "keeps ids all", True, "")
    assert collector.checks == [results[-1]]
    assert collector.phases == {"t::test_a": ["passed", "passed", "passed"]}


def test_the_running_check_is_known_until_its_result() -> None:
    collector = Collector()
    collector.add({"event": "start", "id": 3, "title": "slow\x1b[0m\none"})
    assert collector.running == ("3", "slow one")
    collector.add({"event": "result", "id": 3, "title": "slow", "outcome": "failed"})
    assert collector.running is None


@pytest.mark.parametrize("bad", ["failed", "skipped", None])
def test_a_check_with_any_phase_not_passed_fails(bad: str | None) -> None:
    events = passing("t")
    events.insert(2, {"event": "phase", "id": "t", "outcome": bad})
    (check,) = fold(*events).checks
    assert not check.passed


def test_a_check_reported_passed_without_phases_fails() -> None:
    result = {"event": "result", "id": "t", "title": "x", "outcome": "passed"}
    assert fold(result).checks == [CheckResult("t", "x", False, "")]


def test_a_check_whose_result_is_not_passed_fails_with_its_clean_message() -> None:
    events = passing("t")
    events[-1] = {
        "event": "result",
        "id": "t",
        "title": "x",
        "outcome": "failed",
        "message": "expected\x1b[31m 3\r\ngot 4",
        "exc_type": "AssertionError",
        "points": 2,
        "frame": {"path": "p", "line": 3, "function": "f"},
    }
    (check,) = fold(*events).checks
    assert check == CheckResult(
        "t", "x", False, "expected 3\ngot 4", Frame("p", 3, "f"), "AssertionError", 2.0
    )
    assert isinstance(check.points, float)


def test_a_result_without_message_points_or_frame_has_defaults() -> None:
    events = passing("t")
    events[-1] |= {"message": None, "points": None}
    (check,) = fold(*events).checks
    assert (check.message, check.points, check.frame, check.exc_type) == ("", 0.0, None, None)


def test_a_check_that_reports_twice_fails_once() -> None:
    collector = fold(*passing("t"), *passing("u"), *passing("t"))
    assert [(c.id, c.passed, c.message) for c in collector.checks] == [
        ("u", True, ""),
        ("t", False, TWICE),
    ]


def test_load_and_collect_errors_are_kept() -> None:
    error = {"event": "load_error", "message": "boom"}
    collector = fold(error, {"event": "collect_error", "message": "no checks"})
    assert collector.load_error is error
    assert collector.collect_error == "no checks"
    assert fold({"event": "collect_error"}).collect_error == ""


def test_unknown_events_change_nothing() -> None:
    assert fold({"event": "what"}, {"no": "event"}) == Collector()


def test_done_and_clean_are_recorded_with_pytests_exit_code() -> None:
    collector = fold({"event": "done"})
    assert collector.done and not collector.clean and not collector.tampered
    collector.add({"event": "clean", "exitcode": 1})
    assert collector.clean and collector.exitcode == 1 and not collector.tampered


@pytest.mark.parametrize("kind", ["done", "clean"])
def test_a_tampered_run_fails_every_check_it_reported(kind: str) -> None:
    collector = fold(*passing("t", points=3), {"event": kind, "tampered": True})
    assert collector.tampered
    assert collector.checks == [CheckResult("t", "a check", False, TAMPERED, None, "Tampered", 3.0)]


def test_finish_adds_a_never_ran_failure_for_each_missing_check() -> None:
    collector = fold(*passing("ex/test_x.py::test_one[case]"), {"event": "done"})
    collector.finish(("test_one", "test_keeps_all_ids", "test_two"))
    assert collector.missing == ("test_keeps_all_ids", "test_two")
    assert collector.checks[1:] == [
        CheckResult("test_keeps_all_ids", "keeps all ids", False, NEVER_RAN),
        CheckResult("test_two", "two", False, NEVER_RAN),
    ]


def test_finish_knows_a_check_by_its_function_name_whatever_its_node_id() -> None:
    collector = fold(
        *passing("test_bare"),
        *passing("ex/test_x.py::TestGroup::test_in_class[1]"),
        {"event": "done"},
    )
    collector.finish(("test_bare", "test_in_class"))
    assert collector.missing == ()
    assert [c.id for c in collector.checks] == [
        "test_bare",
        "ex/test_x.py::TestGroup::test_in_class[1]",
    ]


@pytest.mark.parametrize(
    "events",
    [
        [],  # never said done
        [{"event": "done"}, {"event": "load_error", "message": "x"}],
        [{"event": "done"}, {"event": "collect_error", "message": "x"}],
    ],
)
def test_finish_names_the_missing_but_adds_no_check_when_the_run_did_not_finish(
    events: list[dict[str, object]],
) -> None:
    collector = fold(*events)
    collector.finish(("test_one",))
    assert collector.missing == ("test_one",)
    assert collector.checks == []


# --- one verdict per run ------------------------------------------------------------------


def decide(collector: Collector, returncode: int | None = 0, *, timed_out: bool = False):
    return verdict(collector, returncode, timed_out=timed_out, timeout=2.5, memory_mb=512)


def finished(*events: dict[str, object]) -> Collector:
    return fold(*events, {"event": "done"})


def test_a_run_whose_checks_all_passed_and_exited_cleanly_passes() -> None:
    assert decide(finished(*passing("t"))) == (Status.PASSED, "", None)


def test_a_timeout_wins_over_everything_and_names_the_running_check() -> None:
    collector = fold(*passing("t"), {"event": "start", "id": "u", "title": "loops"})
    status, message, frame = decide(collector, timed_out=True)
    assert (status, frame) == (Status.TIMEOUT, None)
    assert message == (
        "Your code was still running after 2.5 s while checking “loops”, so mlings stopped it. "
        "Look for a loop that never ends (a `while` whose condition never changes)."
    )
    status, message, _ = decide(finished(*passing("t")), timed_out=True)
    assert status is Status.TIMEOUT and "after 2.5 s, so mlings" in message


def test_an_import_error_is_an_error_with_its_clean_message_and_frame() -> None:
    error = {
        "event": "load_error",
        "message": "SyntaxError\x1b[31m: bad",
        "frame": {"path": "p", "line": 2, "function": "<module>"},
    }
    assert decide(finished(error)) == (
        Status.ERROR,
        "SyntaxError: bad",
        Frame("p", 2, "<module>"),
    )
    assert decide(fold({"event": "load_error"})) == (Status.ERROR, "", None)


def test_running_out_of_memory_at_import_is_a_crash() -> None:
    status, message, frame = decide(fold({"event": "load_error", "kind": "memory"}))
    assert (status, frame) == (Status.CRASHED, None)
    assert message == (
        "Your code used more than the 512 MiB memory cap while your file was imported. Look for "
        "a data structure that grows without end, or work on a smaller sample."
    )


def test_checks_that_could_not_load_are_a_bug_in_mlings() -> None:
    status, message, frame = decide(finished({"event": "collect_error", "message": "trace"}))
    assert (status, frame) == (Status.ERROR, None)
    assert message == (
        "The checks for this exercise could not be loaded. This is a bug in mlings, not in "
        "your code; please report it.\ntrace"
    )
    assert decide(finished({"event": "collect_error", "message": ""}))[0] is Status.ERROR


def test_a_run_that_never_said_done_crashed() -> None:
    collector = fold(*passing("t"), {"event": "start", "id": "u", "title": "exits"})
    assert decide(collector, -9) == (
        Status.CRASHED,
        "The run was killed while checking “exits”, most likely for using too much memory.",
        None,
    )


def test_a_memory_error_in_a_check_is_a_crash_naming_the_check() -> None:
    events = passing("t", "grows")
    events[-1] |= {"outcome": "failed", "exc_type": "MemoryError"}
    status, message, _ = decide(finished(*passing("s"), *events))
    assert status is Status.CRASHED
    assert message.startswith(
        "Your code used more than the 512 MiB memory cap while checking “grows”."
    )


def test_a_finished_run_without_checks_is_a_bug() -> None:
    assert decide(finished()) == (
        Status.ERROR,
        "No checks ran for this exercise. This is a bug in mlings.",
        None,
    )


def test_a_tampered_run_fails() -> None:
    collector = fold(*passing("t"), {"event": "done", "tampered": True})
    assert decide(collector) == (Status.FAILED, TAMPERED, None)


@pytest.mark.parametrize(
    ("expected", "message"),
    [
        (
            ("test_one",),
            "1 check never ran: the run stopped before it could (pytest.exit, KeyboardInterrupt "
            "or an exit from your code). Every check must run and pass.",
        ),
        (
            ("test_one", "test_two"),
            "2 checks never ran: the run stopped before they could (pytest.exit, "
            "KeyboardInterrupt or an exit from your code). Every check must run and pass.",
        ),
    ],
)
def test_checks_that_never_ran_fail_the_run(expected: tuple[str, ...], message: str) -> None:
    collector = finished(*passing("t::test_zero"))
    collector.finish(("test_zero", *expected))
    assert decide(collector) == (Status.FAILED, message, None)


def test_a_failed_check_fails_the_run_without_a_message() -> None:
    events = passing("u")
    events[-1] |= {"outcome": "failed"}
    assert decide(finished(*passing("t"), *events), 1) == (Status.FAILED, "", None)


@pytest.mark.parametrize("returncode", [1, None, -11])
def test_all_checks_passed_but_an_odd_exit_is_a_crash(returncode: int | None) -> None:
    status, message, frame = decide(finished(*passing("t")), returncode)
    assert (status, frame) == (Status.CRASHED, None)
    assert message == crash_message(returncode, "")


def test_a_segfault_is_blamed_on_native_code() -> None:
    assert crash_message(-signal.SIGSEGV, " while checking “x”") == (
        "Python crashed with a segmentation fault while checking “x”. This usually comes from "
        "native code misused (ctypes, a C extension) rather than from plain Python."
    )


def test_a_kill_is_blamed_on_memory() -> None:
    assert crash_message(-signal.SIGKILL, "") == (
        "The run was killed, most likely for using too much memory."
    )


def test_other_signals_are_named() -> None:
    assert crash_message(-signal.SIGTERM, " here") == "The run died from SIGTERM here."
    assert crash_message(-200, "") == "The run died from signal 200."


@pytest.mark.parametrize(("code", "said"), [(0, " with exit code 0"), (3, " with exit code 3")])
def test_an_early_exit_names_its_code(code: int, said: str) -> None:
    assert crash_message(code, " while checking “x”") == (
        f"The run stopped early{said} while checking “x” before the checks finished. Something "
        "in your code ended the process (os._exit, or an exit the checks could not catch); "
        "remove it."
    )


def test_an_early_exit_without_a_code_says_none() -> None:
    assert crash_message(None, "").startswith("The run stopped early before the checks finished.")
