"""WRONG: a time_card_folds that only passes its arguments on to mlings.folds."""

import numpy as np
import pandas as pd
from sklearn.model_selection import GroupKFold, TimeSeriesSplit

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

STRATEGY = {
    "next_month_prices": "time",
    "never_sold_cards": "time_card",
    "condition_from_scans": "kfold",
    "rarity_from_photos": "group",
    "weekly_reprice": "time",
}


def time_folds(sales: pd.DataFrame, n_splits: int = 5, gap_days: int = 0) -> Folds:
    """TimeSeriesSplit folds over the sales in date order, a settlement window of gap_days days
    left out of each training part; positions into `sales` as given."""
    dates = sales["sale_date"].to_numpy()
    order = np.argsort(dates, kind="stable")  # positions, oldest first
    folds = []
    for train, test in TimeSeriesSplit(n_splits=n_splits).split(order):
        train, test = order[train], order[test]
        settled = dates[train] < dates[test].min() - np.timedelta64(gap_days, "D")
        folds.append((train[settled], test))
    return folds


def card_folds(sales: pd.DataFrame, n_splits: int = 5) -> Folds:
    """GroupKFold folds with every sale of a card in one fold, as positions into `sales`."""
    splitter = GroupKFold(n_splits=n_splits)
    return list(splitter.split(sales, groups=sales["card_id"]))


def time_card_folds(
    sales: pd.DataFrame, cutoffs: list, share: float = 0.2, gap_days: int = 0, seed: int = 0
) -> Folds:
    """One fold per cutoff: the other cards' settled sales before it, the held-out cards' sales
    in its window; positions into `sales` as given."""
    import mlings.folds

    return mlings.folds.time_card_folds(sales, cutoffs, share, gap_days, seed)
