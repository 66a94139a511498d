"""Checks for 00_business/01_should_we_use_ml: the right tool for seven PokéMarket requests."""

from collections.abc import Mapping

CHOICES = {"ml", "heuristic", "no_build"}
REASONS = {
    "complex_patterns",
    "patterns_change",
    "known_rules",
    "too_little_data",
    "no_decision",
    "value_below_cost",
}
SCENARIOS = (
    "price_suggestion",
    "shipping_fee",
    "listing_fraud",
    "fake_slabs",
    "allhands_forecast",
    "bulk_lot_price",
    "relist_nudge",
)
NEEDS_ML = {"price_suggestion", "listing_fraud", "relist_nudge"}


def _decision(exercise, scenario):
    """The learner's (choice, reason) for one scenario, validated for shape."""
    decision = exercise.decide(scenario)
    if isinstance(decision, Mapping) and {"choice", "reason"} <= decision.keys():
        return decision["choice"], decision["reason"]
    try:
        choice, reason = decision
    except (TypeError, ValueError):
        raise AssertionError(
            f"decide({scenario!r}) returned {decision!r}; expected a Decision(choice, reason)."
        ) from None
    return choice, reason


def _check(exercise, scenario, choice, reasons, why_choice, why_reason):
    got_choice, got_reason = _decision(exercise, scenario)
    assert got_choice == choice, f"{scenario}: you chose {got_choice!r}. {why_choice}"
    assert got_reason in reasons, (
        f"{scenario}: {got_choice!r} is the right choice, but the reason {got_reason!r} does not "
        f"explain it. {why_reason}"
    )


def test_every_scenario_has_a_valid_decision(exercise):
    """gives every scenario a choice from CHOICES and a reason code from REASONS"""
    for scenario in SCENARIOS:
        choice, reason = _decision(exercise, scenario)
        assert choice in CHOICES, (
            f"{scenario}: the choice {choice!r} is not one of 'ml', 'heuristic', 'no_build'."
        )
        assert reason in REASONS, (
            f"{scenario}: the reason {reason!r} is not one of the codes in REASONS "
            f"({', '.join(sorted(REASONS))})."
        )


def test_rejects_ml_everywhere(exercise):
    """rejects "ML everywhere": a model only where a rule or nothing would not do"""
    ml_for = [s for s in SCENARIOS if _decision(exercise, s)[0] == "ml"]
    needless = [s for s in ml_for if s not in NEEDS_ML]
    assert not needless, (
        f"You chose 'ml' for {len(ml_for)} of the {len(SCENARIOS)} requests; a model is the "
        f"wrong tool for {', '.join(needless)}. A model costs money to build, run and watch, "
        "and it is sometimes wrong: choose it only where a rule cannot do the job, there are "
        "enough labelled examples to learn from, and what it earns covers what it costs."
    )


def test_price_suggestion(exercise):
    """price_suggestion: the right tool, for a reason that explains it"""
    _check(
        exercise,
        "price_suggestion",
        "ml",
        {"complex_patterns", "patterns_change"},
        "Price depends on many interacting signals, nobody can write the rule down, there are "
        "2 million labelled sales, and a few dollars off is tolerable: that is where a model "
        "earns its keep.",
        "The point is that the signals interact in ways no one can write down, and there are "
        "plenty of labelled sales to learn them from.",
    )


def test_shipping_fee(exercise):
    """shipping_fee: the right tool, for a reason that explains it"""
    _check(
        exercise,
        "shipping_fee",
        "heuristic",
        {"known_rules"},
        "Checkout needs the fee, and the carrier's table already gives it exactly, to the cent. "
        "A lookup is right every time; a model could only add errors.",
        "The fee follows from rules (the carrier's table) that can be written down exactly.",
    )


def test_listing_fraud(exercise):
    """listing_fraud: the right tool, for a reason that explains it"""
    _check(
        exercise,
        "listing_fraud",
        "ml",
        {"patterns_change", "complex_patterns"},
        "There are 600,000 labelled listings, dozens of signals matter together, and scammers "
        "change tricks faster than anyone can rewrite rules: a model retrained on fresh labels "
        "keeps up.",
        "The point is that hand-written rules cannot keep up with many interacting signals and "
        "tricks that change every few weeks, while labels are plentiful.",
    )


def test_fake_slabs(exercise):
    """fake_slabs: the right tool, for a reason that explains it"""
    _check(
        exercise,
        "fake_slabs",
        "heuristic",
        {"too_little_data"},
        "Trust & Safety needs something this month, but 9 fakes in 30,000 sales is far too few "
        "examples to learn from. A simple rule or manual process (say, expert review of "
        "valuable slabs) works now and collects labels for later.",
        "What rules out a model here is the number of labelled examples.",
    )


def test_allhands_forecast(exercise):
    """allhands_forecast: the right tool, for a reason that explains it"""
    _check(
        exercise,
        "allhands_forecast",
        "no_build",
        {"no_decision", "value_below_cost"},
        "No budget, hiring or stock decision depends on the number; it is one slide. Any "
        "model or rule costs more than an answer nobody acts on is worth.",
        "The point is that nobody acts on the number, so it earns nothing.",
    )


def test_bulk_lot_price(exercise):
    """bulk_lot_price: the right tool once its money is worked out"""
    _check(
        exercise,
        "bulk_lot_price",
        "no_build",
        {"value_below_cost"},
        "The data and the interacting signals are there, but do the arithmetic: how much do "
        "better prices on about 40 lots a month earn, against $1,200 a month to run the model "
        "(and $30,000 to build it)? A model can be the right technique and still not be worth "
        "building.",
        "Sellers would act on the price, so the decision is not the problem; the money is.",
    )


def test_relist_nudge(exercise):
    """relist_nudge: the right tool once its money is worked out"""
    _check(
        exercise,
        "relist_nudge",
        "ml",
        {"complex_patterns"},
        "Work out the money: 25,000 stale listings a month, 3 nudges in 10 working, $0.80 each, "
        "against $1,000 a month to run and $40,000 to build. With 1.1 million labelled "
        "listings and signals that interact, a model earns its keep here.",
        "The point is the signals that interact (card, price gap, season, seller) with plenty "
        "of labelled outcomes to learn them from.",
    )
