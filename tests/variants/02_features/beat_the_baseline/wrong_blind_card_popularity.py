"""Wrong: adds each card's popularity, its number of sales over the whole frame handed in.

Breaks "never later sales (a sale's features must not change when later sales are left out)":
transform("size") per card counts the card's later sales too, so an early sale's feature
changes when later sales are dropped from the frame (the other columns are honest).
"""

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.metrics import mean_absolute_error

from mlings.folds import time_card_folds

DATA = Path(__file__).resolve().parents[2] / "data"
if not DATA.is_dir():  # this copy lives outside the repo: run it from the repo root
    DATA = Path.cwd() / "data"
CUTOFF = "2023-01-01"  # train on sales before it, validate on sales from it on
HELD_OUT_SHARE = 0.2  # the share of the cards held out for validation, never trained on
REQUIRED_GAIN = 0.10  # at least 10% lower validation MAE than the rarity alone


def fixed_model() -> HistGradientBoostingRegressor:
    """The pricing team's model: do not change it, change the features."""
    return HistGradientBoostingRegressor(
        max_iter=50, random_state=0, categorical_features="from_dtype"
    )


def baseline_features(sales: pd.DataFrame, cards: pd.DataFrame) -> pd.DataFrame:
    """The rarity alone, as a category."""
    return pd.DataFrame({"rarity": sales["rarity"].astype("category")}, index=sales.index)


def validation_mae(
    features: Callable[[pd.DataFrame, pd.DataFrame], pd.DataFrame],
    sales: pd.DataFrame,
    cards: pd.DataFrame,
) -> float:
    """Fit the fixed model on the other cards' sales before CUTOFF, return its MAE of
    log1p(price) on the held-out cards' sales from CUTOFF on (one time-and-card fold)."""
    [(train, valid)] = time_card_folds(sales, [CUTOFF], share=HELD_OUT_SHARE, seed=0)
    target = np.log1p(sales["price_usd"])
    unpriced = sales.drop(columns="price_usd")
    train_x = features(unpriced.iloc[train], cards)
    valid_x = features(unpriced.iloc[valid], cards)
    model = fixed_model().fit(train_x, target.iloc[train])
    return float(mean_absolute_error(target.iloc[valid], model.predict(valid_x)))


def make_features(sales: pd.DataFrame, cards: pd.DataFrame) -> pd.DataFrame:
    """Model-ready features for each sale: numbers, booleans and category columns."""
    lookup = cards.set_index("card_id")
    card = lookup.reindex(sales["card_id"]).set_index(sales.index)
    sold = sales["sale_date"]
    return pd.DataFrame(
        {
            "rarity": sales["rarity"].astype("category"),
            "variant": sales["variant"].astype("category"),
            "condition": sales["condition"].astype("category"),
            "psa_grade": sales["psa_grade"],
            "platform": sales["platform"].astype("category"),
            "series": card["series"].astype("category"),
            "set_code": card["set_code"].astype("category"),
            "hp": card["hp"],
            "card_age_years": (sold - card["release_date"]).dt.days / 365.25,
            "is_secret_rare": card["number"] > card["printed_total"],
            "sale_year": sold.dt.year + sold.dt.month / 12,
            "boom": sold.between("2020-07-01", "2021-12-31"),
            # popular cards are chased by collectors: how often this card sells
            "card_popularity": sales.groupby("card_id")["listing_id"].transform("size"),
        },
        index=sales.index,
    )


if __name__ == "__main__":
    catalog = pd.read_csv(DATA / "cards.csv", parse_dates=["release_date"])
    history = pd.read_csv(DATA / "sales_clean.csv", parse_dates=["sale_date"])
    baseline = validation_mae(baseline_features, history, catalog)
    yours = validation_mae(make_features, history, catalog)
    print(f"validation MAE of log1p(price): rarity alone {baseline:.3f}, yours {yours:.3f}")
    print(f"gain: {1 - yours / baseline:.1%} (at least {REQUIRED_GAIN:.0%} needed)")
