"""Checks for 05_deployment/03_onnx_export: skl2onnx export, onnxruntime, proven agreement."""

import copy
import functools
import math
import numbers

import numpy as np
import onnxruntime as ort
import pandas as pd
from pandas.api.types import is_numeric_dtype
from skl2onnx import to_onnx
from skl2onnx.common.data_types import FloatTensorType, StringTensorType
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from mlings.dataset import make_cards, make_sales

FOUR = ["rarity", "variant", "condition", "psa_grade"]
OTHER = ["hp", "type", "platform", "psa_grade"]  # an int column first; not in sorted order
N_TRAIN = 600
TOLERANCE = 1e-4
SHIFT = 0.01  # the tampered model is off by this much on one row
ONNX_FITS = ("phone_app", "go_listing_service", "audit_archive")
ONNX_DOES_NOT_FIT = ("title_parser", "hist_gradient_boosting", "research_notebooks")


@functools.cache
def _frame() -> tuple[pd.DataFrame, np.ndarray]:
    cards = make_cards(n=300)
    sales = make_sales(cards, seed=1, n=800, start="2020-01-01", end="2021-12-31")
    catalog = cards.set_index("card_id")
    X = pd.DataFrame(
        {
            "rarity": sales["rarity"],
            "variant": sales["variant"],
            "condition": sales["condition"].fillna("graded"),
            "psa_grade": sales["psa_grade"].fillna(0.0),
            "platform": sales["platform"],
            "type": sales["card_id"].map(catalog["type"]),
            "hp": sales["card_id"].map(catalog["hp"]).astype("int64"),
        }
    )
    return X, np.log1p(sales["price_usd"].to_numpy())


def _short(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[:limit] + " …"


def _split(columns: list[str]):
    X, y = _frame()
    return X[columns].iloc[:N_TRAIN], y[:N_TRAIN], X[columns].iloc[N_TRAIN:]


@functools.cache
def _model(kind: str = "ridge"):
    """A fitted pipeline on the exercise's four columns (or on OTHER for kind="other")."""
    if kind == "other":
        X_train, y_train, _ = _split(OTHER)
        encode = make_column_transformer(
            (OneHotEncoder(handle_unknown="ignore"), ["platform", "type"]),
            (StandardScaler(), ["hp", "psa_grade"]),
        )
        return make_pipeline(encode, Ridge(alpha=3.0)).fit(X_train, y_train)
    regressor = {
        "ridge": Ridge(),
        "forest": RandomForestRegressor(n_estimators=25, max_depth=6, random_state=0, n_jobs=1),
        "boosting": GradientBoostingRegressor(n_estimators=40, max_depth=3, random_state=0),
    }[kind]
    encode = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore"), make_column_selector(dtype_exclude="number")),
        remainder="passthrough",
    )
    X_train, y_train, _ = _split(FOUR)
    return make_pipeline(encode, regressor).fit(X_train, y_train)


def _contract_types(X: pd.DataFrame) -> list:
    return [
        (
            column,
            FloatTensorType([None, 1])
            if is_numeric_dtype(X[column])
            else StringTensorType([None, 1]),
        )
        for column in X.columns
    ]


@functools.cache
def _reference_onnx(kind: str = "ridge") -> bytes:
    """The model exported by the contract (not by the learner's code)."""
    X_train = _split(OTHER if kind == "other" else FOUR)[0]
    return to_onnx(_model(kind), initial_types=_contract_types(X_train)).SerializeToString()


def _session(onnx_bytes) -> ort.InferenceSession:
    return ort.InferenceSession(onnx_bytes, providers=["CPUExecutionProvider"])


def _client_predict(onnx_bytes: bytes, X: pd.DataFrame) -> np.ndarray:
    """What a serving team's client does with the file: float32 numbers and strings, (n, 1)."""
    feeds = {
        column: X[[column]].to_numpy(dtype=np.float32 if is_numeric_dtype(X[column]) else object)
        for column in X.columns
    }
    return np.asarray(_session(onnx_bytes).run(None, feeds)[0]).ravel()


@functools.cache
def _tampered():
    """The Ridge pipeline with one one-hot weight moved: it differs on 1st Edition rows only."""
    model = copy.deepcopy(_model("ridge"))
    names = list(model[0].get_feature_names_out())
    where = next(i for i, name in enumerate(names) if name.endswith("variant_1st Edition"))
    ridge = model[-1]
    ridge.coef_ = ridge.coef_.copy()
    ridge.coef_[where] -= SHIFT
    held_out = _split(FOUR)[2]
    first_edition = held_out.index[held_out["variant"] == "1st Edition"]
    one_wrong_row = held_out.drop(index=first_edition[1:])  # exactly one 1st Edition row left
    return model, one_wrong_row


def _declared_order(exercise) -> list[str] | None:
    """The input names export_onnx declares for the OTHER pipeline (all columns by name)."""
    try:
        onnx_bytes = exercise.export_onnx(_model("other"), _split(OTHER)[0])
        return [node.name for node in _session(onnx_bytes).get_inputs()]
    except Exception:
        return None


def _export(exercise, kind: str, columns: list[str]) -> bytes:
    X_train = _split(columns)[0]
    try:
        onnx_bytes = exercise.export_onnx(_model(kind), X_train)
    except NotImplementedError:
        raise
    except Exception as error:
        message = (
            f"export_onnx raised {type(error).__name__}: {_short(str(error))} (the frame's columns "
            f"are {list(X_train.columns)}, dtypes {[str(t) for t in X_train.dtypes]}). Build "
            "initial_types from X itself, one entry per column in X's column order: (column, "
            "FloatTensorType([None, 1])) for a numeric column, (column, "
            "StringTensorType([None, 1])) for any other."
        )
        order = _declared_order(exercise) if kind != "other" else None
        if order is not None and sorted(order) == sorted(OTHER) and order != OTHER:
            message += (
                f" For a frame with the columns {OTHER} your export declares the inputs "
                f"{order}: keep X's column order. This pipeline reads its passthrough column "
                "(psa_grade) by position, so inputs in another order hand it a text column "
                "where it expects a number."
            )
        raise AssertionError(message).with_traceback(error.__traceback__) from None
    if not isinstance(onnx_bytes, bytes):
        hint = (
            " That is the ONNX ModelProto: call .SerializeToString() on it."
            if hasattr(onnx_bytes, "SerializeToString")
            else ""
        )
        raise AssertionError(
            f"export_onnx returned a {type(onnx_bytes).__name__}; expected the ONNX file's bytes."
            + hint
        )
    return onnx_bytes


def _check_signature(onnx_bytes: bytes, X: pd.DataFrame) -> None:
    try:
        inputs = _session(onnx_bytes).get_inputs()
    except Exception as error:
        raise AssertionError(
            f"onnxruntime refuses the file export_onnx made ({type(error).__name__}: "
            f"{_short(str(error))}). Declare the inputs yourself, as the contract says: "
            "FloatTensorType([None, 1]) for every numeric column, StringTensorType([None, 1]) for "
            "the others (types guessed from data, double or int64, can build a graph that mixes "
            "float and double)."
        ) from None
    names = [node.name for node in inputs]
    assert names == list(X.columns), (
        f"The ONNX file's inputs are {names}, but the frame's columns are {list(X.columns)}: "
        "declare one input per column of X, in X's order, named after the column."
    )
    for node in inputs:
        wanted = "tensor(float)" if is_numeric_dtype(X[node.name]) else "tensor(string)"
        assert node.type == wanted, (
            f"Input {node.name!r} (dtype {X[node.name].dtype}) is declared as {node.type}; the "
            f"contract says {wanted}: FloatTensorType for every numeric column, int or float "
            "(clients send float32), StringTensorType for any other."
        )
        assert len(node.shape) == 2 and node.shape[1] == 1, (
            f"Input {node.name!r} has shape {node.shape}; declare [None, 1]: any number of rows, "
            "one value each."
        )


def _predict(exercise, onnx_bytes: bytes, X: pd.DataFrame) -> np.ndarray:
    try:
        predictions = exercise.onnx_predict(onnx_bytes, X)
    except NotImplementedError:
        raise
    except Exception as error:
        text = str(error)
        if "data type" in text:
            advice = "Feed numeric columns as float32 and the others as strings (object arrays)."
        elif "rank" in text or "dimensions" in text:
            advice = "Feed each column as a 2-D array of shape (n, 1), e.g. X[[column]]."
        elif "input" in text.lower() and "name" in text.lower():
            advice = "Feed one array per input of the file, keyed by the column's name."
        else:
            advice = "Feed one (n, 1) array per column: float32 for numbers, strings for text."
        raise AssertionError(
            f"onnx_predict raised {type(error).__name__}: {_short(text)} {advice}"
        ).with_traceback(error.__traceback__) from None
    assert isinstance(predictions, np.ndarray), (
        f"onnx_predict returned a {type(predictions).__name__}; expected a numpy array."
    )
    assert predictions.shape == (len(X),), (
        f"onnx_predict gave an array of shape {predictions.shape} for {len(X)} rows; expected "
        f"({len(X)},): one prediction per row, 1-D. session.run returns a list of outputs, each "
        "of shape (n, 1): take the first and flatten it with .ravel()."
    )
    return predictions


def _difference(exercise, model, onnx_bytes: bytes, X: pd.DataFrame) -> float:
    got = exercise.max_abs_difference(model, onnx_bytes, X)
    assert isinstance(got, numbers.Real), (
        f"max_abs_difference returned {got!r}; expected one float."
    )
    return float(got)


def _agrees(exercise, *args, **kwargs) -> bool:
    got = exercise.agrees(*args, **kwargs)
    assert isinstance(got, bool | np.bool_), f"agrees returned {got!r}; expected True or False."
    return bool(got)


def _dollar_gap(model, onnx_bytes: bytes, X: pd.DataFrame) -> float:
    """The largest difference after turning both predictions into prices (a wrong answer)."""
    return float(
        np.max(np.abs(np.expm1(model.predict(X)) - np.expm1(_client_predict(onnx_bytes, X))))
    )


DOLLARS = (
    "the largest difference in dollars, after expm1 of both predictions: float32 rounding of "
    "about 1e-6 in log price is about a cent on a $10,000 card, far above TOLERANCE. Compare "
    "model.predict's outputs as they are (log prices, the units TOLERANCE is stated in), "
    "without transforming them."
)


def test_export_declares_one_input_per_column(exercise):
    """export_onnx gives ONNX bytes with one input per column: float for numbers, else string"""
    X_train = _split(FOUR)[0]
    _check_signature(_export(exercise, "ridge", FOUR), X_train)


def test_export_works_for_any_columns(exercise):
    """export_onnx types its inputs from any frame's dtypes (rejects a hard-coded column list)"""
    X_train, _, held_out = _split(OTHER)
    onnx_bytes = _export(exercise, "other", OTHER)
    _check_signature(onnx_bytes, X_train)
    gap = np.max(np.abs(_client_predict(onnx_bytes, held_out) - _model("other").predict(held_out)))
    assert gap <= TOLERANCE, (
        f"On a pipeline over the columns {OTHER} (hp is an int column), the exported file's "
        f"predictions differ from scikit-learn's by up to {gap:.3g} on held-out rows."
    )


def test_exports_agree_with_scikit_learn(exercise):
    """exports of Ridge, random-forest and gradient-boosting pipelines match on held-out rows"""
    held_out = _split(FOUR)[2]
    for kind in ("ridge", "forest", "boosting"):
        onnx_bytes = _export(exercise, kind, FOUR)
        _check_signature(onnx_bytes, held_out)
        expected = _model(kind).predict(held_out)
        gap = float(np.max(np.abs(_client_predict(onnx_bytes, held_out) - expected)))
        assert gap <= TOLERANCE, (
            f"The {kind} pipeline's ONNX file predicts up to {gap:.3g} away from scikit-learn on "
            f"held-out rows; a faithful export stays within {TOLERANCE:g}."
        )
        gap = float(np.max(np.abs(_predict(exercise, onnx_bytes, held_out) - expected)))
        assert gap <= TOLERANCE, (
            f"onnx_predict on your {kind} export gives predictions up to {gap:.3g} away from "
            "scikit-learn's on held-out rows, though the file itself is faithful: feed each "
            "column of X under its own name."
        )


def test_onnx_predict_gives_one_prediction_per_row(exercise):
    """onnx_predict returns a 1-D array, one prediction per row, also for a single row"""
    held_out = _split(FOUR)[2]
    onnx_bytes = _reference_onnx("ridge")
    expected = _model("ridge").predict(held_out)
    gap = float(np.max(np.abs(_predict(exercise, onnx_bytes, held_out) - expected)))
    assert gap <= TOLERANCE, (
        f"onnx_predict's predictions for a correctly exported file differ from scikit-learn's "
        f"by up to {gap:.3g}; feed every column under its own name, numbers as float32 and text "
        "as strings, each of shape (n, 1)."
    )
    one = _predict(exercise, onnx_bytes, held_out.iloc[[3]])
    assert abs(float(one[0]) - expected[3]) <= TOLERANCE, (
        f"For a single row onnx_predict gave {one[0]!r}; scikit-learn says {expected[3]:.6f}."
    )
    other = _split(OTHER)[2]
    gap = float(
        np.max(
            np.abs(
                _predict(exercise, _reference_onnx("other"), other) - _model("other").predict(other)
            )
        )
    )
    assert gap <= TOLERANCE, (
        f"On a file whose inputs are {OTHER} (hp holds ints), onnx_predict's predictions differ "
        f"from scikit-learn's by up to {gap:.3g}: feed every numeric column as float32."
    )


def test_onnx_predict_keeps_row_order(exercise):
    """onnx_predict keeps the rows' order (rows shuffled, index not 0..n-1)"""
    held_out = _split(FOUR)[2].sample(frac=1.0, random_state=7)
    got = _predict(exercise, _reference_onnx("ridge"), held_out)
    expected = _model("ridge").predict(held_out)
    gap = float(np.max(np.abs(got - expected)))
    assert gap <= TOLERANCE, (
        f"On shuffled rows, onnx_predict's predictions differ from scikit-learn's, row by row, "
        f"by up to {gap:.3g}: prediction i must belong to row i of X, whatever its index."
    )


def test_onnx_predict_feeds_columns_by_name(exercise):
    """onnx_predict feeds each column to the input of the same name (rejects feeding by position)"""
    held_out = _split(FOUR)[2]
    reordered = held_out[FOUR[::-1]]
    expected = _model("ridge").predict(held_out)
    explain = (
        "The file's inputs are matched by NAME: feed each column of X under its own name, "
        "feeds = {column: ... for column in X.columns}, never by pairing session.get_inputs() "
        "with X's columns by position. A client's frame need not list its columns in the "
        "file's order."
    )
    try:
        got = exercise.onnx_predict(_reference_onnx("ridge"), reordered)
    except NotImplementedError:
        raise
    except Exception as error:
        raise AssertionError(
            f"For a file whose inputs are {FOUR}, onnx_predict on a frame with the same columns "
            f"in the order {list(reordered.columns)} raised {type(error).__name__}: "
            f"{_short(str(error), 200)} {explain}"
        ).with_traceback(error.__traceback__) from None
    gap = float(np.max(np.abs(np.asarray(got, dtype=float).ravel() - expected)))
    assert gap <= TOLERANCE, (
        f"For a file whose inputs are {FOUR}, onnx_predict on a frame with the same columns in "
        f"the order {list(reordered.columns)} gives predictions up to {gap:.3g} away from "
        f"scikit-learn's. {explain}"
    )


def test_max_abs_difference_finds_the_worst_row(exercise):
    """max_abs_difference is the largest |difference| (rejects the mean and a signed max)"""
    tampered, X = _tampered()
    onnx_bytes = _reference_onnx("ridge")
    gaps = tampered.predict(X) - _client_predict(onnx_bytes, X)
    expected = float(np.max(np.abs(gaps)))
    got = _difference(exercise, tampered, onnx_bytes, X)
    message = (
        f"A file that is {SHIFT} off on one row of {len(X)} (float32 noise elsewhere) gave "
        f"max_abs_difference {got:.3g}; the largest absolute difference is {expected:.6f}."
    )
    if math.isnan(got):
        message += (
            " A NaN means some rows had nothing to compare with: subtracting two pandas Series "
            "pairs their rows by index label, and X's index is not 0..n-1. Compare numpy arrays "
            "(model.predict already returns one), row i with row i."
        )
    elif abs(got - float(np.mean(np.abs(gaps)))) < 1e-6:
        message += " That is the mean: one bad row hides in it. Take the maximum."
    elif abs(got - float(np.max(gaps))) < 1e-6:
        message += " That is the largest signed difference: take absolute values first."
    elif abs(got - _dollar_gap(tampered, onnx_bytes, X)) < 1e-6:
        message += " That is " + DOLLARS
    assert abs(got - expected) <= 1e-6, message
    faithful = _difference(exercise, _model("ridge"), onnx_bytes, X)
    assert faithful <= TOLERANCE, (
        f"For a faithful export max_abs_difference gave {faithful:.3g}; expected float32 noise, "
        "about 1e-6."
    )


def test_agrees_catches_a_single_wrong_row(exercise):
    """agrees rejects a file wrong on one row only (rejects comparing the average difference)"""
    tampered, X = _tampered()
    onnx_bytes = _reference_onnx("ridge")
    for tolerance in (1e-3, 1e-4):
        assert not _agrees(exercise, tampered, onnx_bytes, X, tolerance=tolerance), (
            f"agrees(tolerance={tolerance:g}) said yes to a file that is {SHIFT} off on one row "
            f"of {len(X)}: an average of the differences is tiny, but that one listing is "
            "mispriced. Compare the LARGEST absolute difference with the tolerance."
        )
    assert not _agrees(exercise, tampered, onnx_bytes, X), (
        f"With its default tolerance, agrees said yes to a file that is {SHIFT} off on one row: "
        "the default should be TOLERANCE, and the largest difference must stay within it."
    )


def test_agrees_accepts_float32_noise(exercise):
    """agrees accepts faithful exports despite float32 rounding (rejects exact equality)"""
    held_out = _split(FOUR)[2]
    for kind in ("ridge", "forest", "boosting"):
        model, onnx_bytes = _model(kind), _reference_onnx(kind)
        if _agrees(exercise, model, onnx_bytes, held_out):
            continue
        message = (
            f"agrees said no to a faithful export of the {kind} pipeline, whose predictions "
            "differ from scikit-learn's only by float32 rounding (about 1e-6). ONNX computes in "
            "float32: compare the largest difference with the tolerance, never for equality."
        )
        try:
            got = float(exercise.max_abs_difference(model, onnx_bytes, held_out))
        except Exception:
            got = math.nan
        if abs(got - _dollar_gap(model, onnx_bytes, held_out)) < 1e-6:
            message += f" Your max_abs_difference gives {got:.3g} here: " + DOLLARS
        raise AssertionError(message)
    assert _agrees(exercise, _model("ridge"), _reference_onnx("ridge"), held_out, tolerance=1e-5), (
        "agrees(tolerance=1e-5) said no to a faithful export (float32 noise of about 1e-6)."
    )


def test_agrees_uses_its_tolerance(exercise):
    """agrees compares with its tolerance argument; a difference equal to it agrees"""
    tampered, X = _tampered()
    onnx_bytes = _reference_onnx("ridge")
    gap = _difference(exercise, tampered, onnx_bytes, X)
    assert _agrees(exercise, tampered, onnx_bytes, X, tolerance=0.05), (
        f"agrees(tolerance=0.05) said no, but the largest difference is only {gap:.4f}: use the "
        "tolerance you are given, not a fixed number."
    )
    assert _agrees(exercise, tampered, onnx_bytes, X, tolerance=gap), (
        f"With tolerance equal to the largest difference ({gap!r}), agrees said no; a "
        "difference of at most the tolerance agrees (<=, not <)."
    )
    assert not _agrees(exercise, tampered, onnx_bytes, X, tolerance=gap * 0.999), (
        f"With tolerance just below the largest difference ({gap * 0.999!r} < {gap!r}), agrees "
        "said yes. (np.allclose adds a relative tolerance of its own: compare the largest "
        "absolute difference with the tolerance directly.)"
    )


def _answers(exercise) -> dict:
    answers = getattr(exercise, "ONNX_IS_RIGHT", None)
    assert isinstance(answers, dict), "ONNX_IS_RIGHT must be a dict {scenario: True or False}."
    return answers


def test_every_scenario_has_an_answer(exercise):
    """ONNX_IS_RIGHT answers True or False for every scenario of SCENARIOS"""
    answers = _answers(exercise)
    missing = [key for key in (*ONNX_FITS, *ONNX_DOES_NOT_FIT) if key not in answers]
    assert not missing, f"ONNX_IS_RIGHT has no answer yet for {', '.join(missing)}."
    for key in (*ONNX_FITS, *ONNX_DOES_NOT_FIT):
        assert isinstance(answers[key], bool), (
            f"ONNX_IS_RIGHT[{key!r}] is {answers[key]!r}; answer True or False."
        )


WHY_IT_FITS = {
    "phone_app": "onnxruntime runs on Android and iOS (Java/Kotlin, Objective-C/Swift APIs): one "
    "small file on the phone, no Python, no network.",
    "go_listing_service": "a non-Python stack is exactly what ONNX is for: onnxruntime has a C API "
    "(Go, Rust and others call it), so the service runs the model in its own process, in "
    "microseconds, with no Python service to call.",
    "audit_archive": "an ONNX file is a frozen graph in an open, versioned format that "
    "onnxruntime keeps running; a pickled scikit-learn model needs the same library versions to "
    "load at all.",
}
WHY_IT_DOES_NOT_FIT = {
    "title_parser": "skl2onnx cannot translate arbitrary Python: it converts a FunctionTransformer "
    "only when it has no function (the identity). Keep that pipeline in Python (joblib or skops "
    "behind a Python service), or rewrite the step with convertible transformers.",
    "hist_gradient_boosting": "skl2onnx 1.20 cannot convert a HistGradientBoostingRegressor "
    "fitted with scikit-learn 1.9 (try it: to_onnx raises 'Unable to create node "
    "TreeEnsembleRegressor'). An export that fails cannot ship; serve it from Python.",
    "research_notebooks": "nothing is served: the models are compared in Python and replaced "
    "daily, so exporting and re-verifying each one only adds work and a place for bugs.",
}


def test_onnx_where_it_fits(exercise):
    """ONNX where a model must run without Python: phones, other stacks, a frozen archive"""
    answers = _answers(exercise)
    wrong = [key for key in ONNX_FITS if answers.get(key) is not True]
    assert not wrong, " ".join(
        f"{key}: ONNX is the right way to ship here; {WHY_IT_FITS[key]}" for key in wrong
    )


def test_not_onnx_where_it_does_not_fit(exercise):
    """not ONNX for custom Python steps, unconvertible models or research code (not everywhere)"""
    answers = _answers(exercise)
    wrong = [key for key in ONNX_DOES_NOT_FIT if answers.get(key) is not False]
    assert not wrong, " ".join(
        f"{key}: ONNX is not the way here; {WHY_IT_DOES_NOT_FIT[key]}" for key in wrong
    )
