"""ALTERNATIVE: sort descending by time, keep the first row of each listing, restore order."""

import pandas as pd


def latest_scrapes(raw: pd.DataFrame) -> pd.DataFrame:
    """One row per listing_id: the whole row of its latest scrape (largest scraped_at)."""
    newest_first = raw.sort_values("scraped_at", ascending=False)
    latest = newest_first.groupby("listing_id").head(1)
    return latest.sort_index()
