"""Baselines are models too

PokéMarket's first price model is a week away, and someone will ask "is it any good?". The
answer is always relative to a baseline: the dumbest honest guess. Two of them:

- the median: every card gets the median log price of the training sales
  (scikit-learn ships it as `DummyRegressor(strategy="median")`);
- the per-rarity median: every card gets the median log price of its rarity in the training
  sales, and a rarity the training sales never saw gets the overall median.

Write the per-rarity median as a scikit-learn estimator, so that every tool that trains and
scores models (cross-validation, the model zoo of the next exercise) takes it like any other
model: `fit(X, y)` learns from the training rows and returns `self`, `predict(X)` returns one
number per row, the constructor only stores its arguments, and what it learns goes in
attributes ending in `_`.

X is a DataFrame of features with (at least) a `rarity` column of `category` dtype; y is the
log price, `log1p(price_usd)`, so an MAE of 0.3 means "typically roughly 30% off".

Write:

- RarityMedian.fit:     learn `medians_` (median of y per rarity) and `overall_` (median of y);
- RarityMedian.predict: each row's rarity median, `overall_` for a rarity it never saw;
- baseline_scores:      fit both baselines on the training rows and return their MAE on the
                        test rows, as {"median": ..., "rarity_median": ...}.

Done when: both MAEs are exact, the baselines never learn from the test rows, an unseen rarity
gets the overall median, and `cross_val_score` accepts RarityMedian like any estimator.

Stuck? Run `mlings hint`.
"""

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.dummy import DummyRegressor  # noqa: F401 (yours to use)
from sklearn.metrics import mean_absolute_error  # noqa: F401 (yours to use)


class RarityMedian(RegressorMixin, BaseEstimator):
    """Predicts the median target of each rarity seen in training; the overall median otherwise."""

    def __init__(self, column: str = "rarity"):
        self.column = column  # store arguments as they are: scikit-learn's clone() relies on it

    def fit(self, X: pd.DataFrame, y) -> "RarityMedian":
        """Learn medians_ (per value of the column) and overall_ from the training rows."""
        # TODO: group y by X[self.column]; keep the medians in self.medians_ (a dict or a
        # Series) and the median of all of y in self.overall_; return self.
        raise NotImplementedError("RarityMedian.fit: median of y per rarity, and overall")

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """The learned median of each row's rarity; overall_ for a rarity never seen in fit."""
        # TODO: look each row's rarity up in medians_, fall back to overall_. Map plain strings
        # (.astype(str) first): a mapped category column can stay a category column, which
        # refuses a fallback value that is not one of its categories.
        raise NotImplementedError("RarityMedian.predict: look up each rarity, else overall_")


def baseline_scores(
    X_train: pd.DataFrame, y_train, X_test: pd.DataFrame, y_test
) -> dict[str, float]:
    """MAE on the test rows of the median and the per-rarity median, both fitted on train."""
    # TODO: fit DummyRegressor(strategy="median") and RarityMedian() on
    # the training rows; return {"median": ..., "rarity_median": ...}, each the model's mean
    # absolute error on the test rows.
    raise NotImplementedError("baseline_scores: fit on train, MAE on test, for both")


if __name__ == "__main__":
    from pathlib import Path

    data = Path(__file__).resolve().parents[2] / "data"
    sales = pd.read_csv(data / "sales_clean.csv", parse_dates=["sale_date"])
    X = sales[["rarity"]].astype("category")
    y = np.log1p(sales["price_usd"])
    is_train = sales["sale_date"] < "2024-01-01"
    print(baseline_scores(X[is_train], y[is_train], X[~is_train], y[~is_train]))
