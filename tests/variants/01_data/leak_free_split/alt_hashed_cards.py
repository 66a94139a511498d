"""ALTERNATIVE: each card's side from a hash of (seed, card_id): stable, order-free, and no
list of cards to draw from."""

import hashlib

import pandas as pd


def _bucket(card_id: str, seed: int) -> float:
    digest = hashlib.sha256(f"{seed}:{card_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def split_sales(
    raw: pd.DataFrame, cutoff: str | pd.Timestamp, test_share: float = 0.2, seed: int = 0
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(train, test): deduplicated, no card on both sides, train before the cutoff, test after."""
    newest_first = raw.sort_values("scraped_at", ascending=False)
    sales = newest_first.drop_duplicates("listing_id")
    is_test_card = sales["card_id"].map(lambda card: _bucket(card, seed) < test_share)
    before = sales["sale_date"].lt(pd.Timestamp(cutoff))
    return sales.loc[~is_test_card & before], sales.loc[is_test_card & ~before]
