"""The PokéMarket dataset: reproducible, checksummed, honest about defects, realistic, learnable."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import r2_score

from mlings.dataset import (
    CENTS_BATCH,
    FILES,
    FX_TO_USD,
    HELDOUT_PERIOD,
    LEAKY_COLUMNS,
    MANIFEST,
    PLANTED,
    SALES_END,
    SNAPSHOT_END,
    build_dataset,
    changed_files,
    heldout_sales,
    make_cards,
    make_raw_sales,
    make_sales,
    restore_message,
    write_dataset,
)
from mlings.dataset.__main__ import main as dataset_main
from mlings.dataset.catalog import NEW_2025_RARITIES, PSA_GRADES, RARITIES
from mlings.dataset.manifest import read_manifest

from .conftest import PROJECT

DATA = PROJECT / "data"
DATES = {"sale_date", "release_date", "scraped_at"}
WOTC = ("Base", "Gym", "Neo", "E-Card")


def read(name: str) -> pd.DataFrame:
    """A data file as a learner would load it (dates parsed)."""
    head = pd.read_csv(DATA / name, nrows=0).columns
    return pd.read_csv(DATA / name, parse_dates=[c for c in head if c in DATES])


@pytest.fixture(scope="module")
def cards() -> pd.DataFrame:
    return read("cards.csv")


@pytest.fixture(scope="module")
def clean() -> pd.DataFrame:
    return read("sales_clean.csv")


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    return read("sales_raw.csv")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("regenerated")
    write_dataset(folder)
    return folder


# --- reproducible and checksummed -------------------------------------------------------------


def test_regenerating_reproduces_every_file_byte_for_byte(generated: Path) -> None:
    for name in (*FILES, MANIFEST):
        assert (generated / name).read_bytes() == (DATA / name).read_bytes(), name


def test_in_memory_frames_equal_the_files() -> None:
    for name, frame in build_dataset().items():
        pd.testing.assert_frame_equal(frame, read(name), obj=name)


def test_the_data_is_small_and_the_raw_file_loads_fast() -> None:
    assert sum((DATA / name).stat().st_size for name in FILES) < 20e6
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        pd.read_csv(DATA / "sales_raw.csv")
        timings.append(time.perf_counter() - start)
    assert min(timings) < 0.5, timings


def test_manifest_covers_every_file_and_check_passes(capsys: pytest.CaptureFixture) -> None:
    assert sorted(read_manifest(DATA)) == sorted(FILES)
    assert changed_files(DATA) == []
    assert changed_files(PROJECT) == []  # a course root works too
    assert dataset_main(["--check", "--data", str(DATA)]) == 0
    assert "matches" in capsys.readouterr().out


def test_changed_and_missing_files_are_reported_with_a_way_back(tmp_path: Path) -> None:
    copy = shutil.copytree(DATA, tmp_path / "data")
    with (copy / "sales_raw.csv").open("a") as handle:
        handle.write("1,2,3\n")
    (copy / "cards.csv").unlink()
    assert changed_files(tmp_path) == ["cards.csv", "sales_raw.csv"]
    message = restore_message(changed_files(copy))
    assert "data/sales_raw.csv" in message and "git checkout -- data/" in message
    assert dataset_main(["--check", "--data", str(copy)]) == 1
    (copy / MANIFEST).unlink()
    assert changed_files(copy) == [MANIFEST]


# --- the data card tells the truth ------------------------------------------------------------


def test_data_card_documents_every_column_problem_and_count() -> None:
    card = (DATA / "DATA_CARD.md").read_text(encoding="utf-8")
    for name in FILES:
        assert f"`{name}`" in card, name
        for column in pd.read_csv(DATA / name, nrows=0).columns:
            assert re.search(rf"^\| `{column}` \|", card, re.M), f"{name}: {column}"
    stated = dict(re.findall(r"^\| `([a-z0-9_]+)` \| (\d+) \|", card, re.M))
    assert {k: int(v) for k, v in stated.items()} == PLANTED
    for column in LEAKY_COLUMNS:
        assert f"`{column}`" in card


# --- planted problems, found from the data alone ----------------------------------------------


def usd(text: object, currency: object) -> float:
    """A raw price in USD, NaN when there is no number (the test's own parser)."""
    if not isinstance(text, str):
        return np.nan
    body, sign = text.strip(), 1.0
    if body.startswith("-"):
        body, sign = body[1:], -1.0
    shown = None
    for mark, code in (("US $", "USD"), ("EUR ", "EUR"), ("$", "USD"), ("£", "GBP"), ("€", "EUR")):
        if mark in body:
            body, shown = body.replace(mark, "").strip(), code
    body = body.replace(".", "").replace(",", ".") if shown == "EUR" else body.replace(",", "")
    code = shown or currency
    if not re.fullmatch(r"\d+(\.\d{1,2})?", body) or not isinstance(code, str):
        return np.nan
    return sign * round(float(body) * FX_TO_USD[code], 2)


def test_rescraped_listings_repeat_only_with_a_later_scrape_time(raw, clean) -> None:
    repeats = raw["listing_id"].duplicated()
    assert repeats.sum() == PLANTED["rescraped_duplicate"]
    assert not raw.duplicated().any(), "a re-scrape differs in scraped_at"
    assert raw.drop(columns="scraped_at").duplicated().sum() == repeats.sum()
    assert set(raw["listing_id"]) == set(clean["listing_id"])
    assert (raw["scraped_at"] <= pd.Timestamp(SNAPSHOT_END)).all()


def test_price_problems_are_planted_in_the_stated_counts(raw, clean) -> None:
    rows = raw.drop_duplicates("listing_id").merge(
        clean[["listing_id", "price_usd"]], on="listing_id", validate="1:1"
    )
    parsed = np.array([usd(t, c) for t, c in zip(rows["price"], rows["currency"], strict=True)])
    truth = rows["price_usd"].to_numpy()
    missing, unparseable = rows["price"].isna(), np.isnan(parsed) & rows["price"].notna()
    cents = np.isclose(parsed, 100 * truth, atol=0.6) & ~np.isclose(parsed, truth, atol=0.011)
    assert missing.sum() == PLANTED["missing_price"]
    assert unparseable.sum() == PLANTED["unparseable_price"]
    assert (parsed < 0).sum() == PLANTED["negative_price"]
    assert np.isclose(-parsed, truth, atol=0.011).sum() == PLANTED["negative_price"]
    assert cents.sum() == PLANTED["cents_typo"]
    fine = ~missing.to_numpy() & ~unparseable.to_numpy() & (parsed > 0) & ~cents
    assert np.allclose(parsed[fine], truth[fine], atol=0.011), "other prices parse to price_usd"
    assert rows["currency"].isna().sum() == PLANTED["missing_currency"]
    styles = rows["price"].str.extract(r"^(US \$|\$|£|EUR )|( €)$").notna().any(axis=1)
    assert styles[rows["currency"].isna()].all(), "a missing currency always shows a symbol"
    formats = rows["price"].dropna()
    assert formats.str.fullmatch(r"\d{1,3}(?:\.\d{3})*,\d\d €").sum() > 1000  # 1.200,50 €
    assert formats.str.fullmatch(r"\$\d{1,3}(?:,\d{3})+\.\d\d").sum() > 100  # $1,200.00
    assert formats.str.fullmatch(r"£\d+").sum() > 100  # £45
    assert formats.str.fullmatch(r"\d+").sum() > 100  # 1200
    assert formats.str.fullmatch(r"\d+\.\d").sum() > 100  # 12.5


def test_field_problems_are_planted_in_the_stated_counts(raw, clean, cards) -> None:
    rows = raw.drop_duplicates("listing_id")
    canonical = rows["rarity"].isin(list(RARITIES))
    assert (rows["rarity"].notna() & ~canonical).sum() == PLANTED["rarity_variant"]
    assert rows["rarity"].isna().sum() == PLANTED["missing_rarity"]
    truth = rows[["listing_id"]].merge(clean, on="listing_id")["rarity"].to_numpy()
    for spelled, real in zip(rows["rarity"], truth, strict=True):
        assert spelled == real or pd.isna(spelled) or spelled in RARITIES[real].variants
    for grade, name in ((9.5, "grade_9_5"), (11.0, "grade_11"), (0.0, "grade_0")):
        assert (rows["psa_grade"] == grade).sum() == PLANTED[name]
    valid = rows["psa_grade"].isin(PSA_GRADES) | rows["psa_grade"].isin([9.5, 11.0, 0.0])
    assert (valid | rows["psa_grade"].isna()).all()
    neither = rows["condition"].isna() & rows["psa_grade"].isna()
    assert neither.sum() == PLANTED["missing_condition"]
    release = rows[["card_id"]].merge(cards, on="card_id", how="left")["release_date"]
    assert (rows["sale_date"].to_numpy() < release.to_numpy()).sum() == PLANTED[
        "sale_before_release"
    ]
    assert (rows["sale_date"] > pd.Timestamp(SNAPSHOT_END)).sum() == PLANTED["sale_in_future"]
    assert rows["sale_date"].isna().sum() == PLANTED["missing_sale_date"]
    assert rows["platform"].isna().sum() == PLANTED["missing_platform"]
    assert rows["card_id"].isin(cards["card_id"]).all()


def test_leaky_columns_were_recorded_after_the_sale(raw, clean) -> None:
    rows = raw.drop_duplicates("listing_id").merge(clean, on="listing_id", suffixes=("", "_c"))
    assert np.allclose(rows["price_eur"] * FX_TO_USD["EUR"], rows["price_usd"], atol=0.011)
    top = rows["price_usd"] >= 1000
    assert rows.loc[top, "price_bucket"].eq("1000+").all()
    graded = rows["psa_grade_c"].notna()
    assert rows.loc[graded, "psa_population"].notna().all()
    assert rows.loc[~graded, "psa_population"].isna().all()


def test_clean_sales_break_no_rule(clean, cards) -> None:
    assert clean["listing_id"].is_unique and clean["price_usd"].gt(0).all()
    assert clean["rarity"].isin(list(RARITIES)).all()
    assert clean["psa_grade"].dropna().isin(PSA_GRADES).all()
    assert (clean["condition"].isna() != clean["psa_grade"].isna()).all()
    joined = clean.merge(cards, on="card_id", suffixes=("", "_card"), validate="m:1")
    assert (joined["sale_date"] >= joined["release_date"]).all()
    assert (joined["rarity"] == joined["rarity_card"]).all()
    assert clean["sale_date"].max() <= pd.Timestamp(SALES_END)
    assert not clean.isna().drop(columns=["condition", "psa_grade"]).any().any()


# --- realism ----------------------------------------------------------------------------------


def test_prices_are_heavy_tailed_from_bulk_cents_to_vintage_thousands(clean, cards) -> None:
    price = clean["price_usd"]
    assert price.quantile(0.99) / price.median() > 50
    joined = clean.merge(cards.drop(columns="rarity"), on="card_id")
    modern = joined["series"].isin(["Sword & Shield", "Scarlet & Violet"])
    bulk = joined[modern & joined["rarity"].eq("Common") & joined["condition"].notna()]
    assert bulk["price_usd"].median() < 0.5
    slabs = joined[joined["series"].isin(WOTC) & joined["rarity"].eq("Holo Rare")]
    slabs = slabs[slabs["psa_grade"] >= 9]
    assert slabs["price_usd"].median() > 300 and slabs["price_usd"].max() > 10_000


def same_card_ratio(sales: pd.DataFrame, column: str, high, low) -> tuple[float, float]:
    """(share of cards where high beats low, median ratio): per-card medians of both."""
    medians = sales.groupby(["card_id", column])["price_usd"].median().unstack()
    both = medians[[high, low]].dropna()
    assert len(both) > 100
    return float((both[high] > both[low]).mean()), float((both[high] / both[low]).median())


def test_psa_10_sells_well_above_psa_9_for_the_same_cards(clean) -> None:
    share, ratio = same_card_ratio(clean, "psa_grade", 10.0, 9.0)
    assert share > 0.85 and ratio > 2.0


def test_first_edition_sells_above_unlimited_for_the_same_cards(clean) -> None:
    share, ratio = same_card_ratio(clean, "variant", "1st Edition", "Normal")
    assert share > 0.75 and ratio > 1.8


def test_grades_include_halves_but_never_9_5(clean) -> None:
    grades = set(clean["psa_grade"].dropna())
    assert grades == set(PSA_GRADES) and 9.5 not in grades


def test_the_2020_21_hype_spike_is_visible(clean) -> None:
    raw_nm = clean[clean["condition"].eq("NM") & clean["variant"].eq("Normal")]
    log_price = np.log(raw_nm["price_usd"])
    relative = log_price - log_price.groupby(raw_nm["card_id"]).transform("mean")
    year = raw_nm["sale_date"].dt.year
    spike = relative[raw_nm["sale_date"].between("2021-01-01", "2021-06-30")].mean()
    assert spike - relative[year == 2019].mean() > 0.3
    assert spike - relative[year == 2023].mean() > 0.2
    assert year.value_counts()[2021] > 1.5 * year.value_counts()[2019]


def test_secret_rares_exist_across_eras_and_sell(clean, cards) -> None:
    secret = cards[cards["number"] > cards["printed_total"]]
    assert secret["series"].nunique() >= 8 and secret["set_code"].nunique() >= 40
    assert clean["card_id"].isin(secret["card_id"]).sum() > 1000


# --- production slices ------------------------------------------------------------------------


def psi(reference: pd.Series, current: pd.Series, bins: int = 10, eps: float = 1e-4) -> float:
    """Population stability index on shared reference-quantile bins."""
    edges = np.unique(np.quantile(reference, np.linspace(0, 1, bins + 1)))
    edges[0], edges[-1] = -np.inf, np.inf
    expected = np.histogram(reference, edges)[0] / len(reference)
    actual = np.histogram(current, edges)[0] / len(current)
    expected, actual = np.clip(expected, eps, None), np.clip(actual, eps, None)
    return float(np.sum((actual - expected) * np.log(actual / expected)))


def test_drifted_slice_drifts_and_stable_slice_does_not(clean) -> None:
    reference = clean.loc[clean["sale_date"].dt.year == 2024, "price_usd"]  # the last year
    stable, drifted = read("production_stable.csv"), read("production_drifted.csv")
    assert psi(reference, stable["price_usd"]) < 0.1
    assert 0.1 < psi(reference, drifted["price_usd"]) < 0.25
    assert set(drifted["rarity"]) & NEW_2025_RARITIES == NEW_2025_RARITIES
    assert not set(clean["rarity"]) & NEW_2025_RARITIES
    assert not set(stable["rarity"]) & NEW_2025_RARITIES
    assert drifted["psa_grade"].eq(10).mean() > 1.5 * stable["psa_grade"].eq(10).mean()
    cents = drifted["batch_id"].eq(CENTS_BATCH)
    assert cents.sum() > 100
    typical = drifted.loc[~cents, "price_usd"].median()
    assert 50 < drifted.loc[cents, "price_usd"].median() / typical < 200


# --- learnable but not trivial ----------------------------------------------------------------

CATEGORIES = ["rarity", "series", "variant", "condition", "platform", "type", "stage", "pokemon"]


def features(sales: pd.DataFrame, cards: pd.DataFrame) -> pd.DataFrame:
    """Sensible pre-sale features: the card, the copy, the platform, the card's age."""
    joined = sales.merge(cards.drop(columns="rarity"), on="card_id", how="left")
    table = joined[CATEGORIES].assign(condition=joined["condition"].fillna("graded"))
    table["psa_grade"] = joined["psa_grade"]
    table["hp"] = joined["hp"]
    table["secret"] = (joined["number"] > joined["printed_total"]).astype(int)
    table["age_days"] = (joined["sale_date"] - joined["release_date"]).dt.days
    table["release_year"] = joined["release_date"].dt.year
    return table


def test_lightgbm_beats_the_rarity_median_on_later_sales_but_is_not_perfect(clean, cards) -> None:
    later = heldout_sales(seed=2025, n=4000)
    train, test = features(clean, cards), features(later, cards)
    for column in CATEGORIES:
        kinds = pd.CategoricalDtype(sorted(train[column].unique()))
        train[column], test[column] = train[column].astype(kinds), test[column].astype(kinds)
    model = lgb.LGBMRegressor(
        n_estimators=150, learning_rate=0.1, n_jobs=1, random_state=0, verbose=-1
    )
    model.fit(train, np.log(clean["price_usd"]))
    predicted = np.exp(model.predict(test))
    medians = clean.groupby("rarity")["price_usd"].median()
    baseline = later["rarity"].map(medians).fillna(clean["price_usd"].median())
    truth = later["price_usd"]
    model_mae, baseline_mae = (truth - predicted).abs().mean(), (truth - baseline).abs().mean()
    assert model_mae < 0.8 * baseline_mae, (model_mae, baseline_mae)
    r2 = r2_score(np.log(truth), np.log(predicted))
    assert 0.5 < r2 < 0.95, r2


# --- held-out and small frames ----------------------------------------------------------------


def test_heldout_sales_are_fresh_later_and_seeded(clean) -> None:
    first, again, other = heldout_sales(1, 500), heldout_sales(1, 500), heldout_sales(2, 500)
    pd.testing.assert_frame_equal(first, again)
    assert not first["price_usd"].equals(other["price_usd"])
    assert list(first.columns) == list(clean.columns)
    start, end = HELDOUT_PERIOD
    assert first["sale_date"].between(start, end).all()
    assert not set(first["listing_id"]) & set(clean["listing_id"])


def test_small_seeded_frames_come_from_the_same_process() -> None:
    cards = make_cards(n=300)
    assert len(cards) == 300 and cards["card_id"].isin(make_cards()["card_id"]).all()
    sales = make_sales(cards, seed=3, n=400, start="2020-01-01", end="2021-12-31")
    pd.testing.assert_frame_equal(sales, make_sales(cards, 3, 400, "2020-01-01", "2021-12-31"))
    assert sales["card_id"].isin(cards["card_id"]).all() and len(sales) == 400
    raw = make_raw_sales(sales, cards, seed=3, counts={"grade_11": 4, "rescraped_duplicate": 5})
    assert (raw["psa_grade"] == 11).sum() == 4 and len(raw) == 405
    with pytest.raises(ValueError, match="unknown problems"):
        make_raw_sales(sales, cards, seed=3, counts={"typo": 1})
