"""WRONG: parses right, then drops the rows without a price: prices no longer line up."""

import math
import re

import pandas as pd

from mlings.dataset import FX_TO_USD

SYMBOLS = (("US $", "USD"), ("EUR", "EUR"), ("€", "EUR"), ("£", "GBP"), ("$", "USD"))


def parse_price(text: str | float, currency: str | float) -> float:
    """One displayed price in USD, rounded to the cent; NaN when there is no number."""
    if not isinstance(text, str):
        return math.nan
    match = re.search(r"\d[\d.,]*", text)
    if match is None:
        return math.nan
    if not isinstance(currency, str):
        currency = next((code for symbol, code in SYMBOLS if symbol in text), "USD")
    digits = match.group()
    if currency == "EUR":
        digits = digits.replace(".", "").replace(",", ".")
    else:
        digits = digits.replace(",", "")
    amount = -float(digits) if text.startswith("-") else float(digits)
    return round(amount * FX_TO_USD[currency], 2)


def prices_to_usd(raw: pd.DataFrame) -> pd.Series:
    """price_usd for every row of raw, from its `price` and `currency` columns; same index."""
    prices = raw.apply(lambda row: parse_price(row["price"], row["currency"]), axis=1)
    return prices.dropna().astype(float)
