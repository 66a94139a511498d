"""Checks for 05_deployment/08_ab_test_design: sample size, SRM check, no peeking."""

import math
import numbers

import numpy as np
import pytest
from scipy.stats import chisquare, norm
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize

PLANNED = 3839
# (p_control, p_treatment, alpha, power): the default, every parameter moved, and a decrease.
CASES = [
    (0.10, 0.12, 0.05, 0.8),
    (0.10, 0.12, 0.01, 0.8),
    (0.10, 0.12, 0.05, 0.9),
    (0.10, 0.08, 0.05, 0.8),
    (0.30, 0.36, 0.05, 0.8),
    (0.05, 0.06, 0.05, 0.8),
]


def _unpooled(p_c, p_t, alpha, power, *, two_sided=True, beta=False) -> float:
    z_alpha = norm.ppf(1 - alpha / 2) if two_sided else norm.ppf(1 - alpha)
    z_power = norm.ppf(1 - power) if beta else norm.ppf(power)
    return (z_alpha + z_power) ** 2 * (p_c * (1 - p_c) + p_t * (1 - p_t)) / (p_t - p_c) ** 2


def _pooled(p_c, p_t, alpha, power) -> float:
    p_bar = (p_c + p_t) / 2
    root = norm.ppf(1 - alpha / 2) * math.sqrt(2 * p_bar * (1 - p_bar))
    root += norm.ppf(power) * math.sqrt(p_c * (1 - p_c) + p_t * (1 - p_t))
    return root**2 / (p_t - p_c) ** 2


def _statsmodels(p_c, p_t, alpha, power) -> float:
    effect = proportion_effectsize(p_t, p_c)
    return float(
        NormalIndPower().solve_power(
            effect_size=effect, alpha=alpha, power=power, ratio=1.0, alternative="two-sided"
        )
    )


def _whole(value, name: str) -> int:
    assert isinstance(value, numbers.Integral) and not isinstance(value, bool), (
        f"{name} returned {value!r} ({type(value).__name__}); expected a whole number of users "
        "as an int: math.ceil(...) gives one (np.ceil gives a float)."
    )
    return int(value)


def _size_message(got: int, case, exact: float, name: str) -> str:
    p_c, p_t, alpha, power = case
    call = f"{name}({p_c}, {p_t}, alpha={alpha}, power={power})"
    message = f"{call} gave {got:,}."
    if got in (math.floor(exact), math.floor(_pooled(*case))):
        return message + (
            f" The formula gives {exact:.2f} before rounding: round UP, or the test has less "
            "power than planned."
        )
    if abs(got - _unpooled(*case, two_sided=False)) <= 1:
        return message + (
            " That is the one-sided size (z(1 - alpha)); the test is two-sided: z(1 - alpha/2)."
        )
    if abs(got - _unpooled(*case, beta=True)) <= 1:
        return message + (
            " That uses z(1 - power), the miss rate beta, where the formula needs z(power)."
        )
    return message + " Check the formula against the docstring, term by term."


def test_sample_size_for_the_pokemarket_test(exercise):
    """sample size for 10% -> 12% (rejects one-sided alpha, power as beta, rounding down)"""
    case = CASES[0]
    got = _whole(exercise.sample_size_per_group(0.10, 0.12), "sample_size_per_group")
    exact = _unpooled(*case)
    accepted = {math.ceil(exact), math.ceil(_pooled(*case))}
    assert got in accepted, _size_message(got, case, exact, "sample_size_per_group")


def test_sample_size_uses_every_parameter(exercise):
    """sample size follows alpha, power and both rates, also for a decrease in conversion"""
    for case in CASES:
        p_c, p_t, alpha, power = case
        got = _whole(
            exercise.sample_size_per_group(p_c, p_t, alpha=alpha, power=power),
            "sample_size_per_group",
        )
        exact = _unpooled(*case)
        accepted = {math.ceil(exact), math.ceil(_pooled(*case))}
        assert got in accepted, _size_message(got, case, exact, "sample_size_per_group")


def test_sample_size_refuses_impossible_rates(exercise):
    """sample size raises ValueError for rates outside (0, 1) or equal (rejects 10 for 10%)"""
    for rates in [(10, 12), (0.10, 0.10), (0.0, 0.05), (0.95, 1.0), (-0.1, 0.1), (0.10, 12)]:
        try:
            got = exercise.sample_size_per_group(*rates)
        except ValueError:
            continue
        except NotImplementedError:
            raise
        except Exception as error:
            raise AssertionError(
                f"sample_size_per_group{rates} raised {type(error).__name__}: {error}; raise "
                "ValueError for rates that are not two different numbers strictly between 0 "
                "and 1."
            ).with_traceback(error.__traceback__) from None
        raise AssertionError(
            f"sample_size_per_group{rates} returned {got!r}; a rate is a share strictly "
            "between 0 and 1 (10% is 0.10), and equal rates have no difference to detect: "
            "raise ValueError."
        )


def test_sample_size_with_statsmodels(exercise):
    """statsmodels' NormalIndPower size, two-sided and rounded up, for every parameter"""
    for case in CASES:
        p_c, p_t, alpha, power = case
        got = _whole(
            exercise.sample_size_statsmodels(p_c, p_t, alpha=alpha, power=power),
            "sample_size_statsmodels",
        )
        exact = _statsmodels(*case)
        message = (
            f"sample_size_statsmodels({p_c}, {p_t}, alpha={alpha}, power={power}) gave "
            f"{got:,}; NormalIndPower().solve_power gives {exact:.2f} users per group, "
            f"rounded up {math.ceil(exact):,}."
        )
        if got == math.floor(exact):
            message += " Round UP with math.ceil."
        assert got == math.ceil(exact), message


def test_why_the_two_sizes_differ(exercise):
    """explains why statsmodels' size differs from the hand formula's"""
    answer = exercise.WHY_THEY_DIFFER
    keys = set(exercise.STATEMENTS)
    assert answer in keys, f"WHY_THEY_DIFFER is {answer!r}; pick one key of STATEMENTS."
    why_not = {
        "one_sided": 'Both are two-sided here: you pass alternative="two-sided" (and it is '
        "solve_power's default). A one-sided size would be about 3,021, not a few users less.",
        "t_distribution": "NormalIndPower uses the normal distribution (TTestIndPower is the "
        "t-test one), and with thousands of users t and normal agree anyway.",
        "rounding": "Print the sizes before rounding: about 3,838.1 by hand and 3,834.6 by "
        "statsmodels. They differ before any rounding.",
        "pooled_variance": "Pooling the variance (the textbook variant) gives MORE users, "
        "about 3,841, while statsmodels gives fewer.",
    }
    assert answer == "arcsine_scale", (
        f"{why_not.get(answer, 'That does not explain it.')} Look at what "
        "proportion_effectsize(0.12, 0.10) returns: not 0.02."
    )


def _srm(exercise, *args, **kwargs) -> tuple[float, bool]:
    try:
        result = exercise.srm_check(*args, **kwargs)
    except NotImplementedError:
        raise
    except ValueError as error:
        if "sum" not in str(error):
            raise
        raise AssertionError(
            f"srm_check{args} raised ValueError: {str(error)[:200]} The expected values must "
            "be COUNTS that add up to the observed total: total * (1 - expected_share) and "
            "total * expected_share, not the shares themselves."
        ).with_traceback(error.__traceback__) from None
    try:
        p_value, mismatch = result
    except (TypeError, ValueError):
        raise AssertionError(
            f"srm_check returned {result!r}; expected a pair (p_value, mismatch)."
        ) from None
    assert isinstance(p_value, numbers.Real), f"srm_check's p-value is {p_value!r}; a float."
    assert isinstance(mismatch, bool | np.bool_), (
        f"srm_check's mismatch is {mismatch!r}; expected True or False."
    )
    return float(p_value), bool(mismatch)


def _chisquare_p(n_control, n_treatment, share) -> float:
    total = n_control + n_treatment
    expected = [total * (1 - share), total * share]
    return float(chisquare([n_control, n_treatment], f_exp=expected).pvalue)


def test_srm_check_on_a_50_50_design(exercise):
    """srm_check: chi-square p-value of the split; 5,000 vs 5,400 is a mismatch at alpha 0.001"""
    for counts, mismatch in [((5000, 5050), False), ((5000, 5300), False), ((5400, 5000), True)]:
        p_value, got = _srm(exercise, *counts)
        expected = _chisquare_p(*counts, 0.5)
        assert p_value == pytest.approx(expected, rel=1e-6, abs=1e-12), (
            f"srm_check{counts} gave the p-value {p_value:.6g}; the chi-square test of those "
            f"counts against a 50/50 split gives {expected:.6g} (scipy.stats.chisquare)."
        )
        assert got is mismatch, (
            f"srm_check{counts} said mismatch={got} with p = {p_value:.3g} and the default "
            f"alpha 0.001; a mismatch is a p-value below alpha."
        )


def _same_p(a: float, b: float) -> bool:
    return a == pytest.approx(b, rel=1e-6, abs=1e-12)


def test_srm_check_on_an_unequal_design(exercise):
    """srm_check for a design sending 20%, 30% or 45% to treatment (rejects a 50/50 assumption)"""
    cases = [
        ((8000, 2000), 0.2, False),
        ((8200, 1800), 0.2, True),
        ((7000, 3000), 0.3, False),
        ((7100, 2900), 0.3, False),
        ((3000, 7000), 0.3, True),  # the arms swapped: right for 70%, not for 30%
        ((5050, 4950), 0.45, True),  # right for 50/50, far off for 45%
    ]
    p_values = [_srm(exercise, *counts, expected_share=share) for counts, share, _ in cases]
    # Which wrong share explains EVERY p-value? (On some cases the two give the same p.)
    swapped = all(
        _same_p(p_value, _chisquare_p(*counts, 1 - share))
        for (counts, share, _), (p_value, _) in zip(cases, p_values, strict=True)
    )
    half = all(
        _same_p(p_value, _chisquare_p(*counts, 0.5))
        for (counts, share, _), (p_value, _) in zip(cases, p_values, strict=True)
    )
    for (counts, share, mismatch), (p_value, got) in zip(cases, p_values, strict=True):
        expected = _chisquare_p(*counts, share)
        message = (
            f"srm_check{counts} with expected_share={share} (that share of users goes to "
            f"treatment) gave p = {p_value:.6g}; expected {expected:.6g}."
        )
        if swapped:
            message += (
                f" That tests {1 - share:g} for treatment, the share for CONTROL: "
                "expected_share is treatment's, so the expected counts are "
                "[total * (1 - expected_share), total * expected_share]."
            )
        elif half:
            message += (
                " That ignores expected_share and always tests a 50/50 split: expect "
                "total * (1 - expected_share) control users and total * expected_share "
                "treatment users."
            )
        assert _same_p(p_value, expected), message
        assert got is mismatch, (
            f"srm_check{counts}, expected_share={share}: p = {p_value:.3g}, so mismatch should "
            f"be {mismatch} at alpha 0.001."
        )


def test_srm_check_uses_its_alpha(exercise):
    """srm_check flags a p-value below its alpha; a p-value equal to alpha is no mismatch"""
    p_value, mismatch = _srm(exercise, 5000, 5300)
    assert not mismatch, f"srm_check(5000, 5300) with p = {p_value:.4f} > 0.001 flagged SRM."
    _, mismatch = _srm(exercise, 5000, 5300, alpha=0.01)
    assert mismatch, (
        f"srm_check(5000, 5300, alpha=0.01) said no mismatch, but p = {p_value:.4f} is below "
        "0.01: use the alpha you are given."
    )
    _, mismatch = _srm(exercise, 7100, 2900, expected_share=0.3, alpha=0.05)
    assert mismatch, (
        "srm_check(7100, 2900, expected_share=0.3, alpha=0.05) said no mismatch, but its "
        "p-value is about 0.029, below 0.05."
    )
    _, mismatch = _srm(exercise, 5000, 5300, alpha=p_value)
    assert not mismatch, (
        f"With alpha equal to the p-value ({p_value!r}), srm_check flagged a mismatch; only a "
        "p-value strictly below alpha is one (<, not <=)."
    )
    _, mismatch = _srm(exercise, 5000, 5300, alpha=p_value * 1.000001)
    assert mismatch, "With alpha just above the p-value, srm_check said no mismatch."


def _decide(exercise, *args, **kwargs) -> str:
    outcomes = {exercise.KEEP_COLLECTING, exercise.SHIP, exercise.KEEP_CONTROL}
    got = exercise.decide(*args, **kwargs)
    assert got in outcomes and len(outcomes) == 3, (
        f"decide returned {got!r}; return one of KEEP_COLLECTING, SHIP and KEEP_CONTROL."
    )
    return got


def test_decide_never_peeks(exercise):
    """decide keeps collecting until BOTH groups reach the plan, however small the p-value"""
    for args in [
        (300, 2000, 420, 2000, PLANNED),
        (384, PLANNED, 520, PLANNED - 1, PLANNED),
        (384, PLANNED - 1, 520, PLANNED, PLANNED),
        (384, PLANNED - 1, 520, PLANNED + 40, PLANNED),
        (100, 999, 150, 999, 1000),
    ]:
        got = _decide(exercise, *args)
        assert got == exercise.KEEP_COLLECTING, (
            f"decide{args} returned {got!r} with {args[1]:,} and {args[3]:,} users against a "
            f"plan of {args[4]:,} per group. The p-value looks convincing, but stopping the "
            "first time it dips below alpha makes false alarms far more likely: KEEP_COLLECTING "
            "until both groups have reached planned_per_group."
        )


def test_decide_at_the_planned_size(exercise):
    """decide decides once both groups have reached the plan, exactly or beyond"""
    for args in [
        (384, PLANNED, 480, PLANNED, PLANNED),
        (450, 4500, 540, 4500, PLANNED),
        (100, 1000, 150, 1000, 1000),
    ]:
        got = _decide(exercise, *args)
        assert got == exercise.SHIP, (
            f"decide{args} returned {got!r}: both groups have reached the plan of {args[4]:,} "
            f"and the treatment converts {args[2] / args[3]:.1%} against {args[0] / args[1]:.1%} "
            "(p < 0.01): SHIP."
        )


def test_decide_ships_only_a_significant_improvement(exercise):
    """decide ships only a significantly better treatment (rejects shipping any lift or a loss)"""
    cases = [
        ((384, PLANNED, 410, PLANNED, PLANNED), "a lift of 0.7 points, p = 0.33: not significant"),
        ((384, PLANNED, 300, PLANNED, PLANNED), "a significant DROP (p < 0.001)"),
    ]
    for args, what in cases:
        got = _decide(exercise, *args)
        assert got == exercise.KEEP_CONTROL, (
            f"decide{args} returned {got!r} for {what}. SHIP only when the p-value is below "
            "alpha AND the treatment converts better; otherwise KEEP_CONTROL."
        )


def test_decide_compares_rates_not_counts(exercise):
    """decide compares conversion RATES of unequal groups (rejects comparing conversion counts)"""
    cases = [
        ((800, 8000, 280, 2000, 2000), exercise.SHIP, "14.0% against 10.0%, p < 0.001"),
        ((240, 2000, 700, 8000, 2000), exercise.KEEP_CONTROL, "8.8% against 12.0%, p < 0.001"),
    ]
    for args, wanted, what in cases:
        got = _decide(exercise, *args)
        assert got == wanted, (
            f"decide{args} returned {got!r}: the groups differ in size, and the treatment "
            f"converts {what}, though it has {'fewer' if args[2] < args[0] else 'more'} "
            "conversions. Compare the rates, conversions / users, never the counts."
        )


def test_decide_uses_the_pooled_z_test(exercise):
    """decide runs the pooled two-proportion z-test (rejects the unpooled Wald z)"""
    cases = [  # unequal groups, close to alpha: pooled and unpooled disagree
        ((1000, 10000, 230, 2000, 2000), "SHIP", "0.043", "0.053"),
        ((200, 2000, 1150, 10000, 2000), "KEEP_CONTROL", "0.053", "0.043"),
    ]
    for args, wanted, pooled, unpooled in cases:
        got = _decide(exercise, *args)
        assert got == getattr(exercise, wanted), (
            f"decide{args} returned {got!r}: the pooled z-test gives p = {pooled}, so "
            f"{wanted} at alpha 0.05. An unpooled z (each group's own variance, the "
            f"Wald test) gives {unpooled}. Under the null hypothesis both groups share one "
            "rate, so the test pools them: (conversions_c + conversions_t) / (n_c + n_t) "
            "(statsmodels' proportions_ztest does it)."
        )


def test_decide_is_two_sided_and_uses_alpha(exercise):
    """decide runs a two-sided z-test at its alpha (rejects a one-sided test)"""
    args = (384, PLANNED, 432, PLANNED, PLANNED)  # z = 1.78: p = 0.038 one-sided, 0.075 two
    got = _decide(exercise, *args)
    assert got == exercise.KEEP_CONTROL, (
        f"decide{args} returned {got!r}: the two-sided p-value is 0.075 (one-sided 0.038). The "
        "test is two-sided, so at alpha 0.05 this is no significant difference: KEEP_CONTROL."
    )
    got = _decide(exercise, *args, alpha=0.10)
    assert got == exercise.SHIP, (
        f"decide{args}, alpha=0.10 returned {got!r}: p = 0.075 is below 0.10, so SHIP. Use the "
        "alpha you are given."
    )
    args = (384, PLANNED, 445, PLANNED, PLANNED)  # p = 0.025
    assert _decide(exercise, *args) == exercise.SHIP, (
        f"decide{args} should SHIP: the two-sided p-value is 0.025, below 0.05."
    )
    got = _decide(exercise, *args, alpha=0.01)
    assert got == exercise.KEEP_CONTROL, (
        f"decide{args}, alpha=0.01 returned {got!r}: p = 0.025 is not below 0.01, so "
        "KEEP_CONTROL. Use the alpha you are given."
    )
