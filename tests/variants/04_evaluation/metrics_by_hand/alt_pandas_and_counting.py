"""ALTERNATIVE: pandas Series arithmetic and plain Python counting."""

from collections.abc import Sequence

import numpy as np
import pandas as pd

MAPE_FLOOR_USD = 1.0  # MAPE divides each error by max(|actual|, this)


def _errors(actual, predicted) -> pd.Series:
    truth = pd.Series(np.asarray(actual, dtype=float))
    return truth - pd.Series(np.asarray(predicted, dtype=float))


def mae(actual: Sequence[float], predicted: Sequence[float]) -> float:
    return _errors(actual, predicted).abs().mean()


def rmse(actual: Sequence[float], predicted: Sequence[float]) -> float:
    return (_errors(actual, predicted) ** 2).mean() ** 0.5


def r2(actual: Sequence[float], predicted: Sequence[float]) -> float:
    truth = pd.Series(np.asarray(actual, dtype=float))
    return 1 - (_errors(actual, predicted) ** 2).sum() / ((truth - truth.mean()) ** 2).sum()


def mape(actual: Sequence[float], predicted: Sequence[float]) -> float:
    scale = pd.Series(np.asarray(actual, dtype=float)).abs().clip(lower=MAPE_FLOOR_USD)
    return (_errors(actual, predicted).abs() / scale).mean()


def _counts(actual, flagged) -> tuple[int, int, int]:
    pairs = list(zip((bool(a) for a in actual), (bool(f) for f in flagged), strict=True))
    hits = sum(a and f for a, f in pairs)
    return hits, sum(f for _, f in pairs), sum(a for a, _ in pairs)


def precision(actual: Sequence[bool], flagged: Sequence[bool]) -> float:
    hits, n_flagged, _ = _counts(actual, flagged)
    return hits / n_flagged if n_flagged else 0.0


def recall(actual: Sequence[bool], flagged: Sequence[bool]) -> float:
    hits, _, n_positive = _counts(actual, flagged)
    return hits / n_positive if n_positive else 0.0


if __name__ == "__main__":
    price = np.array([0.0, 0.25, 3.10, 12.0, 45.0, 1200.0])
    guess = np.array([0.10, 0.40, 2.50, 15.0, 40.0, 950.0])
    for metric in (mae, rmse, r2, mape):
        print(f"{metric.__name__:>5}: {metric(price, guess):.4f}")
    premium, flagged = price >= 40, guess >= 10
    print(f"precision {precision(premium, flagged):.2f}, recall {recall(premium, flagged):.2f}")
