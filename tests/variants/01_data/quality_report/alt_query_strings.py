"""ALTERNATIVE: DataFrame.eval expressions for the valid ranges, value_counts for repeats."""

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
    return {column: sales[column].isna().sum() / len(sales) for column in sales.columns}


def duplicate_rate(sales: pd.DataFrame) -> float:
    """The share of rows repeating the listing_id of an earlier row."""
    copies = sales["listing_id"].value_counts() - 1
    return float(copies.sum() / len(sales))


def out_of_range_rates(sales: pd.DataFrame) -> dict[str, float]:
    """For price_usd, psa_grade and sale_date: the share of rows with a present, invalid value."""
    rules = {
        "price_usd": "price_usd <= 0 or price_usd > @MAX_PRICE_USD",
        "psa_grade": "psa_grade.notna() and not psa_grade.isin(@PSA_GRADES)",
        "sale_date": "sale_date < release_date or sale_date > @LAST_SCRAPE",
    }
    return {
        column: len(sales.query(rule, engine="python")) / len(sales)
        for column, rule in rules.items()
    }


def quality_report(sales: pd.DataFrame) -> QualityReport:
    """The whole report for one batch."""
    return QualityReport(
        rows=len(sales),
        null_rate=null_rates(sales),
        duplicate_rate=duplicate_rate(sales),
        out_of_range_rate=out_of_range_rates(sales),
    )
