"""ALTERNATIVE: a left merge of the needed catalog columns, the index put back, the age as a
Timedelta ratio, vintage by series."""

from pathlib import Path

import pandas as pd

DATA = Path(__file__).resolve().parents[2] / "data"
VINTAGE_BEFORE = pd.Timestamp("2003-07-01")  # EX Ruby & Sapphire (July 2003) opened a new era


def add_card_features(sales: pd.DataFrame, cards: pd.DataFrame) -> pd.DataFrame:
    """The sales with card_age_years, is_secret_rare, is_first_edition and is_vintage added."""
    wanted = cards[["card_id", "release_date", "number", "printed_total", "series"]]
    merged = sales.merge(wanted, on="card_id", how="left", validate="many_to_one")
    merged.index = sales.index
    out = sales.copy()
    age = merged["sale_date"] - merged["release_date"]
    out["card_age_years"] = age.dt.total_seconds() / pd.Timedelta(days=365.25).total_seconds()
    out["is_secret_rare"] = (merged["number"] - merged["printed_total"]) > 0
    out["is_first_edition"] = out["variant"].eq("1st Edition")
    out["is_vintage"] = merged["series"].isin(["Base", "Gym", "Neo", "E-Card"])
    return out


if __name__ == "__main__":
    catalog = pd.read_csv(DATA / "cards.csv", parse_dates=["release_date"])
    history = pd.read_csv(DATA / "sales_clean.csv", parse_dates=["sale_date"])
    featured = add_card_features(history, catalog)
    print(featured[["card_id", "sale_date", "card_age_years", "is_secret_rare"]].head())
    print(featured.groupby("is_vintage")["price_usd"].median())
