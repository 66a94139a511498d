"""A split that does not leak

The pricing model will be judged on a test set, and the test set decides whether PokéMarket
ships it. A random 80/20 split of the sales rows looks fine and lies in three ways:

- the same listing, scraped twice, lands on both sides: the model is tested on a sale it
  trained on;
- the same card sells many times: a model that memorised "base1-4 sells for $400" looks
  brilliant on its next sale, but sellers bring cards it has never seen;
- rows from 2024 train a model that is tested on 2022: it knows the future (the 2021 boom,
  the later plateau) that a model in production never does.

Write split_sales(raw, cutoff, test_share, seed) -> (train, test), in three steps:

1. Deduplicate first: one row per listing_id, its latest scrape (largest scraped_at).
2. Group by card: draw test_share of the distinct card_ids (rounded to a whole number of
   cards) as test cards, at random with np.random.default_rng(seed), from the SORTED card
   ids, so that the file's row order cannot change the split; every other card is a train
   card.
3. Cut by time: train is the train cards' sales before the cutoff; test is the test cards'
   sales on or after it. The other sales (a train card sold after the cutoff, a test card
   sold before it) are left out: on either side, they would leak.

Return every column of raw, for the kept rows.

Done when: no listing and no card is on both sides, every train sale comes before every test
sale, the same inputs always give the same split (whatever the row order), and the seed picks
the test cards.

Stuck? Run `mlings hint`.
"""

import numpy as np  # noqa: F401 -- for np.random.default_rng(seed)
import pandas as pd


def split_sales(
    raw: pd.DataFrame, cutoff: str | pd.Timestamp, test_share: float = 0.2, seed: int = 0
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(train, test): deduplicated, no card on both sides, train before the cutoff, test after."""
    # TODO: 1. dedupe (latest scrape per listing_id); 2. pick the test cards from the sorted
    # distinct card_ids with np.random.default_rng(seed); 3. train = train cards before the
    # cutoff, test = test cards on or after it.
    raise NotImplementedError("split_sales: dedupe, group by card, cut by time")
