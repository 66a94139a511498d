"""Checks for 02_features/07_selection_inside_cv: select features inside each training fold."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.feature_selection import SelectKBest, f_regression
from sklearn.linear_model import Ridge
from sklearn.model_selection import KFold, cross_val_score
from sklearn.pipeline import Pipeline

from mlings.dataset import make_cards, make_sales

N_LISTINGS, N_SIGNALS = 100, 2000
TRUE_SIGNALS = [3, 77, 500, 1200, 1999]


@pytest.fixture(scope="module")
def log_price() -> np.ndarray:
    """The log prices of 100 listings."""
    sales = make_sales(make_cards(n=300), seed=9, n=N_LISTINGS)
    return np.log1p(sales["price_usd"].to_numpy())


@pytest.fixture(scope="module")
def noise() -> np.ndarray:
    """2,000 signals of pure noise for each of the 100 listings."""
    return np.random.default_rng(9).normal(size=(N_LISTINGS, N_SIGNALS))


@pytest.fixture(scope="module")
def signal(noise, log_price) -> tuple[np.ndarray, np.ndarray]:
    """The same 2,000 columns, and a target that 5 of them really drive."""
    rng = np.random.default_rng(10)
    weights = np.array([1.0, -0.8, 0.6, 0.9, -0.7]) * log_price.std()
    target = noise[:, TRUE_SIGNALS] @ weights + log_price.mean()
    return noise, target + 0.3 * log_price.std() * rng.normal(size=N_LISTINGS)


def _leaky(X: np.ndarray, y: np.ndarray, k: int = 20) -> float:
    kept = SelectKBest(f_regression, k=k).fit_transform(X, y)
    folds = KFold(n_splits=5, shuffle=True, random_state=0)
    return float(cross_val_score(Ridge(), kept, y, cv=folds).mean())


def _score(exercise, X: np.ndarray, y: np.ndarray) -> float:
    got = exercise.honest_cv_r2(X.copy(), y.copy(), 20)
    assert np.ndim(got) == 0 and np.isfinite(float(got)), (
        f"honest_cv_r2 returned {got!r}; expected one number: the mean R² over the 5 folds."
    )
    return float(got)


def _model(exercise, k: int = 20):
    model = exercise.build_model(k)
    assert isinstance(model, Pipeline), (
        f"build_model returned {type(model).__name__}; expected a scikit-learn Pipeline "
        "(make_pipeline(SelectKBest(...), Ridge()))."
    )
    return model


def test_honest_cv_says_noise_is_noise(exercise, noise, log_price):
    """on 2,000 noise columns honest_cv_r2 is at most 0 (rejects selecting features before CV)"""
    got = _score(exercise, noise, log_price)
    message = (
        f"On 2,000 columns of pure noise, honest_cv_r2 gave R² = {got:+.3f}; nothing in them "
        "predicts the price, so honest cross-validation gives at most 0."
    )
    leaky = _leaky(noise, log_price)
    if abs(got - leaky) < 0.05:
        message += (
            f" (Selecting 20 columns on all rows, then cross-validating, gives {leaky:+.2f} "
            "here.) The features were selected on all the rows, so every validation fold had "
            "already voted on the columns it is scored with. Cross-validate the whole Pipeline, "
            "so the selection is refitted on each training fold only."
        )
    elif got > 0:
        message += (
            " Score each fold on rows that neither the selection nor the ridge saw while "
            "fitting: cross-validate the whole Pipeline (cross_val_score does that)."
        )
    assert got <= 0, message


def test_pipeline_selects_inside_each_fold(exercise, noise, log_price):
    """build_model's Pipeline, cross-validated by the check on noise, scores at most 0"""
    model = _model(exercise)
    folds = KFold(n_splits=5, shuffle=True, random_state=1)
    got = float(cross_val_score(clone(model), noise, log_price, cv=folds).mean())
    assert got <= 0, (
        f"Cross-validating your build_model() on 2,000 noise columns gave R² = {got:+.3f}; an "
        "honest model of noise scores at most 0. Does it hold data or a preselection it was "
        "given? build_model must return a fresh, unfitted Pipeline."
    )


def test_pipeline_keeps_k_features(exercise, signal):
    """build_model(k) keeps k features, then fits the ridge on them"""
    X, y = signal
    for k in (20, 5):
        model = clone(_model(exercise, k)).fit(X, y)
        assert len(model.steps) >= 2, (
            f"build_model({k}) has no step before the regression; put SelectKBest(f_regression, "
            "k=k) first."
        )
        kept = model[:-1].transform(X[:3])
        assert kept.shape[1] == k, (
            f"build_model({k}) keeps {kept.shape[1]} of the {N_SIGNALS} columns before the "
            f"regression; expected {k}: SelectKBest(f_regression, k=k) as the first step."
        )


def test_honest_cv_finds_a_real_signal(exercise, signal):
    """when 5 of the 2,000 columns really drive the price, honest_cv_r2 finds them"""
    X, y = signal
    got = _score(exercise, X, y)
    assert got > 0.6, (
        f"When 5 of the 2,000 columns really drive the target, honest_cv_r2 gave only "
        f"R² = {got:+.3f} (an honest Pipeline of SelectKBest and Ridge scores about 0.9). With "
        "100 rows, a ridge on all 2,000 columns drowns the 5 real ones: select inside the "
        "Pipeline, cross-validate the whole Pipeline, and return the mean R² of the folds."
    )


def test_honest_cv_uses_its_k(exercise, signal):
    """honest_cv_r2 selects as many features as its k says (rejects a fixed k)"""
    X, y = signal
    one = float(exercise.honest_cv_r2(X.copy(), y.copy(), 1))
    many = _score(exercise, X, y)
    assert one < many - 0.3, (
        f"honest_cv_r2 gave R² = {one:+.3f} with k=1 and {many:+.3f} with k=20, on a target "
        "that 5 columns drive: one kept column cannot explain it. Pass k on to build_model(k)."
    )
