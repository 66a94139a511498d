"""Wrong: the delay counts from the Monday of the batch's ISO week, not from its first sale.

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
    batch_id = evidence.alert_batch
    error = (sales["predicted_usd"] - sales["price_usd"]).abs()
    during = sales["batch_id"] == batch_id
    before = sales["batch_id"] < batch_id
    after = sales["batch_id"] > batch_id
    first = sales.loc[during, "sale_date"].min()
    last = sales.loc[during, "sale_date"].max()
    year, week = batch_id.split("-W")
    monday = pd.Timestamp.fromisocalendar(int(year), int(week), 1)
    return IncidentNumbers(
        batch_id=batch_id,
        rows_affected=int(during.sum()),
        first_sale=first.date().isoformat(),
        last_sale=last.date().isoformat(),
        mae_before_usd=float(error[before].mean()),
        mae_during_usd=float(error[during].mean()),
        mae_after_usd=float(error[after].mean()),
        detection_delay_days=int((evidence.detected_at - monday).days),
    )


def write_report(evidence: Evidence) -> str:
    """The incident report as Markdown, its numbers from measure(evidence)."""
    n = measure(evidence)
    detected = evidence.detected_at.date().isoformat()
    fixed = evidence.fixed_at.date().isoformat()
    texts = {
        "Summary": (
            f"Ingestion batch {n.batch_id} loaded its prices in cents instead of dollars. The "
            "batch reached the dashboards and the training table before it was reloaded."
        ),
        "Impact": (
            f"{n.rows_affected} sales were affected. The price model's MAE was "
            f"{usd(n.mae_before_usd)} on the batches before, {usd(n.mae_during_usd)} on the "
            f"broken batch and {usd(n.mae_after_usd)} on the batches after it."
        ),
        "Timeline": (
            f"- {n.first_sale}: first sale of the batch\n"
            f"- {n.last_sale}: last sale of the batch\n"
            f"- {detected}: the drift alert reached the on-call engineer\n"
            f"- {fixed}: the batch was reloaded in dollars"
        ),
        "Root cause": (
            "The card-data supplier changed its feed upstream without notice: a schema change "
            "sent price_usd in cents, and nothing at ingestion checked the unit."
        ),
        "Detection": (
            f"The weekly drift report raised a price alert on the batch, {n.detection_delay_days}"
            " days after its first sale. A unit check at ingestion would have caught it at once."
        ),
        "Fix": (
            "We reloaded the batch with prices in dollars and verified that its MAE is back at "
            "the level of its neighbours."
        ),
        "Follow-ups": (
            "- Add a validation check on price units at ingestion (owner: data platform team)\n"
            "- Alert on a batch median price far from the last batches (owner: ML engineering)\n"
            "- Agree on feed change notices with the supplier (owner: partnerships)"
        ),
    }
    return "\n".join(f"## {title}\n\n{texts[title]}\n" for title in SECTIONS)


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
