"""WRONG: a hand-written bootstrap drawing separate rows for each model."""

from collections.abc import Sequence

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
    n_resamples: int = 2000,
    confidence: float = 0.95,
    seed: int = 0,
) -> tuple[float, float]:
    actual = np.asarray(actual, dtype=float)
    error_a = np.abs(actual - np.asarray(pred_a, dtype=float))
    error_b = np.abs(actual - np.asarray(pred_b, dtype=float))
    rng = np.random.default_rng(seed)
    n = len(actual)
    rows_a = rng.integers(0, n, size=(n_resamples, n))
    rows_b = rng.integers(0, n, size=(n_resamples, n))
    differences = error_a[rows_a].mean(axis=1) - error_b[rows_b].mean(axis=1)
    tail = (1 - confidence) / 2
    return float(np.quantile(differences, tail)), float(np.quantile(differences, 1 - tail))


def verdict(low: float, high: float) -> str:
    if low > 0:
        return "b_better"
    if high < 0:
        return "a_better"
    return "inconclusive"
