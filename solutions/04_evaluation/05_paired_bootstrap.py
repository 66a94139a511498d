"""A paired bootstrap confidence interval, by card

A new price model (B) has a lower MAE than the per-rarity median rule it would replace (A) on
this quarter's test sales. Is B better, or did it get lucky with these sales? A single number
cannot say. A bootstrap can: resample the test set with replacement many times, recompute
MAE(A) - MAE(B) on each resample, and read a confidence interval off the spread.

Resample PAIRED: both models priced the SAME sales, so each resample takes both models' errors
on the same drawn sales. A $5,000 slab is hard for both models; pairing keeps that, and the
interval measures only how the models differ. Compare a model with itself: the paired interval
is exactly (0, 0).

Resample CARDS, not sales, when you know which card each sale is of. A card sells many times,
and a model that misjudges a card misjudges every sale of it: its sales are not independent
draws. PokéMarket's test set holds out whole cards (the time-and-card split), so the card is
the unit that was sampled. Drawing sales one by one pretends there were more independent
observations than there were, and the interval comes out too narrow.

Write:

- mae_difference:      MAE(A) - MAE(B) on the given sales (positive: B is better);
- paired_bootstrap_ci: (low, high), the percentile confidence interval of that difference from
                       `n_resamples` resamples drawn with np.random.default_rng(seed), so the
                       same call always gives the same interval.
                       groups=None: each resample draws len(actual) sales with replacement.
                       groups given (one card id per sale, in any order): each resample draws
                       as many cards as there are distinct ids, with replacement, and takes ALL
                       the sales of every card drawn (a card drawn twice counts twice); the
                       statistic is MAE(A) - MAE(B) over all those sales.
                       Either way both models' errors come from the same drawn sales.
- verdict:             "b_better" if the whole interval is above 0, "a_better" if it is all
                       below 0, else "inconclusive" (an interval touching 0 included).

(scipy.stats.bootstrap(..., paired=True, method="percentile", rng=...) does the row case; the
card case is a few lines of numpy. Use percentile intervals: scipy's default, BCa, returns NaN
with a warning when every resample gives the same difference, e.g. a model against itself.)

Done when: a model compared with itself gives (0.0, 0.0), and the interval is as narrow as
pairing makes it and as wide as the cards make it. The demo prints both intervals on sales with
repeated cards.

Stuck? Run `mlings hint`.
"""

from collections.abc import Hashable, Sequence

import numpy as np
from scipy import stats


def _gaps(actual: Sequence[float], pred_a: Sequence[float], pred_b: Sequence[float]) -> np.ndarray:
    """Per sale, model A's absolute error minus model B's."""
    actual = np.asarray(actual, dtype=float)
    error_a = np.abs(actual - np.asarray(pred_a, dtype=float))
    error_b = np.abs(actual - np.asarray(pred_b, dtype=float))
    return error_a - error_b


def mae_difference(
    actual: Sequence[float], pred_a: Sequence[float], pred_b: Sequence[float]
) -> float:
    """MAE of model A minus MAE of model B, on the same sales."""
    return float(_gaps(actual, pred_a, pred_b).mean())


def paired_bootstrap_ci(
    actual: Sequence[float],
    pred_a: Sequence[float],
    pred_b: Sequence[float],
    *,
    groups: Sequence[Hashable] | None = None,
    n_resamples: int = 2000,
    confidence: float = 0.95,
    seed: int = 0,
) -> tuple[float, float]:
    """Percentile bootstrap interval of MAE(A) - MAE(B), both models on the same drawn sales.

    Without groups each sale is drawn on its own; with groups (a card id per sale) whole cards
    are drawn, each with all its sales.
    """
    gap = _gaps(actual, pred_a, pred_b)
    if groups is None:
        unit = np.arange(len(gap))  # every sale its own unit
    else:
        _, unit = np.unique(np.asarray(groups), return_inverse=True)
    gap_sum = np.bincount(unit, weights=gap)  # per unit: the sum of its sales' gaps
    n_sales = np.bincount(unit).astype(float)  # and how many sales it has

    def difference(gap_sum, n_sales, axis=-1):
        return gap_sum.sum(axis=axis) / n_sales.sum(axis=axis)

    result = stats.bootstrap(
        (gap_sum, n_sales),
        difference,
        paired=True,
        vectorized=True,
        n_resamples=n_resamples,
        confidence_level=confidence,
        method="percentile",
        rng=np.random.default_rng(seed),
    )
    low, high = result.confidence_interval
    return float(low), float(high)


def verdict(low: float, high: float) -> str:
    """Which model wins, from an interval of MAE(A) - MAE(B)."""
    if low > 0:
        return "b_better"
    if high < 0:
        return "a_better"
    return "inconclusive"


def _demo_sales(n_cards: int = 150, n_sales: int = 900, seed: int = 0):
    """Sales of repeated cards: each model misjudges a card the same way on all its sales."""
    rng = np.random.default_rng(seed)
    going_price = rng.lognormal(2.5, 1.5, size=n_cards)
    popularity = rng.pareto(1.5, size=n_cards) + 1.0
    card = rng.choice(n_cards, size=n_sales, p=popularity / popularity.sum())
    price = going_price[card] * rng.lognormal(0.0, 0.2, size=n_sales)
    rule = going_price[card] * rng.lognormal(0.0, 0.5, size=n_cards)[card]
    model = going_price[card] * rng.lognormal(0.0, 0.4, size=n_cards)[card]
    return price, rule, model, np.array([f"card-{k:03d}" for k in card])


if __name__ == "__main__":
    price, rule, model, card_ids = _demo_sales()
    print(f"{len(price)} sales of {len(np.unique(card_ids))} cards")
    print(f"MAE(A) - MAE(B) = {mae_difference(price, rule, model):.2f}")
    for unit, groups in (("sale", None), ("card", card_ids)):
        low, high = paired_bootstrap_ci(price, rule, model, groups=groups)
        print(f"95% CI resampling by {unit}: [{low:.2f}, {high:.2f}] -> {verdict(low, high)}")
    print("A against itself, by card:", paired_bootstrap_ci(price, rule, rule, groups=card_ids))
