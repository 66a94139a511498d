"""Export to ONNX, and prove it agrees

PokéMarket's price model is a scikit-learn pipeline (one-hot encoding, then a regressor) that
predicts log1p(price_usd), and more teams want it every month. ONNX is an open file format for
a model's computation graph: skl2onnx translates a fitted pipeline into one file, and
onnxruntime runs that file from Python, C, C++, C#, Java, JavaScript or Swift, on a server, a
phone or in a browser, with no scikit-learn and no Python needed.

The file's inputs are its contract with whoever serves it. skl2onnx cannot guess them from a
fitted pipeline: you declare them (initial_types), and every client must feed exactly that.
PokéMarket's contract: one input per column, named after the column, of shape [None, 1] (any
number of rows, one value each): a float32 tensor for a numeric column, a string tensor for
any other.

An export is a translation, and a translation can be wrong: a converter bug, a step converted
differently, a client feeding the wrong type. It is never exact either: ONNX computes these
models in float32, scikit-learn in float64. So never ship an export on faith: run both on
held-out rows and compare the LARGEST absolute difference with a tolerance you state. Exact
equality fails on float32 noise of about 1e-6; an average difference lets one mispriced row
hide among a thousand right ones.

Write:

- export_onnx:        the fitted pipeline converted with skl2onnx.to_onnx and serialised to
                      bytes, with one input per column of X, in X's column order, named after
                      the column: FloatTensorType([None, 1]) for a numeric column (int or
                      float), StringTensorType([None, 1]) for any other. Build the inputs from
                      X's dtypes, so that it works for any columns, not only this file's four;
- onnx_predict:       the ONNX model's predictions for the rows of X, run with onnxruntime
                      (numeric columns fed as float32, the others as strings, each of shape
                      (n, 1)): a 1-D array with one prediction per row, in the rows' order;
- max_abs_difference: the largest absolute difference between model.predict(X) and
                      onnx_predict(onnx_bytes, X), as a float;
- agrees:             True when that largest difference is at most `tolerance`, else False;
- ONNX_IS_RIGHT:      for each scenario in SCENARIOS, True when exporting to ONNX is the right
                      way to ship the model there, False when it is not.

Done when: the exports of Ridge, random-forest and gradient-boosting pipelines agree with
scikit-learn on held-out rows, an export that is wrong on a single row is caught, and every
scenario has the right answer.

Stuck? Run `mlings hint`.
"""

import numpy as np
import onnxruntime as ort
import pandas as pd
from pandas.api.types import is_numeric_dtype
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
    "phone_app": True,  # onnxruntime runs on Android and iOS: one small file, no Python
    "go_listing_service": True,  # onnxruntime has C/C++/Java/C# APIs (Go calls the C API)
    "audit_archive": True,  # a frozen graph in a versioned, open format; no pickle to break
    "title_parser": False,  # skl2onnx converts FunctionTransformer only without a function
    "hist_gradient_boosting": False,  # skl2onnx 1.20 fails to convert it (try it)
    "research_notebooks": False,  # nothing is served: an export only adds work
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
    initial_types = []
    for column, dtype in X.dtypes.items():
        tensor_type = FloatTensorType if is_numeric_dtype(dtype) else StringTensorType
        initial_types.append((column, tensor_type([None, 1])))
    return to_onnx(model, initial_types=initial_types).SerializeToString()


def onnx_predict(onnx_bytes: bytes, X: pd.DataFrame) -> np.ndarray:
    """The ONNX model's predictions for the rows of X: 1-D, one per row, same order."""
    session = ort.InferenceSession(onnx_bytes, providers=["CPUExecutionProvider"])
    feeds = {
        column: X[[column]].to_numpy(dtype=np.float32 if is_numeric_dtype(X[column]) else object)
        for column in X.columns
    }
    predictions = session.run(None, feeds)[0]
    return predictions.ravel()


def max_abs_difference(model: Pipeline, onnx_bytes: bytes, X: pd.DataFrame) -> float:
    """The largest |model.predict(X) - onnx_predict(onnx_bytes, X)| over the rows of X."""
    return float(np.max(np.abs(model.predict(X) - onnx_predict(onnx_bytes, X))))


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
