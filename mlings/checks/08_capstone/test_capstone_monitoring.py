"""Checks for 08_capstone/monitoring.py: drift flagged on a drifted slice, quiet on a stable one."""

import contextlib
import functools
import math
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mlings.dataset import (
    CENTS_BATCH,
    make_cards,
    make_drifted_slice,
    make_sales,
    make_stable_slice,
)

SEED = int(os.environ.get("MLINGS_GRADE_SEED", "0"))
SEEDS = (SEED, SEED + 101, SEED + 202)  # the grade's seed and two more


@functools.cache
def _cards() -> pd.DataFrame:
    return make_cards()


@functools.cache
def _reference() -> pd.DataFrame:
    """Clean sales of 2024, the last year the model learned from."""
    return make_sales(_cards(), [SEED, 24], 6000, "2024-01-01", "2024-12-31")


@functools.cache
def _stable(seed: int) -> pd.DataFrame:
    return make_stable_slice(_cards(), seed)


@functools.cache
def _drifted(seed: int) -> pd.DataFrame:
    return make_drifted_slice(_cards(), seed)


def _repaired(seed: int) -> pd.DataFrame:
    """The drifted slice with its cents batch converted back to dollars."""
    sales = _drifted(seed).copy()
    cents = sales["batch_id"].eq(CENTS_BATCH)
    sales.loc[cents, "price_usd"] = (sales.loc[cents, "price_usd"] / 100).round(2)
    return sales


def _report(exercise, current: pd.DataFrame, what: str, reference=None) -> dict:
    reference = _reference() if reference is None else reference
    report = exercise.drift_report(reference.copy(), current.copy())
    assert isinstance(report, dict), (
        f"drift_report returned {type(report).__name__} for {what}; return a dict with the "
        'keys "drifted", "psi" and "alerts".'
    )
    missing = {"drifted", "psi", "alerts"} - set(report)
    assert not missing, f"drift_report's dict for {what} lacks {sorted(missing)}."
    assert isinstance(report["drifted"], bool | np.bool_), (
        f'"drifted" is {report["drifted"]!r} for {what}; it should be True or False.'
    )
    alerts = report["alerts"]
    assert isinstance(alerts, list) and all(isinstance(a, str) for a in alerts), (
        f'"alerts" is {alerts!r} for {what}; it should be a list of strings.'
    )
    assert bool(report["drifted"]) == bool(alerts), (
        f'For {what} "drifted" is {report["drifted"]} with alerts {alerts}: "drifted" is True '
        "exactly when at least one alert fired."
    )
    return report


def _psi(report: dict, feature: str, what: str) -> float:
    psi = report["psi"]
    assert isinstance(psi, dict) and feature in psi, (
        f'"psi" for {what} is {psi!r:.200}; it should be a dict with a float per feature, '
        f'"{feature}" among them.'
    )
    value = psi[feature]
    assert isinstance(value, float | int | np.floating) and math.isfinite(value), (
        f'psi["{feature}"] is {value!r} for {what}; it should be a finite float (floor each '
        "share at 1e-4 so an empty bin stays finite; drop missing prices, and count a missing "
        "category as a category of its own)."
    )
    return float(value)


@contextlib.contextmanager
def _thresholds(exercise, value: float):
    """Every entry of the learner's ALERT_THRESHOLDS set to value, restored afterwards."""
    thresholds = exercise.ALERT_THRESHOLDS
    assert isinstance(thresholds, dict) and thresholds, (
        f"ALERT_THRESHOLDS is {thresholds!r}; it should be a non-empty dict of name -> number."
    )
    saved = dict(thresholds)
    try:
        thresholds.update(dict.fromkeys(saved, value))
        yield
    finally:
        thresholds.clear()
        thresholds.update(saved)


def _alert_name(alert: str) -> str:
    return alert.split(":", 1)[0].strip()


# The course's PSI (Module 6): reference deciles, shared bins, open outer bins, shares >= 1e-4.
def _numeric_psi(reference, current, bins: int = 10, eps: float = 1e-4) -> float:
    ref = np.asarray(reference, dtype=float)
    cur = np.asarray(current, dtype=float)
    ref, cur = ref[~np.isnan(ref)], cur[~np.isnan(cur)]
    inner = np.unique(np.quantile(ref, np.linspace(0.0, 1.0, bins + 1)[1:-1]))
    ref_share = np.bincount(np.searchsorted(inner, ref), minlength=inner.size + 1) / ref.size
    cur_share = np.bincount(np.searchsorted(inner, cur), minlength=inner.size + 1) / cur.size
    ref_share, cur_share = np.maximum(ref_share, eps), np.maximum(cur_share, eps)
    return float(np.sum((cur_share - ref_share) * np.log(cur_share / ref_share)))


def _categorical_psi(reference: pd.Series, current: pd.Series, eps: float = 1e-4) -> float:
    ref = reference.astype(object).fillna("<missing>").astype(str)
    cur = current.astype(object).fillna("<missing>").astype(str)
    categories = sorted(set(ref) | set(cur))
    ref_share = ref.value_counts(normalize=True).reindex(categories, fill_value=0.0).to_numpy()
    cur_share = cur.value_counts(normalize=True).reindex(categories, fill_value=0.0).to_numpy()
    ref_share, cur_share = np.maximum(ref_share, eps), np.maximum(cur_share, eps)
    return float(np.sum((cur_share - ref_share) * np.log(cur_share / ref_share)))


def _close(got: float, want: float) -> bool:
    return abs(got - want) <= 0.01 + 0.15 * abs(want)


def _unseen(reference: pd.Series, current: pd.Series) -> list[str]:
    return sorted(set(current.dropna()) - set(reference.dropna()))


def _rounded(psi) -> str:
    if not isinstance(psi, dict):
        return repr(psi)[:100]
    return repr({k: round(v, 3) if isinstance(v, float) else v for k, v in psi.items()})[:200]


def _save_drift_plot(report: dict, seed: int) -> None:
    """The learner's drift report as a figure for the grade's markdown page (never costs points).

    Saved as drift.png in MLINGS_GRADE_OUT when the grader sets it: each feature's PSI as the
    learner's drift_report measured it on the drifted slice, and the alerts it raised.
    """
    out = os.environ.get("MLINGS_GRADE_OUT")
    if not out:
        return
    with contextlib.suppress(Exception):
        import matplotlib.pyplot as plt

        psi = {k: float(v) for k, v in report["psi"].items()}
        fig, ax = plt.subplots(figsize=(6, 0.4 * len(psi) + 1.5))
        ax.barh(list(psi), list(psi.values()), color="tab:orange")
        ax.set_xlabel("PSI against the 2024 reference")
        alerts = ", ".join(a.split(":")[0] for a in report["alerts"]) or "none"
        ax.set_title(f"Drifted 2025 slice (seed {seed}): alerts {alerts}", fontsize=9)
        fig.savefig(Path(out) / "drift.png", dpi=110, bbox_inches="tight")
        plt.close(fig)


@pytest.mark.points(1.25)
def test_flags_the_drifted_slice(exercise):
    """the drifted 2025 slice is flagged, for the grade's seed and two more"""
    for seed in SEEDS:
        what = f"the drifted slice (seed {seed})"
        report = _report(exercise, _drifted(seed), what)
        if seed == SEEDS[0]:
            _save_drift_plot(report, seed)
        _psi(report, "price_usd", what), _psi(report, "rarity", what)
        assert report["drifted"], (
            f"The drifted slice of seed {seed} (new rarities, prices up about 65%, more PSA "
            f"10s, a batch in cents) was not flagged; alerts {report['alerts']}. Compare each "
            "feature's PSI with its threshold, against the 2024 reference."
        )


@pytest.mark.points(1)
def test_flags_drift_without_the_cents_batch(exercise):
    """the drifted slice is flagged once its cents batch is repaired (rejects a unit check only)"""
    reference = _reference()
    for seed in SEEDS:
        current = _repaired(seed)
        report = _report(exercise, current, f"the repaired drifted slice (seed {seed})")
        if report["drifted"]:
            continue
        got = report["psi"].get("rarity") if isinstance(report["psi"], dict) else None
        want = _categorical_psi(reference["rarity"], current["rarity"])
        lost = isinstance(got, float | int | np.floating) and got < want and not _close(got, want)
        assert not lost, (
            f"With its cents batch converted back to dollars, the drifted slice of seed {seed} "
            f'was not flagged, and its psi["rarity"] is {got:.4f} where a categorical PSI over '
            f"the rarities of BOTH samples gives {want:.4f}. Its new rarities ("
            f"{', '.join(_unseen(reference['rarity'], current['rarity']))}) need bins of their "
            "own with a reference share of 0 (floored at 1e-4): with the reference's categories "
            "only, they vanish and the mix looks stable."
        )
        raise AssertionError(
            f"With its cents batch converted back to dollars, the drifted slice of seed {seed} "
            "was not flagged: the market itself moved (new rarities, more PSA 10s, higher "
            f"prices), not only one batch's units. PSIs {_rounded(report['psi'])}, alerts "
            f"{report['alerts']}: alert on each feature's PSI above its threshold, too."
        )


@pytest.mark.points(1.25)
def test_quiet_on_the_stable_slice(exercise):
    """the stable 2025 slice raises no alert, for the grade's seed and two more"""
    for seed in SEEDS:
        what = f"the stable slice (seed {seed})"
        report = _report(exercise, _stable(seed), what)
        _psi(report, "price_usd", what), _psi(report, "rarity", what)
        assert not report["alerts"], (
            f"The stable slice of seed {seed} (the 2024 market three months on) raised "
            f"{report['alerts']}. A monitor that cries wolf gets muted: thresholds such as a "
            "PSI above 0.1, against the 2024 reference, keep it quiet here."
        )


@pytest.mark.points(1.25)
def test_names_the_cents_batch(exercise):
    """the batch in cents is named among the alerts, wherever it falls, and only while broken"""
    report = _report(exercise, _drifted(SEED), "the drifted slice")
    assert any(CENTS_BATCH in alert for alert in report["alerts"]), (
        f"Batch {CENTS_BATCH} of the drifted slice has its prices in cents (its median price "
        f"is about 100x the reference's), and no alert names it: {report['alerts']}. Compare "
        "each batch's median price_usd with the reference's, and name the broken batch."
    )
    report = _report(exercise, _repaired(SEED), "the repaired drifted slice")
    assert not any(CENTS_BATCH in alert for alert in report["alerts"]), (
        f"Once batch {CENTS_BATCH} is converted back to dollars, an alert still names it: "
        f"{report['alerts']}. Name a batch only when its prices are off by a unit factor."
    )
    stable = _stable(SEED).copy()
    batch = sorted(stable["batch_id"].unique())[5]
    rows = stable["batch_id"].eq(batch)
    stable.loc[rows, "price_usd"] = (stable.loc[rows, "price_usd"] * 100).round(2)
    report = _report(exercise, stable, f"the stable slice with batch {batch} in cents")
    named = [alert for alert in report["alerts"] if batch in alert]
    assert named, (
        f"Batch {batch} of the stable slice was put in cents, and no alert names it: "
        f"{report['alerts']}. Find the broken batch from the data (each batch's median price), "
        f"not from its name ({CENTS_BATCH} is only where it fell this time)."
    )
    others = [b for b in stable["batch_id"].unique() if b != batch]
    wrong = [alert for alert in report["alerts"] for b in others if b in alert]
    assert not wrong, f"Only batch {batch} is in cents, yet alerts name other batches: {wrong}."
    slabs = _stable(SEED).copy()
    last = sorted(slabs["batch_id"].unique())[-1]  # a short week: one day of sales
    two = slabs.index[slabs["batch_id"].eq(last)][:2]
    slabs.loc[two, "price_usd"] = [92_828.40, 88_000.00]
    report = _report(exercise, slabs, f"the stable slice with two record slabs in batch {last}")
    named = [alert for alert in report["alerts"] if last in alert]
    assert not named, (
        f"Two record sales ($92,828.40 and $88,000, real PSA 10 slabs) in the short batch "
        f"{last} raised {named}. Its prices are in dollars: compare each batch's MEDIAN price "
        "with the reference's; a mean is moved tenfold by a couple of slabs."
    )


@pytest.mark.points(1)
def test_price_psi_follows_module_6(exercise):
    """psi["price_usd"] is Module 6's PSI: reference deciles shared by both samples"""
    reference = _reference()["price_usd"]
    stable = _stable(SEED)
    cases = [
        ("the stable slice", stable),
        ("the repaired drifted slice", _repaired(SEED)),
        ("the stable slice with every price x1.5", stable.assign(price_usd=stable.price_usd * 1.5)),
        ("the stable slice with every price x3", stable.assign(price_usd=stable.price_usd * 3)),
    ]
    for what, current in cases:
        got = _psi(_report(exercise, current, what), "price_usd", what)
        want = _numeric_psi(reference, current["price_usd"])
        assert _close(got, want), (
            f'psi["price_usd"] for {what} is {got:.4f}; Module 6\'s PSI gives {want:.4f}. Cut '
            "bins at the REFERENCE's deciles, use them for both samples (outer bins open), "
            "floor each share at 1e-4, sum (cur - ref) * ln(cur / ref)."
        )


@pytest.mark.points(0.75)
def test_rarity_psi_follows_module_6(exercise):
    """psi["rarity"] is a categorical PSI, a rarity 2024 never saw included"""
    reference = _reference()["rarity"]
    stable = _stable(SEED)
    relabelled = stable.copy()
    commons = relabelled.index[relabelled["rarity"].eq("Common")][::3]
    relabelled.loc[commons, "rarity"] = "Holo Rare"
    cases = [
        ("the stable slice", stable),
        ("the stable slice with a third of its Commons relabelled Holo Rare", relabelled),
        ("the repaired drifted slice (two rarities 2024 never saw)", _repaired(SEED)),
    ]
    for what, current in cases:
        got = _psi(_report(exercise, current, what), "rarity", what)
        want = _categorical_psi(reference, current["rarity"])
        assert _close(got, want), (
            f'psi["rarity"] for {what} is {got:.4f}; a categorical PSI gives {want:.4f}. Take '
            "each rarity as a bin (the rarities of both samples: one 2024 never saw has a "
            "reference share of 0), floor each share at 1e-4, and sum (cur - ref) * "
            "ln(cur / ref)."
        )


@pytest.mark.points(0.5)
def test_missing_rarity_is_a_category(exercise):
    """a missing rarity counts as a category of its own in psi["rarity"] (rejects dropping it)"""
    reference, stable = _reference(), _stable(SEED)
    gone = stable.copy()
    gone.loc[gone.index[np.arange(len(gone)) % 10 < 3], "rarity"] = np.nan
    holes = reference.copy()
    holes.loc[holes.index[np.arange(len(holes)) % 10 < 3], "rarity"] = np.nan
    cases = [
        ("the stable slice with 30% of its rarities missing", reference, gone),
        ("the stable slice against a reference with 30% of its rarities missing", holes, stable),
    ]
    for what, ref, current in cases:
        got = _psi(_report(exercise, current, what, reference=ref), "rarity", what)
        want = _categorical_psi(ref["rarity"], current["rarity"])
        assert _close(got, want), (
            f'psi["rarity"] for {what} is {got:.4f}; with a missing value as a category of its '
            f"own it is {want:.4f}. A feed that stops sending rarities is drift: keep the "
            "missing values as a bin (value_counts(dropna=False), or fillna with a label) "
            "instead of dropping them and sharing out the rest."
        )


@pytest.mark.points(0.75)
def test_thresholds_decide_the_verdict(exercise):
    """drift_report judges against ALERT_THRESHOLDS as they are when it runs"""
    with _thresholds(exercise, 1e12):
        report = _report(exercise, _drifted(SEED), "the drifted slice, every threshold 1e12")
    assert not report["alerts"], (
        f"With every entry of ALERT_THRESHOLDS set to 1e12, the drifted slice still raised "
        f"{report['alerts']}. Judge every alert against its ALERT_THRESHOLDS entry, read when "
        "drift_report runs (not a number written in the function, nor a copy made at import)."
    )
    with _thresholds(exercise, 1e-9):
        report = _report(exercise, _stable(SEED), "the stable slice, every threshold 1e-9")
    assert report["drifted"], (
        "With every entry of ALERT_THRESHOLDS set to 1e-9, the stable slice was not flagged: "
        "an alert fires when its measure is ABOVE its threshold, read from ALERT_THRESHOLDS "
        "when drift_report runs."
    )


@pytest.mark.points(0.5)
def test_alerts_fire_strictly_above(exercise):
    """an alert fires when its measure is above its threshold, not when equal (rejects >=)"""
    reference = _reference()
    itself = reference.assign(batch_id="2025-W01")  # one batch: its median is the reference's
    what = "the 2024 reference itself as one batch, every threshold 1.0"
    with _thresholds(exercise, 1.0):
        report = _report(exercise, itself, what)
    assert not report["alerts"], (
        f"For {what}, drift_report raised {report['alerts']}. Here every PSI is exactly 0 and "
        "the batch's median is exactly 1.0 times the reference's: a measure EQUAL to its "
        "threshold is not above it. Compare with >, not >=."
    )
    what = "the 2024 reference itself as one batch, every threshold 1.0 - 1e-9"
    with _thresholds(exercise, 1.0 - 1e-9):
        report = _report(exercise, itself, what)
    assert report["alerts"], (
        f"For {what}, drift_report raised nothing, yet the batch's median is 1.0 times the "
        "reference's, just above the threshold. A batch whose median is more than "
        "ALERT_THRESHOLDS allows times the reference's median raises an alert."
    )


@pytest.mark.points(0.75)
def test_every_alert_has_a_runbook(exercise):
    """every alert drift_report raises has a RUNBOOK entry saying what to do (rejects empty ones)"""
    runbook = exercise.RUNBOOK
    assert isinstance(runbook, dict) and runbook, (
        f"RUNBOOK is {runbook!r:.100}; it should be a dict: alert name -> what the on-call does."
    )
    thresholds = exercise.ALERT_THRESHOLDS
    assert isinstance(thresholds, dict) and thresholds, (
        f"ALERT_THRESHOLDS is {thresholds!r:.100}; it should be a dict of name -> number."
    )
    for name, value in thresholds.items():
        number = isinstance(value, int | float) and not isinstance(value, bool)
        assert number and math.isfinite(value), (
            f"ALERT_THRESHOLDS[{name!r}] is {value!r}; every threshold is a finite number."
        )
    stable = _stable(SEED)
    inflated = stable.assign(price_usd=stable["price_usd"] * 4)
    no_condition = stable["condition"].where(stable["condition"].isna())  # all missing
    graded = stable.assign(psa_grade=10.0, condition=no_condition)
    newcomers = stable.assign(rarity="Mega Hyper Rare")
    currents = {
        "the drifted slice": _drifted(SEED),
        "the repaired drifted slice": _repaired(SEED),
        "the stable slice with every price x4": inflated,
        "the stable slice, every copy a PSA 10": graded,
        "the stable slice, every card a Mega Hyper Rare": newcomers,
    }
    raised = {}
    for what, current in currents.items():
        for alert in _report(exercise, current, what)["alerts"]:
            raised.setdefault(_alert_name(alert), (alert, what))
    assert raised, "drift_report raised no alert on the drifted slice: nothing to look up."
    for name, (alert, what) in raised.items():
        assert name in runbook, (
            f'On {what} drift_report raised "{alert[:100]}", and RUNBOOK has no entry '
            f'"{name}" (RUNBOOK has {sorted(runbook)}). Start each alert with its RUNBOOK '
            'name, then ": " and the details; give every alert a runbook entry.'
        )
        entry = runbook[name]
        words = len(str(entry).split())
        assert isinstance(entry, str) and words >= 12, (
            f"RUNBOOK[{name!r}] is {entry!r:.120} ({words} words). Say what the on-call "
            "engineer checks, what they do and whom they tell, in a few sentences."
        )
    texts = [str(runbook[name]).strip().lower() for name in raised]
    assert len(set(texts)) == len(texts), (
        "Several alerts share one runbook text: each alert needs its own steps."
    )


@pytest.mark.points(0.5)
def test_whole_frame_is_one_batch(exercise):
    """a current frame without batch_id is judged as one batch (rejects skipping the unit check)"""
    stable = _stable(SEED)
    cents = stable.assign(price_usd=(stable["price_usd"] * 100).round(2))
    without = cents.drop(columns="batch_id")
    one = cents.assign(batch_id="2025-W01")
    names = {}
    for what, current in (
        ("the stable slice in cents, without batch_id", without),
        ("the stable slice in cents, all of it batch 2025-W01", one),
    ):
        names[what] = sorted({_alert_name(a) for a in _report(exercise, current, what)["alerts"]})
    (first, got), (second, want) = names.items()
    assert got == want, (
        f"For {first} drift_report raised the alerts {got}; for {second} it raised {want}. "
        "With no batch_id the whole frame is one batch: run the same per-batch check on it."
    )


@pytest.mark.points(0.5)
def test_frames_are_not_changed(exercise):
    """drift_report changes neither the reference nor the current frame, batch_id or not"""
    for what, given in (
        ("the drifted slice", _drifted(SEED)),
        ("the stable slice without batch_id", _stable(SEED).drop(columns="batch_id")),
    ):
        reference, current = _reference().copy(), given.copy()
        report = exercise.drift_report(reference, current)
        assert isinstance(report, dict) and "alerts" in report, (
            f"drift_report returned {report!r:.100}; see the checks above for what it returns."
        )
        for name, got, original in (
            ("reference", reference, _reference()),
            ("current", current, given),
        ):
            added = [column for column in got.columns if column not in original.columns]
            assert not added, (
                f"drift_report added the columns {added} to the {name} frame it was given "
                f"({what}). The caller keeps using its frames: work on a copy, or on a Series "
                "of your own (e.g. one batch label for all rows)."
            )
            try:
                pd.testing.assert_frame_equal(got, original)
            except AssertionError as difference:
                first = str(difference).strip().splitlines()[0]
                raise AssertionError(
                    f"drift_report changed the {name} frame it was given ({what}: {first}). "
                    "The caller keeps using its frames: work on copies or new columns of your "
                    "own."
                ) from None
