"""ALTERNATIVE: dict-of-lists table, a stable sort for the best value, positions with get_loc."""

from dataclasses import dataclass

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeRegressor


@dataclass(frozen=True)
class Scenario:
    name: str
    make_model: object
    values: list
    current: object


@dataclass(frozen=True)
class Diagnosis:
    table: pd.DataFrame
    verdict: str
    fix: object


def _scaled(model):
    return make_pipeline(SimpleImputer(add_indicator=True), StandardScaler(), model)


SCENARIOS = [
    Scenario(
        "deep_tree",
        lambda depth: DecisionTreeRegressor(max_depth=depth, random_state=0),
        [1, 2, 3, 4, 5, 6, 8, 10, 14, 20, 30],
        30,
    ),
    Scenario(
        "one_neighbour",
        lambda k: _scaled(KNeighborsRegressor(n_neighbors=k)),
        [64, 32, 16, 8, 4, 2, 1],
        1,
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
        [5, 10, 20, 40, 80, 200],
        200,
    ),
    Scenario(
        "strangled_ridge",
        lambda alpha: _scaled(Ridge(alpha=alpha)),
        [10_000.0, 1_000.0, 100.0, 10.0, 1.0, 0.1],
        10_000.0,
    ),
]


def _mae(y, predicted):
    return float(np.mean(np.abs(np.asarray(y) - predicted)))


def validation_curve_table(make_model, values, X_train, y_train, X_val, y_val):
    """Training and validation MAE of make_model(value) for each value, indexed by the values."""
    columns = {"train_mae": [], "val_mae": []}
    for value in values:
        model = make_model(value)
        model.fit(X_train, y_train)
        columns["train_mae"].append(_mae(y_train, model.predict(X_train)))
        columns["val_mae"].append(_mae(y_val, model.predict(X_val)))
    return pd.DataFrame(columns, index=values)


def best_value(table):
    """The value with the lowest validation MAE; the simplest (first) one on a tie."""
    return table.sort_values("val_mae", kind="stable").index[0]


def diagnose(table, value):
    """'overfitting', 'underfitting' or 'good fit': where value sits against the best value."""
    best = best_value(table)
    gap = table.at[value, "val_mae"] - table.at[best, "val_mae"]
    if gap <= 0:
        return "good fit"
    here, there = table.index.get_loc(value), table.index.get_loc(best)
    return "underfitting" if here < there else "overfitting"


def debug(scenario, X_train, y_train, X_val, y_val):
    """The scenario's validation curve, the verdict at its current setting, and the fix."""
    table = validation_curve_table(
        scenario.make_model, scenario.values, X_train, y_train, X_val, y_val
    )
    return Diagnosis(table, diagnose(table, scenario.current), best_value(table))
