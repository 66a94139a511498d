"""Raw sales as the scraper recorded them: text prices, three leaky columns, planted problems.

Each clean sale becomes one scraped row: the price as the platform displays it, in its currency
(``"$1,200.00"``, ``"US $45.00"``, ``"£45"``, ``"1.200,50 €"``, ``"EUR 12,50"`` or PokéMarket's
bare ``"12.5"``), a ``scraped_at`` time a little after the sale, and three columns that were only
recorded after the sale and leak its price. Then the problems below are planted, each on its own
rows (no row carries two), and some listings are scraped a second time.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .cards import card_appeal, era_of, pokemon_tier
from .catalog import ERAS, FX_TO_USD, PSA_GRADES, RARITIES
from .sales import GRADE_WEIGHTS_MODERN, GRADE_WEIGHTS_VINTAGE, local_price

SNAPSHOT_END = "2024-12-31 23:59:59"  # the last scrape; a later sale date is in the future
RAW_COLUMNS = [
    "listing_id",
    "scraped_at",
    "card_id",
    "sale_date",
    "platform",
    "rarity",
    "variant",
    "condition",
    "psa_grade",
    "price",
    "currency",
    "price_eur",
    "price_bucket",
    "psa_population",
]
LEAKY_COLUMNS = ("price_eur", "price_bucket", "psa_population")

# How many rows carry each planted problem (every problem on distinct rows).
N_RESCRAPED = 1200  # extra rows: a listing scraped again later, same listing_id
N_CENTS_TYPO = 60  # the price typed in cents: 100 times the real price
N_NEGATIVE_PRICE = 25  # a refund logged as a sale: "-$12.00"
N_UNPARSEABLE_PRICE = 30  # "Best Offer", "see description", ...
N_MISSING_PRICE = 30
N_MISSING_CURRENCY = 250  # only on prices whose text shows a symbol or code
N_RARITY_VARIANT = 400  # "Rare Holo", "holo-rare", "SIR", "Common " (trailing space) ...
N_MISSING_RARITY = 60
N_GRADE_9_5 = 25  # PSA never gives 9.5
N_GRADE_11 = 12
N_GRADE_0 = 8
N_MISSING_CONDITION = 200  # a raw copy with neither condition nor grade
N_SALE_BEFORE_RELEASE = 40
N_SALE_IN_FUTURE = 30  # after SNAPSHOT_END: a decade typo (2021 -> 2031) or days ahead
N_MISSING_SALE_DATE = 20
N_MISSING_PLATFORM = 150

PLANTED: dict[str, int] = {
    "rescraped_duplicate": N_RESCRAPED,
    "cents_typo": N_CENTS_TYPO,
    "negative_price": N_NEGATIVE_PRICE,
    "unparseable_price": N_UNPARSEABLE_PRICE,
    "missing_price": N_MISSING_PRICE,
    "missing_currency": N_MISSING_CURRENCY,
    "rarity_variant": N_RARITY_VARIANT,
    "missing_rarity": N_MISSING_RARITY,
    "grade_9_5": N_GRADE_9_5,
    "grade_11": N_GRADE_11,
    "grade_0": N_GRADE_0,
    "missing_condition": N_MISSING_CONDITION,
    "sale_before_release": N_SALE_BEFORE_RELEASE,
    "sale_in_future": N_SALE_IN_FUTURE,
    "missing_sale_date": N_MISSING_SALE_DATE,
    "missing_platform": N_MISSING_PLATFORM,
}
UNPARSEABLE = ("Best Offer", "see description", "trade only", "$$$", "ask")
PRICE_BUCKETS = (0.0, 1.0, 10.0, 100.0, 1000.0, np.inf)
PRICE_BUCKET_LABELS = ("0-1", "1-10", "10-100", "100-1000", "1000+")


def _us(value: float) -> str:
    return f"{value:,.2f}"


def _eu(value: float) -> str:
    return f"{value:,.2f}".translate(str.maketrans(",.", ".,"))


def _plain(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _pounds(value: float) -> str:
    return "£" + _us(value).removesuffix(".00")


PRICE_STYLES = {  # how each (platform, currency) displays a price
    ("PokéMarket", "USD"): _plain,
    ("TCGplayer", "USD"): lambda v: "$" + _us(v),
    ("eBay", "USD"): lambda v: "US $" + _us(v),
    ("eBay", "GBP"): _pounds,
    ("eBay", "EUR"): lambda v: "EUR " + _eu(v),
    ("Cardmarket", "EUR"): lambda v: _eu(v) + " €",
}


def price_text(platform: pd.Series, currency: pd.Series, amount: pd.Series) -> pd.Series:
    """Each amount as its platform shows it in that currency."""
    texts = [
        PRICE_STYLES[(p, c)](a)
        for p, c, a in zip(platform, currency, amount.to_numpy(dtype=float), strict=True)
    ]
    return pd.Series(texts, index=amount.index, dtype="str")


def _scraped_at(sale_date: pd.Series, rng: np.random.Generator, end: pd.Timestamp) -> pd.Series:
    """A scrape time after each sale (hours to days later), never after the last scrape."""
    left = (end - sale_date).dt.total_seconds().to_numpy()
    lag = 6 * 3600 + rng.exponential(2.5 * 86400, size=len(sale_date))
    lag = np.minimum(lag, left * rng.uniform(0.5, 1.0, size=len(sale_date)))
    return (sale_date + pd.to_timedelta(np.floor(lag), unit="s")).astype("datetime64[us]")


def _population(
    clean: pd.DataFrame, cards: pd.DataFrame, rng: np.random.Generator, end: pd.Timestamp
) -> pd.Series:
    """PSA population of the card at the sold grade, looked up when the file was assembled."""
    graded = clean.loc[clean["psa_grade"].notna(), ["card_id", "psa_grade"]]
    pairs = graded.drop_duplicates().sort_values(["card_id", "psa_grade"]).reset_index(drop=True)
    card = cards.set_index("card_id").loc[pairs["card_id"]]
    age = era_of(card["series"]).map({k: v.age for k, v in ERAS.items()}).to_numpy(dtype=float)
    index = np.searchsorted(PSA_GRADES, pairs["psa_grade"].to_numpy())
    modern = np.array(GRADE_WEIGHTS_MODERN) / sum(GRADE_WEIGHTS_MODERN)
    vintage = np.array(GRADE_WEIGHTS_VINTAGE) / sum(GRADE_WEIGHTS_VINTAGE)
    share = (1 - age) * modern[index] + age * vintage[index]
    years_out = (end - pd.to_datetime(card["release_date"])).dt.days.to_numpy() / 365.25
    fame = 0.5 * pokemon_tier(card["pokemon"]) + 0.6 * card_appeal(pairs["card_id"])
    expected = 30.0 * share * np.exp(fame) * (1.0 + np.maximum(years_out, 0.0)) ** 0.8
    pairs["psa_population"] = 1.0 + rng.poisson(expected)
    merged = clean[["card_id", "psa_grade"]].merge(pairs, how="left", on=["card_id", "psa_grade"])
    return pd.Series(merged["psa_population"].to_numpy(), index=clean.index)


def last_scrape(clean: pd.DataFrame) -> pd.Timestamp:
    """When scraping stopped: ``SNAPSHOT_END``, or the end of the last sale day if later."""
    last_day = clean["sale_date"].max() + pd.Timedelta(days=1) - pd.Timedelta(seconds=1)
    return max(pd.Timestamp(SNAPSHOT_END), last_day)


def scrape(
    clean: pd.DataFrame, cards: pd.DataFrame, rng: np.random.Generator, end: pd.Timestamp
) -> pd.DataFrame:
    """Clean sales as scraped rows: text prices, scrape times, leaky columns; no problems yet."""
    raw = clean.drop(columns=["price_usd"]).copy()
    raw["scraped_at"] = _scraped_at(clean["sale_date"], rng, end)
    raw["price"] = price_text(clean["platform"], clean["currency"], local_price(clean))
    raw["price_eur"] = (clean["price_usd"] / FX_TO_USD["EUR"]).round(2)
    bucket = pd.cut(clean["price_usd"], PRICE_BUCKETS, labels=PRICE_BUCKET_LABELS, right=False)
    raw["price_bucket"] = bucket.astype("str")
    raw["psa_population"] = _population(clean, cards, rng, end)
    return raw[RAW_COLUMNS]


def _misspell(rarities: pd.Series, rng: np.random.Generator) -> list[str]:
    pick = rng.integers(0, 1_000_000, size=len(rarities))
    variants = [RARITIES[r].variants for r in rarities]
    return [v[k % len(v)] for v, k in zip(variants, pick, strict=True)]


def _future(dates: pd.Series, rng: np.random.Generator, end: pd.Timestamp) -> np.ndarray:
    """Half a decade typo (2021 -> 2031), half a date days to a year after the last scrape."""
    typo = (dates + pd.DateOffset(years=10)).to_numpy()
    ahead = end.normalize() + pd.to_timedelta(rng.integers(1, 366, size=len(dates)), unit="D")
    return np.where(np.arange(len(dates)) % 2 == 0, typo, ahead.to_numpy())


def _plant(
    raw: pd.DataFrame,
    local: pd.Series,
    cards: pd.DataFrame,
    counts: Mapping[str, int],
    rng: np.random.Generator,
    end: pd.Timestamp,
) -> pd.Series:
    """Plant every problem but the re-scrapes on distinct rows; return each row's label."""
    label = pd.Series("", index=raw.index, dtype="str")

    def take(name: str, eligible: pd.Series | None = None) -> pd.Index:
        free = label.eq("") if eligible is None else label.eq("") & eligible
        if free.sum() < counts[name]:
            raise ValueError(f"only {free.sum()} rows can take {counts[name]} x {name}")
        chosen = rng.choice(np.flatnonzero(free.to_numpy()), size=counts[name], replace=False)
        index = raw.index[np.sort(chosen)]
        label[index] = name
        return index

    graded = raw["psa_grade"].notna()
    raw.loc[take("missing_price"), "price"] = np.nan
    rows = take("unparseable_price")
    raw.loc[rows, "price"] = rng.choice(UNPARSEABLE, size=len(rows))
    rows = take("negative_price")
    raw.loc[rows, "price"] = "-" + raw.loc[rows, "price"]
    rows = take("cents_typo")
    raw.loc[rows, "price"] = price_text(
        raw.loc[rows, "platform"], raw.loc[rows, "currency"], local[rows] * 100
    )
    raw.loc[take("missing_currency", raw["platform"].ne("PokéMarket")), "currency"] = np.nan
    rows = take("rarity_variant")
    raw.loc[rows, "rarity"] = _misspell(raw.loc[rows, "rarity"], rng)
    raw.loc[take("missing_rarity"), "rarity"] = np.nan
    for name, grade in (("grade_9_5", 9.5), ("grade_11", 11.0), ("grade_0", 0.0)):
        raw.loc[take(name, graded), "psa_grade"] = grade
    raw.loc[take("missing_condition", ~graded), "condition"] = np.nan
    rows = take("sale_before_release")
    release = cards.set_index("card_id")["release_date"].loc[raw.loc[rows, "card_id"]]
    days = pd.to_timedelta(rng.integers(30, 1500, size=len(rows)), unit="D")
    raw.loc[rows, "sale_date"] = pd.to_datetime(release).to_numpy() - days.to_numpy()
    rows = take("sale_in_future")
    raw.loc[rows, "sale_date"] = _future(raw.loc[rows, "sale_date"], rng, end)
    raw.loc[take("missing_sale_date"), "sale_date"] = pd.NaT
    raw.loc[take("missing_platform"), "platform"] = np.nan
    return label


def _rescrape(
    raw: pd.DataFrame, label: pd.Series, count: int, rng: np.random.Generator, end: pd.Timestamp
) -> pd.DataFrame:
    """Copies of untouched rows, scraped again later (same listing_id, later scraped_at)."""
    room = (end - raw["scraped_at"]).dt.total_seconds()
    free = np.flatnonzero((label.eq("") & room.ge(86400)).to_numpy())
    if len(free) < count:
        raise ValueError(f"only {len(free)} rows can be scraped again, not {count}")
    index = raw.index[np.sort(rng.choice(free, size=count, replace=False))]
    copies = raw.loc[index].copy()
    later = np.minimum(rng.uniform(3600, 45 * 86400, size=count), room[index].to_numpy() - 60)
    copies["scraped_at"] += pd.to_timedelta(np.floor(later), unit="s")
    return copies


def raw_sales_with_labels(
    clean: pd.DataFrame, cards: pd.DataFrame, seed: int, counts: Mapping[str, int] | None = None
) -> tuple[pd.DataFrame, pd.Series]:
    """Raw sales and, per row, the problem planted on it ("" for none)."""
    if counts is None:
        counts = PLANTED
    unknown = sorted(set(counts) - set(PLANTED))
    if unknown:
        raise ValueError(f"unknown problems {unknown}; known: {sorted(PLANTED)}")
    counts = {name: counts.get(name, 0) for name in PLANTED}
    rng = np.random.default_rng([seed, 2])
    clean = clean.reset_index(drop=True)
    end = last_scrape(clean)
    raw = scrape(clean, cards, rng, end)
    for column in ("price", "rarity", "condition", "platform", "currency"):
        raw[column] = raw[column].astype(object)  # planting writes NaN and other strings
    label = _plant(raw, local_price(clean), cards, counts, rng, end)
    copies = _rescrape(raw, label, counts["rescraped_duplicate"], rng, end)
    both = pd.concat([raw, copies], ignore_index=True)
    labels = pd.concat(
        [label, pd.Series("rescraped_duplicate", index=copies.index, dtype="str")],
        ignore_index=True,
    )
    order = np.lexsort((both["listing_id"].to_numpy(), both["scraped_at"].to_numpy()))
    both = both.iloc[order].reset_index(drop=True)
    for column in ("price", "rarity", "condition", "platform", "currency"):
        both[column] = both[column].astype("str")
    for column in ("scraped_at", "sale_date"):
        both[column] = both[column].astype("datetime64[us]")
    return both[RAW_COLUMNS], labels.iloc[order].reset_index(drop=True)


def make_raw_sales(
    clean: pd.DataFrame, cards: pd.DataFrame, seed: int, counts: Mapping[str, int] | None = None
) -> pd.DataFrame:
    """The raw sales file: ``clean`` as scraped, with the planted problems of ``counts``.

    ``counts`` (problem name -> rows, names as in ``PLANTED``) plants only those problems,
    e.g. ``{"grade_11": 5}`` on a small frame; by default, ``PLANTED``. Scraping ends at
    ``SNAPSHOT_END`` (or at the end of the last sale day if later).
    """
    return raw_sales_with_labels(clean, cards, seed, counts)[0]
