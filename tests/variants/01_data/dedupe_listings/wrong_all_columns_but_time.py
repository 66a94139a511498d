"""WRONG: sorts, then drops rows equal in every column but scraped_at: an edited listing keeps
both scrapes."""

import pandas as pd


def latest_scrapes(raw: pd.DataFrame) -> pd.DataFrame:
    """One row per listing_id: the whole row of its latest scrape (largest scraped_at)."""
    ordered = raw.sort_values("scraped_at")
    others = [column for column in raw.columns if column != "scraped_at"]
    return ordered.drop_duplicates(subset=others, keep="last")
