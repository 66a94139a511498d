"""Checks for 00_business/04_decision_threshold: cost-optimal threshold, break-even precision."""

import numpy as np
import pytest


def test_threshold_for_pokemarket(exercise):
    """a $5 false alarm and a $20 missed scam give 0.2 (rejects swapped costs, which give 0.8)"""
    got = exercise.cost_optimal_threshold(5.0, 20.0)
    message = f"cost_optimal_threshold(cost_fp=5, cost_fn=20) gave {got!r}; expected 0.2."
    if got == pytest.approx(0.8):
        message += (
            " 0.8 is the answer with the costs swapped: a missed scam is the expensive mistake, "
            "so flag even at fairly low probabilities."
        )
    elif got == pytest.approx(0.5):
        message += (
            " 0.5 is the default, which assumes both mistakes cost the same; here a missed scam "
            "costs four times a false alarm."
        )
    assert got == pytest.approx(0.2), message


def test_threshold_for_any_costs(exercise):
    """works for any costs: equal costs give 0.5, a cheap false alarm a low threshold"""
    for cost_fp, cost_fn, expected in ((20.0, 5.0, 0.8), (1.0, 1.0, 0.5), (1.0, 99.0, 0.01)):
        got = exercise.cost_optimal_threshold(cost_fp, cost_fn)
        assert got == pytest.approx(expected), (
            f"cost_optimal_threshold(cost_fp={cost_fp:g}, cost_fn={cost_fn:g}) gave {got!r}; "
            f"expected {expected:g}."
        )


def test_break_even_precision(exercise):
    """break-even precision: a flag pays for its false alarms from 20% precision"""
    got = exercise.break_even_precision(5.0, 20.0)
    assert got == pytest.approx(0.2), (
        f"break_even_precision(cost_fp=5, cost_fn=20) gave {got!r}; expected 0.2: at 20% "
        "precision, each flag saves 0.2 x $20 = $4 and wastes 0.8 x $5 = $4."
    )
    for cost_fp, cost_fn in ((3.0, 7.0), (12.0, 30.0)):
        precision = exercise.break_even_precision(cost_fp, cost_fn)
        net = precision * cost_fn - (1 - precision) * cost_fp
        assert net == pytest.approx(0.0, abs=1e-9), (
            f"break_even_precision(cost_fp={cost_fp:g}, cost_fn={cost_fn:g}) gave {precision!r}; "
            f"at that precision a flag should save exactly what it wastes, but it nets "
            f"${net:+.2f} per flag."
        )


def test_flags_at_or_above_threshold(exercise):
    """flags exactly the listings whose scam probability reaches the threshold"""
    rng = np.random.default_rng(7)
    probability = rng.random(500)
    got = np.asarray(exercise.flag_listings(probability, 5.0, 20.0))
    assert got.shape == probability.shape and got.dtype == bool, (
        f"flag_listings should return one True/False per listing ({probability.size}); it "
        f"returned shape {got.shape} of dtype {got.dtype}."
    )
    expected = probability >= 0.2
    wrong = int(np.count_nonzero(got != expected))
    assert wrong == 0, (
        f"flag_listings got {wrong} of {probability.size} listings wrong: with a $5 false alarm "
        "and a $20 missed scam, flag every listing with a scam probability of at least 0.2."
    )


def test_flags_a_thirty_percent_scam(exercise):
    """flags a 30% scam chance when a miss costs 4x a false alarm (rejects swapped costs)"""
    got = [bool(flag) for flag in exercise.flag_listings([0.3, 0.1, 0.9], 5.0, 20.0)]
    assert got == [True, False, True], (
        f"flag_listings([0.3, 0.1, 0.9], cost_fp=5, cost_fn=20) gave {got}; expected "
        "[True, False, True]. At p = 0.3, letting the listing through costs 0.3 x $20 = $6 on "
        "average, flagging it 0.7 x $5 = $3.50: flag it."
    )


def test_flags_follow_the_costs_given(exercise):
    """flags by the costs it is given: an expensive false alarm raises the bar"""
    got = [bool(flag) for flag in exercise.flag_listings([0.3, 0.7, 0.8], 30.0, 10.0)]
    message = (
        f"flag_listings([0.3, 0.7, 0.8], cost_fp=30, cost_fn=10) gave {got}; expected "
        "[False, False, True]. When a false alarm costs $30 and a miss $10, flagging only pays "
        "from a scam probability of 0.75."
    )
    if got == [True, True, True]:
        message += " Use the costs the function is given, not the module's $5 and $20."
    assert got == [False, False, True], message


def test_total_cost(exercise):
    """prices the flagging decisions: false alarms x C_FP + missed scams x C_FN"""
    probability = [0.1, 0.3, 0.6, 0.9, 0.15, 0.25]
    is_scam = [False, False, True, True, True, False]
    got = exercise.total_cost(probability, is_scam, 0.2, 5.0, 20.0)
    assert got == pytest.approx(30.0), (
        f"total_cost at threshold 0.2 gave {got!r}; expected 30: two false alarms (p = 0.3 and "
        "0.25, honest) at $5 each, and one missed scam (p = 0.15) at $20."
    )
    got = exercise.total_cost(probability, is_scam, 0.5, 5.0, 20.0)
    assert got == pytest.approx(20.0), (
        f"total_cost at threshold 0.5 gave {got!r}; expected 20: no false alarms, and one missed "
        "scam (p = 0.15) at $20."
    )
    got = exercise.total_cost(probability, is_scam, 0.2, 1.0, 100.0)
    assert got == pytest.approx(102.0), (
        f"total_cost at threshold 0.2 with cost_fp=1 and cost_fn=100 gave {got!r}; expected 102: "
        "two false alarms at $1 and one missed scam at $100. Use the costs the function is "
        "given, not the module's constants."
    )


def test_optimal_threshold_beats_defaults(exercise):
    """on calibrated scores, the cost-optimal threshold costs less than 0.5 and the swapped 0.8"""
    rng = np.random.default_rng(11)
    probability = rng.beta(0.5, 4.0, size=20_000)
    is_scam = rng.random(probability.size) < probability
    best = exercise.cost_optimal_threshold(5.0, 20.0)
    costs = {t: exercise.total_cost(probability, is_scam, t, 5.0, 20.0) for t in (best, 0.5, 0.8)}
    assert costs[best] < costs[0.5] < costs[0.8], (
        f"On 20,000 calibrated scores, flagging at your threshold {best!r} cost "
        f"${costs[best]:,.0f}, at 0.5 ${costs[0.5]:,.0f} and at 0.8 ${costs[0.8]:,.0f}; the "
        "cost-optimal threshold should be the cheapest of the three."
    )
