"""ALTERNATIVE: hand-written grid and random searches (ParameterGrid, ParameterSampler), and a
guided search with expected improvement instead of a lower confidence bound."""

import numpy as np
from scipy.stats import norm, randint
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import Matern, WhiteKernel
from sklearn.model_selection import ParameterGrid, ParameterSampler, cross_val_score
from sklearn.tree import DecisionTreeRegressor

SCORING = "neg_mean_absolute_error"
GRID = {"max_depth": [2, 4, 6, 10], "min_samples_leaf": [1, 5, 20]}
DISTRIBUTIONS = {"max_depth": randint(2, 16), "min_samples_leaf": randint(1, 40)}
N_RANDOM = 8
CANDIDATES = list(
    ParameterGrid(
        {"max_depth": list(range(1, 16)), "min_samples_leaf": [1, 2, 3, 5, 8, 12, 20, 30, 50]}
    )
)
N_INITIAL, N_GUIDED = 4, 8


def make_model(seed=0):
    """The model being tuned."""
    return DecisionTreeRegressor(random_state=seed)


def encode(candidates):
    """Candidates as rows of numbers in [0, 1] (leaf sizes on a log scale)."""
    depth = np.array([c["max_depth"] for c in candidates], dtype=float)
    leaf = np.log([c["min_samples_leaf"] for c in candidates])
    raw = np.column_stack([depth, leaf])
    span = np.ptp(raw, axis=0)
    return (raw - raw.min(axis=0)) / np.where(span > 0, span, 1.0)


def make_surrogate():
    """A Gaussian process with fixed settings."""
    kernel = Matern(length_scale=0.3, length_scale_bounds="fixed", nu=2.5) + WhiteKernel(
        noise_level=1e-4, noise_level_bounds="fixed"
    )
    return GaussianProcessRegressor(kernel=kernel, normalize_y=True)


def cv_mae(params, X, y, cv, seed=0):
    """Cross-validated MAE of make_model(seed) with these settings."""
    model = make_model(seed).set_params(**params)
    return float(-cross_val_score(model, X, y, cv=cv, scoring=SCORING).mean())


def _best(settings, X, y, cv, seed):
    maes = [cv_mae(params, X, y, cv, seed) for params in settings]
    return settings[int(np.argmin(maes))]


def grid_search(X, y, cv, seed=0):
    """The GRID setting with the lowest cross-validated MAE."""
    return _best(list(ParameterGrid(GRID)), X, y, cv, seed)


def random_search(X, y, cv, seed=0):
    """The best of N_RANDOM settings drawn from DISTRIBUTIONS."""
    settings = list(ParameterSampler(DISTRIBUTIONS, n_iter=N_RANDOM, random_state=seed))
    return _best(settings, X, y, cv, seed)


def guided_search(objective, candidates, n_initial=N_INITIAL, n_guided=N_GUIDED, seed=0):
    """Sequential model-based search with expected improvement."""
    encoded = encode(candidates)
    order = np.random.default_rng(seed).permutation(len(candidates))
    tried = list(order[:n_initial])
    scores = [objective(candidates[i]) for i in tried]
    while len(tried) < n_initial + n_guided:
        surrogate = make_surrogate().fit(encoded[tried], scores)
        mask = np.ones(len(candidates), dtype=bool)
        mask[tried] = False
        untried = np.flatnonzero(mask)
        mean, std = surrogate.predict(encoded[untried], return_std=True)
        gain = min(scores) - mean
        z = gain / np.maximum(std, 1e-12)
        improvement = gain * norm.cdf(z) + std * norm.pdf(z)
        chosen = untried[int(np.argmax(improvement))]
        tried.append(chosen)
        scores.append(objective(candidates[chosen]))
    best = int(np.argmin(scores))
    return candidates[tried[best]], scores[best]


def tune_and_test(X_train, y_train, X_test, y_test, method, cv, seed=0):
    """Choose on the training rows, refit on them, score the test rows once."""
    choosers = {
        "grid": lambda: grid_search(X_train, y_train, cv, seed),
        "random": lambda: random_search(X_train, y_train, cv, seed),
        "guided": lambda: guided_search(
            lambda p: cv_mae(p, X_train, y_train, cv, seed), CANDIDATES, seed=seed
        )[0],
    }
    params = choosers[method]()
    model = make_model(seed).set_params(**params).fit(X_train, y_train)
    return params, float(np.mean(np.abs(np.asarray(y_test) - model.predict(X_test))))
