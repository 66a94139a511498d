"""WRONG: a bare drop_duplicates(): re-scrapes differ in scraped_at, so it removes none."""

import pandas as pd


def latest_scrapes(raw: pd.DataFrame) -> pd.DataFrame:
    """One row per listing_id: the whole row of its latest scrape (largest scraped_at)."""
    return raw.drop_duplicates()
