"""Lineage: fingerprints and a run manifest

Three months from now, a seller complains about a price and someone asks: "which data was
that model trained on?" Not "sales_raw.csv, probably": the exact table. Files get
regenerated, re-exported and re-sorted, so neither a file name nor a file's bytes answer it.
A fingerprint of the content does, and a manifest written by every pipeline run ties the
input's fingerprint to the output's, with the row counts of each step in between.

Write:

- fingerprint(frame) -> str: the SHA-256 hex digest (64 characters, `hashlib.sha256`) of the
  frame's content: its column names and every cell. The same rows in another order, or with
  another index, give the same fingerprint; one edited cell, or a renamed column, gives a
  different one. (Python's built-in hash() changes from one process to the next: never use
  it for this.)
- run_pipeline(raw) -> (table, manifest): run the three steps below in order on raw, and
  return the resulting table and a dict with exactly these keys:
      "input_fingerprint"       fingerprint(raw)
      "output_fingerprint"      fingerprint(table)
      "rows_in"                 rows of raw
      "rows_rescrapes_dropped"  rows keep_latest_scrape removed
      "rows_invalid_dropped"    rows drop_invalid removed (from what it was given)
      "rows_out"                rows of table
  so that rows_in == rows_rescrapes_dropped + rows_invalid_dropped + rows_out.

The run must be reproducible: the same raw data (in any row order) gives the same manifest.
No clock time, no randomness in the table.

Stuck? Run `mlings hint`.
"""

import hashlib  # noqa: F401 -- for hashlib.sha256
import json
from pathlib import Path

import pandas as pd

PSA_GRADES = (*(g / 2 for g in range(2, 18)), 9.0, 10.0)  # 1, 1.5, 2, ... 8.5, 9, 10: no 9.5
LAST_SCRAPE = pd.Timestamp("2024-12-31 23:59:59")
LEAKY_COLUMNS = ["price_eur", "price_bucket", "psa_population"]  # recorded after the sale


def keep_latest_scrape(raw: pd.DataFrame) -> pd.DataFrame:
    """Step 1: one row per listing_id, its latest scrape."""
    ordered = raw.sort_values(["listing_id", "scraped_at"])
    return ordered.drop_duplicates("listing_id", keep="last")


def drop_invalid(sales: pd.DataFrame) -> pd.DataFrame:
    """Step 2: drop rows with no rarity or sale date, an impossible grade or a future date."""
    grade = sales["psa_grade"]
    valid = (
        sales["rarity"].notna()
        & (grade.isna() | grade.isin(PSA_GRADES))
        & sales["sale_date"].notna()
        & (sales["sale_date"] <= LAST_SCRAPE)
    )
    return sales[valid]


def drop_leaky(sales: pd.DataFrame) -> pd.DataFrame:
    """Step 3: drop the columns recorded after the sale."""
    return sales.drop(columns=LEAKY_COLUMNS)


def fingerprint(frame: pd.DataFrame) -> str:
    """SHA-256 hex digest of the column names and cells, whatever the row order and index."""
    # TODO: hash the column names and the cells in a way that does not depend on the row
    # order or the index (sort something first), and return hashlib.sha256(...).hexdigest().
    raise NotImplementedError("fingerprint: a SHA-256 of the content, independent of row order")


def run_pipeline(raw: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """The three steps in order, and the run's manifest."""
    # TODO: keep_latest_scrape, then drop_invalid, then drop_leaky; count what each step
    # removed, and fingerprint the input and the output.
    raise NotImplementedError("run_pipeline: run the steps and write the manifest")


if __name__ == "__main__":
    data = Path(__file__).resolve().parents[2] / "data"
    raw = pd.read_csv(data / "sales_raw.csv", parse_dates=["scraped_at", "sale_date"])
    _, manifest = run_pipeline(raw)
    print(json.dumps(manifest, indent=2))
    _, again = run_pipeline(raw.sample(frac=1.0, random_state=0))
    print("same manifest for shuffled rows:", manifest == again)
