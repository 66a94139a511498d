"""ALTERNATIVE: scikit-learn's GroupShuffleSplit picks the test cards; idxmax dedupes."""

import pandas as pd
from sklearn.model_selection import GroupShuffleSplit


def split_sales(
    raw: pd.DataFrame, cutoff: str | pd.Timestamp, test_share: float = 0.2, seed: int = 0
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(train, test): deduplicated, no card on both sides, train before the cutoff, test after."""
    sales = raw.loc[raw.groupby("listing_id")["scraped_at"].idxmax()]
    sales = sales.sort_values("listing_id")
    splitter = GroupShuffleSplit(n_splits=1, test_size=test_share, random_state=seed)
    train_rows, test_rows = next(splitter.split(sales, groups=sales["card_id"]))
    train, test = sales.iloc[train_rows], sales.iloc[test_rows]
    cutoff = pd.Timestamp(cutoff)
    return train[train["sale_date"] < cutoff], test[test["sale_date"] >= cutoff]
