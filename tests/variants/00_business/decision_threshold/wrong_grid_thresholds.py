"""WRONG: best_threshold searches a fixed grid 0, 0.01, ..., 1 instead of the scores."""

import math
from collections.abc import Sequence

import numpy as np

COST_FALSE_ALARM_USD = 5.0  # C_FP: a moderator reviews an honest listing
COST_MISSED_SCAM_USD = 20.0  # C_FN: PokéMarket refunds the buyer of a scam


def cost_optimal_threshold(cost_fp: float, cost_fn: float) -> float:
    """The scam probability at which flagging and not flagging cost the same."""
    return cost_fp / (cost_fp + cost_fn)


def break_even_precision(cost_fp: float, cost_fn: float) -> float:
    """The precision at which a flag saves exactly what its false alarms cost."""
    # precision * cost_fn = (1 - precision) * cost_fp: the same balance as the threshold.
    return cost_fp / (cost_fp + cost_fn)


def flag_listings(scam_probability: Sequence[float], cost_fp: float, cost_fn: float) -> np.ndarray:
    """A boolean array: True for each listing to flag at the cost-optimal threshold."""
    threshold = cost_optimal_threshold(cost_fp, cost_fn)
    return np.asarray(scam_probability, dtype=float) >= threshold


def total_cost(
    scam_probability: Sequence[float],
    is_scam: Sequence[bool],
    threshold: float,
    cost_fp: float,
    cost_fn: float,
) -> float:
    """Dollars lost when listings with probability >= threshold are flagged and the rest pass."""
    flagged = np.asarray(scam_probability, dtype=float) >= threshold
    scam = np.asarray(is_scam, dtype=bool)
    false_alarms = np.count_nonzero(flagged & ~scam)
    missed_scams = np.count_nonzero(~flagged & scam)
    return float(false_alarms * cost_fp + missed_scams * cost_fn)


def best_threshold(
    scores: Sequence[float], is_scam: Sequence[bool], cost_fp: float, cost_fn: float
) -> float:
    """The cheapest threshold on labelled listings: one of the scores, or math.inf to flag
    nothing; the highest of the cheapest on a tie."""
    # Highest first, so that the first of equally cheap thresholds is the highest.
    candidates = [math.inf, *np.linspace(0.0, 1.0, 101)[::-1]]
    costs = [total_cost(scores, is_scam, t, cost_fp, cost_fn) for t in candidates]
    return float(candidates[int(np.argmin(costs))])


if __name__ == "__main__":
    threshold = cost_optimal_threshold(COST_FALSE_ALARM_USD, COST_MISSED_SCAM_USD)
    print(f"flag at p >= {threshold:.2f}")
    rng = np.random.default_rng(0)
    p = rng.beta(0.5, 4.0, size=10_000)
    y = rng.random(10_000) < p
    for t in (threshold, 0.5):
        print(f"threshold {t:.2f}: ${total_cost(p, y, t, 5.0, 20.0):,.0f}")
    scores = p**3  # the new model: same ranking, uncalibrated scores
    best = best_threshold(scores, y, 5.0, 20.0)
    for label, t in (("formula", threshold), ("from labels", best)):
        print(f"new model, {label} threshold {t:.4f}: ${total_cost(scores, y, t, 5.0, 20.0):,.0f}")
