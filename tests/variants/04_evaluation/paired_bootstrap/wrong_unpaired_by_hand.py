"""WRONG: a hand-written bootstrap drawing separate sales (or cards) for each model."""

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
    error_a = np.abs(actual - np.asarray(pred_a, dtype=float))
    error_b = np.abs(actual - np.asarray(pred_b, dtype=float))
    groups = np.arange(len(actual)) if groups is None else np.asarray(groups)
    _, unit = np.unique(groups, return_inverse=True)
    n_sales = np.bincount(unit)
    sum_a, sum_b = np.bincount(unit, weights=error_a), np.bincount(unit, weights=error_b)
    rng = np.random.default_rng(seed)
    picks_a = rng.integers(0, len(n_sales), size=(n_resamples, len(n_sales)))
    picks_b = rng.integers(0, len(n_sales), size=(n_resamples, len(n_sales)))
    mae_a = sum_a[picks_a].sum(axis=1) / n_sales[picks_a].sum(axis=1)
    mae_b = sum_b[picks_b].sum(axis=1) / n_sales[picks_b].sum(axis=1)
    tail = (1 - confidence) / 2
    return tuple(float(q) for q in np.quantile(mae_a - mae_b, [tail, 1 - tail]))


def verdict(low: float, high: float) -> str:
    if low > 0:
        return "b_better"
    if high < 0:
        return "a_better"
    return "inconclusive"
