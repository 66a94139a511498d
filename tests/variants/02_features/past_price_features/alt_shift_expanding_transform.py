"""ALTERNATIVE: groupby().transform with a shift and an expanding mean, sorted first."""

from pathlib import Path

import pandas as pd

DATA = Path(__file__).resolve().parents[2] / "data"


def add_past_price_features(sales: pd.DataFrame) -> pd.DataFrame:
    """The sales with prev_sale_count and prev_mean_price of each card's earlier sales."""
    ordered = sales.sort_values(["sale_date", "listing_id"])
    by_card = ordered.groupby("card_id")["price_usd"]
    mean = by_card.transform(lambda prices: prices.shift().expanding().mean())
    count = by_card.transform(lambda prices: prices.shift().expanding().count())
    out = sales.copy()
    out["prev_sale_count"] = count.astype(int)
    out["prev_mean_price"] = mean
    return out


if __name__ == "__main__":
    history = pd.read_csv(DATA / "sales_clean.csv", parse_dates=["sale_date"])
    featured = add_past_price_features(history)
    charizard = featured[featured["card_id"] == "base1-4"]
    print(charizard[["sale_date", "price_usd", "prev_sale_count", "prev_mean_price"]].head(10))
