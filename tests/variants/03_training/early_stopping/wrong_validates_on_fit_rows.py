"""WRONG: carves validation sales but still fits on every training sale, them included."""

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.metrics import mean_absolute_error

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
    cutoff = train["sale_date"].max() - pd.Timedelta(days=VALIDATION_DAYS)
    cards = np.sort(train["card_id"].unique())
    rng = np.random.default_rng(seed)
    held = rng.choice(cards, size=round(VALIDATION_SHARE * len(cards)), replace=False)
    is_held = train["card_id"].isin(held)
    before = train["sale_date"] < cutoff
    return train[~is_held & before], train[is_held & ~before]


def fit_early_stopped(train: pd.DataFrame, seed: int = 0) -> lgb.LGBMRegressor:
    """make_model(seed) fitted on the fit part, stopped early on the validation part."""
    _, val = carve_validation(train, seed)
    model = make_model(seed)
    model.fit(
        features(train),
        target(train),
        eval_X=features(val),
        eval_y=target(val),
        callbacks=[lgb.early_stopping(PATIENCE, verbose=False)],
    )
    return model


def fit_final(train: pd.DataFrame, seed: int = 0) -> lgb.LGBMRegressor:
    """The early-stopped number of trees, refitted on all the training sales."""
    rounds = fit_early_stopped(train, seed).best_iteration_
    return make_model(seed, n_estimators=rounds).fit(features(train), target(train))


def train_and_test(train: pd.DataFrame, test: pd.DataFrame, seed: int = 0) -> tuple[int, float]:
    """(number of trees, test MAE) of the final model, chosen and fitted on train only."""
    model = fit_final(train, seed)
    mae = mean_absolute_error(target(test), model.predict(features(test)))
    return model.n_estimators, float(mae)


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
