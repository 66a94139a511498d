"""Code smells in a notebook export

Before the price model's cross-validated MAE goes into the quarterly report, Kai, a teammate,
exported their notebook to a script and asked the team for a review:
exercises/07_collaboration/pokemarket_repo/notebooks/price_cv_export.py. It runs and prints a
number. Run it twice and the number moves; run its cells in another order and it breaks or,
worse, prints something else.

A code smell is a pattern that is not always a bug but makes one likely. Five of them bite ML
code hardest (SMELL_KINDS):

- unseeded-randomness: a random step (shuffling, sampling, splitting) without a seed: the
  result cannot be produced again, so nobody can tell a real improvement from luck;
- fitted-across-folds: something learned from data (a scaler, an encoder, a model's state)
  fitted once on all rows and reused in every fold: each test fold helped fit it, so the
  cross-validated score is better than the model will do on new data;
- magic-number: a bare number nobody explained: nobody knows where it came from, whether it
  is still right, or what breaks when it changes;
- silent-except: an `except` that swallows the error: bad data goes on (or quietly vanishes)
  and nobody finds out;
- notebook-state: code that works only because of which cells ran before, in which order: a
  function reading a global from another cell, a list that grows each time a cell is re-run.

A smell is a pattern, not a verdict: ask of each suspect line whether it can change the
result. Some lines in the notebook look suspicious and are fine.

Write:

- SMELLS: your review, a list of Finding(file=FILE, lines=(first, last), category=one of
  SMELL_KINDS, severity=one of SEVERITIES, note=a sentence on why it bites), one per smell;
  the same kind of smell may be there more than once. lines are the notebook's own line
  numbers (run this file to print them); for a fitted object, the line where it is fitted.
  It passes when every planted smell is named (same file, lines overlapping, right kind) and
  at most one finding names none.
- cross_validated_mae(frame, *, n_splits=5, seed=0): the notebook's experiment without its
  smells, on the sales it is given (columns as in data/sales_clean.csv). Raise a ValueError
  that says how many sales have a missing or non-positive price_usd, if any: never drop them
  silently. Otherwise split all the rows with KFold(n_splits, shuffle=True, random_state=seed);
  in each fold fit the rarity values (fit_rarity_value) and make_pipeline(StandardScaler(),
  Ridge(alpha=RIDGE_ALPHA)) on the fold's training rows only, with features(...) as X and the
  log of price_usd as y; predict the test rows back in dollars (exp) and take their MAE.
  Return the mean of the folds' MAEs, a float. It reads no state but its arguments and the
  module's constants, leaves frame unchanged, and gives the same number every time for the
  same arguments. Your functions hold no bare number but 0 and 1: name the others as
  module-level constants, each with a comment saying what it is.

Done when: your review names every smell with at most one false alarm, and your
cross_validated_mae reproduces the honest experiment exactly, for any seed and n_splits.

Stuck? Run `mlings hint`.
"""

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import Ridge  # noqa: F401 (you will need it)
from sklearn.metrics import mean_absolute_error  # noqa: F401 (you will need it)
from sklearn.model_selection import KFold  # noqa: F401 (you will need it)
from sklearn.pipeline import make_pipeline  # noqa: F401 (you will need it)
from sklearn.preprocessing import StandardScaler  # noqa: F401 (you will need it)

from mlings.review import SEVERITIES, Finding  # noqa: F401 (the severities to choose from)

FILE = "notebooks/price_cv_export.py"  # the notebook, as the repository names it
SMELL_KINDS = (
    "unseeded-randomness",
    "fitted-across-folds",
    "magic-number",
    "silent-except",
    "notebook-state",
)

CONDITION_SCORE = {"NM": 4, "LP": 3, "MP": 2, "HP": 1, "DMG": 0}  # ordinal: NM is best
GRADED_CONDITION = 5  # a graded card has no condition; the notebook scores its slab above NM
UNGRADED = 0  # psa_grade of a raw card, which has none
RIDGE_ALPHA = 3.0  # chosen by nested CV in notebooks/alpha_search.ipynb (May 2024)

# A finding reads like this one (made up: it names no line of the notebook):
#     Finding(file=FILE, lines=(12, 12), category="magic-number", severity="minor",
#             note="The 30 is a number of days nobody explained, so no one knows whether a
#             shorter window was tried or what breaks when it changes.")
SMELLS: list[Finding] = []  # TODO: one Finding per smell you find in the notebook


def fit_rarity_value(train: pd.DataFrame) -> pd.Series:
    """Mean log price per rarity over `train`: the learned encoding of rarity (no need to change
    this function)."""
    return np.log(train["price_usd"]).groupby(train["rarity"]).mean()


def features(frame: pd.DataFrame, rarity_value: pd.Series) -> pd.DataFrame:
    """The notebook's four numeric features of each sale, with rarity encoded by `rarity_value`
    (a rarity it lacks gets the mean of its values) (no need to change this function)."""
    return pd.DataFrame(
        {
            "condition": frame["condition"].map(CONDITION_SCORE).fillna(GRADED_CONDITION),
            "grade": frame["psa_grade"].fillna(UNGRADED),
            "first_edition": (frame["variant"] == "1st Edition").astype(int),
            "rarity_value": frame["rarity"].map(rarity_value).fillna(rarity_value.mean()),
        },
        index=frame.index,
    )


def cross_validated_mae(frame: pd.DataFrame, *, n_splits: int = 5, seed: int = 0) -> float:
    """The mean over the folds of the test rows' dollar MAE, everything fitted inside each fold."""
    # TODO: refuse bad prices out loud; then, fold by fold, fit everything on the training rows.
    raise NotImplementedError("cross_validated_mae: the notebook's experiment, without its smells")


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[2]
    notebook = root / "exercises" / "07_collaboration" / "pokemarket_repo" / FILE
    for number, line in enumerate(notebook.read_text(encoding="utf-8").splitlines(), start=1):
        print(f"{number:>4}  {line}")

    print(f"\nYour review: {len(SMELLS)} findings.")
    for finding in SMELLS:
        print(f"  lines {finding.lines}: {finding.category} ({finding.severity})")
    sales = pd.read_csv(root / "data" / "sales_clean.csv", parse_dates=["sale_date"])
    for seed in (0, 0, 1):
        print(f"cross-validated MAE, seed {seed}: ${cross_validated_mae(sales, seed=seed):,.2f}")
