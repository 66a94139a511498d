"""ALTERNATIVE: metrics and risks built from tables, other metrics and wording, one risk."""

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
    metric_table = [
        # level, name, baseline, target, higher_is_better
        (
            "model",
            "Mean absolute error in dollars, sales after the training cutoff",
            BASELINE_MAE_USD,
            5.00,
            False,
        ),
        ("model", "Share of suggestions within 20% of the final sale price", 0.35, 0.50, True),
        (
            "business",
            "Monthly commission from listings sold within 30 days (USD)",
            120_000,
            120_000 + MONTHLY_VALUE_USD,
            True,
        ),
        (
            "user",
            "Share of sellers who accept or only slightly adjust the suggestion",
            0.0,
            0.4,
            True,
        ),
    ]
    risk_table = {
        "Hype spikes make recent prices jump": "Weight recent sales; alert when error doubles",
    }
    return Proposal(
        problem="Sellers misprice cards: bargains vanish, overpriced cards never sell.",
        users=["Sellers"],
        decision="Whether to list at the suggested price or adjust it.",
        current_approach="No suggestion; the per-rarity median is the baseline to beat.",
        metrics=[SuccessMetric(*row) for row in metric_table],
        risks=[Risk(risk, plan) for risk, plan in risk_table.items()],
        out_of_scope=["Graded vintage cards above $5,000 (v1 shows no suggestion)"],
        monthly_value_usd=MONTHLY_VALUE_USD,
        build_cost_usd=BUILD_COST_USD,
        run_cost_per_month_usd=RUN_COST_PER_MONTH_USD,
    )


if __name__ == "__main__":
    proposal = build_proposal()
    for metric in proposal.metrics:
        print(f"[{metric.level}] {metric.name}: {metric.baseline} -> {metric.target}")
