"""Wrong: max_abs_difference subtracts Series with different indexes, so rows misalign."""

import numpy as np
import onnxruntime as ort
import pandas as pd
from skl2onnx import to_onnx
from skl2onnx.common.data_types import FloatTensorType, StringTensorType
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.linear_model import Ridge
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder

# In log-price units: 1e-4 is a 0.01% difference in price, far above float32's noise (about
# 1e-6 here) and far below any difference a seller could notice.
TOLERANCE = 1e-4

SCENARIOS = {
    "phone_app": (
        "The PokéMarket app (Kotlin on Android, Swift on iOS) shows a price the moment the "
        "camera recognises a card, also on a convention floor with no signal: the model has "
        "to run on the phone."
    ),
    "go_listing_service": (
        "The listing service is written in Go. Its team wants to price each new listing "
        "inside their own process, without a network call to a separate Python service."
    ),
    "audit_archive": (
        "Regulators ask PokéMarket to keep the exact price model behind each quarter's "
        "seller fees and to be able to rerun it for seven years, long after today's Python "
        "and scikit-learn versions stop installing."
    ),
    "title_parser": (
        "Next month's model gains a first step: a FunctionTransformer that runs a Python "
        "function reading the set name and card number out of the listing title with regular "
        "expressions."
    ),
    "hist_gradient_boosting": (
        "The data-science team's best model is now a HistGradientBoostingRegressor after the "
        "same one-hot encoding, and they want it in production as an ONNX file this week."
    ),
    "research_notebooks": (
        "Two researchers try a new feature set and a new model every day in notebooks, and "
        "compare them in Python on last month's sales; nothing they build leaves the "
        "notebook."
    ),
}
# Unsure whether skl2onnx can convert something? Fit it on a few rows and try export_onnx.

ONNX_IS_RIGHT: dict[str, bool] = {
    "phone_app": True,
    "go_listing_service": True,
    "audit_archive": True,
    "title_parser": False,
    "hist_gradient_boosting": False,
    "research_notebooks": False,
}


def train_price_model(X: pd.DataFrame, y, regressor=None) -> Pipeline:
    """One-hot encode the text columns, then fit `regressor` (Ridge by default) on log prices.

    (no need to change this function)
    """
    encode = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore"), make_column_selector(dtype_exclude="number")),
        remainder="passthrough",
    )
    return make_pipeline(encode, Ridge() if regressor is None else regressor).fit(X, y)


def export_onnx(model: Pipeline, X: pd.DataFrame) -> bytes:
    """The fitted pipeline as ONNX bytes: one input per column of X, typed from its dtype."""
    initial_types = [
        (
            column,
            FloatTensorType([None, 1])
            if pd.api.types.is_numeric_dtype(X[column])
            else StringTensorType([None, 1]),
        )
        for column in X.columns
    ]
    return to_onnx(model, initial_types=initial_types).SerializeToString()


def onnx_predict(onnx_bytes: bytes, X: pd.DataFrame) -> np.ndarray:
    """The ONNX model's predictions for the rows of X: 1-D, one per row, same order."""
    session = ort.InferenceSession(onnx_bytes, providers=["CPUExecutionProvider"])
    feeds = {}
    for column in X.columns:
        values = X[column].to_numpy()
        if pd.api.types.is_numeric_dtype(X[column]):
            feeds[column] = values.astype(np.float32).reshape(-1, 1)
        else:
            feeds[column] = values.astype(str).reshape(-1, 1)
    return session.run(None, feeds)[0].ravel()


def max_abs_difference(model: Pipeline, onnx_bytes: bytes, X: pd.DataFrame) -> float:
    """The largest |model.predict(X) - onnx_predict(onnx_bytes, X)| over the rows of X."""
    sklearn_pred = pd.Series(model.predict(X))
    onnx_pred = pd.Series(onnx_predict(onnx_bytes, X), index=X.index)
    return float((sklearn_pred - onnx_pred).abs().max())


def agrees(
    model: Pipeline, onnx_bytes: bytes, X: pd.DataFrame, tolerance: float = TOLERANCE
) -> bool:
    """True when the ONNX model and the pipeline differ by at most `tolerance` on every row."""
    return max_abs_difference(model, onnx_bytes, X) <= tolerance


if __name__ == "__main__":
    from pathlib import Path

    data = Path(__file__).resolve().parents[2] / "data"
    sales = pd.read_csv(data / "sales_clean.csv", parse_dates=["sale_date"])
    X = pd.DataFrame(
        {
            "rarity": sales["rarity"],
            "variant": sales["variant"],
            "condition": sales["condition"].fillna("graded"),
            "psa_grade": sales["psa_grade"].fillna(0.0),
        }
    )
    y = np.log1p(sales["price_usd"])
    is_train = sales["sale_date"] < "2024-01-01"
    model = train_price_model(X[is_train], y[is_train])
    onnx_bytes = export_onnx(model, X[is_train])
    held_out = X[~is_train]
    print(f"ONNX file: {len(onnx_bytes):,} bytes; held-out rows (2024): {len(held_out):,}")
    print(f"largest difference: {max_abs_difference(model, onnx_bytes, held_out):.2e}")
    print(f"agrees within {TOLERANCE:g}: {agrees(model, onnx_bytes, held_out)}")
    first = held_out.head(3)
    print("first prices, scikit-learn:", np.round(np.expm1(model.predict(first)), 2))
    print("first prices, onnxruntime: ", np.round(np.expm1(onnx_predict(onnx_bytes, first)), 2))
