"""WRONG: dedupes on listing_id but keeps whichever row comes first in the file."""

import pandas as pd


def latest_scrapes(raw: pd.DataFrame) -> pd.DataFrame:
    """One row per listing_id: the whole row of its latest scrape (largest scraped_at)."""
    return raw.drop_duplicates(subset="listing_id")
