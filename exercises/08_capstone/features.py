"""Capstone, features: what a collector knows about a sale, computed without peeking

The model sees a sale through its features, and the features decide how good it can be: a
card's age, whether it is a secret rare, its grade or wear, and, above all, what the same card
(and the same Pokémon, and the same set) sold for before. "Before" is the whole point: when a
seller lists a card, PokéMarket knows the earlier sales, never the sale being priced nor the
later ones. A feature that reads them looks brilliant in training and is useless in
production. And every transformation that learns from data (a median, a scale, the known
categories) learns it from the training rows only, then meets production rows it has never
seen: a new set, a rarity first printed in 2025.

Write:

- FEATURES: the names of the columns build_features engineers (at least 5). At least 5 of
  them are not copies of a column of the sales (a copied rarity is fine, but it is not
  engineered).
- build_features(sales, cards): sales (the columns of data/sales_clean.csv; price_usd may be
  NaN, or no column at all, for sales still to be priced) and the catalog (data/cards.csv) -> a
  DataFrame with the FEATURES columns, one row per sale, with the same index, in the same
  order (any order of sales, any index). A sale's features use only its own attributes (never
  its price), the catalog (at least one feature comes from it), and the prices of EARLIER
  sales in `sales` (at least one feature does): an earlier sale_date, or the same day and a
  smaller listing_id. A sale without a price is left out of later sales' price statistics.
- make_preprocessor(): a new, unfitted scikit-learn transformer for the FEATURES columns
  (impute, scale, encode) whose output is numbers only, without missing values, for any rows,
  including categories it never saw when fitted (a new rarity, a new platform). The training
  code fits it on training rows only.

Done when: changing the price of a sale changes no feature of that sale or of any earlier
sale, the features work on 2025 sales the model never saw, and the preprocessor fitted on
train transforms any test row into finite numbers.

Stuck? Run `mlings hint`.
"""

from pathlib import Path

import numpy as np
import pandas as pd

DATA = Path(__file__).resolve().parents[2] / "data"

# TODO: the names of your engineered columns (at least 5), e.g. the card's age at the sale.
FEATURES: list[str] = []


def build_features(sales: pd.DataFrame, cards: pd.DataFrame) -> pd.DataFrame:
    """FEATURES for every sale, with sales' index and order, from the catalog and earlier sales."""
    # TODO: join the catalog on card_id; sort a copy by (sale_date, listing_id) to compute
    # what EARLIER sales of the same card sold for (shift before you aggregate); put the rows
    # back in the order and with the index you were given.
    raise NotImplementedError("build_features: catalog facts and past-only price features")


def make_preprocessor():
    """A new, unfitted transformer: numbers imputed and scaled, categories one-hot encoded."""
    # TODO: a sklearn.compose.ColumnTransformer: SimpleImputer + StandardScaler for the
    # numbers, SimpleImputer + OneHotEncoder(handle_unknown="ignore") for the categories.
    raise NotImplementedError("make_preprocessor: a ColumnTransformer, unfitted")


if __name__ == "__main__":
    catalog = pd.read_csv(DATA / "cards.csv", parse_dates=["release_date"])
    history = pd.read_csv(DATA / "sales_clean.csv", parse_dates=["sale_date"])
    features = build_features(history, catalog)
    print(features.describe().T[["count", "mean", "min", "max"]])
    is_train = history["sale_date"] < "2024-01-01"
    preprocessor = make_preprocessor().fit(features[is_train])
    print("preprocessed test rows:", preprocessor.transform(features[~is_train]).shape)
    numbers = features.select_dtypes("number").corrwith(np.log(history["price_usd"]))
    print("correlation with log price:", numbers.sort_values().round(2).to_dict())
