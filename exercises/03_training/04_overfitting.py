"""Overfitting: read the validation curve

A model that memorises its training sales looks brilliant on them and disappoints on every new
listing. The tell-tale sign is on the validation curve: train the same model at settings from
simple to flexible (a deeper tree, fewer neighbours, more boosting rounds, less regularisation) and
measure the MAE on the training rows and on held-out validation rows. The training error keeps
falling as the model gets more flexible; the validation error falls, bottoms out, and rises
again. Pick the setting at the bottom of the VALIDATION curve, never the training curve: the
training error always prefers the most flexible model.

Reading a setting off the curve:

- "overfitting":  more flexible than the best setting, with a higher validation error;
- "underfitting": simpler than the best setting, with a higher validation error;
- "good fit":     as good on validation as the best setting.

PokéMarket's pricing team left you four models in SCENARIOS, each at its `current` setting.
Debug them: draw each one's validation curve, say what is wrong at the current setting, and
give the setting that fixes it. X holds numeric features of sales (a DataFrame or an array), y
the log price.

Write:

- validation_curve_table: for each value (simplest first), train make_model(value) on the
                          training rows; a DataFrame indexed by the values, with columns
                          `train_mae` and `val_mae`;
- best_value:             the value with the lowest val_mae (the simplest one on a tie);
- diagnose:               "overfitting", "underfitting" or "good fit" for one value of a table;
- debug:                  a Diagnosis of a scenario: its table, the verdict at its current
                          setting, and the fix (the best value).

Done when: each scenario's verdict and fix come from the validation errors, and the training
rows are never scored as if they were new.

Stuck? Run `mlings hint`.
"""

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

import lightgbm as lgb
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_absolute_error  # noqa: F401 (yours to use)
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeRegressor


@dataclass(frozen=True)
class Scenario:
    """A model the team trained, the knob that controls how flexible it is, and its setting."""

    name: str
    make_model: Callable[[Hashable], BaseEstimator]  # a fresh model at one setting
    values: Sequence[Hashable]  # settings to try, from the simplest model to the most flexible
    current: Hashable  # the setting the team used


@dataclass(frozen=True)
class Diagnosis:
    table: pd.DataFrame  # validation_curve_table of the scenario
    verdict: str  # diagnose(table, scenario.current)
    fix: Hashable  # best_value(table)


def _scaled(model: BaseEstimator) -> BaseEstimator:
    return make_pipeline(SimpleImputer(add_indicator=True), StandardScaler(), model)


SCENARIOS = [
    Scenario(
        "deep_tree",
        lambda depth: DecisionTreeRegressor(max_depth=depth, random_state=0),
        values=[1, 2, 3, 4, 5, 6, 8, 10, 14, 20, 30],
        current=30,
    ),
    Scenario(
        "one_neighbour",
        lambda k: _scaled(KNeighborsRegressor(n_neighbors=k)),
        values=[64, 32, 16, 8, 4, 2, 1],
        current=1,
    ),
    Scenario(
        "too_many_rounds",
        lambda rounds: lgb.LGBMRegressor(
            n_estimators=rounds,
            learning_rate=0.3,
            min_child_samples=5,
            random_state=0,
            n_jobs=1,
            verbose=-1,
        ),
        values=[5, 10, 20, 40, 80, 200],
        current=200,
    ),
    Scenario(
        "strangled_ridge",
        lambda alpha: _scaled(Ridge(alpha=alpha)),
        values=[10_000.0, 1_000.0, 100.0, 10.0, 1.0, 0.1],
        current=10_000.0,
    ),
]


def validation_curve_table(
    make_model: Callable[[Hashable], BaseEstimator],
    values: Sequence[Hashable],
    X_train,
    y_train,
    X_val,
    y_val,
) -> pd.DataFrame:
    """Training and validation MAE of make_model(value) for each value, indexed by the values."""
    # TODO: for each value, a fresh make_model(value) trained on the training rows; its MAE on
    # the training rows and on the validation rows. Index: the values, in the order given.
    raise NotImplementedError("validation_curve_table: train and validation MAE per value")


def best_value(table: pd.DataFrame) -> Hashable:
    """The value with the lowest validation MAE; the simplest (first) one on a tie."""
    # TODO
    raise NotImplementedError("best_value: the value with the lowest val_mae")


def diagnose(table: pd.DataFrame, value: Hashable) -> str:
    """'overfitting', 'underfitting' or 'good fit': where value sits against the best value."""
    # TODO: no higher val_mae than the best value's: "good fit". Otherwise, later in the table
    # than the best value (more flexible): "overfitting"; earlier (simpler): "underfitting".
    raise NotImplementedError("diagnose: compare value with the best value")


def debug(scenario: Scenario, X_train, y_train, X_val, y_val) -> Diagnosis:
    """The scenario's validation curve, the verdict at its current setting, and the fix."""
    # TODO: the scenario's table, the verdict at scenario.current, and the best value.
    raise NotImplementedError("debug: table, verdict at the current setting, fix")


if __name__ == "__main__":
    from pathlib import Path

    import numpy as np

    data = Path(__file__).resolve().parents[2] / "data"
    sales = pd.read_csv(data / "sales_clean.csv").sample(1500, random_state=0)
    X = pd.DataFrame({"psa_grade": sales["psa_grade"]})
    for column in ("rarity", "variant", "condition", "platform"):
        X[column] = sales[column].astype("category").cat.codes
    y = np.log1p(sales["price_usd"])
    for scenario in SCENARIOS:
        found = debug(scenario, X[:1000], y[:1000], X[1000:], y[1000:])
        print(f"{scenario.name}: {found.verdict} at {scenario.current}; fix: {found.fix}")
