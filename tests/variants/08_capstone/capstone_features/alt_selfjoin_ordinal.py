"""Alternative: card history by a self-join on a time rank, ordinal-coded categories.

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
from sklearn.preprocessing import OrdinalEncoder, RobustScaler

DATA = Path(__file__).resolve().parents[2] / "data"

FEATURES: list[str] = [
    "age_years",  # years from the set's release to the sale (catalog)
    "secret_rare",  # number above the printed total (catalog)
    "number_share",  # number / printed_total: chase cards sit at the end of a set (catalog)
    "quality",  # one scale for graded and raw copies: PSA grade, or the condition's rough grade
    "graded",
    "first_edition",
    "reverse_holo",
    "card_median_before",  # median USD price of the card's earlier priced sales (self-join)
    "card_sales_before",
    "pokemon_log_mean_before",  # mean log price of the species' earlier priced sales
    "rarity",
    "platform",
]
CATEGORIES = ["rarity", "platform"]
NUMBERS = [name for name in FEATURES if name not in CATEGORIES]
CONDITION_AS_GRADE = {"NM": 7.0, "LP": 5.0, "MP": 4.0, "HP": 2.5, "DMG": 1.0}


def _positions_in_time(sales: pd.DataFrame) -> np.ndarray:
    """Each row's rank in the order (sale_date, listing_id): earlier sales have smaller ranks."""
    order = np.lexsort((sales["listing_id"].to_numpy(), sales["sale_date"].to_numpy()))
    rank = np.empty(len(sales), dtype=np.int64)
    rank[order] = np.arange(len(sales))
    return rank


def _card_history(rows: pd.DataFrame) -> pd.DataFrame:
    """Median price and count of each row's EARLIER priced sales of the same card, by self-join."""
    priced = rows.loc[rows["price"].notna(), ["card_id", "rank", "price"]]
    pairs = rows[["row", "card_id", "rank"]].merge(priced, on="card_id", suffixes=("", "_then"))
    pairs = pairs[pairs["rank_then"] < pairs["rank"]]  # strictly earlier: never itself
    stats = pairs.groupby("row")["price"].agg(["median", "size"])
    stats = stats.reindex(rows["row"])
    return pd.DataFrame(
        {
            "card_median_before": stats["median"].to_numpy(),
            "card_sales_before": stats["size"].fillna(0).to_numpy(),
        },
        index=rows.index,
    )


def _group_mean_before(rows: pd.DataFrame, key: str) -> pd.Series:
    """Mean log price of the earlier priced sales sharing `key`, from running sums."""
    ordered = rows.sort_values("rank")
    logs = np.log(ordered["price"])
    known = logs.notna().astype(float)
    total = logs.fillna(0.0).groupby(ordered[key]).cumsum() - logs.fillna(0.0)
    count = known.groupby(ordered[key]).cumsum() - known
    mean = (total / count).where(count > 0)
    return mean.reindex(rows.index)


def build_features(sales: pd.DataFrame, cards: pd.DataFrame) -> pd.DataFrame:
    """FEATURES for every sale, with sales' index and order, from the catalog and earlier sales."""
    catalog = cards.drop_duplicates("card_id").set_index("card_id")
    rows = pd.DataFrame(
        {
            "row": np.arange(len(sales)),
            "card_id": sales["card_id"].to_numpy(),
            "listing_id": sales["listing_id"].to_numpy(),
            "sale_date": pd.to_datetime(sales["sale_date"]).to_numpy(),
            "price": (
                sales["price_usd"].to_numpy(dtype=float)
                if "price_usd" in sales.columns
                else np.full(len(sales), np.nan)
            ),
        }
    )
    rows["rank"] = _positions_in_time(rows)
    rows["pokemon"] = catalog["pokemon"].reindex(rows["card_id"]).to_numpy()

    release = pd.to_datetime(catalog["release_date"]).reindex(rows["card_id"]).to_numpy()
    number = catalog["number"].reindex(rows["card_id"]).to_numpy(dtype=float)
    printed = catalog["printed_total"].reindex(rows["card_id"]).to_numpy(dtype=float)
    grade = sales["psa_grade"].to_numpy(dtype=float)
    worn = sales["condition"].map(CONDITION_AS_GRADE).to_numpy(dtype=float)
    variant = sales["variant"].to_numpy()

    out = pd.DataFrame(
        {
            "age_years": (rows["sale_date"].to_numpy() - release) / np.timedelta64(1, "D") / 365.25,
            "secret_rare": (number > printed).astype(float),
            "number_share": number / printed,
            "quality": np.where(np.isnan(grade), worn, grade),
            "graded": (~np.isnan(grade)).astype(float),
            "first_edition": (variant == "1st Edition").astype(float),
            "reverse_holo": (variant == "Reverse Holo").astype(float),
            "rarity": sales["rarity"].to_numpy(dtype=object),
            "platform": sales["platform"].to_numpy(dtype=object),
        }
    )
    out = out.join(_card_history(rows))
    out["pokemon_log_mean_before"] = _group_mean_before(rows, "pokemon").to_numpy()
    return out[FEATURES].set_axis(sales.index, axis=0)


def make_preprocessor():
    """A new, unfitted transformer: numbers imputed and scaled, categories one-hot encoded."""
    numbers = make_pipeline(
        SimpleImputer(strategy="median", add_indicator=True, keep_empty_features=True),
        RobustScaler(),
    )
    # Categories as integer codes (a tree model splits them as well as one-hot columns);
    # missing and never-seen categories get their own code, -1 and -2.
    categories = OrdinalEncoder(
        handle_unknown="use_encoded_value", unknown_value=-2, encoded_missing_value=-1
    )
    return ColumnTransformer(
        [("numbers", numbers, NUMBERS), ("categories", categories, CATEGORIES)],
        sparse_threshold=0.0,
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
