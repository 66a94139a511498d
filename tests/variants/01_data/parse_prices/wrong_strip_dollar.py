"""WRONG: float(text.strip("$")), NaN when that fails: only plain dollar prices survive."""

import math

import pandas as pd

from mlings.dataset import FX_TO_USD


def parse_price(text: str | float, currency: str | float) -> float:
    """One displayed price in USD, rounded to the cent; NaN when there is no number."""
    try:
        amount = float(str(text).strip("$"))
    except ValueError:
        return math.nan
    rate = FX_TO_USD.get(currency, 1.0) if isinstance(currency, str) else 1.0
    return round(amount * rate, 2)


def prices_to_usd(raw: pd.DataFrame) -> pd.Series:
    """price_usd for every row of raw, from its `price` and `currency` columns; same index."""
    return pd.Series(
        [parse_price(t, c) for t, c in zip(raw["price"], raw["currency"], strict=True)],
        index=raw.index,
        dtype=float,
    )
