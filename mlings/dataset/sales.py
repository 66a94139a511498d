"""The clean sales process and the price model.

A sale is drawn in three steps:

1. *When and what.* Monthly volume follows a growing market with a 2020-21 boom; within a month
   each card released by then is picked with a weight for its rarity, fame, era, appeal and set
   hype, boosted in the months after its release.
2. *Which copy.* A printing (1st Edition where the set had one, Reverse Holo where it exists),
   then graded or raw: the more a card is worth, the likelier it was sent to PSA. A graded copy
   gets a PSA grade (1-10, half grades 1.5-8.5, never 9.5; old cards grade lower), a raw copy a
   condition (NM, LP, MP, HP, DMG; old cards are more worn). Then a platform and its currency.
3. *The price.* ``log(price_usd)`` is a sum of effects: rarity, era, fame x rarity, set hype,
   card appeal, printing, grade (convex: PSA 10 far above PSA 9, more so for old cards) or
   condition, the market trend (slow growth, a spike peaking in early 2021, a plateau after;
   old cards swing harder), a fresh-release premium that fades within months, the platform,
   and Student-t noise (cut at three scales). A graded copy adds a fixed grading cost. The
   seller prices in the platform's currency (to the cent, or a whole amount, or .99), and
   ``price_usd`` converts it with ``FX_TO_USD``, to the cent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .cards import card_appeal, era_of, pokemon_tier, set_hype
from .catalog import ERAS, FX_TO_USD, POKEMARKET_LAUNCH, PSA_GRADES, RARITIES, TIER_EFFECT

SALES_START, SALES_END = "2016-01-01", "2024-12-31"
N_SALES = 40_000
SALE_COLUMNS = [
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

NOISE_SCALE, NOISE_DF, NOISE_CLIP = 0.4, 5, 3.0  # log-price noise: 0.4 x t(5), cut at +-3
APPEAL_SCALE = 0.55  # how much a card's hidden appeal moves its log-price
GRADING_COST_USD = 8.0  # a slab is never worth less than what grading it cost
WHOLE_PRICE_SHARE = 0.25  # sellers asking a whole amount: 45.00
CHARM_PRICE_SHARE = 0.2  # sellers asking a charm price: 44.99
CONDITION_EFFECT = {"NM": 0.0, "LP": -0.22, "MP": -0.55, "HP": -0.95, "DMG": -1.4}
CONDITION_WEIGHTS = {  # modern, vintage
    "NM": (0.62, 0.30),
    "LP": (0.22, 0.30),
    "MP": (0.09, 0.20),
    "HP": (0.05, 0.12),
    "DMG": (0.02, 0.08),
}
# Per PSA grade (1, 1.5, 2, ... 8.5, 9, 10): how often it is given, and its price effect
# against a raw near-mint copy; each mixed between modern and vintage by the era's age.
GRADE_WEIGHTS_MODERN = (
    *(0.3, 0.1, 0.4, 0.1, 0.5, 0.1, 0.8, 0.1, 1.0),
    *(0.1, 2.0, 0.3, 4.0, 0.5, 10.0, 1.5, 35.0, 45.0),
)
GRADE_WEIGHTS_VINTAGE = (
    *(2.5, 0.3, 3.0, 0.3, 3.0, 0.3, 5.0, 0.4, 6.0),
    *(0.5, 9.0, 1.0, 14.0, 1.5, 24.0, 3.0, 22.0, 4.0),
)
GRADE_EFFECT_MODERN = (
    *(-1.2, -1.15, -1.1, -1.05, -1.0, -0.95, -0.9, -0.85, -0.8),
    *(-0.75, -0.7, -0.62, -0.55, -0.45, -0.35, -0.2, 0.05, 0.9),
)
GRADE_EFFECT_VINTAGE = (
    *(-0.9, -0.8, -0.7, -0.6, -0.5, -0.4, -0.3, -0.2, -0.1),
    *(0.0, 0.15, 0.3, 0.45, 0.65, 0.9, 1.2, 1.6, 3.4),
)
FIRST_EDITION_SHARE, REVERSE_HOLO_SHARE = 0.3, 0.3
FIRST_EDITION_EFFECT = 0.9  # x2.5
REVERSE_HOLO_EFFECT = {"Common": 1.1, "Uncommon": 1.1, "Rare": 0.6, "Holo Rare": 0.25}
PLATFORM_WEIGHTS = {  # raw, graded
    "TCGplayer": (0.38, 0.04),
    "eBay": (0.27, 0.58),
    "Cardmarket": (0.20, 0.08),
    "PokéMarket": (0.15, 0.30),
}
PLATFORM_EFFECT = {"TCGplayer": 0.0, "eBay": 0.05, "Cardmarket": -0.12, "PokéMarket": 0.0}
EBAY_CURRENCIES = {"USD": 0.72, "GBP": 0.18, "EUR": 0.10}
PLATFORM_CURRENCY = {"TCGplayer": "USD", "Cardmarket": "EUR", "PokéMarket": "USD"}


@dataclass(frozen=True)
class Drift:
    """How a later market differs from the one the model learned (production slices)."""

    inflation: float = 0.0  # added to every log-price
    psa10_boost: float = 1.0  # PSA 10 is given this many times more often
    graded_boost: float = 0.0  # added to the log-odds that a sold copy is graded


def years(days: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 as fractional calendar years."""
    return 1970.0 + days / 365.2425


def hype_spike(t: np.ndarray) -> np.ndarray:
    """The 2020-21 boom (peak ~March 2021), plus the higher plateau it left behind."""
    spike = 0.8 * np.exp(-0.5 * ((t - 2021.2) / 0.35) ** 2)
    return spike + 0.3 / (1.0 + np.exp(-(t - 2020.6) / 0.15))


def market_trend(t: np.ndarray, age: np.ndarray) -> np.ndarray:
    """Log price level of the market at time t (years) for cards of an era of that age."""
    return 0.05 * (t - 2016.0) + (0.7 + 0.6 * age) * hype_spike(t)


def sales_volume(t: np.ndarray) -> np.ndarray:
    """Relative number of sales per day: a growing market, doubled at the boom."""
    return np.exp(0.12 * (t - 2016.0)) * (1.0 + 1.5 * np.exp(-0.5 * ((t - 2021.2) / 0.35) ** 2))


def _as_day(value: str | pd.Timestamp) -> int:
    return int(pd.Timestamp(value).to_datetime64().astype("datetime64[D]").astype(np.int64))


def _categorical(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One draw per row of a (rows x options) probability matrix."""
    cumulative = np.cumsum(probs / probs.sum(axis=1, keepdims=True), axis=1)
    picks = (rng.random(len(probs))[:, None] > cumulative).sum(axis=1)
    return np.minimum(picks, probs.shape[1] - 1)


def _card_traits(cards: pd.DataFrame) -> pd.DataFrame:
    """Per card: everything the price model needs, public and hidden."""
    era = era_of(cards["series"])
    rarity = cards["rarity"].astype(str)
    unknown = sorted(set(rarity) - set(RARITIES))
    if unknown:
        raise ValueError(f"unknown rarities in the catalog: {unknown}")
    tier = pokemon_tier(cards["pokemon"])
    appeal = card_appeal(cards["card_id"])
    hype = set_hype(cards["set_code"])
    age = era.map({k: v.age for k, v in ERAS.items()}).to_numpy(dtype=float)
    fame = rarity.map({k: v.fame for k, v in RARITIES.items()}).to_numpy(dtype=float)
    level = (
        era.map({k: v.price for k, v in ERAS.items()}).to_numpy(dtype=float)
        + np.log(rarity.map({k: v.base_usd for k, v in RARITIES.items()}).to_numpy(dtype=float))
        + fame * np.take(TIER_EFFECT, tier)
        + hype
        + APPEAL_SCALE * appeal
    )
    demand = (
        rarity.map({k: v.demand for k, v in RARITIES.items()}).to_numpy(dtype=float)
        + 0.35 * tier
        + 0.3 * appeal
        + 0.6 * age
        + hype
    )
    release = pd.to_datetime(cards["release_date"]).to_numpy().astype("datetime64[D]")
    return pd.DataFrame(
        {"release_day": release.astype(np.int64), "age": age, "level": level, "demand": demand}
    )


def _when_and_what(
    traits: pd.DataFrame, n: int, start: int, end: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """(card positions, sale days) of n sales between two days, inclusive."""
    months = pd.period_range(pd.Timestamp(start, unit="D"), pd.Timestamp(end, unit="D"), freq="M")
    lows = np.maximum([_as_day(m.start_time) for m in months], start)
    highs = np.minimum([_as_day(m.end_time.normalize()) for m in months], end)
    release = traits["release_day"].to_numpy()
    open_ = np.array([(release <= hi).any() for hi in highs])
    if not open_.any():
        raise ValueError("no card of the catalog was released before the period ends")
    mids = (lows + highs) / 2.0
    expected = sales_volume(years(mids)) * (highs - lows + 1) * open_
    counts = rng.multinomial(n, expected / expected.sum())
    base = np.exp(traits["demand"].to_numpy())
    positions, days = [], []
    for lo, hi, mid, k in zip(lows, highs, mids, counts, strict=True):
        if k == 0:
            continue
        fresh = 1.0 + 4.0 * np.exp(-np.clip(mid - release, 0, None) / 120.0)
        weights = base * fresh * (release <= hi)
        picked = rng.choice(len(base), size=k, p=weights / weights.sum())
        first = np.maximum(lo, release[picked])
        positions.append(picked)
        days.append(first + np.floor(rng.random(k) * (hi - first + 1)).astype(np.int64))
    return np.concatenate(positions), np.concatenate(days)


def _printing(cards: pd.DataFrame, pos: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    first = cards["has_first_edition"].to_numpy(dtype=bool)[pos]
    reverse = cards["has_reverse_holo"].to_numpy(dtype=bool)[pos]
    u = rng.random(len(pos))
    variant = np.full(len(pos), "Normal", dtype=object)
    variant[first & (u < FIRST_EDITION_SHARE)] = "1st Edition"
    variant[~first & reverse & (u < REVERSE_HOLO_SHARE)] = "Reverse Holo"
    return variant


def _copy(
    age: np.ndarray, value: np.ndarray, drift: Drift, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(graded, psa_grade, condition) of each sold copy."""
    logit = -2.2 + 0.55 * (value - np.log(20.0)) + 0.6 * age + drift.graded_boost
    graded = rng.random(len(age)) < np.minimum(1.0 / (1.0 + np.exp(-logit)), 0.8)
    a = age[:, None]
    weights = (1 - a) * np.array(GRADE_WEIGHTS_MODERN) + a * np.array(GRADE_WEIGHTS_VINTAGE)
    weights[:, -1] *= drift.psa10_boost
    grade = np.array(PSA_GRADES)[_categorical(rng, weights)]
    cond_w = np.array(list(CONDITION_WEIGHTS.values()))
    condition = np.array(list(CONDITION_WEIGHTS))[
        _categorical(rng, (1 - a) * cond_w[:, 0] + a * cond_w[:, 1])
    ]
    return graded, np.where(graded, grade, np.nan), np.where(graded, None, condition)


def _platform(
    graded: np.ndarray, day: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """(platform, currency) of each sale."""
    names = np.array(list(PLATFORM_WEIGHTS))
    table = np.array(list(PLATFORM_WEIGHTS.values()))
    weights = np.where(graded[:, None], table[:, 1], table[:, 0])
    weights[:, names == "PokéMarket"] *= (day >= _as_day(POKEMARKET_LAUNCH))[:, None]
    platform = names[_categorical(rng, weights)]
    ebay = np.array(list(EBAY_CURRENCIES))[
        _categorical(rng, np.tile(list(EBAY_CURRENCIES.values()), (len(day), 1)))
    ]
    currency = pd.Series(platform).map(PLATFORM_CURRENCY).to_numpy(dtype=object)
    currency = np.where(platform == "eBay", ebay, currency)
    return platform, currency


def _seller_price(amount: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """What sellers ask: to the cent, a whole amount (a quarter of them), or .99 (a fifth)."""
    u = rng.random(len(amount))
    cents = np.maximum(np.round(amount, 2), 0.01)
    whole = (u < WHOLE_PRICE_SHARE) & (amount >= 5)
    charm = (u >= WHOLE_PRICE_SHARE) & (u < WHOLE_PRICE_SHARE + CHARM_PRICE_SHARE) & (amount >= 2)
    return np.where(whole, np.round(amount), np.where(charm, np.floor(amount) + 0.99, cents))


def make_sales(
    cards: pd.DataFrame,
    seed: int | Sequence[int],
    n: int,
    start: str | pd.Timestamp = SALES_START,
    end: str | pd.Timestamp = SALES_END,
    *,
    drift: Drift | None = None,
    first_id: int = 1_000_000,
) -> pd.DataFrame:
    """n clean sales of the given cards between start and end (inclusive), by the price model.

    ``cards`` is the catalog or any subset of it (as ``make_cards`` returns or
    ``pandas.read_csv("data/cards.csv")`` reads). ``seed`` is an int or a sequence of ints
    (one random stream each). Rows come in sale-date order; listing ids grow with time from
    ``first_id``.
    """
    drift = drift or Drift()
    rng = np.random.default_rng([*np.atleast_1d(seed).tolist(), 1])
    cards = cards.reset_index(drop=True)
    traits = _card_traits(cards)
    pos, day = _when_and_what(traits, n, _as_day(start), _as_day(end), rng)
    order = np.lexsort((rng.random(len(day)), day))
    pos, day = pos[order], day[order]
    age = traits["age"].to_numpy()[pos]
    rarity = cards["rarity"].astype(str).to_numpy()[pos]
    t = years(day.astype(float))
    variant = _printing(cards, pos, rng)
    reverse_effect = pd.Series(rarity).map(REVERSE_HOLO_EFFECT).fillna(0.0).to_numpy()
    days_out = day - traits["release_day"].to_numpy()[pos]
    value = (
        traits["level"].to_numpy()[pos]
        + np.where(variant == "1st Edition", FIRST_EDITION_EFFECT, 0.0)
        + np.where(variant == "Reverse Holo", reverse_effect, 0.0)
        + market_trend(t, age)
        + 0.35 * (1.0 - age) * np.exp(-days_out / 90.0)
        + drift.inflation
    )
    graded, grade, condition = _copy(age, value, drift, rng)
    platform, currency = _platform(graded, day, rng)
    grade_index = np.searchsorted(PSA_GRADES, np.nan_to_num(grade, nan=10.0))
    grade_effect = (1 - age) * np.take(GRADE_EFFECT_MODERN, grade_index) + age * np.take(
        GRADE_EFFECT_VINTAGE, grade_index
    )
    log_price = (
        value
        + np.where(graded, grade_effect, pd.Series(condition).map(CONDITION_EFFECT).fillna(0.0))
        + pd.Series(platform).map(PLATFORM_EFFECT).to_numpy()
        + NOISE_SCALE * np.clip(rng.standard_t(NOISE_DF, size=len(day)), -NOISE_CLIP, NOISE_CLIP)
    )
    true_usd = np.exp(log_price) + GRADING_COST_USD * graded
    fx = pd.Series(currency).map(FX_TO_USD).to_numpy(dtype=float)
    local = _seller_price(true_usd / fx, rng)
    sales = pd.DataFrame(
        {
            "listing_id": first_id + np.cumsum(rng.integers(1, 25, size=len(day))),
            "card_id": cards["card_id"].astype(str).to_numpy()[pos],
            "sale_date": day.astype("datetime64[D]").astype("datetime64[us]"),
            "platform": platform,
            "rarity": rarity,
            "variant": variant,
            "condition": condition,
            "psa_grade": grade,
            "currency": currency,
            "price_usd": np.round(local * fx, 2),
        }
    )
    for column in ("card_id", "platform", "rarity", "variant", "condition", "currency"):
        sales[column] = sales[column].astype("str")
    return sales[SALE_COLUMNS]


def local_price(sales: pd.DataFrame) -> pd.Series:
    """The price the seller set, in the sale's currency (exactly invertible: FX rates are >= 1)."""
    return (sales["price_usd"] / sales["currency"].map(FX_TO_USD)).round(2)
