"""WRONG: a random 80/20 split of the deduplicated rows, as in every tutorial."""

import pandas as pd
from sklearn.model_selection import train_test_split


def split_sales(
    raw: pd.DataFrame, cutoff: str | pd.Timestamp, test_share: float = 0.2, seed: int = 0
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(train, test): deduplicated, no card on both sides, train before the cutoff, test after."""
    del cutoff
    sales = raw.sort_values("scraped_at").drop_duplicates("listing_id", keep="last")
    train, test = train_test_split(sales, test_size=test_share, random_state=seed)
    return train, test
