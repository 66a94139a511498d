"""Checks for 03_training/01_baseline_models: the median and per-rarity median as estimators."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.metrics import mean_absolute_error
from sklearn.model_selection import KFold, cross_val_score

from mlings.dataset import make_cards, make_sales

CATALOG = make_cards(n=600)  # a sample of the catalog: quick to sell from
NEW_RARITY = "Mega Hyper Rare"  # first printed in 2025: never in the training sales


def pokemarket(sales: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Features (text columns as category) and log1p(price) of some PokéMarket sales."""
    info = CATALOG.set_index("card_id")[["series"]]
    sales = sales.join(info, on="card_id")
    X = pd.DataFrame(
        {
            "rarity": sales["rarity"].astype("category"),
            "series": sales["series"].astype("category"),
            "psa_grade": sales["psa_grade"],
        },
        index=sales.index,
    )
    return X, np.log1p(sales["price_usd"]).rename("log_price")


@pytest.fixture(scope="module")
def split():
    """Training sales (2021-2024) in no particular order, and later test sales (2025)."""
    train = make_sales(CATALOG, seed=31, n=600, start="2021-01-01", end="2024-12-31")
    train = train.sample(frac=1.0, random_state=1)
    train.index = np.arange(1000, 1000 + len(train))  # an index that is not 0..n-1
    test = make_sales(CATALOG, seed=[31, 9], n=300, start="2025-01-01", end="2025-06-30")
    return (*pokemarket(train), *pokemarket(test))


def reference_rarity_mae(X_train, y_train, X_test, y_test) -> float:
    medians = pd.Series(np.asarray(y_train), index=X_train.index).groupby(
        X_train["rarity"].astype(str)
    )
    predicted = (
        X_test["rarity"]
        .astype(str)
        .map(medians.median().to_dict())
        .fillna(float(np.median(y_train)))
    )
    return float(mean_absolute_error(y_test, predicted))


def scores_of(exercise, *data) -> dict[str, float]:
    scores = exercise.baseline_scores(*data)
    assert isinstance(scores, dict) and {"median", "rarity_median"} <= scores.keys(), (
        f"baseline_scores returned {scores!r}; expected a dict with the keys 'median' and "
        "'rarity_median'."
    )
    return {name: float(scores[name]) for name in ("median", "rarity_median")}


class RarityMedianReference:
    """The check's own per-column median, to compare with."""

    def __init__(self, column):
        self.column = column

    def fit(self, X, y):
        target = pd.Series(np.asarray(y), index=X.index)
        self.medians = target.groupby(X[self.column].astype(str)).median().to_dict()
        self.overall = float(target.median())
        return self

    def predict(self, X):
        return X[self.column].astype(str).map(self.medians).fillna(self.overall).to_numpy()


def test_learns_the_median_of_each_rarity(exercise, split):
    """fit learns medians_ per rarity and overall_ from the training rows (rejects the mean)"""
    X_train, y_train, _, _ = split
    model = exercise.RarityMedian()
    fitted = model.fit(X_train, y_train)
    assert fitted is model, "RarityMedian.fit must return self (scikit-learn's convention)."
    got = {str(k): float(v) for k, v in dict(model.medians_).items()}
    target = pd.Series(np.asarray(y_train), index=X_train.index)
    groups = target.groupby(X_train["rarity"].astype(str))
    medians, means = groups.median().to_dict(), groups.mean().to_dict()
    assert set(got) == set(medians), (
        f"medians_ has the rarities {sorted(got)}; expected one entry for each rarity in the "
        f"training rows: {sorted(medians)}."
    )
    for rarity, median in medians.items():
        message = f"medians_[{rarity!r}] is {got[rarity]:.4f}; the median of its y is {median:.4f}."
        if got[rarity] == pytest.approx(means[rarity]):
            message += " That is the mean; the baseline is the median."
        assert got[rarity] == pytest.approx(median), message
    assert float(model.overall_) == pytest.approx(float(np.median(y_train))), (
        f"overall_ is {model.overall_!r}; expected the median of y_train, "
        f"{float(np.median(y_train)):.4f}."
    )


def test_unseen_rarity_gets_the_overall_median(exercise, split):
    """predict gives each row its rarity's median, and overall_ for a rarity never seen"""
    X_train, y_train, _, _ = split
    model = exercise.RarityMedian().fit(X_train, y_train)
    known = list(X_train["rarity"].astype(str).unique()[:3])
    rows = pd.DataFrame(
        {"rarity": pd.Categorical([known[0], NEW_RARITY, known[1], known[2], NEW_RARITY])},
        index=[7, 3, 11, 0, 5],
    )
    got = np.asarray(model.predict(rows), dtype=float)
    expected = [model.medians_[known[0]], model.overall_, model.medians_[known[1]]]
    expected += [model.medians_[known[2]], model.overall_]
    assert got.shape == (5,), f"predict returned shape {got.shape} for 5 rows; expected (5,)."
    assert not np.isnan(got).any(), (
        f"predict returned NaN for the rarity {NEW_RARITY!r}, which the training rows never had; "
        "give it overall_, the median of all training rows."
    )
    assert np.allclose(got, expected), (
        f"predict gave {np.round(got, 4).tolist()}; expected {np.round(expected, 4).tolist()}: "
        "each row's rarity median, in row order, and overall_ for an unseen rarity."
    )


def test_median_baseline_mae_is_exact(exercise, split):
    """scores the median baseline exactly: the median of train, MAE on test (rejects the mean)"""
    _, y_train, _, y_test = split
    got = scores_of(exercise, *split)["median"]
    expected = mean_absolute_error(y_test, np.full(len(y_test), np.median(y_train)))
    with_mean = mean_absolute_error(y_test, np.full(len(y_test), np.mean(y_train)))
    on_test = mean_absolute_error(y_test, np.full(len(y_test), np.median(y_test)))
    message = (
        f"baseline_scores gave the median baseline an MAE of {got:.6f}; expected {expected:.6f}."
    )
    if got == pytest.approx(with_mean):
        message += " That is the MAE of the mean: the baseline is the median of y_train."
    elif got == pytest.approx(on_test):
        message += " That median came from the test rows: fit on the training rows only."
    assert got == pytest.approx(expected, abs=1e-9), message


def test_rarity_baseline_mae_is_exact(exercise, split):
    """scores the per-rarity median exactly, rarities unseen in training at the overall median"""
    expected = reference_rarity_mae(*split)
    got = scores_of(exercise, *split)["rarity_median"]
    assert got == pytest.approx(expected, abs=1e-9), (
        f"baseline_scores gave the per-rarity median an MAE of {got:.6f}; expected "
        f"{expected:.6f}: fit RarityMedian on the training rows, predict every test row "
        "(unseen rarities get the overall median), and take the mean absolute error."
    )


def test_never_learns_from_the_test_rows(exercise, split):
    """the test labels only score the baselines: noise in them never moves the fit"""
    X_train, y_train, X_test, y_test = split
    noise = pd.Series(
        np.random.default_rng(5).permutation(y_test.to_numpy()) + 3.0, index=y_test.index
    )
    got = scores_of(exercise, X_train, y_train, X_test, noise)
    expected_rarity = reference_rarity_mae(X_train, y_train, X_test, noise)
    expected_median = mean_absolute_error(noise, np.full(len(noise), np.median(y_train)))
    assert got["median"] == pytest.approx(expected_median, abs=1e-9) and got[
        "rarity_median"
    ] == pytest.approx(expected_rarity, abs=1e-9), (
        "With noisy test labels the MAEs should be "
        f"{expected_median:.4f} (median) and {expected_rarity:.4f} (per rarity), but "
        f"baseline_scores gave {got['median']:.4f} and {got['rarity_median']:.4f}. Fit both "
        "baselines on X_train and y_train only; the test labels are only for scoring."
    )


def test_works_like_any_scikit_learn_estimator(exercise, split):
    """clone() and cross_val_score take RarityMedian like any estimator"""
    X_train, y_train, _, _ = split
    model = exercise.RarityMedian(column="series")
    try:
        copy = clone(model)
    except Exception as error:
        raise AssertionError(
            f"sklearn's clone(RarityMedian(column='series')) failed ({error}); __init__ must "
            "store each argument under its own name and do nothing else."
        ) from None
    assert copy.get_params().get("column") == "series", (
        "clone(RarityMedian(column='series')) lost the column argument; __init__ must store "
        "it as self.column."
    )
    assert not hasattr(exercise.RarityMedian(), "medians_"), (
        "A new RarityMedian already has medians_: learn it in fit, not in __init__."
    )
    model.fit(X_train, y_train)
    scores = cross_val_score(
        model, X_train, y_train, cv=KFold(3), scoring="neg_mean_absolute_error", error_score="raise"
    )
    assert np.isfinite(scores).all(), (
        f"cross_val_score of RarityMedian(column='series') gave "
        f"{np.round(scores, 4).tolist()}; expected three finite scores."
    )
    by_series = RarityMedianReference("series").fit(X_train, y_train)
    mine = exercise.RarityMedian(column="series").fit(X_train, y_train)
    assert np.allclose(mine.predict(X_train), by_series.predict(X_train)), (
        "RarityMedian(column='series') did not group by the series column: use self.column, "
        "not a hard-coded 'rarity'."
    )
