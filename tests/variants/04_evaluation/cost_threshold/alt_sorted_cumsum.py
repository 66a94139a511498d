"""ALTERNATIVE: the whole cost curve at once, from sorted probabilities and cumulative sums."""

from collections.abc import Sequence

import numpy as np

COST_NEEDLESS_CHECK_USD = 4.0
COST_MISSED_PREMIUM_USD = 16.0


def review_cost(p, premium, threshold, cost_fp, cost_fn) -> float:
    p, premium = np.asarray(p, dtype=float), np.asarray(premium, dtype=bool)
    checked = p >= threshold
    return cost_fp * np.count_nonzero(checked & ~premium) + cost_fn * np.count_nonzero(
        ~checked & premium
    )


def best_threshold(
    p: Sequence[float], premium: Sequence[bool], cost_fp: float, cost_fn: float
) -> float:
    p, premium = np.asarray(p, dtype=float), np.asarray(premium, dtype=bool)
    candidates = np.unique(p)
    order = np.argsort(p)
    sorted_p, sorted_y = p[order], premium[order]
    # listings below candidate t: the first `below` of the sorted ones
    below = np.searchsorted(sorted_p, candidates, side="left")
    premium_below = np.concatenate([[0], np.cumsum(sorted_y)])[below]
    honest_below = below - premium_below
    needless = (len(p) - premium.sum()) - honest_below
    costs = cost_fp * needless + cost_fn * premium_below
    return float(candidates[np.argmin(costs)])


def choose_and_evaluate(p_val, premium_val, p_test, premium_test, cost_fp, cost_fn):
    threshold = best_threshold(p_val, premium_val, cost_fp, cost_fn)
    per_listing = review_cost(p_test, premium_test, threshold, cost_fp, cost_fn) / len(p_test)
    return threshold, per_listing
