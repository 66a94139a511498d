"""Checks for 03_training/04_overfitting: validation curves, the best setting, the verdict."""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import mean_absolute_error
from threadpoolctl import threadpool_limits

from mlings.dataset import make_cards, make_sales

CATALOG = make_cards(n=500)  # a sample of the catalog: quick to sell from
VERDICTS = {
    "deep_tree": "overfitting",
    "one_neighbour": "overfitting",
    "too_many_rounds": "overfitting",
    "strangled_ridge": "underfitting",
}


def pokemarket(sales: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Numeric features (text columns as category codes, NaN kept) and log1p(price)."""
    sales = sales.join(CATALOG.set_index("card_id")[["series", "release_date"]], on="card_id")
    X = pd.DataFrame(index=sales.index)
    for column in ("rarity", "variant", "condition", "platform", "series"):
        known = sorted(CATALOG[column].unique()) if column in CATALOG else None
        codes = pd.Categorical(sales[column], categories=known).codes.astype(float)
        X[column] = np.where(sales[column].isna(), np.nan, codes)
    X["psa_grade"] = sales["psa_grade"]
    X["card_age_years"] = (sales["sale_date"] - sales["release_date"]).dt.days / 365.25
    return X, np.log1p(sales["price_usd"]).rename("log_price")


@pytest.fixture(scope="module")
def data():
    train = make_sales(CATALOG, seed=[0, 1], n=400, start="2019-01-01", end="2024-12-31")
    val = make_sales(CATALOG, seed=[0, 2], n=200, start="2019-01-01", end="2024-12-31")
    # plain arrays: scikit-learn checks them several times faster than DataFrames
    return tuple(np.asarray(part, dtype=float) for part in (*pokemarket(train), *pokemarket(val)))


def reference_table(scenario, X_train, y_train, X_val, y_val) -> pd.DataFrame:
    rows = {}
    for value in scenario.values:
        model = scenario.make_model(value).fit(X_train, y_train)
        rows[value] = (
            mean_absolute_error(y_train, model.predict(X_train)),
            mean_absolute_error(y_val, model.predict(X_val)),
        )
    return pd.DataFrame.from_dict(rows, orient="index", columns=["train_mae", "val_mae"])


@pytest.fixture(scope="module")
def debugged(exercise, data):
    """(scenario, the learner's Diagnosis, the check's own table) for every scenario."""
    with threadpool_limits(limits=1):
        return [
            (s, exercise.debug(s, *data), reference_table(s, *data)) for s in exercise.SCENARIOS
        ]


def show(value) -> str:
    """A value as the learner wrote it: 5, not np.int64(5)."""
    return repr(value.item() if isinstance(value, np.generic) else value)


def scenario_named(exercise, name):
    found = [s for s in exercise.SCENARIOS if s.name == name]
    assert found, f"SCENARIOS has no scenario named {name!r}; restore the file's SCENARIOS."
    return found[0]


def test_curve_scores_training_and_validation_rows(exercise, data):
    """the curve has each value's MAE on the training rows and on the validation rows"""
    tree = scenario_named(exercise, "deep_tree")
    table = exercise.validation_curve_table(tree.make_model, tree.values, *data)
    expected = reference_table(tree, *data)
    assert isinstance(table, pd.DataFrame) and {"train_mae", "val_mae"} <= set(table.columns), (
        "validation_curve_table must return a DataFrame with the columns train_mae and val_mae."
    )
    assert list(table.index) == list(tree.values), (
        f"The table's index is {list(table.index)}; expected the values, in the order given: "
        f"{list(tree.values)}."
    )
    got_train = table["train_mae"].to_numpy(dtype=float)
    got_val = table["val_mae"].to_numpy(dtype=float)
    assert np.allclose(got_train, expected["train_mae"]), (
        f"train_mae is {np.round(got_train, 3).tolist()}; expected each model's MAE on the "
        f"rows it was trained on: {np.round(expected['train_mae'], 3).tolist()}."
    )
    message = (
        f"val_mae is {np.round(got_val, 3).tolist()}; expected each model's MAE on the "
        f"validation rows: {np.round(expected['val_mae'], 3).tolist()}."
    )
    if np.allclose(got_val, expected["train_mae"]):
        message += " Those are the training errors: score X_val and y_val."
    assert np.allclose(got_val, expected["val_mae"]), message


def test_best_value_has_the_lowest_validation_error(exercise):
    """picks the lowest validation error, simplest on a tie (rejects the lowest training error)"""
    table = pd.DataFrame(
        {"train_mae": [1.4, 1.0, 0.7, 0.4, 0.1], "val_mae": [1.5, 1.1, 0.8, 0.8, 1.3]},
        index=[1, 2, 4, 8, 16],
    )
    got = exercise.best_value(table)
    message = (
        f"best_value gave {show(got)}; the lowest val_mae (0.8) is at 4 and 8, and 4 is simpler."
    )
    if got == 16:
        message += " 16 has the lowest training error: that rewards memorising."
    elif got == 8:
        message += " On a tie, keep the simpler (earlier) value."
    assert got == 4, message


def test_diagnose_reads_the_setting_against_the_best_one(exercise):
    """tells overfitting (past the best) from underfitting (before it) and a good fit"""
    table = pd.DataFrame(
        {"train_mae": [0.9, 0.6, 0.3, 0.1, 0.0], "val_mae": [1.2, 0.9, 0.7, 0.8, 1.0]},
        index=[40, 20, 10, 5, 1],
    )
    expected = {40: "underfitting", 20: "underfitting", 10: "good fit", 5: "overfitting"}
    expected[1] = "overfitting"
    for value, verdict in expected.items():
        got = exercise.diagnose(table, value)
        assert got == verdict, (
            f"diagnose(table, {value}) gave {show(got)}; expected {verdict!r}. The best value "
            f"is 10 (lowest val_mae); {value} is "
            + (
                "that value."
                if value == 10
                else ("more flexible (later in the table)." if value in (5, 1) else "simpler.")
            )
            + (
                " At the best setting the validation error is still above the training error, "
                "and that is fine: it is the best the model can do."
                if value == 10
                else ""
            )
        )


def test_debugs_every_scenario(exercise, debugged):
    """diagnoses every scenario from its validation errors (rejects a train/val ratio)"""
    for scenario, found, expected in debugged:
        want = VERDICTS.get(scenario.name)
        assert found.verdict == want, (
            f"{scenario.name}: at its current setting ({show(scenario.current)}) the verdict is "
            f"{found.verdict!r}; the validation curve says {want!r} (validation MAE "
            f"{expected.loc[scenario.current, 'val_mae']:.3f} there, "
            f"{expected['val_mae'].min():.3f} at the best setting)."
        )


def test_fixes_every_scenario_on_validation_error(exercise, debugged):
    """the fix for each scenario is its value with the lowest validation error"""
    for scenario, found, expected in debugged:
        best = expected["val_mae"].idxmin()
        assert found.fix == best, (
            f"{scenario.name}: the fix is {show(found.fix)}; the lowest validation MAE "
            f"({expected.loc[best, 'val_mae']:.3f}) is at {show(best)}."
        )
