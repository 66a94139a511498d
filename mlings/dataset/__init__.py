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

import importlib
from typing import Any

from .manifest import MANIFEST, changed_files, restore_message, write_manifest

# Everything else loads on first use: the CLI reads MANIFEST without paying for pandas.
_LAZY = {
    "FX_TO_USD": "catalog",
    "SEED": "catalog",
    "FILES": "build",
    "HELDOUT_PERIOD": "build",
    "HELDOUT_FIRST_ID": "build",
    "build_dataset": "build",
    "write_dataset": "build",
    "heldout_sales": "build",
    "make_cards": "cards",
    "LEAKY_COLUMNS": "defects",
    "PLANTED": "defects",
    "SNAPSHOT_END": "defects",
    "make_raw_sales": "defects",
    "raw_sales_with_labels": "defects",
    "csv_bytes": "files",
    "write_csv": "files",
    "N_SALES": "sales",
    "SALES_END": "sales",
    "SALES_START": "sales",
    "Drift": "sales",
    "make_sales": "sales",
    "CENTS_BATCH": "slices",
    "DRIFTED_PERIOD": "slices",
    "STABLE_PERIOD": "slices",
    "make_drifted_slice": "slices",
    "make_stable_slice": "slices",
}

__all__ = [
    "CENTS_BATCH",
    "DRIFTED_PERIOD",
    "FILES",
    "FX_TO_USD",
    "HELDOUT_FIRST_ID",
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
    "write_csv",
    "write_dataset",
    "write_manifest",
]


def __getattr__(name: str) -> Any:
    """Import a heavy name's submodule the first time the name is used."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
