"""The card catalog: every card of every set, with the hidden traits that move its price.

Each set gets its printed total of cards, numbered 1..printed_total, and its secret rares,
numbered above the printed total. Rarities follow the era's mix (Wizards-era sets number their
holos first; later sets put ultra rares at the end of the main set). Each card shows a real
Pokémon from the generations released by then, favouring the newest generation, and popular
Pokémon get the chase cards. Types follow the rules of their time (no Dragon type before 2012,
Fairy only from XY to Sun & Moon). Two traits are hidden from the catalog and move prices in
``sales.py``: a card's *appeal* (its art, its story) and a set's *hype*, both fixed functions of
the ids so that any subset of the catalog prices the same way.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from statistics import NormalDist

import numpy as np
import pandas as pd

from .catalog import (
    DRAGON_TYPE_FROM,
    ERAS,
    FAIRY_TYPE_BEFORE,
    FAIRY_TYPE_FROM,
    FAIRY_TYPE_UNTIL,
    FAMOUS_CARDS,
    GENERATION_FROM,
    GYM_OWNERS,
    POKEMON,
    POKEMON_BY_NAME,
    RARITIES,
    REVERSE_HOLO_RARITIES,
    SEED,
    SERIES_ERA,
    SETS,
    STAGES,
    CardSet,
    Era,
    Pokemon,
)

CARD_COLUMNS = [
    "card_id",
    "set_code",
    "set_name",
    "series",
    "release_date",
    "number",
    "printed_total",
    "name",
    "pokemon",
    "type",
    "stage",
    "hp",
    "rarity",
    "holo",
    "has_first_edition",
    "has_reverse_holo",
]
LOW = frozenset({"Common", "Uncommon"})
MID = frozenset({"Rare", "Holo Rare", "Amazing Rare", "Illustration Rare"})
PLAIN_NAMES = MID | LOW | {"Black White Rare"}
STAGE_WEIGHTS = {"Common": (3.0, 1.5, 0.3), "Uncommon": (1.0, 2.0, 0.7)}
STAGE_BASE_HP = {"Basic": 60.0, "Stage 1": 85.0, "Stage 2": 115.0}
HIDDEN_SALT = "pokemarket"


def hashed_normal(keys: pd.Series | list[str], salt: str) -> np.ndarray:
    """A standard normal draw per key, fixed forever by the key itself (no random state)."""
    unit = NormalDist()
    out = []
    for key in keys:
        digest = hashlib.blake2b(f"{HIDDEN_SALT}:{salt}:{key}".encode(), digest_size=8).digest()
        out.append(unit.inv_cdf((int.from_bytes(digest, "big") + 0.5) / 2.0**64))
    return np.array(out, dtype=float)


def card_appeal(card_ids: pd.Series) -> np.ndarray:
    """Hidden per-card appeal (standard normal): art and story collectors love or ignore."""
    return hashed_normal(card_ids, "appeal")


def set_hype(set_codes: pd.Series) -> np.ndarray:
    """Hidden per-set demand (log-multiplier): the known hot sets plus a little noise."""
    known = {s.code: s.hype for s in SETS}
    codes = pd.Series(set_codes).astype(str)
    return codes.map(known).fillna(0.0).to_numpy(dtype=float) + 0.15 * hashed_normal(codes, "set")


def pokemon_tier(names: pd.Series) -> np.ndarray:
    """Fame tier 0..5 of each Pokémon species (1 for a name the tables do not know)."""
    tiers = {p.name: p.tier for p in POKEMON}
    return pd.Series(names).astype(str).map(tiers).fillna(1).to_numpy(dtype=int)


def era_of(series: pd.Series) -> pd.Series:
    """The era key (``catalog.ERAS``) of each series."""
    return pd.Series(series).astype(str).map(SERIES_ERA).fillna("sv")


def _allocate(mix: dict[str, float], slots: int) -> list[str]:
    """Rarity of each slot: shares rounded by largest remainder, in the mix's order."""
    if slots <= 0:
        return []
    raw = {k: v * slots / sum(mix.values()) for k, v in mix.items()}
    counts = {k: int(np.floor(v)) for k, v in raw.items()}
    left = slots - sum(counts.values())
    for k in sorted(raw, key=lambda k: (counts[k] - raw[k], list(raw).index(k)))[:left]:
        counts[k] += 1
    return [k for k in mix for _ in range(counts[k])]


def _rarity_slots(card_set: CardSet, era: Era, rng: np.random.Generator) -> list[str]:
    """The rarity of numbers 1..total of a set."""
    special = [name for name, count in card_set.specials for _ in range(count)]
    main = _allocate(card_set.main or era.main, card_set.printed_total - len(special))
    if era.age >= 0.8:  # Wizards of the Coast and EX: holos first, commons, then ex cards
        order = list(RARITIES)
        main.sort(key=lambda r: (r == "Ultra Rare", -RARITIES[r].base_usd, order.index(r)))
    else:  # later: ultra rares at the end of the main set, the rest mixed
        plain = [r for r in main if r in LOW | {"Rare", "Holo Rare"}]
        rng.shuffle(plain)
        main = plain + [r for r in main if r not in LOW | {"Rare", "Holo Rare"}]
    secret = _allocate(card_set.secret or era.secret, card_set.total - card_set.printed_total)
    return main + special + secret


def _pool(card_set: CardSet) -> list[Pokemon]:
    if card_set.gen1_only:
        return [p for p in POKEMON if p.generation == 1]
    return [p for p in POKEMON if GENERATION_FROM[p.generation] <= card_set.release]


def _draw(pool: list[Pokemon], rarity: str, k: int, rng: np.random.Generator) -> list[Pokemon]:
    """k Pokémon for the k cards of one rarity in a set, without repeats while the pool lasts."""
    generation = np.array([p.generation for p in pool])
    stage = np.array([STAGES.index(p.stage) for p in pool])
    tier = np.array([p.tier for p in pool], dtype=float)
    newest = generation.max()
    stage_w = STAGE_WEIGHTS.get(rarity, (1.0, 1.0, 1.5) if rarity in MID else (1.0, 1.0, 1.0))
    fame = 0.0 if rarity in LOW else 0.25 if rarity in MID else 0.5
    weights = np.where((generation == newest) & (newest > 1), 4.0, 1.0)
    weights = weights * np.take(stage_w, stage) * np.exp(fame * tier)
    chosen = rng.choice(len(pool), size=k, replace=k > len(pool), p=weights / weights.sum())
    return [pool[i] for i in chosen]


def card_type(pokemon: Pokemon, release: str) -> str:
    """The energy type printed on a card of this Pokémon released on that day."""
    if pokemon.type == "Dragon" and release < DRAGON_TYPE_FROM:
        return pokemon.early_type or "Colorless"
    if pokemon.type == "Fairy" and release < FAIRY_TYPE_FROM:
        return FAIRY_TYPE_BEFORE
    if pokemon.type == "Fairy" and release >= FAIRY_TYPE_UNTIL:
        return "Psychic"
    return pokemon.type


def _card_name(
    pokemon: Pokemon, rarity: str, card_set: CardSet, era: Era, rng: np.random.Generator
) -> tuple[str, int]:
    """The printed card name and its HP bonus (ultra rares are named by their era's mechanic)."""
    name = pokemon.name
    if card_set.code == "base5" and pokemon.stage != "Basic" and rng.random() < 0.8:
        return f"Dark {name}", 0
    if card_set.code.startswith("gym") and rng.random() < 0.8:
        owners = GYM_OWNERS.get(card_type(pokemon, card_set.release), GYM_OWNERS["Colorless"])
        return f"{owners[int(rng.integers(len(owners)))]} {name}", 0
    if rarity == "Gold Star":
        return f"{name} ☆", 20
    if rarity == "Shining Holo Rare":
        return f"Shining {name}", 10
    if rarity == "Mega Hyper Rare":
        return f"Mega {name} ex", 150
    if rarity in PLAIN_NAMES or not era.forms:
        return name, 0
    form, bonus = era.forms[int(rng.integers(len(era.forms)))]
    return form.format(name), bonus


def _set_cards(card_set: CardSet, rng: np.random.Generator) -> list[dict]:
    era = ERAS[SERIES_ERA[card_set.series]]
    pool = _pool(card_set)
    slots = _rarity_slots(card_set, era, rng)
    drawn: list[Pokemon | None] = [None] * len(slots)
    for rarity in dict.fromkeys(slots):
        where = [i for i, r in enumerate(slots) if r == rarity]
        for i, pokemon in zip(where, _draw(pool, rarity, len(where), rng), strict=True):
            drawn[i] = pokemon
    noise = rng.normal(0.0, 10.0, size=len(slots))
    rows = []
    for number, (rarity, pokemon) in enumerate(zip(slots, drawn, strict=True), start=1):
        assert pokemon is not None
        famous, fixed_name = FAMOUS_CARDS.get(f"{card_set.code}-{number}", (None, None))
        pokemon = POKEMON_BY_NAME[famous] if famous else pokemon
        name, bonus = _card_name(pokemon, rarity, card_set, era, rng)
        if fixed_name:
            forms = {form.format(pokemon.name): hp for form, hp in era.forms}
            name, bonus = fixed_name, forms.get(fixed_name, 0)
        hp = (STAGE_BASE_HP[pokemon.stage] + noise[number - 1]) * era.hp_scale + bonus
        rows.append(
            {
                "card_id": f"{card_set.code}-{number}",
                "set_code": card_set.code,
                "set_name": card_set.name,
                "series": card_set.series,
                "release_date": card_set.release,
                "number": number,
                "printed_total": card_set.printed_total,
                "name": name,
                "pokemon": pokemon.name,
                "type": card_type(pokemon, card_set.release),
                "stage": pokemon.stage,
                "hp": min(max(round(hp / 10.0) * 10, 30), 340),
                "rarity": rarity,
                "holo": RARITIES[rarity].holo,
                "has_first_edition": card_set.first_edition,
                "has_reverse_holo": card_set.reverse_holo and rarity in REVERSE_HOLO_RARITIES,
            }
        )
    return rows


@lru_cache(maxsize=4)
def _catalog(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng([seed, 0])
    rows = [row for card_set in SETS for row in _set_cards(card_set, rng)]
    cards = pd.DataFrame(rows, columns=CARD_COLUMNS)
    cards["release_date"] = pd.to_datetime(cards["release_date"]).astype("datetime64[us]")
    return cards


def make_cards(seed: int = SEED, n: int | None = None) -> pd.DataFrame:
    """The card catalog of every set (``data/cards.csv`` for the default seed).

    With ``n``, a seeded sample of n cards of that catalog, in catalog order.
    """
    cards = _catalog(seed).copy()
    if n is not None:
        keep = np.sort(np.random.default_rng([seed, 10]).choice(len(cards), n, replace=False))
        cards = cards.iloc[keep].reset_index(drop=True)
    return cards
