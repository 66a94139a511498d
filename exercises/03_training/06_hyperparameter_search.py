"""Hyper-parameter search that never sees the test set

A decision tree's `max_depth` and `min_samples_leaf` decide how much it memorises. Rather than
guess them, search: try settings, score each one by cross-validation ON THE TRAINING ROWS, and
keep the best. Three ways to choose what to try:

- grid search: every combination of GRID (`GridSearchCV`);
- random search: N_RANDOM settings drawn from DISTRIBUTIONS (`RandomizedSearchCV`); with the
  same budget it covers wide spaces better than a grid;
- guided (Bayesian-style) search: a sequential model-based search. Score N_INITIAL random
  candidates; then, N_GUIDED times, fit a surrogate model (a Gaussian process, `make_surrogate`)
  that predicts a candidate's CV error from its encoded settings (`encode`), and try next the
  untried candidate with the lowest `mean - KAPPA * std`: promising (low mean) or unexplored
  (high std). It spends its budget where good settings are likely.

Whatever the method, the test set plays no part in choosing: a setting picked because it scored
best on the test rows has been fitted to them, and its test score is no longer an estimate of
anything. The test rows score the final model once, after the choice is made.

X holds numeric features of sales (text columns already turned into codes), as a DataFrame or
an array; y is the log price.

Write:

- grid_search:   the best GRID setting by cross-validated MAE on (X, y) with the splitter cv;
- random_search: the best of N_RANDOM settings drawn from DISTRIBUTIONS with the seed;
- guided_search: the loop above, for any objective (a function from a setting to the score to
                 minimise): returns (best setting, its score), having called the objective
                 exactly n_initial + n_guided times on distinct candidates;
- tune_and_test: choose a setting with one method on the training rows only, scored on the
                 folds `cv` it is given (the time-and-card folds of the training rows, as a
                 list of (train, test) positions: module 3's one validation design), refit
                 make_model(seed) with it on all of them, and return (setting, test MAE).

Done when: replacing the test labels with noise changes the test MAE but never the setting
chosen, nor does changing training rows that are in none of the folds given; and the guided
search finds near-best settings of a test objective with 12 tries.

Stuck? Run `mlings hint`.
"""

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from scipy.stats import randint
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import Matern, WhiteKernel
from sklearn.metrics import mean_absolute_error  # noqa: F401 (yours to use)
from sklearn.model_selection import (
    GridSearchCV,  # noqa: F401 (yours to use)
    ParameterGrid,
    RandomizedSearchCV,  # noqa: F401 (yours to use)
    cross_val_score,
)
from sklearn.tree import DecisionTreeRegressor

Params = dict[str, int]
Folds = list[tuple[np.ndarray, np.ndarray]]  # (training positions, test positions) per fold
Features = pd.DataFrame | np.ndarray  # numeric features, one row per sale
SCORING = "neg_mean_absolute_error"  # scikit-learn maximises scores, so the MAE comes negated
GRID = {"max_depth": [2, 4, 6, 10], "min_samples_leaf": [1, 5, 20]}
DISTRIBUTIONS = {"max_depth": randint(2, 16), "min_samples_leaf": randint(1, 40)}
N_RANDOM = 8
CANDIDATES = list(
    ParameterGrid(
        {"max_depth": list(range(1, 16)), "min_samples_leaf": [1, 2, 3, 5, 8, 12, 20, 30, 50]}
    )
)
N_INITIAL, N_GUIDED = 4, 8
KAPPA = 1.0


def make_model(seed: int = 0) -> DecisionTreeRegressor:
    """The model being tuned."""
    return DecisionTreeRegressor(random_state=seed)


def encode(candidates: Sequence[Params]) -> np.ndarray:
    """Candidates as rows of numbers in [0, 1] (leaf sizes on a log scale), for the surrogate."""
    names = sorted(candidates[0])
    raw = np.array(
        [[np.log(c[n]) if n == "min_samples_leaf" else c[n] for n in names] for c in candidates],
        dtype=float,
    )
    low, high = raw.min(axis=0), raw.max(axis=0)
    return (raw - low) / np.where(high > low, high - low, 1.0)


def make_surrogate() -> GaussianProcessRegressor:
    """A Gaussian process with fixed settings: it predicts a score and its uncertainty."""
    kernel = Matern(length_scale=0.3, length_scale_bounds="fixed", nu=2.5) + WhiteKernel(
        noise_level=1e-4, noise_level_bounds="fixed"
    )
    return GaussianProcessRegressor(kernel=kernel, normalize_y=True)


def cv_mae(params: Params, X: Features, y, cv, seed: int = 0) -> float:
    """Cross-validated MAE of make_model(seed) with these settings, on (X, y) only."""
    model = make_model(seed).set_params(**params)
    return float(-cross_val_score(model, X, y, cv=cv, scoring=SCORING).mean())


def grid_search(X: Features, y, cv, seed: int = 0) -> Params:
    """The GRID setting with the lowest cross-validated MAE on (X, y)."""
    # TODO: GridSearchCV over GRID with scoring=SCORING and cv=cv; return its best_params_.
    raise NotImplementedError("grid_search: GridSearchCV over GRID")


def random_search(X: Features, y, cv, seed: int = 0) -> Params:
    """The best of N_RANDOM settings drawn from DISTRIBUTIONS, by cross-validated MAE."""
    # TODO: RandomizedSearchCV over DISTRIBUTIONS, n_iter=N_RANDOM, random_state=seed.
    raise NotImplementedError("random_search: RandomizedSearchCV over DISTRIBUTIONS")


def guided_search(
    objective: Callable[[Params], float],
    candidates: Sequence[Params],
    n_initial: int = N_INITIAL,
    n_guided: int = N_GUIDED,
    seed: int = 0,
) -> tuple[Params, float]:
    """Sequential model-based search: (the best candidate tried, its objective value)."""
    # TODO:
    # 1. encode the candidates once; with np.random.default_rng(seed), pick n_initial distinct
    #    candidates at random and score each with the objective;
    # 2. n_guided times: fit make_surrogate() on the encoded candidates tried so far and their
    #    scores; predict mean and std (return_std=True) for the untried ones; score the one
    #    with the lowest mean - KAPPA * std;
    # 3. return the best candidate tried and its score.
    raise NotImplementedError("guided_search: random start, then surrogate-guided tries")


def tune_and_test(
    X_train: Features, y_train, X_test: Features, y_test, method: str, cv: Folds, seed: int = 0
) -> tuple[Params, float]:
    """Choose a setting on the training rows' folds cv with method ("grid", "random" or
    "guided"), refit on all training rows, and return (setting, MAE on the test rows)."""
    # TODO: choose the setting with the method, on the folds cv of the training rows (for
    # "guided", the objective is cv_mae on them, over CANDIDATES); refit
    # make_model(seed).set_params(**setting) on all training rows; return the setting and its
    # MAE on the test rows.
    raise NotImplementedError("tune_and_test: choose on train, refit, score on test once")


if __name__ == "__main__":
    from pathlib import Path

    from mlings.folds import even_cutoffs, time_card_folds

    data = Path(__file__).resolve().parents[2] / "data"
    sales = pd.read_csv(data / "sales_clean.csv", parse_dates=["sale_date"]).sample(
        3000, random_state=0
    )
    sales = sales.reset_index(drop=True)
    X = pd.DataFrame({"psa_grade": sales["psa_grade"], "year": sales["sale_date"].dt.year})
    for column in ("rarity", "variant", "condition", "platform"):
        X[column] = sales[column].astype("category").cat.codes
    y = np.log1p(sales["price_usd"])
    is_test = sales["sale_date"] >= "2024-01-01"
    train = sales[~is_test]  # the folds: positions into the training rows, cut by time and card
    folds = time_card_folds(train, even_cutoffs(train["sale_date"], 3), share=0.2, gap_days=14)
    for method in ("grid", "random", "guided"):
        print(
            method, tune_and_test(X[~is_test], y[~is_test], X[is_test], y[is_test], method, folds)
        )
