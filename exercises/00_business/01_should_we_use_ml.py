"""Should we use ML?

PokéMarket is growing, and every team now wants "some AI". You are the first (and only) ML
engineer, so your first job is choosing where a model earns its keep, and where a lookup rule, a
manual process, or nothing at all is the better answer.

SCENARIOS holds seven requests from around the company. For each one, decide:

- "ml"         build a model;
- "heuristic"  write a rule, a lookup table or a simple manual process instead;
- "no_build"   build nothing: it is not worth anyone's time;

and pick the reason code from REASONS that best explains your choice.

Task: fill in DECISIONS with one Decision(choice, reason) per scenario key.
Done when: every scenario has a decision, each choice is the right tool for the job, and its
reason code is one that explains that choice.

Stuck? Run `mlings hint`.
"""

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


# TODO: add one entry per key of SCENARIOS, for example
#     "some_scenario": Decision("<one of CHOICES>", "<a key of REASONS>"),
DECISIONS: dict[str, Decision] = {}


def decide(scenario: str) -> Decision:
    """Your decision for one scenario, read from DECISIONS (no need to change this function)."""
    if scenario not in SCENARIOS:
        raise KeyError(f"unknown scenario {scenario!r}; the keys are {list(SCENARIOS)}")
    if scenario not in DECISIONS:
        raise NotImplementedError(f"no decision yet for {scenario!r}: add it to DECISIONS")
    return DECISIONS[scenario]
