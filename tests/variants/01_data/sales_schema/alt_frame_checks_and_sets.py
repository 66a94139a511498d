"""ALTERNATIVE: every rule as its own named frame-wide check; distinct rows through a set."""

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
    rules = {
        "positive_price": lambda df: df["price_usd"] > 0,
        "real_grade": lambda df: df["psa_grade"].isna() | df["psa_grade"].isin(PSA_GRADES),
        "known_rarity": lambda df: df["rarity"].isin(RARITIES),
        "sold_after_release": lambda df: df["sale_date"] >= df["release_date"],
        "sold_before_scrape": lambda df: df["sale_date"] <= LAST_SCRAPE,
    }
    return pa.DataFrameSchema(
        {
            "price_usd": pa.Column(float),
            "psa_grade": pa.Column(float, nullable=True),
            "rarity": pa.Column(str),
            "sale_date": pa.Column(pa.DateTime),
            "release_date": pa.Column(pa.DateTime),
        },
        checks=[pa.Check(rule, name=name) for name, rule in rules.items()],
    )


def find_bad_rows(sales: pd.DataFrame) -> list:
    """The sorted, distinct index labels of the rows that fail the schema; [] if none do."""
    try:
        sales_schema().validate(sales, lazy=True)
    except pa.errors.SchemaErrors as errors:
        return sorted({int(label) for label in errors.failure_cases["index"].dropna()})
    return []


def with_release_dates(sales: pd.DataFrame, cards: pd.DataFrame) -> pd.DataFrame:
    """sales with the release_date of each card's set, joined from the catalog on card_id."""
    release = pd.to_datetime(cards.set_index("card_id")["release_date"])
    return sales.assign(release_date=sales["card_id"].map(release).astype("datetime64[us]"))
