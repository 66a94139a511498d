"""Train the card-price model and write down how well it does.

    python -m pokemarket.train data/sales_clean.csv models/

The model learns from the sales before CUTOFF; the sales from CUTOFF on are the validation
period, scored once, and their mean absolute error (in dollars) goes into metrics.json next to
the model.
"""

import json
import sys
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
from sklearn.compose import TransformedTargetRegressor, make_column_transformer
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.metrics import mean_absolute_error
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OrdinalEncoder

CUTOFF = "2024-01-01"  # sales from this day on are the validation period
CATEGORICAL = ["rarity", "variant", "condition", "platform"]
NUMERIC = ["psa_grade"]
PARAMS = {"learning_rate": 0.1, "max_iter": 200, "max_leaf_nodes": 31}
SEED = 151


def build_model() -> Pipeline:
    """Encode the text columns, then gradient boosting on the log price."""
    encode = make_column_transformer(
        (OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1), CATEGORICAL),
        ("passthrough", NUMERIC),
        verbose_feature_names_out=False,
    )
    boosting = HistGradientBoostingRegressor(
        **PARAMS, categorical_features=CATEGORICAL, random_state=SEED
    )
    encode.set_output(transform="pandas")
    log_price = TransformedTargetRegressor(boosting, func=np.log1p, inverse_func=np.expm1)
    return make_pipeline(encode, log_price)


def split(sales: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(training sales, validation sales): before CUTOFF, and from CUTOFF on."""
    before = sales["sale_date"] < CUTOFF
    return sales[before], sales[~before]


def dollar_mae(model: Pipeline, sales: pd.DataFrame) -> float:
    """Mean absolute error of the model's prices on these sales, in dollars."""
    return float(mean_absolute_error(sales["price_usd"], model.predict(sales)))


def train(sales: pd.DataFrame) -> tuple[Pipeline, dict]:
    """Fit on the training sales; score on the validation sales."""
    train_rows, valid_rows = split(sales)
    model = build_model().fit(train_rows, train_rows["price_usd"])
    metrics = {
        "params": PARAMS,
        "cutoff": CUTOFF,
        "n_train": len(train_rows),
        "n_valid": len(valid_rows),
        "valid_mae_usd": dollar_mae(model, valid_rows),
    }
    return model, metrics


def main(argv: list[str]) -> None:
    sales_csv, out = Path(argv[0]), Path(argv[1])
    sales = pd.read_csv(sales_csv, parse_dates=["sale_date"])
    model, metrics = train(sales)
    out.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, out / "price_model.joblib")
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2))
    print(f"validation MAE: ${metrics['valid_mae_usd']:.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
