"""WRONG: groups by card and cuts by time, but never deduplicates: re-scrapes stay in."""

import numpy as np
import pandas as pd


def split_sales(
    raw: pd.DataFrame, cutoff: str | pd.Timestamp, test_share: float = 0.2, seed: int = 0
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(train, test): deduplicated, no card on both sides, train before the cutoff, test after."""
    sales = raw
    cards = np.sort(sales["card_id"].unique())
    rng = np.random.default_rng(seed)
    test_cards = rng.choice(cards, size=round(test_share * len(cards)), replace=False)
    is_test_card = sales["card_id"].isin(test_cards)
    before = sales["sale_date"] < pd.Timestamp(cutoff)
    return sales[~is_test_card & before], sales[is_test_card & ~before]
