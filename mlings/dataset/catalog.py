"""The reference tables of the PokéMarket world, as plain Python data.

Real set names, series and US release dates; real Pokémon names with a TCG energy type, an
evolution stage and a popularity tier (0 = obscure ... 5 = Charizard); the rarities of each era
and the price parameters of each rarity and era; the fixed FX table, platforms, conditions and
PSA grades. Nothing here is random: ``cards.py`` and ``sales.py`` draw from these tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SEED = 151  # the seed of every file in data/

# ---------------------------------------------------------------------------------------------
# Money, platforms, conditions and grades

FX_TO_USD: dict[str, float] = {"USD": 1.0, "EUR": 1.10, "GBP": 1.27}  # fixed, one rate forever
PLATFORMS: tuple[str, ...] = ("TCGplayer", "eBay", "Cardmarket", "PokéMarket")
POKEMARKET_LAUNCH = "2019-06-01"  # no PokéMarket sales before this day
CONDITIONS: tuple[str, ...] = ("NM", "LP", "MP", "HP", "DMG")
PSA_GRADES: tuple[float, ...] = (*(g / 2 for g in range(2, 18)), 9.0, 10.0)  # 1, 1.5 ... 8.5, 9, 10
VARIANTS: tuple[str, ...] = ("Normal", "1st Edition", "Reverse Holo")

# ---------------------------------------------------------------------------------------------
# Rarities


@dataclass(frozen=True)
class Rarity:
    """Price parameters of a rarity: raw NM price of an average card, and how much fame counts."""

    base_usd: float  # raw near-mint price of an average modern card of this rarity
    fame: float  # how strongly the Pokémon's popularity moves the price (commons: barely)
    demand: float  # log-weight of how often a card of this rarity is sold
    holo: bool  # the standard printing is holofoil
    variants: tuple[str, ...] = ()  # misspellings seen in scraped listings


RARITIES: dict[str, Rarity] = {
    "Common": Rarity(0.06, 0.15, -0.2, False, ("common", "COMMON", "Common ", "C")),
    "Uncommon": Rarity(0.10, 0.25, -0.3, False, ("uncommon", "Uncommon ", "UC", "Unc.")),
    "Rare": Rarity(0.40, 0.45, 0.0, False, ("rare", "RARE", "Rare ", "R")),
    "Holo Rare": Rarity(2.5, 0.9, 0.5, True, ("Rare Holo", "Holo rare", "holo-rare", "HOLO RARE")),
    "Ultra Rare": Rarity(6.0, 1.0, 0.8, True, ("Ultra-Rare", "ultra rare", "Rare Ultra", "UR")),
    "Full Art Rare": Rarity(14.0, 1.05, 0.7, True, ("Full Art", "full art rare", "FA Rare")),
    "Secret Rare": Rarity(28.0, 1.15, 0.9, True, ("Rare Secret", "secret rare", "Secret-Rare")),
    "Gold Star": Rarity(70.0, 1.0, 0.9, True, ("Gold star", "Rare Holo Star", "Gold Star ")),
    "Shining Holo Rare": Rarity(15.0, 1.0, 0.9, True, ("Shining Rare", "Rare Shining")),
    "Amazing Rare": Rarity(7.0, 0.9, 0.5, True, ("Amazing rare", "Rare Amazing")),
    "Double Rare": Rarity(2.0, 0.9, 0.4, True, ("double rare", "RR", "Double-Rare")),
    "Illustration Rare": Rarity(7.0, 1.1, 0.9, True, ("Illus. Rare", "illustration rare", "IR")),
    "Special Illustration Rare": Rarity(
        38.0, 1.25, 1.2, True, ("SIR", "Special Illus. Rare", "special illustration rare")
    ),
    "Hyper Rare": Rarity(22.0, 0.9, 0.7, True, ("hyper rare", "Gold Hyper Rare", "HR")),
    # first printed in 2025 (Black Bolt, White Flare, Mega Evolution): only in the drifted slice
    "Black White Rare": Rarity(60.0, 1.2, 1.3, True, ("Black & White Rare", "BWR")),
    "Mega Hyper Rare": Rarity(140.0, 1.2, 1.3, True, ("MHR", "Mega Hyper rare")),
}
REVERSE_HOLO_RARITIES = frozenset({"Common", "Uncommon", "Rare", "Holo Rare"})
NEW_2025_RARITIES = frozenset({"Black White Rare", "Mega Hyper Rare"})

# ---------------------------------------------------------------------------------------------
# Eras: price level, age, HP scale, the rarity mix of a set, the names of ultra rares

# Card-name patterns of the era's ultra rares, with their HP bonus.
NameForm = tuple[str, int]


@dataclass(frozen=True)
class Era:
    """One era of the game: how cards of its sets are printed and priced."""

    price: float  # log-multiplier of prices against a Sword & Shield card
    age: float  # 0 = current ... 1 = vintage: grading convexity, wear, hype sensitivity
    hp_scale: float  # HP inflation over the years
    main: dict[str, float]  # rarity shares within the printed total
    secret: dict[str, float]  # rarity shares of cards numbered above the printed total
    forms: tuple[NameForm, ...] = ()  # how the era names its ultra rares


_OLD = {"Common": 0.40, "Uncommon": 0.30, "Rare": 0.15, "Holo Rare": 0.15}
_EX = {"Common": 0.38, "Uncommon": 0.28, "Rare": 0.15, "Holo Rare": 0.11, "Ultra Rare": 0.08}
_BW = {**_EX, "Common": 0.35, "Uncommon": 0.27, "Ultra Rare": 0.07, "Full Art Rare": 0.05}
_SWSH = {
    "Common": 0.33,
    "Uncommon": 0.26,
    "Rare": 0.13,
    "Holo Rare": 0.12,
    "Ultra Rare": 0.10,
    "Full Art Rare": 0.06,
}
_SV = {"Common": 0.38, "Uncommon": 0.28, "Rare": 0.17, "Double Rare": 0.17}
_SV_SECRET = {
    "Illustration Rare": 0.45,
    "Ultra Rare": 0.25,
    "Special Illustration Rare": 0.20,
    "Hyper Rare": 0.10,
}
_SECRET = {"Secret Rare": 1.0}

ERAS: dict[str, Era] = {
    "wotc": Era(1.8, 1.0, 0.70, _OLD, _SECRET),
    "ex": Era(1.4, 0.80, 0.80, _EX, _SECRET, (("{} ex", 40),)),
    "dp": Era(0.9, 0.60, 0.90, _EX, _SECRET, (("{} LV.X", 30),)),
    "hgss": Era(0.9, 0.55, 0.95, _EX, _SECRET, (("{} Prime", 20), ("{} LEGEND", 40))),
    "bw": Era(0.5, 0.45, 1.00, _BW, _SECRET, (("{}-EX", 70),)),
    "xy": Era(0.3, 0.40, 1.05, _BW, _SECRET, (("{}-EX", 70), ("M {}-EX", 120))),
    "sm": Era(0.1, 0.30, 1.10, _BW, _SECRET, (("{}-GX", 90),)),
    "swsh": Era(
        0.0, 0.15, 1.15, _SWSH, _SECRET, (("{} V", 90), ("{} VMAX", 190), ("{} VSTAR", 150))
    ),
    "sv": Era(-0.1, 0.10, 1.15, _SV, _SV_SECRET, (("{} ex", 100),)),
    "me": Era(0.0, 0.05, 1.15, _SV, _SV_SECRET, (("Mega {} ex", 150), ("{} ex", 100))),
}

SERIES_ERA: dict[str, str] = {
    "Base": "wotc",
    "Gym": "wotc",
    "Neo": "wotc",
    "E-Card": "wotc",
    "EX": "ex",
    "Diamond & Pearl": "dp",
    "Platinum": "dp",
    "HeartGold & SoulSilver": "hgss",
    "Black & White": "bw",
    "XY": "xy",
    "Sun & Moon": "sm",
    "Sword & Shield": "swsh",
    "Scarlet & Violet": "sv",
    "Mega Evolution": "me",
}

# ---------------------------------------------------------------------------------------------
# Sets


@dataclass(frozen=True)
class CardSet:
    """A real expansion: its code, name, series, US release date and printed total."""

    code: str
    name: str
    series: str
    release: str
    printed_total: int
    total: int  # cards numbered above printed_total are secret rares
    first_edition: bool = False  # printed in 1st Edition (Wizards of the Coast sets)
    reverse_holo: bool = True  # commons to holo rares also printed in reverse holo
    hype: float = 0.0  # collectors' extra love for the whole set (log-multiplier)
    gen1_only: bool = False  # a Kanto-only set (reprints, anniversaries)
    specials: tuple[tuple[str, int], ...] = ()  # special rarities at the end of the main set
    secret: dict[str, float] | None = None  # overrides the era's secret-rare mix
    main: dict[str, float] | None = None  # overrides the era's main rarity mix


_SHINING = {"Shining Holo Rare": 1.0}
_SV_2025 = {
    "Illustration Rare": 0.45,
    "Ultra Rare": 0.20,
    "Special Illustration Rare": 0.20,
    "Black White Rare": 0.15,
}
_ME_2025 = {
    "Illustration Rare": 0.45,
    "Ultra Rare": 0.22,
    "Special Illustration Rare": 0.20,
    "Mega Hyper Rare": 0.13,
}


def _s(code: str, name: str, series: str, release: str, printed: int, total: int, **kw) -> CardSet:
    return CardSet(code, name, series, release, printed, total, **kw)


_WOTC = {"first_edition": True, "reverse_holo": False}
SETS: tuple[CardSet, ...] = (
    _s("base1", "Base Set", "Base", "1999-01-09", 102, 102, **_WOTC, hype=0.7, gen1_only=True),
    _s("base2", "Jungle", "Base", "1999-06-16", 64, 64, **_WOTC, gen1_only=True),
    _s("base3", "Fossil", "Base", "1999-10-10", 62, 62, **_WOTC, gen1_only=True),
    _s("base4", "Base Set 2", "Base", "2000-02-24", 130, 130, reverse_holo=False, gen1_only=True),
    _s("base5", "Team Rocket", "Base", "2000-04-24", 82, 83, **_WOTC, hype=0.2, gen1_only=True),
    _s("gym1", "Gym Heroes", "Gym", "2000-08-14", 132, 132, **_WOTC, gen1_only=True),
    _s("gym2", "Gym Challenge", "Gym", "2000-10-16", 132, 132, **_WOTC, gen1_only=True),
    _s("neo1", "Neo Genesis", "Neo", "2000-12-16", 111, 111, **_WOTC, hype=0.2),
    _s("neo2", "Neo Discovery", "Neo", "2001-06-01", 75, 75, **_WOTC),
    _s("neo3", "Neo Revelation", "Neo", "2001-09-21", 64, 66, **_WOTC, secret=_SHINING),
    _s("neo4", "Neo Destiny", "Neo", "2002-02-28", 105, 113, **_WOTC, hype=0.2, secret=_SHINING),
    _s("base6", "Legendary Collection", "Base", "2002-05-24", 110, 110, gen1_only=True),
    _s("ecard1", "Expedition Base Set", "E-Card", "2002-09-15", 165, 165),
    _s("ecard2", "Aquapolis", "E-Card", "2003-01-15", 147, 147),
    _s("ecard3", "Skyridge", "E-Card", "2003-05-12", 144, 144, hype=0.3),
    _s("ex1", "EX Ruby & Sapphire", "EX", "2003-07-18", 109, 109),
    _s("ex3", "EX Dragon", "EX", "2003-11-24", 97, 100),
    _s("ex6", "EX FireRed & LeafGreen", "EX", "2004-08-30", 112, 116),
    _s("ex7", "EX Team Rocket Returns", "EX", "2004-11-08", 109, 111, specials=(("Gold Star", 2),)),
    _s("ex8", "EX Deoxys", "EX", "2005-02-14", 107, 108, specials=(("Gold Star", 3),)),
    _s("ex10", "EX Unseen Forces", "EX", "2005-08-22", 115, 117, specials=(("Gold Star", 2),)),
    _s("ex11", "EX Delta Species", "EX", "2005-10-31", 113, 114, specials=(("Gold Star", 2),)),
    _s("ex13", "EX Holon Phantoms", "EX", "2006-05-03", 110, 111, specials=(("Gold Star", 3),)),
    _s("ex15", "EX Dragon Frontiers", "EX", "2006-11-08", 101, 101, specials=(("Gold Star", 2),)),
    _s("dp1", "Diamond & Pearl", "Diamond & Pearl", "2007-05-23", 130, 130),
    _s("dp2", "Mysterious Treasures", "Diamond & Pearl", "2007-08-22", 123, 124),
    _s("dp3", "Secret Wonders", "Diamond & Pearl", "2007-11-07", 132, 132),
    _s("dp6", "Legends Awakened", "Diamond & Pearl", "2008-08-20", 146, 146),
    _s("dp7", "Stormfront", "Diamond & Pearl", "2008-11-05", 100, 106),
    _s("pl1", "Platinum", "Platinum", "2009-02-11", 127, 133),
    _s("pl4", "Arceus", "Platinum", "2009-11-04", 99, 111),
    _s("hgss1", "HeartGold & SoulSilver", "HeartGold & SoulSilver", "2010-02-10", 123, 124),
    _s("hgss4", "Triumphant", "HeartGold & SoulSilver", "2010-11-03", 102, 103),
    _s("col1", "Call of Legends", "HeartGold & SoulSilver", "2011-02-09", 95, 106),
    _s("bw1", "Black & White", "Black & White", "2011-04-25", 114, 115),
    _s("bw3", "Noble Victories", "Black & White", "2011-11-16", 101, 102),
    _s("bw4", "Next Destinies", "Black & White", "2012-02-08", 99, 103),
    _s("bw6", "Dragons Exalted", "Black & White", "2012-08-15", 124, 128),
    _s("bw8", "Plasma Storm", "Black & White", "2013-02-06", 135, 138),
    _s("xy1", "XY", "XY", "2014-02-05", 146, 146),
    _s("xy2", "Flashfire", "XY", "2014-05-07", 106, 109, hype=0.2),
    _s("xy4", "Phantom Forces", "XY", "2014-11-05", 119, 122),
    _s("xy5", "Primal Clash", "XY", "2015-02-04", 160, 164),
    _s("xy6", "Roaring Skies", "XY", "2015-05-06", 108, 110),
    _s("xy12", "Evolutions", "XY", "2016-11-02", 108, 113, hype=0.2, gen1_only=True),
    _s("sm1", "Sun & Moon", "Sun & Moon", "2017-02-03", 149, 163),
    _s("sm3", "Burning Shadows", "Sun & Moon", "2017-08-04", 147, 169),
    _s("sm5", "Ultra Prism", "Sun & Moon", "2018-02-02", 156, 173),
    _s("sm8", "Lost Thunder", "Sun & Moon", "2018-11-02", 214, 236),
    _s("sm9", "Team Up", "Sun & Moon", "2019-02-01", 181, 196, hype=0.2),
    _s("sm11", "Unified Minds", "Sun & Moon", "2019-08-02", 236, 258),
    _s("sm115", "Hidden Fates", "Sun & Moon", "2019-08-23", 68, 69, hype=0.4),
    _s("sm12", "Cosmic Eclipse", "Sun & Moon", "2019-11-01", 236, 271),
    _s("swsh1", "Sword & Shield", "Sword & Shield", "2020-02-07", 202, 216),
    _s("swsh3", "Darkness Ablaze", "Sword & Shield", "2020-08-14", 189, 201),
    _s("swsh35", "Champion's Path", "Sword & Shield", "2020-09-25", 73, 80, hype=0.3),
    _s(
        "swsh4",
        "Vivid Voltage",
        "Sword & Shield",
        "2020-11-13",
        185,
        203,
        specials=(("Amazing Rare", 6),),
    ),
    _s("swsh5", "Battle Styles", "Sword & Shield", "2021-03-19", 163, 183),
    _s("swsh6", "Chilling Reign", "Sword & Shield", "2021-06-18", 198, 233),
    _s("swsh7", "Evolving Skies", "Sword & Shield", "2021-08-27", 203, 237, hype=0.6),
    _s(
        "cel25",
        "Celebrations",
        "Sword & Shield",
        "2021-10-08",
        25,
        25,
        hype=0.3,
        reverse_holo=False,
        main={"Holo Rare": 0.6, "Ultra Rare": 0.4},
    ),
    _s("swsh8", "Fusion Strike", "Sword & Shield", "2021-11-12", 264, 284),
    _s("swsh9", "Brilliant Stars", "Sword & Shield", "2022-02-25", 172, 186, hype=0.2),
    _s("swsh10", "Astral Radiance", "Sword & Shield", "2022-05-27", 189, 216),
    _s("swsh11", "Lost Origin", "Sword & Shield", "2022-09-09", 196, 217, hype=0.2),
    _s("swsh12", "Silver Tempest", "Sword & Shield", "2022-11-11", 195, 215),
    _s("swsh12pt5", "Crown Zenith", "Sword & Shield", "2023-01-20", 159, 160, hype=0.3),
    _s("sv1", "Scarlet & Violet", "Scarlet & Violet", "2023-03-31", 198, 258),
    _s("sv2", "Paldea Evolved", "Scarlet & Violet", "2023-06-09", 193, 279),
    _s("sv3", "Obsidian Flames", "Scarlet & Violet", "2023-08-11", 197, 230),
    _s("sv3pt5", "151", "Scarlet & Violet", "2023-09-22", 165, 207, hype=0.5, gen1_only=True),
    _s("sv4", "Paradox Rift", "Scarlet & Violet", "2023-11-03", 182, 266),
    _s("sv4pt5", "Paldean Fates", "Scarlet & Violet", "2024-01-26", 91, 245, hype=0.2),
    _s("sv5", "Temporal Forces", "Scarlet & Violet", "2024-03-22", 162, 218),
    _s("sv6", "Twilight Masquerade", "Scarlet & Violet", "2024-05-24", 167, 226),
    _s("sv6pt5", "Shrouded Fable", "Scarlet & Violet", "2024-08-02", 64, 99),
    _s("sv7", "Stellar Crown", "Scarlet & Violet", "2024-09-13", 142, 175),
    _s("sv8", "Surging Sparks", "Scarlet & Violet", "2024-11-08", 191, 252, hype=0.3),
    _s("sv8pt5", "Prismatic Evolutions", "Scarlet & Violet", "2025-01-17", 131, 180, hype=0.6),
    _s("sv9", "Journey Together", "Scarlet & Violet", "2025-03-28", 159, 190),
    _s("sv10", "Destined Rivals", "Scarlet & Violet", "2025-05-30", 182, 244, hype=0.2),
    _s("zsv10pt5", "Black Bolt", "Scarlet & Violet", "2025-07-18", 86, 172, secret=_SV_2025),
    _s("rsv10pt5", "White Flare", "Scarlet & Violet", "2025-07-18", 86, 173, secret=_SV_2025),
    _s("me1", "Mega Evolution", "Mega Evolution", "2025-09-26", 132, 188, secret=_ME_2025),
)

# ---------------------------------------------------------------------------------------------
# Pokémon

# The day each generation's Pokémon first appeared in the card game.
GENERATION_FROM: dict[int, str] = {
    1: "1999-01-09",
    2: "2000-12-16",
    3: "2003-07-18",
    4: "2007-05-23",
    5: "2011-04-25",
    6: "2014-02-05",
    7: "2017-02-03",
    8: "2020-02-07",
    9: "2023-03-31",
}
TYPES: dict[str, str] = {
    "G": "Grass",
    "R": "Fire",
    "W": "Water",
    "L": "Lightning",
    "P": "Psychic",
    "F": "Fighting",
    "D": "Darkness",
    "M": "Metal",
    "N": "Dragon",
    "Y": "Fairy",
    "C": "Colorless",
}
STAGES: tuple[str, ...] = ("Basic", "Stage 1", "Stage 2")
DRAGON_TYPE_FROM = "2012-08-15"  # Dragons Exalted; before it dragons were Colorless
FAIRY_TYPE_FROM, FAIRY_TYPE_UNTIL = "2014-02-05", "2020-02-07"  # XY to Sun & Moon; else Psychic
FAIRY_TYPE_BEFORE = "Colorless"  # what Fairy Pokémon were before XY


@dataclass(frozen=True)
class Pokemon:
    """A species: name, generation, modern TCG type, stage, fame tier, and an older type."""

    name: str
    generation: int
    type: str
    stage: str
    tier: int  # 0 obscure, 1 ordinary, 2 liked, 3 popular, 4 iconic, 5 Charizard-class
    early_type: str | None = field(default=None)  # type before its modern type existed


# name|type|stage|tier[|early type], one generation per block
_POKEMON = """
Bulbasaur|G|0|2 Ivysaur|G|1|1 Venusaur|G|2|3 Charmander|R|0|3 Charmeleon|R|1|2 Charizard|R|2|5
Squirtle|W|0|3 Wartortle|W|1|1 Blastoise|W|2|4 Caterpie|G|0|0 Butterfree|G|2|1 Weedle|G|0|0
Beedrill|G|2|1 Pidgey|C|0|0 Pidgeot|C|2|1 Rattata|C|0|0 Raticate|C|1|0 Pikachu|L|0|5
Raichu|L|1|2 Sandshrew|F|0|0 Clefairy|Y|0|1 Clefable|Y|1|1 Vulpix|R|0|2 Ninetales|R|1|2
Jigglypuff|Y|0|2 Oddish|G|0|0 Vileplume|G|2|1 Psyduck|W|0|2 Growlithe|R|0|1 Arcanine|R|1|2
Poliwag|W|0|1 Poliwrath|W|2|1 Abra|P|0|1 Kadabra|P|1|1 Alakazam|P|2|2 Machop|F|0|0
Machamp|F|2|2 Geodude|F|0|0 Golem|F|2|1 Ponyta|R|0|1 Rapidash|R|1|1 Slowpoke|W|0|1
Slowbro|W|1|1 Magnemite|L|0|0 Magneton|L|1|1 Farfetch'd|C|0|1 Doduo|C|0|0 Seel|W|0|0
Gastly|P|0|2 Haunter|P|1|2 Gengar|P|2|4 Onix|F|0|1 Drowzee|P|0|0 Hypno|P|1|1 Krabby|W|0|0
Voltorb|L|0|0 Electrode|L|1|0 Exeggutor|G|1|0 Cubone|F|0|1 Marowak|F|1|1 Hitmonlee|F|0|1
Hitmonchan|F|0|1 Lickitung|C|0|1 Rhyhorn|F|0|0 Chansey|C|0|1 Tangela|G|0|0 Kangaskhan|C|0|1
Horsea|W|0|0 Seadra|W|1|0 Goldeen|W|0|0 Staryu|W|0|0 Starmie|W|1|1 Mr. Mime|P|0|1
Scyther|G|0|2 Jynx|P|0|1 Electabuzz|L|0|1 Magmar|R|0|1 Pinsir|G|0|1 Tauros|C|0|0
Magikarp|W|0|2 Gyarados|W|1|4 Lapras|W|0|3 Ditto|C|0|2 Eevee|C|0|4 Vaporeon|W|1|3
Jolteon|L|1|3 Flareon|R|1|3 Porygon|C|0|1 Omanyte|W|1|1 Omastar|W|2|1 Kabuto|F|1|1
Kabutops|F|2|1 Aerodactyl|F|1|2 Snorlax|C|0|3 Articuno|W|0|3 Zapdos|L|0|3 Moltres|R|0|3
Dratini|N|0|2|C Dragonair|N|1|2|C Dragonite|N|2|4|C Mewtwo|P|0|4 Mew|P|0|4
---
Chikorita|G|0|1 Meganium|G|2|1 Cyndaquil|R|0|2 Typhlosion|R|2|2 Totodile|W|0|1
Feraligatr|W|2|2 Hoothoot|C|0|0 Ledyba|G|0|0 Pichu|L|0|2 Cleffa|Y|0|1 Togepi|Y|0|1
Togetic|Y|1|1 Natu|P|0|0 Mareep|L|0|1 Ampharos|L|2|2 Marill|W|0|1 Azumarill|W|1|1
Sudowoodo|F|0|0 Espeon|P|1|4 Umbreon|D|1|5 Murkrow|D|0|1 Slowking|P|1|1 Misdreavus|P|0|1
Unown|P|0|0 Wobbuffet|P|0|1 Girafarig|C|0|0 Pineco|G|0|0 Dunsparce|C|0|1 Steelix|M|1|2
Snubbull|Y|0|0 Scizor|M|1|2 Heracross|G|0|1 Sneasel|D|0|1 Teddiursa|C|0|1 Ursaring|C|1|0
Swinub|W|0|0 Corsola|W|0|0 Delibird|W|0|0 Skarmory|M|0|1 Houndoom|D|1|2 Kingdra|N|2|1|W
Phanpy|F|0|0 Donphan|F|1|1 Porygon2|C|1|0 Smeargle|C|0|1 Tyrogue|F|0|0 Miltank|C|0|0
Raikou|L|0|3 Entei|R|0|3 Suicune|W|0|3 Larvitar|F|0|1 Tyranitar|D|2|3 Lugia|C|0|4
Ho-Oh|R|0|3 Celebi|G|0|3
---
Treecko|G|0|1 Sceptile|G|2|2 Torchic|R|0|1 Blaziken|R|2|2 Mudkip|W|0|2 Swampert|W|2|2
Poochyena|D|0|0 Zigzagoon|C|0|0 Wurmple|G|0|0 Lotad|W|0|0 Seedot|G|0|0 Taillow|C|0|0
Wingull|W|0|0 Ralts|P|0|1 Kirlia|P|1|1 Gardevoir|P|2|3 Surskit|G|0|0 Shroomish|G|0|0
Slakoth|C|0|0 Makuhita|F|0|0 Nosepass|F|0|0 Skitty|C|0|1 Sableye|D|0|1 Mawile|M|0|1
Aron|M|0|0 Aggron|M|2|1 Meditite|F|0|0 Electrike|L|0|0 Plusle|L|0|1 Minun|L|0|1
Roselia|G|0|0 Gulpin|G|0|0 Carvanha|W|0|0 Wailmer|W|0|0 Numel|R|0|0 Torkoal|R|0|0
Spoink|P|0|0 Trapinch|F|0|0 Flygon|N|2|2|C Cacnea|G|0|0 Swablu|C|0|1 Altaria|N|1|1|C
Zangoose|C|0|0 Seviper|D|0|0 Lunatone|F|0|0 Solrock|F|0|0 Barboach|W|0|0 Corphish|W|0|0
Baltoy|F|0|0 Feebas|W|0|1 Milotic|W|1|3 Castform|C|0|1 Kecleon|C|0|1 Shuppet|P|0|0
Banette|P|1|1 Duskull|P|0|0 Absol|D|0|2 Wynaut|P|0|0 Snorunt|W|0|0 Spheal|W|0|0
Bagon|N|0|1|C Salamence|N|2|2|C Beldum|M|0|1 Metagross|M|2|2 Regirock|F|0|1 Regice|W|0|1
Registeel|M|0|1 Latias|N|0|3|P Latios|N|0|3|P Kyogre|W|0|3 Groudon|F|0|3 Rayquaza|N|0|4|C
Jirachi|M|0|2 Deoxys|P|0|2
---
Turtwig|G|0|1 Torterra|G|2|1 Chimchar|R|0|1 Infernape|R|2|2 Piplup|W|0|2 Empoleon|W|2|2
Starly|C|0|0 Staraptor|C|2|1 Bidoof|C|0|1 Shinx|L|0|1 Luxray|L|2|2 Budew|G|0|0
Cranidos|F|0|0 Shieldon|M|0|0 Combee|G|0|0 Pachirisu|L|0|1 Buizel|W|0|0 Drifloon|P|0|1
Buneary|C|0|0 Lopunny|C|1|1 Mismagius|P|1|1 Honchkrow|D|1|1 Glameow|C|0|0 Bronzor|M|0|0
Bonsly|F|0|0 Mime Jr.|P|0|0 Happiny|C|0|0 Chatot|C|0|0 Spiritomb|D|0|1 Gible|N|0|2|C
Garchomp|N|2|3|C Munchlax|C|0|1 Riolu|F|0|2 Lucario|F|1|3 Hippopotas|F|0|0 Skorupi|D|0|0
Croagunk|F|0|0 Carnivine|G|0|0 Finneon|W|0|0 Snover|W|0|0 Weavile|D|1|2 Magnezone|L|2|1
Rhyperior|F|2|1 Electivire|L|1|1 Magmortar|R|1|1 Togekiss|C|2|2 Yanmega|G|1|1 Leafeon|G|1|3
Glaceon|W|1|3 Gliscor|F|1|1 Mamoswine|W|2|1 Gallade|P|2|2 Dusknoir|P|2|1 Froslass|W|1|2
Rotom|L|0|1 Uxie|P|0|1 Mesprit|P|0|1 Azelf|P|0|1 Dialga|M|0|3 Palkia|W|0|3 Heatran|M|0|1
Regigigas|C|0|1 Giratina|N|0|3|P Cresselia|P|0|1 Manaphy|W|0|2 Darkrai|D|0|3 Shaymin|G|0|2
Arceus|C|0|3
---
Snivy|G|0|1 Serperior|G|2|1 Tepig|R|0|1 Emboar|R|2|1 Oshawott|W|0|1 Samurott|W|2|1
Patrat|C|0|0 Lillipup|C|0|0 Purrloin|D|0|0 Pidove|C|0|0 Blitzle|L|0|0 Roggenrola|F|0|0
Woobat|P|0|0 Drilbur|F|0|0 Audino|C|0|0 Timburr|F|0|0 Tympole|W|0|0 Sewaddle|G|0|0
Venipede|P|0|0 Cottonee|Y|0|0 Petilil|G|0|0 Sandile|D|0|0 Darumaka|R|0|0 Zorua|D|0|2
Zoroark|D|1|2 Minccino|C|0|1 Gothita|P|0|0 Solosis|P|0|0 Deerling|G|0|0 Emolga|L|0|1
Karrablast|G|0|0 Foongus|G|0|0 Joltik|L|0|1 Ferroseed|M|0|0 Klink|M|0|0 Litwick|R|0|1
Chandelure|R|2|2 Axew|N|0|1|C Haxorus|N|2|1|C Cubchoo|W|0|0 Mienfoo|F|0|0
Druddigon|N|0|0|C Golett|P|0|0 Pawniard|D|0|0 Bouffalant|C|0|0 Deino|D|0|0
Hydreigon|D|2|2 Larvesta|G|0|0 Volcarona|R|1|1 Cobalion|M|0|1 Terrakion|F|0|1
Virizion|G|0|1 Tornadus|C|0|1 Thundurus|L|0|1 Reshiram|N|0|3|R Zekrom|N|0|3|L
Landorus|F|0|1 Kyurem|N|0|2|W Keldeo|W|0|1 Meloetta|P|0|1 Genesect|M|0|1 Victini|R|0|2
---
Chespin|G|0|0 Fennekin|R|0|1 Delphox|R|2|1 Froakie|W|0|2 Greninja|W|2|4 Fletchling|C|0|0
Talonflame|R|2|1 Scatterbug|G|0|0 Vivillon|G|2|1 Litleo|R|0|0 Flabébé|Y|0|0 Florges|Y|2|1
Skiddo|G|0|0 Pancham|F|0|1 Furfrou|C|0|0 Espurr|P|0|0 Honedge|M|0|0 Aegislash|M|2|1
Spritzee|Y|0|0 Swirlix|Y|0|0 Inkay|D|0|0 Binacle|F|0|0 Clauncher|W|0|0 Helioptile|L|0|0
Amaura|W|1|0 Sylveon|Y|1|4 Hawlucha|F|0|1 Dedenne|L|0|1 Carbink|F|0|0 Goomy|N|0|1
Goodra|N|2|1 Klefki|Y|0|0 Phantump|P|0|0 Pumpkaboo|P|0|0 Bergmite|W|0|0 Noibat|N|0|0
Noivern|N|1|1 Xerneas|Y|0|2 Yveltal|D|0|2 Zygarde|N|0|1 Diancie|Y|0|1 Hoopa|D|0|1
Volcanion|R|0|1
---
Rowlet|G|0|2 Decidueye|G|2|1 Litten|R|0|1 Incineroar|R|2|1 Popplio|W|0|1 Primarina|W|2|1
Pikipek|C|0|0 Yungoos|C|0|0 Grubbin|G|0|0 Crabrawler|F|0|0 Oricorio|R|0|0 Cutiefly|Y|0|0
Rockruff|F|0|1 Lycanroc|F|1|1 Wishiwashi|W|0|0 Mareanie|P|0|0 Mudbray|F|0|0
Dewpider|W|0|0 Fomantis|G|0|0 Morelull|G|0|0 Salandit|R|0|0 Stufful|C|0|0 Bounsweet|G|0|0
Comfey|Y|0|0 Oranguru|C|0|0 Passimian|F|0|0 Wimpod|G|0|0 Sandygast|P|0|0 Pyukumuku|W|0|0
Type: Null|C|0|0 Silvally|C|1|0 Minior|F|0|0 Komala|C|0|0 Togedemaru|M|0|1 Mimikyu|P|0|3
Bruxish|P|0|0 Drampa|N|0|0 Dhelmise|G|0|0 Jangmo-o|N|0|0 Tapu Koko|L|0|1 Tapu Lele|P|0|1
Tapu Bulu|G|0|0 Tapu Fini|W|0|0 Cosmog|P|0|1 Solgaleo|M|0|2 Lunala|P|0|2 Nihilego|P|0|0
Buzzwole|F|0|1 Pheromosa|G|0|0 Xurkitree|L|0|0 Kartana|M|0|0 Guzzlord|D|0|0 Necrozma|P|0|1
Magearna|M|0|1 Marshadow|F|0|2 Zeraora|L|0|2 Meltan|M|0|1 Melmetal|M|1|1
---
Grookey|G|0|1 Rillaboom|G|2|1 Scorbunny|R|0|1 Cinderace|R|2|2 Sobble|W|0|1 Inteleon|W|2|1
Skwovet|C|0|0 Rookidee|C|0|0 Corviknight|M|2|1 Wooloo|C|0|1 Yamper|L|0|1 Rolycoly|F|0|0
Applin|N|0|0 Flapple|N|1|0 Toxel|L|0|0 Toxtricity|L|1|1 Sizzlipede|R|0|0 Hatenna|P|0|0
Hatterene|P|2|1 Impidimp|D|0|0 Grimmsnarl|D|2|1 Milcery|P|0|0 Alcremie|P|1|1 Falinks|F|0|0
Snom|W|0|1 Frosmoth|W|1|0 Eiscue|W|0|0 Morpeko|L|0|1 Cufant|M|0|0 Dracozolt|L|0|0
Duraludon|M|0|1 Dreepy|N|0|1 Dragapult|N|2|2 Zacian|M|0|2 Zamazenta|M|0|1 Eternatus|D|0|1
Kubfu|F|0|0 Urshifu|F|1|1 Zarude|D|0|1 Regieleki|L|0|1 Regidrago|N|0|1 Glastrier|W|0|0
Spectrier|P|0|0 Calyrex|P|0|1 Wyrdeer|C|1|0 Kleavor|F|1|0
---
Sprigatito|G|0|2 Meowscarada|G|2|2 Fuecoco|R|0|2 Skeledirge|R|2|1 Quaxly|W|0|1
Quaquaval|W|2|1 Lechonk|C|0|1 Pawmi|L|0|1 Pawmot|L|2|1 Tandemaus|C|0|0 Fidough|P|0|1
Smoliv|G|0|0 Nacli|F|0|0 Charcadet|R|0|0 Armarouge|R|1|1 Ceruledge|R|1|1 Tadbulb|L|0|0
Wattrel|L|0|0 Maschiff|D|0|0 Shroodle|D|0|0 Bramblin|G|0|0 Toedscool|G|0|0 Capsakid|G|0|0
Rellor|G|0|0 Flittle|P|0|0 Tinkatink|P|0|1 Tinkaton|P|2|1 Wiglett|W|0|0 Finizen|W|0|0
Palafin|W|1|1 Varoom|M|0|0 Cyclizar|N|0|0 Orthworm|M|0|0 Glimmet|F|0|0 Greavard|P|0|1
Houndstone|P|1|0 Flamigo|F|0|0 Cetoddle|W|0|0 Veluza|W|0|0 Dondozo|W|0|0 Tatsugiri|N|0|1
Annihilape|F|2|0 Clodsire|D|1|0 Farigiraf|C|1|0 Dudunsparce|C|1|0 Kingambit|D|2|1
Great Tusk|F|0|1 Iron Treads|M|0|1 Frigibax|N|0|0 Baxcalibur|N|2|1 Gimmighoul|P|0|1
Gholdengo|M|1|1 Koraidon|F|0|2 Miraidon|L|0|2 Walking Wake|W|0|1 Iron Leaves|G|0|1
Terapagos|C|0|1 Pecharunt|D|0|1 Ogerpon|G|0|1
"""


def _parse_pokemon(text: str) -> tuple[Pokemon, ...]:
    found = []
    for generation, block in enumerate(text.strip().split("---"), start=1):
        # names may hold one space ("Mr. Mime", "Type: Null"): split records on the tier field
        records = block.replace("\n", " ").split()
        buffer = ""
        for token in records:
            buffer = f"{buffer} {token}".strip()
            parts = buffer.split("|")
            if len(parts) < 4:
                continue
            name, kind, stage, tier, *early = parts
            found.append(
                Pokemon(
                    name,
                    generation,
                    TYPES[kind],
                    STAGES[int(stage)],
                    int(tier),
                    TYPES[early[0]] if early else None,
                )
            )
            buffer = ""
    return tuple(found)


POKEMON: tuple[Pokemon, ...] = _parse_pokemon(_POKEMON)
POKEMON_BY_NAME: dict[str, Pokemon] = {p.name: p for p in POKEMON}

# A few famous cards keep their real Pokémon (and name): card_id -> (pokemon, name or None).
FAMOUS_CARDS: dict[str, tuple[str, str | None]] = {
    "base1-2": ("Blastoise", None),
    "base1-4": ("Charizard", None),
    "base1-15": ("Venusaur", None),
    "base5-83": ("Raichu", "Dark Raichu"),
    "neo4-107": ("Charizard", None),
    "swsh7-215": ("Umbreon", "Umbreon VMAX"),
    "sv3pt5-199": ("Charizard", None),
}

# Effect of fame on price, by tier (log-multiplier, scaled by the rarity's ``fame``).
TIER_EFFECT: tuple[float, ...] = (-0.3, 0.0, 0.45, 0.95, 1.5, 2.1)

# Trainer owners of the Gym sets, by type; Team Rocket's evolved Pokémon are "Dark".
GYM_OWNERS: dict[str, tuple[str, ...]] = {
    "Fighting": ("Brock's", "Giovanni's"),
    "Water": ("Misty's",),
    "Lightning": ("Lt. Surge's",),
    "Grass": ("Erika's", "Koga's"),
    "Psychic": ("Sabrina's", "Koga's"),
    "Fire": ("Blaine's",),
    "Colorless": ("Rocket's", "Giovanni's"),
}
