"""Wrong: drop_duplicates keeps each listing's FIRST scrape, not its latest.

Capstone, data: from the raw scrape to clean, validated, fingerprinted sales

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

    listing_id: int = pa.Field(unique=True)
    card_id: str
    sale_date: pd.Timestamp = pa.Field(le=LAST_SCRAPE)
    platform: str = pa.Field(isin=PLATFORMS)
    rarity: str = pa.Field(isin=RARITIES)
    variant: str = pa.Field(isin=VARIANTS)
    condition: str = pa.Field(isin=CONDITIONS, nullable=True)
    psa_grade: float = pa.Field(isin=PSA_GRADES, nullable=True)
    currency: str = pa.Field(isin=CURRENCIES)
    price_usd: float = pa.Field(gt=0)

    class Config:
        strict = True  # another column (a leaky price_eur) fails
        coerce = False

    @pa.dataframe_check
    def condition_xor_grade(cls, df: pd.DataFrame) -> pd.Series:
        """A raw copy has a condition, a graded one a PSA grade: exactly one of them."""
        return df["condition"].isna() != df["psa_grade"].isna()

    @pa.dataframe_check
    def sold_after_release(cls, df: pd.DataFrame) -> pd.Series:
        """Nobody sells a card before its set is out."""
        released = df["card_id"].map(release_dates())
        return df["sale_date"] >= released


SYMBOL_CURRENCY = [("£", "GBP"), ("€", "EUR"), ("EUR", "EUR"), ("$", "USD")]
FORMAT_PLATFORM = [
    (r"^-?US \$", "eBay"),
    (r"^-?\$", "TCGplayer"),
    (r"^-?£", "eBay"),
    (r"^-?EUR ", "eBay"),
    (r" €$", "Cardmarket"),
    (r"^-?[\d.]+$", "PokéMarket"),
]


def _currency_from_symbol(text: pd.Series) -> pd.Series:
    currency = pd.Series(np.nan, index=text.index, dtype=object)
    for symbol, code in SYMBOL_CURRENCY:
        currency = currency.where(currency.notna() | ~text.str.contains(symbol, regex=False), code)
    return currency


def _platform_from_format(text: pd.Series) -> pd.Series:
    platform = pd.Series(np.nan, index=text.index, dtype=object)
    for pattern, name in FORMAT_PLATFORM:
        platform = platform.where(platform.notna() | ~text.str.contains(pattern), name)
    return platform


def _amount(text: pd.Series, currency: pd.Series) -> pd.Series:
    """The number in the price text, in its own currency (NaN when there is none)."""
    digits = text.str.replace(r"[^0-9.,\-]", "", regex=True)
    decimal_comma = currency == "EUR"  # 1.200,50 € and EUR 1.200,50
    european = digits.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    english = digits.str.replace(",", "", regex=False)
    return pd.to_numeric(european.where(decimal_comma, english), errors="coerce")


def clean_sales(raw: pd.DataFrame) -> pd.DataFrame:
    """The raw scrape as clean sales: deduplicated, in USD, repaired or dropped, validated."""
    sales = raw.sort_values("scraped_at", kind="stable").drop_duplicates("listing_id")
    sales = sales.copy()
    text = sales["price"].astype(object).fillna("").astype(str).str.strip()

    sales["currency"] = sales["currency"].astype(object).fillna(_currency_from_symbol(text))
    sales["platform"] = sales["platform"].astype(object).fillna(_platform_from_format(text))

    amount = _amount(text, sales["currency"])
    usd = (amount * sales["currency"].map(FX_TO_USD)).round(2)
    # A cents typo is 100x the price the platform paid out (price_eur, recorded after the
    # sale): only used here to check the price, never kept.
    paid_usd = sales["price_eur"] * FX_TO_USD["EUR"]
    typo = usd > 20 * paid_usd
    usd = usd.where(~typo, (amount / 100 * sales["currency"].map(FX_TO_USD)).round(2))
    sales["price_usd"] = usd

    sales["rarity"] = sales["card_id"].map(load_cards().set_index("card_id")["rarity"])

    released = sales["card_id"].map(release_dates())
    keep = (
        sales["price_usd"].gt(0)
        & sales["currency"].isin(CURRENCIES)
        & sales["platform"].isin(PLATFORMS)
        & sales["rarity"].isin(RARITIES)
        & (sales["psa_grade"].isna() | sales["psa_grade"].isin(PSA_GRADES))
        & (sales["condition"].isna() != sales["psa_grade"].isna())
        & sales["sale_date"].notna()
        & (sales["sale_date"] <= LAST_SCRAPE)
        & (sales["sale_date"] >= released)
    )
    clean = sales.loc[keep, CLEAN_COLUMNS].sort_values(["sale_date", "listing_id"])
    clean = clean.reset_index(drop=True)
    return SalesSchema.validate(clean)


def fingerprint(frame: pd.DataFrame) -> str:
    """SHA-256 hex digest of the column names and cells, whatever the row order and index."""
    rows = frame.sort_values(list(frame.columns)).reset_index(drop=True)
    digest = hashlib.sha256()
    digest.update("\x1f".join(map(str, frame.columns)).encode())
    digest.update(rows.to_csv(index=False, header=False).encode())
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
