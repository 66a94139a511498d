"""ALTERNATIVE: TargetEncoder with its default cv=5 (shuffled, unseeded) and a fixed smoothing, as
2-D arrays."""

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.preprocessing import TargetEncoder

DATA = Path(__file__).resolve().parents[2] / "data"


def target_encode(
    train: pd.DataFrame,
    y_train: pd.Series | np.ndarray,
    test: pd.DataFrame,
    column: str = "set_code",
) -> tuple[np.ndarray, np.ndarray]:
    """(train encoded by cross-fitting, test encoded from all of train) for one column."""
    encoder = TargetEncoder(target_type="continuous", smooth=10.0)
    return encoder.fit_transform(train[[column]], y_train), encoder.transform(test[[column]])


if __name__ == "__main__":
    catalog = pd.read_csv(DATA / "cards.csv")
    history = pd.read_csv(DATA / "sales_clean.csv", parse_dates=["sale_date"])
    history = history.merge(catalog[["card_id", "set_code"]], on="card_id")
    is_train = history["sale_date"] < "2024-01-01"
    train, test = history[is_train], history[~is_train]
    encoded_train, encoded_test = target_encode(train, np.log1p(train["price_usd"]), test)
    print(np.corrcoef(encoded_train, np.log1p(train["price_usd"]))[0, 1])
    print(np.corrcoef(encoded_test, np.log1p(test["price_usd"]))[0, 1])
