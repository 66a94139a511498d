"""Checks for 01_data/08_data_lineage: content fingerprints and a manifest that adds up."""

import functools
import re
from pathlib import Path

import numpy as np
import pandas as pd

from mlings.dataset import make_cards, make_sales, raw_sales_with_labels

COUNTS = {
    "rescraped_duplicate": 20,
    "grade_11": 3,
    "grade_9_5": 2,
    "grade_0": 2,
    "sale_in_future": 3,
    "missing_sale_date": 2,
    "missing_rarity": 2,
}
INVALID = {name for name in COUNTS if name != "rescraped_duplicate"}
KEYS = {
    "input_fingerprint",
    "output_fingerprint",
    "rows_in",
    "rows_rescrapes_dropped",
    "rows_invalid_dropped",
    "rows_out",
}
HEX64 = re.compile(r"[0-9a-f]{64}")


@functools.cache
def _cards(root: str, n: int) -> pd.DataFrame:
    """n cards of the catalog: data/cards.csv, or make_cards() (the same catalog, built slower)."""
    path = Path(root) / "data" / "cards.csv"
    catalog = pd.read_csv(path, parse_dates=["release_date"]) if path.is_file() else make_cards()
    keep = np.sort(np.random.default_rng(n).choice(len(catalog), n, replace=False))
    return catalog.iloc[keep].reset_index(drop=True)


@functools.cache
def _raw(root: str) -> tuple[pd.DataFrame, pd.Series]:
    """Scraped sales with re-scrapes and invalid rows (one invalid row scraped twice)."""
    cards = _cards(root, 200)
    clean = make_sales(cards, seed=51, n=300, start="2021-01-01", end="2024-06-30")
    raw, labels = raw_sales_with_labels(clean, cards, seed=51, counts=COUNTS)
    invalid = labels.index[labels.eq("grade_11")][0]
    again = raw.loc[[invalid]].assign(
        scraped_at=raw.loc[invalid, "scraped_at"] + pd.Timedelta(1, "h")
    )
    raw = pd.concat([raw, again], ignore_index=True)
    labels = pd.concat([labels, pd.Series(["rescraped_duplicate"])], ignore_index=True)
    return raw, labels


def _fingerprint(exercise, frame: pd.DataFrame) -> str:
    got = exercise.fingerprint(frame.copy())
    assert isinstance(got, str) and HEX64.fullmatch(got), (
        f"fingerprint returned {got!r}; return hashlib.sha256(...).hexdigest(): 64 lowercase "
        "hexadecimal characters. (Python's hash() gives an int that changes between runs.)"
    )
    return got


def test_fingerprint_is_content(exercise, course_root):
    """gives the same fingerprint for the same content, copied or rebuilt"""
    root = str(course_root)
    raw, _ = _raw(root)
    first = _fingerprint(exercise, raw)
    assert _fingerprint(exercise, raw.copy()) == first, (
        "fingerprint gave a copy of the same frame a different fingerprint; it must depend on "
        "the content only."
    )
    rebuilt = pd.DataFrame({column: raw[column].tolist() for column in raw.columns})
    rebuilt = rebuilt.astype(raw.dtypes.to_dict())
    assert _fingerprint(exercise, rebuilt) == first, (
        "fingerprint gave a frame rebuilt from the same values a different fingerprint; it "
        "must depend on the content only, not on the object."
    )


def test_fingerprint_ignores_row_order(exercise, course_root):
    """ignores row order and index (rejects hashing to_csv() of the frame as it comes)"""
    root = str(course_root)
    raw, _ = _raw(root)
    first = _fingerprint(exercise, raw)
    shuffled = raw.iloc[np.random.default_rng(1).permutation(len(raw))]
    assert _fingerprint(exercise, shuffled) == first, (
        "The same rows in another order (each keeping its index label) got another "
        "fingerprint. A re-sorted export is the same data: make the fingerprint independent "
        "of the row order, e.g. sort the rows (by every column) or sort per-row hashes."
    )
    assert _fingerprint(exercise, shuffled.reset_index(drop=True)) == first, (
        "The same rows in another order, with a fresh 0..n-1 index, got another fingerprint. "
        "The index is not content: leave it out (to_csv(index=False), "
        "hash_pandas_object(..., index=False))."
    )
    by_listing = raw.sort_values("listing_id", kind="stable")
    reversed_ties = raw.iloc[::-1].sort_values("listing_id", kind="stable")
    assert _fingerprint(exercise, by_listing) == _fingerprint(exercise, reversed_ties), (
        "Two orders of the same rows that differ only among re-scrapes of one listing got "
        "different fingerprints. Sorting by one column leaves ties in their old order: sort "
        "by every column."
    )


def test_fingerprint_sees_every_edit(exercise, course_root):
    """changes when one cell changes or a column is renamed"""
    root = str(course_root)
    raw, _ = _raw(root)
    first = _fingerprint(exercise, raw)
    row = raw.index[raw["psa_grade"].eq(10.0)][0]
    edits = {
        "a price text": ("price", raw.loc[row, "price"] + "1"),
        "a PSA grade": ("psa_grade", 9.0),
        "a sale date": ("sale_date", raw.loc[row, "sale_date"] + pd.Timedelta(days=1)),
        "a missing condition filled in": ("condition", "NM"),
        "a listing id": ("listing_id", raw.loc[row, "listing_id"] + 1),
    }
    for what, (column, value) in edits.items():
        edited = raw.copy()
        edited.loc[row, column] = value
        assert _fingerprint(exercise, edited) != first, (
            f"Changing {what} in one row ({column}) left the fingerprint unchanged: hash every "
            "cell of every column."
        )
    renamed = raw.rename(columns={"price": "price_text"})
    assert _fingerprint(exercise, renamed) != first, (
        "Renaming a column left the fingerprint unchanged. A renamed column breaks every "
        "step that reads it: include the column names in the hash."
    )
    swapped = raw.copy()
    swapped[["variant", "condition"]] = raw[["condition", "variant"]].to_numpy()
    assert _fingerprint(exercise, swapped) != first, (
        "Swapping the values of two columns left the fingerprint unchanged: each value "
        "belongs to its column."
    )


def _run(exercise, raw: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    given = raw.copy()
    got = exercise.run_pipeline(given)
    pd.testing.assert_frame_equal(given, raw, obj="the raw table you were given")
    assert isinstance(got, tuple) and len(got) == 2, (
        "run_pipeline should return a (table, manifest) pair."
    )
    table, manifest = got
    assert isinstance(table, pd.DataFrame), "run_pipeline's table should be a DataFrame."
    assert isinstance(manifest, dict), "run_pipeline's manifest should be a dict."
    missing = sorted(KEYS - set(manifest))
    assert not missing, f"The manifest has no {missing[0]!r}; it needs {sorted(KEYS)}."
    return table, manifest


def test_manifest_adds_up(exercise, course_root):
    """writes a manifest whose row counts add up and match each step"""
    root = str(course_root)
    raw, labels = _raw(root)
    table, manifest = _run(exercise, raw)
    counts = {key: manifest[key] for key in KEYS if key.startswith("rows")}
    for key, value in counts.items():
        assert isinstance(value, int | np.integer) and not isinstance(value, bool), (
            f"The manifest's {key} is {value!r}; row counts are whole numbers."
        )
    expected = {
        "rows_in": len(raw),
        "rows_rescrapes_dropped": int(labels.eq("rescraped_duplicate").sum()),
        "rows_invalid_dropped": int(labels.isin(INVALID).sum()),
        "rows_out": len(table),
    }
    total = sum(counts[k] for k in ("rows_rescrapes_dropped", "rows_invalid_dropped", "rows_out"))
    assert total == counts["rows_in"], (
        f"The manifest's counts do not add up: {counts['rows_rescrapes_dropped']} re-scrapes "
        f"+ {counts['rows_invalid_dropped']} invalid + {counts['rows_out']} out = {total}, "
        f"but rows_in is {counts['rows_in']}. Count what each step removed from what it was "
        "given (the invalid rows after deduplication, not in raw)."
    )
    for key, value in expected.items():
        assert counts[key] == value, (
            f"The manifest says {key} = {counts[key]}; this run has {value}."
        )
    assert manifest["input_fingerprint"] == exercise.fingerprint(raw.copy()), (
        "The manifest's input_fingerprint is not fingerprint(raw)."
    )
    assert manifest["output_fingerprint"] == exercise.fingerprint(table.copy()), (
        "The manifest's output_fingerprint is not fingerprint(table) of the table returned."
    )


def test_reproducible_run(exercise, course_root):
    """runs twice, or on shuffled rows, to the same fingerprints (rejects a timestamp column)"""
    root = str(course_root)
    raw, _ = _raw(root)
    _, first = _run(exercise, raw)
    _, again = _run(exercise, raw.copy())
    assert again["output_fingerprint"] == first["output_fingerprint"], (
        "Running the pipeline twice on the same data gave two output fingerprints: something "
        "in the table changes from run to run (a clock time such as a processed_at column, or "
        "randomness). Put run times in the manifest if you need them, never in the data."
    )
    shuffled = raw.sample(frac=1.0, random_state=3)
    _, mixed = _run(exercise, shuffled)
    for key in sorted(KEYS):
        assert mixed[key] == first[key], (
            f"Shuffling raw's rows changed the manifest's {key} ({first[key]!r} -> "
            f"{mixed[key]!r}). The same data in another order must give the same run."
        )


def test_lineage_tracks_edits(exercise, course_root):
    """an edited kept row changes both fingerprints; an edited dropped row only the input's"""
    root = str(course_root)
    raw, labels = _raw(root)
    _, base = _run(exercise, raw)
    kept = labels.index[labels.eq("")][0]
    edited = raw.copy()
    edited.loc[kept, "variant"] = (
        "1st Edition" if raw.loc[kept, "variant"] != "1st Edition" else "Normal"
    )
    _, changed = _run(exercise, edited)
    assert changed["input_fingerprint"] != base["input_fingerprint"], (
        "Editing one row of raw left the manifest's input_fingerprint unchanged."
    )
    assert changed["output_fingerprint"] != base["output_fingerprint"], (
        "Editing a row the pipeline keeps left the output_fingerprint unchanged."
    )
    dropped = labels.index[labels.eq("grade_9_5")][0]
    edited = raw.copy()
    edited.loc[dropped, "variant"] = "Reverse Holo"
    _, changed = _run(exercise, edited)
    assert changed["input_fingerprint"] != base["input_fingerprint"], (
        "Editing one row of raw left the manifest's input_fingerprint unchanged."
    )
    assert changed["output_fingerprint"] == base["output_fingerprint"], (
        "Editing a row that drop_invalid removes changed the output_fingerprint: the output "
        "should depend only on the rows the pipeline keeps."
    )
