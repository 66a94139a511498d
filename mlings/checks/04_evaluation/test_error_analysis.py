"""Checks for 04_evaluation/04_error_analysis: a confusion table by price tier, worst slices."""

import functools

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import make_column_transformer
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

from mlings.dataset import make_cards, make_sales

TIERS = ["bulk", "mid", "high", "chase"]
ERAS = ["wotc", "ex_dp", "bw_sm", "swsh_sv"]


def _tier(prices) -> np.ndarray:
    return np.asarray(TIERS)[np.searchsorted([1.0, 20.0, 200.0], prices, side="right")]


def _features(sales: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rarity": sales["rarity"],
            "variant": sales["variant"],
            "condition": sales["condition"].fillna("graded"),
            "psa_grade": sales["psa_grade"].fillna(0.0),
        },
        index=sales.index,
    )


@functools.cache
def _case() -> tuple[pd.DataFrame, np.ndarray]:
    """Later PokéMarket sales (rarity, era, price_usd; a scrambled index) and a model's prices."""
    cards = make_cards(n=400)
    sales = make_sales(cards, seed=6, n=1000, start="2019-01-01", end="2023-12-31")
    train, test = sales.iloc[:600], sales.iloc[600:]
    encode = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore"), ["rarity", "variant", "condition"]),
        remainder="passthrough",
    )
    model = make_pipeline(encode, Ridge(alpha=1.0))
    model.fit(_features(train), np.log1p(train["price_usd"]))
    predicted = np.clip(np.expm1(model.predict(_features(test))), 0.0, None)
    year = test["card_id"].map(cards.set_index("card_id")["release_date"]).dt.year
    frame = pd.DataFrame(
        {
            "rarity": test["rarity"].to_numpy(),
            "era": pd.cut(year, [0, 2002, 2010, 2019, 3000], labels=ERAS).astype(str).to_numpy(),
            "price_usd": test["price_usd"].to_numpy(),
        },
        index=np.random.default_rng(0).permutation(len(test)) + 5000,  # not 0..n-1
    )
    return frame, predicted


def _reference(frame: pd.DataFrame, predicted: np.ndarray, by: str) -> pd.DataFrame:
    errors = pd.Series(np.abs(frame["price_usd"].to_numpy() - predicted), index=frame.index)
    return errors.groupby(frame[by]).agg(["count", "mean", "sum"])


def _table(exercise, actual, predicted) -> np.ndarray:
    got = exercise.confusion_table(actual, predicted)
    if isinstance(got, pd.DataFrame):
        rows, columns = [str(v) for v in got.index], [str(v) for v in got.columns]
        assert rows == TIERS and columns == TIERS, (
            f"confusion_table's rows are {rows} and its columns {columns}; both must be "
            f"exactly {TIERS}, in price order, every tier present."
            + (
                " Yours are in alphabetical order: pass labels=TIERS (confusion_matrix) or "
                "reindex to TIERS (crosstab)."
                if sorted(rows) == rows and len(rows) > 1
                else ""
            )
        )
        return got.to_numpy()
    table = np.asarray(got)
    assert table.shape == (4, 4), (
        f"confusion_table returned a table of shape {table.shape}; expected 4 x 4, one row and "
        "one column per tier, even for tiers no sale falls in."
    )
    return table


def test_confusion_table_reads_actual_by_predicted(exercise):
    """rows are the actual tiers, columns the predicted ones (rejects a transposed table)"""
    actual = ["chase"] * 5 + ["high"] * 3 + ["mid"] * 2 + ["bulk"] * 4
    predicted = ["bulk"] * 5 + ["high"] * 3 + ["mid"] * 2 + ["bulk"] * 4
    table = _table(exercise, actual, predicted)
    expected = np.array([[4, 0, 0, 0], [0, 2, 0, 0], [0, 0, 3, 0], [5, 0, 0, 0]])
    message = (
        f"For 5 chase cards all badged bulk, confusion_table gave\n{table}\nexpected\n{expected}"
        "\n(rows: actual bulk, mid, high, chase; columns: predicted, same order)."
    )
    if np.array_equal(table, expected.T):
        message += " Your table is transposed: rows are the ACTUAL tiers."
    assert np.array_equal(table, expected), message


def test_confusion_table_keeps_every_tier_in_price_order(exercise):
    """every tier in price order, even tiers no sale falls in (rejects alphabetical labels)"""
    actual = ["bulk", "bulk", "mid", "mid", "mid"]
    predicted = ["bulk", "mid", "mid", "mid", "bulk"]
    table = _table(exercise, actual, predicted)
    expected = np.zeros((4, 4), dtype=int)
    expected[:2, :2] = [[1, 1], [1, 2]]
    assert np.array_equal(table, expected), (
        f"With sales in the bulk and mid tiers only, confusion_table gave\n{table}\n"
        f"expected\n{expected}\n(rows and columns: bulk, mid, high, chase, the empty ones too)."
    )


def test_confusion_table_on_pokemarket_sales(exercise):
    """counts every sale of the model's tier badges on PokéMarket sales"""
    frame, predicted = _case()
    actual_tier, predicted_tier = _tier(frame["price_usd"]), _tier(predicted)
    table = _table(exercise, actual_tier, predicted_tier)
    expected = (
        pd.crosstab(pd.Categorical(actual_tier, TIERS), pd.Categorical(predicted_tier, TIERS))
        .reindex(index=TIERS, columns=TIERS, fill_value=0)
        .to_numpy()
    )
    assert np.array_equal(table, expected), (
        f"On {len(frame)} PokéMarket sales, confusion_table gave\n{table}\nexpected\n{expected}"
    )


def _slices(exercise, frame, predicted, by) -> pd.DataFrame:
    got = exercise.error_by_slice(frame, predicted, by)
    assert isinstance(got, pd.DataFrame) and {"n", "mae_usd"} <= set(got.columns), (
        f"error_by_slice returned {type(got).__name__}; expected a DataFrame with columns "
        "'n' and 'mae_usd', indexed by the slice values."
    )
    return got


def test_error_by_rarity(exercise):
    """mean absolute error and count per rarity, worst first (rejects misaligned predictions)"""
    _check_slices(exercise, "rarity")


def test_error_by_era(exercise):
    """mean absolute error and count per era, worst first"""
    _check_slices(exercise, "era")


def _check_slices(exercise, by):
    frame, predicted = _case()
    reference = _reference(frame, predicted, by)
    got = _slices(exercise, frame, predicted, by)
    got_index = [str(v) for v in got.index]
    assert sorted(got_index) == sorted(str(v) for v in reference.index), (
        f"error_by_slice by {by} has slices {sorted(got_index)}; expected one per value of "
        f"{by}: {sorted(reference.index)}."
    )
    aligned = (
        " The predictions are in row order, but sales.index is not 0..n-1: subtract arrays "
        "(.to_numpy()), or give the predictions sales.index, instead of letting pandas match "
        "them up by index label."
    )
    for value, row in reference.iterrows():
        mine = got.loc[got.index.astype(str) == str(value)].iloc[0]
        n, mae = float(mine["n"]), float(mine["mae_usd"])
        message = f"error_by_slice says {value} has {n:g} sales; it has {int(row['count'])}."
        if float(got["n"].sum()) != len(frame):
            message += aligned
        assert n == row["count"], message
        message = f"error_by_slice gave {value} an MAE of ${mae:.4f}; expected ${row['mean']:.4f}."
        message += (
            " That is the total error of the slice; take the mean."
            if mae == pytest.approx(row["sum"])
            else aligned
        )
        assert mae == pytest.approx(row["mean"]), message
    values = got["mae_usd"].to_numpy(dtype=float)
    assert np.all(np.diff(values) <= 1e-9), (
        "error_by_slice is not sorted from the worst slice (highest mae_usd) to the best."
    )


def test_worst_slice_ignores_tiny_slices(exercise):
    """the worst rarity among slices of at least min_sales (rejects a 2-sale slice)"""
    frame, predicted = _case()
    reference = _reference(frame, predicted, "rarity")
    tiny = reference["mean"].idxmax()
    big = reference[reference["count"] >= 30]["mean"].idxmax()
    assert reference.loc[tiny, "count"] < 30 and tiny != big  # the check's own premise
    got = exercise.worst_slice(frame, predicted, "rarity", 30)
    message = f"worst_slice by rarity with min_sales=30 gave {got!r}; expected {big!r}."
    if got == tiny:
        message += (
            f" {tiny} has the highest MAE but only {reference.loc[tiny, 'count']} sales: too "
            "few to trust. Keep only slices with at least min_sales sales."
        )
    assert got == big, message
    size = int(reference.loc[tiny, "count"])
    got = exercise.worst_slice(frame, predicted, "rarity", size)
    message = f"worst_slice with min_sales={size} gave {got!r}; expected {tiny!r}"
    if got == reference[reference["count"] >= size]["sum"].idxmax():
        message += (
            f". {got} has the largest TOTAL error because it has many sales; compare slices by "
            "their mean error."
        )
    else:
        message += (
            f", which has exactly {size} sales and the highest MAE. A slice with exactly "
            "min_sales sales is big enough."
        )
    assert got == tiny, message


def test_worst_slice_by_mean_error(exercise):
    """the worst era by its mean error, not its total (rejects the sum of errors)"""
    frame, predicted = _case()
    reference = _reference(frame, predicted, "era")
    by_mean, by_sum = reference["mean"].idxmax(), reference["sum"].idxmax()
    assert by_mean != by_sum  # the check's own premise
    got = exercise.worst_slice(frame, predicted, "era", 30)
    message = f"worst_slice by era gave {got!r}; expected {by_mean!r}."
    if got == by_sum:
        message += (
            f" {by_sum} has the largest TOTAL error only because it has the most sales "
            f"({reference.loc[by_sum, 'count']}); compare slices by their mean error."
        )
    elif got == reference["mean"].idxmin():
        message += " That is the best slice, not the worst."
    assert got == by_mean, message
