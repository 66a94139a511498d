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
import hashlib
import json
import re
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

# What a price text shows, and the currency it means; "US $" before "$", as it contains it.
SYMBOLS = (("US $", "USD"), ("EUR", "EUR"), ("€", "EUR"), ("£", "GBP"), ("$", "USD"))
NUMBER = re.compile(r"\d[\d.,]*")


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

    listing_id: int = pa.Field(unique=True)
    card_id: str
    sale_date: pa.typing.DateTime = pa.Field(le=LAST_SCRAPE)
    platform: str = pa.Field(isin=PLATFORMS)
    rarity: str = pa.Field(isin=RARITIES)
    variant: str = pa.Field(isin=VARIANTS)
    condition: str = pa.Field(isin=CONDITIONS, nullable=True)
    psa_grade: float = pa.Field(isin=PSA_GRADES, nullable=True)
    currency: str = pa.Field(isin=CURRENCIES)
    price_usd: float = pa.Field(gt=0)

    class Config:
        strict = True  # no leaky or stray columns
        coerce = False  # report bad values, never convert them

    @pa.dataframe_check
    def graded_or_conditioned(cls, frame: pd.DataFrame) -> pd.Series:
        """Exactly one of condition (a raw copy) and psa_grade (a graded one)."""
        return frame["condition"].isna() != frame["psa_grade"].isna()

    @pa.dataframe_check
    def sold_after_release(cls, frame: pd.DataFrame) -> pd.Series:
        """Never sold before the card's set came out (an unknown card fails too)."""
        return frame["sale_date"] >= frame["card_id"].map(release_dates())


def _parse_price(text: object, currency: object) -> tuple[float, str | None]:
    """(amount as written, currency) of one price text; (NaN, None) without a number."""
    if not isinstance(text, str) or (match := NUMBER.search(text)) is None:
        return np.nan, None
    if currency not in FX_TO_USD:
        currency = next((code for symbol, code in SYMBOLS if symbol in text), None)
    digits = match.group()
    if currency == "EUR":
        digits = digits.replace(".", "").replace(",", ".")
    else:
        digits = digits.replace(",", "")
    sign = -1.0 if text.lstrip().startswith("-") else 1.0
    return sign * float(digits), currency


def _to_usd(raw: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(price_usd, currency) of every raw row; a cents typo divided back by 100."""
    parsed = [_parse_price(t, c) for t, c in zip(raw["price"], raw["currency"], strict=True)]
    amount = pd.Series([a for a, _ in parsed], index=raw.index, dtype=float)
    currency = pd.Series([c for _, c in parsed], index=raw.index, dtype="str")
    rate = currency.map(FX_TO_USD).astype(float)
    # The payout report (price_eur) is leaky as a feature, but it is the same sale's price
    # from another source: a scraped price 100 times the payout is a price typed in cents.
    ratio = amount * rate / (raw["price_eur"] * FX_TO_USD["EUR"])
    amount = amount.where(~ratio.between(50, 200), amount / 100)
    return (amount * rate).round(2), currency


def clean_sales(raw: pd.DataFrame) -> pd.DataFrame:
    """The raw scrape as clean sales: deduplicated, in USD, repaired or dropped, validated."""
    latest = raw.sort_values(["listing_id", "scraped_at"]).drop_duplicates(
        "listing_id", keep="last"
    )
    price_usd, currency = _to_usd(latest)
    sales = latest.assign(
        price_usd=price_usd,
        currency=currency,
        rarity=latest["card_id"].map(load_cards().set_index("card_id")["rarity"]),
        sale_date=latest["sale_date"].astype("datetime64[us]"),
    )
    release = sales["card_id"].map(release_dates())
    grade = sales["psa_grade"]
    valid = (
        sales["price_usd"].gt(0)
        & sales["currency"].notna()
        & sales["rarity"].notna()
        & sales["platform"].notna()
        & (grade.isna() | grade.isin(PSA_GRADES))
        & (grade.isna() != sales["condition"].isna())
        & sales["sale_date"].between(release, LAST_SCRAPE)
    )
    clean = sales.loc[valid, CLEAN_COLUMNS].sort_values(["sale_date", "listing_id"])
    return SalesSchema.validate(clean.reset_index(drop=True))


def fingerprint(frame: pd.DataFrame) -> str:
    """SHA-256 hex digest of the column names and cells, whatever the row order and index."""
    digest = hashlib.sha256(json.dumps([str(c) for c in frame.columns]).encode())
    rows = pd.util.hash_pandas_object(frame, index=False).to_numpy()
    digest.update(np.sort(rows).tobytes())
    return digest.hexdigest()


def time_split(sales: pd.DataFrame, cutoff: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(train, test): the sales dated before cutoff, and those on or after it."""
    before = sales["sale_date"] < pd.Timestamp(cutoff)
    return sales[before], sales[~before]


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
