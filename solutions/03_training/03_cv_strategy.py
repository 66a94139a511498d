"""Choose the cross-validation strategy

Cross-validation estimates how a model will do on the rows it will meet in production, so its
folds must be cut the way production cuts: whatever the model will not know when it predicts,
the training part of a fold must not know either. A random KFold assumes the rows are
independent draws. PokéMarket's sales are not:

- **Time.** The price model is trained on past sales and prices future ones. A random fold
  trains on 2024 sales and tests on 2021 sales: it has seen the boom coming. Cut by time
  instead: `TimeSeriesSplit` trains on the earliest rows and tests on the next ones, and its
  `gap=` leaves out some rows between them (sales from the last days before a retrain are not
  settled yet, so the real model never sees them). TimeSeriesSplit cuts by row POSITION: sort
  the sales by date first, then map the positions back to the table you were given.
- **Repeated cards.** The same card sells many times. A model asked to price a card that never
  sold before must be tested on cards it never trained on: `GroupKFold` with the card as the
  group keeps every sale of a card in one fold.
- Only when rows really are independent (one row per card, no time order) is a shuffled KFold
  the honest choice.

Write:

- STRATEGY:   for each scenario of SCENARIOS, "time", "group" or "kfold";
- time_folds: TimeSeriesSplit folds with a gap, as positions into `sales` as given (in no
              particular order), so that no training sale is dated after a test sale;
- card_folds: GroupKFold folds by card_id, as positions into `sales`.

Done when: every time fold trains only on sales dated no later than its test sales and leaves
`gap` sales out between them, and no card is on both sides of any card fold.

Stuck? Run `mlings hint`.
"""

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
    order = np.argsort(sales["sale_date"].to_numpy(), kind="stable")  # positions, oldest first
    splitter = TimeSeriesSplit(n_splits=n_splits, gap=gap)
    return [(order[train], order[test]) for train, test in splitter.split(order)]


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
