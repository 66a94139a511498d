"""Alternative: baseline by merge, groupby tiers, relative residuals on a pyplot-free Figure().

Before PokéMarket shows your prices to sellers, someone will ask three questions: is the model
better than what we do today, by how much in dollars, and where is it wrong? Today's answer is
the per-rarity median: every card priced at the median sale of its rarity. Your model has to
beat it on sales it never saw, in the unit the business pays in, dollars.

One MAE hides where the errors are. A $5 miss is nothing on a $900 slab and everything on a $2
common, and the dollar MAE is dominated by the expensive cards. So report the error three ways:
the MAE in dollars, the median absolute percentage error (the typical relative miss), and the
MAE within each price tier (TIERS, by the sale's actual price). And draw it: the residuals of
each tier, so a reader sees at a glance where the model over- or under-prices.

The model is what training.py's train_model returns: `model.predict(sales)` takes sales rows
WITHOUT `price_usd` and returns one dollar price per row. Never show it the prices it is
scored on.

Write:

- evaluate(model, train_sales, test_sales): a dict with
    "mae_usd":          the model's MAE in dollars on test_sales;
    "baseline_mae_usd": the MAE on test_sales of the per-rarity median of train_sales'
                        prices (a rarity train_sales never saw gets their overall median);
    "median_ape":       the median of |predicted - actual| / actual over test_sales, as a
                        fraction (0.25 means 25%);
    "by_tier":          {tier name: the model's MAE in dollars on the test sales of that
                        tier}, for the tiers of TIERS that hold at least one test sale;
  the model predicts from test_sales without their price_usd column.
- plot_errors(model, test_sales): a matplotlib Figure showing the residuals (predicted -
  actual, in dollars or as a fraction of the price) of each price tier, with labelled axes;
  it does not leave the figure open in pyplot.

Done when: the model beats the per-rarity median on sales of 2025 it has never seen, every
number of evaluate is right, and the plot shows each tier's errors.

Stuck? Run `mlings hint`.
"""

import matplotlib.pyplot as plt  # noqa: F401 (yours to use)
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from sklearn.metrics import mean_absolute_error  # noqa: F401 (yours to use)
from training import PriceModel, train_model

# Price tiers by the sale's actual price in dollars: [low, high), lower bound included.
# (no need to change this)
TIERS = {
    "under $1": (0.0, 1.0),
    "$1-10": (1.0, 10.0),
    "$10-100": (10.0, 100.0),
    "$100-1,000": (100.0, 1000.0),
    "$1,000+": (1000.0, np.inf),
}


def tier_of(prices: pd.Series) -> pd.Series:
    """The TIERS name of each price (no need to change this function)."""
    edges = [low for low, _ in TIERS.values()] + [np.inf]
    return pd.cut(prices, edges, right=False, labels=list(TIERS)).astype(str)


def _scored(model: PriceModel, test_sales: pd.DataFrame) -> pd.DataFrame:
    """Actual and predicted dollars and the actual price's tier, one row per test sale."""
    unpriced = test_sales.loc[:, test_sales.columns != "price_usd"]
    return pd.DataFrame(
        {
            "actual": test_sales["price_usd"].to_numpy(dtype=float),
            "predicted": np.asarray(model.predict(unpriced), dtype=float),
            "tier": tier_of(test_sales["price_usd"].astype(float)).to_numpy(),
        }
    )


def evaluate(model: PriceModel, train_sales: pd.DataFrame, test_sales: pd.DataFrame) -> dict:
    """Dollar MAE of the model and of the per-rarity median, median APE, and MAE by tier."""
    scored = _scored(model, test_sales)
    scored["abs_error"] = np.abs(scored["predicted"] - scored["actual"])

    medians = (
        train_sales.groupby("rarity", as_index=False)["price_usd"]
        .median()
        .rename(columns={"price_usd": "baseline"})
    )
    baseline = (
        test_sales[["rarity"]]
        .merge(medians, on="rarity", how="left")["baseline"]
        .fillna(float(np.median(train_sales["price_usd"])))
        .to_numpy()
    )

    tier_mae = scored.groupby("tier")["abs_error"].mean()
    return {
        "mae_usd": float(scored["abs_error"].mean()),
        "baseline_mae_usd": float(np.mean(np.abs(baseline - scored["actual"].to_numpy()))),
        "median_ape": float(np.median(scored["abs_error"] / scored["actual"])),
        "by_tier": {name: float(tier_mae[name]) for name in TIERS if name in tier_mae.index},
    }


def plot_errors(model: PriceModel, test_sales: pd.DataFrame) -> Figure:
    """The residuals of each price tier, as a matplotlib Figure (closed in pyplot)."""
    scored = _scored(model, test_sales)
    scored["relative"] = (scored["predicted"] - scored["actual"]) / scored["actual"]
    names = [name for name in TIERS if (scored["tier"] == name).any()]
    fig = Figure(figsize=(8, 5), layout="constrained")  # never registered with pyplot
    ax = fig.add_subplot()
    ax.boxplot(
        [scored.loc[scored["tier"] == name, "relative"] for name in names],
        vert=False,
        showfliers=False,
    )
    ax.set_yticks(range(1, len(names) + 1), names)
    ax.axvline(0.0, color="black", linewidth=1)
    ax.set_xlabel("relative residual: (predicted - actual) / actual")
    ax.set_ylabel("price tier of the actual sale")
    ax.set_title("Where the model over- and under-prices")
    return fig


if __name__ == "__main__":
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    data = root / "data"
    cards = pd.read_csv(data / "cards.csv", parse_dates=["release_date"])
    sales = pd.read_csv(data / "sales_clean.csv", parse_dates=["sale_date"])
    is_train = sales["sale_date"] < "2024-01-01"
    train, test = sales[is_train], sales[~is_train]

    model = train_model(train, cards)
    report = evaluate(model, train, test)
    print(f"model MAE ${report['mae_usd']:,.2f} vs baseline ${report['baseline_mae_usd']:,.2f}")
    print(f"median APE {report['median_ape']:.1%}")
    for tier, mae in report["by_tier"].items():
        print(f"  {tier:>11}: ${mae:,.2f}")
    plots = root / ".mlings" / "plots"  # git ignores .mlings/
    plots.mkdir(parents=True, exist_ok=True)
    plot_errors(model, test).savefig(plots / "errors_by_tier.png")
    print("plot saved to", plots / "errors_by_tier.png")
