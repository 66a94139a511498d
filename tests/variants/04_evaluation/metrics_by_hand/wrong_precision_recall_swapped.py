"""WRONG: precision divides by the actual positives and recall by the flagged items."""

from collections.abc import Sequence

import numpy as np

MAPE_FLOOR_USD = 1.0  # MAPE divides each error by max(|actual|, this)


def mae(actual: Sequence[float], predicted: Sequence[float]) -> float:
    """Mean absolute error."""
    errors = np.asarray(actual, dtype=float) - np.asarray(predicted, dtype=float)
    return float(np.mean(np.abs(errors)))


def rmse(actual: Sequence[float], predicted: Sequence[float]) -> float:
    """Root mean squared error."""
    errors = np.asarray(actual, dtype=float) - np.asarray(predicted, dtype=float)
    return float(np.sqrt(np.mean(errors**2)))


def r2(actual: Sequence[float], predicted: Sequence[float]) -> float:
    """Coefficient of determination: 1 - SS_res / SS_tot, around the mean of the ACTUAL values."""
    actual = np.asarray(actual, dtype=float)
    predicted = np.asarray(predicted, dtype=float)
    ss_res = np.sum((actual - predicted) ** 2)
    ss_tot = np.sum((actual - actual.mean()) ** 2)
    return float(1.0 - ss_res / ss_tot)


def mape(actual: Sequence[float], predicted: Sequence[float]) -> float:
    """Mean absolute percentage error, as a fraction, guarded against $0 sales."""
    actual = np.asarray(actual, dtype=float)
    predicted = np.asarray(predicted, dtype=float)
    scale = np.maximum(np.abs(actual), MAPE_FLOOR_USD)
    return float(np.mean(np.abs(actual - predicted) / scale))


def precision(actual: Sequence[bool], flagged: Sequence[bool]) -> float:
    """Of the flagged items, the share that are actually positive (0.0 if none is flagged)."""
    actual = np.asarray(actual, dtype=bool)
    flagged = np.asarray(flagged, dtype=bool)
    n_positive = actual.sum()
    return float((actual & flagged).sum() / n_positive) if n_positive else 0.0


def recall(actual: Sequence[bool], flagged: Sequence[bool]) -> float:
    """Of the actual positives, the share that got flagged (0.0 if there are none)."""
    actual = np.asarray(actual, dtype=bool)
    flagged = np.asarray(flagged, dtype=bool)
    n_flagged = flagged.sum()
    return float((actual & flagged).sum() / n_flagged) if n_flagged else 0.0


if __name__ == "__main__":
    price = np.array([0.0, 0.25, 3.10, 12.0, 45.0, 1200.0])
    guess = np.array([0.10, 0.40, 2.50, 15.0, 40.0, 950.0])
    for metric in (mae, rmse, r2, mape):
        print(f"{metric.__name__:>5}: {metric(price, guess):.4f}")
    premium, flagged = price >= 40, guess >= 10
    print(f"precision {precision(premium, flagged):.2f}, recall {recall(premium, flagged):.2f}")
