"""Wrong: the review names the unseeded sample but misses the unseeded KFold shuffle.

Code smells in a notebook export

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
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_absolute_error
from sklearn.model_selection import KFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

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
SMELLS: list[Finding] = [
    Finding(
        file=FILE,
        lines=(33, 33),
        category="unseeded-randomness",
        severity="major",
        note="sales.sample(n=SAMPLE_ROWS) has no random_state, so every run scores another "
        "20,000 sales and the reported MAE moves from run to run.",
    ),
    Finding(
        file=FILE,
        lines=(66, 66),
        category="fitted-across-folds",
        severity="blocker",
        note="rarity_price is the mean log price per rarity over all sampled rows, test folds "
        "included, so each test sale's own price leaks into its feature and the CV MAE is "
        "better than the model will do on new sales.",
    ),
    Finding(
        file=FILE,
        lines=(69, 69),
        category="fitted-across-folds",
        severity="major",
        note="The StandardScaler is fitted once on every row, then reused in each fold: the "
        "test folds' means and spreads shaped the training features, an optimistic score.",
    ),
    Finding(
        file=FILE,
        lines=(41, 44),
        category="silent-except",
        severity="major",
        note="except Exception: pass turns a missing, zero or negative price (or any other "
        "error) into None, and the dropna below removes those sales without telling anyone.",
    ),
    Finding(
        file=FILE,
        lines=(81, 81),
        category="magic-number",
        severity="blocker",
        note="The MAE is multiplied by an unexplained 0.87 before it is printed, so the number "
        "going into the quarterly report is 13% lower than the one measured.",
    ),
    Finding(
        file=FILE,
        lines=(56, 56),
        category="magic-number",
        severity="minor",
        note="fillna(5) gives every card without a condition the score 5 with no word on why: "
        "nobody knows it stands for a graded slab, or what changes if the scale changes.",
    ),
    Finding(
        file=FILE,
        lines=(59, 59),
        category="notebook-state",
        severity="major",
        note="make_features reads the global rarity_price, which only exists once cell 5 ran: "
        "run top to bottom it fails, and after another run it uses whatever values are left.",
    ),
    Finding(
        file=FILE,
        lines=(70, 70),
        category="notebook-state",
        severity="minor",
        note="maes is emptied in cell 5 but filled in cell 6, so re-running cell 6 appends "
        "five more folds and the printed mean mixes old and new runs.",
    ),
]


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
    price = frame["price_usd"]
    bad = price.isna() | (price <= 0)
    if bad.any():
        raise ValueError(
            f"{int(bad.sum())} sales have a missing or non-positive price_usd: "
            "fix or remove them before cross-validating"
        )
    maes = []
    folds = KFold(n_splits=n_splits, shuffle=True, random_state=seed)
    for train_rows, test_rows in folds.split(frame):
        train, test = frame.iloc[train_rows], frame.iloc[test_rows]
        rarity_value = fit_rarity_value(train)
        model = make_pipeline(StandardScaler(), Ridge(alpha=RIDGE_ALPHA))
        model.fit(features(train, rarity_value), np.log(train["price_usd"]))
        predicted = np.exp(model.predict(features(test, rarity_value)))
        maes.append(mean_absolute_error(test["price_usd"], predicted))
    return float(np.mean(maes))


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
