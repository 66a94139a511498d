"""WRONG: always encodes set_code, whatever column it is asked for."""

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
    encoded_train = encoder.fit_transform(train[["set_code"]], y_train)  # cross-fitted
    encoded_test = encoder.transform(test[["set_code"]])  # from every training row
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
