"""ALTERNATIVE: vectorised with pandas string methods; parse_price reuses prices_to_usd."""

import numpy as np
import pandas as pd

from mlings.dataset import FX_TO_USD


def prices_to_usd(raw: pd.DataFrame) -> pd.Series:
    """price_usd for every row of raw, from its `price` and `currency` columns; same index."""
    text = raw["price"].astype("str")
    shown = np.select(
        [
            text.str.contains("£", regex=False, na=False),
            text.str.contains("€|EUR", na=False),
            text.str.contains("$", regex=False, na=False),
        ],
        ["GBP", "EUR", "USD"],
        default="",
    )
    currency = raw["currency"].astype("str").fillna(pd.Series(shown, index=raw.index))
    number = text.str.extract(r"(\d[\d.,]*)", expand=False)
    euro = currency.eq("EUR")
    european = number.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    american = number.str.replace(",", "", regex=False)
    amount = pd.to_numeric(european.where(euro, american), errors="coerce")
    sign = np.where(text.str.lstrip().str.startswith("-").fillna(False), -1.0, 1.0)
    rate = currency.map(FX_TO_USD).astype(float)
    return (amount * sign * rate).round(2).rename("price_usd")


def parse_price(text: str | float, currency: str | float) -> float:
    """One displayed price in USD, rounded to the cent; NaN when there is no number."""
    row = pd.DataFrame(
        {"price": pd.Series([text], dtype="str"), "currency": pd.Series([currency], dtype="str")}
    )
    return float(prices_to_usd(row).iloc[0])
