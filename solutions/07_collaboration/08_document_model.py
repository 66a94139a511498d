"""Document the price model for the next teammate

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
    parameter, a value in the frame, a name in this module, or a column of the input named
    as the source of a value: "the year of `sale_date`".)
  - Raises: every exception the function raises itself (its `raise` statements);
- no change of behaviour: the checks compare every function with the original (what it
  returns, its type and shape included);
- README_SECTION: a markdown onboarding section with a heading (# to ####) for each part of
  README_PARTS, each with a few sentences of its own, and no TODO/TBD left:
  - Setup, Train and evaluate and Tests each show their commands in a fenced code block; every
    command must work typed at the course root: paths exist (from there, or in data/),
    `python -m` modules exist, `mlings` commands and exercise names are real, and Python code
    runs as pasted (this file's name starts with a digit, so `import` cannot reach it:
    `runpy.run_path` can);
  - Data names the file the model learns from, in data/ (any .csv named anywhere must exist);
  - Train and evaluate quotes the model's test MAE and the baseline's exactly as this file
    prints them when run (to the cent: $1,234.56, not "about $1,235"), with the date the sales
    are split at. Each number is read as the MAE of the label (model or baseline) written
    nearest to it in its sentence or table row. Every dollar amount in that part must be one
    of those two, or their difference, to the cent;
  - Tests shows a command that runs this exercise's own checks (`mlings run` naming this
    exercise; pytest on the course's tests does not run them);
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
    """Read a sales file and keep what the price model needs.

    Parameters
    ----------
    path : str or Path
        A sales CSV such as data/sales_clean.csv, with (at least) the columns of `COLUMNS`.

    Returns
    -------
    pd.DataFrame
        One row per sale with a positive price, in file order on a fresh 0..n-1 index, and the
        columns `sale_date` (datetime), `rarity`, `variant`, `condition` (empty when graded),
        `psa_grade` (empty when raw) and `price_usd`.

    Raises
    ------
    ValueError
        If the file lacks one of those columns.
    """
    sales = pd.read_csv(path, parse_dates=["sale_date"])
    missing = [column for column in COLUMNS if column not in sales.columns]
    if missing:
        raise ValueError(f"{path} has no column {', '.join(missing)}")
    sales = sales[COLUMNS]
    return sales[sales["price_usd"] > 0].reset_index(drop=True)


def build_features(sales: pd.DataFrame) -> pd.DataFrame:
    """The model's inputs, one row per sale.

    Parameters
    ----------
    sales : pd.DataFrame
        Sales as `load_sales` returns them.

    Returns
    -------
    pd.DataFrame
        On the index of `sales`, the columns `rarity`, `variant`, `condition` ("graded" for a
        graded copy), `psa_grade` (0.0 for a raw copy) and `sale_year` (the year of the sale).
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
    """Fit the price model: a ridge regression of log1p(price) on the features.

    Parameters
    ----------
    features : pd.DataFrame
        The training sales' features, as `build_features` returns them.
    prices : pd.Series
        Their sale prices in USD, one per row of `features`.

    Returns
    -------
    Pipeline
        The fitted pipeline (one-hot encoding, then ridge). Its `predict` gives log1p(price):
        use `predict_prices` for dollars.
    """
    encode = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore"), ["rarity", "variant", "condition"]),
        remainder="passthrough",
    )
    model = make_pipeline(encode, Ridge(alpha=1.0))
    return model.fit(features, np.log1p(prices))


def predict_prices(model: Pipeline, features: pd.DataFrame) -> np.ndarray:
    """Predict sale prices in dollars.

    Parameters
    ----------
    model : Pipeline
        A model fitted by `fit_price_model`.
    features : pd.DataFrame
        The sales to price, as `build_features` returns them.

    Returns
    -------
    np.ndarray
        Float prices in USD, never negative, of shape (n_rows,): one per row of `features`, in
        its order (the model's log1p output turned back into dollars).
    """
    return np.clip(np.expm1(model.predict(features)), 0.0, None)


def mae_usd(actual: pd.Series | np.ndarray, predicted: pd.Series | np.ndarray) -> float:
    """Mean absolute error between two sets of prices.

    Parameters
    ----------
    actual : pd.Series or np.ndarray
        The prices the sales fetched, in USD.
    predicted : pd.Series or np.ndarray
        The predicted prices in USD, one per actual price, in the same order.

    Returns
    -------
    float
        The mean absolute difference, in USD.

    Raises
    ------
    ValueError
        If `actual` and `predicted` differ in length.
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
    """Train on the sales before a date and score the sales from that date on.

    Parameters
    ----------
    sales : pd.DataFrame
        Sales as `load_sales` returns them.
    cutoff : str
        ISO date: sales before it train the model, sales from it on test it.

    Returns
    -------
    dict[str, float]
        `mae_usd`, the model's mean absolute error on the test sales, and `baseline_mae_usd`,
        the per-rarity median baseline's (`baseline_prices`), both in USD.

    Raises
    ------
    ValueError
        If `cutoff` leaves no training sales or no test sales.
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
## Setup

You need Python 3.11 or newer and git. From the course root, make a virtual environment and
install the course with its pinned dependencies:

```sh
python -m venv .venv
. .venv/bin/activate
pip install -e .
```

## Data

The model learns from `data/sales_clean.csv`: 40,000 PokéMarket card sales from 2016-01-01 to
2024-12-31, one row per listing, prices already in USD. The data is synthetic, generated by
`mlings/dataset/` from a fixed seed, and `data/DATA_CARD.md` explains every column. To check
that your copy matches the generator:

```sh
python -m mlings.dataset --check
```

## Train and evaluate

`load_sales` reads the file, `build_features` makes the five inputs, `fit_price_model` fits a
ridge regression on log1p(price) and `predict_prices` turns its output back into dollars.
`evaluate` trains on the sales before 2024-01-01 and scores the sales from that day on. Run it:

```sh
python exercises/07_collaboration/08_document_model.py
```

On the 2024 test sales the model's MAE is $175.31, against $196.79 for the per-rarity median
baseline: better, but not by much.

## Tests

The module's checks run with mlings, on small generated sales:

```sh
mlings run document_model
```

## Known limits

- The MAE is driven by a few expensive graded vintage cards; most cards cost far less.
- The model never sees which card was sold: no set, no Pokémon, no age of the card.
- `sale_year` enters linearly, so prices after 2024 are an extrapolation of the trend.
- A rarity it never saw in training, like those first printed in 2025, gets no rarity effect.
"""


if __name__ == "__main__":
    data = Path(__file__).resolve().parents[2] / "data"
    metrics = evaluate(load_sales(data / "sales_clean.csv"))
    print(f"Test MAE on the sales from {CUTOFF} on (data/sales_clean.csv):")
    print(f"  model                 ${metrics['mae_usd']:,.2f}")
    print(f"  per-rarity baseline   ${metrics['baseline_mae_usd']:,.2f}")
    print()
    print(README_SECTION or "README_SECTION is still empty.")
