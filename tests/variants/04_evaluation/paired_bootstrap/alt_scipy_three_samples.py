"""ALTERNATIVE: scipy for sales (actual, A, B as paired samples), pandas for cards."""

from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd
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
    groups: Sequence[Hashable] | None = None,
    n_resamples: int = 2000,
    confidence: float = 0.95,
    seed: int = 0,
) -> tuple[float, float]:
    rng = np.random.default_rng(seed)
    if groups is None:
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
            rng=rng,
        )
        return float(result.confidence_interval.low), float(result.confidence_interval.high)
    sales = pd.DataFrame({"y": actual, "a": pred_a, "b": pred_b, "card": np.asarray(groups)})
    sales["gap"] = (sales["y"] - sales["a"]).abs() - (sales["y"] - sales["b"]).abs()
    per_card = sales.groupby("card")["gap"].agg(["sum", "size"])
    drawn = rng.choice(len(per_card), size=(n_resamples, len(per_card)))
    totals = per_card["sum"].to_numpy()[drawn].sum(axis=1)
    counts = per_card["size"].to_numpy()[drawn].sum(axis=1)
    tail = (1 - confidence) / 2
    low, high = np.quantile(totals / counts, [tail, 1 - tail])
    return float(low), float(high)


def verdict(low: float, high: float) -> str:
    if low > 0:
        return "b_better"
    if high < 0:
        return "a_better"
    return "inconclusive"
