"""WRONG: calls a model overfitting whenever its validation error is well above its training
error, wherever it sits on the curve."""

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

import lightgbm as lgb
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_absolute_error
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
    X_train: pd.DataFrame,
    y_train,
    X_val: pd.DataFrame,
    y_val,
) -> pd.DataFrame:
    """Training and validation MAE of make_model(value) for each value, indexed by the values."""
    rows = []
    for value in values:
        model = make_model(value).fit(X_train, y_train)
        rows.append(
            {
                "train_mae": mean_absolute_error(y_train, model.predict(X_train)),
                "val_mae": mean_absolute_error(y_val, model.predict(X_val)),
            }
        )
    return pd.DataFrame(rows, index=pd.Index(list(values), name="value"))


def best_value(table: pd.DataFrame) -> Hashable:
    """The value with the lowest validation MAE; the simplest (first) one on a tie."""
    return table["val_mae"].idxmin()


def diagnose(table: pd.DataFrame, value: Hashable) -> str:
    """'overfitting', 'underfitting' or 'good fit': where value sits against the best value."""
    train, val = table.loc[value, "train_mae"], table.loc[value, "val_mae"]
    if val > 1.5 * train:
        return "overfitting"
    if train > 0.8 * table["train_mae"].max():
        return "underfitting"
    return "good fit"


def debug(scenario: Scenario, X_train: pd.DataFrame, y_train, X_val: pd.DataFrame, y_val):
    """The scenario's validation curve, the verdict at its current setting, and the fix."""
    table = validation_curve_table(
        scenario.make_model, scenario.values, X_train, y_train, X_val, y_val
    )
    return Diagnosis(table=table, verdict=diagnose(table, scenario.current), fix=best_value(table))


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
