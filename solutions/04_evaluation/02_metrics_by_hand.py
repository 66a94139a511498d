"""Metrics by hand

A metric you cannot compute by hand is a metric you cannot debug. When the dashboard says
R² = -0.3 or MAPE = 10^15 %, you need to know exactly what went into the number. Write
PokéMarket's metrics yourself with numpy, each taking (actual, predicted) in that order, the
way scikit-learn's functions take (y_true, y_pred):

- mae:   the mean absolute error;
- rmse:  the root mean squared error (the square root of the MEAN squared error);
- r2:    1 - (sum of squared errors) / (sum of squared deviations of the ACTUAL values from
         their mean). The order matters: r2(actual, predicted) != r2(predicted, actual);
- mape:  the mean absolute percentage error, as a fraction (0.25 means 25%), like scikit-
         learn. Some sales are logged at $0 (promo giveaways), and dividing by $0 blows the
         metric up to infinity. The guard PokéMarket uses: divide each error by
         max(|actual|, MAPE_FLOOR_USD), so a $0 sale counts its error relative to $1;
- precision and recall of a flag: actual and flagged are booleans (True = positive). When
  the denominator is zero (nothing flagged, or no positives at all), return 0.0.

Done when: each matches scikit-learn (mean_absolute_error, root_mean_squared_error, r2_score,
mean_absolute_percentage_error on sales of $1 and more, precision_score, recall_score), and
MAPE stays finite on $0 sales.

Stuck? Run `mlings hint`.
"""

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
    n_flagged = flagged.sum()
    return float((actual & flagged).sum() / n_flagged) if n_flagged else 0.0


def recall(actual: Sequence[bool], flagged: Sequence[bool]) -> float:
    """Of the actual positives, the share that got flagged (0.0 if there are none)."""
    actual = np.asarray(actual, dtype=bool)
    flagged = np.asarray(flagged, dtype=bool)
    n_positive = actual.sum()
    return float((actual & flagged).sum() / n_positive) if n_positive else 0.0


if __name__ == "__main__":
    price = np.array([0.0, 0.25, 3.10, 12.0, 45.0, 1200.0])
    guess = np.array([0.10, 0.40, 2.50, 15.0, 40.0, 950.0])
    for metric in (mae, rmse, r2, mape):
        print(f"{metric.__name__:>5}: {metric(price, guess):.4f}")
    premium, flagged = price >= 40, guess >= 10
    print(f"precision {precision(premium, flagged):.2f}, recall {recall(premium, flagged):.2f}")
