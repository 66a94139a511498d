"""ALTERNATIVE: Series instead of dicts, counts divided by len(), a set of listing ids seen."""

from dataclasses import dataclass

import numpy as np
import pandas as pd

PSA_GRADES = (*(g / 2 for g in range(2, 18)), 9.0, 10.0)  # 1, 1.5, 2, ... 8.5, 9, 10: no 9.5
MAX_PRICE_USD = 100_000.0  # the dearest card ever sold on any platform is below this
LAST_SCRAPE = pd.Timestamp("2024-12-31 23:59:59")  # when this batch was scraped


@dataclass(frozen=True)
class QualityReport:
    """The quality of one batch, as shares of its rows."""

    rows: int
    null_rate: pd.Series
    duplicate_rate: float
    out_of_range_rate: pd.Series


def null_rates(sales: pd.DataFrame) -> pd.Series:
    """For every column, the share of rows where it is missing."""
    return sales.isna().sum() / len(sales)


def duplicate_rate(sales: pd.DataFrame) -> float:
    """The share of rows repeating the listing_id of an earlier row."""
    seen: set[int] = set()
    repeats = 0
    for listing in sales["listing_id"]:
        repeats += listing in seen
        seen.add(listing)
    return repeats / len(sales)


def out_of_range_rates(sales: pd.DataFrame) -> pd.Series:
    """For price_usd, psa_grade and sale_date: the share of rows with a present, invalid value."""
    price = sales["price_usd"].to_numpy(dtype=float)
    grade = sales["psa_grade"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        bad_price = (price <= 0) | (price > MAX_PRICE_USD)
    bad_grade = ~np.isnan(grade) & ~np.isin(grade, PSA_GRADES)
    sold = sales["sale_date"]
    bad_date = sold.lt(sales["release_date"]) | sold.gt(LAST_SCRAPE)
    counts = pd.Series(
        {
            "price_usd": int(bad_price.sum()),
            "psa_grade": int(bad_grade.sum()),
            "sale_date": int(bad_date.sum()),
        }
    )
    return counts / len(sales)


def quality_report(sales: pd.DataFrame) -> QualityReport:
    """The whole report for one batch."""
    return QualityReport(
        rows=len(sales),
        null_rate=null_rates(sales),
        duplicate_rate=duplicate_rate(sales),
        out_of_range_rate=out_of_range_rates(sales),
    )
