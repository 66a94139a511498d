"""A model card

The price model is ready to ship, and PokéMarket's review board wants its model card: one page
saying what the model is for and not for, what data it learned from and was tested on, how
well it does against the baseline, and where it falls short. A card is only worth reading if
its numbers are the ones the evaluation produced: typed-in numbers go stale the day someone
retrains, and a card with a stale MAE is worse than no card. So the card is BUILT by code,
from the model and the data, every time.

The model predicts log1p(price_usd) from a sales table (as in "Report in dollars"); report in
dollars. `train` and `test` are sales tables with (at least) `rarity`, `sale_date` and
`price_usd`. Write:

- evaluate:       {"mae_usd", "rmse_usd", "baseline_mae_usd"}: the model's MAE and RMSE in
                  dollars on the TEST sales, and the MAE on the test sales of the per-rarity
                  median baseline fitted on the TRAINING sales (a rarity it never saw gets the
                  overall training median);
- summarize_data: a DataSummary of a sales table: rows, and first and last sale dates as
                  ISO strings ("2021-03-04");
- build_card:     the ModelCard: its metrics from evaluate, its data summaries from
                  summarize_data, and real words (yours) for every text part: what it is,
                  intended use, what it is not for, and at least one limitation.

to_markdown (given) renders the card with the sections of REQUIRED_SECTIONS.

Done when: every section has content (no placeholders), and every number on the card equals
what the evaluation computes on the data it is given.

Stuck? Run `mlings hint`.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

REQUIRED_SECTIONS = (
    "Model details",
    "Intended use",
    "Out of scope",
    "Training data",
    "Evaluation data",
    "Metrics",
    "Limitations",
)
METRIC_NAMES = {
    "mae_usd": "MAE on the evaluation sales (USD)",
    "rmse_usd": "RMSE on the evaluation sales (USD)",
    "baseline_mae_usd": "MAE of the per-rarity median baseline (USD)",
}


@dataclass(frozen=True)
class DataSummary:
    """Which sales a model saw or was scored on."""

    rows: int
    first_sale: str  # ISO date, e.g. "2019-01-02"
    last_sale: str


@dataclass(frozen=True)
class ModelCard:
    """What the review board reads before a model ships."""

    model_name: str
    version: str
    details: str  # what the model is and what it predicts
    intended_use: str
    out_of_scope: list[str]  # uses it is NOT for
    training_data: DataSummary
    evaluation_data: DataSummary
    metrics: dict[str, float]  # the keys of METRIC_NAMES
    limitations: list[str]


def evaluate(model, train: pd.DataFrame, test: pd.DataFrame) -> dict[str, float]:
    """The model's dollar MAE and RMSE on test, and the per-rarity baseline's MAE on test."""
    actual = test["price_usd"].to_numpy(dtype=float)
    predicted = np.clip(np.expm1(model.predict(test)), 0.0, None)
    medians = train.groupby("rarity")["price_usd"].median()
    baseline = test["rarity"].map(medians).fillna(train["price_usd"].median())
    return {
        "mae_usd": float(np.mean(np.abs(actual - predicted))),
        "rmse_usd": float(np.sqrt(np.mean((actual - predicted) ** 2))),
        "baseline_mae_usd": float(np.mean(np.abs(actual - baseline.to_numpy(dtype=float)))),
    }


def summarize_data(sales: pd.DataFrame) -> DataSummary:
    """Rows, first and last sale date (ISO strings) of a sales table."""
    dates = pd.to_datetime(sales["sale_date"])
    return DataSummary(
        rows=len(sales),
        first_sale=dates.min().date().isoformat(),
        last_sale=dates.max().date().isoformat(),
    )


def build_card(model, train: pd.DataFrame, test: pd.DataFrame) -> ModelCard:
    """The model card, with every number computed from the model and the data."""
    return ModelCard(
        model_name="price-suggest",
        version="1.0",
        details=(
            "A ridge regression on one-hot rarity, printing and condition and the PSA grade, "
            "trained on log1p(price_usd); predictions are back-transformed to dollars."
        ),
        intended_use=(
            "Suggest a starting price to sellers when they list a single raw or PSA-graded "
            "Pokémon card on PokéMarket; the seller decides the final price."
        ),
        out_of_scope=[
            "Appraisals for insurance, loans or tax: the error on valuable cards is large.",
            "Lots, sealed product, or cards graded by anyone but PSA.",
            "Rarities or sets released after the training data ends.",
        ],
        training_data=summarize_data(train),
        evaluation_data=summarize_data(test),
        metrics=evaluate(model, train, test),
        limitations=[
            "Errors grow with the price: a few vintage slabs carry most of the dollar error.",
            "It knows no card identity, set hype or market trend, so it misses hype spikes.",
            "Prices back-transformed from log space run low on average for expensive cards.",
        ],
    )


def to_markdown(card: ModelCard) -> str:
    """The card as markdown, one section per part (no need to change this function)."""

    def data(summary: DataSummary) -> str:
        return f"{summary.rows:,} sales from {summary.first_sale} to {summary.last_sale}."

    metrics = [f"| {METRIC_NAMES.get(k, k)} | ${v:,.2f} |" for k, v in card.metrics.items()]
    parts = {
        "Model details": card.details,
        "Intended use": card.intended_use,
        "Out of scope": "\n".join(f"- {item}" for item in card.out_of_scope),
        "Training data": data(card.training_data),
        "Evaluation data": data(card.evaluation_data),
        "Metrics": "\n".join(["| metric | value |", "|---|---|", *metrics]),
        "Limitations": "\n".join(f"- {item}" for item in card.limitations),
    }
    sections = [f"## {title}\n\n{text.strip()}\n" for title, text in parts.items()]
    return f"# Model card: {card.model_name} {card.version}\n\n" + "\n".join(sections)


if __name__ == "__main__":
    from pathlib import Path

    from sklearn.compose import make_column_transformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder

    data_dir = Path(__file__).resolve().parents[2] / "data"
    sales = pd.read_csv(data_dir / "sales_clean.csv", parse_dates=["sale_date"])
    train, test = (
        sales[sales["sale_date"] < "2024-01-01"],
        sales[sales["sale_date"] >= "2024-01-01"],
    )
    features = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore"), ["rarity", "variant", "condition"]),
        (SimpleImputer(strategy="constant", fill_value=0.0), ["psa_grade"]),
    )
    model = make_pipeline(features, Ridge()).fit(train, np.log1p(train["price_usd"]))
    print(to_markdown(build_card(model, train, test)))
