"""Checks for 06_monitoring/05_alert_rules: sustained, user-visible, de-duplicated alerts."""

import functools
import math

import numpy as np
import pandas as pd

THRESHOLD = 10.0
START = 600  # the first minute of every scripted stream: never row 0
SYMBOLS = "# above the threshold, . below, = equal to it, _ missing (NaN)"


def _order(action: tuple[str, str, int]) -> tuple[int, str, str]:
    return action[2], action[1], action[0]


def _value(symbol: str, rng: np.random.Generator | None = None) -> float:
    jitter = 0.0 if rng is None else float(rng.uniform(0.0, 3.0))
    return {
        "#": THRESHOLD + 0.5 + jitter,
        ".": THRESHOLD - 0.5 - jitter,
        "=": THRESHOLD,
        "_": math.nan,
    }[symbol]


def _stream(columns: dict[str, str], start: int = START, seed: int = 0) -> pd.DataFrame:
    """One row per minute; each metric column scripted by a pattern of SYMBOLS."""
    rng = np.random.default_rng(seed)
    n = len(next(iter(columns.values())))
    frame = pd.DataFrame({"minute": np.arange(start, start + n)})
    for name, pattern in columns.items():
        assert len(pattern) == n  # the check's own premise
        frame[name] = [_value(symbol, rng) for symbol in pattern]
    frame["requests_per_minute"] = rng.integers(50, 500, size=n)  # watched by no rule
    return frame.set_axis(np.arange(n)[::-1] * 3 + 7)  # an index that is not 0..n-1


def _rule(exercise, name="api_latency", metric="m", *, visible=True, sustain=5, recover=3):
    return exercise.Rule(
        name=name,
        metric=metric,
        threshold=THRESHOLD,
        user_visible=visible,
        sustain=sustain,
        recover=recover,
    )


def _describe(rule) -> str:
    return (
        f"rule {rule.name!r} (sustain={rule.sustain}, recover={rule.recover}, "
        f"user_visible={rule.user_visible})"
    )


def _actions(exercise, stream: pd.DataFrame, rules: list) -> list[tuple[str, str, int]]:
    """The learner's actions, checked for shape, in one canonical order."""
    got = exercise.evaluate(stream.copy(), list(rules))
    assert got is not None and not isinstance(got, str | dict | pd.DataFrame), (
        f"evaluate returned {type(got).__name__}; expected a list of (kind, rule name, start "
        "minute) tuples."
    )
    actions = []
    for action in got:
        assert isinstance(action, tuple | list) and len(action) == 3, (
            f"evaluate returned the action {action!r}; each action is a tuple (kind, rule "
            'name, start minute), e.g. ("page", "api_latency", 610).'
        )
        kind, name, minute = action
        assert kind in ("page", "log"), (
            f"evaluate returned the action {tuple(action)!r}: its kind must be exactly "
            '"page" or "log".'
        )
        assert isinstance(minute, int | np.integer | float) and float(minute).is_integer(), (
            f"evaluate returned the action {tuple(action)!r}: its third item must be the "
            "start minute, a whole number from the stream's `minute` column."
        )
        actions.append((kind, str(name), int(minute)))
    return sorted(actions, key=_order)


def _reference(rule, minutes, values, **change) -> list[tuple[str, str, int]]:
    """What the contract says one rule does, replayed sample by sample.

    `change` replays a misreading instead: another sustain or recover, breaching at the
    threshold, NaN counted as a breach or skipped, or paging whatever the rule.
    """
    sustain = change.get("sustain", rule.sustain)
    recover = change.get("recover", rule.recover)
    visible = change.get("visible", rule.user_visible)
    values = np.asarray(values, dtype=float)
    if change.get("nan_skipped"):
        minutes, values = minutes[~np.isnan(values)], values[~np.isnan(values)]
    actions = []
    run, start, calm, incident = 0, None, 0, False
    for minute, value in zip(minutes, values, strict=True):
        breach = value > rule.threshold  # NaN is never above it
        breach |= bool(change.get("at_threshold")) and value == rule.threshold
        breach |= bool(change.get("nan_breach")) and math.isnan(value)
        if breach:
            if run == 0:
                start = int(minute)
            run, calm = run + 1, 0
            if not incident and run == sustain:
                incident = True
                actions.append(("page" if visible else "log", rule.name, start))
            continue
        if run and not incident:
            actions.append(("log", rule.name, start))  # a blip that just ended
        run, calm = 0, calm + 1
        if incident and calm >= recover:
            incident = False
    if run and not incident:
        actions.append(("log", rule.name, start))  # a blip cut off by the end of the stream
    return actions


def _some(values: list[int]) -> str:
    """'1, 2 or 5' for a short list of small counts; '5 or more' when they run up to 8."""
    if len(values) > 1 and values == list(range(values[0], 9)):
        return f"{values[0]} or more"
    if len(values) == 1:
        return str(values[0])
    return f"{', '.join(map(str, values[:-1]))} or {values[-1]}"


def _diagnose(stream: pd.DataFrame, rule, got: list) -> str:
    """A sentence naming the misreading of the contract that gives exactly `got`, if any."""
    minutes, values = stream["minute"].to_numpy(), stream[rule.metric].to_numpy()

    def gives(**change) -> bool:
        return got == sorted(_reference(rule, minutes, values, **change), key=_order)

    if gives(at_threshold=True):
        return (
            " That is what counting a sample EQUAL to the threshold as a breach gives: a "
            "sample breaches only when it is above the threshold."
        )
    if gives(nan_breach=True) or gives(nan_skipped=True):
        return (
            " That is what counting a missing value (NaN) as a breach, or skipping its row, "
            "gives: NaN is not above the threshold, so it is not a breach: it ends the run "
            "and counts towards recovery."
        )
    if not rule.user_visible and gives(visible=True):
        return (
            " The rule is not user-visible (drift, an offline metric): users do not feel it "
            "now, so it is logged for working hours, never paged."
        )
    sustains = [n for n in range(1, 9) if n != rule.sustain and gives(sustain=n)]
    if sustains:
        return (
            f" That is what a sustain of {_some(sustains)} gives, but this rule's sustain is "
            f"{rule.sustain}: read it from rule.sustain; exactly that many breaching samples "
            "in a row open an incident."
        )
    recovers = [n for n in range(1, 9) if n != rule.recover and gives(recover=n)]
    shown = [f"a recover of {_some(recovers)}"] if recovers else []
    shown += ["a rule that never re-arms"] if gives(recover=math.inf) else []
    if shown:
        return (
            f" That is what {' or '.join(shown)} gives, but this rule's recover is "
            f"{rule.recover}: the incident closes as soon as {rule.recover} samples in a row "
            "are not breaches, and from the next sample on the rule may act again."
        )
    return ""


def _minute_mixup(stream: pd.DataFrame, got: list, expected: list) -> str:
    """A sentence when only the start minutes differ, each one its row's index or position."""
    if got == expected or len(got) != len(expected):
        return ""
    minutes = stream["minute"].tolist()
    for what, lookup in (("index label", stream.index), ("position", range(len(stream)))):
        swap = {minute: int(lookup[row]) for row, minute in enumerate(minutes)}
        if got == sorted(((kind, name, swap[m]) for kind, name, m in expected), key=_order):
            return (
                f" Only the start minutes differ: evaluate gave each row's {what} (the frame's "
                "index means nothing, and a row's position is not a minute). The start minute "
                "is the value of the stream's `minute` column: read stream['minute']."
            )
    return ""


def _show(actions: list) -> str:
    if len(actions) <= 8:
        return str(actions)
    return f"[{', '.join(map(str, actions[:6]))}, ... ({len(actions)} actions in all)]"


def _expected(stream: pd.DataFrame, rules: list) -> list[tuple[str, str, int]]:
    minutes = stream["minute"].to_numpy()
    actions = []
    for rule in rules:
        actions.extend(_reference(rule, minutes, stream[rule.metric].to_numpy()))
    return sorted(actions, key=_order)


def _check(exercise, pattern: str, rule, why: str = "") -> None:
    """Replay one pattern through one rule; compare with the contract."""
    stream = _stream({rule.metric: pattern})
    got = _actions(exercise, stream, [rule])
    expected = _expected(stream, [rule])
    if got != expected:
        raise AssertionError(
            f"With {_describe(rule)} on the stream {pattern} ({SYMBOLS}; the first sample is "
            f"minute {START}), evaluate returned {_show(got)}; expected {_show(expected)}."
            + (_minute_mixup(stream, got, expected) or _diagnose(stream, rule, got) or why)
        )


def test_exactly_sustain_samples_page_from_the_first_minute(exercise):
    """a breach of exactly `sustain` samples pages once, with the minute it started"""
    rule = _rule(exercise, sustain=5)
    stream = _stream({"m": "...#####..."})
    got = _actions(exercise, stream, [rule])
    mixup = _minute_mixup(stream, got, _expected(stream, [rule]))
    assert not mixup, (
        f"With {_describe(rule)} on the stream ...#####... ({SYMBOLS}), evaluate returned "
        f"{got}; expected [('page', 'api_latency', {START + 3})]." + mixup
    )
    if got == [("page", "api_latency", START + 7)]:
        raise AssertionError(
            f"evaluate gave the start minute {START + 7}, the minute the page was decided; "
            f"the breach started at minute {START + 3}, and the on-call engineer needs that."
        )
    _check(
        exercise,
        "...#####...",
        rule,
        " Five breached samples in a row reach sustain=5: that is an incident, one page.",
    )
    _check(exercise, "#####", rule, " A run that reaches `sustain` on the last sample pages too.")


def test_shorter_breach_or_spike_is_only_logged(exercise):
    """a breach of sustain - 1 samples, or a single spike, is logged (rejects paging on a spike)"""
    rule = _rule(exercise, sustain=5)
    why = (
        " A breach shorter than `sustain` samples is a blip: log it, never page for it. Users "
        "do not feel one slow minute, and an on-call engineer paged for every spike stops "
        "reading pages."
    )
    _check(exercise, "...####...", rule, why)
    _check(exercise, "....#.....", rule, why)


def test_long_breach_is_one_page(exercise):
    """a long breach is one page, not one per sample (rejects paging on every breached sample)"""
    rule = _rule(exercise, sustain=3)
    _check(
        exercise,
        ".." + "#" * 60 + "..",
        rule,
        " One incident is one page however long it lasts: while it is open, the rule stays quiet.",
    )


def test_threshold_itself_is_not_a_breach(exercise):
    """a sample equal to the threshold is not a breach; just above it is"""
    rule = _rule(exercise, sustain=3)
    why = " A sample breaches only when it is ABOVE the threshold; equal is not a breach."
    _check(exercise, "..=====..", rule, why)
    _check(exercise, "..=###=..", rule, why)


def test_rule_users_do_not_feel_only_logs(exercise):
    """a sustained breach of a rule users do not feel is one log (rejects paging on drift)"""
    rule = _rule(exercise, "price_drift", visible=False, sustain=4, recover=3)
    why = (
        " Drift and offline metrics are not felt by users now: log them for working hours, "
        "never page. A sustained breach is still one incident, so one log."
    )
    _check(exercise, "..##########..", rule, why)
    _check(exercise, "##" + "#" * 40, rule, why)


def test_breach_back_before_recovery_is_the_same_incident(exercise):
    """a breach that returns before `recover` clean samples is the same incident: no action"""
    rule = _rule(exercise, sustain=3, recover=4)
    why = (
        " The incident closes only after `recover` samples in a row that are not breaches; a "
        "breach that comes back sooner (flapping) belongs to the same incident, sustained or "
        "not, so it gives no new page and no log."
    )
    _check(exercise, "###...###..", rule, why)
    _check(exercise, "####.#..#.#...####", rule, why)


def test_rearms_after_recovery(exercise):
    """after `recover` clean samples the rule acts again (rejects never re-arming)"""
    rule = _rule(exercise, sustain=3, recover=4)
    why = (
        " After `recover` samples in a row that are not breaches the incident is over and "
        "the rule is armed again: the next sustained breach is a new incident and pages, a "
        "shorter one is logged."
    )
    _check(exercise, "###....###..", rule, why)
    _check(exercise, "###....#....###", rule, why)


def test_each_blip_is_logged_even_at_the_end(exercise):
    """every blip outside an incident is one log, including one cut off by the stream's end"""
    rule = _rule(exercise, sustain=3, recover=4)
    stream = _stream({"m": "##..#...##"})
    got = _actions(exercise, stream, [rule])
    expected = _expected(stream, [rule])
    message = (
        f"With {_describe(rule)} on the stream ##..#...## ({SYMBOLS}; first minute {START}), "
        f"evaluate returned {got}; expected three logs {expected}."
    )
    mixup = _minute_mixup(stream, got, expected)
    if mixup:
        message += mixup
    elif got == expected[:2]:
        message += (
            " The last blip is still running when the stream ends: it never reached "
            "`sustain`, so it is logged too (nothing breached goes unrecorded)."
        )
    else:
        message += (
            " A blip never opens an incident, so the rule needs no recovery after it: the "
            "next blip is logged as well."
        )
    assert got == expected, message


def test_missing_value_is_not_a_breach(exercise):
    """a missing value (NaN) is not a breach: it breaks a run"""
    rule = _rule(exercise, sustain=5, recover=3)
    _check(
        exercise,
        "..###_###..",
        rule,
        " NaN is a missing sample, not a breach: it ends the run, so neither half reaches "
        "sustain=5 (do not skip it, and do not count it as a breach).",
    )
    _check(exercise, "#####_..#####", rule, " NaN is not a breach, so it counts towards recovery.")


def test_every_rule_uses_its_own_parameters(exercise):
    """each rule uses its own sustain and recover (rejects fixed or default values)"""
    for sustain, recover in [(1, 1), (2, 5), (7, 2), (4, 1)]:
        rule = _rule(exercise, sustain=sustain, recover=recover)
        _check(
            exercise,
            "#.##..#######.#..##...####...#",
            rule,
            " Read N from rule.sustain and R from rule.recover: each rule has its own.",
        )


def test_rules_are_independent(exercise):
    """every rule reads its own metric and keeps its own state; all their actions are returned"""
    rules = [
        _rule(exercise, "api_latency", "p99_latency_ms", sustain=3, recover=2),
        _rule(exercise, "latency_warning", "p99_latency_ms", visible=False, sustain=2, recover=2),
        _rule(exercise, "api_errors", "error_rate", sustain=2, recover=3),
        _rule(exercise, "price_drift", "price_psi", visible=False, sustain=3, recover=5),
    ]
    columns = {
        "p99_latency_ms": "..#####...##..#..",
        "error_rate": ".#.###.....##....",
        "price_psi": "......##########.",
    }
    stream = _stream(columns)
    got = _actions(exercise, stream, rules)
    expected = _expected(stream, rules)
    lines = "; ".join(f"{name}: {pattern}" for name, pattern in columns.items())
    assert got == expected, (
        f"Four rules on three metrics ({lines}; {SYMBOLS}; first minute {START}): evaluate "
        f"returned {_show(got)}; expected {_show(expected)}. Each rule reads rule.metric, "
        "starts from a clean state, and its actions carry its own name; the result holds "
        "all of them." + _minute_mixup(stream, got, expected)
    )
    # The first rule ends the stream in the middle of an incident; the next breaches at once.
    rules = [
        _rule(exercise, "api_latency", "a", sustain=3, recover=4),
        _rule(exercise, "api_errors", "b", sustain=3, recover=4),
    ]
    columns = {"a": ".....###", "b": "###....."}
    stream = _stream(columns)
    got = _actions(exercise, stream, rules)
    expected = _expected(stream, rules)
    assert got == expected, (
        f"Two rules (sustain=3, recover=4), api_latency on a: {columns['a']} and api_errors "
        f"on b: {columns['b']} ({SYMBOLS}; first minute {START}): evaluate returned {got}; "
        f"expected {expected}. api_latency's incident is still open when the stream ends, "
        "but that is api_latency's incident: api_errors has its own state (no open "
        "incident, no count of clean samples), so its breach from the first minute pages. "
        "Set up the state inside the loop over the rules." + _minute_mixup(stream, got, expected)
    )


@functools.cache
def _random_cases() -> list[tuple[str, int, int, bool]]:
    """Random patterns with runs, ties and gaps, and random rule parameters, shortest first."""
    rng = np.random.default_rng(2025)
    cases = []
    for _ in range(300):
        n = int(rng.integers(1, 36))
        symbols, state = [], "."
        for _ in range(n):
            if rng.random() < 0.35:  # switch between breaching and not, in runs
                state = "#" if state != "#" else "."
            symbol = state
            if rng.random() < 0.08:
                symbol = str(rng.choice(["=", "_"]))
            symbols.append(symbol)
        sustain, recover = int(rng.integers(1, 7)), int(rng.integers(1, 7))
        cases.append(("".join(symbols), sustain, recover, bool(rng.random() < 0.7)))
    return sorted(cases, key=lambda case: len(case[0]))


def test_agrees_with_the_contract_on_random_streams(exercise):
    """agrees with the contract on 300 random streams and rules"""
    for pattern, sustain, recover, visible in _random_cases():
        rule = _rule(exercise, sustain=sustain, recover=recover, visible=visible)
        _check(exercise, pattern, rule, " (The shortest random stream where they differ.)")


def test_pokemarket_day(exercise):
    """on the scripted PokéMarket day, three pages; drift and MAE only logged"""
    stream = exercise.pokemarket_stream()
    got = _actions(exercise, stream, exercise.RULES)
    expected = _expected(stream, exercise.RULES)
    pages = [action for action in got if action[0] == "page"]
    assert got == expected, (
        f"On pokemarket_stream() with RULES, evaluate returned {len(pages)} pages and "
        f"{len(got) - len(pages)} logs: {_show(got)}; expected {_show(expected)}."
    )
