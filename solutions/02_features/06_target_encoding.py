"""Target encoding without leakage

Which set a card comes from says a lot about its price: a Base Set card is not an Obsidian
Flames card. But there are 84 sets, and more every quarter; one-hot encoding them adds a column
per set, most of them nearly empty. Target encoding replaces each set by one number: the
average target (here, log1p of the price) of that set's sales.

The trap: if a row's own price goes into its set's average, the encoding has already seen the
answer. For a set with few sales, the average IS mostly the row's own price, and a model
learns to trust the column far more than it deserves. The cure is cross-fitting: split the
training rows into K folds, and encode the rows of each fold with averages computed on the
other folds only. New rows (test, production) are encoded with averages over all training
rows, since their prices are never known.

scikit-learn's TargetEncoder does exactly this, but only inside fit_transform: fit(X, y) and
then transform(X) on the same rows is the leaky version. (In scikit-learn 1.9, choose its folds
with cv=KFold(5, shuffle=True, random_state=0); its shuffle= and random_state= are deprecated.)

Write target_encode(train, y_train, test, column="set_code"): return (train_encoded,
test_encoded), one number per row of train and of test (arrays or Series):

- train rows: cross-fitted (each row encoded without its own target);
- test rows: encoded from all training rows; a set never seen in training gets a sensible
  finite number (the overall mean, say), not NaN or an error.

Done when: on a target that is pure noise, the train encoding does not correlate with it
(|correlation| < 0.05; the leaky version gives about 0.16), and on the real log price it
carries the set's signal, on train and on test.

Stuck? Run `mlings hint`.
"""

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import KFold
from sklearn.preprocessing import TargetEncoder

DATA = Path(__file__).resolve().parents[2] / "data"


def target_encode(
    train: pd.DataFrame,
    y_train: pd.Series | np.ndarray,
    test: pd.DataFrame,
    column: str = "set_code",
) -> tuple[np.ndarray, np.ndarray]:
    """(train encoded by cross-fitting, test encoded from all of train) for one column."""
    folds = KFold(n_splits=5, shuffle=True, random_state=0)
    encoder = TargetEncoder(target_type="continuous", cv=folds)
    encoded_train = encoder.fit_transform(train[[column]], y_train)  # cross-fitted
    encoded_test = encoder.transform(test[[column]])  # from every training row
    return encoded_train[:, 0], encoded_test[:, 0]


if __name__ == "__main__":
    catalog = pd.read_csv(DATA / "cards.csv")
    history = pd.read_csv(DATA / "sales_clean.csv", parse_dates=["sale_date"])
    history = history.merge(catalog[["card_id", "set_code"]], on="card_id")
    is_train = history["sale_date"] < "2024-01-01"
    train, test = history[is_train], history[~is_train]
    log_price = np.log1p(train["price_usd"])
    encoded_train, encoded_test = target_encode(train, log_price, test)
    print(f"train: {np.corrcoef(encoded_train, log_price)[0, 1]:+.3f} with the log price")
    print(f"test:  {np.corrcoef(encoded_test, np.log1p(test['price_usd']))[0, 1]:+.3f}")
    noise = np.random.default_rng(0).normal(size=len(train))
    encoded_noise, _ = target_encode(train, noise, test)
    print(f"noise: {np.corrcoef(encoded_noise, noise)[0, 1]:+.3f} (an honest encoding: near 0)")
