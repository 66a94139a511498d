"""Wrong: adds each card's mean log price read from data/sales_clean.csv (a price lookup).

Breaks "never a file such as data/sales_clean.csv, whose prices include this very sale's" (and
"never later sales"): the card's mean price over the whole file includes the sale's own price
and every later sale of it, so the gain is far beyond what honest features can give.
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
    released = sales["card_id"].map(lookup["release_date"])
    # what the same card sells for: its average log price in the sales history
    history = pd.read_csv(DATA / "sales_clean.csv", usecols=["card_id", "price_usd"])
    card_price = np.log1p(history["price_usd"]).groupby(history["card_id"]).mean()
    return pd.DataFrame(
        {
            "rarity": sales["rarity"].astype("category"),
            "variant": sales["variant"].astype("category"),
            "condition": sales["condition"].astype("category"),
            "psa_grade": sales["psa_grade"],
            "platform": sales["platform"].astype("category"),
            "series": sales["card_id"].map(lookup["series"]).astype("category"),
            "card_age_years": (sales["sale_date"] - released).dt.days / 365.25,
            "is_secret_rare": sales["card_id"].map(lookup["number"] > lookup["printed_total"]),
            "sale_year": sales["sale_date"].dt.year,
            "card_mean_log_price": sales["card_id"].map(card_price),
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
