"""Fix a cleaning step that silently does nothing

A teammate wrote tidy_sales() back when PokéMarket ran pandas 1.5. It blanks refunds and
impossible PSA grades, trims stray spaces around rarity names and marks sales with no platform
as "unknown". On pandas 3 it runs without an error and returns the data exactly as it came in.

pandas 3 always uses copy-on-write: every object you get by indexing (`df["col"]`,
`df[mask]`, a row from `iterrows()`) behaves as a copy of its own. Writing into it changes that
copy and never the frame you meant. `df["col"][mask] = value` at least warns (a
ChainedAssignmentError); a column kept in a variable, a filtered subset or an `iterrows()` row
are changed in silence.

Nobody noticed because nothing counted what the step did. So the team also wants a receipt for
every cleaning step: how many cells of each column it changed. A rule that reports 0 changes on
data known to be dirty is a rule that silently does nothing.

Write:

- tidy_sales:    fixed, so that each of its four rules writes into the frame it returns. Keep
                 the rules as they are: blank (NaN), never drop or reorder a row, change
                 nothing else, and leave the caller's `sales` unchanged;
- changed_cells: for two frames with the same rows and columns (a step's input and output),
                 the number of cells that differ in each column, as {column: count} with every
                 column of `before`, in its order (0 where nothing changed). A value missing in
                 both is not a change; a value that became missing, or a missing value that was
                 filled, is one.

Done when: negative prices and PSA grades outside PSA_GRADES are NaN, rarity names carry no
surrounding spaces, a missing platform reads "unknown", nothing else has changed, and
changed_cells counts exactly the cells a step changed.

Stuck? Run `mlings hint`.
"""

import numpy as np
import pandas as pd

PSA_GRADES = (*(g / 2 for g in range(2, 18)), 9.0, 10.0)  # 1, 1.5, 2, ... 8.5, 9, 10: no 9.5


def tidy_sales(sales: pd.DataFrame) -> pd.DataFrame:
    """A tidied copy of sales: refunds and impossible grades blanked, rarity trimmed, platform
    filled. The caller's frame is left unchanged."""
    tidy = sales.copy()

    # TODO: each of the four rules below writes into a copy under pandas 3, so `tidy` comes
    # back unchanged. Rewrite each so it writes into `tidy` itself, in one step.

    # 1. A refund logged as a sale is not a sale price: blank negative prices.
    tidy["price_usd"][tidy["price_usd"] < 0] = np.nan

    # 2. PSA gives no grade 0, 9.5 or 11: blank impossible grades.
    grades = tidy["psa_grade"]
    grades[grades.notna() & ~grades.isin(PSA_GRADES)] = np.nan

    # 3. Strip stray spaces around rarity names ("Common " is "Common").
    for _, row in tidy.iterrows():
        if isinstance(row["rarity"], str):
            row["rarity"] = row["rarity"].strip()

    # 4. Sales with no platform recorded: "unknown".
    no_platform = tidy[tidy["platform"].isna()]
    no_platform["platform"] = "unknown"

    return tidy


def changed_cells(before: pd.DataFrame, after: pd.DataFrame) -> dict[str, int]:
    """How many cells of each column differ between before and after: {column: count}, every
    column of before in order. Missing in both is not a change."""
    # TODO: compare cell by cell. What does NaN == NaN give?
    raise NotImplementedError("changed_cells: count the cells that differ, column by column")


if __name__ == "__main__":
    from pathlib import Path

    data = Path(__file__).resolve().parents[2] / "data"
    sales = pd.read_csv(data / "sales_clean.csv", parse_dates=["sale_date"])
    sales.loc[sales.index[::97], "price_usd"] *= -1  # a few refunds logged as sales
    sales.loc[sales.index[::89], "rarity"] += " "  # and stray spaces
    for column, count in changed_cells(sales, tidy_sales(sales)).items():
        print(f"{column:>12}: {count:,} cells changed")
