"""Checks for 01_data/02_dedupe_listings: one row per listing, its latest scrape."""

import functools
from pathlib import Path

import numpy as np
import pandas as pd

from mlings.dataset import make_cards, make_sales, raw_sales_with_labels

EDITED_PRICE = "$999.00"


@functools.cache
def _cards(root: str, n: int) -> pd.DataFrame:
    """n cards of the catalog: data/cards.csv, or make_cards() (the same catalog, built slower)."""
    path = Path(root) / "data" / "cards.csv"
    catalog = pd.read_csv(path, parse_dates=["release_date"]) if path.is_file() else make_cards()
    keep = np.sort(np.random.default_rng(n).choice(len(catalog), n, replace=False))
    return catalog.iloc[keep].reset_index(drop=True)


def make_raw(root: str, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Scraped rows with re-scrapes, some edited between visits, shuffled; and the truth."""
    cards = _cards(root, 200)
    clean = make_sales(cards, seed=seed, n=300, start="2021-01-01", end="2023-06-30")
    raw, labels = raw_sales_with_labels(clean, cards, seed, counts={"rescraped_duplicate": 30})
    copies = raw[labels.eq("rescraped_duplicate").to_numpy()]
    # A seller edited some listings before the second visit: the latest scrape is the truth.
    edited = copies.index[:8]
    raw.loc[edited[:4], "price"] = EDITED_PRICE
    raw.loc[edited[4:], "condition"] = np.nan  # a mix of scrapes would bring the old one back
    # One listing seen three times.
    third = raw.loc[[copies.index[10]]].copy()
    third["scraped_at"] += pd.Timedelta(days=2)
    third["price"] = EDITED_PRICE
    raw = pd.concat([raw, third], ignore_index=True)
    truth = raw.loc[raw.groupby("listing_id")["scraped_at"].idxmax()]
    rng = np.random.default_rng(seed)
    shuffled = raw.iloc[rng.permutation(len(raw))]
    shuffled.index = 5000 + np.arange(len(raw))
    return shuffled, truth.sort_values("listing_id").reset_index(drop=True)


def _result(exercise, raw: pd.DataFrame) -> pd.DataFrame:
    got = exercise.latest_scrapes(raw)
    assert isinstance(got, pd.DataFrame), (
        f"latest_scrapes returned a {type(got).__name__}; return a DataFrame."
    )
    missing = [c for c in raw.columns if c not in got.columns]
    assert not missing, (
        f"latest_scrapes's result has no column {missing[0]!r}. Keep every column of raw "
        "(if listing_id ended up in the index, a groupby did it: keep it a column)."
    )
    return got


def test_one_row_per_listing(exercise, course_root):
    """keeps one row per listing, none lost (rejects a bare drop_duplicates(): it removes none)"""
    root = str(course_root)
    raw, truth = make_raw(root, seed=4)
    before = raw.copy()
    got = _result(exercise, raw)
    pd.testing.assert_frame_equal(raw, before, obj="the raw table you were given")
    extra = len(got) - got["listing_id"].nunique()
    if len(got) == len(raw.drop_duplicates()):
        why = (
            " That is what a bare drop_duplicates() gives: the re-scrapes differ in scraped_at, "
            "so no two rows are identical. A listing is identified by listing_id alone."
        )
    elif extra:
        why = (
            " Some copies differ in more than scraped_at (the seller edited the listing between "
            "visits), so comparing other columns keeps both: deduplicate on listing_id alone."
        )
    else:
        why = ""
    assert extra == 0, (
        f"latest_scrapes kept {len(got)} rows for {len(truth)} listings: some listings appear "
        f"more than once.{why}"
    )
    lost = set(truth["listing_id"]) - set(got["listing_id"])
    assert not lost, (
        f"latest_scrapes lost {len(lost)} listings, such as {sorted(lost)[:3]}; every listing "
        "keeps exactly one row."
    )


def test_latest_scrape_kept(exercise, course_root):
    """keeps each listing's latest scrape, in any row order (rejects keeping the first seen)"""
    root = str(course_root)
    raw, truth = make_raw(root, seed=5)
    got = _result(exercise, raw).drop_duplicates("listing_id")
    latest = truth.set_index("listing_id")["scraped_at"]
    kept = got.set_index("listing_id")["scraped_at"]
    older = kept.index[kept.to_numpy() != latest.reindex(kept.index).to_numpy()]
    assert older.empty, (
        f"For {len(older)} listings, such as {older[0]}, latest_scrapes kept an older scrape "
        f"(scraped_at {kept[older[0]]}, latest {latest[older[0]]}). The rows come in no "
        "particular order: sort by scraped_at before keeping the last, or pick the row with "
        "the largest scraped_at per listing."
    )


def test_whole_rows_kept(exercise, course_root):
    """keeps the latest scrape's own values, not a mix of scrapes (rejects groupby().last())"""
    root = str(course_root)
    raw, truth = make_raw(root, seed=6)
    got = _result(exercise, raw).drop_duplicates("listing_id")
    got = got.merge(truth[["listing_id", "scraped_at"]], on=["listing_id", "scraped_at"])
    got = got.sort_values("listing_id").reset_index(drop=True)[list(raw.columns)]
    # Listings where an older scrape was kept are the previous check's business.
    truth = truth[truth["listing_id"].isin(got["listing_id"])].reset_index(drop=True)
    for column in raw.columns:
        same = (got[column] == truth[column]) | (got[column].isna() & truth[column].isna())
        if same.all():
            continue
        listing = got.loc[~same, "listing_id"].iloc[0]
        want = truth.loc[~same, column].iloc[0]
        assert same.all(), (
            f"latest_scrapes gave listing {listing} {column} = "
            f"{got.loc[~same, column].iloc[0]!r}, but its latest scrape says {want!r}. "
            "Keep the latest scrape's whole row: groupby(...).last() takes the last non-missing "
            "value of each column separately, mixing old and new scrapes."
        )
