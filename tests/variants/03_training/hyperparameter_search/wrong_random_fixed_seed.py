"""WRONG: the random search always draws with random_state=0, whatever the seed."""

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from scipy.stats import randint
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import Matern, WhiteKernel
from sklearn.metrics import mean_absolute_error
from sklearn.model_selection import (
    GridSearchCV,
    ParameterGrid,
    RandomizedSearchCV,
    cross_val_score,
)
from sklearn.tree import DecisionTreeRegressor

Params = dict[str, int]
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
    search = GridSearchCV(make_model(seed), GRID, scoring=SCORING, cv=cv)
    return search.fit(X, y).best_params_


def random_search(X: Features, y, cv, seed: int = 0) -> Params:
    """The best of N_RANDOM settings drawn from DISTRIBUTIONS, by cross-validated MAE."""
    search = RandomizedSearchCV(
        make_model(seed), DISTRIBUTIONS, n_iter=N_RANDOM, scoring=SCORING, cv=cv, random_state=0
    )
    return search.fit(X, y).best_params_


def guided_search(
    objective: Callable[[Params], float],
    candidates: Sequence[Params],
    n_initial: int = N_INITIAL,
    n_guided: int = N_GUIDED,
    seed: int = 0,
) -> tuple[Params, float]:
    """Sequential model-based search: (the best candidate tried, its objective value)."""
    rng = np.random.default_rng(seed)
    encoded = encode(candidates)
    tried = [int(i) for i in rng.choice(len(candidates), size=n_initial, replace=False)]
    scores = [objective(candidates[i]) for i in tried]
    for _ in range(n_guided):
        surrogate = make_surrogate().fit(encoded[tried], scores)
        untried = [i for i in range(len(candidates)) if i not in tried]
        mean, std = surrogate.predict(encoded[untried], return_std=True)
        chosen = untried[int(np.argmin(mean - KAPPA * std))]
        tried.append(chosen)
        scores.append(objective(candidates[chosen]))
    best = int(np.argmin(scores))
    return candidates[tried[best]], scores[best]


def tune_and_test(
    X_train: Features, y_train, X_test: Features, y_test, method: str, cv: list, seed: int = 0
) -> tuple[Params, float]:
    """Choose a setting on the training rows with method ("grid", "random" or "guided"), refit
    on all training rows, and return (setting, MAE on the test rows)."""
    if method == "grid":
        params = grid_search(X_train, y_train, cv, seed)
    elif method == "random":
        params = random_search(X_train, y_train, cv, seed)
    elif method == "guided":
        params, _ = guided_search(
            lambda p: cv_mae(p, X_train, y_train, cv, seed), CANDIDATES, seed=seed
        )
    else:
        raise ValueError(f"unknown method {method!r}: use 'grid', 'random' or 'guided'")
    model = make_model(seed).set_params(**params).fit(X_train, y_train)
    return params, float(mean_absolute_error(y_test, model.predict(X_test)))


if __name__ == "__main__":
    from pathlib import Path

    data = Path(__file__).resolve().parents[2] / "data"
    sales = pd.read_csv(data / "sales_clean.csv", parse_dates=["sale_date"]).sample(
        3000, random_state=0
    )
    X = pd.DataFrame({"psa_grade": sales["psa_grade"], "year": sales["sale_date"].dt.year})
    for column in ("rarity", "variant", "condition", "platform"):
        X[column] = sales[column].astype("category").cat.codes
    y = np.log1p(sales["price_usd"])
    is_test = sales["sale_date"] >= "2024-01-01"
    for method in ("grid", "random", "guided"):
        print(method, tune_and_test(X[~is_test], y[~is_test], X[is_test], y[is_test], method))
