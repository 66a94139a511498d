"""ALTERNATIVE: sklearn metrics, a dict lookup for the baseline, strftime dates, other words."""

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.metrics import mean_absolute_error, root_mean_squared_error

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
    predicted = np.maximum(np.expm1(model.predict(test)), 0)
    rule = train.groupby("rarity")["price_usd"].median().to_dict()
    fallback = train["price_usd"].median()
    baseline = [rule.get(rarity, fallback) for rarity in test["rarity"]]
    return {
        "mae_usd": mean_absolute_error(test["price_usd"], predicted),
        "rmse_usd": root_mean_squared_error(test["price_usd"], predicted),
        "baseline_mae_usd": mean_absolute_error(test["price_usd"], baseline),
    }


def summarize_data(sales: pd.DataFrame) -> DataSummary:
    first, last = sales["sale_date"].agg(["min", "max"])
    return DataSummary(len(sales.index), first.strftime("%Y-%m-%d"), last.strftime("%Y-%m-%d"))


def build_card(model, train: pd.DataFrame, test: pd.DataFrame) -> ModelCard:
    metrics = evaluate(model, train, test)
    gain = metrics["baseline_mae_usd"] - metrics["mae_usd"]
    return ModelCard(
        model_name="pokemarket-price",
        version="2025.1",
        details="Linear model of log price from rarity, printing, condition and PSA grade.",
        intended_use="A starting price shown to sellers while they create a listing.",
        out_of_scope=["Valuing collections or lots for insurance or loans."],
        training_data=summarize_data(train),
        evaluation_data=summarize_data(test),
        metrics=metrics,
        limitations=[
            f"It beats the per-rarity median by only ${gain:,.2f} per sale on average.",
            "Expensive vintage and graded cards carry most of the error.",
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
