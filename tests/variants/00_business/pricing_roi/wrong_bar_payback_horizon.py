"""WRONG: max_share_worsened asks for payback within months, forgetting running costs after it."""

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class PricingCase:
    """The business case for suggested prices; money in US dollars."""

    listings_per_month: int  # listings that get a suggested price each month
    share_improved: float  # share of listings where the suggestion beats the seller's own guess
    gain_per_improved_usd: float  # what PokéMarket earns extra on each improved listing
    share_worsened: float  # share of listings where the suggestion is badly wrong
    loss_per_worsened_usd: float  # what each badly wrong suggestion costs PokéMarket
    build_cost_usd: float  # one-off: your time, data work, reviews
    run_cost_per_month_usd: float  # serving, monitoring, retraining, on-call


POKEMARKET = PricingCase(
    listings_per_month=50_000,
    share_improved=0.30,
    gain_per_improved_usd=1.20,
    share_worsened=0.05,
    loss_per_worsened_usd=4.00,
    build_cost_usd=60_000,
    run_cost_per_month_usd=3_000,
)


def monthly_value(case: PricingCase) -> float:
    """Dollars a month that suggested prices earn, after what the wrong ones cost."""
    per_listing = (
        case.share_improved * case.gain_per_improved_usd
        - case.share_worsened * case.loss_per_worsened_usd
    )
    return case.listings_per_month * per_listing


def monthly_net(case: PricingCase) -> float:
    """Monthly value minus the monthly running cost."""
    return monthly_value(case) - case.run_cost_per_month_usd


def payback_months(case: PricingCase) -> float:
    """Months of net value needed to repay the build cost; math.inf if it never pays back."""
    net = monthly_net(case)
    if net <= 0:
        return math.inf
    return case.build_cost_usd / net


def roi(case: PricingCase, months: int) -> float:
    """(total value - total cost) / total cost over `months` months, as a ratio (0.25 = 25%)."""
    total_value = months * monthly_value(case)
    total_cost = case.build_cost_usd + months * case.run_cost_per_month_usd
    return (total_value - total_cost) / total_cost


def max_share_worsened(case: PricingCase, months: int) -> float | None:
    """The largest share_worsened with roi(case, months) >= 0; None if no share is low enough."""
    # ROI >= 0 when months x value >= build + months x running, i.e. when each month's value
    # covers the running cost and its share of the build cost.
    needed_per_listing = (case.build_cost_usd / months) / case.listings_per_month
    room = case.share_improved * case.gain_per_improved_usd - needed_per_listing
    if room < 0:
        return None
    return room / case.loss_per_worsened_usd


if __name__ == "__main__":
    months = payback_months(POKEMARKET)
    print(f"value per month: ${monthly_value(POKEMARKET):,.0f}")
    print("payback:", "never" if math.isinf(months) else f"{months:.1f} months")
    print(f"ROI after two years: {roi(POKEMARKET, 24):.0%}")
    bar = max_share_worsened(POKEMARKET, 24)
    print("break even in two years:", "never" if bar is None else f"up to {bar:.2%} badly wrong")
