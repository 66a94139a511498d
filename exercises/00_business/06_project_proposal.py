"""A project proposal for suggested prices

You have your answers: suggested prices need a model, they pay back in about a year, their
error can be read in dollars, and there is an honest baseline to beat. Before you write any
model code, PokéMarket's leadership wants it all on one page, in a form they can hold you to.

A good proposal says what problem you solve and for whom, which decision changes, how you will
know it worked (at three levels: the model's accuracy, the business's money, the users'
experience), what could go wrong and what you will do about it, what you will NOT do, and what
it costs. Every success metric has a number for today and a number that counts as success.

The facts you need are the constants below. Write build_proposal() so that it returns a
Proposal with:

- problem, decision and current_approach: a sentence or two each; users: who uses the output;
- metrics: at least one SuccessMetric at each of the levels in LEVELS, each with a baseline
  (today's value) and a target that beats it; at model level, the price error (MAE, in USD) of
  the per-rarity median baseline and a target below it;
- risks: what could go wrong, each with a mitigation;
- out_of_scope: what this first version will not do;
- the money: monthly value, build cost and running cost, in dollars, as the constants say.

Done when: every part is filled with real content (no "TODO"), the numbers are numbers, every
target beats its baseline, every risk has a mitigation, and the money is the business case's.
The wording is yours.

Stuck? Run `mlings hint`.
"""

from dataclasses import dataclass

LEVELS = ("model", "business", "user")

# What you know, from this module's exercises and from the analytics team.
BASELINE_MAE_USD = 6.40  # the per-rarity median rule's price error on later sales
MONTHLY_VALUE_USD = 8_000.0  # from the ROI exercise
BUILD_COST_USD = 60_000.0
RUN_COST_PER_MONTH_USD = 3_000.0
SOLD_WITHIN_30_DAYS = 0.42  # share of listings that sell within 30 days today
MEDIAN_DAYS_TO_SELL = 11.0
ABANDONED_AT_PRICE_STEP = 0.18  # share of sellers who start a listing and quit at the price step


@dataclass(frozen=True)
class SuccessMetric:
    """One measurable definition of success."""

    level: str  # one of LEVELS
    name: str  # what is measured, and how
    baseline: float  # its value today, without the model
    target: float  # the value that counts as success
    higher_is_better: bool


@dataclass(frozen=True)
class Risk:
    """Something that could go wrong, and what you will do about it."""

    risk: str
    mitigation: str


@dataclass(frozen=True)
class Proposal:
    """A one-page ML project proposal."""

    problem: str  # the business problem, in a sentence or two
    users: list[str]  # who uses the output
    decision: str  # what they will do differently with it
    current_approach: str  # what happens today, without the model
    metrics: list[SuccessMetric]
    risks: list[Risk]
    out_of_scope: list[str]  # what this first version will not do
    monthly_value_usd: float
    build_cost_usd: float
    run_cost_per_month_usd: float


def build_proposal() -> Proposal:
    """The suggested-prices proposal for PokéMarket's leadership."""
    # TODO: return Proposal(problem=..., users=[...], ..., metrics=[SuccessMetric(...), ...],
    #       risks=[Risk(...), ...], ...). Use the constants above for the numbers you know.
    raise NotImplementedError("build_proposal: fill in every part of the Proposal")


if __name__ == "__main__":
    proposal = build_proposal()
    for metric in proposal.metrics:
        print(f"[{metric.level}] {metric.name}: {metric.baseline} -> {metric.target}")
