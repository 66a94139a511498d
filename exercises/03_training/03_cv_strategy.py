"""Choose the cross-validation strategy

Cross-validation estimates how a model will do on the rows it will meet in production, so its
folds must be cut the way production cuts: whatever the model will not know when it predicts,
the training part of a fold must not know either. A random KFold assumes the rows are
independent draws. PokéMarket's sales are not:

- **Time.** The price model is trained on past sales and prices future ones. A random fold
  trains on 2024 sales and tests on 2021 sales: it has seen the boom coming. Cut by time
  instead: `TimeSeriesSplit` trains on the earliest rows and tests on the next ones. It cuts by
  row POSITION: sort the sales by date first, then map the positions back to the table you
  were given. Sales from the last days before a retrain are not settled yet (returns,
  refunds), so the real model never sees them: leave a settlement window out, cut by DATE.
  (`TimeSeriesSplit(gap=...)` counts rows, and how many days a row covers moves with the
  market.)
- **Repeated cards.** The same card sells many times. A model asked to price a card that never
  sold before must be tested on cards it never trained on: `GroupKFold` with the card as the
  group keeps every sale of a card in one fold.
- **Both.** PokéMarket's price model prices next month's listings, many of cards that never
  sold before. Each fold is then a cutoff date plus a share of the cards held out: train on
  the other cards' sales before the cutoff (minus the settlement window), test on the held-out
  cards' sales from the cutoff on. That is module 1's split, once per cutoff.
- Only when rows really are independent (one row per card, no time order) is a shuffled KFold
  the honest choice.

Write:

- STRATEGY:        for each scenario of SCENARIOS, "time", "group", "time_card" or "kfold";
- time_folds:      TimeSeriesSplit(n_splits) folds over the sales in date order, as positions
                   into `sales` as given (in no particular order), each training part then
                   keeping only the sales dated before (first test day - gap_days days);
- card_folds:      GroupKFold folds by card_id, as positions into `sales`;
- time_card_folds: one fold per cutoff, in order, as positions into `sales`. Each fold holds
                   out its own share of the cards: round(share * number of distinct cards),
                   drawn from the SORTED card ids with one np.random.default_rng(seed) for all
                   folds. Train: the other cards' sales dated before (cutoff - gap_days days).
                   Test: the held-out cards' sales from the cutoff up to the next cutoff (the
                   last fold: to the end).

Done when: no time fold trains on a sale dated after a test sale, and each leaves `gap_days`
days out, whatever the number of sales in them; no card is on both sides of a card fold or of
a time-and-card fold; every time-and-card fold trains before its cutoff minus the gap and tests
its own window, on its own seeded share of the cards.

Stuck? Run `mlings hint`.
"""

import numpy as np
import pandas as pd
from sklearn.model_selection import GroupKFold, TimeSeriesSplit  # noqa: F401 (yours to use)

Folds = list[tuple[np.ndarray, np.ndarray]]  # (training positions, test positions) per fold

SCENARIOS = {
    "next_month_prices": (
        "Suggest prices for next month's listings of cards that already sold on PokéMarket, "
        "from every sale so far."
    ),
    "never_sold_cards": (
        "Suggest prices for next month's listings of cards that have never sold on PokéMarket, "
        "from every sale so far. The sales so far repeat the same cards many times."
    ),
    "condition_from_scans": (
        "Grade a card's condition from a scan. The 5,000 scans come from one afternoon's "
        "session, one scan per card, and no card appears twice."
    ),
    "rarity_from_photos": (
        "Read a card's rarity off a photo. The 5,000 photos were taken in one afternoon, six "
        "or seven of each card, and the model will be shown cards it has no photo of."
    ),
    "weekly_reprice": (
        "Every Monday, reprice all active listings from the sales up to the previous Sunday."
    ),
}

# TODO: for each scenario, "time", "group", "time_card" or "kfold".
STRATEGY = {
    "next_month_prices": None,
    "never_sold_cards": None,
    "condition_from_scans": None,
    "rarity_from_photos": None,
    "weekly_reprice": None,
}


def time_folds(sales: pd.DataFrame, n_splits: int = 5, gap_days: int = 0) -> Folds:
    """TimeSeriesSplit folds over the sales in date order, a settlement window of gap_days days
    left out of each training part; positions into `sales` as given."""
    # TODO: the positions of the sales in date order (np.argsort of sale_date), then
    # TimeSeriesSplit(n_splits) over them; map each fold's positions back through that order,
    # and keep only the training sales dated before the first test day minus gap_days days.
    raise NotImplementedError("time_folds: sort by date, TimeSeriesSplit, a gap cut by date")


def card_folds(sales: pd.DataFrame, n_splits: int = 5) -> Folds:
    """GroupKFold folds with every sale of a card in one fold, as positions into `sales`."""
    # TODO: GroupKFold(n_splits).split(...) with the card as the group, as a list.
    raise NotImplementedError("card_folds: GroupKFold with groups=card_id")


def time_card_folds(
    sales: pd.DataFrame, cutoffs: list, share: float = 0.2, gap_days: int = 0, seed: int = 0
) -> Folds:
    """One fold per cutoff: the other cards' settled sales before it, the held-out cards' sales
    in its window; positions into `sales` as given."""
    # TODO: for each cutoff in order: draw this fold's held-out cards from the sorted card ids
    # (one generator for all folds); train = the other cards' sales dated before the cutoff
    # minus gap_days days; test = the held-out cards' sales from the cutoff to the next one.
    raise NotImplementedError("time_card_folds: a cutoff and held-out cards per fold")


if __name__ == "__main__":
    from pathlib import Path

    data = Path(__file__).resolve().parents[2] / "data"
    sales = pd.read_csv(data / "sales_clean.csv", parse_dates=["sale_date"]).sample(
        5000, random_state=0
    )
    cutoffs = ["2022-01-01", "2023-01-01", "2024-01-01"]
    for train, test in time_card_folds(sales, cutoffs, share=0.2, gap_days=14):
        dates, cards = sales["sale_date"], sales["card_id"]
        print(
            f"train {dates.iloc[train].min():%Y-%m-%d}..{dates.iloc[train].max():%Y-%m-%d} "
            f"({cards.iloc[train].nunique()} cards)  "
            f"test {dates.iloc[test].min():%Y-%m-%d}..{dates.iloc[test].max():%Y-%m-%d} "
            f"({cards.iloc[test].nunique()} cards)"
        )
