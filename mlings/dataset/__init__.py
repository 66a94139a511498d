"""PokéMarket: a synthetic but realistic Pokémon card market, generated deterministically.

``python -m mlings.dataset`` writes ``data/`` (``--check`` only verifies it). Everything comes
from the seed ``SEED`` through ``numpy.random.default_rng`` streams, with no network; the data
card (``data/DATA_CARD.md``) documents every column, the generative process and every planted
problem.

Files (``FILES``) and the functions that build them in memory:

- ``cards.csv``               ``make_cards(seed=SEED, n=None)``: the card catalog (n: a sample)
- ``sales_clean.csv``         ``make_sales(cards, seed, n, start, end, *, drift, first_id)``
- ``sales_raw.csv``           ``make_raw_sales(clean, cards, seed, counts=None)``: as scraped,
                              with the problems of ``PLANTED``; ``raw_sales_with_labels`` also
                              returns, per row, the problem planted on it
- ``production_stable.csv``   ``make_stable_slice(cards, seed)``
- ``production_drifted.csv``  ``make_drifted_slice(cards, seed)``

``build_dataset(seed)`` returns all five frames, ``write_dataset(folder)`` writes them with a
``MANIFEST`` of sha256 checksums, and ``changed_files(root)`` lists the data files a learner
changed (``restore_message`` says how to get them back). ``heldout_sales(seed, n)`` draws fresh
sales of the same market after the training period, for grading; they are never written to
``data/``.

Small seeded frames for checks::

    cards = make_cards(n=300)
    sales = make_sales(cards, seed=1, n=500, start="2020-01-01", end="2021-12-31")
    raw = make_raw_sales(sales, cards, seed=1, counts={"grade_11": 5, "rarity_variant": 20})
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .cards import make_cards
from .catalog import FX_TO_USD, SEED
from .defects import LEAKY_COLUMNS, PLANTED, SNAPSHOT_END, make_raw_sales, raw_sales_with_labels
from .files import csv_bytes, write_csv
from .manifest import MANIFEST, changed_files, restore_message, write_manifest
from .sales import N_SALES, SALES_END, SALES_START, Drift, make_sales
from .slices import (
    CENTS_BATCH,
    DRIFTED_PERIOD,
    STABLE_PERIOD,
    make_drifted_slice,
    make_stable_slice,
)

FILES = (
    "cards.csv",
    "sales_clean.csv",
    "sales_raw.csv",
    "production_stable.csv",
    "production_drifted.csv",
)
HELDOUT_PERIOD = ("2025-01-01", "2025-06-30")
HELDOUT_FIRST_ID = 9_000_000

__all__ = [
    "CENTS_BATCH",
    "DRIFTED_PERIOD",
    "FILES",
    "FX_TO_USD",
    "HELDOUT_PERIOD",
    "LEAKY_COLUMNS",
    "MANIFEST",
    "N_SALES",
    "PLANTED",
    "SALES_END",
    "SALES_START",
    "SEED",
    "SNAPSHOT_END",
    "STABLE_PERIOD",
    "Drift",
    "build_dataset",
    "changed_files",
    "csv_bytes",
    "heldout_sales",
    "make_cards",
    "make_drifted_slice",
    "make_raw_sales",
    "make_sales",
    "make_stable_slice",
    "raw_sales_with_labels",
    "restore_message",
    "write_dataset",
]


def build_dataset(seed: int = SEED) -> dict[str, pd.DataFrame]:
    """Every data file as a frame, by file name (``FILES``), exactly as written."""
    cards = make_cards(seed)
    clean = make_sales(cards, seed, N_SALES, SALES_START, SALES_END)
    return {
        "cards.csv": cards,
        "sales_clean.csv": clean,
        "sales_raw.csv": make_raw_sales(clean, cards, seed),
        "production_stable.csv": make_stable_slice(cards, seed),
        "production_drifted.csv": make_drifted_slice(cards, seed),
    }


def write_dataset(folder: Path, seed: int = SEED) -> list[Path]:
    """Generate every data file into folder, then its MANIFEST; return the paths written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = [write_csv(frame, folder / name) for name, frame in build_dataset(seed).items()]
    return [*written, write_manifest(folder, list(FILES))]


def heldout_sales(seed: int, n: int = 5000) -> pd.DataFrame:
    """Fresh clean sales of the same market in the first half of 2025, for grading.

    Same catalog (``data/cards.csv``) and price model as ``sales_clean.csv``, later period,
    listing ids from 9,000,000; a different seed gives different sales. Never stored in data/.
    """
    start, end = HELDOUT_PERIOD
    return make_sales(make_cards(), [seed, 9], n, start, end, first_id=HELDOUT_FIRST_ID)
