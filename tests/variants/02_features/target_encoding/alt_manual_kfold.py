"""ALTERNATIVE: K folds by hand with plain per-fold means, the fold's overall mean for sets it
lacks, Series out."""

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import KFold

DATA = Path(__file__).resolve().parents[2] / "data"


def target_encode(
    train: pd.DataFrame,
    y_train: pd.Series | np.ndarray,
    test: pd.DataFrame,
    column: str = "set_code",
) -> tuple[np.ndarray, np.ndarray]:
    """(train encoded by cross-fitting, test encoded from all of train) for one column."""
    y = pd.Series(np.asarray(y_train, dtype=float), index=train.index)
    encoded_train = pd.Series(np.nan, index=train.index)
    for fit_rows, encode_rows in KFold(n_splits=5, shuffle=True, random_state=42).split(train):
        fit_y = y.iloc[fit_rows]
        means = fit_y.groupby(train[column].iloc[fit_rows]).mean()
        codes = train[column].iloc[encode_rows].map(means).fillna(fit_y.mean())
        encoded_train.iloc[encode_rows] = codes.to_numpy()
    all_means = y.groupby(train[column]).mean()
    encoded_test = test[column].map(all_means).fillna(y.mean())
    return encoded_train, encoded_test


if __name__ == "__main__":
    catalog = pd.read_csv(DATA / "cards.csv")
    history = pd.read_csv(DATA / "sales_clean.csv", parse_dates=["sale_date"])
    history = history.merge(catalog[["card_id", "set_code"]], on="card_id")
    is_train = history["sale_date"] < "2024-01-01"
    train, test = history[is_train], history[~is_train]
    encoded_train, encoded_test = target_encode(train, np.log1p(train["price_usd"]), test)
    print(np.corrcoef(encoded_train, np.log1p(train["price_usd"]))[0, 1])
    print(np.corrcoef(encoded_test, np.log1p(test["price_usd"]))[0, 1])
