"""Checks for 08_capstone/data_pipeline (capstone_data, 15 points): schema, cleaning, lineage.

The raw scrape is generated at grading time with the grade's seed (MLINGS_GRADE_SEED), from
the course's catalog, with every kind of planted problem on known rows; the truth is the clean
sales it was scraped from.
"""

import functools
import io
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest

from mlings.dataset import csv_bytes, make_cards, make_sales, raw_sales_with_labels
from mlings.engine.procs import fresh_env

SEED = int(os.environ.get("MLINGS_GRADE_SEED", "0"))
CLEAN_COLUMNS = [
    "listing_id",
    "card_id",
    "sale_date",
    "platform",
    "rarity",
    "variant",
    "condition",
    "psa_grade",
    "currency",
    "price_usd",
]
CONDITIONS = ("NM", "LP", "MP", "HP", "DMG")
COUNTS = {
    "rescraped_duplicate": 60,
    "cents_typo": 15,
    "negative_price": 8,
    "unparseable_price": 8,
    "missing_price": 8,
    "missing_currency": 30,
    "rarity_variant": 40,
    "missing_rarity": 10,
    "grade_9_5": 6,
    "grade_11": 5,
    "grade_0": 4,
    "missing_condition": 12,
    "sale_before_release": 8,
    "sale_in_future": 8,
    "missing_sale_date": 6,
    "missing_platform": 10,
}
# What each problem spoils in a clean-looking row: the column the schema must judge.
SPOILS = {
    "negative_price": "price_usd",
    "unparseable_price": "price_usd",
    "missing_price": "price_usd",
    "missing_currency": "currency",
    "rarity_variant": "rarity",
    "missing_rarity": "rarity",
    "grade_9_5": "psa_grade",
    "grade_11": "psa_grade",
    "grade_0": "psa_grade",
    "missing_condition": "condition",
    "sale_before_release": "sale_date",
    "sale_in_future": "sale_date",
    "missing_sale_date": "sale_date",
    "missing_platform": "platform",
}
UNREPAIRABLE = (  # no way to know the true value: clean_sales must drop these rows
    "negative_price",
    "unparseable_price",
    "missing_price",
    "grade_9_5",
    "grade_11",
    "grade_0",
    "missing_condition",
    "sale_before_release",
    "sale_in_future",
    "missing_sale_date",
)
REPAIRABLE = ("missing_currency", "rarity_variant", "missing_rarity")  # the catalog, the symbol
HEX = re.compile(r"[0-9a-f]+")
FRESH_TIMEOUT = 30  # seconds for a fresh Python process that imports the learner's file


@functools.cache
def _catalog(root: str) -> pd.DataFrame:
    """The course's catalog: data/cards.csv, or make_cards() (the same catalog, built slower)."""
    path = Path(root) / "data" / "cards.csv"
    return pd.read_csv(path, parse_dates=["release_date"]) if path.is_file() else make_cards()


@functools.cache
def _world(root: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """(truth, raw, labels): clean sales, their raw scrape as read from CSV, each row's problem."""
    cards = _catalog(root)
    truth = make_sales(cards, [SEED, 81], 1500, "2016-01-01", "2024-12-31")
    raw, labels = raw_sales_with_labels(truth, cards, SEED, COUNTS)
    raw = pd.read_csv(io.BytesIO(csv_bytes(raw)), parse_dates=["scraped_at", "sale_date"])
    return truth.set_index("listing_id", drop=False), raw, labels


@functools.cache
def _spoiled(root: str) -> tuple[pd.DataFrame, pd.Series]:
    """Clean-looking sales, one per listing, each problem in its own column; and the labels."""
    truth, raw, labels = _world(root)
    once = labels.ne("rescraped_duplicate").to_numpy()
    raw, labels = raw[once].reset_index(drop=True), labels[once].reset_index(drop=True)
    frame = truth.loc[raw["listing_id"], CLEAN_COLUMNS].reset_index(drop=True)
    for kind, column in SPOILS.items():
        rows = labels.eq(kind)
        if column == "price_usd":
            frame.loc[rows, column] = (
                -frame.loc[rows, column] if kind == "negative_price" else np.nan
            )
        else:
            frame.loc[rows, column] = raw.loc[rows, column]
    index = 50_000 + 3 * np.arange(len(frame))  # labels that are not positions
    return frame.set_axis(index), labels.set_axis(index)


def _reported(exercise, frame: pd.DataFrame) -> set:
    """The index labels of the rows SalesSchema fails, validated lazily."""
    schema = exercise.SalesSchema
    try:
        schema.validate(frame.copy(), lazy=True)
    except pa.errors.SchemaErrors as errors:
        return set(errors.failure_cases["index"].dropna().tolist())
    return set()


def _show(frame: pd.DataFrame, rows, column: str) -> str:
    values = frame.loc[sorted(rows)[:3], column].tolist()
    return ", ".join(f"{v:%Y-%m-%d}" if isinstance(v, pd.Timestamp) else repr(v) for v in values)


def _schema_catches(
    exercise, root: str, kinds: tuple[str, ...], rule: str, edits: tuple = ()
) -> None:
    """SalesSchema fails exactly the rows with these problems (and the edits) among good rows.

    edits: (what, column, value, graded) tuples: two good rows (graded or raw) get the value.
    """
    frame, labels = _spoiled(root)
    frame, labels = frame[labels.isin(("", *kinds))].copy(), labels[labels.isin(("", *kinds))]
    good, graded = labels.eq(""), frame["psa_grade"].notna()
    spoils = dict(SPOILS)
    for number, (what, column, value, is_graded) in enumerate(edits):
        rows = frame.index[good & (graded == is_graded)][2 * number : 2 * number + 2]
        dtype = frame[column].dtype
        frame[column] = frame[column].astype(object)
        frame.loc[rows, column] = value
        frame[column] = frame[column].astype(dtype)
        labels = labels.copy()
        labels[rows] = what
        spoils[what] = column
    reported = _reported(exercise, frame)
    for kind in (*kinds, *(what for what, *_ in edits)):
        planted = set(labels.index[labels.eq(kind)])
        missed = planted - reported
        column = spoils[kind]
        assert not missed, (
            f"SalesSchema let {len(missed)} of {len(planted)} rows with a bad {column} through "
            f"({_name(kind)}: {_show(frame, missed, column)}). {rule}"
        )
    extra = reported - set(labels.index[labels.ne("")])
    assert not extra, (
        f"SalesSchema rejected {len(extra)} valid sales, such as "
        f"{frame.loc[min(extra)].to_dict()}. Every sale of the clean file must pass."
    )


@pytest.mark.points(1)
def test_schema_rejects_bad_prices(exercise, course_root):
    """SalesSchema rejects a refund, a missing price (and passes the good rows)"""
    _schema_catches(
        exercise,
        str(course_root),
        ("negative_price", "unparseable_price", "missing_price"),
        "A sale has a price above 0: not missing (nullable=False), not 0, not negative.",
    )


@pytest.mark.points(1)
def test_schema_rejects_impossible_grades(exercise, course_root):
    """SalesSchema rejects PSA 0, 9.5 and 11, and both or neither of condition and grade"""
    _schema_catches(
        exercise,
        str(course_root),
        ("grade_9_5", "grade_11", "grade_0", "missing_condition"),
        "PSA grades are PSA_GRADES only (a range of 1 to 10 lets 9.5 through), and every sale "
        "has exactly one of condition and psa_grade: a frame-wide check compares the two.",
        edits=(("a graded copy with a condition", "condition", "NM", True),),
    )


@pytest.mark.points(1)
def test_schema_rejects_bad_categories(exercise, course_root):
    """SalesSchema rejects misspelled or missing rarities, platforms, variants, currencies"""
    _schema_catches(
        exercise,
        str(course_root),
        ("rarity_variant", "missing_rarity", "missing_platform", "missing_currency"),
        "Check membership in the exact spellings (RARITIES, PLATFORMS, VARIANTS, CONDITIONS, "
        "CURRENCIES), with no cleaning inside the schema; only condition and psa_grade may be "
        "missing.",
        edits=(
            ("a misspelled variant", "variant", "1st edition", False),
            ("a misspelled condition", "condition", "Near Mint", False),
        ),
    )


@pytest.mark.points(1)
def test_schema_rejects_impossible_dates(exercise, course_root):
    """SalesSchema rejects a missing date, a future sale, a sale before its card's release"""
    _schema_catches(
        exercise,
        str(course_root),
        ("sale_before_release", "sale_in_future", "missing_sale_date"),
        "A sale has a date, no later than LAST_SCRAPE (not today), and no earlier than its "
        "card's release: compare sale_date with the release date of its card_id in a "
        "frame-wide check (release_dates() maps card ids to them).",
    )


@pytest.mark.points(1)
def test_schema_rejects_duplicate_listings(exercise, course_root):
    """SalesSchema rejects a listing_id seen twice or an extra column, accepts the clean file"""
    root = str(course_root)
    clean_file = Path(root) / "data" / "sales_clean.csv"
    clean = pd.read_csv(clean_file, parse_dates=["sale_date"])
    try:
        exercise.SalesSchema.validate(clean.copy(), lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases.drop_duplicates(["column", "check"]).head(3)
        found = "; ".join(
            f"column {c!r}, check {k!r}, value {v!r}"
            for c, k, v in zip(cases["column"], cases["check"], cases["failure_case"], strict=True)
        )
        raise AssertionError(
            f"SalesSchema rejected data/sales_clean.csv: {found}. Every row of the clean file "
            "is a valid sale (a raw copy has no grade, a graded one no condition)."
        ) from None
    frame, labels = _spoiled(root)
    frame = frame[labels.eq("")]
    twice = frame.iloc[[3, 40, 41]].set_axis([1, 2, 3])  # scraped again: same listing ids
    reported = _reported(exercise, pd.concat([frame, twice]))
    again = set(twice["listing_id"])
    assert reported, (
        "SalesSchema accepted a batch in which 3 listings appear twice. One listing is one "
        "sale: make listing_id unique (pa.Field(unique=True))."
    )
    wrong = {row for row in reported if row not in {1, 2, 3} and row not in frame.index}
    wrong |= {r for r in reported if r in frame.index and frame.loc[r, "listing_id"] not in again}
    assert not wrong, f"SalesSchema rejected {len(wrong)} sales that appear only once in the batch."
    leaky = frame.assign(price_eur=(frame["price_usd"] / 1.1).round(2))
    try:
        exercise.SalesSchema.validate(leaky, lazy=True)
    except (pa.errors.SchemaErrors, pa.errors.SchemaError):
        pass
    else:
        pytest.fail(
            "SalesSchema accepted clean sales with an extra price_eur column, a price recorded "
            "after the sale. Clean sales have exactly CLEAN_COLUMNS: make the schema strict."
        )


def _clean(exercise, root: str, shuffled: bool = False) -> pd.DataFrame:
    """clean_sales on the raw scrape (in scrape order, or shuffled), checked for its shape."""
    return _cleaned(exercise, root, shuffled).copy()


@functools.cache
def _cleaned(exercise, root: str, shuffled: bool) -> pd.DataFrame:
    _, raw, _ = _world(root)
    if shuffled:
        raw = raw.sample(frac=1.0, random_state=SEED + 1).reset_index(drop=True)
    got = exercise.clean_sales(raw.copy())
    assert isinstance(got, pd.DataFrame), (
        f"clean_sales returned {type(got).__name__}; expected the clean sales as a DataFrame."
    )
    absent = [c for c in CLEAN_COLUMNS if c not in got.columns]
    assert not absent, (
        f"clean_sales' result has no column {absent}. It has the columns of "
        "data/sales_clean.csv: price_usd from the price text, the rest as scraped."
    )
    return got


def _kept(got: pd.DataFrame, labels: pd.Series, raw: pd.DataFrame, kinds) -> pd.Series:
    """Listing ids with a problem in kinds, and whether clean_sales kept each."""
    ids = raw.loc[labels.isin(kinds).to_numpy(), "listing_id"]
    return pd.Series(ids.isin(got["listing_id"]).to_numpy(), index=ids.to_numpy())


def _name(kind: str) -> str:
    """A planted problem's name for a sentence."""
    return {"grade_9_5": "PSA 9.5", "grade_11": "PSA 11", "grade_0": "PSA 0"}.get(
        kind, kind.replace("_", " ")
    )


@pytest.mark.points(1)
def test_clean_columns_and_order(exercise, course_root):
    """clean_sales returns the clean file's columns, sorted by date, valid under SalesSchema"""
    root = str(course_root)
    got = _clean(exercise, root, shuffled=True)
    assert list(got.columns) == CLEAN_COLUMNS, (
        f"clean_sales returned the columns {list(got.columns)}; expected exactly "
        f"{CLEAN_COLUMNS}. Drop scraped_at and the leaky columns (price_eur, price_bucket, "
        "psa_population: recorded after the sale, they would leak the price into a model)."
    )
    assert pd.api.types.is_datetime64_any_dtype(got["sale_date"]), (
        f"sale_date has dtype {got['sale_date'].dtype}; keep it a datetime."
    )
    assert pd.api.types.is_float_dtype(got["price_usd"]), (
        f"price_usd has dtype {got['price_usd'].dtype}; it is a number of dollars (float)."
    )
    ordered = got.sort_values(["sale_date", "listing_id"])
    assert got["listing_id"].tolist() == ordered["listing_id"].tolist(), (
        "Given the raw rows in another order, clean_sales returned rows not sorted by "
        "sale_date, then listing_id, as the clean file is."
    )
    try:
        exercise.SalesSchema.validate(got.copy(), lazy=True)
    except pa.errors.SchemaErrors as errors:
        rows = errors.failure_cases["index"].dropna().nunique()
        raise AssertionError(
            f"clean_sales' output fails your own SalesSchema ({rows} rows): validate before "
            "returning, so a bad row stops the pipeline instead of reaching the model."
        ) from None


def _wrong_prices(exercise, root: str, typos: bool) -> str:
    """What is wrong with the kept prices of the cents typos (or of every other row); "" if none."""
    truth, raw, labels = _world(root)
    got = _clean(exercise, root)
    strangers = ~got["listing_id"].isin(truth.index)
    assert not strangers.any(), f"clean_sales returned {strangers.sum()} listings not in raw."
    once = labels.ne("rescraped_duplicate").to_numpy()
    kind = pd.Series(labels[once].to_numpy(), index=raw.loc[once, "listing_id"])
    text = pd.Series(raw.loc[once, "price"].to_numpy(), index=kind.index)
    kept = got[got["listing_id"].map(kind).eq("cents_typo") == typos]
    expected = truth.loc[kept["listing_id"], "price_usd"].to_numpy()
    price = pd.to_numeric(kept["price_usd"], errors="coerce").to_numpy(dtype=float)
    wrong = ~(np.abs(price - expected) <= 0.011)
    if not wrong.any():
        return ""
    first = kept[wrong].iloc[0]
    return (
        f"{wrong.sum()} of {len(kept)} kept sales have a wrong price_usd, such as listing "
        f"{first['listing_id']}: {text[first['listing_id']]!r} ({first['currency']}) became "
        f"{price[wrong][0]:.2f}, not {expected[wrong][0]:.2f}."
    )


@pytest.mark.points(1.5)
def test_clean_prices_in_usd(exercise, course_root):
    """clean_sales prices every kept sale in USD to the cent, in every format and currency"""
    problem = _wrong_prices(exercise, str(course_root), typos=False)
    assert not problem, (
        f"{problem} Euro prices write 1.200,50 (dot for thousands, comma for decimals); "
        "convert with FX_TO_USD (round(amount * rate, 2)); a missing currency shows in the "
        "text's symbol ($, US $, £, €, EUR)."
    )


@pytest.mark.points(1)
def test_clean_fixes_cents_typos(exercise, course_root):
    """clean_sales fixes or drops every cents typo (a price typed 100 times too high)"""
    problem = _wrong_prices(exercise, str(course_root), typos=True)
    assert not problem, (
        f"{problem} These are cents typos: the text alone looks fine. Compare each price "
        "with another record of the same sale (the platform's payout, price_eur: leaky as a "
        "feature, but a fair cross-check of the target), then divide by 100 or drop the row."
    )


@pytest.mark.points(1)
def test_clean_drops_unrepairable_rows(exercise, course_root):
    """clean_sales drops rows it cannot repair: no price, a refund, impossible grades and dates"""
    root = str(course_root)
    _, raw, labels = _world(root)
    got = _clean(exercise, root)
    for kind in UNREPAIRABLE:
        kept = _kept(got, labels, raw, (kind,))
        assert not kept.any(), (
            f"clean_sales kept {kept.sum()} of {len(kept)} rows with the problem "
            f"{_name(kind)!r} (listing {kept.index[kept][0]}). Its true value cannot "
            "be known: drop the row (see the data card's planted problems)."
        )


@pytest.mark.points(0.5)
def test_clean_one_row_per_listing(exercise, course_root):
    """clean_sales keeps one row per listing (rejects a bare drop_duplicates())"""
    root = str(course_root)
    _, raw, labels = _world(root)
    got = _clean(exercise, root)
    twice = got["listing_id"].duplicated()
    assert not twice.any(), (
        f"clean_sales returned {twice.sum()} listings more than once, such as listing "
        f"{got.loc[twice, 'listing_id'].iloc[0]}. A re-scrape differs only in scraped_at, so "
        "drop_duplicates() on every column keeps it: deduplicate on listing_id."
    )
    rescraped = raw.loc[labels.eq("rescraped_duplicate").to_numpy(), "listing_id"]
    lost = ~rescraped.isin(got["listing_id"])
    assert not lost.any(), (
        f"clean_sales dropped {lost.sum()} re-scraped listings altogether: keep one copy "
        "(the latest scrape) of each."
    )


@functools.cache
def _edited_rescrapes(root: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The raw scrape in which each listing's later scrape changed its price (and condition).

    The later scrape takes the price text (and payout) of another untouched sale of the same
    platform and currency, at half to twice the old price, and a raw copy another condition.
    Half of these listings have their later scrape on the row BEFORE the earlier one.
    Returns (raw, what each listing's earlier and later scrape say).
    """
    truth, raw, labels = _world(root)
    raw, labels = raw.copy(), labels.to_numpy()
    copies = np.flatnonzero(labels == "rescraped_duplicate")
    once = ~raw["listing_id"].duplicated(keep=False).to_numpy()
    donors = raw[(labels == "") & once]
    order, rows = np.arange(len(raw)), []
    for number, later in enumerate(copies):
        listing = raw.at[later, "listing_id"]
        earlier = int(np.flatnonzero(raw["listing_id"].eq(listing).to_numpy() & (labels == ""))[0])
        old_price = truth.at[listing, "price_usd"]
        same = donors[
            donors["platform"].eq(raw.at[later, "platform"])
            & donors["currency"].eq(raw.at[later, "currency"])
        ]
        price = truth.loc[same["listing_id"], "price_usd"].to_numpy()
        ratio = price / old_price  # a plausible new price for the card: no outlier, no typo
        usable = np.flatnonzero(
            (np.abs(price - old_price) > 0.05) & (ratio >= 0.5) & (ratio <= 2) & (ratio != 1)
        )
        if not len(usable):
            continue
        donor = same.index[usable[number % len(usable)]]
        for column in ("price", "price_eur", "price_bucket"):
            raw.at[later, column] = raw.at[donor, column]
        old_condition = raw.at[later, "condition"]
        condition = old_condition
        if isinstance(old_condition, str):
            step = CONDITIONS.index(old_condition) + 1 + number % 3
            condition = CONDITIONS[step % len(CONDITIONS)]
            raw.at[later, "condition"] = condition
        first = number % 2 == 0  # the later scrape on the earlier row
        if first:
            order[[earlier, later]] = order[[later, earlier]]
        rows.append(
            {
                "listing_id": listing,
                "later_first": first,
                "old_price": old_price,
                "old_condition": old_condition,
                "old_at": raw.at[earlier, "scraped_at"],
                "price": truth.at[raw.at[donor, "listing_id"], "price_usd"],
                "condition": condition,
                "at": raw.at[later, "scraped_at"],
            }
        )
    return raw.iloc[order].reset_index(drop=True), pd.DataFrame(rows).set_index("listing_id")


def _money_and_condition(price: float, condition: object) -> str:
    return f"price_usd {price:.2f}" + (
        f" and condition {condition!r}" if isinstance(condition, str) else ""
    )


@pytest.mark.points(0.5)
def test_clean_keeps_latest_scrape(exercise, course_root):
    """clean_sales keeps each listing's latest scrape by scraped_at (rejects its first scrape)"""
    raw, scrapes = _edited_rescrapes(str(course_root))
    got = exercise.clean_sales(raw.copy())
    assert isinstance(got, pd.DataFrame) and {"listing_id", "price_usd", "condition"} <= set(
        got.columns
    ), "clean_sales did not return a DataFrame with the columns of data/sales_clean.csv."
    mine = got[got["listing_id"].isin(scrapes.index)]
    twice = mine["listing_id"].duplicated()
    assert not twice.any(), (
        f"clean_sales kept both scrapes of {twice.sum()} listings scraped twice whose later "
        f"scrape changed the price, such as listing {mine.loc[twice, 'listing_id'].iloc[0]}: "
        "one listing is one sale; keep its latest scrape (scraped_at)."
    )
    lost = scrapes.index.difference(mine["listing_id"])
    assert lost.empty, (
        f"clean_sales dropped {len(lost)} of {len(scrapes)} good listings scraped twice whose "
        f"later scrape changed the price, such as listing {lost[0]}: keep the latest scrape "
        "(scraped_at) of each."
    )
    mine = mine.set_index("listing_id").loc[scrapes.index]
    price = pd.to_numeric(mine["price_usd"], errors="coerce").to_numpy(dtype=float)
    right = np.abs(price - scrapes["price"].to_numpy()) <= 0.011
    right &= (mine["condition"] == scrapes["condition"]).to_numpy() | (
        mine["condition"].isna() & scrapes["condition"].isna()
    ).to_numpy()
    if right.all():
        return
    first = scrapes.index[~right][0]
    was, old = scrapes.loc[first], mine.loc[first]
    kept = _money_and_condition(float(old["price_usd"]), old["condition"])
    earlier = _money_and_condition(was["old_price"], was["old_condition"])
    kept = f"its scrape of {was['old_at']} ({kept})" if kept == earlier else kept
    by_position = not (~right & ~scrapes["later_first"].to_numpy()).any()
    raise AssertionError(
        f"clean_sales kept the wrong scrape of {(~right).sum()} of {len(scrapes)} listings "
        f"scraped twice with another price, such as listing {first}: it kept {kept}, not "
        f"the latest scrape (scraped_at {was['at']}: "
        f"{_money_and_condition(was['price'], was['condition'])}). A later scrape is the "
        "listing's last known state: keep each listing's latest scrape (scraped_at)"
        + (
            ", whatever the row order: you chose by the rows' positions, and here the "
            "later scrape came first."
            if by_position
            else ". Sort by scraped_at, then keep the last row of each listing_id "
            "(drop_duplicates keeps the first by default)."
        )
    )


@pytest.mark.points(1)
def test_clean_keeps_good_rows(exercise, course_root):
    """clean_sales keeps the good rows (at least 99%) with their values unchanged"""
    root = str(course_root)
    truth, raw, labels = _world(root)
    got = _clean(exercise, root)
    kept = _kept(got, labels, raw, ("",))
    assert kept.mean() >= 0.99, (
        f"clean_sales dropped {(~kept).sum()} of {len(kept)} sales that have no problem, such "
        f"as listing {kept.index[~kept][0]}: {truth.loc[kept.index[~kept][0]].to_dict()}. Drop "
        "only the rows with a problem you cannot repair."
    )
    good = got[got["listing_id"].isin(kept.index[kept])].set_index("listing_id")
    for column in CLEAN_COLUMNS[1:-1]:
        want, have = truth.loc[good.index, column], good[column]
        differ = ~((want == have) | (want.isna() & have.isna()))
        assert not differ.any(), (
            f"clean_sales changed the {column} of {differ.sum()} good sales, such as listing "
            f"{differ.index[differ][0]}: {have[differ].iloc[0]!r} instead of "
            f"{want[differ].iloc[0]!r}."
        )


@pytest.mark.points(0.5)
def test_clean_repairs_what_it_can(exercise, course_root):
    """clean_sales repairs a misspelled or missing rarity and a missing currency, rightly"""
    root = str(course_root)
    truth, raw, labels = _world(root)
    got = _clean(exercise, root)
    hows = {
        "missing_currency": "the price text shows it: $, US $, £, € or EUR",
        "rarity_variant": "every card has one rarity in the catalog (cards.csv)",
        "missing_rarity": "every card has one rarity in the catalog (cards.csv)",
    }
    for kind in (*REPAIRABLE, "missing_platform"):
        kept = _kept(got, labels, raw, (kind,))
        assert kind not in hows or kept.mean() >= 0.9, (
            f"clean_sales dropped {(~kept).sum()} of {len(kept)} sales with a "
            f"{_name(kind)}: it can be repaired, as {hows[kind]}."
        )
        ids = kept.index[kept]
        mine = got.set_index("listing_id").loc[ids]
        for column in CLEAN_COLUMNS[1:-1]:
            want, have = truth.loc[ids, column], mine[column]
            differ = ~((want == have) | (want.isna() & have.isna()))
            assert not differ.any(), (
                f"clean_sales kept {differ.sum()} sales with a {_name(kind)}, but with a "
                f"wrong {column}: {have[differ].iloc[0]!r} for listing "
                f"{differ.index[differ][0]}, not {want[differ].iloc[0]!r}. Repair a value "
                "only from data that tells it for sure; otherwise drop the row."
            )


def _fingerprint(exercise, frame: pd.DataFrame) -> str:
    got = exercise.fingerprint(frame.copy())
    assert isinstance(got, str) and len(got) == 64 and HEX.fullmatch(got), (
        f"fingerprint returned {got!r}; return the SHA-256 hex digest, 64 hexadecimal "
        "characters (hashlib.sha256(...).hexdigest())."
    )
    return got


@pytest.mark.points(1)
def test_fingerprint_content_not_order(exercise, course_root):
    """fingerprint ignores row order and index, and changes when one price moves by a cent"""
    truth, _, _ = _world(str(course_root))
    sales = truth.reset_index(drop=True)
    first = _fingerprint(exercise, sales)
    assert _fingerprint(exercise, sales.copy()) == first, (
        "fingerprint gave a copy of the same frame another fingerprint."
    )
    shuffled = sales.sample(frac=1.0, random_state=SEED).set_axis(np.arange(len(sales)) * 5)
    assert _fingerprint(exercise, shuffled) == first, (
        "The same sales in another order, with another index, got another fingerprint. A "
        "re-sorted export is the same data: hash the rows in a fixed order (sort them, or "
        "sort per-row hashes), without the index."
    )
    edited = sales.copy()
    edited.loc[len(sales) // 2, "price_usd"] += 0.01
    assert _fingerprint(exercise, edited) != first, (
        "Changing one price by a cent left the fingerprint unchanged: hash every cell."
    )
    renamed = sales.rename(columns={"price_usd": "price"})
    assert _fingerprint(exercise, renamed) != first, (
        "Renaming a column left the fingerprint unchanged: include the column names."
    )


FRESH = """
import importlib.util, sys
import pandas as pd
path, frame_file = sys.argv[1:]
sys.path.insert(0, str(__import__("pathlib").Path(path).parent))
spec = importlib.util.spec_from_file_location("capstone_data_fresh", path)
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
print("FINGERPRINT=" + str(module.fingerprint(pd.read_pickle(frame_file))))
"""


@pytest.mark.points(0.5)
def test_fingerprint_same_in_a_fresh_process(exercise, course_root):
    """fingerprint is the same in another Python process (rejects Python's salted hash())"""
    truth, _, _ = _world(str(course_root))
    sales = truth.reset_index(drop=True).head(300)
    here = _fingerprint(exercise, sales)
    with tempfile.TemporaryDirectory() as folder:
        frame_file = Path(folder) / "sales.pkl"
        sales.to_pickle(frame_file)
        try:
            done = subprocess.run(
                [sys.executable, "-c", FRESH, str(Path(exercise.__file__).resolve()), frame_file],
                cwd=folder,
                env=fresh_env(PYTHONHASHSEED="random"),
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=FRESH_TIMEOUT,
            )
        except subprocess.TimeoutExpired:
            pytest.fail(
                f"Importing your file and fingerprinting 300 sales took over {FRESH_TIMEOUT} s."
            )
    lines = [
        ln
        for ln in done.stdout.decode(errors="replace").splitlines()
        if ln.startswith("FINGERPRINT=")
    ]
    assert done.returncode == 0 and lines, (
        "A fresh Python process that imports your file and calls fingerprint failed:\n"
        + done.stderr.decode(errors="replace").strip()[-800:]
    )
    there = lines[-1].removeprefix("FINGERPRINT=")
    assert there == here, (
        "fingerprint gave the same sales another fingerprint in another Python process. "
        "Python's hash() of strings is salted per process: use hashlib.sha256 on the bytes "
        "of the content (pd.util.hash_pandas_object is fixed too)."
    )


@pytest.mark.points(0.5)
def test_pipeline_is_reproducible(exercise, course_root):
    """clean_sales is reproducible: same raw in any order, same fingerprint; one price, another"""
    root = str(course_root)
    _, raw, labels = _world(root)
    first = _fingerprint(exercise, _clean(exercise, root))
    again = _fingerprint(exercise, _clean(exercise, root, shuffled=True))
    assert again == first, (
        "clean_sales on the same raw rows in another order gave another fingerprint: the "
        "output must depend on the data only (sort it; keep the latest scrape by scraped_at, "
        "not by position; no clock time, no randomness)."
    )
    edited = raw.copy()
    once = ~raw["listing_id"].duplicated(keep=False)
    row = int(np.flatnonzero(labels.eq("") & once & raw["platform"].eq("TCGplayer"))[0])
    edited.loc[row, "price"] = (
        "$" + f"{float(edited.loc[row, 'price'][1:].replace(',', '')) + 1:,.2f}"
    )
    edited.loc[row, "price_eur"] += 1 / 1.1
    changed = _fingerprint(exercise, exercise.clean_sales(edited))
    assert changed != first, (
        "Raising one raw price by a dollar left the fingerprint of clean_sales' output unchanged."
    )


@pytest.mark.points(1)
def test_time_split(exercise, course_root):
    """time_split puts every sale on one side: before the cutoff in train, on or after it in test"""
    truth, _, _ = _world(str(course_root))
    sales = truth.reset_index(drop=True).sample(frac=1.0, random_state=SEED)
    sales = sales.set_axis(np.arange(len(sales)) * 7 + 11)
    for cutoff in ("2022-01-01", str(sales["sale_date"].quantile(0.7).date())):
        given = sales.copy()
        train, test = exercise.time_split(given, cutoff)
        pd.testing.assert_frame_equal(given, sales, obj="the sales you were given")
        day = pd.Timestamp(cutoff)
        assert (train["sale_date"] < day).all(), (
            f"With cutoff {cutoff}, train holds a sale of {train['sale_date'].max():%Y-%m-%d}: "
            "train is strictly before the cutoff."
        )
        assert (test["sale_date"] >= day).all(), (
            f"With cutoff {cutoff}, test holds a sale of {test['sale_date'].min():%Y-%m-%d}: "
            "test is on or after the cutoff."
        )
        for side, name in ((train, "train"), (test, "test")):
            strange = side.index.difference(sales.index)
            assert strange.empty, (
                f"{name} has {len(strange)} index labels that are not in the sales given (such "
                f"as {strange[0]}): keep each sale's index (no reset_index), so every row "
                "can be traced back to its sale."
            )
        both = train.index.intersection(test.index)
        assert both.empty, f"{len(both)} sales are in both train and test (cutoff {cutoff})."
        lost = sales.index.difference(train.index.union(test.index))
        on_cutoff = sales.loc[lost, "sale_date"].eq(day).any() if len(lost) else False
        assert lost.empty, f"{len(lost)} sales are in neither train nor test (cutoff {cutoff})" + (
            ": the sales ON the cutoff day belong in test." if on_cutoff else "."
        )
        for side, name in ((train, "train"), (test, "test")):
            pd.testing.assert_frame_equal(
                side, sales.loc[side.index], obj=f"{name} (each row as given, with its index)"
            )
