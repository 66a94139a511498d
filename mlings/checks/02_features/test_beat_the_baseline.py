"""Checks for 02_features/08_beat_the_baseline: features that make a fixed model clearly better."""

import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pandas.api.types import is_bool_dtype, is_numeric_dtype
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.metrics import mean_absolute_error
from threadpoolctl import threadpool_limits

from mlings.dataset import make_cards, make_sales
from mlings.folds import time_card_folds

CUTOFF = pd.Timestamp("2023-01-01")
HELD_OUT_SHARE = 0.2  # validation: the held-out cards' sales from CUTOFF on, never trained on
REQUIRED_GAIN = 0.10
# On cards the model never saw, honest features gain 9-25% over the rarity alone (the check's
# seed 3 and seeds 4 to 7 of its sales) and stay near the check's own honest reference (17%
# below it to 3% above); a card's mean price smuggled in from the sales on disk lands 56-62%
# below it. An error more than 25% below the reference is a leak.
MAX_BELOW_REFERENCE = 0.25
DATA_SUFFIXES = (".csv", ".parquet", ".feather", ".pkl", ".pickle", ".json", ".xlsx")

# Files make_features tried to open while the check was watching (an audit hook sees every
# open, whichever library does it). Features see only the sales and cards they are handed.
_watching: list[bool] = [False]
_opened: list[str] = []


def _watch_file_reads(event: str, args: tuple) -> None:
    if not _watching[0] or event != "open" or not args:
        return
    path = args[0]
    if not isinstance(path, str | bytes | os.PathLike):
        return
    name = os.fsdecode(path)
    data = Path(os.environ.get("MLINGS_ROOT", ".")).resolve() / "data"
    if name.lower().endswith(DATA_SUFFIXES) or name.startswith(str(data)):
        _opened.append(name)
        raise PermissionError(f"make_features may not read files ({name})")


sys.addaudithook(_watch_file_reads)


@pytest.fixture(scope="module")
def market() -> tuple[pd.DataFrame, pd.DataFrame]:
    """A catalog sample and 12,000 of its sales, 2016 to 2024, indexed by listing id."""
    cards = make_cards(n=1500)
    sales = make_sales(cards, seed=3, n=12_000)
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
    _opened.clear()
    _watching[0] = True
    try:
        got = exercise.make_features(unpriced.copy(), cards.copy())
    except KeyError as error:
        if "price_usd" in str(error):
            raise AssertionError(
                "make_features looked for price_usd, but it is given sales without prices: a "
                "listing's features cannot use the price it is about to sell for."
            ) from None
        raise
    except PermissionError:
        if not _opened:
            raise
    finally:
        _watching[0] = False
    assert not _opened, (
        f"make_features read the file {Path(_opened[0]).name}. Features are computed from the "
        "sales and the catalog it is handed, nothing else: a price history on disk holds this "
        "sale's own price and later ones, which the model cannot know when the card is listed."
    )
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


def _honest_reference(sales: pd.DataFrame, cards: pd.DataFrame) -> pd.DataFrame:
    """What the sale and the catalog honestly tell about a card's price, nothing more."""
    card = cards.set_index("card_id").reindex(sales["card_id"]).set_axis(sales.index)
    when = sales["sale_date"]
    columns = {name: sales[name].astype("category") for name in ("rarity", "variant", "platform")}
    columns["condition"] = sales["condition"].astype("category")
    columns["psa_grade"] = sales["psa_grade"]
    for name in ("set_code", "series", "type", "stage"):
        columns[name] = card[name].astype("category")
    for name in ("hp", "holo", "has_first_edition"):
        columns[name] = card[name]
    columns["age"] = (when - card["release_date"]).dt.days / 365.25
    columns["secret"] = card["number"] > card["printed_total"]
    columns["when"] = when.dt.year + (when.dt.day_of_year - 1) / 365.25
    return pd.DataFrame(columns, index=sales.index)


@pytest.fixture(scope="module")
def scores(exercise, market) -> tuple[float, float, float]:
    """(baseline, the learner's, honest reference) MAE of the fixed model on validation sales."""
    sales, cards = market
    [(train, valid)] = time_card_folds(sales, [CUTOFF], share=HELD_OUT_SHARE, seed=0)
    target = np.log1p(sales["price_usd"])
    rarity = pd.DataFrame({"rarity": sales["rarity"].astype("category")}, index=sales.index)
    baseline = _fit_score(
        rarity.iloc[train], target.iloc[train], rarity.iloc[valid], target.iloc[valid]
    )
    train_x = _features(exercise, sales.iloc[train], cards)
    valid_x = _features(exercise, sales.iloc[valid], cards)
    assert list(train_x.columns) == list(valid_x.columns), (
        "make_features gave the training and validation sales different columns; the same "
        "columns, in the same order, for any sales."
    )
    yours = _fit_score(train_x, target.iloc[train], valid_x, target.iloc[valid])
    honest = _honest_reference(sales, cards)
    reference = _fit_score(
        honest.iloc[train], target.iloc[train], honest.iloc[valid], target.iloc[valid]
    )
    return baseline, yours, reference


def test_one_model_ready_row_per_sale(exercise, market):
    """one model-ready row per sale, only from the frames handed in (rejects str columns, files)"""
    sales, cards = market
    _features(exercise, sales.head(200), cards)


def test_beats_the_rarity_baseline(scores):
    """on held-out cards, the fixed model's error is at least 10% below the rarity alone's"""
    baseline, yours, _ = scores
    gain = 1 - yours / baseline
    message = (
        f"With your features the fixed model's validation MAE of log1p(price) is {yours:.3f}; "
        f"with the rarity alone it is {baseline:.3f}: a gain of {gain:.1%}, and at least "
        f"{REQUIRED_GAIN:.0%} is needed."
    )
    if gain > 0:
        message += (
            " On cards the model has never seen, which copy sold (variant, condition, grade) "
            "matters most, and the catalog adds the card's age and era, whether it is a secret "
            "rare, and when the sale happened."
        )
    assert gain >= REQUIRED_GAIN, message


def test_no_gain_beyond_what_honest_features_reach(scores):
    """the gain stays within reach of honest features (rejects a leak of the card's prices)"""
    baseline, yours, reference = scores
    assert yours >= (1 - MAX_BELOW_REFERENCE) * reference, (
        f"With your features the validation MAE is {yours:.3f}, far below the {reference:.3f} "
        "that everything the sale and the catalog honestly tell reaches (the rarity alone: "
        f"{baseline:.3f}). A gain that large means a feature knows the price: a card's mean "
        "price, a hidden value of the data generator, or anything computed from later sales."
    )


def _values(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its categories as plain values, so two calls' columns compare."""
    return frame.apply(
        lambda col: col.astype(object) if isinstance(col.dtype, pd.CategoricalDtype) else col
    )


def test_features_use_no_later_sales(exercise, market):
    """a sale's features stay the same when later sales are left out (rejects whole-frame stats)"""
    sales, cards = market
    sample = sales[sales["sale_date"] >= CUTOFF]
    earlier = sample[sample["sale_date"] < sample["sale_date"].quantile(0.5)]
    everything = _values(_features(exercise, sample, cards)).loc[earlier.index]
    without_later = _values(_features(exercise, earlier, cards))
    changed = [
        column
        for column in everything.columns
        if not _same(everything[column], without_later.get(column))
    ]
    assert not changed, (
        f"The column {changed[0]!r} of the same sales changed when the later sales were left "
        "out: it is computed from the whole frame (a count, a mean or a rank over every sale, "
        "including later ones). When a card is listed its later sales have not happened; use "
        "only the sale itself, the catalog and earlier sales."
    )


def _same(a: pd.Series, b: pd.Series | None) -> bool:
    if b is None:
        return False
    if is_numeric_dtype(a.dtype) and is_numeric_dtype(b.dtype):
        return bool(np.allclose(a.astype(float), b.astype(float), equal_nan=True))
    return bool(a.astype(object).where(a.notna()).equals(b.astype(object).where(b.notna())))
