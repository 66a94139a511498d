"""WRONG: a model for bulk lots, because the data and the interacting signals are there."""

from typing import NamedTuple

CHOICES = ("ml", "heuristic", "no_build")

REASONS = {
    "complex_patterns": (
        "Many signals interact, there are plenty of labelled examples, nobody can write the rule "
        "down, and an occasional error is tolerable."
    ),
    "patterns_change": (
        "There are plenty of labelled examples, and the patterns shift so fast that hand-written "
        "rules go stale within weeks; a model retrained on fresh labels keeps up."
    ),
    "known_rules": "The right answer follows from rules someone can write down exactly.",
    "too_little_data": (
        "There are too few labelled examples to learn from: start with a rule or a manual "
        "process, and collect labels."
    ),
    "no_decision": "Nobody will act differently on the output, so no answer is worth building.",
    "value_below_cost": "Whatever it earns is less than it costs to build and run.",
}

SCENARIOS = {
    "price_suggestion": (
        "Sellers want a suggested price when they list a card. We have 2 million past sales. A "
        "card's price depends on its set, rarity, condition, PSA grade, age and the hype of the "
        "month, and these interact (a PSA 10 premium is huge for a vintage holo, tiny for bulk). "
        "Being a few dollars off now and then is fine."
    ),
    "shipping_fee": (
        "Checkout must show the shipping fee. Our carrier publishes the fee for every weight "
        "tier and destination country, and the fee must be right to the cent."
    ),
    "listing_fraud": (
        "Trust & Safety wants to hold listings that look like scams before a buyer pays. 600,000 "
        "past listings are labelled by their refund outcome (1.5% were scams). Dozens of signals "
        "matter together (account age, price against the market, reused photos, message "
        "wording), and scammers change their tricks every few weeks."
    ),
    "fake_slabs": (
        "Buyers have reported 9 counterfeit PSA slabs in four years, out of 30,000 slab sales. "
        "Trust & Safety wants to start catching fakes this month."
    ),
    "allhands_forecast": (
        "The CEO would like a model that forecasts how many Pokémon cards will be printed "
        "worldwide next year, for one slide at the yearly all-hands. No budget, hiring or stock "
        "decision depends on the number."
    ),
    "bulk_lot_price": (
        "Sellers of bulk lots (boxes of 500 to 1,000 common cards) want a suggested price too. "
        "We have 300,000 past lot sales, and a lot's price depends on its sets, condition mix "
        "and era together, in ways nobody can write down; a few dollars off is fine. About 40 "
        "lots are listed a month, and a better price earns PokéMarket $0.50 more commission "
        "per lot. The model would cost $30,000 to build and $1,200 a month to run."
    ),
    "relist_nudge": (
        "When a listing has not sold in 30 days, we could email the seller a suggested price "
        "cut. 1.1 million past stale listings show which cuts sold, and that depends on the "
        "card, its gap to the market price, the season and the seller's history together. "
        "25,000 listings go stale each month; 3 nudges in 10 work and each of those earns $0.80 "
        "more commission, while a nudge that misses is simply ignored. The model would cost "
        "$40,000 to build and $1,000 a month to run."
    ),
}


class Decision(NamedTuple):
    """What to build for one scenario, and why."""

    choice: str  # one of CHOICES
    reason: str  # one of the keys of REASONS


DECISIONS: dict[str, Decision] = {
    # Interacting signals, millions of labels, errors tolerable: what models are for.
    "price_suggestion": Decision("ml", "complex_patterns"),
    # A published table gives the exact fee; a model could only add errors.
    "shipping_fee": Decision("heuristic", "known_rules"),
    # Plenty of labels and tricks that outrun hand-written rules.
    "listing_fraud": Decision("ml", "patterns_change"),
    # Nine examples teach a model nothing: expert review of valuable slabs, and keep the labels.
    "fake_slabs": Decision("heuristic", "too_little_data"),
    # One slide, no decision: the cheapest good answer is none.
    "allhands_forecast": Decision("no_build", "no_decision"),
    # 40 lots x $0.50 is $20 a month, against $1,200 a month to run it.
    "bulk_lot_price": Decision("ml", "complex_patterns"),
    # 25,000 x 30% x $0.80 is $6,000 a month: it pays back in 8 months.
    "relist_nudge": Decision("ml", "complex_patterns"),
}


def decide(scenario: str) -> Decision:
    """Your decision for one scenario, read from DECISIONS (no need to change this function)."""
    if scenario not in SCENARIOS:
        raise KeyError(f"unknown scenario {scenario!r}; the keys are {list(SCENARIOS)}")
    return DECISIONS[scenario]
