"""Wrong: price_listings rounds the prices to cents, so they are not exactly the model's.

Ship the whole pipeline

The price model passed its review, and PokéMarket is shipping it: the pricing service will
suggest a price for every new listing. The service is a separate process on another machine.
It has your code, but not your notebook, not the training sales, and no time to retrain: all
that crosses over from training is ONE file. As PokéMarket's first ML engineer, you decide
what goes into that file.

A model is more than its last step. train_price_model fits a Pipeline: a ColumnTransformer that
fills the empty condition of graded cards, one-hot encodes rarity, variant and condition with
the categories it LEARNED from the training sales, and fills the missing PSA grade of raw
cards; then a Ridge regression on log prices (TransformedTargetRegressor turns its answers back
into dollars). Save only the final estimator (`model[-1]`, or `model.named_steps[...]`) and the
service gets a regressor that expects a matrix of one-hot columns and cannot read a listing
that says "Holo Rare"; rebuilding the encoder there means refitting it on data the service does
not have. Save the whole fitted pipeline and the service loads one object that takes RAW listing
rows (the columns the platform sends, condition empty when graded) and returns dollars. The
ColumnTransformer picks its columns by name, so rows with extra columns (listing_id, card_id,
...) in any order are fine.

joblib (installed with scikit-learn) writes a fitted model to one file: a pickle, with its
numpy arrays stored efficiently. A pickle is only safe to load if you made it: that is the next
exercise.

Write:

- save_model:     write the whole fitted pipeline to `path` (a str or a Path) with joblib, and
                  return the path written, as a Path;
- load_model:     the model saved at `path`, read from that file alone: no training, no data;
- price_listings: the model's suggested price in dollars for each raw listing row, as a Series
                  named "price_usd" with the listings' index; the rows come as the platform sends
                  them (extra columns, any column order, condition empty for graded cards).

Done when: a fresh Python process, with nothing but your file and the saved model file, loads
the model and prices raw listing rows exactly as the model did when it was trained.

Stuck? Run `mlings hint`.
"""

from pathlib import Path

import joblib
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder

CATEGORIES = ["rarity", "variant", "condition"]
FEATURES = [*CATEGORIES, "psa_grade"]


def train_price_model(sales: pd.DataFrame) -> Pipeline:
    """The fitted price model: raw rows in, dollars out (no need to change this function)."""
    categories = make_pipeline(
        SimpleImputer(strategy="constant", fill_value="graded"),  # condition is empty when graded
        OneHotEncoder(handle_unknown="ignore"),
    )
    features = ColumnTransformer(
        [
            ("categories", categories, CATEGORIES),
            ("grade", SimpleImputer(strategy="constant", fill_value=0.0), ["psa_grade"]),
        ]
    )
    regressor = TransformedTargetRegressor(Ridge(alpha=1.0), func=np.log1p, inverse_func=np.expm1)
    model = Pipeline([("features", features), ("regressor", regressor)])
    return model.fit(sales[FEATURES], sales["price_usd"])


def save_model(model: Pipeline, path: str | Path) -> Path:
    """Write the whole fitted pipeline to path with joblib; the path written."""
    path = Path(path)
    joblib.dump(model, path)
    return path


def load_model(path: str | Path) -> Pipeline:
    """The model saved at path, from that file alone."""
    return joblib.load(path)


def price_listings(model: Pipeline, listings: pd.DataFrame) -> pd.Series:
    """The model's price in dollars for each raw listing row, on the listings' index."""
    prices = model.predict(listings).round(2)  # dollars and cents
    return pd.Series(prices, index=listings.index, name="price_usd")


if __name__ == "__main__":
    import tempfile

    data = Path(__file__).resolve().parents[2] / "data"
    sales = pd.read_csv(data / "sales_clean.csv")
    model = train_price_model(sales)
    listings = pd.read_csv(data / "production_stable.csv").drop(columns="price_usd").head(8)
    with tempfile.TemporaryDirectory() as folder:
        written = save_model(model, Path(folder) / "price_model.joblib")
        print(f"saved {written.name}: {written.stat().st_size:,} bytes")
        served = load_model(written)
    print(f"loaded a {type(served).__name__} with steps {list(served.named_steps)}")
    prices = price_listings(served, listings).round(2)
    print(listings[["listing_id", "rarity", "condition", "psa_grade"]].join(prices))
