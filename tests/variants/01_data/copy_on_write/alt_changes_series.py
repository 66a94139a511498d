"""ALTERNATIVE: changed_cells as a pandas Series, column by column with fillna sentinels."""

import numpy as np
import pandas as pd

PSA_GRADES = (*(g / 2 for g in range(2, 18)), 9.0, 10.0)  # 1, 1.5, 2, ... 8.5, 9, 10: no 9.5


def tidy_sales(sales: pd.DataFrame) -> pd.DataFrame:
    """A tidied copy of sales: refunds and impossible grades blanked, rarity trimmed, platform
    filled. The caller's frame is left unchanged."""
    tidy = sales.copy()

    # 1. A refund logged as a sale is not a sale price: blank negative prices.
    tidy.loc[tidy["price_usd"] < 0, "price_usd"] = np.nan

    # 2. PSA gives no grade 0, 9.5 or 11: blank impossible grades.
    impossible = tidy["psa_grade"].notna() & ~tidy["psa_grade"].isin(PSA_GRADES)
    tidy.loc[impossible, "psa_grade"] = np.nan

    # 3. Strip stray spaces around rarity names ("Common " is "Common").
    tidy["rarity"] = tidy["rarity"].str.strip()

    # 4. Sales with no platform recorded: "unknown".
    tidy.loc[tidy["platform"].isna(), "platform"] = "unknown"

    return tidy


def changed_cells(before: pd.DataFrame, after: pd.DataFrame) -> pd.Series:
    """How many cells of each column differ between before and after: {column: count}, every
    column of before in order. Missing in both is not a change."""
    # NaN == NaN is False, so a cell missing on both sides would count as changed without the
    # second term.
    counts = {}
    for column in before.columns:
        a, b = before[column], after[column]
        both_missing = a.isna() & b.isna()
        counts[column] = int((~(a == b) & ~both_missing).sum())
    return pd.Series(counts)
