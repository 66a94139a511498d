"""Domain features: what a collector knows about a card

A raw sales row says which card sold, when, and in what printing. A collector looking at the
same row knows much more: how old the card was, whether it is a secret rare, whether it is a
1st Edition copy, whether it comes from the vintage Wizards of the Coast era. Those facts drive
prices, and none of them is a column yet. Turning what experts know into columns is the heart
of feature engineering.

Write add_card_features(sales, cards): given sales (columns as in data/sales_clean.csv) and the
card catalog (as in data/cards.csv), return the sales with four new columns:

- card_age_years:   years from the card's set release (cards.release_date) to the sale
                    (sales.sale_date): days between them / 365.25. The age AT THE SALE: a card
                    sold in 2017 was young then, whatever its age is today;
- is_secret_rare:   the card's number is above its set's printed total (199/165), from the
                    catalog's number and printed_total;
- is_first_edition: the copy sold is a 1st Edition printing (the sale's variant);
- is_vintage:       the card's set was released before VINTAGE_BEFORE (the Wizards of the
                    Coast era: Base, Gym, Neo, Legendary Collection and e-Card sets).

The flags are booleans (True/False). Keep every sale, in the same order, with the same index
and the same column names it came with.

Done when: every feature matches its definition on every row, and the same sale gets the same
age whichever day you run the code.

Stuck? Run `mlings hint`.
"""

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
        is_vintage=facts["release_date"] < VINTAGE_BEFORE,
    )


if __name__ == "__main__":
    catalog = pd.read_csv(DATA / "cards.csv", parse_dates=["release_date"])
    history = pd.read_csv(DATA / "sales_clean.csv", parse_dates=["sale_date"])
    featured = add_card_features(history, catalog)
    print(featured[["card_id", "sale_date", "card_age_years", "is_secret_rare"]].head())
    print(featured.groupby("is_vintage")["price_usd"].median())
