"""WRONG: only the price in disguise; misses the PSA population looked up after the sale."""

from pathlib import Path

import pandas as pd

DATA = Path(__file__).resolve().parents[2] / "data"

FEATURES = {
    "card_age_years": "years from the set's release to the sale date (catalog + listing)",
    "psa_grade": "the PSA grade printed on the slab, entered by the seller in the listing",
    "is_first_edition": "the listing's printing is 1st Edition (seller's listing)",
    "is_secret_rare": "the card's number is above its set's printed total (catalog)",
    "platform": "the marketplace the listing was posted on",
    "prev_mean_price": "mean USD price of this card's sales before this one (sales history)",
    "rarity_median_90d": "median USD price of the card's rarity over the 90 days before the "
    "sale date (sales history)",
    "price_eur": "the sale's amount in euros, from the platform's payout report",
    "price_bucket": "price band (0-1, 1-10, 10-100, 100-1000, 1000+ USD) set by the analytics "
    "team for their dashboards",
    "psa_population": "how many copies of this card PSA has graded at this grade, looked up "
    "on 31 Dec 2024 when the training file was assembled",
}


def leaking_columns() -> set[str]:
    """The names in FEATURES whose values would not be known when the card is listed."""
    return {"price_eur", "price_bucket"}


def drop_leaks(features: pd.DataFrame) -> pd.DataFrame:
    """The feature table without the leaking columns it has; everything else unchanged."""
    return features.drop(columns=leaking_columns(), errors="ignore")


if __name__ == "__main__":
    raw = pd.read_csv(DATA / "sales_raw.csv")
    in_raw = [name for name in FEATURES if name in raw.columns]
    print(raw[["sale_date", "scraped_at", "price", "currency", *in_raw]].head(10).to_string())
