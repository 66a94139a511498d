"""Wrong: the README's test command names the exercise by its file, not its catalog name.

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


def load_sales(path: str | Path) -> pd.DataFrame:
    """Load the card sales the price model learns from.

    Parameters
    ----------
    path : str | Path
        The sales CSV, e.g. data/sales_clean.csv, with at least the columns in COLUMNS.

    Returns
    -------
    pd.DataFrame
        One row per sale with a positive price, indexed 0..n-1, with exactly the columns
        `sale_date` (parsed as dates), `rarity`, `variant`, `condition`, `psa_grade` and
        `price_usd` (the sale price in USD). Sales priced at 0 or less are dropped.

    Raises
    ------
    ValueError
        If the file lacks any of the columns in COLUMNS.
    """
    sales = pd.read_csv(path, parse_dates=["sale_date"])
    missing = [column for column in COLUMNS if column not in sales.columns]
    if missing:
        raise ValueError(f"{path} has no column {', '.join(missing)}")
    sales = sales[COLUMNS]
    return sales[sales["price_usd"] > 0].reset_index(drop=True)


def build_features(sales: pd.DataFrame) -> pd.DataFrame:
    """Build the model's input features from the sales.

    Parameters
    ----------
    sales : pd.DataFrame
        Sales as `load_sales` returns them, with `sale_date`, `rarity`, `variant`,
        `condition` and `psa_grade`.

    Returns
    -------
    pd.DataFrame
        One row per row of `sales`, on its index, with the columns `rarity`, `variant`,
        `condition` (a graded copy's empty condition becomes "graded"), `psa_grade` (0.0 for
        a raw copy) and `sale_year` (the year of the sale date).
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


def fit_price_model(features: pd.DataFrame, prices: pd.Series) -> Pipeline:
    """Fit a ridge regression of log prices on the features.

    Parameters
    ----------
    features : pd.DataFrame
        Features as `build_features` returns them.
    prices : pd.Series
        The sale price in USD of each row of `features`.

    Returns
    -------
    Pipeline
        The fitted pipeline: one-hot encoding of `rarity`, `variant` and `condition` (other
        columns passed through), then a Ridge (alpha 1.0) trained on log1p of the prices.
        Its `predict` gives log1p prices; use `predict_prices` for USD.
    """
    encode = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore"), ["rarity", "variant", "condition"]),
        remainder="passthrough",
    )
    model = make_pipeline(encode, Ridge(alpha=1.0))
    return model.fit(features, np.log1p(prices))


def predict_prices(model: Pipeline, features: pd.DataFrame) -> np.ndarray:
    """Predict the price in USD of each row of the features.

    Parameters
    ----------
    model : Pipeline
        A pipeline fitted by `fit_price_model`.
    features : pd.DataFrame
        Features as `build_features` returns them.

    Returns
    -------
    np.ndarray
        Float array of shape (n_rows,): one predicted price in USD per row of `features`,
        back from the model's log scale and never below 0.
    """
    return np.clip(np.expm1(model.predict(features)), 0.0, None)


def mae_usd(actual: pd.Series | np.ndarray, predicted: pd.Series | np.ndarray) -> float:
    """Mean absolute error between actual and predicted prices, in USD.

    Parameters
    ----------
    actual : pd.Series | np.ndarray
        The real sale prices in USD.
    predicted : pd.Series | np.ndarray
        The predicted prices in USD, one per actual price, in the same order.

    Returns
    -------
    float
        The mean absolute difference, in USD.

    Raises
    ------
    ValueError
        If `actual` and `predicted` do not have the same shape.
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


def evaluate(sales: pd.DataFrame, cutoff: str = CUTOFF) -> dict[str, float]:
    """Train on the sales before a date, test on the rest, and compare with the baseline.

    Parameters
    ----------
    sales : pd.DataFrame
        Sales as `load_sales` returns them.
    cutoff : str
        An ISO date ("YYYY-MM-DD"): sales before it train the model, sales from it on test it.

    Returns
    -------
    dict[str, float]
        The test MAE in USD of the model, under `mae_usd`, and of the per-rarity median
        baseline, under `baseline_mae_usd`.

    Raises
    ------
    ValueError
        If the cutoff leaves no training sales or no test sales.
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
## The card-price model

`08_document_model.py` prices a card sale from its rarity, variant, condition, PSA grade and
sale year, with a ridge regression on log prices. It is evaluated against a per-rarity median
baseline on the most recent sales.

### Setup

You need Python 3.11 or newer. From the course root, create a virtual environment and install
the course with its dependencies:

```sh
python3 -m venv .venv
. .venv/bin/activate
pip install -e .
```

### Data

The model learns from `data/sales_clean.csv`: 40,000 clean card sales from 2016-01-01 to
2024-12-31, one row per listing, with prices already converted to USD. `data/DATA_CARD.md`
describes every column. The data is synthetic; `python -m mlings.dataset --check` verifies it.

### Train and evaluate

Running the file trains the model on the sales before 2024-01-01 and tests it on the sales
from 2024-01-01 on:

```sh
python exercises/07_collaboration/08_document_model.py
```

It prints a test MAE of $175.31 for the model and $196.79 for the per-rarity median
baseline: the model is $21.48 closer per sale on average.

### Tests

The course's checks test every function of this file:

```sh
mlings run 08_document_model
```

### Known limits

- The model never sees which card was sold, only its rarity.
- Sale year is a plain number, so later years are extrapolated linearly.
- Rarities unseen in training, like those of 2025, get no rarity effect.
- Only one time split is evaluated, so the MAE has no error bar.
- Sales priced at zero or less are silently dropped by `load_sales`.
"""


if __name__ == "__main__":
    data = Path(__file__).resolve().parents[2] / "data"
    metrics = evaluate(load_sales(data / "sales_clean.csv"))
    print(f"Test MAE on the sales from {CUTOFF} on (data/sales_clean.csv):")
    print(f"  model                 ${metrics['mae_usd']:,.2f}")
    print(f"  per-rarity baseline   ${metrics['baseline_mae_usd']:,.2f}")
    print()
    print(README_SECTION or "README_SECTION is still empty.")
