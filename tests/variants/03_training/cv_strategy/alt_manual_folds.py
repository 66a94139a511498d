"""ALTERNATIVE: sort_values on a positional index for time, hand-made card folds by hashing
card ids into groups."""

import zlib

import numpy as np
import pandas as pd
from sklearn.model_selection import TimeSeriesSplit

SCENARIOS = {
    "next_month_prices": "Suggest prices for next month's listings, from every sale so far.",
    "never_sold_cards": "Price cards that have never sold on PokéMarket yet.",
    "condition_from_scans": "Grade a card's condition from a scan, one scan per card.",
    "weekly_reprice": "Every Monday, reprice all active listings from the sales up to Sunday.",
}

STRATEGY = dict(
    next_month_prices="time",
    never_sold_cards="group",
    condition_from_scans="kfold",
    weekly_reprice="time",
)


def time_folds(sales, n_splits=5, gap=0):
    """TimeSeriesSplit folds over the sales in date order, as positions into `sales` as given."""
    positions = pd.Series(np.arange(len(sales)), index=sales["sale_date"].to_numpy())
    ordered = positions.sort_index(kind="mergesort").to_numpy()
    folds = []
    for train, test in TimeSeriesSplit(n_splits=n_splits, gap=gap).split(ordered):
        folds.append((ordered[train], ordered[test]))
    return folds


def card_folds(sales, n_splits=5):
    """Every sale of a card in one fold: folds by a stable hash of the card id."""
    fold_of = np.array([zlib.crc32(card.encode()) % n_splits for card in sales["card_id"]])
    everything = np.arange(len(sales))
    return [(everything[fold_of != k], everything[fold_of == k]) for k in range(n_splits)]
