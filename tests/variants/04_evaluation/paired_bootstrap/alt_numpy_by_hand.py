"""ALTERNATIVE: a hand-written paired bootstrap with numpy: one set of rows for both models."""

from collections.abc import Sequence

import numpy as np


def mae_difference(
    actual: Sequence[float], pred_a: Sequence[float], pred_b: Sequence[float]
) -> float:
    gap = _gap(actual, pred_a, pred_b)
    return float(gap.mean())


def _gap(actual, pred_a, pred_b) -> np.ndarray:
    """Per sale, model A's absolute error minus model B's."""
    actual = np.asarray(actual, dtype=float)
    return np.abs(actual - np.asarray(pred_a, dtype=float)) - np.abs(
        actual - np.asarray(pred_b, dtype=float)
    )


def paired_bootstrap_ci(
    actual: Sequence[float],
    pred_a: Sequence[float],
    pred_b: Sequence[float],
    *,
    n_resamples: int = 2000,
    confidence: float = 0.95,
    seed: int = 0,
) -> tuple[float, float]:
    gap = _gap(actual, pred_a, pred_b)
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, len(gap), size=(n_resamples, len(gap)))
    means = gap[rows].mean(axis=1)
    low, high = np.percentile(means, [50 * (1 - confidence), 50 * (1 + confidence)])
    return float(low), float(high)


def verdict(low: float, high: float) -> str:
    return "b_better" if low > 0 else "a_better" if high < 0 else "inconclusive"
