"""ALTERNATIVE: a merge with the index put back, the condition as an ordinal rank, a graded
flag, the release year and a month counter for the market."""

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.metrics import mean_absolute_error

from mlings.folds import time_card_folds

DATA = Path(__file__).resolve().parents[2] / "data"
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


CONDITION_RANK = {"DMG": 0, "HP": 1, "MP": 2, "LP": 3, "NM": 4}


def make_features(sales: pd.DataFrame, cards: pd.DataFrame) -> pd.DataFrame:
    """Model-ready features for each sale: numbers, booleans and category columns."""
    card = sales[["card_id"]].merge(cards, on="card_id", how="left", validate="many_to_one")
    card.index = sales.index  # a merge numbers its rows 0..n-1: put the sales' index back
    graded = sales["psa_grade"].notna()
    return pd.DataFrame(
        {
            "rarity": sales["rarity"].astype("category"),
            "variant": sales["variant"].astype("category"),
            "condition_rank": sales["condition"].map(CONDITION_RANK),
            "graded": graded,
            "psa_grade": sales["psa_grade"].fillna(0.0),
            "release_year": card["release_date"].dt.year,
            "years_old": (sales["sale_date"] - card["release_date"]).dt.days / 365.25,
            "secret_rare": card["number"] > card["printed_total"],
            "first_edition_print": card["has_first_edition"],
            "sale_month": sales["sale_date"].dt.year * 12 + sales["sale_date"].dt.month,
        },
        index=sales.index,
    )
