"""Alternative: Google-style docstrings, postponed annotations, os.PathLike, a Python API sample.

Document the price model for the next teammate

Ana joins PokéMarket's pricing team on Monday, and the first thing she will own is this file:
the card-price model. It works (run it: it prints the model's test MAE), but nothing in it says
what goes in or what comes out, and the two comments it has are stale: the code changed, they
did not. Before the team reviews it, document it, for Ana and for everyone after her.

Documentation is a promise about behaviour, and a wrong promise is worse than none: a reader
trusts it and stops reading the code. So read the CODE, not the comments, and write only what
the code does. The checks hold you to that: they run every function and compare what its hints
and its docstring claim (types, columns, shape, unit, exceptions) with what it really does.

Write:

- type hints: every parameter and the return of every public function, each resolving to a
  name the module imports (no `Any`), and each admitting what the code really passes and
  returns (when `evaluate` calls `mae_usd`, the values it passes must fit `mae_usd`'s hints);
- docstrings, numpy style as in `baseline_prices` (Google style, `Args:` / `Returns:` /
  `Raises:`, is accepted too), on every public function:
  - a summary line of at least three words;
  - Parameters: every parameter by its name, each with a description, and no name the
    function does not have;
  - Returns: what comes back. For a DataFrame, every column in backticks (`price_usd`) and no
    column it does not have; the same for the keys of a dict. For an array or a Series, its
    shape (`shape (n_rows,)`, or "one ... per row of `features`") and, if you name one, the
    right dtype. For money, its unit (USD), and no claim of a log scale it is not on. A type
    named there must be the type returned. (Other backticked names are fine if they are a
    parameter, a value in the frame, or a name in this module.)
  - Raises: every exception the function raises itself (its `raise` statements);
- no change of behaviour: the checks compare every function with the original;
- README_SECTION: a markdown onboarding section with a heading (# to ####) for each part of
  README_PARTS, each with a few sentences of its own, and no TODO/TBD left:
  - Setup, Train and evaluate and Tests each show their commands in a fenced code block; every
    command must work in this course: paths exist (from the course root, or in data/),
    `python -m` modules exist, `mlings` commands and exercise names are real, and Python code
    calls only functions that exist (import this module as `document_model`);
  - Data names the file the model learns from, in data/ (any .csv named anywhere must exist);
  - Train and evaluate quotes the model's test MAE and the baseline's, as this file prints them
    when run (to the cent), with the date the sales are split at; every dollar amount in that
    part must be one of those two (or their difference);
  - Tests shows a command that runs the tests (`mlings run ...` or `pytest ...`);
  - Known limits lists at least two limits, each a list item of six words or more.

Done when: every hint and docstring tells the truth about the code as it runs, and the README
section would get Ana from a fresh clone to the quoted MAE and its limits without asking you.

Stuck? Run `mlings hint`.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.linear_model import Ridge
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder

COLUMNS = ["sale_date", "rarity", "variant", "condition", "psa_grade", "price_usd"]
CUTOFF = "2024-01-01"  # sales from this day on are the test sales
README_PARTS = ("Setup", "Data", "Train and evaluate", "Tests", "Known limits")


def load_sales(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a sales CSV and keep the model's columns.

    Args:
        path: Where the CSV is (a string or any path object); it must hold every column of
            COLUMNS, extra columns are dropped.

    Returns:
        pd.DataFrame: the sales with a price above zero, renumbered from 0, and only the
        columns `sale_date` (datetimes), `rarity`, `variant`, `condition`, `psa_grade` and
        `price_usd` (USD), in that order.

    Raises:
        ValueError: when one or more of the COLUMNS is missing from the file.
    """
    sales = pd.read_csv(path, parse_dates=["sale_date"])
    missing = [column for column in COLUMNS if column not in sales.columns]
    if missing:
        raise ValueError(f"{path} has no column {', '.join(missing)}")
    sales = sales[COLUMNS]
    return sales[sales["price_usd"] > 0].reset_index(drop=True)


def build_features(sales: pd.DataFrame) -> pd.DataFrame:
    """Turn sales into the five model features.

    Args:
        sales: Sales from `load_sales` (any frame with its columns works).

    Returns:
        pd.DataFrame: a frame with the index of `sales` and five columns: `rarity` and
        `variant` as they are, `condition` with "graded" where it was empty, `psa_grade` with
        0.0 where it was empty, and `sale_year`, the calendar year the sale happened in.
    """
    return pd.DataFrame(
        {
            "rarity": sales["rarity"],
            "variant": sales["variant"],
            "condition": sales["condition"].fillna("graded"),
            "psa_grade": sales["psa_grade"].fillna(0.0),
            "sale_year": sales["sale_date"].dt.year,
        },
        index=sales.index,
    )


def fit_price_model(features: pd.DataFrame, prices: pd.Series | np.ndarray) -> Pipeline:
    """Train the price model on log prices.

    Args:
        features: Output of `build_features` for the training sales.
        prices: USD price of every training sale, aligned with `features`.

    Returns:
        Pipeline: scikit-learn pipeline (one-hot encoder for the three text columns, then
        Ridge with alpha=1.0), already fitted to np.log1p of `prices`. Call
        `predict_prices` on it to get dollars back.
    """
    encode = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore"), ["rarity", "variant", "condition"]),
        remainder="passthrough",
    )
    model = make_pipeline(encode, Ridge(alpha=1.0))
    return model.fit(features, np.log1p(prices))


def predict_prices(model: Pipeline, features: pd.DataFrame) -> np.ndarray:
    """Price every sale in dollars with a fitted model.

    Args:
        model: What `fit_price_model` returned.
        features: Output of `build_features` for the sales to price.

    Returns:
        np.ndarray: one price in USD per row of `features`, a 1-D array in the same order,
        converted back with np.expm1 and clipped so no price is negative.
    """
    return np.clip(np.expm1(model.predict(features)), 0.0, None)


def mae_usd(actual: pd.Series | np.ndarray, predicted: pd.Series | np.ndarray) -> float:
    """Average absolute pricing error in dollars.

    Args:
        actual: True prices in USD.
        predicted: Predicted prices in USD, position by position with `actual` (the index of
            a Series is ignored).

    Returns:
        float: mean of |actual - predicted|, in USD.

    Raises:
        ValueError: when the two inputs differ in shape.
    """
    actual = np.asarray(actual, dtype=float)
    predicted = np.asarray(predicted, dtype=float)
    if actual.shape != predicted.shape:
        raise ValueError(f"{actual.shape[0]} actual prices but {predicted.shape[0]} predicted")
    return float(np.mean(np.abs(actual - predicted)))


def baseline_prices(train: pd.DataFrame, test: pd.DataFrame) -> pd.Series:
    """The per-rarity median baseline's price of each test sale (no need to change this function).

    Parameters
    ----------
    train : pd.DataFrame
        Sales the medians are learned from, with `rarity` and `price_usd`.
    test : pd.DataFrame
        Sales to price, with `rarity`.

    Returns
    -------
    pd.Series
        One price in USD per row of `test`, on its index: the median `price_usd` of the sale's
        rarity in `train`, or the median of all of `train` for a rarity `train` never saw.
    """
    medians = train.groupby("rarity")["price_usd"].median()
    return test["rarity"].map(medians).fillna(train["price_usd"].median())


def evaluate(sales: pd.DataFrame, cutoff: str | pd.Timestamp = CUTOFF) -> dict[str, float]:
    """Score the model and the baseline on a time split.

    Args:
        sales: Sales from `load_sales`.
        cutoff: The split date; a sale on or after it is a test sale, one before it a
            training sale. Defaults to CUTOFF.

    Returns:
        dict[str, float]: two test errors in USD, `mae_usd` for the ridge model and
        `baseline_mae_usd` for the per-rarity medians of `baseline_prices`.

    Raises:
        ValueError: when either side of the split is empty.
    """
    train = sales[sales["sale_date"] < cutoff]
    test = sales[sales["sale_date"] >= cutoff]
    if train.empty or test.empty:
        raise ValueError(f"cutting at {cutoff} leaves no training or no test sales")
    model = fit_price_model(build_features(train), train["price_usd"])
    predicted = predict_prices(model, build_features(test))
    return {
        "mae_usd": mae_usd(test["price_usd"], predicted),
        "baseline_mae_usd": mae_usd(test["price_usd"], baseline_prices(train, test)),
    }


README_SECTION = """\
# Card-price model: onboarding

#### Setup

Clone the course and install it into a fresh virtual environment (Python 3.11+). Every
command below is run from the course root with that environment active.

```bash
python3 -m venv .venv && . .venv/bin/activate && pip install -e ".[dev]"
python -m mlings.dataset --check
```

The second command confirms your copy of the data matches the generator byte for byte.

#### Data

Training and test sales both come from one file, data/sales_clean.csv (40,000 sales between
2016 and 2024, prices in US dollars). Its columns are explained in data/DATA_CARD.md.

#### Train and evaluate

There is no separate training step: the script fits the model and scores it in one go,
training on sales dated before 2024-01-01 and testing on sales from that date to the end.

```bash
python exercises/07_collaboration/08_document_model.py
```

From Python, the same numbers come from two calls:

```python
import runpy

model = runpy.run_path("exercises/07_collaboration/08_document_model.py")
print(model["evaluate"](model["load_sales"]("data/sales_clean.csv")))
```

Expect a model test MAE of $175.31 against $196.79 for the per-rarity median baseline.

#### Tests

The course's hidden checks exercise every function here; run them after any change:

```bash
mlings run document_model
```

#### Known limits

1. It knows nothing about the card itself beyond its rarity and printing.
2. The year enters as a linear number, so future years are pure extrapolation.
3. Errors are measured once, on 2024 sales, with no confidence interval.
"""


if __name__ == "__main__":
    data = Path(__file__).resolve().parents[2] / "data"
    metrics = evaluate(load_sales(data / "sales_clean.csv"))
    print(f"Test MAE on the sales from {CUTOFF} on (data/sales_clean.csv):")
    print(f"  model                 ${metrics['mae_usd']:,.2f}")
    print(f"  per-rarity baseline   ${metrics['baseline_mae_usd']:,.2f}")
    print()
    print(README_SECTION or "README_SECTION is still empty.")
