"""Past-only features: what had this card sold for before?

The best single hint to a card's price is what the same card sold for before. But "before" is
the whole point: when a seller lists a card today, PokéMarket knows the card's earlier sales,
not the sale being priced and certainly not next month's. A feature computed with the row's
own price, or with later sales, looks brilliant in training and is useless in production,
because the model learned to read an answer that will never be there. That is leakage.

Write add_past_price_features(sales): given sales (columns as in data/sales_clean.csv, rows in
no particular order), return the sales with two new columns:

- prev_sale_count: how many earlier sales of the same card there are (0 for its first sale);
- prev_mean_price: the mean price_usd of those earlier sales (NaN for the card's first sale).

"Earlier" means sold before this sale: an earlier sale_date, or the same day and a smaller
listing_id (listing ids grow with time). The row's own sale and every later sale are never
used. Keep every sale, with the same index, in the same order as given.

Done when: the values are exact, and changing the price of a sale changes the features of
later sales of that card only: never the sale's own features, nor an earlier sale's.

Stuck? Run `mlings hint`.
"""

from pathlib import Path

import pandas as pd

DATA = Path(__file__).resolve().parents[2] / "data"


def add_past_price_features(sales: pd.DataFrame) -> pd.DataFrame:
    """The sales with prev_sale_count and prev_mean_price of each card's earlier sales."""
    ordered = sales.sort_values(["sale_date", "listing_id"])
    card = ordered["card_id"]
    count = ordered.groupby(card).cumcount()  # 0, 1, 2, ... within each card: earlier sales
    previous_price = ordered.groupby(card)["price_usd"].shift()  # NaN on each card's first sale
    total_before = previous_price.fillna(0.0).groupby(card).cumsum()
    return sales.assign(
        prev_sale_count=count,  # assign lines the sorted values up with sales by index
        prev_mean_price=total_before / count.where(count > 0),
    )


if __name__ == "__main__":
    history = pd.read_csv(DATA / "sales_clean.csv", parse_dates=["sale_date"])
    featured = add_past_price_features(history)
    charizard = featured[featured["card_id"] == "base1-4"]
    print(charizard[["sale_date", "price_usd", "prev_sale_count", "prev_mean_price"]].head(10))
