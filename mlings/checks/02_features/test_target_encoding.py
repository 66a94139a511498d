"""Checks for 02_features/06_target_encoding: cross-fitted target encoding of the set."""

import numpy as np
import pandas as pd
import pytest

from mlings.dataset import make_cards, make_sales

N_TRAIN = 3000
NOISE_TARGETS = 5
NOISE_LIMIT = 0.05  # honest cross-fitting stays near 0; fit-then-transform gives about 0.16
NEW_SET = "zz9"  # a set code never seen in training


@pytest.fixture(scope="module")
def split() -> tuple[pd.DataFrame, pd.DataFrame]:
    """3,000 training sales (of 70 sets) and 500 later ones, with the card's set_code."""
    cards = make_cards(n=600)
    sales = make_sales(cards, seed=7, n=N_TRAIN + 500)
    sales["set_code"] = sales["card_id"].map(cards.set_index("card_id")["set_code"])
    train = sales.iloc[:N_TRAIN].set_axis(np.arange(N_TRAIN) * 3 + 11)
    test = sales.iloc[N_TRAIN:].copy()
    test.iloc[:5, test.columns.get_loc("set_code")] = NEW_SET
    return train, test


def _as_vector(values, n: int, what: str) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    assert array.shape == (n,), (
        f"The {what} encoding has shape {array.shape}; expected one number per row: ({n},)."
    )
    return array


def _encode(exercise, train, y, test) -> tuple[np.ndarray, np.ndarray]:
    result = exercise.target_encode(train.copy(), y, test.copy(), "set_code")
    assert isinstance(result, tuple | list) and len(result) == 2, (
        "target_encode must return two encodings: (train_encoded, test_encoded)."
    )
    train_enc = _as_vector(result[0], len(train), "train")
    test_enc = _as_vector(result[1], len(test), "test")
    assert np.isfinite(train_enc).all(), (
        "The train encoding has NaN or infinite values; every training row gets a number."
    )
    return train_enc, test_enc


def _corr(a: np.ndarray, b: np.ndarray) -> float:
    if np.std(a) == 0 or np.std(b) == 0:
        return 0.0
    return float(np.corrcoef(a, b)[0, 1])


def test_noise_target_looks_useless(exercise, split):
    """on a pure-noise target the train encoding stays uncorrelated (rejects fit-then-transform)"""
    train, test = split
    correlations = []
    for k in range(NOISE_TARGETS):
        noise = pd.Series(np.random.default_rng([8, k]).normal(size=len(train)), index=train.index)
        train_enc, _ = _encode(exercise, train, noise, test)
        correlations.append(_corr(train_enc, noise.to_numpy()))
    mean = float(np.mean(correlations))
    assert abs(mean) < NOISE_LIMIT, (
        f"On a target of pure random noise, your train encoding correlates {mean:+.3f} with the "
        f"target (on average over {NOISE_TARGETS} noise targets); an honest encoding stays within "
        f"±{NOISE_LIMIT}. Each training row's own target went into its own encoding: a model "
        "would learn to trust a column that only echoes the answer. Cross-fit the training rows "
        "(TargetEncoder.fit_transform, or K folds by hand), never fit(...).transform(...) on the "
        "same rows."
    )


def test_learns_the_set_signal(exercise, split):
    """on the real log price the encoding carries the set's signal, on train and on test"""
    train, test = split
    y = np.log1p(train["price_usd"])
    train_enc, test_enc = _encode(exercise, train, y, test)
    on_train = _corr(train_enc, y.to_numpy())
    known = test["set_code"].isin(train["set_code"]).to_numpy()
    on_test = _corr(test_enc[known], np.log1p(test.loc[known, "price_usd"]).to_numpy())
    assert on_train > 0.4, (
        f"On the real log price, your train encoding correlates only {on_train:+.3f} with it "
        "(an honest cross-fitted encoding gives about 0.6): encode each row with its set's mean "
        "target from the other folds, not a constant."
    )
    assert on_test > 0.4, (
        f"Your test encoding correlates only {on_test:+.3f} with the test log prices (about 0.55 "
        "expected): encode test rows with each set's mean target over all training rows."
    )


def test_test_encoding_is_one_number_per_set(exercise, split):
    """test rows get one number per set, and a set never seen in training a finite one"""
    train, test = split
    y = np.log1p(train["price_usd"])
    _, test_enc = _encode(exercise, train, y, test)
    assert np.isfinite(test_enc).all(), (
        "Test rows of a set never seen in training got NaN (or inf): give them a finite value, "
        "such as the overall mean of the training target (TargetEncoder does that)."
    )
    per_set = pd.Series(test_enc).groupby(test["set_code"].to_numpy()).nunique()
    assert (per_set == 1).all(), (
        f"Test rows of the same set got different encodings (set {per_set.idxmax()!r}): test "
        "rows are encoded with one average per set, computed on all training rows."
    )
    new = test_enc[(test["set_code"] == NEW_SET).to_numpy()][0]
    low, high = y.quantile(0.05), y.quantile(0.95)
    assert low <= new <= high, (
        f"A set never seen in training got {new:.3f}, outside the bulk of the training target "
        f"({low:.2f} to {high:.2f}); the overall mean is the honest guess."
    )


def test_test_rows_use_all_of_train(exercise, split):
    """test encodings come from every training row, so they follow train's per-set means"""
    train, test = split
    y = np.log1p(train["price_usd"])
    _, test_enc = _encode(exercise, train, y, test)
    set_means = y.groupby(train["set_code"]).mean()
    known = test["set_code"].isin(set_means.index).to_numpy()
    expected = test["set_code"][known].map(set_means).to_numpy()
    agreement = _corr(test_enc[known], expected)
    assert agreement > 0.9, (
        f"Your test encodings agree poorly ({agreement:.2f}) with each set's mean log price over "
        "the training rows: fit the encoder on all training rows (fit_transform does), then "
        "transform test."
    )


def test_encodes_the_column_asked_for(exercise, split):
    """encodes whichever column it is given, not always set_code (rejects a hard-coded column)"""
    train, test = split
    y = np.log1p(train["price_usd"])
    result = exercise.target_encode(train.copy(), y, test.copy(), "rarity")
    test_enc = _as_vector(result[1], len(test), "test")
    rarity_means = y.groupby(train["rarity"]).mean()
    known = test["rarity"].isin(rarity_means.index).to_numpy()
    per_rarity = pd.Series(test_enc[known]).groupby(test["rarity"].to_numpy()[known]).nunique()
    agreement = _corr(test_enc[known], test["rarity"][known].map(rarity_means).to_numpy())
    assert (per_rarity == 1).all() and agreement > 0.9, (
        "target_encode(..., column='rarity') did not give the test rows one number per rarity "
        f"following each rarity's mean log price (agreement {agreement:.2f}): encode the column "
        "named by the column argument, not always set_code."
    )
