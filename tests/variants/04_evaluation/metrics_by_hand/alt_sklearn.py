"""ALTERNATIVE: scikit-learn's own functions, and a clipped denominator for MAPE."""

from collections.abc import Sequence

import numpy as np
from sklearn.metrics import (
    mean_absolute_error,
    precision_score,
    r2_score,
    recall_score,
    root_mean_squared_error,
)

MAPE_FLOOR_USD = 1.0  # MAPE divides each error by max(|actual|, this)


def mae(actual: Sequence[float], predicted: Sequence[float]) -> float:
    return float(mean_absolute_error(actual, predicted))


def rmse(actual: Sequence[float], predicted: Sequence[float]) -> float:
    return float(root_mean_squared_error(actual, predicted))


def r2(actual: Sequence[float], predicted: Sequence[float]) -> float:
    return float(r2_score(actual, predicted))


def mape(actual: Sequence[float], predicted: Sequence[float]) -> float:
    actual = np.asarray(actual, dtype=float)
    errors = np.abs(actual - np.asarray(predicted, dtype=float))
    return float(np.average(errors / np.clip(np.abs(actual), MAPE_FLOOR_USD, None)))


def precision(actual: Sequence[bool], flagged: Sequence[bool]) -> float:
    return float(precision_score(actual, flagged, zero_division=0.0))


def recall(actual: Sequence[bool], flagged: Sequence[bool]) -> float:
    return float(recall_score(actual, flagged, zero_division=0.0))


if __name__ == "__main__":
    price = np.array([0.0, 0.25, 3.10, 12.0, 45.0, 1200.0])
    guess = np.array([0.10, 0.40, 2.50, 15.0, 40.0, 950.0])
    for metric in (mae, rmse, r2, mape):
        print(f"{metric.__name__:>5}: {metric(price, guess):.4f}")
    premium, flagged = price >= 40, guess >= 10
    print(f"precision {precision(premium, flagged):.2f}, recall {recall(premium, flagged):.2f}")
