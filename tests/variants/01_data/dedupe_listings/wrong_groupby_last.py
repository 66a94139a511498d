"""WRONG: sorts, then groupby().last(): the last non-missing value of each column, a mix of
scrapes when the latest one has a blank."""

import pandas as pd


def latest_scrapes(raw: pd.DataFrame) -> pd.DataFrame:
    """One row per listing_id: the whole row of its latest scrape (largest scraped_at)."""
    ordered = raw.sort_values("scraped_at")
    return ordered.groupby("listing_id", as_index=False).last()
