"""WRONG: groups by card but never cuts by time: train sales from after the test sales."""

import numpy as np
import pandas as pd


def split_sales(
    raw: pd.DataFrame, cutoff: str | pd.Timestamp, test_share: float = 0.2, seed: int = 0
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(train, test): deduplicated, no card on both sides, train before the cutoff, test after."""
    sales = raw.sort_values(["listing_id", "scraped_at"]).drop_duplicates("listing_id", keep="last")
    cards = np.sort(sales["card_id"].unique())
    rng = np.random.default_rng(seed)
    test_cards = rng.choice(cards, size=round(test_share * len(cards)), replace=False)
    is_test_card = sales["card_id"].isin(test_cards)
    del cutoff
    return sales[~is_test_card], sales[is_test_card]
