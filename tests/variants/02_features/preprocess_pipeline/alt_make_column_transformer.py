"""ALTERNATIVE: make_column_transformer and make_pipeline, OneHotEncoder keeping NaN as its own
category, short feature names."""

from pathlib import Path

import pandas as pd
from sklearn.compose import ColumnTransformer, make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

DATA = Path(__file__).resolve().parents[2] / "data"
NUMERIC = ["card_age_years", "psa_grade", "hp"]
CATEGORICAL = ["rarity", "platform", "condition"]


def build_preprocessor() -> ColumnTransformer:
    """An unfitted ColumnTransformer: impute + scale NUMERIC, one-hot CATEGORICAL, pandas out."""
    return make_column_transformer(
        (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), NUMERIC),
        (OneHotEncoder(handle_unknown="ignore", sparse_output=False), CATEGORICAL),
        verbose_feature_names_out=False,
    ).set_output(transform="pandas")


def fit_transform_split(
    train: pd.DataFrame, test: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fit a fresh preprocessor on train only; return (train transformed, test transformed)."""
    fitted = build_preprocessor()
    train_out = fitted.fit_transform(train)
    return train_out, fitted.transform(test)


if __name__ == "__main__":
    catalog = pd.read_csv(DATA / "cards.csv", parse_dates=["release_date"])
    history = pd.read_csv(DATA / "sales_clean.csv", parse_dates=["sale_date"])
    sales = history.merge(catalog[["card_id", "release_date", "hp"]], on="card_id")
    sales["card_age_years"] = (sales["sale_date"] - sales["release_date"]).dt.days / 365.25
    is_train = sales["sale_date"] < "2024-01-01"
    train_x, test_x = fit_transform_split(sales[is_train], sales[~is_train])
    print(train_x.shape, test_x.shape)
    print(train_x.describe().T[["mean", "std"]].head())
