"""WRONG: a price of exactly $0 passes (ge(0) instead of gt(0))."""

from pathlib import Path

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
            "psa_grade": pa.Column(float, pa.Check.isin(PSA_GRADES), nullable=True),
            "price_usd": pa.Column(float, pa.Check.ge(0)),
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


if __name__ == "__main__":
    data = Path(__file__).resolve().parents[2] / "data"
    cards = pd.read_csv(data / "cards.csv")
    clean = with_release_dates(
        pd.read_csv(data / "sales_clean.csv", parse_dates=["sale_date"]), cards
    )
    print(f"clean file: {len(find_bad_rows(clean))} bad rows of {len(clean)}")
    broken = clean.head(10).copy()
    broken.loc[2, "psa_grade"] = 9.5
    broken.loc[5, ["price_usd", "rarity"]] = [-12.0, "Rare Holo"]
    print(f"broken sample: bad rows {find_bad_rows(broken)}")
