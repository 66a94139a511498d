"""WRONG: honest_cv_r2 always selects 20 features, whatever k it is given."""

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
    return float(cross_val_score(build_model(), X, y, cv=folds, scoring="r2").mean())


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
