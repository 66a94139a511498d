"""Fix a cleaning step that silently does nothing

A teammate wrote tidy_sales() back when PokéMarket ran pandas 1.5. It blanks refunds and
impossible PSA grades, trims stray spaces around rarity names and marks sales with no platform
as "unknown". On pandas 3 it runs without an error and returns the data exactly as it came in.

pandas 3 always uses copy-on-write: every object you get by indexing (`df["col"]`,
`df[mask]`, a row from `iterrows()`) behaves as a copy of its own. Writing into it changes that
copy and never the frame you meant. `df["col"][mask] = value` at least warns (a
ChainedAssignmentError); a column kept in a variable, a filtered subset or an `iterrows()` row
are changed in silence.

Fix tidy_sales so that each of its four rules writes into `tidy`, the frame it returns, in one
step: `tidy.loc[mask, "col"] = value`, or assign a whole new column (`tidy["col"] = ...`).
Keep the rules as they are: blank (NaN), never drop a row, and leave the caller's `sales`
unchanged.

Done when: negative prices and PSA grades outside PSA_GRADES are NaN, rarity names carry no
surrounding spaces, a missing platform reads "unknown", and nothing else has changed.

Stuck? Run `mlings hint`.
"""

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
