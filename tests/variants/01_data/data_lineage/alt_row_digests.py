"""ALTERNATIVE: one SHA-256 per row of (column, value) pairs, the sorted digests hashed
together; the manifest built step by step."""

import hashlib
import json

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


def _row_digest(row: dict) -> str:
    cells = [[column, None if pd.isna(value) else str(value)] for column, value in row.items()]
    return hashlib.sha256(json.dumps(cells).encode()).hexdigest()


def fingerprint(frame: pd.DataFrame) -> str:
    """SHA-256 hex digest of the column names and cells, whatever the row order and index."""
    digests = sorted(_row_digest(row) for row in frame.to_dict(orient="records"))
    header = json.dumps([str(column) for column in frame.columns])
    return hashlib.sha256("\n".join([header, *digests]).encode()).hexdigest()


def run_pipeline(raw: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """The three steps in order, and the run's manifest."""
    manifest = {"input_fingerprint": fingerprint(raw), "rows_in": len(raw)}
    table = raw
    for step, key in (
        (keep_latest_scrape, "rows_rescrapes_dropped"),
        (drop_invalid, "rows_invalid_dropped"),
        (drop_leaky, None),
    ):
        rows_before = len(table)
        table = step(table)
        if key:
            manifest[key] = rows_before - len(table)
    manifest["rows_out"] = len(table)
    manifest["output_fingerprint"] = fingerprint(table)
    return table, manifest
