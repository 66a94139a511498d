"""Alternative: other line ranges and notes (b/ path, (79,79), (44,46), (67,68)), plus one nit.

Review a tuning pull request: the score that chose a model cannot also judge it

PokéMarket's price model is trained by `pokemarket/train.py`: fixed settings, fitted on the
sales before 2024 and scored once on the sales of 2024 (the validation period), the MAE in
dollars written to metrics.json. That number is what the team quotes when it promises sellers
"our suggested price is within $X on average". Your teammate Priya has opened PR #102, "Tune
the price model's hyperparameters" (pokemarket_repo/prs/02_tune_hyperparameters.diff), and asks
for your review. Read her description, then every changed line:

    python exercises/07_collaboration/03_review_tuning_pr.py

prints the pull request with the line numbers of train.py after the change.

The idea. A score that was used to CHOOSE is no longer an estimate. Try many settings and
keep the one with the lowest error on some sales, and you keep, in part, the one that was
luckiest on those particular sales: its error there is biased low, and the more settings you
try, the more it flatters you. Choose with one part of the past; then score the chosen model
ONCE on a later part that played no part in choosing (the holdout), and report that. Choosing
respects time too: sales are ordered, and a model fitted on 2023 that scores 2022 has seen the
future, so the folds must be time-ordered (TimeSeriesSplit), never shuffled.

Not every defect of a pull request is its headline: read every changed line, and ask what it
does when it runs, not what its author meant it to do.

Your review is FINDINGS, a list of mlings.review.Finding(file, lines, category, severity, note):
- file:     the path as the diff names it, e.g. "pokemarket/train.py";
- lines:    (first, last), the line numbers AFTER the change, as printed;
- category: one of mlings.review.CATEGORIES; severity: one of SEVERITIES ("blocker": must not
            merge as it is);
- note:     one sentence: what breaks and why.
The review passes when every defect the pull request brings in is named by a finding (same file,
lines overlapping, a fitting category); each blocker is rated blocker; at most one finding names
no defect.

Then write the fix, the PR's intent done right. Models come from the `make_model(params)`
passed in (the checks pass their own), an unfitted regressor with those settings: fit one on
rows of the sales as they are, all columns, with `model.fit(rows, rows["price_usd"])`; its
error is the MAE in dollars of `model.predict(rows)` against `rows["price_usd"]`
(`dollar_mae`).

Write:

- select_params:   (params, score). For each setting of ParameterGrid(grid), score
                   make_model(setting) with TimeSeriesSplit(n_splits) over the sales sorted by
                   sale_date: each fold fits on the earlier sales and scores the MAE on the sales
                   right after them; the setting's score is the mean over the folds. Return the
                   setting with the lowest score (a tie goes to the first in ParameterGrid order)
                   and that score. The sales may come in any order.
- tune_and_report: a Report. The sales before holdout_start choose the setting (select_params
                   with n_splits); make_model(chosen setting) fitted on all of those sales is
                   the model. The sales from holdout_start on (the holdout, a sale ON that day
                   included) are used once, to score that model, and by no other model.
                   Report(params=the chosen setting, selection_mae=its select_params score,
                   holdout_mae=the model's MAE on the holdout, the error to quote).

Done when: your findings pass the review; changing the holdout's prices never changes the
setting chosen nor its selection_mae; and holdout_mae is the chosen model's error on the
holdout.

Stuck? Run `mlings hint`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import RegressorMixin
from sklearn.compose import TransformedTargetRegressor, make_column_transformer
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.model_selection import ParameterGrid, TimeSeriesSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OrdinalEncoder

from mlings.review import CATEGORIES, SEVERITIES, Finding, numbered, problems

HOLDOUT_START = "2024-01-01"  # sales from this day on are the holdout
CATEGORICAL = ["rarity", "variant", "condition", "platform"]
NUMERIC = ["psa_grade"]
SEED = 151
GRID = {"learning_rate": [0.05, 0.2], "max_leaf_nodes": [7, 31]}
PR_DIFF = (
    Path(__file__).resolve().parents[2]
    / "exercises"
    / "07_collaboration"
    / "pokemarket_repo"
    / "prs"
    / "02_tune_hyperparameters.diff"
)
TRAIN_PY = "pokemarket/train.py"

FINDINGS: list[Finding] = [
    Finding(
        file="b/pokemarket/train.py",
        lines=(79, 79),
        category="evaluation",
        severity="blocker",
        note=(
            "valid_mae is the lowest of ten scores on the very sales that picked the winner, so "
            "calling it the expected error on new sales overstates the model to sellers."
        ),
    ),
    Finding(
        file="pokemarket/train.py",
        lines=(44, 46),
        category="correctness",
        severity="blocker",
        note=(
            "The merge lets PARAMS win, so learning_rate and max_leaf_nodes never change across "
            "tries and the logged params are not the ones the saved model was trained with."
        ),
    ),
    Finding(
        file="pokemarket/train.py",
        lines=(67, 68),
        category="reproducibility",
        severity="major",
        note=(
            "Without a random_state the sampler draws other settings on each run, so the same "
            "data and commit can produce a different model and metrics.json."
        ),
    ),
    Finding(
        file="pokemarket/train.py",
        lines=(34, 34),
        category="maintainability",
        severity="nit",
        note=(
            "The comment's claim that 10 tries are nearly as good as the grid has no evidence "
            "behind it; link the run that showed it or drop the claim."
        ),
    ),
]


@dataclass(frozen=True)
class Report:
    """What a tuning run reports: the setting, the score that chose it, the honest estimate."""

    params: dict
    selection_mae: float  # the chosen setting's mean fold MAE: the score it was chosen by
    holdout_mae: float  # the chosen model's MAE on the untouched holdout: the number to quote


def make_model(params: dict) -> RegressorMixin:
    """The price model with these settings, unfitted (no need to change this function)."""
    encode = make_column_transformer(
        (OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1), CATEGORICAL),
        ("passthrough", NUMERIC),
        verbose_feature_names_out=False,
    ).set_output(transform="pandas")
    boosting = HistGradientBoostingRegressor(
        max_iter=50, early_stopping=False, categorical_features=CATEGORICAL, random_state=SEED
    ).set_params(**params)
    log_price = TransformedTargetRegressor(boosting, func=np.log1p, inverse_func=np.expm1)
    return make_pipeline(encode, log_price)


def dollar_mae(model, rows: pd.DataFrame) -> float:
    """The model's mean absolute error on these sales, in dollars (no need to change this)."""
    return float(np.mean(np.abs(rows["price_usd"].to_numpy() - model.predict(rows))))


def select_params(
    sales: pd.DataFrame,
    grid: dict[str, list],
    make_model: Callable[[dict], RegressorMixin] = make_model,
    n_splits: int = 3,
) -> tuple[dict, float]:
    """(setting, score): the grid setting with the lowest mean MAE over time-ordered folds."""
    ordered = sales.sort_values("sale_date", kind="stable")
    folds = list(TimeSeriesSplit(n_splits=n_splits).split(ordered))
    best_params, best_score = None, np.inf
    for setting in ParameterGrid(grid):
        errors = []
        for fit_idx, score_idx in folds:
            fit_rows, score_rows = ordered.iloc[fit_idx], ordered.iloc[score_idx]
            model = make_model(setting).fit(fit_rows, fit_rows["price_usd"])
            errors.append(dollar_mae(model, score_rows))
        score = float(np.mean(errors))
        if score < best_score:
            best_params, best_score = setting, score
    return best_params, best_score


def tune_and_report(
    sales: pd.DataFrame,
    grid: dict[str, list],
    make_model: Callable[[dict], RegressorMixin] = make_model,
    holdout_start: str = HOLDOUT_START,
    n_splits: int = 3,
) -> Report:
    """Choose on the sales before holdout_start; score the chosen model once on the rest."""
    before = sales["sale_date"] < pd.Timestamp(holdout_start)
    past, holdout = sales[before], sales[~before]
    params, selection_mae = select_params(past, grid, make_model, n_splits)
    model = make_model(params).fit(past, past["price_usd"])
    holdout_mae = dollar_mae(model, holdout)
    return Report(params=params, selection_mae=selection_mae, holdout_mae=holdout_mae)


if __name__ == "__main__":
    text = PR_DIFF.read_text(encoding="utf-8")
    print(text[: text.index("\ndiff --git")], "\n")  # the pull request's description
    print(numbered(PR_DIFF))
    print(f"\nYour review: {len(FINDINGS)} findings.", *problems(FINDINGS), sep="\n")
    print(f"(categories: {', '.join(CATEGORIES)}; severities: {', '.join(SEVERITIES)})")
    data = Path(__file__).resolve().parents[2] / "data"
    sales = pd.read_csv(data / "sales_clean.csv", parse_dates=["sale_date"])
    recent = sales[sales["sale_date"] >= "2023-01-01"]  # 2023 chooses, 2024 is the holdout
    print(f"\nTuning on {len(recent):,} sales (a few seconds)...")
    try:
        report = tune_and_report(recent, GRID)
    except NotImplementedError as error:
        print(f"\nThe fix is not written yet: {error}")
    else:
        print(f"\nchosen {report.params}: selection MAE ${report.selection_mae:.2f} ", end="")
        print(f"(chose it), holdout MAE ${report.holdout_mae:.2f} (quote this one)")
