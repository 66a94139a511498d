"""Wrong: the OneHotEncoder keeps its default handle_unknown="error", so a new rarity crashes.

Capstone, features: what a collector knows about a sale, computed without peeking

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
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

DATA = Path(__file__).resolve().parents[2] / "data"

FEATURES: list[str] = [
    "card_age_days",  # days from the set's release to the sale (catalog)
    "is_secret_rare",  # number > printed_total (catalog)
    "hp",  # catalog copy
    "is_graded",
    "condition_score",  # NM 5 ... DMG 1; graded copies 6
    "psa_grade",
    "rarity",
    "variant",
    "platform",
    "card_past_log_mean",  # mean log price of EARLIER sales of the same card
    "card_past_count",
    "pokemon_past_log_mean",
    "set_past_log_mean",
]
NUMERIC = [
    "card_age_days",
    "is_secret_rare",
    "hp",
    "is_graded",
    "condition_score",
    "psa_grade",
    "card_past_log_mean",
    "card_past_count",
    "pokemon_past_log_mean",
    "set_past_log_mean",
]
CATEGORICAL = ["rarity", "variant", "platform"]
CONDITION_SCORE = {"NM": 5, "LP": 4, "MP": 3, "HP": 2, "DMG": 1}


def _past_log_mean(ordered: pd.DataFrame, key: str) -> tuple[pd.Series, pd.Series]:
    """Mean log price and count of the earlier priced sales with the same key."""
    groups = ordered.groupby(key, sort=False)["log_price"]
    previous = groups.shift()  # never the row's own price
    past = previous.groupby(ordered[key], sort=False)
    return past.transform(lambda s: s.expanding().mean()), past.transform(
        lambda s: s.notna().cumsum()
    )


def build_features(sales: pd.DataFrame, cards: pd.DataFrame) -> pd.DataFrame:
    """FEATURES for every sale, with sales' index and order, from the catalog and earlier sales."""
    frame = sales.reset_index(drop=True)
    catalog = cards[["card_id", "set_code", "pokemon", "release_date", "number", "printed_total"]]
    catalog = catalog.assign(hp=cards["hp"])
    frame = frame.merge(catalog, on="card_id", how="left")  # a left merge keeps the order
    sale_date = pd.to_datetime(frame["sale_date"])
    price = frame["price_usd"] if "price_usd" in frame else pd.Series(np.nan, index=frame.index)
    frame["log_price"] = np.log(price.astype(float))

    out = pd.DataFrame(index=frame.index)
    out["card_age_days"] = (sale_date - pd.to_datetime(frame["release_date"])).dt.days
    out["is_secret_rare"] = (frame["number"] > frame["printed_total"]).astype(float)
    out["hp"] = frame["hp"].astype(float)
    out["is_graded"] = frame["psa_grade"].notna().astype(float)
    score = frame["condition"].map(CONDITION_SCORE).astype(float)
    out["condition_score"] = score.where(frame["psa_grade"].isna(), 6.0)
    out["psa_grade"] = frame["psa_grade"].astype(float)
    for column in ["rarity", "variant", "platform"]:
        out[column] = frame[column].astype(object)

    ordered = frame.assign(sale_date=sale_date).sort_values(["sale_date", "listing_id"])
    card_mean, card_count = _past_log_mean(ordered, "card_id")
    out["card_past_log_mean"] = card_mean
    out["card_past_count"] = card_count.astype(float)
    out["pokemon_past_log_mean"] = _past_log_mean(ordered, "pokemon")[0]
    out["set_past_log_mean"] = _past_log_mean(ordered, "set_code")[0]

    out = out[FEATURES]
    out.index = sales.index
    return out


def make_preprocessor():
    """A new, unfitted transformer: numbers imputed and scaled, categories one-hot encoded."""
    numbers = make_pipeline(SimpleImputer(strategy="median"), StandardScaler())
    categories = make_pipeline(
        SimpleImputer(strategy="constant", fill_value="missing"),
        OneHotEncoder(sparse_output=False),
    )
    return ColumnTransformer([("num", numbers, NUMERIC), ("cat", categories, CATEGORICAL)])


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
