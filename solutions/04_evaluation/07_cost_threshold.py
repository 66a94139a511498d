"""A decision threshold from costs

The calibrated premium flag gives each listing a probability of selling for $100 or more.
The authenticator checks the listings flagged at or above a threshold. The two mistakes cost
different amounts:

- checking a listing that sells under $100 wastes $4 of the authenticator's time (C_FP);
- a premium card shipped unchecked costs $16 on average in disputes and fakes (C_FN).

The threshold that minimises the expected cost is C_FP / (C_FP + C_FN) = 0.2 (module 0
derives it). That formula trusts the probabilities: it is right only when they are
calibrated. The measured way works for any score: on labelled VALIDATION listings, try each
candidate threshold, add up what it would have cost, and keep the cheapest. On calibrated
probabilities the two agree (within sampling noise); on uncalibrated scores only the
measured one is right.
Then report what the chosen threshold costs on TEST listings, which played no part in
choosing it: a threshold tuned on the test set makes its own cost look better than it is.

`p` holds probabilities (rounded to the cent, as the app stores them), `premium` the outcomes
(booleans). Write:

- review_cost:         the dollars lost when the listings with p >= threshold are checked and
                       the rest are not: needless checks x cost_fp + missed premiums x cost_fn;
- best_threshold:      among the distinct values of p, the threshold with the lowest
                       review_cost on these listings;
- choose_and_evaluate: (threshold, cost per listing on test): the best threshold on the
                       validation listings, and its review_cost on the test listings divided by
                       the number of test listings.

Done when: on calibrated probabilities the threshold lands near C_FP / (C_FP + C_FN), on
uncalibrated ones it still finds the cheapest cut, and the test listings never move it.

Stuck? Run `mlings hint`.
"""

from collections.abc import Sequence

import numpy as np

COST_NEEDLESS_CHECK_USD = 4.0  # C_FP: the authenticator checks a listing that sells under $100
COST_MISSED_PREMIUM_USD = 16.0  # C_FN: a premium card ships unchecked


def review_cost(
    p: Sequence[float],
    premium: Sequence[bool],
    threshold: float,
    cost_fp: float,
    cost_fn: float,
) -> float:
    """Dollars lost checking the listings with p >= threshold, and only those."""
    p = np.asarray(p, dtype=float)
    premium = np.asarray(premium, dtype=bool)
    checked = p >= threshold
    needless = np.sum(checked & ~premium)
    missed = np.sum(~checked & premium)
    return float(needless * cost_fp + missed * cost_fn)


def best_threshold(
    p: Sequence[float], premium: Sequence[bool], cost_fp: float, cost_fn: float
) -> float:
    """The distinct value of p that, used as the threshold, costs least on these listings."""
    candidates = np.unique(np.asarray(p, dtype=float))
    costs = [review_cost(p, premium, t, cost_fp, cost_fn) for t in candidates]
    return float(candidates[int(np.argmin(costs))])


def choose_and_evaluate(
    p_val: Sequence[float],
    premium_val: Sequence[bool],
    p_test: Sequence[float],
    premium_test: Sequence[bool],
    cost_fp: float,
    cost_fn: float,
) -> tuple[float, float]:
    """(threshold chosen on validation, its cost per listing on test)."""
    threshold = best_threshold(p_val, premium_val, cost_fp, cost_fn)
    cost = review_cost(p_test, premium_test, threshold, cost_fp, cost_fn)
    return threshold, cost / len(p_test)


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    p = np.round(rng.beta(0.9, 1.6, size=20_000), 2)
    premium = rng.random(20_000) < p  # calibrated: premium with probability p
    c_fp, c_fn = COST_NEEDLESS_CHECK_USD, COST_MISSED_PREMIUM_USD
    print(
        f"formula: {c_fp / (c_fp + c_fn):.2f}, measured: {best_threshold(p, premium, c_fp, c_fn)}"
    )
    inflated = np.round(p**0.4, 2)  # the same ranking, uncalibrated
    print(f"on inflated scores, measured: {best_threshold(inflated, premium, c_fp, c_fn)}")
