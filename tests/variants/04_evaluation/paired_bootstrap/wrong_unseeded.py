"""WRONG: an unseeded random generator: a different interval on every run."""

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
        rng=np.random.default_rng(),
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
