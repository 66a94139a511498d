"""WRONG: the mean per rarity and a mean baseline (prices are skewed: use the median)."""

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.dummy import DummyRegressor
from sklearn.metrics import mean_absolute_error


class RarityMedian(RegressorMixin, BaseEstimator):
    """Predicts the median target of each rarity seen in training; the overall median otherwise."""

    def __init__(self, column: str = "rarity"):
        self.column = column  # store arguments as they are: scikit-learn's clone() relies on it

    def fit(self, X: pd.DataFrame, y) -> "RarityMedian":
        """Learn medians_ (per value of the column) and overall_ from the training rows."""
        target = pd.Series(np.asarray(y, dtype=float), index=X.index)
        groups = X[self.column].astype(str)
        self.medians_ = target.groupby(groups).mean().to_dict()
        self.overall_ = float(target.median())
        return self

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """The learned median of each row's rarity; overall_ for a rarity never seen in fit."""
        # astype(str) first: mapping a category column gives a category column, where the
        # fallback value would not be an allowed category.
        prices = X[self.column].astype(str).map(self.medians_).fillna(self.overall_)
        return prices.to_numpy(dtype=float)


def baseline_scores(
    X_train: pd.DataFrame, y_train, X_test: pd.DataFrame, y_test
) -> dict[str, float]:
    """MAE on the test rows of the median and the per-rarity median, both fitted on train."""
    baselines = {
        "median": DummyRegressor(strategy="mean"),
        "rarity_median": RarityMedian(),
    }
    scores = {}
    for name, model in baselines.items():
        model.fit(X_train, y_train)
        scores[name] = float(mean_absolute_error(y_test, model.predict(X_test)))
    return scores


if __name__ == "__main__":
    from pathlib import Path

    data = Path(__file__).resolve().parents[2] / "data"
    sales = pd.read_csv(data / "sales_clean.csv", parse_dates=["sale_date"])
    X = sales[["rarity"]].astype("category")
    y = np.log1p(sales["price_usd"])
    is_train = sales["sale_date"] < "2024-01-01"
    print(baseline_scores(X[is_train], y[is_train], X[~is_train], y[~is_train]))
