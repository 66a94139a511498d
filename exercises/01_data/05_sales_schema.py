"""A Pandera schema for card sales

Tomorrow's model will learn whatever the sales table says, including a refund logged as a
-$12 sale, a PSA 11 (PSA grades stop at 10, and there is no 9.5), a rarity spelled "Rare Holo",
a card sold three years before its set came out, or a sale dated 2031. Instead of hunting
these by hand every week, write the rules down once, as a Pandera schema, and run it on every
batch: the schema is the contract for what a valid sale is.

A batch has the columns of data/sales_clean.csv (listing_id, card_id, sale_date, platform,
rarity, variant, condition, psa_grade, currency, price_usd) plus release_date, the release
date of the card's set (`with_release_dates` below joins it from cards.csv). The dates are
datetime64[us], pandas 3's default unit. Write:

- sales_schema(): a `pa.DataFrameSchema` (or a `pa.DataFrameModel`) that accepts every row of
  the clean file and rejects: a price_usd of 0 or less; a psa_grade that is not in PSA_GRADES
  (a missing grade is fine: raw copies have none); a rarity that is not spelled exactly as
  in RARITIES; a sale_date before its release_date (a check on the whole frame, as it
  compares two columns); a sale_date after LAST_SCRAPE.
- find_bad_rows(sales): validate lazily (`lazy=True`, so every failing check is reported, not
  only the first) and return the sorted list of DISTINCT index labels of the rows that failed
  anything; [] when the batch is valid.

Report, never repair: no `coerce=True` that would quietly turn a bad value into a valid one
(a PSA 9.5 cast to an integer grade becomes a 9).

Done when: the clean file passes, each planted defect is caught on exactly its rows, and a row
that breaks several rules is listed once.

Stuck? Run `mlings hint`.
"""

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
    # TODO: pa.DataFrameSchema({column: pa.Column(dtype, checks, nullable=...)}, checks=...):
    # a Column for each rule on one column, and a frame-wide pa.Check for the rule that
    # compares sale_date with release_date.
    raise NotImplementedError("sales_schema: write the rules as a pa.DataFrameSchema")


def find_bad_rows(sales: pd.DataFrame) -> list:
    """The sorted, distinct index labels of the rows that fail the schema; [] if none do."""
    # TODO: validate lazily and catch pa.errors.SchemaErrors; its .failure_cases frame has
    # one row per failure, with the failing row's label in its "index" column.
    raise NotImplementedError("find_bad_rows: lazy validation, distinct failing rows")


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
