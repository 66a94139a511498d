"""Wrong: decide's z-test by hand uses each group's own variance, not the pooled rate."""

import math

from scipy.stats import chisquare, norm
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize

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

WHY_THEY_DIFFER = "arcsine_scale"


def sample_size_per_group(
    p_control: float, p_treatment: float, alpha: float = 0.05, power: float = 0.8
) -> int:
    """Users needed in each group (two-sided, normal approximation), rounded up."""
    for rate in (p_control, p_treatment):
        if not 0 < rate < 1:
            raise ValueError(f"a rate must be strictly between 0 and 1, got {rate}")
    if p_control == p_treatment:
        raise ValueError("the two rates must differ")
    z_alpha = norm.ppf(1 - alpha / 2)
    z_power = norm.ppf(power)
    variance = p_control * (1 - p_control) + p_treatment * (1 - p_treatment)
    n = (z_alpha + z_power) ** 2 * variance / (p_treatment - p_control) ** 2
    return math.ceil(n)


def sample_size_statsmodels(
    p_control: float, p_treatment: float, alpha: float = 0.05, power: float = 0.8
) -> int:
    """Users needed in each group, by statsmodels' NormalIndPower, rounded up."""
    effect_size = proportion_effectsize(p_treatment, p_control)
    n = NormalIndPower().solve_power(
        effect_size=effect_size, alpha=alpha, power=power, ratio=1.0, alternative="two-sided"
    )
    return math.ceil(n)


def srm_check(
    n_control: int, n_treatment: int, expected_share: float = 0.5, alpha: float = 0.001
) -> tuple[float, bool]:
    """(p_value, mismatch): does the split match the design's share of treatment users?"""
    total = n_control + n_treatment
    expected = [total * (1 - expected_share), total * expected_share]
    p_value = float(chisquare([n_control, n_treatment], f_exp=expected).pvalue)
    return p_value, p_value < alpha


def decide(
    conversions_control: int,
    n_control: int,
    conversions_treatment: int,
    n_treatment: int,
    planned_per_group: int,
    alpha: float = 0.05,
) -> str:
    """KEEP_COLLECTING before both groups reach the plan; then SHIP or KEEP_CONTROL."""
    if n_control < planned_per_group or n_treatment < planned_per_group:
        return KEEP_COLLECTING
    rate_t = conversions_treatment / n_treatment
    rate_c = conversions_control / n_control
    se = math.sqrt(rate_t * (1 - rate_t) / n_treatment + rate_c * (1 - rate_c) / n_control)
    p_value = 2 * norm.sf(abs(rate_t - rate_c) / se)
    treatment_better = conversions_treatment / n_treatment > conversions_control / n_control
    if p_value < alpha and treatment_better:
        return SHIP
    return KEEP_CONTROL


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
