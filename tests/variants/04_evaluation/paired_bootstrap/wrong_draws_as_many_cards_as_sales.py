"""WRONG: draws cards with all their sales, but as many cards as there are sales (too narrow)."""

from collections.abc import Hashable, Sequence

import numpy as np


def mae_difference(
    actual: Sequence[float], pred_a: Sequence[float], pred_b: Sequence[float]
) -> float:
    actual = np.asarray(actual, dtype=float)
    return float(np.mean(np.abs(actual - pred_a)) - np.mean(np.abs(actual - pred_b)))


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
    actual = np.asarray(actual, dtype=float)
    gap = np.abs(actual - np.asarray(pred_a, dtype=float)) - np.abs(
        actual - np.asarray(pred_b, dtype=float)
    )
    groups = np.arange(len(gap)) if groups is None else np.asarray(groups)
    _, card = np.unique(groups, return_inverse=True)
    gap_sum, n_sales = np.bincount(card, weights=gap), np.bincount(card)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(gap_sum), size=(n_resamples, len(gap)))
    means = gap_sum[picks].sum(axis=1) / n_sales[picks].sum(axis=1)
    tail = (1 - confidence) / 2
    low, high = np.quantile(means, [tail, 1 - tail])
    return float(low), float(high)


def verdict(low: float, high: float) -> str:
    if low > 0:
        return "b_better"
    if high < 0:
        return "a_better"
    return "inconclusive"
