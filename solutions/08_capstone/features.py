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
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

DATA = Path(__file__).resolve().parents[2] / "data"

CONDITION_SCORE = {"NM": 5.0, "LP": 4.0, "MP": 3.0, "HP": 2.0, "DMG": 1.0}
MARKET_START = pd.Timestamp("2016-01-01")  # the first sale of the history
CATEGORICAL = ["rarity", "variant", "platform", "condition"]
NUMERIC = [
    "card_age_years",  # from the set's release to the sale
    "release_year",  # the era: Wizards, EX, ... Scarlet & Violet
    "market_years",  # the sale's date: the market's trend
    "is_secret_rare",  # number > printed_total
    "hp",
    "is_graded",
    "psa_grade",  # NaN for a raw copy
    "condition_score",  # NM 5 ... DMG 1, NaN for a graded copy
    "card_past_sales",  # how many earlier sales of the same card
    "card_past_log_price",  # mean log price of the same card's earlier sales
    "pokemon_past_log_price",  # ... of the same Pokémon's (its fame)
    "set_past_log_price",  # ... of the same set's (its hype)
]
FEATURES = NUMERIC + CATEGORICAL


def _past_mean(log_price: pd.Series, key: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(count, mean) of log_price over each row's EARLIER rows with the same key.

    The rows are in time order; a missing price counts for nothing.
    """
    priced = log_price.notna().astype(float)
    count = priced.groupby(key).cumsum() - priced  # the earlier rows: all but this one
    total = log_price.fillna(0.0).groupby(key).shift(fill_value=0.0).groupby(key).cumsum()
    return count, total / count.where(count > 0)


def build_features(sales: pd.DataFrame, cards: pd.DataFrame) -> pd.DataFrame:
    """FEATURES for every sale, with sales' index and order, from the catalog and earlier sales."""
    order = np.lexsort((sales["listing_id"].to_numpy(), sales["sale_date"].to_numpy()))
    rows = sales.iloc[order].reset_index(drop=True)  # time order, positions as the index
    card = cards.set_index("card_id").reindex(rows["card_id"]).reset_index(drop=True)
    release = pd.to_datetime(card["release_date"])
    graded = rows["psa_grade"].notna()
    price = rows["price_usd"] if "price_usd" in rows else pd.Series(np.nan, index=rows.index)
    log_price = np.log(price.where(price > 0))
    count, card_mean = _past_mean(log_price, rows["card_id"])
    features = pd.DataFrame(
        {
            "card_age_years": (rows["sale_date"] - release).dt.days / 365.25,
            "release_year": release.dt.year.astype(float),
            "market_years": (rows["sale_date"] - MARKET_START).dt.days / 365.25,
            "is_secret_rare": (card["number"] > card["printed_total"]).astype(float),
            "hp": card["hp"].astype(float),
            "is_graded": graded.astype(float),
            "psa_grade": rows["psa_grade"].astype(float),
            "condition_score": rows["condition"].map(CONDITION_SCORE).astype(float),
            "card_past_sales": count,
            "card_past_log_price": card_mean,
            "pokemon_past_log_price": _past_mean(log_price, card["pokemon"])[1],
            "set_past_log_price": _past_mean(log_price, card["set_code"])[1],
            "rarity": rows["rarity"],
            "variant": rows["variant"],
            "platform": rows["platform"],
            "condition": rows["condition"].fillna("graded"),
        }
    )
    unsorted = np.empty_like(order)
    unsorted[order] = np.arange(len(order))
    return features.iloc[unsorted].set_axis(sales.index)[FEATURES]


def make_preprocessor() -> ColumnTransformer:
    """A new, unfitted transformer: numbers imputed and scaled, categories one-hot encoded."""
    numeric = Pipeline(
        [
            ("impute", SimpleImputer(strategy="median", add_indicator=True)),
            ("scale", StandardScaler()),
        ]
    )
    categorical = Pipeline(
        [
            ("impute", SimpleImputer(strategy="constant", fill_value="missing")),
            ("onehot", OneHotEncoder(handle_unknown="ignore", sparse_output=False)),
        ]
    )
    return ColumnTransformer(
        [("numeric", numeric, NUMERIC), ("categorical", categorical, CATEGORICAL)]
    )


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
