"""Features for the card-price model: one row per sale, the columns the model reads.

Every feature must be known when a seller lists a card: the card itself (from the catalog),
the copy on offer (its variant, its condition or PSA grade) and the day it is listed. The
price is what the model predicts, never one of its inputs.
"""

import pandas as pd

# Raw (ungraded) conditions, worst to best. A graded copy has a PSA grade instead.
CONDITION_RANK = {"DMG": 0, "HP": 1, "MP": 2, "LP": 3, "NM": 4}

# Rarities with a column of their own; every other rarity shares rarity_other.
RARITIES = ("Common", "Uncommon", "Rare", "Holo Rare", "Ultra Rare", "Secret Rare")


def card_age_days(sales: pd.DataFrame, cards: pd.DataFrame) -> pd.Series:
    """Days from the card's set release to the sale."""
    release = sales["card_id"].map(cards.set_index("card_id")["release_date"])
    return (sales["sale_date"] - release).dt.days


def rarity_columns(rarity: pd.Series) -> pd.DataFrame:
    """One True/False column per rarity in RARITIES, and rarity_other for the rest."""
    columns = {f"rarity_{name.lower().replace(' ', '_')}": rarity.eq(name) for name in RARITIES}
    columns["rarity_other"] = ~rarity.isin(RARITIES)
    return pd.DataFrame(columns, index=rarity.index)


def make_features(sales: pd.DataFrame, cards: pd.DataFrame) -> pd.DataFrame:
    """The model's features, one row per sale, indexed like sales.

    grade is missing (NaN) for a raw copy and condition_rank for a graded one: LightGBM sends
    missing values down a branch of their own, so "raw" and "graded" stay apart.
    """
    catalog = cards.set_index("card_id")
    card = sales["card_id"]
    features = pd.DataFrame(
        {
            "age_days": card_age_days(sales, cards),
            "graded": sales["psa_grade"].notna(),
            "grade": sales["psa_grade"],
            "condition_rank": sales["condition"].map(CONDITION_RANK),
            "holo": card.map(catalog["holo"]),
            "first_edition": sales["variant"].eq("1st Edition"),
            "reverse_holo": sales["variant"].eq("Reverse Holo"),
            "secret": card.map(catalog["number"] > catalog["printed_total"]),
        },
        index=sales.index,
    )
    features = features.join(rarity_columns(sales["rarity"]))
    return features.astype(float)
