"""Leak hunt: which features would not exist when a seller lists a card?

A colleague hands you the feature table for the first pricing model, and its validation score
is astonishing. Too astonishing. Some of its columns leak: they carry information about the
price that PokéMarket could not know when a seller lists the card, either because they are the
price in disguise or because they were recorded after the sale. A model trained on them scores
brilliantly offline and falls apart in production, where those columns are missing or
meaningless.

The question to ask of every column is not "does it correlate with the price?" (the honest
ones do too, that is why they are features) but "would I have this value, as it is, at the
moment the card is listed, before it sells?".

FEATURES below describes the ten columns: where each comes from and when it is recorded.
The raw file data/sales_raw.csv holds some of them; look at them next to the price.

Write:

- leaking_columns(): the set of FEATURES names that leak, no more, no fewer;
- drop_leaks(features): the given table without the leaking columns (any it has; a table from
  production may lack some of them), every other column kept in its order, the rows untouched.

Done when: you name exactly the leaking columns, and drop_leaks keeps everything else.

Stuck? Run `mlings hint`.
"""

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
    # TODO: return a set of column names.
    raise NotImplementedError("leaking_columns: which FEATURES did not exist at listing time?")


def drop_leaks(features: pd.DataFrame) -> pd.DataFrame:
    """The feature table without the leaking columns it has; everything else unchanged."""
    # TODO
    raise NotImplementedError("drop_leaks: drop the leaking columns the table has")


if __name__ == "__main__":
    raw = pd.read_csv(DATA / "sales_raw.csv")
    in_raw = [name for name in FEATURES if name in raw.columns]
    print(raw[["sale_date", "scraped_at", "price", "currency", *in_raw]].head(10).to_string())
