"""ALTERNATIVE: sort by every column, write CSV without the index, hash the text."""

import hashlib

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
    ordered = frame.sort_values(list(frame.columns), kind="stable", na_position="last")
    return hashlib.sha256(ordered.to_csv(index=False).encode()).hexdigest()


def run_pipeline(raw: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """The three steps in order, and the run's manifest."""
    latest = keep_latest_scrape(raw)
    valid = drop_invalid(latest)
    table = drop_leaky(valid)
    manifest = {
        "input_fingerprint": fingerprint(raw),
        "output_fingerprint": fingerprint(table),
        "rows_in": len(raw),
        "rows_rescrapes_dropped": len(raw) - len(latest),
        "rows_invalid_dropped": len(latest) - len(valid),
        "rows_out": len(table),
    }
    return table, manifest
