"""Checks for 01_data/03_copy_on_write: every rule writes into the frame it returns."""

import functools
from pathlib import Path

import numpy as np
import pandas as pd

from mlings.dataset import LEAKY_COLUMNS, make_cards, make_sales, raw_sales_with_labels

PSA_GRADES = (*(g / 2 for g in range(2, 18)), 9.0, 10.0)
COUNTS = {
    "negative_price": 6,
    "grade_9_5": 3,
    "grade_11": 3,
    "grade_0": 2,
    "rarity_variant": 20,
    "missing_platform": 7,
    "missing_rarity": 3,
}


@functools.cache
def _cards(root: str, n: int) -> pd.DataFrame:
    """n cards of the catalog: data/cards.csv, or make_cards() (the same catalog, built slower)."""
    path = Path(root) / "data" / "cards.csv"
    catalog = pd.read_csv(path, parse_dates=["release_date"]) if path.is_file() else make_cards()
    keep = np.sort(np.random.default_rng(n).choice(len(catalog), n, replace=False))
    return catalog.iloc[keep].reset_index(drop=True)


@functools.cache
def _sales(root: str) -> pd.DataFrame:
    """Scraped sales with prices in dollars (refunds negative) and some planted problems."""
    cards = _cards(root, 200)
    clean = make_sales(cards, seed=8, n=300, start="2021-01-01", end="2023-06-30")
    raw, labels = raw_sales_with_labels(clean, cards, seed=8, counts=COUNTS)
    usd = clean.set_index("listing_id")["price_usd"].loc[raw["listing_id"]].to_numpy()
    usd = np.where(labels.eq("negative_price"), -usd, usd)
    sales = raw.drop(columns=["scraped_at", "price", *LEAKY_COLUMNS]).assign(price_usd=usd)
    padded = sales.index[sales["rarity"].notna()][::40]
    sales.loc[padded, "rarity"] = sales.loc[padded, "rarity"] + " "
    sales.loc[padded[:2], "rarity"] = "  " + sales.loc[padded[:2], "rarity"]
    sales.index = 100 + 3 * np.arange(len(sales))
    return sales


def _tidied(exercise, root: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    sales = _sales(root).copy()
    got = exercise.tidy_sales(sales)
    assert isinstance(got, pd.DataFrame), (
        f"tidy_sales returned {type(got).__name__}; return the tidied DataFrame."
    )
    assert len(got) == len(sales) and got.index.equals(sales.index), (
        f"tidy_sales returned {len(got)} rows for {len(sales)}, or changed their index. The "
        "rules blank bad values (NaN); they never drop or reorder a row."
    )
    return sales, got


def test_refunds_blanked(exercise, course_root):
    """blanks negative prices (rejects df["col"][mask] = value: chained assignment)"""
    root = str(course_root)
    sales, got = _tidied(exercise, root)
    negative = sales["price_usd"] < 0
    left = got.loc[negative, "price_usd"].notna()
    assert not left.any(), (
        f"{left.sum()} of {negative.sum()} negative prices are still there after tidy_sales. "
        'tidy["price_usd"][mask] = np.nan is chained assignment: tidy["price_usd"] is a copy '
        "under pandas 3, so the write is lost (pandas even warns: ChainedAssignmentError). "
        'Write in one step: tidy.loc[mask, "price_usd"] = np.nan.'
    )


def test_impossible_grades_blanked(exercise, course_root):
    """blanks PSA grades 0, 9.5 and 11 (rejects writing through a column kept in a variable)"""
    root = str(course_root)
    sales, got = _tidied(exercise, root)
    impossible = sales["psa_grade"].notna() & ~sales["psa_grade"].isin(PSA_GRADES)
    left = got.loc[impossible, "psa_grade"].dropna()
    assert left.empty, (
        f"tidy_sales left {len(left)} impossible PSA grades, such as {left.iloc[0]}. "
        'grades = tidy["psa_grade"] gives you a separate Series under pandas 3: writing into '
        "it never reaches tidy, and nothing warns you. Write with tidy.loc[mask, "
        '"psa_grade"] = np.nan.'
    )


def test_rarity_trimmed(exercise, course_root):
    """trims spaces around rarity names (rejects changing rows inside iterrows())"""
    root = str(course_root)
    sales, got = _tidied(exercise, root)
    padded = sales["rarity"].notna() & sales["rarity"].ne(sales["rarity"].str.strip())
    left = got.loc[padded, "rarity"]
    untrimmed = left[left.isna() | left.ne(sales.loc[padded, "rarity"].str.strip())]
    assert untrimmed.empty, (
        f"tidy_sales left {len(untrimmed)} rarity names with stray spaces, such as "
        f"{untrimmed.iloc[0]!r}. The row iterrows() hands you is a copy: changing it never "
        'changes tidy. Replace the whole column: tidy["rarity"] = tidy["rarity"].str.strip().'
    )


def test_missing_platform_filled(exercise, course_root):
    """fills a missing platform with "unknown" (rejects writing into a filtered subset)"""
    root = str(course_root)
    sales, got = _tidied(exercise, root)
    missing = sales["platform"].isna()
    left = got.loc[missing, "platform"]
    wrong = left[left.ne("unknown") | left.isna()]
    assert wrong.empty, (
        f"tidy_sales left {len(wrong)} of {missing.sum()} missing platforms without "
        '"unknown". tidy[mask] is a new frame: setting a column on it leaves tidy as it was. '
        'Use tidy.loc[mask, "platform"] = "unknown".'
    )


def test_nothing_else_changed(exercise, course_root):
    """changes nothing else, and leaves the caller's frame alone"""
    root = str(course_root)
    sales, got = _tidied(exercise, root)
    original = _sales(root)
    try:
        pd.testing.assert_frame_equal(sales, original)
    except AssertionError:
        raise AssertionError(
            "tidy_sales changed the frame it was given. Work on the copy (tidy = "
            "sales.copy()), so the caller's data stays as it was."
        ) from None
    assert list(got.columns) == list(original.columns), (
        f"tidy_sales returned the columns {list(got.columns)}; keep those of sales "
        f"({list(original.columns)})."
    )
    touched = {
        "price_usd": original["price_usd"] < 0,
        "psa_grade": original["psa_grade"].notna() & ~original["psa_grade"].isin(PSA_GRADES),
        "rarity": original["rarity"].ne(original["rarity"].str.strip()),
        "platform": original["platform"].isna(),
    }
    for column in original.columns:
        keep = ~touched.get(column, pd.Series(False, index=original.index)).fillna(False)
        want, have = original.loc[keep, column], got.loc[keep, column]
        same = (want == have) | (want.isna() & have.isna())
        assert same.all(), (
            f"tidy_sales changed {column} in {(~same).sum()} rows where none of the four rules "
            f"applies, such as {want[~same].iloc[0]!r} -> {have[~same].iloc[0]!r}."
        )


def _reference_tidy(sales: pd.DataFrame) -> pd.DataFrame:
    """The four rules, written so that they work: the input for changed_cells' checks."""
    impossible = sales["psa_grade"].notna() & ~sales["psa_grade"].isin(PSA_GRADES)
    return sales.assign(
        price_usd=sales["price_usd"].mask(sales["price_usd"] < 0),
        psa_grade=sales["psa_grade"].mask(impossible),
        rarity=sales["rarity"].str.strip(),
        platform=sales["platform"].fillna("unknown"),
    )


def _changes(exercise, before, after) -> dict:
    got = exercise.changed_cells(before.copy(), after.copy())
    if isinstance(got, pd.Series):
        got = got.to_dict()
    assert isinstance(got, dict), (
        f"changed_cells returned {type(got).__name__}; return a dict {{column: count}}."
    )
    return {column: int(count) for column, count in got.items()}


def test_changed_cells_counts_each_rule(exercise, course_root):
    """changed_cells counts the cells each rule changed (rejects counting NaN vs NaN as a change)"""
    sales = _sales(str(course_root))
    tidy = _reference_tidy(sales)
    got = _changes(exercise, sales, tidy)
    want = {
        "price_usd": int((sales["price_usd"] < 0).sum()),
        "psa_grade": int((sales["psa_grade"].notna() & ~sales["psa_grade"].isin(PSA_GRADES)).sum()),
        "rarity": int(
            (sales["rarity"].notna() & sales["rarity"].ne(sales["rarity"].str.strip())).sum()
        ),
        "platform": int(sales["platform"].isna().sum()),
    }
    for column, count in want.items():
        assert got.get(column) == count, (
            f"On the sales before and after the four rules, changed_cells gave {column}: "
            f"{got.get(column)!r}; {count} cells of it changed. "
            + (
                f"{column} has {sales[column].isna().sum()} values missing before and after: "
                "NaN == NaN is False, so a plain comparison counts them as changed. A cell "
                "missing on both sides has not changed."
                if got.get(column, 0) > count
                else "Count every cell whose value differs, including a value that became "
                "missing (NaN) or a missing value that was filled."
            )
        )
    untouched = {c: n for c, n in got.items() if c not in want and n}
    assert not untouched, (
        f"changed_cells reported changes in {untouched}, columns no rule touches (only "
        f"{', '.join(want)} change). Are cells missing on both sides counted as changed?"
    )


def test_changed_cells_lists_every_column_in_order(exercise, course_root):
    """changed_cells has every column of before, in order, 0 where nothing changed"""
    sales = _sales(str(course_root))
    got = _changes(exercise, sales, _reference_tidy(sales))
    assert list(got) == list(sales.columns), (
        f"changed_cells gave the columns {list(got)}; expected every column of before, in its "
        f"order: {list(sales.columns)}. A column with no change is reported as 0: that 0 is "
        "how a rule that silently does nothing shows up."
    )


def test_changed_cells_on_a_small_frame(exercise):
    """changed_cells counts blanked and filled values, not values missing on both sides"""
    before = pd.DataFrame(
        {
            "listing_id": [1, 2, 3, 4],
            "psa_grade": [9.0, np.nan, 9.5, np.nan],
            "platform": ["eBay", None, None, "TCGplayer"],
        },
        index=[10, 20, 30, 40],
    ).astype({"platform": "str"})
    after = before.assign(
        psa_grade=[9.0, np.nan, np.nan, 10.0],
        platform=pd.Series(["eBay", None, "unknown", "TCGplayer"], dtype="str", index=before.index),
    )
    got = _changes(exercise, before, after)
    want = {"listing_id": 0, "psa_grade": 2, "platform": 1}
    assert got == want, (
        f"changed_cells gave {got} on a 4-row frame where psa_grade went from [9, NaN, 9.5, NaN] "
        "to [9, NaN, NaN, 10] and platform from [eBay, NaN, NaN, TCGplayer] to [eBay, NaN, "
        f"unknown, TCGplayer]; expected {want}: a value blanked or filled is a change, a value "
        "missing on both sides is not."
    )
