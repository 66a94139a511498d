"""WRONG: drops every comma as a thousands separator, so "3,99 €" becomes 399 euros."""

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
    amount = float(match.group().replace(",", ""))
    if text.startswith("-"):
        amount = -amount
    return round(amount * FX_TO_USD[currency], 2)


def prices_to_usd(raw: pd.DataFrame) -> pd.Series:
    """price_usd for every row of raw, from its `price` and `currency` columns; same index."""
    return pd.Series(
        [parse_price(t, c) for t, c in zip(raw["price"], raw["currency"], strict=True)],
        index=raw.index,
        dtype=float,
    )
