"""Correct: catalog joined with merge (index put back), ordinal copy quality, era/age/boom features.

Only the sale row and the catalog are used (no file reads, nothing computed across sales):
the copy sold (variant, condition as an ordinal number, PSA grade, graded flag), the card
(series, set, rarity, secret rare, release year, age at the sale, hp, holo, stage, type) and the
market on the sale's date (fractional year, a 2020-21 boom flag, platform). Text is category,
with its categories fixed from the catalog (or the data card), not from the rows handed in.
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


CONDITION_RANK = {"DMG": 1, "HP": 2, "MP": 3, "LP": 4, "NM": 5}
VARIANTS = ["Normal", "1st Edition", "Reverse Holo"]  # as in the data card
PLATFORMS = ["TCGplayer", "eBay", "Cardmarket", "PokéMarket"]
CATALOG_COLUMNS = [
    "card_id",
    "set_code",
    "series",
    "release_date",
    "number",
    "printed_total",
    "hp",
    "holo",
    "stage",
    "type",
]


def make_features(sales: pd.DataFrame, cards: pd.DataFrame) -> pd.DataFrame:
    """Model-ready features for each sale: numbers, booleans and category columns."""
    card = (
        sales[["card_id"]]
        .merge(cards[CATALOG_COLUMNS], on="card_id", how="left", validate="many_to_one")
        .set_axis(sales.index)
    )

    def fixed(values: pd.Series, categories) -> pd.Series:
        # the same categories whatever rows are handed in (taken from the catalog or the card)
        return pd.Series(
            pd.Categorical(values, categories=sorted(set(categories))), index=values.index
        )

    sold = pd.to_datetime(sales["sale_date"])
    released = pd.to_datetime(card["release_date"])
    year_of_sale = sold.dt.year + (sold.dt.day_of_year - 1) / 365.25
    out = pd.DataFrame(
        {
            # the copy sold
            "variant": fixed(sales["variant"], VARIANTS),
            "condition_rank": sales["condition"].map(CONDITION_RANK).astype(float),
            "psa_grade": sales["psa_grade"].astype(float),
            "graded": sales["psa_grade"].notna(),
            # the card
            "rarity": fixed(sales["rarity"], cards["rarity"].dropna()),
            "series": fixed(card["series"], cards["series"].dropna()),
            "set_code": fixed(card["set_code"], cards["set_code"].dropna()),
            "secret_rare": card["number"] > card["printed_total"],
            "release_year": released.dt.year + (released.dt.day_of_year - 1) / 365.25,
            "age_years": (sold - released).dt.days / 365.25,
            "hp": card["hp"].astype(float),
            "holo": card["holo"].astype(bool),
            "stage": fixed(card["stage"], cards["stage"].dropna()),
            "type": fixed(card["type"], cards["type"].dropna()),
            # the market on the sale's date
            "year_of_sale": year_of_sale,
            "boom": (sold >= "2020-07-01") & (sold < "2022-01-01"),
            "platform": fixed(sales["platform"], PLATFORMS),
        },
        index=sales.index,
    )
    return out


if __name__ == "__main__":
    catalog = pd.read_csv(DATA / "cards.csv", parse_dates=["release_date"])
    history = pd.read_csv(DATA / "sales_clean.csv", parse_dates=["sale_date"])
    baseline = validation_mae(baseline_features, history, catalog)
    yours = validation_mae(make_features, history, catalog)
    print(f"validation MAE of log1p(price): rarity alone {baseline:.3f}, yours {yours:.3f}")
    print(f"gain: {1 - yours / baseline:.1%} (at least {REQUIRED_GAIN:.0%} needed)")
