"""Keep the latest scrape of each listing

The scraper visits marketplaces every few hours, and a completed listing that is still on the
page gets scraped again: same `listing_id`, a later `scraped_at`. In `data/sales_raw.csv`, 1,200
of the 41,200 rows are such re-scrapes. Counted twice, a sale doubles its weight in every
average, and (worse) it can land in both the training and the test data later.

`raw.drop_duplicates()` removes none of them: the copies differ in `scraped_at`, so no two rows
are identical. A listing is identified by its `listing_id` alone. And when a seller edited the
listing between two visits (a corrected price, a condition removed), the latest scrape is the
truth.

Write latest_scrapes(raw): one row per listing_id, the whole row of its latest scrape (the
largest `scraped_at`), with every column of raw. Rows come in no particular order, and the
result may come in any order. Leave raw itself unchanged.

Done when: every listing appears exactly once, with the values of its latest scrape, whatever
the order of the rows you were given.

Stuck? Run `mlings hint`.
"""

from pathlib import Path

import pandas as pd


def latest_scrapes(raw: pd.DataFrame) -> pd.DataFrame:
    """One row per listing_id: the whole row of its latest scrape (largest scraped_at)."""
    # TODO: order the scrapes in time, then keep one row per listing_id: the latest.
    raise NotImplementedError("latest_scrapes: one row per listing_id, its latest scrape")


if __name__ == "__main__":
    data = Path(__file__).resolve().parents[2] / "data"
    raw = pd.read_csv(data / "sales_raw.csv", parse_dates=["scraped_at", "sale_date"])
    print(f"raw rows:                    {len(raw)}")
    print(f"after a bare drop_duplicates: {len(raw.drop_duplicates())}")
    print(f"after latest_scrapes:         {len(latest_scrapes(raw))}")
