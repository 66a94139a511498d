"""Folds cut by time and by card, the one validation design of Module 3, ready-made.

PokéMarket's price model is trained on past sales and prices future ones, often of cards it never
saw sold. Each fold is a cutoff date plus a share of the cards held out: it trains on the other
cards' sales dated before the cutoff minus a settlement window (`gap_days`, cut by date), and tests
on the held-out cards' sales from the cutoff up to the next cutoff (the last fold: to the end).
`cv_strategy` builds the same folds by hand; the other exercises of the module use these.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import pandas as pd

Folds = list[tuple[np.ndarray, np.ndarray]]  # (training positions, test positions) per fold


def even_cutoffs(dates: pd.Series, n_splits: int) -> list[pd.Timestamp]:
    """n_splits cutoff days that cut the span of `dates` into n_splits + 1 equal parts."""
    first, last = pd.Timestamp(dates.min()), pd.Timestamp(dates.max())
    step = (last - first) / (n_splits + 1)
    return [(first + k * step).normalize() for k in range(1, n_splits + 1)]


def time_card_folds(
    sales: pd.DataFrame,
    cutoffs: Sequence[str | pd.Timestamp],
    share: float = 0.2,
    gap_days: int = 0,
    seed: int = 0,
) -> Folds:
    """One fold per cutoff (in order), as positions into `sales` as given.

    Each fold holds out its own `round(share * cards)` of the sorted distinct card ids, drawn
    with one `np.random.default_rng(seed)` for all folds.
    """
    dates = sales["sale_date"].to_numpy()
    cards = sales["card_id"].to_numpy()
    ids = np.sort(np.unique(cards))
    rng = np.random.default_rng(seed)
    starts = [pd.Timestamp(c) for c in cutoffs]
    ends = [*starts[1:], None]
    folds = []
    for start, end in zip(starts, ends, strict=True):
        held = np.isin(cards, rng.choice(ids, size=round(share * len(ids)), replace=False))
        window = dates >= np.datetime64(start)
        if end is not None:
            window &= dates < np.datetime64(end)
        settled = dates < np.datetime64(start - pd.Timedelta(days=gap_days))
        folds.append((np.flatnonzero(~held & settled), np.flatnonzero(held & window)))
    return folds


class TimeCardSplit:
    """A scikit-learn splitter of time-and-card folds, for any rows of a sales table.

    `split(X)` finds each row of X in `sales` by its index label (so keep X a DataFrame with the
    sales' index), picks `n_splits` even cutoffs over those rows' dates and cuts
    `time_card_folds` of them: it works on the outer training rows of a nested search too.
    """

    def __init__(
        self,
        sales: pd.DataFrame,
        n_splits: int = 3,
        share: float = 0.2,
        gap_days: int = 0,
        seed: int = 0,
    ) -> None:
        self.sales = sales
        self.n_splits = n_splits
        self.share = share
        self.gap_days = gap_days
        self.seed = seed

    def get_n_splits(self, X=None, y=None, groups=None) -> int:
        return self.n_splits

    def split(self, X, y=None, groups=None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        if not isinstance(X, pd.DataFrame):
            raise TypeError(
                "TimeCardSplit finds each row's sale date and card by its index label: give it "
                "the rows as a DataFrame with the sales' index (X.iloc[rows], not an array)."
            )
        rows = self.sales.loc[X.index]
        cutoffs = even_cutoffs(rows["sale_date"], self.n_splits)
        yield from time_card_folds(rows, cutoffs, self.share, self.gap_days, self.seed)
