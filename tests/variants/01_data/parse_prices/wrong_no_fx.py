"""WRONG: reads every format right but never converts: pounds and euros are taken as dollars."""

import math
import re

import pandas as pd


def parse_price(text: str | float, currency: str | float) -> float:
    """One displayed price in USD, rounded to the cent; NaN when there is no number."""
    if not isinstance(text, str):
        return math.nan
    match = re.search(r"\d[\d.,]*", text)
    if match is None:
        return math.nan
    euro = currency == "EUR" or "€" in text or "EUR" in text
    digits = match.group()
    digits = digits.replace(".", "").replace(",", ".") if euro else digits.replace(",", "")
    amount = float(digits)
    return -amount if text.startswith("-") else amount


def prices_to_usd(raw: pd.DataFrame) -> pd.Series:
    """price_usd for every row of raw, from its `price` and `currency` columns; same index."""
    return pd.Series(
        [parse_price(t, c) for t, c in zip(raw["price"], raw["currency"], strict=True)],
        index=raw.index,
        dtype=float,
    )
