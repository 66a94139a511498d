"""Correct paired bootstrap: scipy.stats.bootstrap (paired) for sales, draw counts for cards.

Row case: scipy resamples the pair (errors of A, errors of B) with ONE set of indices per
resample (paired=True) and a percentile interval, seeded with np.random.default_rng(seed).
Card case: each resample's draw of cards is turned into how many times each card was drawn
(np.bincount), and the statistic is the drawn cards' summed gaps over their summed sale counts,
i.e. MAE(A) - MAE(B) over all the sales of the drawn cards (a card drawn twice counts twice).
"""

from collections.abc import Hashable, Sequence

import numpy as np
from scipy import stats


def mae_difference(
    actual: Sequence[float], pred_a: Sequence[float], pred_b: Sequence[float]
) -> float:
    """MAE of model A minus MAE of model B, on the same sales."""
    y = np.asarray(actual, dtype=float)
    gap = np.abs(y - np.asarray(pred_a, dtype=float)) - np.abs(y - np.asarray(pred_b, dtype=float))
    return float(gap.mean())


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
    y = np.asarray(actual, dtype=float)
    err_a = np.abs(y - np.asarray(pred_a, dtype=float))
    err_b = np.abs(y - np.asarray(pred_b, dtype=float))
    rng = np.random.default_rng(seed)
    if groups is None:
        result = stats.bootstrap(
            (err_a, err_b),
            lambda a, b, axis=-1: a.mean(axis=axis) - b.mean(axis=axis),
            paired=True,
            vectorized=True,
            n_resamples=n_resamples,
            confidence_level=confidence,
            method="percentile",
            rng=rng,
        )
        ci = result.confidence_interval
        return float(ci.low), float(ci.high)

    _, card = np.unique(np.asarray(groups), return_inverse=True)
    card = card.ravel()
    n_cards = int(card.max()) + 1
    gap_per_card = np.bincount(card, weights=err_a - err_b, minlength=n_cards)
    sales_per_card = np.bincount(card, minlength=n_cards).astype(float)
    diffs = np.empty(n_resamples)
    for r in range(n_resamples):
        times_drawn = np.bincount(rng.integers(0, n_cards, size=n_cards), minlength=n_cards)
        diffs[r] = times_drawn @ gap_per_card / (times_drawn @ sales_per_card)
    tail = (1.0 - confidence) / 2.0
    low, high = np.percentile(diffs, [100 * tail, 100 * (1 - tail)])
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
