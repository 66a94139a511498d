"""ALTERNATIVE: a class-based pa.DataFrameModel with Field rules and a dataframe_check;
sales_schema returns the model class itself."""

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

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


class Sales(pa.DataFrameModel):
    """A batch of card sales with their set's release date."""

    listing_id: Series[int]
    sale_date: Series[pd.Timestamp] = pa.Field(le=LAST_SCRAPE)
    rarity: Series[str] = pa.Field(isin=list(RARITIES))
    psa_grade: Series[float] = pa.Field(isin=list(PSA_GRADES), nullable=True)
    price_usd: Series[float] = pa.Field(gt=0)
    release_date: Series[pd.Timestamp]

    @pa.dataframe_check
    def sold_after_release(cls, frame: pd.DataFrame) -> Series[bool]:
        return frame["sale_date"] >= frame["release_date"]


def sales_schema() -> type[Sales]:
    """The contract every batch of sales must meet."""
    return Sales


def find_bad_rows(sales: pd.DataFrame) -> list:
    """The sorted, distinct index labels of the rows that fail the schema; [] if none do."""
    try:
        Sales.validate(sales, lazy=True)
    except pa.errors.SchemaErrors as errors:
        failing = pd.Index(errors.failure_cases["index"].dropna()).unique()
        return failing.sort_values().tolist()
    return []
