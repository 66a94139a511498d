"""Parse messy prices into dollars

PokéMarket's scraper kept every price the way its platform shows it: "$1,200.00" on TCGplayer,
"US $45.00" on eBay, "£45" on eBay UK, "1.200,50 €" on Cardmarket, "EUR 1.200,50" on eBay
Germany and a bare "12.5" on PokéMarket itself. Some rows say "Best Offer" or nothing at all,
refunds were logged as "-$12.00", and a few sellers typed cents as dollars. Nothing downstream
can use a price until it is one number, in US dollars.

Write:

- parse_price(text, currency): one displayed price in US dollars, rounded to the cent;
- prices_to_usd(raw):          parse_price for every row of a raw sales table (its `price` and
                               `currency` columns): a float Series with the table's index.

The rules:

- Thousands separators and decimal marks depend on the currency: euro prices are written
  "1.200,50" (dot for thousands, comma for decimals), dollar and pound prices "1,200.50".
- Convert with the fixed table FX_TO_USD (1 EUR = 1.10 USD, 1 GBP = 1.27 USD):
  round(amount * rate, 2).
- The `currency` column is sometimes missing; the text still shows the symbol ("$", "US $",
  "£", "€", "EUR"). A price with neither a currency nor a symbol cannot be converted: NaN.
- A refund keeps its minus sign: "-$12.00" is -12.0 (the schema exercise rejects it later).
- No number at all ("Best Offer", "$$$", "ask", an empty or missing price) gives NaN. Never
  raise, never drop a row: every scraped row gets a price or NaN.
- A cents typo ("$1,250.00" for a $12.50 card) looks exactly like a real $1,250 sale; parse
  what is written. Spotting it takes other data, not the text.

Done when: every format above parses to the clean file's dollars, missing currencies are read
from the symbol, and prices_to_usd returns one value per row, in the same order, with the same
index. `float(text.strip("$"))` handles only the first of these formats.

Stuck? Run `mlings hint`.
"""

from pathlib import Path

import pandas as pd

from mlings.dataset import FX_TO_USD  # noqa: F401 -- {"USD": 1.0, "EUR": 1.10, "GBP": 1.27}


def parse_price(text: str | float, currency: str | float) -> float:
    """One displayed price in USD, rounded to the cent; NaN when there is no number."""
    # TODO: find the number in the text; pick the currency (the column, else the symbol);
    # read "1.200,50" or "1,200.50" by that currency; keep a leading minus; convert with
    # FX_TO_USD and round to the cent. A missing text (NaN) or no digits at all: math.nan.
    raise NotImplementedError("parse_price: turn one displayed price into US dollars")


def prices_to_usd(raw: pd.DataFrame) -> pd.Series:
    """price_usd for every row of raw, from its `price` and `currency` columns; same index."""
    # TODO: parse_price for every row; a float Series with raw's index, one value per row.
    raise NotImplementedError("prices_to_usd: parse every row, keep the index")


if __name__ == "__main__":
    data = Path(__file__).resolve().parents[2] / "data"
    raw = pd.read_csv(data / "sales_raw.csv")
    usd = prices_to_usd(raw)
    print(pd.DataFrame({"price": raw["price"], "currency": raw["currency"], "usd": usd}).sample(8))
    print(f"{usd.isna().sum()} of {len(raw)} rows have no price")
