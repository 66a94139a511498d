"""WRONG: an interval that touches 0 (low == 0) still names a winner."""

from collections.abc import Sequence

import numpy as np
from scipy import stats


def mae_difference(
    actual: Sequence[float], pred_a: Sequence[float], pred_b: Sequence[float]
) -> float:
    """MAE of model A minus MAE of model B, on the same sales."""
    actual = np.asarray(actual, dtype=float)
    error_a = np.abs(actual - np.asarray(pred_a, dtype=float))
    error_b = np.abs(actual - np.asarray(pred_b, dtype=float))
    return float(error_a.mean() - error_b.mean())


def paired_bootstrap_ci(
    actual: Sequence[float],
    pred_a: Sequence[float],
    pred_b: Sequence[float],
    *,
    n_resamples: int = 2000,
    confidence: float = 0.95,
    seed: int = 0,
) -> tuple[float, float]:
    """Percentile bootstrap interval of MAE(A) - MAE(B), resampling sales (rows) in pairs."""
    actual = np.asarray(actual, dtype=float)
    error_a = np.abs(actual - np.asarray(pred_a, dtype=float))
    error_b = np.abs(actual - np.asarray(pred_b, dtype=float))

    def difference(a, b, axis=-1):
        return a.mean(axis=axis) - b.mean(axis=axis)

    result = stats.bootstrap(
        (error_a, error_b),
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
    if low >= 0:
        return "b_better"
    if high <= 0:
        return "a_better"
    return "inconclusive"


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    price = rng.lognormal(2.0, 1.5, size=400)
    a = price * rng.lognormal(0.0, 0.45, size=400)
    b = price * rng.lognormal(0.0, 0.40, size=400)
    low, high = paired_bootstrap_ci(price, a, b)
    print(f"MAE(A) - MAE(B) = {mae_difference(price, a, b):.2f}, 95% CI [{low:.2f}, {high:.2f}]")
    print(verdict(low, high))
    print("A against itself:", paired_bootstrap_ci(price, a, a))
