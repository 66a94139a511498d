"""Wrong: shifts by one sale, not one day, so a card's earlier sales of the same day count.

Review a pull request: card price history features

PokéMarket's price model has a team now, and every change goes through a review. Sam, a
teammate, has opened pull request #101, "Add card price history features", against
pokemarket/features.py in the team's code base (exercises/07_collaboration/pokemarket_repo/)
and asks for your review. The validation error it reports has halved. That is the first thing
to be suspicious of.

Read it with its line numbers:

    python exercises/07_collaboration/02_review_leaky_features.py

(the pull request itself is pokemarket_repo/prs/01_card_price_history.diff). Read the
description, then every changed line, asking of each new feature: would PokéMarket have this
exact value at the moment a seller lists the card, before the sale? And would the same code,
run on the same sale next month, or on a single listing at serving time, give the same value?

A review here is a list of findings, mlings.review.Finding(file, lines, category, severity,
note):

- file:     the changed file as the diff names it ("pokemarket/features.py");
- lines:    (first, last): the lines that do the wrong thing, numbered as the file reads AFTER
            the change (the numbers the command above prints), not the lines that call them;
- category: one of mlings.review.CATEGORIES ("leakage", "evaluation", "validation",
            "reproducibility", "correctness", "security", "maintainability");
- severity: one of mlings.review.SEVERITIES ("blocker": must not merge as it is, "major",
            "minor", "nit");
- note:     one sentence: what breaks, and why.

Your review passes when every defect the pull request brings in is named by a finding (same
file, lines overlapping, a fitting category); each blocker is rated blocker; at most one
finding names no defect. A careful review flags what is wrong, and leaves alone what only
looks unusual.

Then write the feature Sam wanted, done right. The price service rebuilds its sales history
every night, so a listing priced on some day knows the card's sales up to the day before:
not that day's other sales, not its own price, not anything later.

Write:

- FINDINGS: your review of pull request #101, a list of Finding;
- card_price_history(sales, min_sales=1): the sales (columns as in data/sales_clean.csv, rows
  in any order) with two more columns:
  - card_sale_count: how many sales of the same card_id have an earlier sale_date (the sale
    itself, other sales on the same day and later sales never count); 0 when there are none;
  - card_mean_price: the mean price_usd of those earlier sales; NaN when there are fewer than
    min_sales of them (and always when there are none).
  Every column of sales is kept, the rows keep their index and their order, and the sales
  passed in are not changed.

Done when: your findings name every defect with at most one false alarm and the blocker
rated blocker, and card_price_history gives exact values that no price of the same day or
later can move.

Stuck? Run `mlings hint`.
"""

from pathlib import Path

import pandas as pd

from mlings.review import Finding, numbered, problems

FINDINGS: list[Finding] = [
    Finding(
        file="pokemarket/features.py",
        lines=(33, 36),
        category="leakage",
        severity="blocker",
        note="card_mean_price averages every sale of the card, the sale's own price and all "
        "later sales included (the sort does not make transform look backwards), so the model "
        "reads its own answer and the halved validation error is the leak.",
    ),
    Finding(
        file="pokemarket/features.py",
        lines=(37, 37),
        category="leakage",
        severity="blocker",
        note="card_sale_count counts all the card's sales, later ones too, so a listing knows "
        "how often its card will sell in the future, which nobody knows when it is listed.",
    ),
    Finding(
        file="pokemarket/features.py",
        lines=(21, 21),
        category="reproducibility",
        severity="major",
        note="age_days now counts to the day the code runs, so the same sale gets a different "
        "value every day and training ages no longer match the age a listing has when priced.",
    ),
    Finding(
        file="pokemarket/features.py",
        lines=(60, 61),
        category="correctness",
        severity="major",
        note="The fill means come from whatever rows are passed in (validation years included), "
        "and on a single listing at serving time the mean is NaN or the row itself, so training "
        "and serving give the same listing different values.",
    ),
]


def card_price_history(sales: pd.DataFrame, min_sales: int = 1) -> pd.DataFrame:
    """The sales with card_sale_count and card_mean_price of the card's sales on earlier days."""
    ordered = sales.sort_values(["sale_date", "listing_id"])
    prices = ordered.groupby("card_id")["price_usd"]
    count = prices.cumcount()
    total = prices.cumsum() - ordered["price_usd"]
    out = sales.copy()
    out["card_sale_count"] = count.reindex(sales.index)
    mean = (total / count).reindex(sales.index)
    out["card_mean_price"] = mean.where(out["card_sale_count"] >= min_sales)
    return out


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[2]
    prs = root / "exercises" / "07_collaboration" / "pokemarket_repo" / "prs"
    print(numbered(prs / "01_card_price_history.diff"))
    print(f"\nYour review has {len(FINDINGS)} findings.")
    for problem in problems(FINDINGS):
        print("  ", problem)

    sales = pd.read_csv(root / "data" / "sales_clean.csv", parse_dates=["sale_date"])
    history = card_price_history(sales)
    charizard = history[history["card_id"] == "base1-4"]
    print(charizard[["sale_date", "price_usd", "card_sale_count", "card_mean_price"]].head(8))
    leaky = sales.groupby("card_id")["price_usd"].transform("mean")  # the pull request's
    once = sales.groupby("card_id")["card_id"].transform("size").eq(1)
    answer = leaky[once].eq(sales.loc[once, "price_usd"]).sum()
    print(
        f"{once.sum()} sales are the only sale of their card: for {answer} of them the pull "
        "request's card_mean_price is the sale's own price, the very answer the model predicts; "
        f"card_price_history leaves {history.loc[once, 'card_mean_price'].isna().sum()} of them "
        "NaN: nothing was known before."
    )
