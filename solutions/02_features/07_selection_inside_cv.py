"""Feature selection inside cross-validation

A data vendor offers PokéMarket 2,000 "market signals" per listing (keyword flags from listing
titles, social-media mention counts, search trends) and sends a trial file of 100 listings.
A colleague keeps the 20 signals most correlated with the log price, then cross-validates a
ridge regression on those 20: R² = 0.4. Worth buying?

Not so fast. With 2,000 columns and 100 rows, some columns correlate with the price by pure
chance, and the selection picked exactly those using every row, including the rows each fold
later scores. The validation folds already voted on which columns to keep. Selection learns
from the target, so it is part of the model: it must be refitted inside every training fold,
on that fold's rows only, like the model itself. Put it in a Pipeline and cross-validate the
whole Pipeline. On pure noise, honest cross-validation then says R² ≤ 0: nothing to buy.

Write:

- build_model(k=20): an unfitted scikit-learn Pipeline that keeps the k features with the best
  univariate score against the target (SelectKBest with f_regression) and fits a Ridge
  regression on them;
- honest_cv_r2(X, y, k=20): the mean R² over 5-fold cross-validation (shuffled folds) in which
  the selection is fitted inside every training fold.

Done when: on 2,000 columns of pure noise your cross-validated R² is at most 0 (selecting on
all rows first gives about +0.4), and on data with a real signal among the noise it finds it.

Stuck? Run `mlings hint`.
"""

import numpy as np
from sklearn.feature_selection import SelectKBest, f_regression
from sklearn.linear_model import Ridge
from sklearn.model_selection import KFold, cross_val_score
from sklearn.pipeline import Pipeline, make_pipeline


def build_model(k: int = 20) -> Pipeline:
    """An unfitted Pipeline: SelectKBest(f_regression, k) then Ridge."""
    return make_pipeline(SelectKBest(f_regression, k=k), Ridge())


def honest_cv_r2(X: np.ndarray, y: np.ndarray, k: int = 20) -> float:
    """Mean R² of 5-fold cross-validation with the selection refitted in every training fold."""
    folds = KFold(n_splits=5, shuffle=True, random_state=0)
    return float(cross_val_score(build_model(k), X, y, cv=folds, scoring="r2").mean())


def leaky_cv_r2(X: np.ndarray, y: np.ndarray, k: int = 20) -> float:
    """Your colleague's number, for comparison: select on all rows, then cross-validate."""
    kept = SelectKBest(f_regression, k=k).fit_transform(X, y)
    folds = KFold(n_splits=5, shuffle=True, random_state=0)
    return float(cross_val_score(Ridge(), kept, y, cv=folds, scoring="r2").mean())


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    signals = rng.normal(size=(100, 2000))  # the vendor's trial file: pure noise
    log_price = rng.normal(size=100)
    print(f"selected before CV: R² = {leaky_cv_r2(signals, log_price):+.2f}")
    print(f"selected inside CV: R² = {honest_cv_r2(signals, log_price):+.2f}")
