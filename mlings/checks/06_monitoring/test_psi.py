"""Checks for 06_monitoring/01_psi: PSI on shared reference-quantile bins, with an epsilon."""

import functools
import math

import numpy as np
import pandas as pd
import pytest

from mlings.dataset import make_cards, make_drifted_slice, make_sales, make_stable_slice

YEAR_2024 = {"start": "2024-01-01", "end": "2024-12-31"}


@functools.cache
def _market() -> dict[str, np.ndarray]:
    """Prices of a 2024 reference, a stable and a drifted production quarter, and one rarity."""
    cards = make_cards(n=600)
    illustration = cards[cards["rarity"] == "Illustration Rare"]
    return {
        "reference": make_sales(cards, seed=5, n=3000, **YEAR_2024)["price_usd"].to_numpy(),
        "stable": make_stable_slice(cards, seed=5, n=2000)["price_usd"].to_numpy(),
        "drifted": make_drifted_slice(cards, seed=5, n=2000)["price_usd"].to_numpy(),
        "illustration": make_sales(illustration, seed=6, n=1000, **YEAR_2024)[
            "price_usd"
        ].to_numpy(),
    }


def _shares(values: np.ndarray, edges: np.ndarray, side: str) -> np.ndarray:
    """Share of values per bin between open outer edges; side: where a value on an edge goes."""
    counts = np.bincount(np.searchsorted(edges, values, side=side), minlength=len(edges) + 1)
    return counts / len(values)


def _formula(ref: np.ndarray, cur: np.ndarray, eps: float, added: float = 0.0) -> float:
    ref, cur = np.maximum(ref, eps) + added, np.maximum(cur, eps) + added
    return float(np.sum((cur - ref) * np.log(cur / ref)))


def _defined(reference, current, bins=10, eps=1e-4, side="right", added=0.0) -> float:
    """The PSI as the exercise defines it (side="right": a value on an edge goes up a bin)."""
    reference = np.asarray(reference, dtype=float)
    current = np.asarray(current, dtype=float)
    reference, current = reference[~np.isnan(reference)], current[~np.isnan(current)]
    inner = np.unique(np.quantile(reference, np.linspace(0, 1, bins + 1)))[1:-1]
    return _formula(_shares(reference, inner, side), _shares(current, inner, side), eps, added)


def _matches(got: float, reference, current, **options) -> bool:
    return any(
        got == pytest.approx(_defined(reference, current, side=side, **options), rel=0.01, abs=1e-4)
        for side in ("left", "right")
    )


def _hint(got: float, reference, current, bins=10, eps=1e-4) -> str:
    """Name the wrong answer that gives `got`, if it is a known one."""
    reference, current = np.asarray(reference, float), np.asarray(current, float)
    if not math.isfinite(got):
        return (
            " An empty bin has share 0, and ln(0) is -inf: floor every share at eps "
            "(np.maximum(share, eps)) before the formula."
        )
    if abs(got) < 1e-3:
        return (
            " That is about 0: are both samples cut at their OWN quantiles (each then has "
            "1/bins in every bin whatever happened)? Cut the edges once, from the reference, "
            "and bin both samples with them."
        )
    cuts = np.quantile(reference, np.linspace(0, 1, bins + 1))
    width = np.linspace(reference.min(), reference.max(), bins + 1)[1:-1]
    closed = [np.histogram(x, cuts)[0] for x in (reference, current)]
    dropped = (
        " That matches dropping the values outside the reference's range: open the outer edges "
        "(-inf and +inf) so they count in the end bins."
    )
    wrong = [
        (
            " That matches bins of equal WIDTH: cut at the reference's quantiles instead, so "
            "each bin holds the same share of the reference.",
            _formula(_shares(reference, width, "right"), _shares(current, width, "right"), eps),
        ),
        (
            " That matches bins cut from the CURRENT sample: the reference comes first, and "
            "its quantiles are the edges.",
            _defined(current, reference, bins, eps),
        ),
        (dropped, _formula(closed[0] / len(reference), closed[1] / len(current), eps)),
        (dropped, _formula(closed[0] / closed[0].sum(), closed[1] / closed[1].sum(), eps)),
        (
            " That matches adding eps to every share: floor the shares at eps instead (a share "
            "below eps becomes eps, the others stay as they are).",
            _defined(reference, current, bins, 0.0, added=eps),
        ),
    ]
    if bins != 10:
        wrong.append(
            (
                " That is the PSI with 10 bins: use the bins argument.",
                _defined(reference, current, 10, eps),
            )
        )
    if eps != 1e-4:
        wrong.append(
            (
                " That is the PSI with eps=1e-4: use the eps argument.",
                _defined(reference, current, bins, 1e-4),
            )
        )
    for message, value in wrong:
        if got == pytest.approx(value, rel=1e-3):
            return message
    return ""


def _psi(exercise, reference, current, **options) -> float:
    """The learner's psi, on copies: the cached samples must not change under it."""
    got = exercise.psi(reference.copy(), current.copy(), **options)
    assert isinstance(got, float), f"psi returned {got!r} ({type(got).__name__}); expected a float."
    return got


def _check(exercise, reference, current, what: str, **options) -> float:
    """psi(reference, current, **options) must be the defined PSI; the message names the case."""
    got = _psi(exercise, reference, current, **options)
    want = _defined(reference, current, **options)
    assert _matches(got, reference, current, **options), (
        f"psi gave {got!r} for {what}; the PSI as defined is {want:.4f}."
        + _hint(got, reference, current, **options)
    )
    return got


def test_identical_samples_are_stable(exercise):
    """identical samples score below 0.01, whatever sequence type they come in"""
    reference = _market()["reference"]
    for sample in (reference, list(reference), pd.Series(reference, name="price_usd")):
        got = _psi(exercise, sample, sample)
        assert abs(got) < 0.01, (
            f"psi of a sample against itself gave {got!r}; identical samples have the same "
            "share in every bin, so the PSI is 0 (below 0.01)."
        )


def test_rise_within_one_rarity_is_moderate(exercise):
    """a 50% price rise of the Illustration Rares scores 0.1 to 0.25 (rejects per-sample bins: 0)"""
    prices = _market()["illustration"]
    want = _defined(prices, prices * 1.5)
    assert 0.1 <= want <= 0.25  # the check's own premise
    _check(exercise, prices, prices * 1.5, "Illustration Rare prices against 1.5 x them")


def test_production_quarters(exercise):
    """the stable and the drifted quarter score as defined (rejects equal-width bins)"""
    market = _market()
    _check(exercise, market["reference"], market["stable"], "the stable quarter")
    _check(exercise, market["reference"], market["drifted"], "the drifted quarter")


def test_bins_are_the_references(exercise):
    """the edges are the REFERENCE's quantiles (rejects swapping the samples: PSI is asymmetric)"""
    reference, current = _market()["reference"], _market()["stable"].copy()
    cheap = current < np.median(current)
    current[cheap] *= 4  # bulk cards went up x4
    assert _defined(reference, current) > 1.2 * _defined(current, reference)  # premise
    _check(exercise, reference, current, "a quarter in which the cheaper half went up x4")


def test_values_beyond_the_reference_range(exercise):
    """prices beyond the reference's range count in the end bins (rejects dropping them)"""
    reference, current = _market()["reference"], _market()["stable"].copy()
    rng = np.random.default_rng(0)
    rows = rng.permutation(len(current))
    current[rows[:300]] = reference.max() * rng.uniform(1.5, 3.0, size=300)
    current[rows[300:500]] = reference.min() / 2
    _check(exercise, reference, current, "a quarter with 25% of its prices outside the reference's")


def _bulk_only() -> tuple[np.ndarray, np.ndarray]:
    """Reference prices, and a current sample of only the reference's cheapest 60%."""
    reference = _market()["reference"]
    return reference, np.sort(reference)[: int(0.6 * len(reference))]


def test_empty_bin_stays_finite(exercise):
    """an empty bin is floored at eps and stays finite (rejects no epsilon: inf or nan)"""
    reference, current = _bulk_only()
    got = _psi(exercise, reference, current)
    assert math.isfinite(got), (
        f"psi gave {got!r} when the current sample has no sale in the reference's top deciles."
        + _hint(got, reference, current)
    )
    _check(exercise, reference, current, "a current sample with four empty bins")


def test_eps_is_honoured(exercise):
    """the eps argument is the floor of the shares, e.g. 0.01 or 1e-6 (rejects a fixed 1e-4)"""
    reference, current = _bulk_only()
    for eps in (0.01, 1e-6):
        _check(exercise, reference, current, f"four empty bins with eps={eps}", eps=eps)


def test_bins_is_honoured(exercise):
    """the bins argument sets the number of quantile bins, e.g. 5 or 20 (rejects a fixed 10)"""
    market = _market()
    for bins in (5, 20):
        _check(exercise, market["reference"], market["drifted"], f"bins={bins}", bins=bins)


def _bulk_ties(seed: int, share: float) -> np.ndarray:
    prices = _market()["reference"].copy()
    rows = np.random.default_rng(seed).permutation(len(prices))[: int(share * len(prices))]
    prices[rows] = 0.99
    return prices


def test_ties_do_not_crash(exercise):
    """many equal prices ($0.99 bulk on several deciles) work (rejects repeated edges: pd.cut)"""
    reference, current = _bulk_ties(1, 0.35), _bulk_ties(2, 0.15) * 1.2
    try:
        got = _psi(exercise, reference, reference)
        _check(exercise, reference, current, "a reference with 35% of its sales at $0.99")
    except ValueError as error:
        raise AssertionError(
            f"psi raised ValueError({str(error).splitlines()[0]!r}) on a reference where $0.99 "
            "fills several deciles: the same price sits on several quantiles, so the edges "
            "repeat. Keep each edge once (np.unique)."
        ) from None
    assert abs(got) < 0.01, (
        f"psi of a sample with many equal prices against itself gave {got!r}; expected 0."
    )


def test_missing_values_are_dropped(exercise):
    """missing values are dropped from both samples (rejects a NaN PSI that never alerts)"""
    market = _market()
    reference, current = market["reference"].copy(), market["drifted"].copy()
    reference[::50] = np.nan
    current[::40] = np.nan
    got = _psi(exercise, reference, current)
    want = _defined(reference, current)
    assert _matches(got, reference, current), (
        f"psi gave {got!r} on samples with a few missing prices; without them the PSI is "
        f"{want:.4f}. A NaN is not a price: drop the NaNs from both samples before anything "
        "else (np.quantile of data with a NaN is NaN, and a NaN PSI never crosses a "
        "threshold, so the monitor goes silent)."
    )


def test_psi_level(exercise):
    """psi_level: below 0.1 stable, 0.1 to 0.25 moderate (both included), above 0.25 major"""
    cases = [
        (0.0, "stable"),
        (0.0999, "stable"),
        (0.1, "moderate"),
        (0.176, "moderate"),
        (0.25, "moderate"),
        (0.2501, "major"),
        (3.0, "major"),
    ]
    for value, expected in cases:
        got = exercise.psi_level(value)
        assert got == expected, (
            f"psi_level({value}) gave {got!r}; expected {expected!r}. Below 0.1 is stable, 0.1 "
            "to 0.25 (both included) moderate, above 0.25 major."
        )
