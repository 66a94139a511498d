"""Checks for 01_data/05_sales_schema: a Pandera contract for card sales, lazy and by row."""

import functools
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest

from mlings.dataset import make_cards, make_sales, raw_sales_with_labels

COUNTS = {
    "negative_price": 5,
    "grade_9_5": 4,
    "grade_11": 4,
    "grade_0": 2,
    "rarity_variant": 12,
    "sale_before_release": 5,
    "sale_in_future": 6,
}
GRADES = ("grade_9_5", "grade_11", "grade_0")
SHOWN = ("rarity", "psa_grade", "price_usd", "sale_date", "release_date")


def _release(cards: pd.DataFrame) -> pd.Series:
    return pd.to_datetime(cards.set_index("card_id")["release_date"]).astype("datetime64[us]")


@functools.cache
def _clean_file(root: str) -> pd.DataFrame:
    data = f"{root}/data"
    cards = pd.read_csv(f"{data}/cards.csv")
    clean = pd.read_csv(f"{data}/sales_clean.csv", parse_dates=["sale_date"])
    return clean.assign(release_date=clean["card_id"].map(_release(cards)))


@functools.cache
def _cards(root: str, n: int) -> pd.DataFrame:
    """n cards of the catalog: data/cards.csv, or make_cards() (the same catalog, built slower)."""
    path = Path(root) / "data" / "cards.csv"
    catalog = pd.read_csv(path, parse_dates=["release_date"]) if path.is_file() else make_cards()
    keep = np.sort(np.random.default_rng(n).choice(len(catalog), n, replace=False))
    return catalog.iloc[keep].reset_index(drop=True)


@functools.cache
def _batch(root: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """A valid batch, the same batch with the planted defects, and each row's defect."""
    cards = _cards(root, 250)
    clean = make_sales(cards, seed=21, n=400, start="2018-01-01", end="2024-12-31")
    raw, labels = raw_sales_with_labels(clean, cards, seed=21, counts=COUNTS)
    position = pd.Series(np.arange(len(clean)), index=clean["listing_id"])
    order = np.argsort(position.loc[raw["listing_id"]].to_numpy())
    raw, labels = raw.iloc[order].reset_index(drop=True), labels.iloc[order].reset_index(drop=True)
    good = clean.assign(release_date=clean["card_id"].map(_release(cards)).to_numpy())
    good.index = 10_000 + 2 * np.arange(len(good))
    labels.index = good.index
    bad = good.copy()
    for column in ("rarity", "psa_grade", "sale_date"):
        bad[column] = raw[column].to_numpy()
    negative = labels.eq("negative_price")
    bad.loc[negative, "price_usd"] = -bad.loc[negative, "price_usd"]
    return good, bad, labels


def _with(root: str, *defects: str) -> tuple[pd.DataFrame, set]:
    """The valid batch with only these defects planted, and the labels of their rows."""
    good, bad, labels = _batch(root)
    rows = labels.isin(defects)
    frame = good.copy()
    frame.loc[rows] = bad.loc[rows]
    return frame, set(labels.index[rows])


def _reported(exercise, frame: pd.DataFrame) -> set:
    schema = exercise.sales_schema()
    try:
        schema.validate(frame.copy(), lazy=True)
    except pa.errors.SchemaErrors as errors:
        return set(errors.failure_cases["index"].dropna().tolist())
    return set()


def _describe(frame: pd.DataFrame, rows, column: str) -> str:
    values = frame.loc[sorted(rows)[:3], column].tolist()
    return ", ".join(f"{v:%Y-%m-%d}" if isinstance(v, pd.Timestamp) else repr(v) for v in values)


def _catches(exercise, root: str, defects: tuple[str, ...], column: str, rule: str) -> None:
    frame, planted = _with(root, *defects)
    reported = _reported(exercise, frame)
    missed = planted - reported
    assert not missed, (
        f"Your schema let {len(missed)} of {len(planted)} bad rows through, with {column} "
        f"{_describe(frame, missed, column)}. {rule}"
    )
    extra = reported - planted
    assert not extra, (
        f"Your schema rejected {len(extra)} valid rows of this batch (every row but the "
        f"{len(planted)} with a bad {column}), such as row {min(extra)}: "
        f"{frame.loc[min(extra), list(SHOWN)].to_dict()}."
    )


def test_accepts_the_clean_file(exercise, course_root):
    """accepts every row of data/sales_clean.csv, and returns it unchanged"""
    clean = _clean_file(str(course_root))
    schema = exercise.sales_schema()
    try:
        validated = schema.validate(clean.copy(), lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        first = cases.drop_duplicates(["column", "check"]).head(3)
        found = "; ".join(
            f"column {c!r}, check {k!r}, value {v!r}"
            for c, k, v in zip(first["column"], first["check"], first["failure_case"], strict=True)
        )
        rows = cases["index"].dropna().nunique()
        raise AssertionError(
            f"Your schema rejected the clean file ({rows} of {len(clean)} rows): {found}. "
            "Every row of the clean file is a valid sale: half grades such as 8.5 exist, raw "
            "copies have no grade (NaN), and dates are datetime64[us]."
        ) from None
    try:
        pd.testing.assert_frame_equal(validated, clean, check_dtype=False)
    except AssertionError:
        raise AssertionError(
            "Validating the clean file changed its values. A schema reports problems; it must "
            "not repair them (coerce=True casts values, and a cast can hide a bad one)."
        ) from None
    assert list(exercise.find_bad_rows(clean.head(5000).copy())) == [], (
        "find_bad_rows found bad rows in the clean file; it should return [] for a valid batch."
    )


def test_rejects_negative_price(exercise, course_root):
    """rejects a refund logged as a sale: a price of 0 or less"""
    root = str(course_root)
    _catches(exercise, root, ("negative_price",), "price_usd", "A sale price must be above 0.")
    frame, _ = _with(root)
    zero = frame.index[len(frame) // 2]
    frame.loc[zero, "price_usd"] = 0.0
    reported = _reported(exercise, frame)
    assert zero in reported, (
        f"Your schema accepted row {zero} with a price_usd of exactly $0.00. A card is never "
        "sold for nothing: the rule is price_usd > 0, so 0 itself is out."
    )


def test_rejects_impossible_grades(exercise, course_root):
    """rejects PSA grades 9.5, 11 and 0 (rejects a 1-to-10 range check)"""
    root = str(course_root)
    _catches(
        exercise,
        root,
        GRADES,
        "psa_grade",
        "PSA grades are 1, 1.5, ... 8.5, 9 and 10: check membership in PSA_GRADES (a range "
        "of 1 to 10 lets 9.5 through), and let a missing grade (a raw copy) pass.",
    )


def test_rejects_rarity_spellings(exercise, course_root):
    """rejects a rarity not spelled exactly as in RARITIES ("Rare Holo", "Common ")"""
    root = str(course_root)
    frame, planted = _with(root, "rarity_variant")
    extra_row = sorted(set(frame.index) - planted)[0]
    frame.loc[extra_row, "rarity"] = "Common "  # a trailing space
    reported = _reported(exercise, frame)
    planted = planted | {extra_row}
    missed = planted - reported
    assert not missed, (
        f"Your schema let {len(missed)} misspelled rarities through, such as "
        f"{_describe(frame, missed, 'rarity')}. Only the exact spellings in RARITIES are valid "
        "(no other case, no stray spaces): check membership, and do not clean the values "
        "before validating, or the defect is hidden instead of reported."
    )
    extra = reported - planted
    assert not extra, (
        f"Your schema rejected {len(extra)} rows whose rarity is valid, such as "
        f"{_describe(frame, extra, 'rarity')}."
    )


def test_rejects_sale_before_release(exercise, course_root):
    """rejects a sale dated before its card's set was released (a frame-wide check)"""
    root = str(course_root)
    _catches(
        exercise,
        root,
        ("sale_before_release",),
        "sale_date",
        "Compare sale_date with release_date in a check on the whole frame: "
        'pa.Check(lambda df: df["sale_date"] >= df["release_date"]).',
    )


def test_rejects_future_sale(exercise, course_root):
    """rejects a sale dated after the last scrape (rejects comparing with today)"""
    root = str(course_root)
    frame, planted = _with(root, "sale_in_future")
    reported = _reported(exercise, frame)
    missed = planted - reported
    message = (
        f"Your schema let {len(missed)} of {len(planted)} sales from the future through, dated "
        f"{_describe(frame, missed, 'sale_date')}. The batch was scraped at LAST_SCRAPE: a "
        "sale after it cannot have happened yet."
    )
    if missed and all(frame.loc[r, "sale_date"] <= pd.Timestamp.now() for r in missed):
        message += " Compare with LAST_SCRAPE, not with today's date."
    assert not missed, message
    extra = reported - planted
    assert not extra, f"Your schema rejected {len(extra)} valid rows of this batch."


def test_lazy_reports_everything(exercise, course_root):
    """reports every bad row at once (rejects eager validation that stops at the first check)"""
    root = str(course_root)
    frame, _ = _with(root, *COUNTS)
    reported = _reported(exercise, frame)  # what your schema finds when validated lazily
    got = {int(label) for label in exercise.find_bad_rows(frame.copy())}
    missed = reported - got
    assert not missed, (
        f"In a batch with every defect planted, your schema (validated lazily) fails "
        f"{len(reported)} rows, but find_bad_rows returned only {len(got)} of them. Validate "
        "with lazy=True: without it, Pandera stops at the first failing check and you never "
        "hear about the rest."
    )
    extra = got - reported
    assert not extra, (
        f"find_bad_rows listed {len(extra)} rows that pass your schema, such as {min(extra)}; "
        "list the rows in the failure cases, by their index labels."
    )


def test_counts_distinct_rows(exercise, course_root):
    """lists each bad row once, however many rules it breaks (rejects len(failure_cases))"""
    root = str(course_root)
    frame, planted = _with(root, "sale_before_release", "negative_price", "grade_11")
    both = sorted(planted)[0]
    frame.loc[both, "price_usd"] = -3.0  # one row, two more problems
    frame.loc[both, "psa_grade"] = 11.0
    reported = _reported(exercise, frame)
    got = exercise.find_bad_rows(frame.copy())
    labels = [int(label) for label in got]
    assert len(labels) == len(set(labels)), (
        f"find_bad_rows returned {len(labels)} labels for {len(set(labels))} distinct rows. "
        "failure_cases has one line per failed check (a frame-wide check even adds one per "
        "column): count rows by their distinct index labels."
    )
    assert set(labels) == reported, (
        f"find_bad_rows found {len(set(labels))} bad rows; your schema fails {len(reported)} "
        "rows of this batch."
    )
    assert labels == sorted(labels), "find_bad_rows should return the labels sorted."


def test_no_coercion_hides_bad_grades(exercise, course_root):
    """reports a bad value instead of converting it (rejects coerce=True hiding a 9.5)"""
    root = str(course_root)
    good, _, _ = _batch(root)
    graded = good[good["psa_grade"].notna()].copy()
    assert len(graded) >= 4
    graded.iloc[0, graded.columns.get_loc("psa_grade")] = 9.5
    graded.iloc[1, graded.columns.get_loc("psa_grade")] = 8.5
    bad = graded.index[0]
    reported = _reported(exercise, graded)
    assert bad in reported, (
        "In a batch of graded copies only, your schema let a PSA 9.5 through. Cast to an "
        "integer type (coerce=True), 9.5 silently becomes 9 and passes, and a 1-to-10 range "
        "lets it through too: keep the grades as floats and check membership in PSA_GRADES."
    )
    assert reported == {bad}, (
        "In a batch of graded copies only, your schema rejected a valid PSA 8.5 (or another "
        "valid row): half grades from 1.5 to 8.5 exist."
    )
    try:
        validated = exercise.sales_schema().validate(graded.drop(index=bad), lazy=True)
    except pa.errors.SchemaErrors:
        pytest.fail("Your schema rejected a batch of valid graded copies.")
    assert validated["psa_grade"].tolist() == graded.drop(index=bad)["psa_grade"].tolist(), (
        "Validating changed the grades: a schema must report bad values, never convert them."
    )
