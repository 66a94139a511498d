"""Checks for 08_capstone/business.py: the business case as functions the project can call."""

import dataclasses
import math

import pytest

# Assumptions whose products are exact in binary floating point, so boundaries are exact in any
# order of multiplication: each dollar of MAE removed is worth 1000 * 0.25 * 4 = $1,000 a month.
EXACT = {
    "listings_per_month": 1000,
    "sales_per_dollar": 0.25,
    "commission_usd": 4.0,
    "run_cost_per_month_usd": 1000.0,
    "build_cost_usd": 6000.0,
    "required_improvement": 0.25,
}


def _case(exercise, **changes):
    """The learner's POKEMARKET with some assumptions changed."""
    return dataclasses.replace(exercise.POKEMARKET, **changes)


def _exact(exercise, **changes):
    return dataclasses.replace(exercise.POKEMARKET, **(EXACT | changes))


def _number(value, what: str) -> float:
    assert isinstance(value, int | float) and not isinstance(value, bool), (
        f"{what} returned {value!r} ({type(value).__name__}); return a number (a float)."
    )
    return float(value)


@pytest.mark.points(1.5)
def test_success_criterion_at_the_bar(exercise):
    """success_criterion: at the bar succeeds, a cent above fails, equal to the baseline fails"""
    case = exercise.POKEMARKET  # the bar: 10% below the baseline
    cases = [
        (18.0, 20.0, True, "exactly 10% below the baseline: at the bar"),
        (17.99, 20.0, True, "more than 10% below the baseline"),
        (18.01, 20.0, False, "only 9.95% below the baseline"),
        (20.0, 20.0, False, "no better than the baseline"),
        (25.0, 20.0, False, "worse than the baseline"),
        (0.0, 20.0, True, "a perfect model"),
        (90.0, 100.0, True, "exactly 10% below a $100 baseline"),
        (90.5, 100.0, False, "9.5% below a $100 baseline"),
    ]
    for model, baseline, want, what in cases:
        got = exercise.success_criterion(model, baseline, case)
        assert isinstance(got, bool), (
            f"success_criterion({model}, {baseline}) returned {got!r}; return True or False."
        )
        assert got == want, (
            f"success_criterion({model}, {baseline}) is {got} for a model {what}; it should be "
            f"{want}. The bar is (1 - required_improvement) x the baseline's MAE, and a model "
            "exactly at the bar clears it."
        )
    assert exercise.success_criterion(18.0, 20.0) is True, (
        "success_criterion(18.0, 20.0) with the default case does not clear the bar: the "
        "default case is POKEMARKET."
    )


@pytest.mark.points(1)
def test_success_criterion_follows_required_improvement(exercise):
    """success_criterion reads required_improvement from the case (rejects a hard-coded 10%)"""
    for share, model, baseline, want in (
        (0.25, 15.0, 20.0, True),
        (0.25, 15.5, 20.0, False),
        (0.25, 17.0, 20.0, False),
        (0.5, 10.0, 20.0, True),
        (0.5, 10.5, 20.0, False),
        (0.0, 20.0, 20.0, True),
        (0.0, 20.5, 20.0, False),
    ):
        case = _case(exercise, required_improvement=share)
        got = exercise.success_criterion(model, baseline, case)
        assert got == want, (
            f"With required_improvement={share}, success_criterion({model}, {baseline}) is "
            f"{got}; it should be {want}. Use case.required_improvement, not a number of your "
            "own."
        )


@pytest.mark.points(0.5)
def test_success_criterion_refuses_impossible_maes(exercise):
    """success_criterion raises ValueError on a negative, infinite or NaN MAE"""
    for model, baseline in ((-1.0, 20.0), (18.0, -20.0), (math.nan, 20.0), (18.0, math.nan),
                            (math.inf, 20.0), (18.0, math.inf)):  # fmt: skip
        with pytest.raises(ValueError):
            exercise.success_criterion(model, baseline)
            raise AssertionError(
                f"success_criterion({model}, {baseline}) answered instead of raising "
                "ValueError: an MAE like that means the evaluation is broken, and a verdict "
                "on it would be trusted."
            )


@pytest.mark.points(1.5)
def test_monthly_value_in_dollars(exercise):
    """monthly_value: listings x dollars of error removed x extra sales per dollar x commission"""
    case = exercise.POKEMARKET
    for before, after in ((30.0, 20.0), (130.0, 120.0), (24.8, 15.3), (30.0, 30.0)):
        want = (
            case.listings_per_month * (before - after) * case.sales_per_dollar * case.commission_usd
        )
        got = _number(exercise.monthly_value(before, after, case), "monthly_value")
        assert got == pytest.approx(want, rel=1e-9, abs=1e-6), (
            f"monthly_value({before}, {after}) is {got:,.2f}; with POKEMARKET's assumptions it "
            f"is ${want:,.2f} a month: each of {case.listings_per_month:,} listings gains "
            f"{case.sales_per_dollar} extra sales per dollar of MAE removed, each sale earning "
            f"${case.commission_usd}. Only the dollars removed count, not the ratio of the MAEs."
        )
    default = exercise.monthly_value(30.0, 20.0)
    assert default == pytest.approx(exercise.monthly_value(30.0, 20.0, case)), (
        "monthly_value's default case is not POKEMARKET."
    )


@pytest.mark.points(0.5)
def test_a_worse_model_costs_money(exercise):
    """monthly_value is negative when the model's MAE is higher (rejects an absolute difference)"""
    gain = _number(exercise.monthly_value(30.0, 20.0), "monthly_value")
    loss = _number(exercise.monthly_value(20.0, 30.0), "monthly_value")
    assert loss < 0 and loss == pytest.approx(-gain), (
        f"Going from an MAE of $20 to $30 is worth {loss:,.2f} a month, and from $30 to $20 "
        f"{gain:,.2f}. A worse model loses the sales a better one wins: the value is negative, "
        "the same size."
    )


@pytest.mark.points(1)
def test_monthly_value_uses_every_assumption(exercise):
    """monthly_value scales with listings, sales per dollar and commission; costs do not enter"""
    base = _number(exercise.monthly_value(30.0, 20.0, _exact(exercise)), "monthly_value")
    assert base == pytest.approx(10_000.0), (
        f"With 1000 listings, 0.25 extra sales per dollar and a $4 commission, cutting the MAE "
        f"by $10 is worth $10,000 a month; monthly_value says {base:,.2f}."
    )
    for field, value, factor in (
        ("listings_per_month", 3000, 3.0),
        ("sales_per_dollar", 0.5, 2.0),
        ("commission_usd", 1.0, 0.25),
        ("run_cost_per_month_usd", 9999.0, 1.0),
        ("build_cost_usd", 99999.0, 1.0),
        ("required_improvement", 0.5, 1.0),
    ):
        got = exercise.monthly_value(30.0, 20.0, _exact(exercise, **{field: value}))
        assert got == pytest.approx(base * factor), (
            f"With {field}={value} (was {EXACT[field]}), monthly_value is {got:,.2f}; it should "
            f"be {base * factor:,.2f}. "
            + (
                "The value before costs does not depend on it."
                if factor == 1.0
                else "Use every field of the case it is given."
            )
        )


@pytest.mark.points(1)
def test_monthly_net(exercise):
    """monthly_net is the monthly value minus the case's running cost"""
    for run_cost, want in ((1000.0, 9000.0), (2500.0, 7500.0), (12_000.0, -2000.0)):
        case = _exact(exercise, run_cost_per_month_usd=run_cost)
        got = _number(exercise.monthly_net(30.0, 20.0, case), "monthly_net")
        assert got == pytest.approx(want), (
            f"A $10,000 monthly value with a running cost of ${run_cost:,.0f} a month nets "
            f"${want:,.0f}; monthly_net says {got:,.2f}."
        )


@pytest.mark.points(1.5)
def test_payback_months(exercise):
    """payback_months: build cost over monthly net, in months; math.inf if it never pays back"""
    case = _exact(exercise)  # a $10,000 value, $1,000 running cost, $6,000 to build
    got = _number(exercise.payback_months(30.0, 20.0, case), "payback_months")
    assert got == pytest.approx(6000 / 9000), (
        f"A $6,000 build repaid by $9,000 a month takes {6000 / 9000:.4f} months; "
        f"payback_months says {got}. A float, in months, not rounded; net of running costs."
    )
    got = exercise.payback_months(30.0, 20.0, _exact(exercise, build_cost_usd=27_000.0))
    assert got == pytest.approx(3.0), (
        f"A $27,000 build repaid by $9,000 a month takes 3 months; payback_months says {got}."
    )
    pokemarket = exercise.POKEMARKET
    want = pokemarket.build_cost_usd / (
        pokemarket.listings_per_month * 10 * pokemarket.sales_per_dollar * pokemarket.commission_usd
        - pokemarket.run_cost_per_month_usd
    )
    got = exercise.payback_months(30.0, 20.0)
    assert got == pytest.approx(want), (
        f"With POKEMARKET, cutting the MAE from $30 to $20 pays back in {want:.2f} months; "
        f"payback_months(30.0, 20.0) says {got}."
    )
    for before, after, what in ((30.0, 29.0, "exactly covers"), (30.0, 29.5, "does not cover"),
                                (20.0, 30.0, "is worse than")):  # fmt: skip
        got = exercise.payback_months(before, after, case)
        assert got == math.inf, (
            f"A model that {what} its running cost (MAE {before} -> {after}) never pays back, "
            f"yet payback_months says {got}. Return math.inf when the monthly net is zero or "
            "negative (a negative number of months is not an answer)."
        )


@pytest.mark.points(0.5)
def test_payback_moves_the_right_way(exercise):
    """payback is shorter for a better model, longer when running or building costs more"""
    case = exercise.POKEMARKET

    def months(after: float = 15.0, **changes) -> float:
        return exercise.payback_months(30.0, after, _case(exercise, **changes) if changes else case)

    base = months()
    assert months(after=10.0) < base < months(after=20.0), (
        "A model with a lower MAE should pay back sooner: payback_months(30, 10) < (30, 15) < "
        f"(30, 20), got {months(after=10.0)}, {base}, {months(after=20.0)}."
    )
    dearer = case.run_cost_per_month_usd * 1.5
    assert months(run_cost_per_month_usd=dearer) > base, (
        "A dearer model to run should take longer to pay back: use run_cost_per_month_usd."
    )
    assert months(build_cost_usd=case.build_cost_usd * 2) > base, (
        "A dearer model to build should take longer to pay back: use build_cost_usd."
    )


@pytest.mark.points(1)
def test_break_even_mae(exercise):
    """break_even_mae is where the monthly net crosses zero, for every assumption"""
    case = _exact(exercise)  # $1,000 a month per dollar removed, $1,000 running cost
    got = _number(exercise.break_even_mae(30.0, case), "break_even_mae")
    assert got == pytest.approx(29.0), (
        f"With $1,000 a month per dollar of MAE removed and a $1,000 running cost, a model must "
        f"reach an MAE of $29 (from $30) to pay its way; break_even_mae says {got}."
    )
    for changes in ({"run_cost_per_month_usd": 2500.0}, {"listings_per_month": 250},
                    {"sales_per_dollar": 0.125}, {"commission_usd": 10.0},
                    {"run_cost_per_month_usd": 50_000.0}):  # fmt: skip
        changed = _exact(exercise, **changes)
        mae = _number(exercise.break_even_mae(30.0, changed), "break_even_mae")
        net = exercise.monthly_net(30.0, mae, changed)
        assert net == pytest.approx(0.0, abs=1e-6), (
            f"With {changes}, break_even_mae(30.0) is {mae}, where the monthly net is "
            f"{net:,.2f}, not 0. Solve monthly_net(mae_before, mae) == 0 for mae, with every "
            "field of the case."
        )
    pokemarket = exercise.POKEMARKET
    mae = exercise.break_even_mae(24.8)
    assert exercise.monthly_net(24.8, mae, pokemarket) == pytest.approx(0.0, abs=1e-6), (
        f"break_even_mae(24.8) with the default case is {mae}, where POKEMARKET's monthly net "
        "is not 0: the default case is POKEMARKET."
    )
