"""Checks for 00_business/02_pricing_roi: value, payback and ROI of suggested prices."""

import math

import pytest

POKEMARKET = {
    "listings_per_month": 50_000,
    "share_improved": 0.30,
    "gain_per_improved_usd": 1.20,
    "share_worsened": 0.05,
    "loss_per_worsened_usd": 4.00,
    "build_cost_usd": 60_000,
    "run_cost_per_month_usd": 3_000,
}
WHOLE_PERCENT = 0.005  # an ROI rounded to a whole percent is still right


def _case(exercise, **changes):
    return exercise.PricingCase(**{**POKEMARKET, **changes})


def _never(value):
    return isinstance(value, float) and math.isinf(value) and value > 0


def test_monthly_value(exercise):
    """computes the monthly value of suggested prices for PokéMarket"""
    value = exercise.monthly_value(_case(exercise))
    message = f"monthly_value gave {value!r} for the PokéMarket numbers; expected 8000"
    if value == pytest.approx(18_000):
        message += (
            ". $18,000 is what the improved listings earn; the badly wrong suggestions cost "
            "PokéMarket money too."
        )
    else:
        message += ": 50,000 listings x (30% improved x $1.20 - 5% badly wrong x $4.00)."
    assert value == pytest.approx(8_000), message


def test_counts_cost_of_wrong_prices(exercise):
    """counts what wrong prices cost (rejects counting only the listings the model improves)"""
    base = exercise.monthly_value(_case(exercise))
    worse = exercise.monthly_value(_case(exercise, loss_per_worsened_usd=6.00))
    assert worse == pytest.approx(base - 5_000), (
        "When a badly wrong price costs $6 instead of $4, monthly_value should drop by $5,000 "
        f"(2,500 wrong prices x $2); it went from {base!r} to {worse!r}. The value of a model is "
        "what its good prices earn minus what its wrong prices cost."
    )


def test_monthly_net_counts_running_cost(exercise):
    """subtracts the monthly running cost from the monthly value"""
    net = exercise.monthly_net(_case(exercise))
    assert net == pytest.approx(5_000), (
        f"monthly_net gave {net!r}; expected 5000 ($8,000 value - $3,000 running cost)."
    )


def test_payback_and_roi(exercise):
    """computes the payback and the one- and two-year ROI for PokéMarket"""
    case = _case(exercise)
    months = exercise.payback_months(case)
    assert months == pytest.approx(12.0), (
        f"payback_months gave {months!r}; expected 12.0 ($60,000 build cost / $5,000 net a month)."
    )
    two_years = exercise.roi(case, 24)
    assert two_years == pytest.approx(60_000 / 132_000, abs=WHOLE_PERCENT), (
        f"roi(case, 24) gave {two_years!r}; expected about 0.4545: ($192,000 value - $132,000 "
        "total cost) / $132,000, where total cost is the build plus 24 months of running."
    )
    one_year = exercise.roi(case, 12)
    assert one_year == pytest.approx(0.0, abs=1e-9), (
        f"roi(case, 12) gave {one_year!r}; expected 0.0: at the 12-month payback point the "
        "project has exactly repaid its costs."
    )


def test_running_costs_delay_payback(exercise):
    """higher running costs mean a later payback and a lower ROI (rejects ignoring them)"""
    cheap, dear = _case(exercise), _case(exercise, run_cost_per_month_usd=5_000)
    months_cheap, months_dear = exercise.payback_months(cheap), exercise.payback_months(dear)
    assert months_dear == pytest.approx(20.0), (
        "With running costs of $5,000 a month instead of $3,000, payback should take 20 months "
        f"($60,000 / $3,000 net); payback_months gave {months_dear!r} "
        f"(and {months_cheap!r} at $3,000). Running costs are paid every month the model lives."
    )
    roi_cheap, roi_dear = exercise.roi(cheap, 24), exercise.roi(dear, 24)
    assert roi_dear == pytest.approx(12_000 / 180_000, abs=WHOLE_PERCENT), (
        "With running costs of $5,000 a month, ROI over 24 months should drop to about 0.067 "
        f"(($192,000 - $180,000) / $180,000); roi gave {roi_dear!r} (and {roi_cheap!r} at $3,000)."
    )


def test_never_pays_back_when_running_costs_eat_the_value(exercise):
    """never pays back when running costs eat the whole value (returns math.inf)"""
    for run_cost in (8_500, 12_000):
        months = exercise.payback_months(_case(exercise, run_cost_per_month_usd=run_cost))
        assert _never(months), (
            f"With running costs of ${run_cost:,} a month against $8,000 of value, the project "
            f"never pays back; payback_months gave {months!r}, expected math.inf."
        )
    # 50,000 x (50% x $2 - 25% x $2) is exactly $25,000 of value: the net is exactly 0.
    even = _case(
        exercise,
        share_improved=0.5,
        gain_per_improved_usd=2.0,
        share_worsened=0.25,
        loss_per_worsened_usd=2.0,
        run_cost_per_month_usd=25_000,
    )
    try:
        months = exercise.payback_months(even)
        gave = f"gave {months!r}"
    except ZeroDivisionError:
        months, gave = None, "divided by zero"
    assert _never(months), (
        "When the running cost ($25,000 a month) eats exactly the monthly value ($25,000), the "
        f"net is $0 and the project never pays back; payback_months {gave}, expected "
        "math.inf. A net of zero means 'never' too, not only a negative one."
    )


def test_harmful_model_never_pays_back(exercise):
    """a model worse than no model never pays back and has a negative ROI"""
    case = _case(exercise, share_worsened=0.15)
    value = exercise.monthly_value(case)
    assert value == pytest.approx(-12_000), (
        "When 15% of suggestions are badly wrong, the model loses money: 50,000 x (30% x $1.20 - "
        f"15% x $4.00) = -$12,000 a month; monthly_value gave {value!r}."
    )
    months = exercise.payback_months(case)
    assert _never(months), (
        f"A model that loses money every month never pays back; payback_months gave {months!r}, "
        "expected math.inf."
    )
    ratio = exercise.roi(case, 24)
    assert ratio < 0, f"A model that loses money has a negative ROI; roi gave {ratio!r}."


def _bar(exercise, case, months):
    got = exercise.max_share_worsened(case, months)
    assert got is None or isinstance(got, (int, float)), (
        f"max_share_worsened returned {type(got).__name__}; return a share (a float such as "
        "0.05 for 5%) or None."
    )
    return got


def _share_at_break_even(case, months):
    """Reference: the share_worsened at which roi(case, months) is exactly 0."""
    needed = (case["build_cost_usd"] / months + case["run_cost_per_month_usd"]) / case[
        "listings_per_month"
    ]
    room = case["share_improved"] * case["gain_per_improved_usd"] - needed
    return None if room < 0 else room / case["loss_per_worsened_usd"]


def test_max_share_worsened_for_pokemarket(exercise):
    """finds the share of badly wrong suggestions at which two years just break even"""
    got = _bar(exercise, _case(exercise), 24)
    want = _share_at_break_even(POKEMARKET, 24)
    assert got is not None and got == pytest.approx(want, abs=1e-6), (
        f"max_share_worsened(PokéMarket, 24) gave {got!r}. At the share you want, roi over 24 "
        "months is exactly 0: 24 months of value must cover the build cost and 24 months of "
        "running. Write that equation with share_worsened as the unknown and solve it."
    )
    at_bar = exercise.roi(_case(exercise, share_worsened=got), 24)
    assert at_bar == pytest.approx(0.0, abs=1e-6), (
        f"With share_worsened = {got:.4f}, your own roi(case, 24) gives {at_bar:+.4f}; at the "
        "largest affordable share it should be 0 (break even)."
    )


def test_max_share_worsened_follows_the_horizon_and_costs(exercise):
    """the quality bar follows the horizon, the build and the running cost it is given"""
    for months, changes in (
        (12, {}),
        (36, {}),
        (24, {"run_cost_per_month_usd": 5_000}),
        (24, {"build_cost_usd": 120_000}),
        (18, {"loss_per_worsened_usd": 10.0, "listings_per_month": 80_000}),
    ):
        got = _bar(exercise, _case(exercise, **changes), months)
        want = _share_at_break_even({**POKEMARKET, **changes}, months)
        described = ", ".join(f"{k}={v:,}" for k, v in changes.items()) or "the PokéMarket case"
        assert got is not None and got == pytest.approx(want, abs=1e-6), (
            f"max_share_worsened over {months} months with {described} gave {got!r}; expected "
            f"{want:.4f} (the share at which roi over {months} months is exactly 0). A longer "
            "horizon spreads the build cost over more months; every cost in the case counts."
        )


def test_max_share_worsened_none_when_no_share_is_low_enough(exercise):
    """returns None when even a model with no badly wrong suggestion cannot break even"""
    for months, changes in ((24, {"run_cost_per_month_usd": 20_000}), (3, {})):
        got = _bar(exercise, _case(exercise, **changes), months)
        best = exercise.roi(_case(exercise, **changes, share_worsened=0.0), months)
        assert got is None, (
            f"max_share_worsened over {months} months gave {got!r}, but even with no badly wrong "
            f"suggestion at all the ROI is {best:+.1%}: no share is low enough. Return None "
            "(a negative share is not a quality bar anyone can meet)."
        )
