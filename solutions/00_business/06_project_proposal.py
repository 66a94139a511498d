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
    return Proposal(
        problem=(
            "Sellers do not know what their cards are worth: underpriced cards lose them money, "
            "overpriced ones sit unsold, and many give up at the price step."
        ),
        users=["Sellers listing a card", "Trust & Safety, who review outlier prices"],
        decision=(
            "The seller sees a suggested price, with a range, when listing a card, and chooses "
            "to accept, adjust or ignore it."
        ),
        current_approach=(
            "Sellers guess, or look up recent sales by hand; the best rule we have is the "
            "median price of past sales of the same rarity."
        ),
        metrics=[
            SuccessMetric(
                level="model",
                name="MAE of the suggested price on the next month's sales, in USD",
                baseline=BASELINE_MAE_USD,
                target=4.50,
                higher_is_better=False,
            ),
            SuccessMetric(
                level="business",
                name="Share of listings that sell within 30 days",
                baseline=SOLD_WITHIN_30_DAYS,
                target=0.48,
                higher_is_better=True,
            ),
            SuccessMetric(
                level="business",
                name="Median days from listing to sale",
                baseline=MEDIAN_DAYS_TO_SELL,
                target=8.0,
                higher_is_better=False,
            ),
            SuccessMetric(
                level="user",
                name="Share of sellers who quit a listing at the price step",
                baseline=ABANDONED_AT_PRICE_STEP,
                target=0.12,
                higher_is_better=False,
            ),
        ],
        risks=[
            Risk(
                risk="Badly wrong prices on rare, valuable cards cost sellers real money.",
                mitigation=(
                    "Show a range, hide the suggestion when the model is unsure or the card is "
                    "above $1,000, and track error by rarity and price band."
                ),
            ),
            Risk(
                risk="Prices drift with hype, so the model goes stale.",
                mitigation="Monitor live error weekly and retrain monthly on recent sales.",
            ),
            Risk(
                risk="Sellers anchor on the suggestion, so future sales echo the model.",
                mitigation="Keep an A/B holdout of sellers who see no suggestion.",
            ),
        ],
        out_of_scope=[
            "Automatic repricing of live listings",
            "Prices for sealed product and lots",
        ],
        monthly_value_usd=MONTHLY_VALUE_USD,
        build_cost_usd=BUILD_COST_USD,
        run_cost_per_month_usd=RUN_COST_PER_MONTH_USD,
    )


if __name__ == "__main__":
    proposal = build_proposal()
    for metric in proposal.metrics:
        print(f"[{metric.level}] {metric.name}: {metric.baseline} -> {metric.target}")
