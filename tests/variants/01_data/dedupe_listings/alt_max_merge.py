"""ALTERNATIVE: each listing's latest time, then an inner merge back on (listing_id, time)."""

import pandas as pd


def latest_scrapes(raw: pd.DataFrame) -> pd.DataFrame:
    """One row per listing_id: the whole row of its latest scrape (largest scraped_at)."""
    latest = raw.groupby("listing_id", as_index=False)["scraped_at"].max()
    return raw.merge(latest, on=["listing_id", "scraped_at"], how="inner")
