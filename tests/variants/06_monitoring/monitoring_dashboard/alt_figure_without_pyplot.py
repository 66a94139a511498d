"""Alternative: a matplotlib.figure.Figure never registered in pyplot, bars and ax.hlines.

One figure that tells the story

PokéMarket's card-price model has served two quarters of 2025: a quiet one (January to March)
and a turbulent one (July to October: new sets with rarities the model never saw, prices up
about 65%, and one weekly batch whose prices arrived in cents). Every week the monitoring job
computes two numbers per batch of sales: the drift of prices (PSI against the 2024 sales the
model was validated on) and the model's error (MAE, in dollars). Numbers in a table are read
by no one: the job should also draw one figure a person understands at a glance, and attach
it to the weekly ticket.

Drift and error belong together, each against its threshold, over the same weeks: drift
without a rising error can wait, a rising error without drift points at labels or plumbing,
both at once means the market moved and the model did not. So: one figure, one panel per
quantity (PSI has no unit, MAE is in dollars: two units never share an axis), the weeks on x
in time order, each threshold as a horizontal line (a reader compares a point with a line at a
glance, not with a number in a caption), labelled axes with units, and a title. One week's MAE
is hundreds of times the others: a log y scale keeps the other weeks readable. Save it, and
close it: a job that draws a figure every week and never closes it piles them up in pyplot's
memory (pyplot warns once more than 20 are open).

The `weekly` table is given, built by weekly_metrics from the production slices with a given
model: one row per week (a batch_id like "2025-W27"), in time order, with columns batch_id,
price_psi and mae_usd (other columns may follow; ignore them).

Write:

- plot_dashboard: plot_dashboard(weekly, psi_threshold, mae_threshold, path) draws one figure
                  with two panels (two axes that do not overlap) and returns the Figure:
                  - the drift panel: weekly["price_psi"], one point per week, and a horizontal
                    line at psi_threshold;
                  - the error panel: weekly["mae_usd"], one point per week, and a horizontal
                    line at mae_threshold;
                  - on x, the weeks in the frame's order, one tick per week labelled with its
                    batch_id, each value above its own week; a week with a missing value
                    (NaN) keeps its place;
                  - a y label on each panel naming its quantity: "PSI" on the drift panel (it
                    has no unit), "MAE" or "error" and its unit ("$" or "USD") on the error
                    panel; an x label with the word "week"; a title;
                  - saved as a PNG at `path` (a str or a Path in an existing folder);
                  - closed in pyplot once saved (no figure left open), and `weekly` left
                    unchanged.
                  Lines, bars or points: your choice.

Done when: each panel shows its own weekly values in time order with its threshold line,
labels with units and a title, the PNG is written, and no figure is left open.

Stuck? Run `mlings hint`.
"""

from pathlib import Path

import matplotlib.pyplot as plt  # noqa: F401 (you will need it)
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from sklearn.compose import TransformedTargetRegressor, make_column_transformer
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder

FEATURES = ["card_id", "rarity", "variant", "condition", "psa_grade"]


def _model_features(sales: pd.DataFrame) -> pd.DataFrame:
    """What the price model reads from a sale (no need to change this function)."""
    return pd.DataFrame(
        {
            "card_id": sales["card_id"],
            "rarity": sales["rarity"],
            "variant": sales["variant"],
            "condition": sales["condition"].fillna("graded"),
            "psa_grade": sales["psa_grade"].fillna(0.0).astype(str),
        }
    )


def train_price_model(sales: pd.DataFrame) -> TransformedTargetRegressor:
    """The production price model; predict gives dollars (no need to change this function)."""
    model = TransformedTargetRegressor(
        make_pipeline(
            FunctionTransformer(_model_features),
            make_column_transformer((OneHotEncoder(handle_unknown="ignore"), FEATURES)),
            Ridge(alpha=1.0),
        ),
        func=np.log,
        inverse_func=np.exp,
    )
    return model.fit(sales, sales["price_usd"])


def psi(reference, current, bins: int = 10, eps: float = 1e-4) -> float:
    """Population stability index on the reference's quantile bins (no need to change this)."""
    reference, current = np.asarray(reference, dtype=float), np.asarray(current, dtype=float)
    inner = np.unique(np.quantile(reference, np.linspace(0.0, 1.0, bins + 1)[1:-1]))
    ref_share = np.bincount(
        np.searchsorted(inner, reference, side="right"), minlength=inner.size + 1
    )
    cur_share = np.bincount(np.searchsorted(inner, current, side="right"), minlength=inner.size + 1)
    ref_share = np.maximum(ref_share / reference.size, eps)
    cur_share = np.maximum(cur_share / current.size, eps)
    return float(np.sum((cur_share - ref_share) * np.log(cur_share / ref_share)))


def weekly_metrics(reference: pd.DataFrame, production: pd.DataFrame, model) -> pd.DataFrame:
    """Per weekly batch: price PSI against the reference, and MAE in dollars (no need to change).

    One row per batch_id, in time order, with columns batch_id, price_psi, mae_usd, n_sales.
    """
    rows = []
    for batch_id, batch in production.groupby("batch_id", sort=True):
        errors = np.abs(model.predict(batch) - batch["price_usd"].to_numpy())
        rows.append(
            {
                "batch_id": batch_id,
                "price_psi": psi(reference["price_usd"], batch["price_usd"]),
                "mae_usd": float(errors.mean()),
                "n_sales": len(batch),
            }
        )
    return pd.DataFrame(rows)


def plot_dashboard(
    weekly: pd.DataFrame, psi_threshold: float, mae_threshold: float, path: str | Path
) -> Figure:
    """Weekly drift and error, each in its own panel against its threshold, saved to path."""
    n = len(weekly)
    x = np.arange(n)
    fig = Figure(figsize=(11, 7), layout="constrained")  # not pyplot's: nothing to close there
    drift, error = fig.subplots(2, 1)
    panels = [
        (drift, "price_psi", psi_threshold, "drift: PSI (no unit)"),
        (error, "mae_usd", mae_threshold, "error: MAE (USD)"),
    ]
    for ax, column, threshold, ylabel in panels:
        ax.bar(x, weekly[column].to_numpy(dtype=float), color="tab:blue")
        ax.hlines(threshold, -0.5, n - 0.5, colors="tab:red", linestyles="--")
        ax.set_xlim(-0.5, n - 0.5)
        ax.set_xticks(x, weekly["batch_id"].astype(str).to_list(), rotation=90)
        ax.set_xlabel("week (batch_id)")
        ax.set_ylabel(ylabel)
    error.set_yscale("log")
    fig.suptitle("Weekly price drift and model error against their thresholds")
    fig.savefig(path, format="png")
    return fig


if __name__ == "__main__":
    PSI_THRESHOLD = 0.1  # the rule of thumb: below 0.1 the prices have not moved
    MAE_THRESHOLD_USD = 400.0  # about the worst week of 2024

    root = Path(__file__).resolve().parents[2]
    data = root / "data"
    sales = pd.read_csv(data / "sales_clean.csv", parse_dates=["sale_date"])
    model = train_price_model(sales[sales["sale_date"].dt.year <= 2023])
    reference = sales[sales["sale_date"].dt.year == 2024]
    production = pd.concat(
        pd.read_csv(data / f"production_{name}.csv", parse_dates=["sale_date"])
        for name in ("stable", "drifted")
    )
    weekly = weekly_metrics(reference, production, model)
    print(weekly.to_string(index=False, float_format="{:.3f}".format))

    plots = root / ".mlings" / "plots"
    plots.mkdir(parents=True, exist_ok=True)
    path = plots / "monitoring_dashboard.png"
    plot_dashboard(weekly, PSI_THRESHOLD, MAE_THRESHOLD_USD, path)
    print(f"Saved the dashboard to {path}: open it.")
