"""Checks for 02_features/08_beat_the_baseline: features that make a fixed model clearly better."""

import numpy as np
import pandas as pd
import pytest
from pandas.api.types import is_bool_dtype, is_numeric_dtype
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.metrics import mean_absolute_error
from threadpoolctl import threadpool_limits

from mlings.dataset import make_cards, make_sales

CUTOFF = pd.Timestamp("2023-01-01")
REQUIRED_GAIN = 0.20


@pytest.fixture(scope="module")
def market() -> tuple[pd.DataFrame, pd.DataFrame]:
    """A catalog sample and 3,000 of its sales, 2016 to 2024, indexed by listing id."""
    cards = make_cards(n=1500)
    sales = make_sales(cards, seed=3, n=3000)
    return sales.set_index(sales["listing_id"].rename(None)), cards


def _fit_score(train_x: pd.DataFrame, train_y, valid_x: pd.DataFrame, valid_y) -> float:
    model = HistGradientBoostingRegressor(
        max_iter=50, random_state=0, categorical_features="from_dtype"
    )
    with threadpool_limits(limits=1):
        model.fit(train_x, train_y)
        return float(mean_absolute_error(valid_y, model.predict(valid_x)))


def _features(exercise, sales: pd.DataFrame, cards: pd.DataFrame) -> pd.DataFrame:
    unpriced = sales.drop(columns="price_usd")
    try:
        got = exercise.make_features(unpriced.copy(), cards.copy())
    except KeyError as error:
        if "price_usd" in str(error):
            raise AssertionError(
                "make_features looked for price_usd, but it is given sales without prices: a "
                "listing's features cannot use the price it is about to sell for."
            ) from None
        raise
    assert isinstance(got, pd.DataFrame), (
        f"make_features returned {type(got).__name__}; expected a DataFrame of features."
    )
    assert len(got) == len(sales), (
        f"make_features returned {len(got)} rows for {len(sales)} sales; one row per sale."
    )
    assert got.index.equals(sales.index), (
        "make_features' rows do not carry the sales' index (a merge resets it to 0, 1, 2, ...): "
        "look the cards up with map or reindex, or set the index back, so each row of features "
        "lines up with its sale and its price."
    )
    assert len(got.columns) > 0, "make_features returned no columns."
    for column in got.columns:
        dtype = got[column].dtype
        if isinstance(dtype, pd.CategoricalDtype):
            assert len(dtype.categories) <= 255, (
                f"The category column {column!r} has {len(dtype.categories)} distinct values; "
                "HistGradientBoosting handles at most 255. Describe what it stands for with a "
                "few numbers or a coarser category instead."
            )
            continue
        assert is_numeric_dtype(dtype) or is_bool_dtype(dtype), (
            f"The column {column!r} has the dtype {dtype}, which HistGradientBoosting cannot "
            "use. Text becomes a category (.astype('category')); dates become numbers (a year, "
            "an age in years)."
        )
    return got


@pytest.fixture(scope="module")
def scores(exercise, market) -> tuple[float, float]:
    """(baseline MAE, the learner's MAE) of the fixed model on the validation sales."""
    sales, cards = market
    is_train = (sales["sale_date"] < CUTOFF).to_numpy()
    target = np.log1p(sales["price_usd"])
    rarity = pd.DataFrame({"rarity": sales["rarity"].astype("category")}, index=sales.index)
    baseline = _fit_score(rarity[is_train], target[is_train], rarity[~is_train], target[~is_train])
    train_x = _features(exercise, sales[is_train], cards)
    valid_x = _features(exercise, sales[~is_train], cards)
    assert list(train_x.columns) == list(valid_x.columns), (
        "make_features gave the training and validation sales different columns; the same "
        "columns, in the same order, for any sales."
    )
    yours = _fit_score(train_x, target[is_train], valid_x, target[~is_train])
    return baseline, yours


def test_one_model_ready_row_per_sale(exercise, market):
    """one row per sale, same index, only numbers, booleans and categories (rejects str columns)"""
    sales, cards = market
    _features(exercise, sales.head(200), cards)


def test_beats_the_rarity_baseline(scores):
    """the fixed model's validation error is at least 20% lower than with the rarity alone"""
    baseline, yours = scores
    gain = 1 - yours / baseline
    message = (
        f"With your features the fixed model's validation MAE of log1p(price) is {yours:.3f}; "
        f"with the rarity alone it is {baseline:.3f}: a gain of {gain:.1%}, and at least "
        f"{REQUIRED_GAIN:.0%} is needed."
    )
    if gain > 0:
        message += (
            " Which copy sold helps, but the catalog holds more: the card's age and era, "
            "whether it is a secret rare, and when the sale happened."
        )
    assert gain >= REQUIRED_GAIN, message
