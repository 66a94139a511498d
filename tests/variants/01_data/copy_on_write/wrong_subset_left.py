"""WRONG: fixes three rules, but still sets the platform on a filtered subset (a new frame)."""

import numpy as np
import pandas as pd

PSA_GRADES = (*(g / 2 for g in range(2, 18)), 9.0, 10.0)  # 1, 1.5, 2, ... 8.5, 9, 10: no 9.5


def tidy_sales(sales: pd.DataFrame) -> pd.DataFrame:
    """A tidied copy of sales: refunds and impossible grades blanked, rarity trimmed, platform
    filled. The caller's frame is left unchanged."""
    tidy = sales.copy()
    tidy.loc[tidy["price_usd"] < 0, "price_usd"] = np.nan
    impossible = tidy["psa_grade"].notna() & ~tidy["psa_grade"].isin(PSA_GRADES)
    tidy.loc[impossible, "psa_grade"] = np.nan
    tidy["rarity"] = tidy["rarity"].str.strip()
    no_platform = tidy[tidy["platform"].isna()]
    no_platform["platform"] = "unknown"
    return tidy


def changed_cells(before: pd.DataFrame, after: pd.DataFrame) -> dict[str, int]:
    """How many cells of each column differ between before and after: {column: count}, every
    column of before in order. Missing in both is not a change."""
    # NaN == NaN is False, so a cell missing on both sides would count as changed without the
    # second term.
    same = before.eq(after) | (before.isna() & after.isna())
    return {column: int((~same[column]).sum()) for column in before.columns}
