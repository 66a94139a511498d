"""WRONG: sorts by the date alone, so same-day sales keep the order they came in."""

from pathlib import Path

import pandas as pd

DATA = Path(__file__).resolve().parents[2] / "data"


def add_past_price_features(sales: pd.DataFrame) -> pd.DataFrame:
    """The sales with prev_sale_count and prev_mean_price of each card's earlier sales."""
    ordered = sales.sort_values("sale_date")
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
