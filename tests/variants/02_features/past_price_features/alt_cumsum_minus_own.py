"""ALTERNATIVE: cumulative sums minus the sale's own price, sorted with a stable mergesort, joined
back on the index."""

from pathlib import Path

import numpy as np
import pandas as pd

DATA = Path(__file__).resolve().parents[2] / "data"


def add_past_price_features(sales: pd.DataFrame) -> pd.DataFrame:
    """The sales with prev_sale_count and prev_mean_price of each card's earlier sales."""
    ordered = sales.sort_values(["sale_date", "listing_id"], kind="mergesort")
    by_card = ordered.groupby("card_id")["price_usd"]
    count = by_card.cumcount()
    before = by_card.cumsum() - ordered["price_usd"]
    past = pd.DataFrame({"prev_sale_count": count, "prev_mean_price": before / count})
    past.loc[past["prev_sale_count"] == 0, "prev_mean_price"] = np.nan
    return sales.join(past)


if __name__ == "__main__":
    history = pd.read_csv(DATA / "sales_clean.csv", parse_dates=["sale_date"])
    featured = add_past_price_features(history)
    charizard = featured[featured["card_id"] == "base1-4"]
    print(charizard[["sale_date", "price_usd", "prev_sale_count", "prev_mean_price"]].head(10))
