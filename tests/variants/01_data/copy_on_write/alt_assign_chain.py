"""ALTERNATIVE: one assign() call with mask, where, str.strip and fillna: no writes at all."""

import pandas as pd

PSA_GRADES = (*(g / 2 for g in range(2, 18)), 9.0, 10.0)  # 1, 1.5, 2, ... 8.5, 9, 10: no 9.5


def tidy_sales(sales: pd.DataFrame) -> pd.DataFrame:
    """A tidied copy of sales: refunds and impossible grades blanked, rarity trimmed, platform
    filled. The caller's frame is left unchanged."""
    valid_grade = sales["psa_grade"].isna() | sales["psa_grade"].isin(PSA_GRADES)
    return sales.assign(
        price_usd=sales["price_usd"].mask(sales["price_usd"] < 0),
        psa_grade=sales["psa_grade"].where(valid_grade),
        rarity=sales["rarity"].str.strip(),
        platform=sales["platform"].fillna("unknown"),
    )


def changed_cells(before: pd.DataFrame, after: pd.DataFrame) -> dict[str, int]:
    """How many cells of each column differ between before and after: {column: count}, every
    column of before in order. Missing in both is not a change."""
    # NaN == NaN is False, so a cell missing on both sides would count as changed without the
    # second term.
    same = before.eq(after) | (before.isna() & after.isna())
    return {column: int((~same[column]).sum()) for column in before.columns}
