"""WRONG: keeps only cards sold entirely on one side of the cutoff, throwing away every card
sold on both sides."""

import pandas as pd


def split_sales(
    raw: pd.DataFrame, cutoff: str | pd.Timestamp, test_share: float = 0.2, seed: int = 0
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(train, test): deduplicated, no card on both sides, train before the cutoff, test after."""
    sales = raw.sort_values(["listing_id", "scraped_at"]).drop_duplicates("listing_id", keep="last")
    del test_share, seed
    before = sales["sale_date"] < pd.Timestamp(cutoff)
    late_cards = set(sales.loc[~before, "card_id"])
    early_cards = set(sales.loc[before, "card_id"])
    train = sales[before & ~sales["card_id"].isin(late_cards)]
    test = sales[~before & ~sales["card_id"].isin(early_cards)]
    return train, test
