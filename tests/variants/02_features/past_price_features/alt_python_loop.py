"""ALTERNATIVE: a plain loop over the sales in time order, with running totals per card in dicts."""

from pathlib import Path

import pandas as pd

DATA = Path(__file__).resolve().parents[2] / "data"


def add_past_price_features(sales: pd.DataFrame) -> pd.DataFrame:
    """The sales with prev_sale_count and prev_mean_price of each card's earlier sales."""
    totals: dict[str, float] = {}
    counts: dict[str, int] = {}
    count_of, mean_of = {}, {}
    for row in sales.sort_values(["sale_date", "listing_id"]).itertuples():
        n = counts.get(row.card_id, 0)
        count_of[row.Index] = n
        mean_of[row.Index] = totals[row.card_id] / n if n else float("nan")
        counts[row.card_id] = n + 1
        totals[row.card_id] = totals.get(row.card_id, 0.0) + row.price_usd
    result = sales.copy()
    result["prev_sale_count"] = result.index.map(count_of)
    result["prev_mean_price"] = result.index.map(mean_of)
    return result


if __name__ == "__main__":
    history = pd.read_csv(DATA / "sales_clean.csv", parse_dates=["sale_date"])
    featured = add_past_price_features(history)
    charizard = featured[featured["card_id"] == "base1-4"]
    print(charizard[["sale_date", "price_usd", "prev_sale_count", "prev_mean_price"]].head(10))
