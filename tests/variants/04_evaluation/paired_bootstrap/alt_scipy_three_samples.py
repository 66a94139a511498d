"""ALTERNATIVE: scipy's paired bootstrap over (actual, A, B) with a non-vectorized statistic."""

from collections.abc import Sequence

import numpy as np
from scipy import stats
from sklearn.metrics import mean_absolute_error


def mae_difference(
    actual: Sequence[float], pred_a: Sequence[float], pred_b: Sequence[float]
) -> float:
    return float(mean_absolute_error(actual, pred_a) - mean_absolute_error(actual, pred_b))


def paired_bootstrap_ci(
    actual: Sequence[float],
    pred_a: Sequence[float],
    pred_b: Sequence[float],
    *,
    n_resamples: int = 2000,
    confidence: float = 0.95,
    seed: int = 0,
) -> tuple[float, float]:
    samples = tuple(np.asarray(x, dtype=float) for x in (actual, pred_a, pred_b))

    def statistic(y, a, b):
        return np.mean(np.abs(y - a)) - np.mean(np.abs(y - b))

    result = stats.bootstrap(
        samples,
        statistic,
        paired=True,
        vectorized=False,
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
