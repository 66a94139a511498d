"""Early stopping on a validation carve cut by time and card, then a refit

A boosted model adds trees one at a time; too few and it underfits, too many and it starts
memorising (you saw it in the last exercise). Early stopping picks the number of trees for you:
after each tree, LightGBM scores a validation set and stops once the score has not improved for
`PATIENCE` rounds; `best_iteration_` remembers the best round.

The validation set decides something about the model, so it is part of training. It must be
carved from the training sales, never be the test set: a model stopped on the test set has been
tuned on it, and its test score is no longer an honest estimate of the next month's error. And
it must be carved the way the test set is cut: PokéMarket's model prices next month's sales,
often of cards it never saw sold. A random fifth of the training rows holds sales of the very
cards the model fits on, a few days apart; more trees memorise those cards better, so the
validation error keeps falling and the model stops far too late. Carve by time and card, as
module 1's split does: hold out a share of the cards, validate on their sales of the last
VALIDATION_DAYS, fit on the other cards' sales before that.

The carve has done its job once it has chosen the number of trees. The final model is then
refitted on ALL the training sales with that many trees, so that it also learns from the newest
sales and the held-out cards.

LightGBM 4.7 takes the validation set as `fit(X, y, eval_X=..., eval_y=...)` (the older
`eval_set=[(X, y)]` is deprecated and warns) and stops with the callback
`lgb.early_stopping(PATIENCE, verbose=False)`.

Write:

- carve_validation:  split the training sales into (fit, val), two tables of its rows. The
                     cutoff is the last sale date minus VALIDATION_DAYS days; val holds
                     VALIDATION_SHARE of the cards (round(share * number of distinct cards),
                     drawn from the SORTED card ids with np.random.default_rng(seed)), their
                     sales on or after the cutoff; fit is the other cards' sales before it;
- fit_early_stopped: make_model(seed) trained on features(fit), target(fit), stopped early on
                     the val part;
- fit_final:         make_model(seed, n_estimators=<the early-stopped best_iteration_>) fitted
                     on all the training sales;
- train_and_test:    (the number of trees of the final model, its MAE on the test sales).

Done when: no card of the validation sales is among the fit sales and every validation sale
comes after every fit sale; the model stops well before MAX_ROUNDS; replacing the test labels
with noise changes the test MAE but not the number of trees; the final model is the refit.

Stuck? Run `mlings hint`.
"""

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.metrics import mean_absolute_error  # noqa: F401 (yours to use)

MAX_ROUNDS = 500
PATIENCE = 20
VALIDATION_SHARE = 0.2  # of the cards
VALIDATION_DAYS = 365  # the last year of the training sales
CATEGORICAL = ("rarity", "variant", "condition", "platform", "series")


def features(sales: pd.DataFrame) -> pd.DataFrame:
    """What the card is and which copy sold (text columns as category), row for row."""
    X = pd.DataFrame({column: sales[column].astype("category") for column in CATEGORICAL})
    X["psa_grade"] = sales["psa_grade"]
    X["card_age_years"] = (sales["sale_date"] - sales["release_date"]).dt.days / 365.25
    return X


def target(sales: pd.DataFrame) -> pd.Series:
    """The log price the model learns."""
    return np.log1p(sales["price_usd"])


def make_model(seed: int, n_estimators: int = MAX_ROUNDS) -> lgb.LGBMRegressor:
    """The pricing model: seeded, single-threaded, quiet."""
    return lgb.LGBMRegressor(
        n_estimators=n_estimators, learning_rate=0.1, random_state=seed, n_jobs=1, verbose=-1
    )


def carve_validation(train: pd.DataFrame, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(fit, val): other cards' sales before the cutoff, held-out cards' sales from it on."""
    # TODO: the cutoff is the last sale date minus VALIDATION_DAYS days; draw VALIDATION_SHARE
    # of the sorted card ids with np.random.default_rng(seed); val = their sales on or after
    # the cutoff, fit = the other cards' sales before it.
    raise NotImplementedError("carve_validation: hold out a share of the cards' latest sales")


def fit_early_stopped(train: pd.DataFrame, seed: int = 0) -> lgb.LGBMRegressor:
    """make_model(seed) fitted on the fit part, stopped early on the validation part."""
    # TODO: carve; fit make_model(seed) on features(fit), target(fit) with eval_X=, eval_y=
    # (the validation part's) and callbacks=[lgb.early_stopping(PATIENCE, verbose=False)].
    raise NotImplementedError("fit_early_stopped: fit on the fit part, stop on the validation")


def fit_final(train: pd.DataFrame, seed: int = 0) -> lgb.LGBMRegressor:
    """The early-stopped number of trees, refitted on all the training sales."""
    # TODO: the number of trees early stopping chose, then a fresh make_model with that many,
    # fitted on every training sale.
    raise NotImplementedError("fit_final: refit on all training sales with best_iteration_")


def train_and_test(train: pd.DataFrame, test: pd.DataFrame, seed: int = 0) -> tuple[int, float]:
    """(number of trees, test MAE) of the final model, chosen and fitted on train only."""
    # TODO: the test sales only score the final model.
    raise NotImplementedError("train_and_test: choose and refit on train, then score on test")


if __name__ == "__main__":
    from pathlib import Path

    data = Path(__file__).resolve().parents[2] / "data"
    catalog = pd.read_csv(data / "cards.csv", parse_dates=["release_date"])
    sales = pd.read_csv(data / "sales_clean.csv", parse_dates=["sale_date"]).sample(
        8000, random_state=0
    )
    sales = sales.join(catalog.set_index("card_id")[["series", "release_date"]], on="card_id")
    is_test = sales["sale_date"] >= "2024-01-01"
    rounds, mae = train_and_test(sales[~is_test], sales[is_test])
    print(f"{rounds} trees; test MAE {mae:.3f}")
