"""ALTERNATIVE: tuples instead of lists, whole-number percentages and int costs."""

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
        users=("Sellers listing a card",),
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
                baseline=42,
                target=48,
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
                baseline=18,
                target=12,
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
        monthly_value_usd=8_000,
        build_cost_usd=60_000,
        run_cost_per_month_usd=RUN_COST_PER_MONTH_USD,
    )


if __name__ == "__main__":
    proposal = build_proposal()
    for metric in proposal.metrics:
        print(f"[{metric.level}] {metric.name}: {metric.baseline} -> {metric.target}")
