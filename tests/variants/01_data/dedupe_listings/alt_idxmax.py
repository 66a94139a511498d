"""ALTERNATIVE: the index label of each listing's largest scraped_at, then .loc."""

import pandas as pd


def latest_scrapes(raw: pd.DataFrame) -> pd.DataFrame:
    """One row per listing_id: the whole row of its latest scrape (largest scraped_at)."""
    return raw.loc[raw.groupby("listing_id")["scraped_at"].idxmax()]
