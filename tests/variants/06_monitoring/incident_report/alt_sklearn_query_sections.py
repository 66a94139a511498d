"""Alternative: sklearn's mean_absolute_error on query()-selected frames, normalize()d dates.

Write it down so it never happens again

The incident is over. On a Monday morning the weekly drift report raised an alert on one
ingestion batch: its prices were about a hundred times the usual. The card-data supplier had
changed its feed, and for that week price_usd arrived in cents. The batch had gone into the
dashboards and into the table the price model learns from, and the model's error on it looked
catastrophic. You reloaded the batch in dollars; now PokéMarket wants the incident report.

A report is worth writing only if the next engineer can trust it. Its numbers must be the
incident's numbers, computed from the evidence: a count typed in from memory is wrong the next
time the same thing happens to another batch. And it must name the cause, not the symptom:
"the MAE went up" is what you saw; the cause is what changed upstream, and only the cause
tells the team what to fix and which check to add so it never happens again.

The evidence (given) holds the sales as they were ingested, with the price the model suggested
for each (predicted_usd), the batch the alert named, when the alert reached you and when the
fix was in. Batch ids are ISO weeks ("2025-W36"), so they sort in time order as strings.

Write:

- measure:      the incident's numbers, as IncidentNumbers: the batch the alert named
                (batch_id); rows_affected, the number of sales in that batch; first_sale and
                last_sale, its first and last sale dates as ISO strings ("2025-09-01"); the
                MAE in dollars of predicted_usd against price_usd as ingested, over all the
                sales of the batches before that batch (mae_before_usd), of that batch
                (mae_during_usd) and of the batches after it (mae_after_usd); and
                detection_delay_days, the whole days from its first sale date to detected_at;
- write_report: the report as Markdown: one "## <title>" header for each title of SECTIONS,
                in that order, each followed by real text (yours, no placeholders), with the
                numbers of measure(evidence):
                  Summary     names the batch id;
                  Impact      the rows affected, and the MAE before, during and after, each
                              in dollars with cents as usd() writes them ("$1,234.56");
                  Timeline    the ISO dates of the batch's first and last sale, of the
                              detection (detected_at) and of the fix (fixed_at);
                  Root cause  the cause, not the symptom: the prices arrived in cents (say
                              "cents") because of a change upstream (say "upstream" or
                              "schema");
                  Detection   how it was found, and the delay as "<N> days";
                  Fix         what was done;
                  Follow-ups  a Markdown list ("- ..."), every item an action with its owner
                              written "owner: <team or person>", at least one of them adding an
                              automated check (say "check", "test", "alert" or "validation").

Done when: every section is there with real text, and every number in the report is the one
the evidence gives, whichever batch broke.

Stuck? Run `mlings hint`.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.metrics import mean_absolute_error

SECTIONS = (
    "Summary",
    "Impact",
    "Timeline",
    "Root cause",
    "Detection",
    "Fix",
    "Follow-ups",
)


@dataclass(frozen=True)
class Evidence:
    """What the incident left behind."""

    sales: pd.DataFrame  # as ingested: batch_id, sale_date, price_usd, predicted_usd, ...
    alert_batch: str  # the batch the alert named, e.g. "2025-W36"
    detected_at: pd.Timestamp  # when the alert reached the on-call engineer
    fixed_at: pd.Timestamp  # when the repaired batch was back in place


@dataclass(frozen=True)
class IncidentNumbers:
    """The numbers of the report."""

    batch_id: str
    rows_affected: int
    first_sale: str  # ISO date
    last_sale: str  # ISO date
    mae_before_usd: float
    mae_during_usd: float
    mae_after_usd: float
    detection_delay_days: int


def usd(amount: float) -> str:
    """Dollars with cents and thousands separators: $1,234.56 (no need to change this)."""
    return f"${amount:,.2f}"


def measure(evidence: Evidence) -> IncidentNumbers:
    """The incident's numbers, computed from the evidence."""
    sales = evidence.sales
    batch = evidence.alert_batch

    def mae(part: pd.DataFrame) -> float:
        return float(mean_absolute_error(part["price_usd"], part["predicted_usd"]))

    during = sales.query("batch_id == @batch")
    dates = during["sale_date"].sort_values()
    start = dates.iloc[0].normalize()
    return IncidentNumbers(
        batch_id=batch,
        rows_affected=len(during),
        first_sale=str(start.date()),
        last_sale=str(dates.iloc[-1].date()),
        mae_before_usd=mae(sales.query("batch_id < @batch")),
        mae_during_usd=mae(during),
        mae_after_usd=mae(sales.query("batch_id > @batch")),
        detection_delay_days=(evidence.detected_at.normalize() - start).days,
    )


def write_report(evidence: Evidence) -> str:
    """The incident report as Markdown, its numbers from measure(evidence)."""
    n = measure(evidence)
    sections = []
    sections.append(
        f"Batch {n.batch_id} was ingested with price_usd in cents and fed the dashboards "
        "and the training table until it was reloaded."
    )
    sections.append(
        f"{n.rows_affected:,} rows were wrong. Dollar MAE: before {usd(n.mae_before_usd)}, "
        f"during {usd(n.mae_during_usd)}, after {usd(n.mae_after_usd)}."
    )
    sections.append(
        f"Sales from {n.first_sale} to {n.last_sale}; detected on "
        f"{evidence.detected_at:%Y-%m-%d}; fixed on {evidence.fixed_at:%Y-%m-%d}."
    )
    sections.append(
        "Root cause: the supplier changed its feed schema upstream and sent cents, not dollars."
    )
    sections.append(f"Found by the weekly PSI drift report, {n.detection_delay_days} days late.")
    sections.append("The batch was re-ingested in dollars and the dashboards refreshed.")
    sections.append(
        "- Validate the unit of price_usd at ingestion with a range test, owner: data team\n"
        "- Ask the supplier for notice of schema changes, owner: vendor management"
    )
    return "\n\n".join(
        f"## {title}\n\n{text}" for title, text in zip(SECTIONS, sections, strict=True)
    )


def load_evidence(data_dir) -> Evidence:
    """The evidence of the cents incident, from data/ (no need to change this function)."""
    from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import Pipeline, make_pipeline
    from sklearn.preprocessing import OneHotEncoder

    clean = pd.read_csv(data_dir / "sales_clean.csv", parse_dates=["sale_date"])
    train = clean[clean["sale_date"].dt.year == 2024]
    categories = make_pipeline(
        SimpleImputer(strategy="constant", fill_value="graded"),  # condition is empty when graded
        OneHotEncoder(handle_unknown="ignore"),
    )
    features = ColumnTransformer(
        [
            ("categories", categories, ["rarity", "variant", "condition"]),
            ("grade", SimpleImputer(strategy="constant", fill_value=0.0), ["psa_grade"]),
        ]
    )
    regressor = TransformedTargetRegressor(Ridge(alpha=1.0), func=np.log1p, inverse_func=np.expm1)
    model = Pipeline([("features", features), ("regressor", regressor)])
    model.fit(train, train["price_usd"])
    sales = pd.read_csv(data_dir / "production_drifted.csv", parse_dates=["sale_date"])
    sales["predicted_usd"] = model.predict(sales).round(2)
    return Evidence(
        sales=sales,
        alert_batch="2025-W36",
        detected_at=pd.Timestamp("2025-09-08 07:40"),
        fixed_at=pd.Timestamp("2025-09-09 15:05"),
    )


if __name__ == "__main__":
    from pathlib import Path

    evidence = load_evidence(Path(__file__).resolve().parents[2] / "data")
    print(write_report(evidence))
