"""WRONG: counts a set released on VINTAGE_BEFORE itself as vintage (<= instead of <)."""

from pathlib import Path

import pandas as pd

DATA = Path(__file__).resolve().parents[2] / "data"
VINTAGE_BEFORE = pd.Timestamp("2003-07-01")  # EX Ruby & Sapphire (July 2003) opened a new era


def add_card_features(sales: pd.DataFrame, cards: pd.DataFrame) -> pd.DataFrame:
    """The sales with card_age_years, is_secret_rare, is_first_edition and is_vintage added."""
    card = cards.set_index("card_id")[["release_date", "number", "printed_total"]]
    facts = card.reindex(sales["card_id"]).set_axis(sales.index)
    return sales.assign(
        card_age_years=(sales["sale_date"] - facts["release_date"]).dt.days / 365.25,
        is_secret_rare=facts["number"] > facts["printed_total"],
        is_first_edition=sales["variant"] == "1st Edition",
        is_vintage=facts["release_date"] <= VINTAGE_BEFORE,
    )


if __name__ == "__main__":
    catalog = pd.read_csv(DATA / "cards.csv", parse_dates=["release_date"])
    history = pd.read_csv(DATA / "sales_clean.csv", parse_dates=["sale_date"])
    featured = add_card_features(history, catalog)
    print(featured[["card_id", "sale_date", "card_age_years", "is_secret_rare"]].head())
    print(featured.groupby("is_vintage")["price_usd"].median())
