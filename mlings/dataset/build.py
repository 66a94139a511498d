"""The whole dataset at once: every data file as a frame, written with its MANIFEST."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .cards import make_cards
from .catalog import SEED
from .defects import make_raw_sales
from .files import write_csv
from .manifest import write_manifest
from .sales import N_SALES, SALES_END, SALES_START, make_sales
from .slices import make_drifted_slice, make_stable_slice

FILES = (
    "cards.csv",
    "sales_clean.csv",
    "sales_raw.csv",
    "production_stable.csv",
    "production_drifted.csv",
)
HELDOUT_PERIOD = ("2025-01-01", "2025-06-30")
HELDOUT_FIRST_ID = 9_000_000


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
