"""WRONG: card_id as a category: far more than the 255 categories HistGradientBoosting handles."""

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


def make_features(sales: pd.DataFrame, cards: pd.DataFrame) -> pd.DataFrame:
    """Model-ready features for each sale: numbers, booleans and category columns."""
    return pd.DataFrame(
        {
            "rarity": sales["rarity"].astype("category"),
            "card_id": sales["card_id"].astype("category"),
            "psa_grade": sales["psa_grade"],
        },
        index=sales.index,
    )


if __name__ == "__main__":
    catalog = pd.read_csv(DATA / "cards.csv", parse_dates=["release_date"])
    history = pd.read_csv(DATA / "sales_clean.csv", parse_dates=["sale_date"])
    baseline = validation_mae(baseline_features, history, catalog)
    yours = validation_mae(make_features, history, catalog)
    print(f"validation MAE of log1p(price): rarity alone {baseline:.3f}, yours {yours:.3f}")
    print(f"gain: {1 - yours / baseline:.0%} (at least {REQUIRED_GAIN:.0%} needed)")
