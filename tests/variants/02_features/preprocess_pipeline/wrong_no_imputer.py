"""WRONG: scales the numeric columns without filling their holes first: NaN grades stay NaN."""

from pathlib import Path

import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

DATA = Path(__file__).resolve().parents[2] / "data"
NUMERIC = ["card_age_years", "psa_grade", "hp"]
CATEGORICAL = ["rarity", "platform", "condition"]


def build_preprocessor() -> ColumnTransformer:
    """An unfitted ColumnTransformer: impute + scale NUMERIC, one-hot CATEGORICAL, pandas out."""
    numeric = Pipeline([("scale", StandardScaler())])
    categorical = Pipeline(
        [
            ("impute", SimpleImputer(strategy="constant", fill_value="missing")),
            ("onehot", OneHotEncoder(handle_unknown="ignore", sparse_output=False)),
        ]
    )
    preprocessor = ColumnTransformer([("num", numeric, NUMERIC), ("cat", categorical, CATEGORICAL)])
    return preprocessor.set_output(transform="pandas")


def fit_transform_split(
    train: pd.DataFrame, test: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fit a fresh preprocessor on train only; return (train transformed, test transformed)."""
    preprocessor = build_preprocessor().fit(train)  # learns from the train rows only
    return preprocessor.transform(train), preprocessor.transform(test)


if __name__ == "__main__":
    catalog = pd.read_csv(DATA / "cards.csv", parse_dates=["release_date"])
    history = pd.read_csv(DATA / "sales_clean.csv", parse_dates=["sale_date"])
    sales = history.merge(catalog[["card_id", "release_date", "hp"]], on="card_id")
    sales["card_age_years"] = (sales["sale_date"] - sales["release_date"]).dt.days / 365.25
    is_train = sales["sale_date"] < "2024-01-01"
    train_x, test_x = fit_transform_split(sales[is_train], sales[~is_train])
    print(train_x.shape, test_x.shape)
    print(train_x.describe().T[["mean", "std"]].head())
