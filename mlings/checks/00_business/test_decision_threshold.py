"""Checks for 00_business/04_decision_threshold: cost-optimal threshold, break-even precision."""

import math

import numpy as np
import pytest


def test_threshold_for_pokemarket(exercise):
    """a $5 false alarm and a $20 missed scam give their break-even point (rejects swapped costs)"""
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
    """works for any pair of costs: equal, a dear false alarm, a cheap false alarm"""
    for cost_fp, cost_fn, expected in ((20.0, 5.0, 0.8), (1.0, 1.0, 0.5), (1.0, 99.0, 0.01)):
        got = exercise.cost_optimal_threshold(cost_fp, cost_fn)
        assert got == pytest.approx(expected), (
            f"cost_optimal_threshold(cost_fp={cost_fp:g}, cost_fn={cost_fn:g}) gave {got!r}; "
            f"expected {expected:g}."
        )


def test_break_even_precision(exercise):
    """break-even precision: at it, a flag saves exactly what its false alarms cost"""
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


def test_flags_a_probability_exactly_at_the_threshold(exercise):
    """flags a probability exactly at the threshold (rejects p > threshold)"""
    # 1 / (1 + 3) and 3 / (3 + 1) are exact in floating point, however the formula is written.
    for cost_fp, cost_fn, at in ((1.0, 3.0, 0.25), (3.0, 1.0, 0.75)):
        got = [bool(flag) for flag in exercise.flag_listings([at, at - 0.01], cost_fp, cost_fn)]
        assert got == [True, False], (
            f"flag_listings([{at}, {at - 0.01:.2f}], cost_fp={cost_fp:g}, cost_fn={cost_fn:g}) "
            f"gave {got}; expected [True, False]. The threshold is {at}, and a listing whose "
            "probability is exactly at the threshold is flagged (at or above, not only above)."
        )


def test_flags_a_thirty_percent_scam(exercise):
    """flags a listing whose expected refund outweighs its review cost (rejects swapped costs)"""
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


def test_total_cost_flags_a_score_at_the_threshold(exercise):
    """total_cost flags a score exactly at the threshold (rejects p > threshold)"""
    got = exercise.total_cost([0.4, 0.4, 0.7], [True, False, False], 0.4, 5.0, 20.0)
    assert got == pytest.approx(10.0), (
        f"total_cost([0.4, 0.4, 0.7], is_scam=[True, False, False], threshold=0.4, cost_fp=5, "
        f"cost_fn=20) gave {got!r}; expected 10: all three scores are at or above 0.4, so all "
        "three are flagged, which makes two false alarms at $5 and no missed scam. A score "
        "exactly at the threshold is flagged."
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


def _cheapest(scores, is_scam, cost_fp, cost_fn):
    """Reference: the lowest total cost over every candidate, and the highest threshold at it."""
    scores, is_scam = np.asarray(scores, dtype=float), np.asarray(is_scam, dtype=bool)
    candidates = np.append(np.unique(scores), np.inf)
    flagged = scores[None, :] >= candidates[:, None]
    costs = (flagged & ~is_scam).sum(axis=1) * cost_fp + (~flagged & is_scam).sum(axis=1) * cost_fn
    best = costs.min()
    return float(best), float(candidates[costs == best].max())


def _best(exercise, scores, is_scam, cost_fp, cost_fn):
    got = exercise.best_threshold(scores, is_scam, cost_fp, cost_fn)
    assert isinstance(got, (int, float, np.floating)), (
        f"best_threshold returned {type(got).__name__}; return the threshold as a number."
    )
    return float(got)


def _cost(scores, is_scam, threshold, cost_fp, cost_fn):
    flagged = np.asarray(scores, dtype=float) >= threshold
    is_scam = np.asarray(is_scam, dtype=bool)
    return float((flagged & ~is_scam).sum() * cost_fp + (~flagged & is_scam).sum() * cost_fn)


def test_best_threshold_on_a_small_case(exercise):
    """best_threshold returns the cheapest of the scores on a small labelled case"""
    scores = [0.9, 0.12, 0.35, 0.08, 0.6, 0.2, 0.05]
    is_scam = [True, False, True, False, False, True, False]
    got = _best(exercise, scores, is_scam, 5.0, 20.0)
    assert got == pytest.approx(0.2), (
        f"best_threshold on 7 listings (scores {scores}, scams at 0.9, 0.35 and 0.2) with "
        f"cost_fp=5 and cost_fn=20 gave {got!r}; the cheapest threshold is one of the scores: "
        "flagging from 0.2 up catches all three scams for one false alarm ($5). Price every "
        "score as a threshold, with total_cost, and keep the cheapest."
    )


def test_best_threshold_on_uncalibrated_scores(exercise):
    """best_threshold finds the cheapest threshold on scores of another scale (rejects a grid)"""
    for seed in (3, 4):
        rng = np.random.default_rng(seed)
        probability = rng.beta(0.5, 4.0, size=500)
        is_scam = rng.random(probability.size) < probability
        scores = probability**3  # the same ranking, squashed towards 0
        for cost_fp, cost_fn in ((5.0, 20.0), (8.0, 2.0)):
            lowest, _ = _cheapest(scores, is_scam, cost_fp, cost_fn)
            got = _best(exercise, scores, is_scam, cost_fp, cost_fn)
            cost = _cost(scores, is_scam, got, cost_fp, cost_fn)
            assert cost == pytest.approx(lowest), (
                f"On 500 uncalibrated scores (seed {seed}, cost_fp={cost_fp:g}, "
                f"cost_fn={cost_fn:g}), flagging from your threshold {got:.6g} costs "
                f"${cost:,.2f}, but the cheapest threshold costs ${lowest:,.2f}. The scores are "
                "not probabilities, so neither the formula nor a fixed grid of thresholds finds "
                "it: the flags only change at the scores themselves, so try each of them."
            )


def test_best_threshold_can_flag_nothing(exercise):
    """best_threshold returns math.inf when flagging nothing is cheapest"""
    scores = [0.9, 0.7, 0.4, 0.2]
    is_scam = [False, False, True, False]
    got = _best(exercise, scores, is_scam, 10.0, 5.0)
    assert math.isinf(got) and got > 0, (
        f"best_threshold(scores {scores}, one scam at 0.4, cost_fp=10, cost_fn=5) gave {got!r}; "
        "expected math.inf. Any threshold that catches the scam also raises at least two false "
        "alarms ($20 against a $5 miss): here the cheapest choice is to flag nothing."
    )


def test_best_threshold_breaks_ties_high(exercise):
    """best_threshold returns the highest of equally cheap thresholds (fewer flags)"""
    # From 0.9: one missed scam; from 0.5: one false alarm. At $10 each, both cost $10.
    scores = [0.9, 0.7, 0.5, 0.2]
    is_scam = [True, False, True, False]
    costs = {t: _cost(scores, is_scam, t, 10.0, 10.0) for t in (math.inf, 0.9, 0.7, 0.5, 0.2)}
    lowest, highest = _cheapest(scores, is_scam, 10.0, 10.0)
    got = _best(exercise, scores, is_scam, 10.0, 10.0)
    table = ", ".join(f"{t:g}: ${c:,.0f}" for t, c in costs.items())
    assert got == pytest.approx(highest), (
        f"best_threshold(scores {scores}, scams at 0.9 and 0.5, cost_fp=10, cost_fn=10) gave "
        f"{got!r}; "
        f"the thresholds cost {table}. Several are equally cheap (${lowest:,.0f}); return the "
        "highest of them, which flags the fewest listings."
    )
