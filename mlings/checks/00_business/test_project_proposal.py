"""Checks for 00_business/06_project_proposal: a proposal whose required parts are really there."""

import math
from collections.abc import Mapping
from numbers import Real

import pytest

LEVELS = ("model", "business", "user")
BASELINE_MAE_USD = 6.40
MONEY = (
    ("monthly_value_usd", 8_000.0, "MONTHLY_VALUE_USD, from the ROI exercise"),
    ("build_cost_usd", 60_000.0, "BUILD_COST_USD"),
    ("run_cost_per_month_usd", 3_000.0, "RUN_COST_PER_MONTH_USD"),
)
PLACEHOLDERS = {"", "todo", "tbd", "...", "-", "n/a", "none", "?", "xxx"}


def _get(obj, field):
    """A field of the proposal (or of one of its parts), as a dataclass attribute or a dict key."""
    if isinstance(obj, Mapping):
        assert field in obj, f"Your proposal has no {field!r}; add it."
        return obj[field]
    assert hasattr(obj, field), f"Your proposal has no {field!r}; add it."
    return getattr(obj, field)


def _is_text(value) -> bool:
    return (
        isinstance(value, str)
        and "TODO" not in value
        and value.strip().strip(".").lower() not in PLACEHOLDERS
    )


def _is_number(value) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(value)


def _text(value, what):
    assert _is_text(value), (
        f"{what} should say something real (a sentence or a name, no placeholder); it is {value!r}."
    )


def _items(value, what):
    assert isinstance(value, list | tuple) and len(value) > 0, (
        f"{what} should be a non-empty list; it is {value!r}."
    )
    return list(value)


def test_states_problem_users_and_decision(exercise):
    """states the problem, its users, the decision it changes and today's approach"""
    proposal = exercise.build_proposal()
    _text(_get(proposal, "problem"), "problem")
    _text(_get(proposal, "decision"), "decision")
    _text(_get(proposal, "current_approach"), "current_approach")
    for user in _items(_get(proposal, "users"), "users"):
        _text(user, "Each entry of users")


def test_metrics_at_every_level(exercise):
    """has a success metric at each level: model, business and user"""
    proposal = exercise.build_proposal()
    metrics = _items(_get(proposal, "metrics"), "metrics")
    levels = [_get(metric, "level") for metric in metrics]
    unknown = sorted({str(level) for level in levels} - set(LEVELS))
    assert not unknown, (
        f"Metric levels must be one of {', '.join(LEVELS)}; you used {', '.join(unknown)}."
    )
    missing = [level for level in LEVELS if level not in levels]
    assert not missing, (
        f"Your metrics cover {', '.join(sorted(set(levels)))} but not {', '.join(missing)}. "
        "A model can be accurate and still earn nothing or annoy its users: measure all three."
    )


def test_metrics_have_numbers_and_beat_baseline(exercise):
    """every metric is named, with numbers for today and a target that beats today"""
    proposal = exercise.build_proposal()
    for metric in _items(_get(proposal, "metrics"), "metrics"):
        name = _get(metric, "name")
        _text(name, "Each metric's name")
        baseline, target = _get(metric, "baseline"), _get(metric, "target")
        assert _is_number(baseline) and _is_number(target), (
            f"Metric {name!r}: baseline and target must be numbers; they are {baseline!r} and "
            f"{target!r}."
        )
        higher = _get(metric, "higher_is_better")
        assert isinstance(higher, bool), (
            f"Metric {name!r}: higher_is_better must be True or False; it is {higher!r}."
        )
        beats = target > baseline if higher else target < baseline
        direction = "above" if higher else "below"
        assert beats, (
            f"Metric {name!r}: the target {target!r} does not beat the baseline {baseline!r}. "
            f"{'Higher' if higher else 'Lower'} is better, so success means {direction} "
            "today's value."
        )


def test_model_metric_beats_rarity_baseline(exercise):
    """a model-level price error target (USD) below the per-rarity median's $6.40"""
    proposal = exercise.build_proposal()
    metrics = _items(_get(proposal, "metrics"), "metrics")
    model_level = [m for m in metrics if _get(m, "level") == "model"]
    price_error = [
        m
        for m in model_level
        if _is_number(_get(m, "baseline"))
        and _get(m, "baseline") == pytest.approx(BASELINE_MAE_USD, abs=0.005)
        and _get(m, "higher_is_better") is False
    ]
    assert price_error, (
        "None of your model-level metrics measures the price error (MAE, in USD, lower is "
        f"better) against the per-rarity median baseline of ${BASELINE_MAE_USD:.2f}. That "
        "baseline is the bar the model has to clear."
    )
    targets = [_get(m, "target") for m in price_error]
    assert any(_is_number(t) and 0 < t < BASELINE_MAE_USD for t in targets), (
        f"Your price-error target is {targets[0]!r}; it must be a dollar amount above 0 and "
        f"below the baseline's ${BASELINE_MAE_USD:.2f}, or the rule beats the model."
    )


def test_risks_have_mitigations(exercise):
    """names at least one risk, and every risk has a mitigation"""
    proposal = exercise.build_proposal()
    for risk in _items(_get(proposal, "risks"), "risks"):
        _text(_get(risk, "risk"), "Each risk's description")
        _text(
            _get(risk, "mitigation"),
            f"The mitigation for the risk {_get(risk, 'risk')!r} (a risk with no plan is a worry)",
        )


def test_states_out_of_scope(exercise):
    """says what the first version will not do"""
    proposal = exercise.build_proposal()
    for item in _items(_get(proposal, "out_of_scope"), "out_of_scope"):
        _text(item, "Each entry of out_of_scope")


def test_states_the_money(exercise):
    """states the money in dollars, as the business case found it (rejects made-up numbers)"""
    proposal = exercise.build_proposal()
    for field, expected, source in MONEY:
        amount = _get(proposal, field)
        assert _is_number(amount) and amount > 0, (
            f"{field} should be a positive number of dollars; it is {amount!r}."
        )
        message = (
            f"{field} is {amount:,.2f}; the business case says ${expected:,.0f} ({source}). "
            "Leadership holds you to these numbers: take them from the constants."
        )
        if amount * 1_000 == pytest.approx(expected):
            message += " The fields are in dollars, not thousands of dollars."
        elif field == "monthly_value_usd" and amount == pytest.approx(5_000):
            message += (
                " $5,000 is the value net of running costs, which the proposal states on their "
                "own: give the value before them."
            )
        elif field == "monthly_value_usd" and amount == pytest.approx(18_000):
            message += " $18,000 counts what good prices earn and forgets what wrong ones cost."
        assert amount == pytest.approx(expected, rel=0.01), message
