"""Checks for 03_training/07_nested_cv: the reported score comes from the outer folds (time-and-card
folds, outer and inner)."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import Ridge
from sklearn.metrics import r2_score
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.tree import DecisionTreeRegressor

from mlings.dataset import make_cards, make_sales
from mlings.folds import TimeCardSplit

CATALOG = make_cards(n=600)  # a sample of the catalog: quick to sell from
GRID = {"max_depth": [2, 4, 8], "min_samples_leaf": [1, 10]}
NOISE_INNER = KFold(3, shuffle=True, random_state=1)
NOISE_GRID = {"alpha": [0.01, 0.1, 1.0, 10.0, 100.0, 1000.0]}
NOISE_OUTER = KFold(3, shuffle=True, random_state=2)


def pokemarket(sales: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """Numeric features (text columns as codes, -1 when missing) on the sales' index, and
    log1p(price)."""
    sales = sales.join(CATALOG.set_index("card_id")[["series", "release_date"]], on="card_id")
    columns = [pd.Categorical(sales[c]).codes for c in ("rarity", "variant", "condition", "series")]
    columns += [
        sales["psa_grade"].fillna(0).to_numpy(),
        (sales["sale_date"] - sales["release_date"]).dt.days.to_numpy() / 365.25,
    ]
    X = pd.DataFrame(np.column_stack(columns).astype(float), index=sales.index)
    return X, np.log1p(sales["price_usd"].to_numpy())


SALES = make_sales(CATALOG, seed=71, n=700, start="2019-01-01", end="2024-12-31")
SALES.index = np.arange(7000, 7000 + len(SALES))  # labels, not positions
INNER = TimeCardSplit(SALES, n_splits=3, share=0.3, seed=1)
OUTER = TimeCardSplit(SALES, n_splits=3, share=0.3, seed=2)


@pytest.fixture(scope="module")
def data():
    return pokemarket(SALES)


@pytest.fixture(scope="module")
def reference(data):
    """The check's own nested cross-validation: (outer scores, chosen settings, inner best)."""
    X, y = data
    scores, chosen, best = [], [], []
    for train, test in OUTER.split(X, y):
        search = GridSearchCV(DecisionTreeRegressor(random_state=0), GRID, cv=INNER)
        search.fit(X.iloc[train], y[train])
        scores.append(r2_score(y[test], search.predict(X.iloc[test])))
        chosen.append(search.best_params_)
        best.append(search.best_score_)
    return np.array(scores), chosen, best


@pytest.fixture(scope="module")
def result(exercise, data):
    X, y = data
    return exercise.nested_cv(DecisionTreeRegressor(random_state=0), GRID, X, y, INNER, OUTER)


def outer_scores(result) -> np.ndarray:
    return np.asarray(list(result.outer_scores), dtype=float)


def test_reports_the_outer_fold_scores(exercise, result, reference):
    """the outer scores are the tuned model's R² on each outer test fold (rejects best_score_)"""
    expected, _, inner_best = reference
    got = outer_scores(result)
    message = (
        f"outer_scores are {np.round(got, 4).tolist()}; expected the R² of each outer "
        f"fold's tuned model on that fold's test rows: {np.round(expected, 4).tolist()}."
    )
    if got.shape == expected.shape and np.allclose(got, inner_best):
        message += (
            " Yours are the inner searches' best_score_: the score of the setting that looked "
            "best on the very folds it was chosen on. Score the search on the outer test rows."
        )
    assert got.shape == expected.shape, (
        f"outer_scores has {got.size} scores; the outer splitter has {OUTER.get_n_splits()} "
        "folds, so expected one per outer fold."
    )
    assert np.allclose(got, expected), message
    assert result.score == pytest.approx(expected.mean()), (
        f"result.score is {result.score!r}; the report is the mean of the outer scores, "
        f"{expected.mean():.4f}."
    )


def test_searches_again_in_every_outer_fold(exercise, result, reference):
    """each outer fold runs its own search on its own training rows (rejects tuning once)"""
    _, expected, _ = reference
    got = [dict(c) for c in result.chosen]
    assert got == expected, (
        f"The settings chosen per outer fold are {got}; searching each outer fold's training "
        f"rows gives {expected}. Run a fresh GridSearchCV inside every outer fold, on that "
        "fold's training rows only, not once on all the rows."
    )


def test_outer_test_rows_never_reach_the_search(exercise, data):
    """wild labels on one outer test fold leave that fold's search untouched"""
    X, y = data
    (train, test), *_ = OUTER.split(X, y)
    wild = y.copy()
    wild[test] = wild[test] * 5 + 40
    got = exercise.nested_cv(DecisionTreeRegressor(random_state=0), GRID, X, wild, INNER, OUTER)
    search = GridSearchCV(DecisionTreeRegressor(random_state=0), GRID, cv=INNER)
    search.fit(X.iloc[train], y[train])
    assert dict(got.chosen[0]) == search.best_params_, (
        "Changing only the labels of the first outer fold's test rows changed the setting "
        "chosen for that fold: its search saw its test rows. Fit the search on the outer "
        "training rows only."
    )
    expected = r2_score(wild[test], search.predict(X.iloc[test]))
    first = float(outer_scores(got)[0])
    assert first == pytest.approx(expected), (
        f"The first outer fold scored {first:.4f}; its search, "
        f"fitted on its training rows, scores {expected:.4f} on its test rows."
    )


def test_is_honest_on_a_noise_target(exercise):
    """on a target that is pure noise the reported R² is not above zero"""
    rng = np.random.default_rng(0)
    X, y = pd.DataFrame(rng.normal(size=(90, 20))), rng.normal(size=90)
    got = exercise.nested_cv(Ridge(), NOISE_GRID, X, y, NOISE_INNER, NOISE_OUTER)
    optimistic = GridSearchCV(Ridge(), NOISE_GRID, cv=NOISE_INNER).fit(X, y).best_score_
    assert got.score <= 0.0, (
        f"On a noise target (nothing to learn) nested_cv reported R² {got.score:.3f}; an "
        "honest estimate is at or below 0 here (a single search's best_score_ says "
        f"{optimistic:.3f}). Report the mean of the outer-fold scores."
    )


def test_uses_the_scoring_it_is_given(exercise, data):
    """the searches and the outer scores use the scoring argument (rejects a hard-coded R²)"""
    X, y = data
    got = exercise.nested_cv(
        DecisionTreeRegressor(random_state=0), GRID, X, y, INNER, OUTER, "neg_mean_absolute_error"
    )
    expected, chosen = [], []
    for train, test in OUTER.split(X, y):
        search = GridSearchCV(
            DecisionTreeRegressor(random_state=0), GRID, cv=INNER, scoring="neg_mean_absolute_error"
        ).fit(X.iloc[train], y[train])
        expected.append(-np.mean(np.abs(y[test] - search.predict(X.iloc[test]))))
        chosen.append(search.best_params_)
    scores = outer_scores(got)
    assert scores.shape == (len(expected),) and np.allclose(scores, expected), (
        f"With scoring='neg_mean_absolute_error' the outer scores are "
        f"{np.round(scores, 4).tolist()}; expected {np.round(expected, 4).tolist()} (minus each "
        "outer fold's MAE). Pass scoring to GridSearchCV and score the outer folds with "
        "get_scorer(scoring)."
    )
    assert [dict(c) for c in got.chosen] == chosen, (
        f"With scoring='neg_mean_absolute_error' the searches chose {got.chosen}; searching by "
        f"that scoring gives {chosen}. Pass scoring to each GridSearchCV too."
    )
