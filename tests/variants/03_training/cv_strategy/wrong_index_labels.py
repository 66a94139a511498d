"""WRONG: returns index labels of the sorted sales instead of positions."""

import numpy as np
import pandas as pd
from sklearn.model_selection import GroupKFold, TimeSeriesSplit

Folds = list[tuple[np.ndarray, np.ndarray]]  # (training positions, test positions) per fold

SCENARIOS = {
    "next_month_prices": "Suggest prices for next month's listings, from every sale so far.",
    "never_sold_cards": (
        "Price cards that have never sold on PokéMarket yet: a seller lists a card with no "
        "sales history. The training sales repeat the same cards many times."
    ),
    "condition_from_scans": (
        "Grade a card's condition from a scan. The 5,000 scans come from one afternoon's "
        "session, one scan per card, and no card appears twice."
    ),
    "weekly_reprice": (
        "Every Monday, reprice all active listings from the sales up to the previous Sunday."
    ),
}

STRATEGY = {
    "next_month_prices": "time",
    "never_sold_cards": "group",
    "condition_from_scans": "kfold",
    "weekly_reprice": "time",
}


def time_folds(sales: pd.DataFrame, n_splits: int = 5, gap: int = 0) -> Folds:
    """TimeSeriesSplit folds over the sales in date order, as positions into `sales` as given."""
    ordered = sales.sort_values("sale_date")
    splitter = TimeSeriesSplit(n_splits=n_splits, gap=gap)
    labels = ordered.index.to_numpy()
    return [(labels[train], labels[test]) for train, test in splitter.split(ordered)]


def card_folds(sales: pd.DataFrame, n_splits: int = 5) -> Folds:
    """GroupKFold folds with every sale of a card in one fold, as positions into `sales`."""
    splitter = GroupKFold(n_splits=n_splits)
    return list(splitter.split(sales, groups=sales["card_id"]))


if __name__ == "__main__":
    from pathlib import Path

    data = Path(__file__).resolve().parents[2] / "data"
    sales = pd.read_csv(data / "sales_clean.csv", parse_dates=["sale_date"]).sample(
        5000, random_state=0
    )
    for train, test in time_folds(sales, n_splits=4, gap=100):
        dates = sales["sale_date"]
        print(
            f"train {dates.iloc[train].min():%Y-%m-%d}..{dates.iloc[train].max():%Y-%m-%d}  "
            f"test {dates.iloc[test].min():%Y-%m-%d}..{dates.iloc[test].max():%Y-%m-%d}"
        )
