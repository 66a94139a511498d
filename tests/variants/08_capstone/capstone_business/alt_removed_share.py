"""Alternative: the bar as a share of the baseline removed, break-even from the net's line.

Capstone: the business case, as code

Before the first line of the pipeline, PokéMarket's head of product asked two questions: "How
will we know the model is good enough to ship?" and "What is it worth, and when does it pay for
itself?" Your answers are this file, and the rest of the capstone leans on them: judge the MAE
of evaluation.py with success_criterion, quote the bar and the payback in the model card, and
let the runbook retrain when the error drifts past the bar.

The agreed assumptions are in POKEMARKET (a BusinessCase; money in US dollars, MAE in dollars
per listing, time in months):

- A suggested price helps a listing sell: every dollar of mean absolute error removed from the
  suggestions adds `sales_per_dollar` extra sales per listing (conversion up 0.4 percentage
  points per dollar), and PokéMarket earns `commission_usd` on each sale. The effect is taken
  as linear in the dollars of error removed: a fair approximation for the few dollars a
  better model removes, not for a hundred.
- A model that is WORSE than what sellers had (a higher MAE) loses those sales: the same
  formula, negative.
- Running the model (serving, monitoring, retraining, on-call) costs `run_cost_per_month_usd`
  every month; building it cost `build_cost_usd` once.
- The model ships only if it cuts the per-rarity median baseline's dollar MAE by at least
  `required_improvement` (10%): beating the baseline by a cent is noise, not a product.

Write (every function takes the assumptions as `case`, POKEMARKET by default, and uses every
field it needs from it, never a number of its own):

- success_criterion(model_mae, baseline_mae, case): True when the model's dollar MAE is at
  most (1 - required_improvement) x the baseline's (exactly at the bar counts as a success;
  equal to the baseline does not, unless required_improvement is 0). A negative, infinite or
  NaN MAE is a bug upstream, not a verdict: raise ValueError.
- monthly_value(mae_before, mae_after, case): the dollars a month that moving the suggestions'
  MAE from mae_before to mae_after earns: listings x dollars of MAE removed x extra sales per
  listing per dollar x commission. Negative when mae_after is above mae_before.
- monthly_net(mae_before, mae_after, case): that value minus the monthly running cost.
- payback_months(mae_before, mae_after, case): the months of net value it takes to repay the
  build cost (a float, not rounded); math.inf when the monthly net is zero or negative.
- break_even_mae(mae_before, case): the model MAE at which the monthly net is exactly zero: a
  model must do better than this to pay its running cost. It may be below 0 (then no model
  can pay its way).

Done when: the bar is right at its boundary, the money moves the right way with every
assumption (more listings, more value; dearer to run, longer payback; a worse model costs
money), and break-even is where the net crosses zero.

Stuck? Run `mlings hint`.
"""

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class BusinessCase:
    """The agreed assumptions behind suggested prices (no need to change this class)."""

    listings_per_month: int  # listings that get a suggested price each month
    sales_per_dollar: float  # extra sales per listing for each dollar of MAE removed
    commission_usd: float  # what PokéMarket earns on one sale
    run_cost_per_month_usd: float  # serving, monitoring, retraining, on-call
    build_cost_usd: float  # one-off: your time, data work, reviews
    required_improvement: float  # share of the baseline's dollar MAE the model must remove


POKEMARKET = BusinessCase(
    listings_per_month=50_000,
    sales_per_dollar=0.004,
    commission_usd=2.00,
    run_cost_per_month_usd=1_500,
    build_cost_usd=36_000,
    required_improvement=0.10,
)


def _finite_mae(*maes: float) -> None:
    """Refuse what cannot be a mean absolute error."""
    for mae in maes:
        if not math.isfinite(mae) or mae < 0:
            raise ValueError(f"an MAE is finite and at least 0, not {mae!r}: a bug upstream")


def success_criterion(
    model_mae: float, baseline_mae: float, case: BusinessCase = POKEMARKET
) -> bool:
    """Whether the model's dollar MAE clears the bar: required_improvement below the baseline's."""
    _finite_mae(model_mae, baseline_mae)
    removed = baseline_mae - model_mae
    return removed >= case.required_improvement * baseline_mae


def _dollars_per_mae_dollar(case: BusinessCase) -> float:
    """Commission a month for each dollar of MAE removed, across all listings."""
    extra_sales = case.listings_per_month * case.sales_per_dollar
    return extra_sales * case.commission_usd


def monthly_value(mae_before: float, mae_after: float, case: BusinessCase = POKEMARKET) -> float:
    """Dollars a month earned by moving the suggestions' MAE from mae_before to mae_after."""
    return _dollars_per_mae_dollar(case) * (mae_before - mae_after)


def monthly_net(mae_before: float, mae_after: float, case: BusinessCase = POKEMARKET) -> float:
    """The monthly value minus the monthly running cost, in dollars."""
    return monthly_value(mae_before, mae_after, case) - case.run_cost_per_month_usd


def payback_months(mae_before: float, mae_after: float, case: BusinessCase = POKEMARKET) -> float:
    """Months of net value needed to repay the build cost; math.inf if it never pays back."""
    net = monthly_net(mae_before, mae_after, case)
    return case.build_cost_usd / net if net > 0 else math.inf


def break_even_mae(mae_before: float, case: BusinessCase = POKEMARKET) -> float:
    """The model MAE at which the monthly value exactly covers the running cost."""
    # monthly_net is linear in the model's MAE: find where the line through two of its
    # points crosses zero.
    net_same = monthly_net(mae_before, mae_before, case)  # no error removed: -run cost
    net_one_better = monthly_net(mae_before, mae_before - 1.0, case)
    slope = net_one_better - net_same  # dollars of net per dollar of MAE removed
    return mae_before - (-net_same) / slope


if __name__ == "__main__":
    baseline, model = 24.80, 15.30  # illustrative dollar MAEs: run evaluation.py for yours
    try:
        ships = success_criterion(model, baseline)
        months = payback_months(baseline, model)
        print(f"baseline MAE ${baseline:.2f}, model MAE ${model:.2f}: ships? {ships}")
        print(f"worth ${monthly_value(baseline, model):,.0f}/month before running costs,")
        print(f"${monthly_net(baseline, model):,.0f}/month after them")
        print("payback:", "never" if math.isinf(months) else f"{months:.1f} months")
        print(f"break-even: a model MAE of ${break_even_mae(baseline):.2f} just pays its way")
    except NotImplementedError as todo:
        raise SystemExit(f"Not done yet: {todo}") from None
