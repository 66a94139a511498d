"""WRONG: checks grades with a 1-to-10 range, which lets 9.5 through."""

import pandas as pd
import pandera.pandas as pa

RARITIES = (
    "Common",
    "Uncommon",
    "Rare",
    "Holo Rare",
    "Ultra Rare",
    "Full Art Rare",
    "Secret Rare",
    "Gold Star",
    "Shining Holo Rare",
    "Amazing Rare",
    "Double Rare",
    "Illustration Rare",
    "Special Illustration Rare",
    "Hyper Rare",
    "Black White Rare",
    "Mega Hyper Rare",
)
PSA_GRADES = (*(g / 2 for g in range(2, 18)), 9.0, 10.0)  # 1, 1.5, 2, ... 8.5, 9, 10: no 9.5
LAST_SCRAPE = pd.Timestamp("2024-12-31 23:59:59")  # a sale after this is in the future


def sales_schema() -> pa.DataFrameSchema:
    """The contract every batch of sales must meet."""
    return pa.DataFrameSchema(
        {
            "listing_id": pa.Column(int),
            "card_id": pa.Column(str),
            "sale_date": pa.Column("datetime64[us]", pa.Check.le(LAST_SCRAPE)),
            "rarity": pa.Column(str, pa.Check.isin(RARITIES)),
            "psa_grade": pa.Column(float, pa.Check.in_range(1, 10), nullable=True),
            "price_usd": pa.Column(float, pa.Check.gt(0)),
            "release_date": pa.Column("datetime64[us]"),
        },
        checks=pa.Check(
            lambda frame: frame["sale_date"] >= frame["release_date"],
            name="sold_after_release",
        ),
    )


def find_bad_rows(sales: pd.DataFrame) -> list:
    """The sorted, distinct index labels of the rows that fail the schema; [] if none do."""
    try:
        sales_schema().validate(sales, lazy=True)
    except pa.errors.SchemaErrors as errors:
        return sorted(errors.failure_cases["index"].dropna().unique().tolist())
    return []


def with_release_dates(sales: pd.DataFrame, cards: pd.DataFrame) -> pd.DataFrame:
    """sales with the release_date of each card's set, joined from the catalog on card_id."""
    release = pd.to_datetime(cards.set_index("card_id")["release_date"])
    return sales.assign(release_date=sales["card_id"].map(release).astype("datetime64[us]"))
