"""Checks for 01_data/07_leak_free_split: dedupe, group by card, cut by time."""

import functools
from pathlib import Path

import numpy as np
import pandas as pd

from mlings.dataset import make_cards, make_sales, raw_sales_with_labels

CUTOFF = pd.Timestamp("2024-01-01")


@functools.cache
def _cards(root: str, n: int) -> pd.DataFrame:
    """n cards of the catalog: data/cards.csv, or make_cards() (the same catalog, built slower)."""
    path = Path(root) / "data" / "cards.csv"
    catalog = pd.read_csv(path, parse_dates=["release_date"]) if path.is_file() else make_cards()
    keep = np.sort(np.random.default_rng(n).choice(len(catalog), n, replace=False))
    return catalog.iloc[keep].reset_index(drop=True)


@functools.cache
def _raw(root: str) -> pd.DataFrame:
    """Scraped sales of few cards (each sells several times), with re-scrapes, shuffled."""
    cards = _cards(root, 120)
    clean = make_sales(cards, seed=41, n=700, start="2021-06-01", end="2024-12-31")
    raw, _ = raw_sales_with_labels(clean, cards, seed=41, counts={"rescraped_duplicate": 40})
    raw = raw.iloc[np.random.default_rng(41).permutation(len(raw))]
    raw.index = 7 + 3 * np.arange(len(raw))
    return raw


def _deduped(raw: pd.DataFrame) -> pd.DataFrame:
    return raw.loc[raw.groupby("listing_id")["scraped_at"].idxmax()]


def _split(exercise, raw: pd.DataFrame, **kwargs) -> tuple[pd.DataFrame, pd.DataFrame]:
    got = exercise.split_sales(raw.copy(), CUTOFF, **kwargs)
    assert isinstance(got, tuple) and len(got) == 2, (
        f"split_sales returned {type(got).__name__}; return a (train, test) pair of DataFrames."
    )
    train, test = got
    for name, part in (("train", train), ("test", test)):
        assert isinstance(part, pd.DataFrame), (
            f"split_sales's {name} is a {type(part).__name__}; return DataFrames."
        )
        missing = [c for c in raw.columns if c not in part.columns]
        assert not missing, f"split_sales's {name} has no column {missing[0]!r}; keep them all."
        assert len(part), f"split_sales's {name} is empty."
    return train, test


def test_no_card_on_both_sides(exercise, course_root):
    """puts every card on one side only (rejects a random split of the rows)"""
    root = str(course_root)
    train, test = _split(exercise, _raw(root), test_share=0.25, seed=0)
    shared = sorted(set(train["card_id"]) & set(test["card_id"]))
    assert not shared, (
        f"{len(shared)} cards have sales on both sides, such as {shared[0]}. A model that "
        "saw a card's earlier sales in training looks brilliant on its later ones; sellers "
        "bring cards it has never seen. Draw the test cards first, and split the sales by "
        "card."
    )


def test_train_before_test(exercise, course_root):
    """trains on sales before the cutoff, tests on sales from it on (rejects a card-only split)"""
    root = str(course_root)
    train, test = _split(exercise, _raw(root), test_share=0.25, seed=0)
    late = train[train["sale_date"] >= CUTOFF]
    early = test[test["sale_date"] < CUTOFF]
    assert late.empty and early.empty, (
        f"The train side has {len(late)} sales from the cutoff on and the test side "
        f"{len(early)} sales from before it. A model trained on later sales knows the future "
        "it is tested on; in production it never does. Keep train sales before the cutoff and "
        "test sales on or after it."
    )


def test_deduplicated_first(exercise, course_root):
    """keeps each listing once, its latest scrape (rejects splitting before deduplicating)"""
    root = str(course_root)
    raw = _raw(root)
    train, test = _split(exercise, raw, test_share=0.25, seed=0)
    both = pd.concat([train, test])
    repeated = both["listing_id"][both["listing_id"].duplicated()]
    assert repeated.empty, (
        f"{repeated.nunique()} listings appear more than once in the split, such as "
        f"{repeated.iloc[0]}: a re-scrape is the same sale. Deduplicate first, keeping each "
        "listing's latest scrape."
    )
    latest = _deduped(raw).set_index("listing_id")["scraped_at"]
    kept = both.set_index("listing_id")["scraped_at"]
    older = kept.index[kept.to_numpy() != latest.loc[kept.index].to_numpy()]
    assert older.empty, (
        f"For {len(older)} listings, the split kept an older scrape; keep the latest one."
    )


def test_nothing_needlessly_dropped(exercise, course_root):
    """keeps all of a card's sales on its side, and a card sold on both sides of the cutoff"""
    root = str(course_root)
    sales = _deduped(_raw(root))
    train, test = _split(exercise, _raw(root), test_share=0.25, seed=0)
    before = sales[sales["sale_date"] < CUTOFF]
    after = sales[sales["sale_date"] >= CUTOFF]
    for name, part, period in (("train", train, before), ("test", test, after)):
        wanted = period[period["card_id"].isin(set(part["card_id"]))]
        lost = set(wanted["listing_id"]) - set(part["listing_id"])
        assert not lost, (
            f"split_sales left out {len(lost)} sales of {name} cards that belong on the {name} "
            f"side (sold {'before' if name == 'train' else 'on or after'} the cutoff). Only the "
            "sales on the wrong side of the cutoff for their card are left out."
        )
    spanning = set(before["card_id"]) & set(after["card_id"])
    placed = set(train["card_id"]) | set(test["card_id"])
    dropped = spanning - placed
    assert len(dropped) <= len(spanning) * 0.02, (
        f"{len(dropped)} of the {len(spanning)} cards sold both before and after the cutoff "
        "are on neither side. Every card is a train card or a test card; a train card keeps "
        "its earlier sales, a test card its later ones."
    )


def test_share_of_test_cards(exercise, course_root):
    """draws about test_share of the cards for the test side"""
    root = str(course_root)
    raw = _raw(root)
    sales = _deduped(raw)
    spanning = set(sales.loc[sales["sale_date"] < CUTOFF, "card_id"]) & set(
        sales.loc[sales["sale_date"] >= CUTOFF, "card_id"]
    )
    for share in (0.2, 0.5):
        _, test = _split(exercise, raw, test_share=share, seed=3)
        on_test = len(spanning & set(test["card_id"])) / len(spanning)
        assert abs(on_test - share) <= 0.15, (
            f"With test_share={share}, {on_test:.0%} of the cards sold on both sides of the "
            f"cutoff went to the test side; expected about {share:.0%}. Draw "
            "round(test_share x number of cards) test cards."
        )


def test_reproducible(exercise, course_root):
    """gives the same split for the same inputs, whatever their row order; the seed matters"""
    root = str(course_root)
    raw = _raw(root)
    first = _split(exercise, raw, test_share=0.25, seed=7)
    again = _split(exercise, raw, test_share=0.25, seed=7)
    shuffled = raw.sample(frac=1.0, random_state=1)
    reordered = _split(exercise, shuffled, test_share=0.25, seed=7)
    other = _split(exercise, raw, test_share=0.25, seed=8)

    def ids(split):
        return [frozenset(part["listing_id"]) for part in split]

    assert ids(first) == ids(again), (
        "split_sales gave two different splits for the same inputs. Draw the test cards with "
        "np.random.default_rng(seed), not with unseeded randomness."
    )
    assert ids(first) == ids(reordered), (
        "Shuffling the rows of raw changed the split. Draw the test cards from the sorted "
        "distinct card ids (np.sort(...unique())), so the file's row order does not matter."
    )
    assert set(first[1]["card_id"]) != set(other[1]["card_id"]), (
        "seed=7 and seed=8 chose the same test cards: the seed must decide which cards are drawn."
    )
