"""Checks for 02_features/05_preprocess_pipeline: a ColumnTransformer fitted on train only."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from mlings.dataset import make_cards, make_sales

NUMERIC = ["card_age_years", "psa_grade", "hp"]
CATEGORICAL = ["rarity", "platform", "condition"]
CUTOFF = pd.Timestamp("2023-01-01")


@pytest.fixture(scope="module")
def split() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Train (before 2023) and test (2023 on) sales with the features, indexed by listing id."""
    cards = make_cards(n=300)
    sales = make_sales(cards, seed=6, n=500)
    card = cards.set_index("card_id").loc[sales["card_id"]].set_axis(sales.index)
    sales = sales.assign(
        card_age_years=(sales["sale_date"] - card["release_date"]).dt.days / 365.25,
        hp=card["hp"],
    ).set_index("listing_id")
    is_train = sales["sale_date"] < CUTOFF
    return sales[is_train], sales[~is_train]


def _extreme(test: pd.DataFrame) -> pd.DataFrame:
    """The same test rows, a few of them wild, with categories never seen in training."""
    wild = test.copy()
    rows = wild.index[:5]
    wild.loc[rows, "hp"] = 1_000_000
    wild.loc[rows, "card_age_years"] = 500.0
    wild.loc[rows, "rarity"] = "Mega Hyper Rare"
    wild.loc[rows, "platform"] = "Whatnot"
    return wild


def _run(exercise, train: pd.DataFrame, test: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    try:
        result = exercise.fit_transform_split(train.copy(), test.copy())
    except ValueError as error:
        if "unknown categor" in str(error).lower():
            raise AssertionError(
                f"Categories never seen in training crashed the transform: {error}. New sets "
                "bring new rarities (the 2023 Scarlet & Violet sets did) and production will "
                "send them: OneHotEncoder(handle_unknown='ignore') encodes them as all zeros."
            ) from None
        raise
    assert isinstance(result, tuple | list) and len(result) == 2, (
        "fit_transform_split must return two tables: (train transformed, test transformed)."
    )
    out_train, out_test = result
    for name, out, given in (("train", out_train, train), ("test", out_test, test)):
        assert isinstance(out, pd.DataFrame), (
            f"The transformed {name} is a {type(out).__name__}, not a DataFrame: call "
            "set_output(transform='pandas') on the preprocessor (OneHotEncoder then needs "
            "sparse_output=False)."
        )
        assert out.index.equals(given.index), (
            f"The transformed {name} rows lost their index; pandas output keeps it."
        )
        numeric = out.apply(pd.to_numeric, errors="coerce")
        assert not numeric.isna().any().any(), (
            f"The transformed {name} has missing or non-numeric values in "
            f"{list(out.columns[numeric.isna().any()])[:4]}: impute numeric holes (median), "
            "one-hot encode every categorical column, and drop the other columns (the "
            "ColumnTransformer's default remainder='drop')."
        )
    assert list(out_train.columns) == list(out_test.columns), (
        "Train and test came out with different columns: fit one preprocessor on train and use "
        "it to transform both, never a second one fitted on test."
    )
    return out_train, out_test


@pytest.fixture(scope="module")
def calm(exercise, split) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The learner's transformed (train, test)."""
    return _run(exercise, *split)


@pytest.fixture(scope="module")
def wild(exercise, split) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The learner's transformed (train, test) when a few test rows are wild."""
    train, test = split
    return _run(exercise, train, _extreme(test))


def _numeric_column(out: pd.DataFrame, name: str) -> str:
    found = [c for c in out.columns if str(c).endswith(name)]
    assert len(found) == 1, (
        f"Expected one output column for the numeric feature {name!r} (named like "
        f"'num__{name}'); found {found}. Keep the names set_output gives."
    )
    return found[0]


def test_pandas_output_without_holes(calm):
    """returns train and test as DataFrames with the same columns and no missing values"""


def test_standardises_with_train_statistics(calm, split):
    """scales numeric columns with train's mean and std (rejects fitting test on its own)"""
    train, test = split
    out_train, out_test = calm
    for name in NUMERIC:
        column = _numeric_column(out_train, name)
        values = out_train[column].to_numpy(dtype=float)
        assert abs(values.mean()) < 1e-6 and abs(values.std() - 1) < 1e-6, (
            f"The transformed train {name!r} has mean {values.mean():.3f} and standard "
            f"deviation {values.std():.3f}; StandardScaler fitted on train gives 0 and 1."
        )
        filled = train[name].fillna(train[name].median())
        mean, std = filled.mean(), filled.std(ddof=0)
        present = test[name].notna()
        expected = (test.loc[present, name] - mean) / std
        got = out_test.loc[present, column]
        message = (
            f"The transformed test {name!r} does not use the train mean and standard deviation: "
            "fit the preprocessor on train once, then only transform test."
        )
        if abs(got.mean()) < 1e-6:
            message += " Your test column has mean 0: it was fitted on the test rows themselves."
        assert np.allclose(got, expected, atol=1e-6), message


def test_extreme_test_rows_do_not_move_train(calm, wild):
    """wild test rows leave the train transform unchanged (rejects fitting on train + test)"""
    calm, moved = calm[0], wild[0]
    same_columns = list(calm.columns) == list(moved.columns)
    message = (
        "Making five test rows wild (HP 1,000,000, a new rarity and platform) changed how train "
        "is transformed: the preprocessor learned from the test rows. Fit it on train only."
    )
    assert same_columns, message + " (Even the train columns changed.)"
    assert np.allclose(calm.to_numpy(dtype=float), moved.to_numpy(dtype=float)), message


def test_unseen_categories_do_not_crash(wild, split):
    """a rarity and a platform never seen in training are transformed without an error"""
    assert len(wild[1]) == len(split[1]), "The transformed test lost rows."


def test_builds_an_unfitted_transformer(exercise, split, calm):
    """build_preprocessor returns an unfitted transformer that fit_transform_split uses"""
    train, test = split
    preprocessor = exercise.build_preprocessor()
    assert hasattr(preprocessor, "fit") and hasattr(preprocessor, "transform"), (
        f"build_preprocessor returned {type(preprocessor).__name__}; expected a scikit-learn "
        "transformer (a ColumnTransformer) with fit and transform."
    )
    fitted = clone(preprocessor).fit(train)
    out = fitted.transform(test)
    assert isinstance(out, pd.DataFrame), (
        "build_preprocessor's transformer outputs "
        f"{type(out).__name__}; call .set_output(transform='pandas') on it."
    )
    expected = calm[1]
    assert list(out.columns) == list(expected.columns) and np.allclose(
        out.to_numpy(dtype=float), expected.to_numpy(dtype=float)
    ), (
        "fit_transform_split gives other results than build_preprocessor's transformer fitted "
        "on train: build it with build_preprocessor(), fit on train, transform train and test."
    )
