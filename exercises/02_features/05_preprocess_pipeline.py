"""Preprocessing as a pipeline, fitted on train only

Models want numbers without holes. PokéMarket's features have holes by design (a raw copy has no
PSA grade, a graded one no condition), numbers on very different scales (a card's age in years,
its HP in the hundreds) and text categories (rarity, platform). Every transformation that
learns something from the data (a median to fill holes, a mean and a standard deviation to
scale, the list of known categories) must learn it from the training rows only, and then be
applied unchanged to new rows. Otherwise the test rows shape the transform they are scored
with: a quiet leak. And production will send categories nobody saw in training (a new rarity
from next month's set): that must not crash the service.

scikit-learn packs this into one object: a ColumnTransformer whose branches are Pipelines,
fitted on train with fit and applied with transform.

Write:

- build_preprocessor(): an unfitted scikit-learn transformer that
    - fills missing NUMERIC values with the median, then standardises them (StandardScaler);
    - one-hot encodes the CATEGORICAL columns (a missing value may be its own category or be
      filled first), without crashing on a category never seen in training;
    - drops every other column, and outputs a pandas DataFrame (set_output(transform="pandas"))
      that keeps the rows' index;
- fit_transform_split(train, test): fit a fresh preprocessor on train only, and return
  (train transformed, test transformed).

Done when: the outputs are DataFrames without missing values, the numeric columns are
standardised with the train statistics, extreme test rows do not change how train is
transformed, and unseen categories pass through without an error.

Stuck? Run `mlings hint`.
"""

from pathlib import Path

import pandas as pd

DATA = Path(__file__).resolve().parents[2] / "data"
NUMERIC = ["card_age_years", "psa_grade", "hp"]
CATEGORICAL = ["rarity", "platform", "condition"]


def build_preprocessor():
    """An unfitted ColumnTransformer: impute + scale NUMERIC, one-hot CATEGORICAL, pandas out."""
    # TODO: sklearn.compose.ColumnTransformer with a Pipeline (sklearn.pipeline) per branch,
    # SimpleImputer (sklearn.impute), StandardScaler and OneHotEncoder (sklearn.preprocessing).
    raise NotImplementedError("build_preprocessor: a ColumnTransformer of two Pipelines")


def fit_transform_split(
    train: pd.DataFrame, test: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fit a fresh preprocessor on train only; return (train transformed, test transformed)."""
    # TODO
    raise NotImplementedError("fit_transform_split: fit on train, transform both")


if __name__ == "__main__":
    catalog = pd.read_csv(DATA / "cards.csv", parse_dates=["release_date"])
    history = pd.read_csv(DATA / "sales_clean.csv", parse_dates=["sale_date"])
    sales = history.merge(catalog[["card_id", "release_date", "hp"]], on="card_id")
    sales["card_age_years"] = (sales["sale_date"] - sales["release_date"]).dt.days / 365.25
    is_train = sales["sale_date"] < "2024-01-01"
    train_x, test_x = fit_transform_split(sales[is_train], sales[~is_train])
    print(train_x.shape, test_x.shape)
    print(train_x.describe().T[["mean", "std"]].head())
