"""ALTERNATIVE: by hand with numpy: the drawn positions per card, one draw for both models."""

from collections.abc import Hashable, Sequence

import numpy as np


def mae_difference(
    actual: Sequence[float], pred_a: Sequence[float], pred_b: Sequence[float]
) -> float:
    return float(_gap(actual, pred_a, pred_b).mean())


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
    groups: Sequence[Hashable] | None = None,
    n_resamples: int = 2000,
    confidence: float = 0.95,
    seed: int = 0,
) -> tuple[float, float]:
    gap = _gap(actual, pred_a, pred_b)
    rng = np.random.default_rng(seed)
    if groups is None:
        rows = rng.integers(0, len(gap), size=(n_resamples, len(gap)))
        means = gap[rows].mean(axis=1)
    else:
        labels = np.asarray(groups)
        cards = [np.flatnonzero(labels == card) for card in np.unique(labels)]
        means = np.empty(n_resamples)
        for r in range(n_resamples):
            drawn = rng.integers(0, len(cards), size=len(cards))
            means[r] = gap[np.concatenate([cards[k] for k in drawn])].mean()
    low, high = np.percentile(means, [50 * (1 - confidence), 50 * (1 + confidence)])
    return float(low), float(high)


def verdict(low: float, high: float) -> str:
    return "b_better" if low > 0 else "a_better" if high < 0 else "inconclusive"
