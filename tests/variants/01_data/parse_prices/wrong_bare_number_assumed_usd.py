"""WRONG: a bare number with no currency and no symbol is taken as dollars, not NaN."""

import math
import re
from pathlib import Path

import pandas as pd

from mlings.dataset import FX_TO_USD  # {"USD": 1.0, "EUR": 1.10, "GBP": 1.27}

# What the text shows, and the currency it means; "US $" before "$", as it contains it.
SYMBOLS = (("US $", "USD"), ("EUR", "EUR"), ("€", "EUR"), ("£", "GBP"), ("$", "USD"))
NUMBER = re.compile(r"\d[\d.,]*")


def parse_price(text: str | float, currency: str | float) -> float:
    """One displayed price in USD, rounded to the cent; NaN when there is no number."""
    if not isinstance(text, str):
        return math.nan
    match = NUMBER.search(text)
    if match is None:
        return math.nan
    if not isinstance(currency, str) or currency not in FX_TO_USD:
        currency = next((code for symbol, code in SYMBOLS if symbol in text), "USD")
    digits = match.group()
    if currency == "EUR":
        digits = digits.replace(".", "").replace(",", ".")
    else:
        digits = digits.replace(",", "")
    amount = float(digits)
    if text.lstrip().startswith("-"):
        amount = -amount
    return round(amount * FX_TO_USD[currency], 2)


def prices_to_usd(raw: pd.DataFrame) -> pd.Series:
    """price_usd for every row of raw, from its `price` and `currency` columns; same index."""
    prices = [
        parse_price(text, currency)
        for text, currency in zip(raw["price"], raw["currency"], strict=True)
    ]
    return pd.Series(prices, index=raw.index, name="price_usd", dtype=float)


if __name__ == "__main__":
    data = Path(__file__).resolve().parents[2] / "data"
    raw = pd.read_csv(data / "sales_raw.csv")
    usd = prices_to_usd(raw)
    print(pd.DataFrame({"price": raw["price"], "currency": raw["currency"], "usd": usd}).sample(8))
    print(f"{usd.isna().sum()} of {len(raw)} rows have no price")
