"""ALTERNATIVE: one Series.map per catalog column, numpy where for the flags, ages in days then
years."""

from pathlib import Path

import numpy as np
import pandas as pd

DATA = Path(__file__).resolve().parents[2] / "data"
VINTAGE_BEFORE = pd.Timestamp("2003-07-01")  # EX Ruby & Sapphire (July 2003) opened a new era


def add_card_features(sales: pd.DataFrame, cards: pd.DataFrame) -> pd.DataFrame:
    """The sales with card_age_years, is_secret_rare, is_first_edition and is_vintage added."""
    by_id = cards.set_index("card_id")
    released = sales["card_id"].map(by_id["release_date"])
    number = sales["card_id"].map(by_id["number"])
    total = sales["card_id"].map(by_id["printed_total"])
    days = (sales["sale_date"] - released) / np.timedelta64(1, "D")
    result = sales.copy()
    result["card_age_years"] = days / 365.25
    result["is_secret_rare"] = np.where(number > total, True, False)
    result["is_first_edition"] = np.where(sales["variant"] == "1st Edition", True, False)
    result["is_vintage"] = (released < VINTAGE_BEFORE).to_numpy()
    return result


if __name__ == "__main__":
    catalog = pd.read_csv(DATA / "cards.csv", parse_dates=["release_date"])
    history = pd.read_csv(DATA / "sales_clean.csv", parse_dates=["sale_date"])
    featured = add_card_features(history, catalog)
    print(featured[["card_id", "sale_date", "card_age_years", "is_secret_rare"]].head())
    print(featured.groupby("is_vintage")["price_usd"].median())
