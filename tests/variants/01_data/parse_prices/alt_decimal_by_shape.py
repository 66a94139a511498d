"""ALTERNATIVE: Decimal arithmetic; the decimal mark is told by the number's shape (the last
separator followed by one or two digits), not by the currency."""

import math
import re
from decimal import ROUND_HALF_EVEN, Decimal

import pandas as pd

from mlings.dataset import FX_TO_USD

CURRENCY_OF_SYMBOL = {"US $": "USD", "$": "USD", "£": "GBP", "€": "EUR", "EUR": "EUR"}
SYMBOL = re.compile(r"US \$|EUR|€|£|\$")


def _amount(digits: str) -> Decimal:
    last = max(digits.rfind(","), digits.rfind("."))
    if last != -1 and 1 <= len(digits) - last - 1 <= 2:
        whole, fraction = digits[:last], digits[last + 1 :]
    else:
        whole, fraction = digits, "0"
    whole = whole.replace(",", "").replace(".", "")
    return Decimal(f"{whole or 0}.{fraction}")


def parse_price(text: str | float, currency: str | float) -> float:
    """One displayed price in USD, rounded to the cent; NaN when there is no number."""
    if not isinstance(text, str) or not (match := re.search(r"\d[\d.,]*", text)):
        return math.nan
    if not isinstance(currency, str):
        symbol = SYMBOL.search(text)
        if symbol is None:
            return math.nan
        currency = CURRENCY_OF_SYMBOL[symbol.group()]
    amount = _amount(match.group()) * Decimal(str(FX_TO_USD[currency]))
    if text.strip().startswith("-"):
        amount = -amount
    return float(amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN))


def prices_to_usd(raw: pd.DataFrame) -> pd.Series:
    """price_usd for every row of raw, from its `price` and `currency` columns; same index."""
    return raw.apply(lambda row: parse_price(row["price"], row["currency"]), axis=1).astype(float)
