"""WRONG: scipy's bootstrap without paired=True: each model's errors resampled separately."""

from collections.abc import Hashable, Sequence

import numpy as np
from scipy import stats


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
    if groups is not None:  # one mean error per card and model, then cards as the sample
        _, card = np.unique(np.asarray(groups), return_inverse=True)
        n_sales = np.bincount(card)
        error_a = np.bincount(card, weights=error_a) / n_sales
        error_b = np.bincount(card, weights=error_b) / n_sales

    def difference(a, b, axis=-1):
        return a.mean(axis=axis) - b.mean(axis=axis)

    result = stats.bootstrap(
        (error_a, error_b),
        difference,
        vectorized=True,
        n_resamples=n_resamples,
        confidence_level=confidence,
        method="percentile",
        rng=np.random.default_rng(seed),
    )
    return float(result.confidence_interval.low), float(result.confidence_interval.high)


def verdict(low: float, high: float) -> str:
    if low > 0:
        return "b_better"
    if high < 0:
        return "a_better"
    return "inconclusive"
