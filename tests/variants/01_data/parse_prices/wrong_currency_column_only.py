"""WRONG: trusts only the currency column: a missing currency gives NaN, though "£" says GBP."""

import math
import re

import pandas as pd

from mlings.dataset import FX_TO_USD


def parse_price(text: str | float, currency: str | float) -> float:
    """One displayed price in USD, rounded to the cent; NaN when there is no number."""
    if not isinstance(text, str) or not isinstance(currency, str):
        return math.nan
    match = re.search(r"\d[\d.,]*", text)
    if match is None:
        return math.nan
    digits = match.group()
    if currency == "EUR":
        digits = digits.replace(".", "").replace(",", ".")
    else:
        digits = digits.replace(",", "")
    amount = -float(digits) if text.startswith("-") else float(digits)
    return round(amount * FX_TO_USD[currency], 2)


def prices_to_usd(raw: pd.DataFrame) -> pd.Series:
    """price_usd for every row of raw, from its `price` and `currency` columns; same index."""
    return pd.Series(
        [parse_price(t, c) for t, c in zip(raw["price"], raw["currency"], strict=True)],
        index=raw.index,
        dtype=float,
    )
