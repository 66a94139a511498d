"""Beat the baseline with better features

Time to put the module together. The pricing team fixed the model and the split: a
HistGradientBoosting regressor with fixed settings and seed, trained on log1p(price) of sales
before 2023 and scored (the mean absolute error of log1p(price), roughly the typical relative
error) on the 2023-2024 sales of a fifth of the cards held out: cards it never saw sold, as
most cards a seller lists are. That is the time-and-card split of module 1, cut by
mlings.folds as module 3 will. The model does not change; only the features you feed it do.
Fed the rarity alone, it does what the per-rarity baseline does. Your job: give it features
that make it clearly better on cards it has never seen.

What drives a card's price? The rarity, but also which copy sold (1st Edition, reverse holo, a
PSA 10 slab or a damaged raw copy), the era and the age of the card, whether it is a secret
rare, the set it comes from, the platform, and when the sale happened (the 2020-21 boom).
Most of that sits in the catalog, not in the sales table: you built several of these columns
earlier in this module.

Write make_features(sales, cards): given sales (columns as in data/sales_clean.csv, but
WITHOUT price_usd: a listing's features cannot use its own price) and the card catalog, return
a DataFrame with one row per sale (same index) whose columns the fixed model can use:

- numbers or booleans;
- text categories as the pandas category dtype (.astype("category")): pandas 3 stores text as
  the str dtype, which HistGradientBoosting cannot use, while a category column it splits on
  natively. A category column may have at most 255 distinct values (so not card_id).

The features see only what they are handed: the sale itself, the catalog, and earlier sales in
the frame — never later sales (a sale's features must not change when later sales are left
out) and never a file such as data/sales_clean.csv, whose prices include this very sale's.

Done when: the fixed model's validation error with your features is at least 10% lower than
with the rarity alone, and not so far lower that only a leak explains it. validation_mae below
does what the check does (on a smaller sample of sales); run this file to see your gain on the
real data.

Stuck? Run `mlings hint`.
"""

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
    # TODO: look each sale's card up in the catalog (by card_id), then build the columns.
    raise NotImplementedError("make_features: the columns that drive a card's price")


if __name__ == "__main__":
    catalog = pd.read_csv(DATA / "cards.csv", parse_dates=["release_date"])
    history = pd.read_csv(DATA / "sales_clean.csv", parse_dates=["sale_date"])
    baseline = validation_mae(baseline_features, history, catalog)
    yours = validation_mae(make_features, history, catalog)
    print(f"validation MAE of log1p(price): rarity alone {baseline:.3f}, yours {yours:.3f}")
    print(f"gain: {1 - yours / baseline:.1%} (at least {REQUIRED_GAIN:.0%} needed)")
