"""Checks for 06_monitoring/06_monitoring_dashboard: drift and error, one panel each, saved."""

import functools
import itertools
from dataclasses import dataclass
from pathlib import Path

import matplotlib.image
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.container import BarContainer
from matplotlib.figure import Figure

METRICS = {"price_psi": "PSI", "mae_usd": "MAE"}


@dataclass(frozen=True)
class Case:
    """One call of plot_dashboard: its weekly frame, thresholds and file."""

    name: str
    weekly: pd.DataFrame
    psi_threshold: float
    mae_threshold: float
    path: str | Path


@dataclass(frozen=True)
class Drawn:
    """What one call gave back and left behind."""

    case: Case
    fig: Figure
    left_open: int
    weekly_changed: bool
    saved: list  # what the returned figure held each time it was saved (_contents)


def _weekly_a() -> pd.DataFrame:
    """Twelve weeks of the drifted quarter; one week's MAE is missing (its labels were lost)."""
    weeks = [f"2025-W{week}" for week in range(27, 39)]
    psi = [0.04, 0.09, 0.31, 0.12, 0.05, 0.27, 0.08, 0.18, 3.9, 0.11, 0.07, 0.22]
    mae = [95.0, 130.0, 410.0, 160.0, np.nan, 380.0, 120.0, 240.0, 38000.0, 150.0, 110.0, 290.0]
    frame = pd.DataFrame(
        {"batch_id": weeks, "price_psi": psi, "mae_usd": mae, "n_sales": range(200, 212)}
    )
    return frame.set_axis(np.arange(12)[::-1] * 5 + 40)  # an index that is not 0..n-1


def _weekly_b() -> pd.DataFrame:
    """Six quiet weeks of the first quarter, labelled without zero padding by an older job.

    Sorted as text, "2025-W10" comes before "2025-W8": only the frame's order is time order.
    """
    return pd.DataFrame(
        {
            "batch_id": [f"2025-W{week}" for week in range(8, 14)],
            "price_psi": [0.021, 0.013, 0.034, 0.009, 0.027, 0.041],
            "mae_usd": [120.5, 98.0, 143.2, 87.9, 210.4, 101.3],
        }
    )


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A fresh folder for the figures, in the run's own folder: mlings keeps what is drawn there."""
    return tmp_path_factory.mktemp("dashboard")


def _case(name: str, folder: Path) -> Case:
    if name == "a":
        return Case("a", _weekly_a(), 0.2, 300.0, folder / "a" / "dashboard.png")
    return Case("b", _weekly_b(), 0.025, 150.0, str(folder / "b" / "weekly.png"))


@functools.cache
def _attempt(exercise, folder: Path, name: str) -> Drawn | BaseException:
    """Call plot_dashboard once per case (a failure too); close whatever it left open."""
    try:
        return _draw(exercise, _case(name, folder))
    except Exception as error:  # raised again by every check that needs this drawing
        return error


def _draw(exercise, case: Case) -> Drawn:
    Path(case.path).parent.mkdir(parents=True, exist_ok=True)
    weekly = case.weekly.copy(deep=True)
    before = set(plt.get_fignums())
    saves = []
    savefig = Figure.savefig

    def spy(fig, *args, **kwargs):  # plt.savefig ends here too
        saves.append((fig, _contents(fig)))
        return savefig(fig, *args, **kwargs)

    Figure.savefig = spy
    try:
        got = exercise.plot_dashboard(weekly, case.psi_threshold, case.mae_threshold, case.path)
    finally:
        Figure.savefig = savefig
        left_open = set(plt.get_fignums()) - before
        for number in left_open:
            plt.close(number)
    if isinstance(got, Axes):
        got = got.figure
    assert isinstance(got, Figure), (
        f"plot_dashboard returned {type(got).__name__}; expected the matplotlib Figure it "
        "drew (return fig)."
    )
    changed = not (weekly.equals(case.weekly) and weekly.index.equals(case.weekly.index))
    saved = [contents for fig, contents in saves if fig is got]
    return Drawn(case, got, len(left_open), changed, saved)


def _contents(fig: Figure) -> dict[str, list]:
    """What the contract asks the figure to show, as it stands now."""
    axes = fig.axes
    return {
        "plotted series": [len(_series(ax)) for ax in axes],
        "threshold lines": [sorted(_horizontal_levels(ax)) for ax in axes],
        "y labels": [ax.get_ylabel() for ax in axes],
        "x labels": [ax.get_xlabel() for ax in axes],
        "title": [ax.get_title() for ax in axes] + [fig.get_suptitle()],
    }


def _drawings(exercise, folder: Path) -> list[Drawn]:
    drawings = [_attempt(exercise, folder, name) for name in ("a", "b")]
    for drawn in drawings:
        if isinstance(drawn, BaseException):
            raise drawn
    return drawings


# What is plotted: (x, y) points of every line, bar and scatter, in the axes' numbers.


def _series(ax: Axes) -> list[np.ndarray]:
    """Every plotted series of the axes as an (n, 2) array of x, y (NaN where missing)."""
    found = []
    for line in ax.get_lines():
        if line.get_transform() == ax.transData:  # not axhline/axvline (axes coordinates)
            found.append(np.asarray(line.get_xydata(), dtype=float))
    for container in ax.containers:
        if isinstance(container, BarContainer):
            found.append(
                np.array(
                    [
                        (
                            bar.get_x() + bar.get_width() / 2,
                            # a bar of height 0 (pandas' bar at a NaN) shows nothing
                            bar.get_y() + bar.get_height() if bar.get_height() else np.nan,
                        )
                        for bar in container.patches
                    ],
                    dtype=float,
                )
            )
    for collection in ax.collections:
        if isinstance(collection, PathCollection):
            offsets = np.ma.filled(np.ma.asarray(collection.get_offsets(), dtype=float), np.nan)
            if offsets.ndim == 2 and len(offsets):
                found.append(offsets)
    return [xy for xy in found if xy.ndim == 2 and xy.shape[1] == 2 and len(xy)]


def _is_flat(xy: np.ndarray) -> bool:
    y = xy[:, 1][np.isfinite(xy[:, 1])]
    return len(y) >= 2 and bool(np.allclose(y, y[0]))


def _horizontal_levels(ax: Axes) -> list[float]:
    """The y of every horizontal line: axhline, a flat plotted line, or hlines."""
    levels = []
    for line in ax.get_lines():
        y = np.asarray(line.get_ydata(), dtype=float)
        y = y[np.isfinite(y)]
        if len(y) >= 2 and np.allclose(y, y[0]):
            levels.append(float(y[0]))
    for collection in ax.collections:
        if isinstance(collection, LineCollection):
            for segment in collection.get_segments():
                segment = np.asarray(segment, dtype=float)
                if segment.ndim != 2 or len(segment) < 2:
                    continue  # an empty segment (e.g. a stem at a NaN week)
                y = segment[:, 1]
                if np.allclose(y, y[0]):
                    levels.append(float(y[0]))
    return levels


def _in_x_order(xy: np.ndarray) -> np.ndarray:
    """The finite y values of a series, left to right."""
    xy = xy[np.isfinite(xy[:, 0])]
    xy = xy[np.argsort(xy[:, 0], kind="stable")]
    return xy[:, 1][np.isfinite(xy[:, 1])]


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-6, atol=1e-9))


def _skips(shown: np.ndarray, values: np.ndarray) -> bool:
    """Whether shown is values (in order) with some of them left out."""
    if not 0 < len(shown) < len(values):
        return False
    rest = iter(values)
    return all(any(np.isclose(value, item) for item in rest) for value in shown)


def _panel(fig: Figure, values: np.ndarray) -> tuple[Axes | None, str]:
    """The axes that shows these values in order, or None and what went wrong."""
    finite = values[np.isfinite(values)]
    for ax in fig.axes:
        for xy in _series(ax):
            if not _is_flat(xy) and _same(_in_x_order(xy), finite):
                return ax, ""
    for ax in fig.axes:
        for xy in _series(ax):
            y = _in_x_order(xy)
            if _same(y, np.sort(finite)) and not _same(y, finite):
                return None, (
                    f" A series has these values sorted by value ({_short(y)}): plot them in "
                    "the frame's order, which is time order, so a reader sees when things "
                    "changed."
                )
            if _same(np.sort(y), np.sort(finite)):
                return None, (
                    " A series has exactly these values, but left to right they come in "
                    f"another order ({_short(y)}): plot them against weekly['batch_id'] in "
                    "the frame's order (time order), not sorted, not against the index."
                )
            if _skips(y, finite):
                return None, (
                    f" A series shows only {len(y)} of the {len(finite)} weeks "
                    f"({_short(y)}): keep every week, even one whose other metric is "
                    "missing (do not drop rows of the whole frame)."
                )
    shown = [_short(_in_x_order(xy)) for ax in fig.axes for xy in _series(ax)]
    return None, f" The figure's series hold {'; '.join(shown) or 'nothing'}."


def _short(values: np.ndarray) -> str:
    text = ", ".join(f"{value:g}" for value in values[:6])
    return f"[{text}{', ...' if len(values) > 6 else ''}]"


def _panels(drawn: Drawn) -> dict[str, Axes]:
    """The drift panel and the error panel, asserted found."""
    panels = {}
    for column, label in METRICS.items():
        values = drawn.case.weekly[column].to_numpy(dtype=float)
        ax, why = _panel(drawn.fig, values)
        assert ax is not None, (
            f"No panel shows weekly[{column!r}] ({_short(values)}) in the frame's order, one "
            f"point per week (a week whose {label} is missing may have no point)." + why
        )
        panels[column] = ax
    return panels


def _week_positions(ax: Axes) -> dict[str, float]:
    """Tick label -> x position, from the axis's own ticks and formatter."""
    ticks = np.asarray(ax.get_xticks(), dtype=float)
    labels = ax.xaxis.get_major_formatter().format_ticks(ticks)
    return {str(label).strip(): float(tick) for tick, label in zip(ticks, labels, strict=True)}


def _point_at(ax: Axes, values: np.ndarray, x: float) -> float | None:
    """The finite y plotted at x by the series that shows these values (None: no point)."""
    finite = values[np.isfinite(values)]
    for xy in _series(ax):
        if not _is_flat(xy) and _same(_in_x_order(xy), finite):
            here = xy[np.isclose(xy[:, 0], x) & np.isfinite(xy[:, 1])]
            return float(here[0, 1]) if len(here) else None
    return None


def test_returns_the_figure_and_closes_it(exercise, folder):
    """returns the Figure and leaves no figure open in pyplot"""
    for drawn in _drawings(exercise, folder):
        assert not drawn.left_open, (
            f"plot_dashboard left {drawn.left_open} figure(s) open in pyplot. The monitoring "
            "job draws one every week; pyplot keeps every open figure in memory (and warns "
            "past 20): call plt.close(fig) once it is saved, and still return fig."
        )


def test_each_panel_shows_its_weekly_values_in_order(exercise, folder):
    """plots PSI and MAE week by week in the frame's order (rejects values sorted by value)"""
    for drawn in _drawings(exercise, folder):
        _panels(drawn)


def test_one_panel_per_metric(exercise, folder):
    """PSI and MAE have a panel each, and no other (rejects one mixed axis, twinx, extra panels)"""
    for drawn in _drawings(exercise, folder):
        panels = _panels(drawn)
        drift, error = panels["price_psi"], panels["mae_usd"]
        assert drift is not error, (
            "PSI and MAE are plotted on the same axes: PSI has no unit and MAE is in dollars, "
            "so one y axis cannot read both (the PSI line hugs zero under the dollars). Give "
            "each its own panel: fig, (drift, error) = plt.subplots(2, 1, sharex=True)."
        )
        with_data = [ax for ax in drawn.fig.axes if _series(ax)]
        assert len(with_data) == 2, (
            f"The figure has {len(with_data)} panels with data; expected exactly two, drift "
            "and error. Plot only weekly['price_psi'] and weekly['mae_usd'] (not every column "
            "of the frame: the other columns, like n_sales, are not on the dashboard)."
        )
        a, b = drift.get_position(), error.get_position()
        overlap = max(0.0, min(a.x1, b.x1) - max(a.x0, b.x0)) * max(
            0.0, min(a.y1, b.y1) - max(a.y0, b.y0)
        )
        assert overlap < 0.05 * min(a.width * a.height, b.width * b.height), (
            "The PSI and MAE panels sit on top of each other (a twin y axis, ax.twinx()): two "
            "units in one box, two thresholds a reader cannot tell apart. Put them in two "
            "panels that do not overlap, e.g. plt.subplots(2, 1, sharex=True)."
        )


def test_threshold_lines_at_the_given_values(exercise, folder):
    """each panel draws its threshold as a horizontal line (rejects thresholds as text only)"""
    for drawn in _drawings(exercise, folder):
        panels = _panels(drawn)
        wanted = {"price_psi": drawn.case.psi_threshold, "mae_usd": drawn.case.mae_threshold}
        other = {"price_psi": drawn.case.mae_threshold, "mae_usd": drawn.case.psi_threshold}
        for column, ax in panels.items():
            levels = _horizontal_levels(ax)
            if any(np.isclose(level, wanted[column]) for level in levels):
                continue
            message = (
                f"The {METRICS[column]} panel has no horizontal line at its threshold "
                f"{wanted[column]:g} (its horizontal lines: "
                f"{', '.join(f'{level:g}' for level in levels) or 'none'})."
            )
            if any(np.isclose(level, other[column]) for level in levels):
                message += " It has the other panel's threshold: the thresholds are swapped."
            else:
                message += (
                    " A threshold written in a title or a text box is not enough: the "
                    "reader compares each point with a line. Draw ax.axhline(threshold)."
                )
            raise AssertionError(message)


def test_weeks_on_x_in_order(exercise, folder):
    """x has one tick per week, labelled with its batch_id, under its own value, NaN included"""
    for drawn in _drawings(exercise, folder):
        weekly = drawn.case.weekly
        weeks = weekly["batch_id"].astype(str).tolist()
        for column, ax in _panels(drawn).items():
            positions = _week_positions(ax)
            missing = [week for week in weeks if week not in positions]
            labels = ", ".join(list(positions)[:6]) + (", ..." if len(positions) > 6 else "")
            assert not missing, (
                f"The x ticks of the {METRICS[column]} panel are labelled "
                f"[{labels}]; expected one tick per week labelled with its "
                f"batch_id, but {missing[:3]} have none. Plot against weekly['batch_id'] or "
                "set the ticks with ax.set_xticks(positions, labels)."
            )
            x = [positions[week] for week in weeks]
            assert all(a < b for a, b in itertools.pairwise(x)), (
                f"On the {METRICS[column]} panel the weeks are not left to right in the "
                "frame's order (which is time order): keep the rows in the order given."
            )
            values = weekly[column].to_numpy(dtype=float)
            for week, position, value in zip(weeks, x, values, strict=True):
                got = _point_at(ax, values, position)
                if np.isnan(value):
                    assert got is None, (
                        f"Week {week} has no {METRICS[column]} (NaN), yet the panel shows "
                        f"{got:g} above it: the values slid one week over. A week with a "
                        "missing value keeps its place; plot every week with its own x."
                    )
                    continue
                assert got is not None and np.isclose(got, value), (
                    f"Above the tick {week} the {METRICS[column]} panel shows "
                    f"{'nothing' if got is None else f'{got:g}'}, but that week's value is "
                    f"{value:g}: each value must sit above its own week (a dropped missing "
                    "week shifts every later one)."
                )


def test_labels_units_and_title(exercise, folder):
    """labelled axes with units: PSI, MAE in dollars, the week on x, and a title"""
    for drawn in _drawings(exercise, folder):
        panels = _panels(drawn)
        drift = panels["price_psi"].get_ylabel()
        error = panels["mae_usd"].get_ylabel()
        assert "psi" in drift.lower(), (
            f"The drift panel's y label is {drift!r}; name the quantity: PSI (it has no unit)."
        )
        lowered = error.lower()
        assert ("mae" in lowered or "error" in lowered) and (
            "$" in error or "usd" in lowered or "dollar" in lowered
        ), f"The error panel's y label is {error!r}; say what it is and its unit, e.g. 'MAE (USD)'."
        xlabels = [ax.get_xlabel() for ax in drawn.fig.axes]
        assert any("week" in label.lower() for label in xlabels), (
            f"The x labels are {xlabels}; label the x axis with the word 'week' (e.g. 'ISO "
            "week of the batch') so a reader knows what one tick is."
        )
        titles = [ax.get_title() for ax in drawn.fig.axes] + [drawn.fig.get_suptitle()]
        assert any(title.strip() for title in titles), (
            "The figure has no title: say what the reader is looking at, e.g. "
            "fig.suptitle('Price model: weekly drift and error')."
        )


def test_saves_a_readable_png(exercise, folder):
    """saves the finished figure as a PNG at the path it is given (a str or a Path)"""
    for drawn in _drawings(exercise, folder):
        path = Path(drawn.case.path)
        files = sorted(p.name for p in path.parent.iterdir())
        assert path.is_file(), (
            f"plot_dashboard did not write the path it was given ({path.name}); the folder "
            f"holds {files or 'nothing'}. Call fig.savefig(path)."
        )
        assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n"), (
            f"{path.name} is not a PNG image: let fig.savefig(path) pick the format from the "
            "suffix."
        )
        if drawn.saved:
            final = _contents(drawn.fig)
            late = [part for part, value in drawn.saved[-1].items() if value != final[part]]
            assert not late, (
                f"{path.name} was saved before the figure was finished: its {', '.join(late)} "
                "changed after fig.savefig, so the PNG on the ticket lacks them. Draw "
                "everything (values, threshold lines, labels, title) first, then save."
            )
        image = matplotlib.image.imread(path)
        colours = np.unique(image.reshape(-1, image.shape[-1])[::97], axis=0)
        assert image.ndim == 3 and len(colours) > 2, (
            f"{path.name} is blank: it was saved from another figure than the one drawn (for "
            "example plt.savefig while drawing on a Figure of your own). Call fig.savefig."
        )


def test_leaves_weekly_unchanged(exercise, folder):
    """leaves the weekly frame it is given unchanged"""
    for drawn in _drawings(exercise, folder):
        assert not drawn.weekly_changed, (
            "plot_dashboard changed the weekly frame it was given (sorted, dropped or added "
            "rows or columns, in place). The caller still needs it: work on what you plot, "
            "not on their frame."
        )
