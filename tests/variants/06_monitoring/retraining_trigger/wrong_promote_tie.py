"""Wrong: promote uses <=, so a challenger that only ties the champion replaces it.

Retrain on evidence, promote on proof

The price model suggests a price for every new PokéMarket listing, and as the marketplace's ML
engineer you run it in production. Every week monitoring knows two things. The drift: the price
PSI of the week's sales against the 2024 reference, known at once. And the error: how far the
model's prices were from what the cards really sold for, known only once those sales are
labelled, weeks later (no labels yet: no error). Retraining by the calendar wastes work when
nothing moved and reacts late when the market does; retraining whenever a number twitches
churns the model for nothing. The team wants a policy, and you will replay it on past weeks.

Retrain on evidence: drift above a threshold, or decay, the error clearly worse than the error
the model is expected to hold. Then wait: the same news stays in the numbers for weeks (the
reference does not move, labels trickle in), so a cooldown after each retrain stops the policy
from retraining every week on it.

Promote on proof: a challenger is not better because it is newer. It replaces the champion
only if it is closer on the RECENT labelled sales, today's market, which neither model trained
on. The registry's offline_mae_usd was measured on each model's own validation split, from the
period it learned: it says nothing about today's market.

The error is log_mae (given): the mean absolute error of log1p prices, the typical relative
miss (0.1 is about 10% off). In dollars, a few slabs rule: in the calm first weeks of 2025, one
$77,854 sale lifts week 11's dollar MAE to $360, against $115 and $139 in the weeks before and
after it, while its log MAE stays level with theirs.

Write:

- should_retrain: whether this week's evidence calls for a retrain: True when state.psi >
                  psi_threshold (drift) or state.log_mae > baseline_log_mae x (1 +
                  decay_margin) (decay). Both comparisons are strict: a value equal to its limit
                  is not evidence; a week whose log_mae is None (no labels yet) cannot show
                  decay. Never during the cooldown: False when last_retrain_week is not None and
                  state.week - last_retrain_week < cooldown_weeks, so exactly cooldown_weeks
                  weeks after a retrain, a retrain is allowed again. Weeks are week numbers:
                  the cooldown counts weeks, not records;
- promote:        True when the challenger's log_mae on (recent_X, recent_y) is strictly lower
                  than the champion's on the same sales; a tie keeps the champion, and
                  offline_mae_usd plays no part;
- replay:         walk the timeline in order, with no retrain behind it at the start. Each
                  week's state is the week, its psi, and the CURRENT champion's log_mae on the
                  week's recent labelled sales (None when recent_X is None). When should_retrain
                  says so (with every policy parameter), train a challenger with retrain(week):
                  that week is a retrain, and the cooldown counts from it, promoted or not. If
                  the week has recent labelled sales and promote says so, the challenger becomes
                  the champion; without labels there is no proof and the champion stays. Return
                  a Replay: the weeks retrained and the weeks promoted, in order, and the
                  champion at the end.

Done when: a drift burst retrains once per cooldown, decay alone triggers a retrain, and only a
challenger that is better on the recent sales is promoted.

Stuck? Run `mlings hint`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_absolute_error
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder

PSI_THRESHOLD = 0.2  # price PSI above this: the market moved
DECAY_MARGIN = 0.1  # an error more than 10% above the baseline: the model decayed
COOLDOWN_WEEKS = 4  # weeks to wait after a retrain before the next one


@dataclass(frozen=True)
class WeekState:
    """The evidence of one week, as should_retrain sees it."""

    week: int  # ISO week number of 2025
    psi: float  # price PSI of the week's sales against the reference
    log_mae: float | None  # the champion's error on recent labelled sales; None: no labels


@dataclass(frozen=True)
class WeekRecord:
    """One week of the timeline replay walks through."""

    week: int
    psi: float
    recent_X: pd.DataFrame | None  # the latest labelled sales as of this week (None: no labels)
    recent_y: pd.Series | None  # what they sold for, in USD


@dataclass(frozen=True)
class ModelVersion:
    """A model in the registry."""

    name: str
    model: Any  # fitted: model.predict(X) gives prices in USD
    offline_mae_usd: float  # MAE on its own validation split, when it was trained


@dataclass(frozen=True)
class Replay:
    """What the policy did over a timeline."""

    retrained: list[int]
    promoted: list[int]
    champion: ModelVersion


def log_mae(model, X: pd.DataFrame, y) -> float:
    """Mean absolute error of log1p prices: 0.1 is about 10% off (no need to change this)."""
    return float(mean_absolute_error(np.log1p(y), np.log1p(model.predict(X))))


def should_retrain(
    state: WeekState,
    last_retrain_week: int | None,
    *,
    baseline_log_mae: float,
    psi_threshold: float = PSI_THRESHOLD,
    decay_margin: float = DECAY_MARGIN,
    cooldown_weeks: int = COOLDOWN_WEEKS,
) -> bool:
    """Drift or decay, outside the cooldown after the last retrain."""
    if last_retrain_week is not None and state.week - last_retrain_week < cooldown_weeks:
        return False
    drift = state.psi > psi_threshold
    decay = state.log_mae is not None and state.log_mae > baseline_log_mae * (1 + decay_margin)
    return drift or decay


def promote(
    champion: ModelVersion, challenger: ModelVersion, recent_X: pd.DataFrame, recent_y
) -> bool:
    """Whether the challenger's error on the recent labelled sales beats the champion's."""
    challenger_error = log_mae(challenger.model, recent_X, recent_y)
    champion_error = log_mae(champion.model, recent_X, recent_y)
    return challenger_error <= champion_error


def replay(
    timeline: list[WeekRecord],
    champion: ModelVersion,
    retrain: Callable[[int], ModelVersion],
    *,
    baseline_log_mae: float,
    psi_threshold: float = PSI_THRESHOLD,
    decay_margin: float = DECAY_MARGIN,
    cooldown_weeks: int = COOLDOWN_WEEKS,
) -> Replay:
    """The weeks the policy retrains and promotes, week by week."""
    retrained: list[int] = []
    promoted: list[int] = []
    last_retrain_week = None
    for record in timeline:
        labelled = record.recent_X is not None
        error = log_mae(champion.model, record.recent_X, record.recent_y) if labelled else None
        state = WeekState(record.week, record.psi, error)
        if not should_retrain(
            state,
            last_retrain_week,
            baseline_log_mae=baseline_log_mae,
            psi_threshold=psi_threshold,
            decay_margin=decay_margin,
            cooldown_weeks=cooldown_weeks,
        ):
            continue
        challenger = retrain(record.week)
        retrained.append(record.week)
        last_retrain_week = record.week
        if labelled and promote(champion, challenger, record.recent_X, record.recent_y):
            champion = challenger
            promoted.append(record.week)
    return Replay(retrained, promoted, champion)


FEATURES = ["rarity", "variant", "condition", "psa_grade"]
LABEL_DELAY = 2  # a week's sales are labelled two weeks later
RECENT_WEEKS = 3  # promotion and decay look at the last three labelled weeks


def train_price_model(sales: pd.DataFrame, name: str) -> ModelVersion:
    """A price model fitted on 80% of the sales, scored on the rest (no need to change this)."""
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
    validation = np.random.default_rng(0).random(len(sales)) < 0.2
    train, valid = sales[~validation], sales[validation]
    model.fit(train[FEATURES], train["price_usd"])
    mae = float(np.mean(np.abs(model.predict(valid[FEATURES]) - valid["price_usd"])))
    return ModelVersion(name, model, mae)


def price_psi(reference: pd.Series, current: pd.Series, eps: float = 1e-4) -> float:
    """Price PSI: 10 bins at the reference's deciles, shared (no need to change this function)."""
    edges = np.unique(np.quantile(reference, np.linspace(0, 1, 11))[1:-1])
    ref = np.bincount(np.searchsorted(edges, reference, side="right"), minlength=len(edges) + 1)
    cur = np.bincount(np.searchsorted(edges, current, side="right"), minlength=len(edges) + 1)
    ref = np.maximum(ref / ref.sum(), eps)
    cur = np.maximum(cur / cur.sum(), eps)
    return float(np.sum((cur - ref) * np.log(cur / ref)))


def weekly_timeline(production: pd.DataFrame, reference: pd.DataFrame) -> list[WeekRecord]:
    """Each week's PSI and the sales labelled by then (no need to change this function)."""
    week = production["batch_id"].str[-2:].astype(int)
    timeline = []
    for number in sorted(week.unique()):
        labelled = week.between(number - LABEL_DELAY - RECENT_WEEKS + 1, number - LABEL_DELAY)
        recent = production[labelled]
        psi = price_psi(reference["price_usd"], production.loc[week == number, "price_usd"])
        if recent.empty:
            timeline.append(WeekRecord(int(number), psi, None, None))
        else:
            timeline.append(WeekRecord(int(number), psi, recent[FEATURES], recent["price_usd"]))
    return timeline


def make_retrain(production: pd.DataFrame, reference: pd.DataFrame):
    """retrain(week): a challenger fitted on the reference and the sales labelled before the
    recent window, which stays unseen for promotion (no need to change this function)."""
    week = production["batch_id"].str[-2:].astype(int)

    def retrain(number: int) -> ModelVersion:
        before = production[week <= number - LABEL_DELAY - RECENT_WEEKS]
        return train_price_model(pd.concat([reference, before]), f"price-2025-W{number:02d}")

    return retrain


if __name__ == "__main__":
    from pathlib import Path

    data = Path(__file__).resolve().parents[2] / "data"
    sales = pd.read_csv(data / "sales_clean.csv", parse_dates=["sale_date"])
    reference = sales[sales["sale_date"].dt.year == 2024]
    champion = train_price_model(sales[sales["sale_date"].dt.year == 2023], "price-2023")
    baseline = log_mae(champion.model, reference[FEATURES], reference["price_usd"])
    print(f"champion {champion.name}: log MAE {baseline:.3f} on the 2024 reference")
    for name in ("production_stable.csv", "production_drifted.csv"):
        production = pd.read_csv(data / name, parse_dates=["sale_date"])
        timeline = weekly_timeline(production, reference)
        result = replay(
            timeline, champion, make_retrain(production, reference), baseline_log_mae=baseline
        )
        print(f"{name}: weeks {timeline[0].week}-{timeline[-1].week}")
        print(f"  retrained in weeks {result.retrained}, promoted in weeks {result.promoted}")
        print(f"  champion at the end: {result.champion.name}")
