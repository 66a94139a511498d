"""WRONG: averages each card's gap first, then bootstraps the card averages (a card sold once
weighs as much as a card sold twenty times: not the MAE over the drawn sales)."""

from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd


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
    if groups is not None:
        gap = pd.Series(gap).groupby(np.asarray(groups)).mean().to_numpy()
    rng = np.random.default_rng(seed)
    means = gap[rng.integers(0, len(gap), size=(n_resamples, len(gap)))].mean(axis=1)
    tail = (1 - confidence) / 2
    low, high = np.quantile(means, [tail, 1 - tail])
    return float(low), float(high)


def verdict(low: float, high: float) -> str:
    if low > 0:
        return "b_better"
    if high < 0:
        return "a_better"
    return "inconclusive"
