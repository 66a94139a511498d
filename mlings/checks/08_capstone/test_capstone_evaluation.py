"""Checks for 08_capstone/evaluation (capstone_evaluation, 15 points): quality, numbers, plot.

The model is trained once with the learner's own train_model (imported by evaluation.py from
training.py) on all of data/sales_clean.csv, and scored by the check on held-out sales of 2025
generated at grading time with the grade's seed (MLINGS_GRADE_SEED), prices hidden from
predict; the learner's plot_errors of that model is saved for the report (error_analysis.png
in MLINGS_GRADE_OUT). evaluate and plot_errors are judged first, with a stand-in model whose
predictions the check knows, so their points depend neither on the trained model nor on a
training that runs out of time.
"""

import contextlib
import functools
import os
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from sklearn.metrics import mean_absolute_error

from mlings.dataset import heldout_sales, make_cards, make_sales

SEED = int(os.environ.get("MLINGS_GRADE_SEED", "0"))
HELDOUT_N = 10_000  # dollar MAEs are heavy-tailed: enough sales for a stable ratio
TIER_EDGES = {  # the exercise's TIERS: [low, high) in dollars
    "under $1": (0.0, 1.0),
    "$1-10": (1.0, 10.0),
    "$10-100": (10.0, 100.0),
    "$100-1,000": (100.0, 1000.0),
    "$1,000+": (1000.0, np.inf),
}


class StandIn:
    """A model whose prices the check knows: a function of each sale's listing id.

    It records whether it was ever shown a price_usd column.
    """

    def __init__(self):
        self.saw_prices = False
        self.calls = 0

    def price(self, sales: pd.DataFrame) -> np.ndarray:
        ids = sales["listing_id"].to_numpy(dtype=np.int64)
        return 0.25 + (ids % 17) * 1.5 + (ids % 5 == 0) * 240.0

    def predict(self, sales: pd.DataFrame) -> np.ndarray:
        self.calls += 1
        self.saw_prices |= "price_usd" in sales.columns
        return self.price(sales)


@functools.cache
def _frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Small train and test sales; the test has prices on the tier boundaries and a new rarity."""
    cards = make_cards(n=700)
    train = make_sales(cards, seed=[SEED, 41], n=500, start="2021-01-01", end="2023-12-31")
    test = make_sales(cards, seed=[SEED, 42], n=400, start="2024-01-01", end="2024-12-31")
    test = test.set_axis(pd.RangeIndex(len(test)) * 3 + 11)  # an index that is not 0..n
    price = test["price_usd"].to_numpy(dtype=float).copy()
    price[:8] = [1.0, 10.0, 100.0, 1000.0, 0.99, 9.99, 99.99, 999.99]
    rarity = test["rarity"].to_numpy(dtype=object).copy()
    rarity[8:14] = "Mega Hyper Rare"  # first printed in 2025: never in train
    return train, test.assign(price_usd=price, rarity=rarity)


def _expected(train: pd.DataFrame, test: pd.DataFrame, predicted: np.ndarray) -> dict:
    actual = test["price_usd"].to_numpy(dtype=float)
    medians = train.groupby("rarity")["price_usd"].median()
    baseline = test["rarity"].map(medians).fillna(train["price_usd"].median()).to_numpy(float)
    errors = np.abs(predicted - actual)
    by_tier = {}
    for tier, (low, high) in TIER_EDGES.items():
        inside = (actual >= low) & (actual < high)
        if inside.any():
            by_tier[tier] = float(errors[inside].mean())
    return {
        "mae_usd": float(errors.mean()),
        "baseline_mae_usd": float(np.abs(baseline - actual).mean()),
        "median_ape": float(np.median(errors / actual)),
        "by_tier": by_tier,
    }


def _evaluate(exercise, train=None, test=None) -> tuple[dict, dict]:
    """(the learner's report, the check's) for the stand-in model."""
    default_train, default_test = _frames()
    train = default_train if train is None else train
    test = default_test if test is None else test
    model = StandIn()
    report = exercise.evaluate(model, train.copy(), test.copy())
    assert model.calls > 0, "evaluate never called model.predict: score the model it is given."
    assert not model.saw_prices, (
        "evaluate showed the model the test sales WITH their price_usd column: drop it before "
        "predict, the model must never see the prices it is scored on."
    )
    assert isinstance(report, dict), f"evaluate returned {type(report).__name__}; return a dict."
    missing = {"mae_usd", "baseline_mae_usd", "median_ape", "by_tier"} - set(report)
    assert not missing, f"evaluate's dict has no {sorted(missing)}; it has {sorted(report)}."
    return report, _expected(train, test, model.price(test))


@pytest.mark.points(2.5)
def test_evaluate_reports_model_and_baseline_mae(exercise):
    """evaluate's mae_usd and baseline_mae_usd are right (rejects test-set medians, log units)"""
    report, expected = _evaluate(exercise)
    got = report["mae_usd"]
    assert got == pytest.approx(expected["mae_usd"], rel=1e-9), (
        f"mae_usd is {got!r}; the model's predictions give a dollar MAE of "
        f"{expected['mae_usd']:.4f} on the test sales (mean |predicted - price_usd|)."
    )
    _, test = _frames()
    got = report["baseline_mae_usd"]
    message = (
        f"baseline_mae_usd is {got!r}; the per-rarity median of the TRAIN sales' prices gives "
        f"{expected['baseline_mae_usd']:.4f} on the test sales."
    )
    leaky = _expected(test, test, np.zeros(len(test)))["baseline_mae_usd"]
    if got == pytest.approx(leaky, rel=1e-9):
        message += " That is the medians of the test sales: the baseline learns from train only."
    else:
        message += " A rarity the train sales never saw gets the train sales' overall median."
    assert got == pytest.approx(expected["baseline_mae_usd"], rel=1e-9), message


@pytest.mark.points(1.5)
def test_evaluate_reports_the_median_ape(exercise):
    """median_ape is the median of |predicted - actual| / actual, a fraction (rejects percent)"""
    report, expected = _evaluate(exercise)
    got, want = report["median_ape"], expected["median_ape"]
    message = f"median_ape is {got!r}; expected {want:.6f}."
    if got == pytest.approx(100 * want, rel=1e-9):
        message += " That is in percent: report a fraction (0.25 means 25%)."
    assert got == pytest.approx(want, rel=1e-9), message


@pytest.mark.points(2)
def test_evaluate_reports_mae_by_price_tier(exercise):
    """by_tier has each non-empty tier's MAE, tiers by the actual price, lower bound included"""
    report, expected = _evaluate(exercise)
    by_tier = report["by_tier"]
    assert isinstance(by_tier, dict), f"by_tier is {type(by_tier).__name__}; return a dict."
    assert set(by_tier) == set(expected["by_tier"]), (
        f"by_tier has the tiers {sorted(by_tier)}; the test sales fill "
        f"{sorted(expected['by_tier'])}."
    )
    for tier, want in expected["by_tier"].items():
        assert by_tier[tier] == pytest.approx(want, rel=1e-9), (
            f"by_tier[{tier!r}] is {by_tier[tier]!r}; expected {want:.4f}, the MAE of the test "
            "sales whose ACTUAL price is in that tier ($10.00 is in '$10-100', not '$1-10')."
        )
    train, test = _frames()
    cheap = test[test["price_usd"] < 100.0]
    report, expected = _evaluate(exercise, train, cheap)
    assert set(report["by_tier"]) == set(expected["by_tier"]), (
        f"For test sales all under $100, by_tier has {sorted(report['by_tier'])}; leave out the "
        "tiers that hold no test sale."
    )


def _is_data(line) -> bool:
    """A plotted line with points, not a reference line across the axes (axhline, axvline)."""
    x = np.asarray(line.get_xdata(), dtype=float)
    y = np.asarray(line.get_ydata(), dtype=float)
    if x.size == 0:
        return False
    across = (np.ptp(y) == 0 and list(x) == [0.0, 1.0]) or (
        np.ptp(x) == 0 and list(y) == [0.0, 1.0]
    )
    return not across


def _has_data(fig: Figure) -> bool:
    for ax in fig.axes:
        if any(_is_data(line) for line in ax.get_lines()):
            return True
        if any(len(c.get_offsets()) > 0 or len(c.get_paths()) > 0 for c in ax.collections):
            return True
        if any(p.get_height() != 0 for p in ax.patches if hasattr(p, "get_height")):
            return True
    return False


@pytest.mark.points(2)
def test_plot_errors_draws_each_tiers_residuals(exercise):
    """plot_errors returns a Figure with labelled axes holding data, drawn without the prices"""
    spy = StandIn()
    open_before = len(plt.get_fignums())
    fig = exercise.plot_errors(spy, _frames()[1].copy())
    assert not spy.saw_prices, (
        "plot_errors showed the model the sales WITH their price_usd column: drop it before "
        "predict."
    )
    assert isinstance(fig, Figure), (
        f"plot_errors returned {type(fig).__name__}; return the matplotlib Figure."
    )
    assert fig.axes and _has_data(fig), (
        "plot_errors returned a Figure with no data drawn: plot the residuals of each tier "
        "(e.g. ax.boxplot, one box per tier)."
    )
    labelled = any(ax.get_xlabel() and ax.get_ylabel() for ax in fig.axes)
    assert labelled, "The plot's axes have no labels: say what each axis shows (and its unit)."
    assert len(plt.get_fignums()) == open_before, (
        "plot_errors left its figure open in pyplot: a report job drawing it every week would "
        "pile up figures. Call plt.close(fig) before returning it (it can still be saved)."
    )
    plt.close(fig)


@functools.cache
def _course() -> tuple[pd.DataFrame, pd.DataFrame]:
    root = Path(os.environ["MLINGS_ROOT"]) / "data"
    cards = pd.read_csv(root / "cards.csv", parse_dates=["release_date"])
    sales = pd.read_csv(root / "sales_clean.csv", parse_dates=["sale_date"])
    return cards, sales


@functools.cache
def _training(exercise) -> tuple[object, BaseException | None]:
    """(the model train_model trains on all the clean sales, None) or (None, its error), once."""
    cards, sales = _course()
    try:
        return exercise.train_model(sales, cards), None
    except Exception as error:  # remembered: a broken train_model is not retried per check
        return None, error


def _trained(exercise):
    model, error = _training(exercise)
    if error is not None:
        raise error
    return model


@functools.cache
def _heldout() -> pd.DataFrame:
    return heldout_sales(SEED, n=HELDOUT_N)


@functools.cache
def _scores(exercise) -> tuple[float, float]:
    """(the trained model's dollar MAE, the per-rarity median's) on the held-out sales."""
    _, sales = _course()
    heldout = _heldout()
    predicted = np.asarray(_trained(exercise).predict(heldout.drop(columns="price_usd")), float)
    assert predicted.shape == (len(heldout),) and np.isfinite(predicted).all(), (
        f"The trained model gave {predicted.shape} prices (or some not finite) for "
        f"{len(heldout)} held-out sales: one dollar price per sale."
    )
    medians = sales.groupby("rarity")["price_usd"].median()
    baseline = heldout["rarity"].map(medians).fillna(sales["price_usd"].median())
    _save_error_plot(exercise)
    return (
        float(mean_absolute_error(heldout["price_usd"], predicted)),
        float(mean_absolute_error(heldout["price_usd"], baseline)),
    )


def _save_error_plot(exercise) -> None:
    """The learner's plot_errors of the trained model on the held-out sales, for the report.

    Saved as error_analysis.png in MLINGS_GRADE_OUT when the grader sets it. plot_errors is
    judged by its own check: a failure here costs nothing.
    """
    out = os.environ.get("MLINGS_GRADE_OUT")
    if not out:
        return
    with contextlib.suppress(Exception):
        fig = exercise.plot_errors(_trained(exercise), _heldout())
        fig.savefig(Path(out) / "error_analysis.png", dpi=110, bbox_inches="tight")
        plt.close(fig)


def _beats_by(exercise, margin: float) -> None:
    mae, baseline = _scores(exercise)
    target = (1 - margin) * baseline
    assert mae < target, (
        f"On {len(_heldout()):,} held-out sales of 2025 (seed {SEED}) your model's MAE is "
        f"${mae:,.2f}, {mae / baseline:.0%} of the per-rarity median's ${baseline:,.2f}; "
        f"this check needs below ${target:,.2f} ({1 - margin:.0%}). Look at evaluate's by_tier "
        "and your features: the card's era, grade and past prices carry most of the signal."
    )


@pytest.mark.points(4)
def test_model_beats_the_rarity_median_on_heldout_sales(exercise):
    """train_model's model beats the per-rarity median in dollar MAE on unseen 2025 sales"""
    _beats_by(exercise, 0.0)


@pytest.mark.points(1.5)
def test_model_beats_the_baseline_by_a_fifth(exercise):
    """... and by a margin: below 80% of the baseline's dollar MAE"""
    _beats_by(exercise, 0.20)


@pytest.mark.points(1.5)
def test_model_beats_the_baseline_by_a_wide_margin(exercise):
    """... and by a wide margin: below 70% of the baseline's dollar MAE"""
    _beats_by(exercise, 0.30)
