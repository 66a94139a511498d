"""Design the A/B test before you run it

The new price suggestions are ready, and PokéMarket will test them against the old ones on
real sellers. Today 10% of new listings sell within 30 days (the conversion); the product team
hopes the new suggestions lift that to 12%. Each new seller is assigned at random: control
keeps the old suggestions, treatment gets the new ones.

An A/B test is designed before it starts, and three mistakes ruin most of them:

1. Too few users. Fix the sample size first, from the smallest lift worth detecting, the
   significance level alpha (the chance of a false alarm when nothing changed; two-sided,
   because the new suggestions could also hurt) and the power (the chance of detecting the
   lift if it is real). Round UP: 1,234.2 users means 1,235, or the test has less power than
   planned.
2. A broken split. When a 50/50 design ends up with 5,000 and 5,400 users, something (a
   redirect, a bot filter, a crash in one arm) is losing users, and the two groups are no longer
   alike. A sample-ratio mismatch (SRM) check, a chi-square test of the counts against the
   design, catches it. It uses a strict alpha of 0.001, because it runs on every test, every
   day.
3. Peeking. Looking at the p-value every day and stopping the first time it dips below 0.05
   makes a false alarm several times more likely than 5%. Decide once, when both groups have
   reached the planned size.

Write:

- sample_size_per_group:   the users needed in EACH group to detect a change from p_control to
                           p_treatment with a two-sided test at level alpha and the given power,
                           by the normal approximation with each group's own variance:
                               n = (z(1 - alpha/2) + z(power))² · (p_c(1 - p_c) + p_t(1 - p_t))
                                   / (p_t - p_c)²
                           where z(q) = scipy.stats.norm.ppf(q), rounded up to a whole user and
                           returned as an int. (The textbook variant that uses the pooled rate
                           (p_c + p_t) / 2 in the alpha term gives a few users more; it is
                           accepted too.) Raises ValueError unless both rates are strictly
                           between 0 and 1 and differ (10% is 0.10, not 10);
- sample_size_statsmodels: the same question answered by statsmodels: the effect size
                           proportion_effectsize(p_treatment, p_control), then nobs1 from
                           NormalIndPower().solve_power(effect_size=..., alpha=alpha,
                           power=power, ratio=1.0, alternative="two-sided"), rounded up to an
                           int;
- WHY_THEY_DIFFER:         the key of the statement in STATEMENTS that explains why the two
                           sizes differ by a few users;
- srm_check:               (p_value, mismatch) for the traffic split: the p-value of a
                           chi-square goodness-of-fit test (scipy.stats.chisquare) of the
                           observed counts [n_control, n_treatment] against the counts the
                           design expects, total · (1 - expected_share) and total ·
                           expected_share, where total = n_control + n_treatment and
                           expected_share is the share of users the design sends to TREATMENT;
                           mismatch is True when the p-value is below alpha, else False;
- decide:                  what to do with the test today: KEEP_COLLECTING while either group
                           has fewer than planned_per_group users, however small the p-value
                           looks. Once both have at least planned_per_group: a two-sided
                           two-proportion z-test of the conversion rates (pooled, e.g.
                           statsmodels' proportions_ztest); SHIP when its p-value is below alpha
                           and the treatment converts better, otherwise KEEP_CONTROL (it is
                           significantly worse, or there is no significant difference).

Done when: the sample sizes are right for any rates, alpha and power, an unbalanced split is
caught for any designed share, and no decision is taken before the planned size.

Stuck? Run `mlings hint`.
"""

import math  # noqa: F401 (you will need it)

from scipy.stats import chisquare, norm  # noqa: F401 (you will need them)
from statsmodels.stats.power import NormalIndPower  # noqa: F401 (you will need it)
from statsmodels.stats.proportion import (  # noqa: F401 (you will need them)
    proportion_effectsize,
    proportions_ztest,
)

KEEP_COLLECTING = "keep collecting"
SHIP = "ship"
KEEP_CONTROL = "keep control"

STATEMENTS = {
    "one_sided": (
        "solve_power tests one side only unless told otherwise, so statsmodels needs fewer "
        "users than the two-sided formula."
    ),
    "t_distribution": (
        "statsmodels uses Student's t distribution, whose quantiles differ from the normal "
        "quantiles of the hand formula."
    ),
    "rounding": (
        "Both compute the same number of users; they only round it differently to a whole user."
    ),
    "pooled_variance": (
        "statsmodels pools the two groups' variances into one, as if the null hypothesis were "
        "true, where the hand formula keeps each group's own variance."
    ),
    "arcsine_scale": (
        "statsmodels measures the effect on the arcsine-square-root scale (Cohen's h), where a "
        "rate's variance no longer depends on the rate; the hand formula works on the raw "
        "difference with binomial variances."
    ),
}

# TODO: the key of STATEMENTS that explains the difference.
WHY_THEY_DIFFER = ""


def sample_size_per_group(
    p_control: float, p_treatment: float, alpha: float = 0.05, power: float = 0.8
) -> int:
    """Users needed in each group (two-sided, normal approximation), rounded up."""
    # TODO: validate the rates, then the formula of the docstring.
    raise NotImplementedError("sample_size_per_group: z quantiles from norm.ppf, then round up")


def sample_size_statsmodels(
    p_control: float, p_treatment: float, alpha: float = 0.05, power: float = 0.8
) -> int:
    """Users needed in each group, by statsmodels' NormalIndPower, rounded up."""
    # TODO
    raise NotImplementedError("sample_size_statsmodels: proportion_effectsize, then solve_power")


def srm_check(
    n_control: int, n_treatment: int, expected_share: float = 0.5, alpha: float = 0.001
) -> tuple[float, bool]:
    """(p_value, mismatch): does the split match the design's share of treatment users?"""
    # TODO: the expected counts must add up to the observed total.
    raise NotImplementedError("srm_check: chisquare(observed, f_exp=expected counts)")


def decide(
    conversions_control: int,
    n_control: int,
    conversions_treatment: int,
    n_treatment: int,
    planned_per_group: int,
    alpha: float = 0.05,
) -> str:
    """KEEP_COLLECTING before both groups reach the plan; then SHIP or KEEP_CONTROL."""
    # TODO: no peeking first; then the two-sided z-test and the direction of the difference.
    raise NotImplementedError("decide: wait for the planned size, then test")


if __name__ == "__main__":
    from pathlib import Path

    import numpy as np
    import pandas as pd

    data = Path(__file__).resolve().parents[2] / "data"
    sales = pd.read_csv(data / "sales_clean.csv", parse_dates=["sale_date"])
    ours = sales[(sales["platform"] == "PokéMarket") & (sales["sale_date"].dt.year == 2024)]
    per_day = len(ours) / 366 / 0.10  # 2024's sales are the 10% of listings that converted
    n = sample_size_per_group(0.10, 0.12)
    print(f"{n:,} listings per group (statsmodels: {sample_size_statsmodels(0.10, 0.12):,})")
    print(f"at 2024's {per_day:.0f} new PokéMarket listings a day: {2 * n / per_day:.0f} days")

    rng = np.random.default_rng(151)  # one simulated test in which the lift is real
    listings = round(per_day * 360)
    treated = rng.random(listings) < 0.5
    converted = rng.random(listings) < np.where(treated, 0.12, 0.10)
    for day in (30, 90, 180, 270, 360):
        seen = slice(0, round(per_day * day))
        n_treatment = int(treated[seen].sum())
        n_control = len(treated[seen]) - n_treatment
        conversions_treatment = int((converted[seen] & treated[seen]).sum())
        conversions_control = int((converted[seen] & ~treated[seen]).sum())
        p_srm, mismatch = srm_check(n_control, n_treatment)
        verdict = decide(conversions_control, n_control, conversions_treatment, n_treatment, n)
        print(
            f"day {day}: {n_control:,} vs {n_treatment:,} listings (SRM p {p_srm:.2f}, "
            f"mismatch {mismatch}), conversion {conversions_control / n_control:.1%} vs "
            f"{conversions_treatment / n_treatment:.1%}: {verdict}"
        )
