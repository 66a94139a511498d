"""A PR description whose numbers are true

Your team at PokéMarket reviews every change to the price model before it merges, and the
reviewer starts with the pull request's description. A good one lets them check your claim
instead of trusting it: what changed and why, how you tested it, the metrics before and after
WITH the split they were measured on, what could go wrong, and how to undo it. A description
with numbers from the training sales, or from an older run of the code, or with "before" and
"after" the wrong way round, is worse than none: the reviewer approves a claim that is false.

Your change is one honest feature: the card's age at the sale. A Base Set card sold in 2024 is
25 years old; a Scarlet & Violet card a few months. The age is known when a listing goes up
(the catalog has every set's release date), so it does not leak. `evaluate` (given) trains the
team's fast price model (Ridge on log prices) on the sales of 2016-2023 and scores it on the
train sales and on the validation split, the sales of 2024: the mean absolute error in dollars
(lower is better) and the share of sales predicted within 25% of their price (higher is
better). Run this file: it prints both splits, before and after your change. Only the held-out
split says how the model will do on sales it has not seen.

Write:

- add_card_age:   the sales table with one more column, `card_age_years`: the years from the
                  card's release (the catalog's `release_date`, joined on `card_id`) to the
                  sale (`sale_date`), as days / 365.25. The sales keep their rows, order, index
                  and columns, and the table you are given is not changed; a card that is not
                  in the catalog gets NaN.
- PR_DESCRIPTION: the pull request's description, in markdown, with these sections (## What
                  and why, ## How it was tested, ## Metrics, ## Risks, ## Rollback), no TODO
                  left:
    - What and why: names the new column and says why it should help, in a sentence or more;
    - How it was tested: what you ran, in a sentence or more;
    - Metrics: names the split the numbers were measured on (its year) and has a table with
      columns `before` and `after` and a row per metric, `MAE (USD)` and `within 25%`, holding
      the values this file prints for that split, to the rounding shown or finer ($1,234.56,
      12.3% or 0.123); then a line `Verdict: better`, `Verdict: worse` or `Verdict: mixed`
      (better: no metric worse, at least one better; worse: the reverse; mixed otherwise);
    - Risks: a concrete way this change could go wrong in production, naming what it relies on
      (the new column or the data it is computed from), in a sentence or more; not "none";
    - Rollback: how to undo it, naming the mechanism (revert the commit, redeploy the previous
      model version, or switch a flag off), in a sentence or more.

For the shape only, a description of a different change (its numbers are made up):

    ## What and why
    Adds `platform` as a feature: the same card sells higher on eBay than on TCGplayer.
    ...
    ## Metrics
    Trained on 2016-2023, measured on the 2024 validation sales.
    | metric | before | after |
    |---|---|---|
    | MAE (USD) | $181.20 | $176.05 |
    | within 25% | 14.1% | 14.9% |
    Verdict: better

Done when: the change does what its contract says, and every number in the description is the
one the evaluation computes for it, on the split the description names.

Stuck? Run `mlings hint`.
"""

import numpy as np
import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

VALIDATION_YEAR = 2024  # train on the sales before it, validate on its sales
CATEGORIES = ["rarity", "variant", "condition"]


def model_inputs(sales: pd.DataFrame, extra: list[str]) -> pd.DataFrame:
    """The model's input columns: the team's current ones, plus `extra` numeric columns."""
    return pd.DataFrame(
        {
            "rarity": sales["rarity"],
            "variant": sales["variant"],
            "condition": sales["condition"].fillna("graded"),
            "psa_grade": sales["psa_grade"].fillna(0.0),
            **{column: sales[column].astype(float) for column in extra},
        },
        index=sales.index,
    )


def evaluate(sales: pd.DataFrame, extra: list[str] | None = None) -> dict[str, dict[str, float]]:
    """Fit on the sales before VALIDATION_YEAR, score both splits (no need to change this).

    {"train": {...}, "validation": {...}}, each {"mae_usd": ..., "within_25pct": ...}: the mean
    absolute error in dollars, and the share (0 to 1) of sales predicted within 25% of their
    price. `extra` names numeric columns to use besides the current ones (NaN is imputed).
    """
    extra = list(extra or [])
    X = model_inputs(sales, extra)
    price = sales["price_usd"].to_numpy(dtype=float)
    train = (sales["sale_date"].dt.year < VALIDATION_YEAR).to_numpy()
    validation = (sales["sale_date"].dt.year == VALIDATION_YEAR).to_numpy()
    encode = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore", sparse_output=False), CATEGORIES),
        (SimpleImputer(strategy="median"), ["psa_grade", *extra]),
    )
    model = make_pipeline(encode, Ridge(alpha=1.0)).fit(X[train], np.log1p(price[train]))
    scores = {}
    for name, rows in (("train", train), ("validation", validation)):
        predicted = np.clip(np.expm1(model.predict(X[rows])), 0.0, None)
        error = np.abs(price[rows] - predicted)
        scores[name] = {
            "mae_usd": float(error.mean()),
            "within_25pct": float(np.mean(error <= 0.25 * price[rows])),
        }
    return scores


def add_card_age(sales: pd.DataFrame, cards: pd.DataFrame) -> pd.DataFrame:
    """The sales with `card_age_years`: years from the card's release to the sale."""
    # TODO: look each sale's release date up in the catalog by card_id (a card it lacks gets
    #       NaN), and return a NEW table: with copy-on-write, sales[...] = ... still changes
    #       the caller's table.
    raise NotImplementedError("add_card_age: (sale_date - release_date) in days / 365.25")


# TODO: run this file, then fill every part with what you did and what it printed.
PR_DESCRIPTION = """\
## What and why

TODO

## How it was tested

TODO

## Metrics

TODO: which sales were these measured on?

| metric | before | after |
|---|---|---|
| MAE (USD) | TODO | TODO |
| within 25% | TODO | TODO |

Verdict: TODO

## Risks

TODO

## Rollback

TODO
"""


if __name__ == "__main__":
    from pathlib import Path

    data = Path(__file__).resolve().parents[2] / "data"
    sales = pd.read_csv(data / "sales_clean.csv", parse_dates=["sale_date"])
    cards = pd.read_csv(data / "cards.csv", parse_dates=["release_date"])
    before = evaluate(sales)
    after = evaluate(add_card_age(sales, cards), extra=["card_age_years"])
    print(f"Ridge on log prices, trained on the sales before {VALIDATION_YEAR}.")
    print(f"{'split':<16} {'metric':<10} {'before':>10} {'after':>10}")
    for split in ("train", "validation"):
        name = split if split == "train" else f"{split} {VALIDATION_YEAR}"
        b, a = before[split], after[split]
        mae = [f"${scores['mae_usd']:,.2f}" for scores in (b, a)]
        print(f"{name:<16} {'MAE (USD)':<10} {mae[0]:>10} {mae[1]:>10}")
        print(f"{'':<16} {'within 25%':<10} {b['within_25pct']:>10.1%} {a['within_25pct']:>10.1%}")
