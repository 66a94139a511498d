"""WRONG: duplicated() on whole rows: re-scrapes differ in scraped_at, so it finds none."""

from dataclasses import dataclass

import pandas as pd

PSA_GRADES = (*(g / 2 for g in range(2, 18)), 9.0, 10.0)  # 1, 1.5, 2, ... 8.5, 9, 10: no 9.5
MAX_PRICE_USD = 100_000.0  # the dearest card ever sold on any platform is below this
LAST_SCRAPE = pd.Timestamp("2024-12-31 23:59:59")  # when this batch was scraped


@dataclass(frozen=True)
class QualityReport:
    """The quality of one batch, as shares of its rows."""

    rows: int
    null_rate: dict[str, float]
    duplicate_rate: float
    out_of_range_rate: dict[str, float]


def null_rates(sales: pd.DataFrame) -> dict[str, float]:
    """For every column, the share of rows where it is missing."""
    return {column: float(rate) for column, rate in sales.isna().mean().items()}


def duplicate_rate(sales: pd.DataFrame) -> float:
    """The share of rows repeating the listing_id of an earlier row."""
    return float(sales.duplicated().mean())


def out_of_range_rates(sales: pd.DataFrame) -> dict[str, float]:
    """For price_usd, psa_grade and sale_date: the share of rows with a present, invalid value."""
    price, grade, sold = sales["price_usd"], sales["psa_grade"], sales["sale_date"]
    in_range = {
        "price_usd": (price > 0) & (price <= MAX_PRICE_USD),
        "psa_grade": grade.isin(PSA_GRADES),
        "sale_date": (sold >= sales["release_date"]) & (sold <= LAST_SCRAPE),
    }
    present = {"price_usd": price.notna(), "psa_grade": grade.notna(), "sale_date": sold.notna()}
    return {column: float((present[column] & ~valid).mean()) for column, valid in in_range.items()}


def quality_report(sales: pd.DataFrame) -> QualityReport:
    """The whole report for one batch."""
    return QualityReport(
        rows=len(sales),
        null_rate=null_rates(sales),
        duplicate_rate=duplicate_rate(sales),
        out_of_range_rate=out_of_range_rates(sales),
    )
