"""ROI of a pricing model

The CFO likes the idea of suggested prices, and asks the question every ML project must answer
before it starts: "What do we get for the money, and when do we get it back?"

Suggested prices help on some listings (the card sells sooner, at a fair price, and PokéMarket
earns its commission) and hurt on others: a badly wrong suggestion means an underpriced card and
an angry seller, or an overpriced card that never sells. Building the model costs money once;
running it (serving, monitoring, retraining, being on call) costs money every month.

POKEMARKET holds the numbers your team agreed on. Write:

- monthly_value:  what better prices earn in a month, net of what wrong prices cost;
- monthly_net:    that value minus the monthly running cost;
- payback_months: how many months of net value it takes to repay the build cost
                  (a float, not rounded); math.inf if the project never pays back;
- roi:            return on investment over a horizon of `months`:
                  (total value - total cost) / total cost, where total cost is the build cost
                  plus `months` of running cost;
- max_share_worsened: the quality bar. The largest share of badly wrong suggestions at which
                  the project still breaks even (roi >= 0) over `months`, everything else as in
                  `case`; None when even a model with no badly wrong suggestion would not.

Done when: the numbers are right for PokéMarket, they move the right way when running costs or
the cost of wrong prices change (a model that does more harm than good never pays back), and
you can tell the team how many badly wrong suggestions the business case can afford.

Stuck? Run `mlings hint`.
"""

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
    # TODO: gains on improved listings minus losses on worsened ones.
    raise NotImplementedError(
        "monthly_value: gains from better prices minus losses from wrong ones"
    )


def monthly_net(case: PricingCase) -> float:
    """Monthly value minus the monthly running cost."""
    # TODO
    raise NotImplementedError("monthly_net: the monthly value minus the running cost")


def payback_months(case: PricingCase) -> float:
    """Months of net value needed to repay the build cost; math.inf if it never pays back."""
    # TODO: think about what happens when the net value is zero or negative.
    raise NotImplementedError("payback_months: build cost over monthly net, or math.inf")


def roi(case: PricingCase, months: int) -> float:
    """(total value - total cost) / total cost over `months` months, as a ratio (0.25 = 25%)."""
    # TODO: total cost = build cost + `months` of running cost.
    raise NotImplementedError("roi: (total value - total cost) / total cost")


def max_share_worsened(case: PricingCase, months: int) -> float | None:
    """The largest share_worsened with roi(case, months) >= 0; None if no share is low enough."""
    # TODO: write roi(case, months) >= 0 out with share_worsened as the unknown, and solve.
    raise NotImplementedError("max_share_worsened: the share_worsened at which roi is exactly 0")


if __name__ == "__main__":
    months = payback_months(POKEMARKET)
    print(f"value per month: ${monthly_value(POKEMARKET):,.0f}")
    print("payback:", "never" if math.isinf(months) else f"{months:.1f} months")
    print(f"ROI after two years: {roi(POKEMARKET, 24):.0%}")
    bar = max_share_worsened(POKEMARKET, 24)
    print("break even in two years:", "never" if bar is None else f"up to {bar:.2%} badly wrong")
