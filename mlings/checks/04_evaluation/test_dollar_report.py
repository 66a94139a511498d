"""Checks for 04_evaluation/03_dollar_report: a log-price model's errors, in dollars."""

import functools
import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from sklearn.compose import make_column_transformer
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

from mlings.dataset import make_cards, make_sales

CATEGORIES = ["rarity", "variant", "condition"]


def _features(sales: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rarity": sales["rarity"],
            "variant": sales["variant"],
            "condition": sales["condition"].fillna("graded"),
            "psa_grade": sales["psa_grade"].fillna(0.0),
        },
        index=sales.index,
    )


@functools.cache
def _case():
    """A Ridge model fitted on log1p(price) of earlier sales, and later sales to report on."""
    sales = make_sales(make_cards(n=400), seed=5, n=900, start="2019-01-01", end="2023-12-31")
    train, test = sales.iloc[:600], sales.iloc[600:]
    encode = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore"), CATEGORIES), remainder="passthrough"
    )
    model = make_pipeline(encode, Ridge(alpha=1.0))
    model.fit(_features(train), np.log1p(train["price_usd"]))
    X = _features(test).set_axis(np.arange(len(test))[::-1] * 7)  # an index that is not 0..n-1
    actual = test["price_usd"].set_axis(X.index)
    return model, X, actual


class _LogModel:
    """A stand-in model that predicts fixed log1p prices."""

    def __init__(self, log_prices):
        self.log_prices = np.asarray(log_prices, dtype=float)

    def predict(self, X):
        return self.log_prices[: len(X)]


def _array(got, what: str, n: int) -> np.ndarray:
    try:
        array = np.asarray(got, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise AssertionError(f"{what} returned {type(got).__name__}; expected an array") from None
    assert array.shape == (n,), f"{what} returned {array.shape[0]} prices for {n} sales."
    return array


def test_predicts_dollars(exercise):
    """predict_usd back-transforms with expm1 (rejects log prices and np.exp)"""
    model, X, _ = _case()
    log_prices = model.predict(X)
    expected = np.clip(np.expm1(log_prices), 0.0, None)
    got = _array(exercise.predict_usd(model, X), "predict_usd", len(X))
    wrong = int(np.argmax(~np.isclose(got, expected)))
    message = (
        f"predict_usd gave {float(got[wrong]):.4f} for a sale the model scores "
        f"{log_prices[wrong]:.4f} in log1p units; that is ${expected[wrong]:.4f}."
    )
    if got[wrong] < 0:
        message += " A price is never negative: clip the dollars at $0."
    if np.allclose(got, log_prices):
        message += (
            " Those are the model's raw outputs, log1p(price): take np.expm1 of them to get "
            "back to dollars."
        )
    elif np.allclose(got, np.exp(log_prices)) or np.allclose(got, np.exp(log_prices).clip(1)):
        message += (
            " Those are np.exp of the outputs, $1 too high each: the model predicts log1p(price), "
            "so its inverse is np.expm1 (exp(x) - 1)."
        )
    assert np.allclose(got, expected), message


def test_never_predicts_a_negative_price(exercise):
    """predict_usd clips at $0: a slightly negative log1p prediction is a $0 price, not -$0.39"""
    model = _LogModel([-0.5, -0.01, 0.0, 1.5])
    X = pd.DataFrame({"rarity": ["Common"] * 4})
    got = _array(exercise.predict_usd(model, X), "predict_usd", 4)
    expected = np.array([0.0, 0.0, 0.0, np.expm1(1.5)])
    assert np.allclose(got, expected), (
        f"predict_usd gave {got.round(4).tolist()} for log1p predictions [-0.5, -0.01, 0, 1.5]; "
        f"expected {expected.round(4).tolist()}. A log model can predict slightly below 0, "
        "which np.expm1 turns into a negative price: clip the dollars at $0."
    )


def test_reports_mae_and_rmse_in_dollars(exercise):
    """reports MAE and RMSE in dollars (rejects log-space metrics passed off as dollars)"""
    model, X, actual = _case()
    report = exercise.dollar_report(model, X, actual)
    assert isinstance(report, dict) and {"mae_usd", "rmse_usd"} <= report.keys(), (
        f"dollar_report returned {report!r}; expected a dict with 'mae_usd' and 'rmse_usd'."
    )
    errors = actual.to_numpy() - np.clip(np.expm1(model.predict(X)), 0.0, None)
    mae, rmse = float(np.mean(np.abs(errors))), float(np.sqrt(np.mean(errors**2)))
    log_errors = np.log1p(actual.to_numpy()) - model.predict(X)
    log_mae = float(np.mean(np.abs(log_errors)))
    log_rmse = float(np.sqrt(np.mean(log_errors**2)))
    got_mae, got_rmse = float(report["mae_usd"]), float(report["rmse_usd"])
    message = f"dollar_report gave an MAE of {got_mae!r}; in dollars it is {mae:.4f}."
    if got_mae == pytest.approx(log_mae):
        message += (
            " That is the MAE in log space, not dollars: an error of 0.6 there is about 80% of "
            "the price, cents on a bulk card and thousands on a slab. Back-transform first."
        )
    elif got_mae == pytest.approx(math.expm1(log_mae)):
        message += (
            " That is np.expm1 of the log-space MAE, a typical RATIO, still not dollars: "
            "back-transform every prediction first, then average the dollar errors."
        )
    assert got_mae == pytest.approx(mae, rel=1e-6), message
    message = f"dollar_report gave an RMSE of {got_rmse!r}; in dollars it is {rmse:.4f}."
    if got_rmse == pytest.approx(log_rmse):
        message += " That is the RMSE in log space; compute it on dollar errors."
    elif got_rmse == pytest.approx(rmse**2):
        message += " That is the mean squared error: take its square root."
    assert got_rmse == pytest.approx(rmse, rel=1e-6), message


def _draw(exercise, path, n=60, seed=0):
    rng = np.random.default_rng(seed)
    predicted = np.round(np.exp(rng.normal(2.0, 1.8, size=n)), 2) + 0.05
    actual = np.round(predicted * np.exp(rng.normal(0.1, 0.5, size=n)), 2)
    before = set(plt.get_fignums())
    got = exercise.plot_residuals(actual, predicted, path)
    left_open = set(plt.get_fignums()) - before
    for number in left_open:
        plt.close(number)
    if isinstance(got, Axes):
        got = got.figure
    assert isinstance(got, Figure), (
        f"plot_residuals returned {type(got).__name__}; expected the matplotlib Figure."
    )
    assert got.axes, "plot_residuals returned a Figure with no axes: plot on fig, ax."
    return got, got.axes[0], actual, predicted, left_open


def _points(ax: Axes, n: int) -> np.ndarray | None:
    for collection in ax.collections:
        offsets = np.asarray(collection.get_offsets(), dtype=float)
        if offsets.shape == (n, 2):
            return offsets
    for line in ax.lines:
        xy = np.asarray(line.get_xydata(), dtype=float)
        if xy.shape == (n, 2):
            return xy
    return None


def _same_points(xy: np.ndarray, x: np.ndarray, y: np.ndarray) -> bool:
    got = xy[np.lexsort((xy[:, 1], xy[:, 0]))]
    want = np.column_stack([x, y])
    want = want[np.lexsort((want[:, 1], want[:, 0]))]
    return bool(np.allclose(got, want))


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A fresh folder for the figures, in the run's own folder: mlings keeps what is drawn there."""
    return tmp_path_factory.mktemp("plots")


@pytest.fixture(scope="module")
def png(exercise, folder):
    """One PNG residual plot, drawn once for the checks that read it."""
    path = folder / "png" / "residuals.png"
    path.parent.mkdir()
    return path, *_draw(exercise, path)


def test_plots_dollar_residuals_against_predictions(png):
    """plots residual = actual - predicted against predicted, in dollars (rejects log units)"""
    _, _, ax, actual, predicted, _ = png
    xy = _points(ax, len(actual))
    assert xy is not None, (
        f"The plot has no series of {len(actual)} points: draw one point per sale, e.g. with "
        "ax.scatter(predicted, actual - predicted)."
    )
    residual = actual - predicted
    if _same_points(xy, predicted, residual):
        return
    message = "The plotted points are not (predicted price, actual - predicted) in dollars."
    if _same_points(xy, predicted, -residual):
        message += " The residuals are upside down: a residual is actual - predicted."
    elif _same_points(xy, actual, residual):
        message += " The x axis shows the actual prices; plot the residuals against predictions."
    elif _same_points(xy, np.log1p(predicted), np.log1p(actual) - np.log1p(predicted)):
        message += " They are in log1p units: back-transform to dollars before plotting."
    elif _same_points(xy, residual, predicted):
        message += " x and y are swapped: predicted price on x, residual on y."
    raise AssertionError(message)


def test_plot_reads_well(png):
    """the plot has a log-scale x axis, a line at zero, labelled axes with units and a title"""
    _, fig, ax, *_ = png
    assert ax.get_xscale() == "log", (
        "The x axis is linear: prices span cents to thousands, so most points pile up at the "
        'left edge. Use ax.set_xscale("log").'
    )
    flat = [
        line
        for line in ax.lines
        if len(line.get_ydata()) and np.allclose(np.asarray(line.get_ydata(), dtype=float), 0.0)
    ]
    assert flat, (
        "There is no horizontal line at 0: draw one with ax.axhline(0) so readers see at a "
        "glance where the model over- and under-prices."
    )
    xlabel, ylabel = ax.get_xlabel().lower(), ax.get_ylabel().lower()
    assert "predict" in xlabel and ("usd" in xlabel or "$" in xlabel), (
        f"The x label is {ax.get_xlabel()!r}; say what it is and its unit, e.g. "
        "'Predicted price (USD)'."
    )
    assert ("residual" in ylabel or "error" in ylabel) and ("usd" in ylabel or "$" in ylabel), (
        f"The y label is {ax.get_ylabel()!r}; say what it is and its unit, e.g. "
        "'Residual: actual - predicted (USD)'."
    )
    assert ax.get_title().strip() or (fig._suptitle and fig._suptitle.get_text().strip()), (
        "The plot has no title: say what the reader is looking at."
    )


def _check_saved(path, left_open, kind: str, looks_right: bool) -> None:
    files = sorted(p.name for p in path.parent.iterdir())
    assert path.is_file(), (
        f"plot_residuals did not save the plot to the path it was given ({path.name}); "
        f"the folder holds {files or 'nothing'}. Call fig.savefig(path)."
    )
    assert looks_right, (
        f"{path.name} is not a {kind} image: let fig.savefig(path) pick the format from the suffix."
    )
    assert not left_open, (
        "plot_residuals left its figure open in pyplot. A report job drawing a plot a week "
        "would pile them up in memory: call plt.close(fig) after saving."
    )


def test_saves_a_real_png_and_closes_it(png):
    """saves a real PNG at the given path, and leaves no figure open"""
    path, *_, left_open = png
    data = path.read_bytes() if path.is_file() else b""
    _check_saved(path, left_open, "PNG", data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 1000)


def test_saves_svg_when_asked(exercise, folder):
    """saves an SVG when the path ends in .svg"""
    path = folder / "svg" / "residuals.svg"
    path.parent.mkdir()
    *_, left_open = _draw(exercise, path, n=20, seed=1)
    data = path.read_bytes() if path.is_file() else b""
    _check_saved(path, left_open, "SVG", b"<svg" in data[:2000])
