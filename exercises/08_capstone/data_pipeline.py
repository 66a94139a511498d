"""Capstone, data: from the raw scrape to clean, validated, fingerprinted sales

PokéMarket's price model will be trained on what this file produces, so every later number
(the model's error, the business case, the drift alerts) is only as good as it. The scraper
hands you data/sales_raw.csv: prices as text in three currencies, listings scraped twice, three
columns recorded after the sale, and the problems the data card lists under "Planted
problems". This file turns it into sales like data/sales_clean.csv, writes the rules of a valid
sale down as a Pandera schema, fingerprints the result so a model can name the exact data it
was trained on, and splits it by time without leaking the future into training.

Write:

- SalesSchema: a Pandera schema (`pa.DataFrameModel` or `pa.DataFrameSchema`) for CLEAN sales,
  with exactly the columns of data/sales_clean.csv (CLEAN_COLUMNS). It accepts every row of the
  clean file and rejects a row with: a price_usd that is missing, 0 or less; a rarity,
  platform, variant, condition or currency missing where required or not spelled as in the
  constants below; a psa_grade not in PSA_GRADES; both or neither of condition and psa_grade;
  a missing sale_date, one after LAST_SCRAPE or one before its card's set was released
  (release_dates() gives them); a listing_id that appears twice. A frame with another
  column (a leaky price_eur) fails too.
- clean_sales(raw): the raw scrape (as load_raw reads it) -> clean sales:
    - one row per listing_id, its latest scrape;
    - price_usd: the price text in US dollars, rounded to the cent, with the FX_TO_USD rates
      (1 EUR = 1.10 USD, 1 GBP = 1.27 USD); when currency is missing, the symbol in the text
      tells it ("$", "US $", "£", "€", "EUR");
    - a cents typo (a price typed 100 times too high) is fixed or dropped, never kept as is;
    - rows whose problem cannot be repaired are dropped (no price, a refund, an impossible
      grade or date, a raw copy without a condition); a misspelled or missing rarity is
      repaired from the card catalog, where every card has one; a missing platform is
      repaired only if you can tell it for sure, else the row is dropped;
    - exactly the columns CLEAN_COLUMNS (scraped_at and the leaky columns go), sorted by
      sale_date then listing_id, and valid under SalesSchema (validate before returning).
- fingerprint(frame): a SHA-256 hex digest of the frame's column names and cells. The same
  rows in another order, or with another index, give the same fingerprint; one changed cell
  gives another. It is the same in every Python process (the built-in hash() is not).
- time_split(sales, cutoff): (train, test) with train = the sales dated before cutoff and
  test = those on or after it: every sale in exactly one of them, rows and index unchanged.

Done when: the schema catches every kind of planted problem and passes the good rows,
clean_sales turns the raw file into the clean file's sales (minus the rows it had to drop),
and the same raw data always gives the same fingerprint.

Stuck? Run `mlings hint`.
"""

import functools
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from mlings.dataset import FX_TO_USD  # {"USD": 1.0, "EUR": 1.10, "GBP": 1.27}

DATA = Path(__file__).resolve().parents[2] / "data"

CLEAN_COLUMNS = [
    "listing_id",
    "card_id",
    "sale_date",
    "platform",
    "rarity",
    "variant",
    "condition",
    "psa_grade",
    "currency",
    "price_usd",
]
LEAKY_COLUMNS = ["price_eur", "price_bucket", "psa_population"]  # recorded after the sale
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
PLATFORMS = ("TCGplayer", "eBay", "Cardmarket", "PokéMarket")
VARIANTS = ("Normal", "1st Edition", "Reverse Holo")
CONDITIONS = ("NM", "LP", "MP", "HP", "DMG")
CURRENCIES = tuple(FX_TO_USD)  # USD, EUR, GBP
PSA_GRADES = (*(g / 2 for g in range(2, 18)), 9.0, 10.0)  # 1, 1.5, 2, ... 8.5, 9, 10: no 9.5
LAST_SCRAPE = pd.Timestamp("2024-12-31 23:59:59")  # the raw file's last scrape


def load_raw(path: Path = DATA / "sales_raw.csv") -> pd.DataFrame:
    """The raw scrape as a frame, dates parsed. (no need to change this function)"""
    return pd.read_csv(path, parse_dates=["scraped_at", "sale_date"])


@functools.cache
def load_cards(path: Path = DATA / "cards.csv") -> pd.DataFrame:
    """The card catalog, read once. (no need to change this function)"""
    return pd.read_csv(path, parse_dates=["release_date"])


def release_dates() -> pd.Series:
    """The release date of each card's set, by card_id. (no need to change this function)"""
    return load_cards().set_index("card_id")["release_date"]


class SalesSchema(pa.DataFrameModel):
    """A clean sale: one row per listing, every value possible, priced in USD."""

    # TODO: a field for each of CLEAN_COLUMNS with its rules (pa.Field(isin=..., gt=...,
    # unique=..., nullable=...)), a Config without coercion, and a @pa.dataframe_check for
    # each rule that compares columns (condition vs psa_grade, sale_date vs release date).
    card_id: str


def clean_sales(raw: pd.DataFrame) -> pd.DataFrame:
    """The raw scrape as clean sales: deduplicated, in USD, repaired or dropped, validated."""
    # TODO: keep the latest scrape of each listing; parse the price text into USD (the
    # currency, or the symbol when it is missing); fix or drop cents typos; repair what can
    # be repaired, drop what cannot; keep CLEAN_COLUMNS, sort, validate with SalesSchema.
    raise NotImplementedError("clean_sales: from the raw scrape to validated clean sales")


def fingerprint(frame: pd.DataFrame) -> str:
    """SHA-256 hex digest of the column names and cells, whatever the row order and index."""
    # TODO: hashlib.sha256 over the column names and the rows, in an order that does not
    # depend on how the rows came.
    raise NotImplementedError("fingerprint: a content hash, stable across row orders")


def time_split(sales: pd.DataFrame, cutoff: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(train, test): the sales dated before cutoff, and those on or after it."""
    # TODO: compare sale_date with the cutoff; every sale on exactly one side.
    raise NotImplementedError("time_split: train before the cutoff, test from it on")


if __name__ == "__main__":
    raw = load_raw()
    clean = clean_sales(raw)
    print(f"{len(raw)} raw rows -> {len(clean)} clean sales")
    print(f"fingerprint: {fingerprint(clean)}")
    reference = pd.read_csv(DATA / "sales_clean.csv", parse_dates=["sale_date"])
    kept = reference[reference["listing_id"].isin(clean["listing_id"])].reset_index(drop=True)
    same = np.isclose(kept["price_usd"], clean["price_usd"], atol=0.011).mean()
    print(f"prices equal to the clean file's: {same:.2%} of {len(clean)} kept sales")
    train, test = time_split(clean, "2024-01-01")
    print(f"train {len(train)} sales before 2024, test {len(test)} in 2024")
