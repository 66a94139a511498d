"""Wrong: resamples each model's errors with its own independent draw (unpaired bootstrap).

Breaks the contract sentence "Either way both models' errors come from the same drawn sales":
A's errors and B's errors are drawn separately (two draws per resample), so a model compared
with itself gives a wide interval instead of (0, 0), and the interval is far too wide.
"""

from collections.abc import Hashable, Sequence

import numpy as np
from scipy import stats  # noqa: F401 (one way to do the row case)


def mae_difference(
    actual: Sequence[float], pred_a: Sequence[float], pred_b: Sequence[float]
) -> float:
    """MAE of model A minus MAE of model B, on the same sales."""
    y = np.asarray(actual, dtype=float)
    mae_a = np.mean(np.abs(y - np.asarray(pred_a, dtype=float)))
    mae_b = np.mean(np.abs(y - np.asarray(pred_b, dtype=float)))
    return float(mae_a - mae_b)


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
        unit = np.arange(len(y))
    else:
        unit = np.unique(np.asarray(groups), return_inverse=True)[1].ravel()
    n_units = int(unit.max()) + 1
    sum_a = np.bincount(unit, weights=err_a, minlength=n_units)
    sum_b = np.bincount(unit, weights=err_b, minlength=n_units)
    count = np.bincount(unit, minlength=n_units)
    # one draw for model A's errors, another for model B's
    picks_a = rng.integers(0, n_units, size=(n_resamples, n_units))
    picks_b = rng.integers(0, n_units, size=(n_resamples, n_units))
    mae_a = sum_a[picks_a].sum(axis=1) / count[picks_a].sum(axis=1)
    mae_b = sum_b[picks_b].sum(axis=1) / count[picks_b].sum(axis=1)
    tail = (1 - confidence) / 2
    low, high = np.quantile(mae_a - mae_b, [tail, 1 - tail])
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
