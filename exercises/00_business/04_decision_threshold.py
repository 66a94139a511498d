"""The cost-optimal decision threshold

Trust & Safety's new scam model gives every listing a probability of being a scam, and the
moderators review the listings it flags. Someone set the flag at "probability above 0.5" because
that is the default. But the two mistakes do not cost the same:

- a false alarm (flagging an honest listing) costs $5 of a moderator's time;
- a missed scam costs $20: PokéMarket refunds the buyer.

With calibrated probabilities, flag a listing when the expected cost of letting it through,
p * C_FN, is larger than the expected cost of flagging it, (1 - p) * C_FP. Seen from the other
side, a flag pays for itself when its precision is at least the break-even precision: the share
of true scams among flags at which the refunds it saves equal the reviews it wastes.

The formula trusts the probabilities. Next quarter a new model arrives whose scores rank
listings well but are not calibrated (a score of 0.3 is not a 30% chance), so its threshold has
to be chosen from labelled listings instead: try the thresholds that can make a difference and
keep the cheapest.

Write:

- cost_optimal_threshold: the probability at which flagging and not flagging cost the same,
                          for any pair of costs;
- break_even_precision:   the precision at which a flag exactly pays for its false alarms;
- flag_listings:          which listings to flag at the cost-optimal threshold, as one boolean
                          per listing; a probability exactly at the threshold is flagged;
- total_cost:             what flagging every listing with a score at or above `threshold`
                          costs on labelled listings: false alarms * C_FP + missed scams * C_FN;
- best_threshold:         for uncalibrated scores, the threshold with the lowest total_cost on
                          labelled listings. The candidates are the scores themselves (flag that
                          score and every higher one) and math.inf (flag nothing). On a tie,
                          return the highest of the cheapest thresholds (fewer flags).

Done when: the threshold follows the costs (the PokéMarket pair does not give 0.5), flags and
costs treat a score at the threshold as flagged, and best_threshold finds the cheapest
threshold on scores of any scale.

Stuck? Run `mlings hint`.
"""

import math  # noqa: F401 -- for math.inf
from collections.abc import Sequence

import numpy as np

COST_FALSE_ALARM_USD = 5.0  # C_FP: a moderator reviews an honest listing
COST_MISSED_SCAM_USD = 20.0  # C_FN: PokéMarket refunds the buyer of a scam


def cost_optimal_threshold(cost_fp: float, cost_fn: float) -> float:
    """The scam probability at which flagging and not flagging cost the same."""
    # TODO: solve p * cost_fn = (1 - p) * cost_fp for p.
    raise NotImplementedError("cost_optimal_threshold: where p * C_FN = (1 - p) * C_FP")


def break_even_precision(cost_fp: float, cost_fn: float) -> float:
    """The precision at which a flag saves exactly what its false alarms cost."""
    # TODO: per flag, precision * cost_fn is saved and (1 - precision) * cost_fp is wasted.
    raise NotImplementedError("break_even_precision: where savings equal false-alarm costs")


def flag_listings(scam_probability: Sequence[float], cost_fp: float, cost_fn: float) -> np.ndarray:
    """A boolean array: True for each listing to flag at the cost-optimal threshold."""
    # TODO
    raise NotImplementedError("flag_listings: compare each probability with the threshold")


def total_cost(
    scam_probability: Sequence[float],
    is_scam: Sequence[bool],
    threshold: float,
    cost_fp: float,
    cost_fn: float,
) -> float:
    """Dollars lost when listings with probability >= threshold are flagged and the rest pass."""
    # TODO: count false alarms (flagged, not a scam) and missed scams (not flagged, a scam).
    raise NotImplementedError("total_cost: false alarms * C_FP + missed scams * C_FN")


def best_threshold(
    scores: Sequence[float], is_scam: Sequence[bool], cost_fp: float, cost_fn: float
) -> float:
    """The cheapest threshold on labelled listings: one of the scores, or math.inf to flag
    nothing; the highest of the cheapest on a tie."""
    # TODO: which thresholds give different flags? Price each one, and keep the cheapest.
    raise NotImplementedError("best_threshold: try each candidate threshold, keep the cheapest")


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
