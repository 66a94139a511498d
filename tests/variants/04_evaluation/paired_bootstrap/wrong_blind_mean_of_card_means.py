"""Wrong: by card, it averages each drawn card's own MAE gap (every card weighs the same).

Breaks the contract sentence "the statistic is MAE(A) - MAE(B) over all those sales": it takes
the mean of per-card mean gaps, so a card sold 15 times counts as much as a card sold once,
and the interval is of a different quantity (the row case and the (0, 0) self-check still hold).
"""

from collections.abc import Hashable, Sequence

import numpy as np
from scipy import stats  # noqa: F401 (one way to do the row case)


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
    gap = np.abs(y - np.asarray(pred_a, dtype=float)) - np.abs(y - np.asarray(pred_b, dtype=float))
    if groups is not None:
        # summarise each card by its mean gap, then bootstrap the cards
        card = np.unique(np.asarray(groups), return_inverse=True)[1].ravel()
        gap = np.bincount(card, weights=gap) / np.bincount(card)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(gap), size=(n_resamples, len(gap)))
    tail = (1 - confidence) / 2
    low, high = np.quantile(gap[picks].mean(axis=1), [tail, 1 - tail])
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
