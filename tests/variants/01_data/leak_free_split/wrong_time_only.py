"""WRONG: cuts by time only: a card sold before and after the cutoff is on both sides."""

import pandas as pd


def split_sales(
    raw: pd.DataFrame, cutoff: str | pd.Timestamp, test_share: float = 0.2, seed: int = 0
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(train, test): deduplicated, no card on both sides, train before the cutoff, test after."""
    sales = raw.sort_values(["listing_id", "scraped_at"]).drop_duplicates("listing_id", keep="last")
    del test_share, seed
    before = sales["sale_date"] < pd.Timestamp(cutoff)
    return sales[before], sales[~before]
