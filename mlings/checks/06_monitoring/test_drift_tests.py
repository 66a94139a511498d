"""Checks for 06_monitoring/02_drift_tests: KS with an effect size, chi-square, batch tests."""

import functools
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from mlings.dataset import (
    CENTS_BATCH,
    make_cards,
    make_drifted_slice,
    make_sales,
    make_stable_slice,
)

SEEDS = (1, 2, 3)


@functools.cache
def _cards() -> pd.DataFrame:
    return make_cards(n=600)


@functools.cache
def _reference() -> pd.DataFrame:
    """2024 sales: what the model learned from."""
    return make_sales(_cards(), seed=5, n=3000, start="2024-01-01", end="2024-12-31")


@functools.cache
def _stable(seed: int) -> pd.DataFrame:
    return make_stable_slice(_cards(), seed, n=2000)


@functools.cache
def _drifted(seed: int) -> pd.DataFrame:
    return make_drifted_slice(_cards(), seed, n=2000)


def _keys(got, function: str, keys: set[str]) -> dict:
    assert isinstance(got, dict) and keys <= set(got), (
        f"{function} returned {got!r}; expected a dict with the keys {sorted(keys)}."
    )
    return got


def _flag(got: dict, function: str) -> bool:
    drift = got["drift"]
    assert isinstance(drift, (bool, np.bool_)), (
        f"{function}'s 'drift' is {drift!r}; expected True or False."
    )
    return bool(drift)


# ---------------------------------------------------------------- KS


def _ks(exercise, reference, current, **options) -> dict:
    got = exercise.ks_drift(reference.copy(), current.copy(), **options)  # the cache stays
    return _keys(got, "ks_drift", {"statistic", "p_value", "drift"})


def _lognormal(seed: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Two samples of n PokéMarket-like prices (median $6.50, heavy-tailed)."""
    prices = np.random.default_rng(seed).lognormal(np.log(6.5), 2.0, size=(2, n))
    return prices[0], prices[1]


def test_ks_reports_scipy_values(exercise):
    """ks_drift reports ks_2samp's statistic (the effect size D) and its p-value"""
    reference, current = _reference()["price_usd"], _drifted(1)["price_usd"]
    want = stats.ks_2samp(reference, current)
    got = _ks(exercise, reference, current)
    assert float(got["statistic"]) == pytest.approx(want.statistic, rel=1e-9), (
        f"ks_drift's statistic is {got['statistic']!r}; scipy.stats.ks_2samp gives "
        f"{want.statistic:.4f} for the drifted quarter's prices against the reference."
    )
    message = (
        f"ks_drift's p_value is {got['p_value']!r}; scipy.stats.ks_2samp gives "
        f"{want.pvalue:.3g} (two-sided, its default method)."
    )
    matches = float(got["p_value"]) == pytest.approx(want.pvalue, rel=1e-6, abs=1e-300)
    for side in () if matches else ("greater", "less"):
        with warnings.catch_warnings():  # scipy may say it switched to the asymptotic method
            warnings.simplefilter("ignore")
            one_sided = stats.ks_2samp(reference, current, alternative=side).pvalue
        if float(got["p_value"]) == pytest.approx(one_sided, rel=1e-6, abs=1e-300):
            message += (
                f' That is the one-sided test (alternative="{side}"): drift may go either way, '
                "so keep ks_2samp's two-sided default."
            )
    assert matches, message


def test_ks_tiny_shift_at_large_n_does_not_alert(exercise):
    """prices 10% higher in 50,000 sales: significant, tiny, no alert (rejects p < alpha alone)"""
    for seed in SEEDS:
        reference, current = _lognormal(seed, 50_000)
        current = current * 1.1
        want = stats.ks_2samp(reference, current)
        assert want.pvalue < 1e-4 and want.statistic < 0.05  # the check's own premise
        got = _ks(exercise, reference, current)
        assert not _flag(got, "ks_drift"), (
            f"ks_drift alerted on prices 10% higher in 50,000 sales: p = {want.pvalue:.1e} but "
            f"D = {want.statistic:.3f}, a gap of 2 percentage points between the CDFs. At "
            "this n every change is significant; alert only when D >= min_effect too."
        )
        if seed == SEEDS[0]:
            got = _ks(exercise, reference, current, min_effect=0.01)
            assert _flag(got, "ks_drift"), (
                f"With min_effect=0.01, ks_drift did not alert on D = {want.statistic:.3f} and "
                f"p = {want.pvalue:.1e}: use the min_effect argument."
            )


def test_ks_real_shift_alerts(exercise):
    """the drifted quarter's prices (D near 0.2) alert"""
    for seed in SEEDS:
        reference, current = _reference()["price_usd"], _drifted(seed)["price_usd"]
        want = stats.ks_2samp(reference, current)
        assert want.pvalue < 1e-20 and want.statistic > 0.15  # premise
        got = _ks(exercise, reference, current)
        assert _flag(got, "ks_drift"), (
            f"ks_drift did not alert on the drifted quarter's prices: D = {want.statistic:.3f} "
            f"and p = {want.pvalue:.1e}, large and significant. Alert when p_value < alpha and "
            "statistic >= min_effect."
        )


def test_ks_falling_prices_alert_too(exercise):
    """prices that fall alert as surely as prices that rise (rejects a one-sided test)"""
    reference, current = _lognormal(SEEDS[0], 3000)
    current = current * 0.4
    want = stats.ks_2samp(reference, current)
    assert want.pvalue < 1e-20 and want.statistic > 0.15  # premise
    got = _ks(exercise, reference, current)
    assert _flag(got, "ks_drift"), (
        f"ks_drift did not alert on prices 60% lower: two-sided D = {want.statistic:.3f} and "
        f"p = {want.pvalue:.1e}. Drift can go either way: keep ks_2samp's two-sided default."
    )


def test_ks_large_gap_by_chance_does_not_alert(exercise):
    """15 sales against 15: a large D that is not significant, no alert (rejects D alone)"""
    checked = 0
    for seed in range(20):
        reference, current = _lognormal(seed, 15)
        current = current * 1.5
        want = stats.ks_2samp(reference, current)
        if not (want.statistic >= 0.2 and want.pvalue > 0.1):
            continue
        checked += 1
        got = _ks(exercise, reference, current)
        assert not _flag(got, "ks_drift"), (
            f"ks_drift alerted on 15 sales against 15 with D = {want.statistic:.2f} and p = "
            f"{want.pvalue:.2f}: with so few sales a gap that large is often chance. Alert only "
            "when p_value < alpha too."
        )
    assert checked >= 5  # premise


def test_ks_alpha_and_boundaries(exercise):
    """alpha is honoured; p equal to alpha is no drift, D equal to min_effect is drift"""
    reference, current = _reference()["price_usd"], _drifted(1)["price_usd"]
    own = _ks(exercise, reference, current)
    p, d = float(own["p_value"]), float(own["statistic"])
    got = _ks(exercise, reference, current, alpha=p / 10)
    assert not _flag(got, "ks_drift"), (
        f"ks_drift alerted with alpha={p / 10:.1e} although its own p-value, {p:.1e}, is "
        "above it: use the alpha argument."
    )
    got = _ks(exercise, reference, current, alpha=p)
    assert not _flag(got, "ks_drift"), (
        "ks_drift alerted with alpha equal to its own p-value; drift needs p_value < alpha, "
        "strictly below."
    )
    got = _ks(exercise, reference, current, min_effect=d)
    assert _flag(got, "ks_drift"), (
        "ks_drift did not alert with min_effect equal to its own statistic D; a D equal to "
        "min_effect is enough (statistic >= min_effect)."
    )
    got = _ks(exercise, reference, current, min_effect=d + 0.01)
    assert not _flag(got, "ks_drift"), (
        f"ks_drift alerted with min_effect={d + 0.01:.3f} above its statistic D = {d:.3f}: "
        "use the min_effect argument."
    )


# ---------------------------------------------------------------- chi-square


def _chi(exercise, reference, current, **options) -> dict:
    got = exercise.categorical_drift(reference.copy(), current.copy(), **options)
    got = _keys(got, "categorical_drift", {"statistic", "p_value", "drift", "new_categories"})
    assert isinstance(got["new_categories"], list), (
        f"categorical_drift's new_categories is {got['new_categories']!r}; expected a list."
    )
    return got


def _union_table(reference, current) -> np.ndarray:
    reference, current = pd.Series(reference), pd.Series(current)
    counts = pd.DataFrame({"r": reference.value_counts(), "c": current.value_counts()})
    return counts.fillna(0).to_numpy().T


def _homogeneity(reference, current):
    return stats.chi2_contingency(_union_table(reference, current))


def _like_reference(seed: int, n: int = 2000) -> list[str]:
    """n rarities drawn from the reference's own shares: the same market."""
    shares = _reference()["rarity"].value_counts(normalize=True)
    rng = np.random.default_rng(seed)
    return [str(v) for v in rng.choice(shares.index.to_numpy(), size=n, p=shares.to_numpy())]


def test_same_rarity_mix_is_no_drift(exercise):
    """rarities drawn from the reference's own mix: no drift and no new categories"""
    reference = list(_reference()["rarity"])
    for seed in SEEDS:
        current = _like_reference(seed)
        assert _homogeneity(reference, current).pvalue > 0.01  # premise
        got = _chi(exercise, reference, current)
        assert not _flag(got, "categorical_drift"), (
            f"categorical_drift flagged rarities drawn from the reference's own mix (p = "
            f"{got['p_value']!r}): it should not. Use the chi-square test of homogeneity over "
            "both samples' counts (scipy.stats.chi2_contingency)."
        )
        assert got["new_categories"] == [], (
            f"categorical_drift listed {got['new_categories']} as new, but the reference has "
            "every one of them."
        )


def test_drifted_rarities_are_drift_and_named(exercise):
    """the drifted quarter's rarities: drift, with the never-seen rarities named, sorted"""
    reference = _reference()["rarity"]
    for seed in SEEDS:
        current = _drifted(seed)["rarity"]
        new = sorted(set(current) - set(reference))
        assert "Black White Rare" in new  # premise
        got = _chi(exercise, reference, current)
        assert _flag(got, "categorical_drift"), (
            f"categorical_drift did not flag the drifted quarter's rarities (p = "
            f"{got['p_value']!r}), which include {new}, never sold in the reference."
        )
        message = (
            f"categorical_drift's new_categories is {got['new_categories']!r}; the drifted "
            f"quarter sells {new} that the reference never had (expected as a sorted list)."
        )
        if set(got["new_categories"]) & set(reference):
            message += (
                " Some of yours the reference has: `label in series` looks in a Series' INDEX, "
                "not its values; compare with set(reference)."
            )
        assert got["new_categories"] == new, message


def test_a_new_category_alone_is_drift(exercise):
    """2% of sales in a rarity the reference never had is drift (rejects dropping it)"""
    reference = _reference()["rarity"]
    for seed in SEEDS:
        same = _like_reference(seed)
        current = np.array(same + ["Mega Hyper Rare"] * 40)
        assert _homogeneity(reference, same).pvalue > 0.01  # premise
        got = _chi(exercise, reference, current)
        assert _flag(got, "categorical_drift"), (
            f"categorical_drift did not flag a quarter that is the reference's mix plus 40 "
            f"Mega Hyper Rares (p = {got['p_value']!r}), a rarity the reference never had. "
            "Count over the UNION of categories: a new one counts 0 in the reference's row."
        )
        assert got["new_categories"] == ["Mega Hyper Rare"], (
            f"categorical_drift's new_categories is {got['new_categories']!r}; expected "
            "['Mega Hyper Rare']."
        )


def test_a_vanished_category_is_drift(exercise):
    """a rarity that stops selling is drift (rejects counting only the current's categories)"""
    reference = _reference()["rarity"]
    for seed in SEEDS:
        current = pd.Series(_like_reference(seed))
        current = current[current != "Common"]
        got = _chi(exercise, reference, current)
        assert _flag(got, "categorical_drift"), (
            f"categorical_drift did not flag a quarter with no Commons at all (p = "
            f"{got['p_value']!r}), 20% of the reference. Count over the UNION of both "
            "samples' categories: a vanished one counts 0 in the current's row."
        )
        assert got["new_categories"] == [], (
            f"categorical_drift's new_categories is {got['new_categories']!r}; the current "
            "sample has no category the reference lacks (a vanished one is not new)."
        )


def test_chi_square_of_homogeneity(exercise):
    """statistic and p-value of chi2_contingency on the union table (rejects goodness of fit)"""
    reference, current = _reference()["rarity"], _drifted(1)["rarity"]
    want = _homogeneity(reference, current)
    got = _chi(exercise, reference.to_numpy(), current.to_numpy())
    message = (
        f"categorical_drift gave statistic {got['statistic']!r}, p_value {got['p_value']!r} on "
        f"the drifted quarter's rarities; the test of homogeneity gives {want.statistic:.2f}, "
        f"p = {want.pvalue:.3g}."
    )
    if float(got["statistic"]) > 2 * want.statistic:
        message += (
            " Yours is much larger: a goodness-of-fit test against the reference's shares "
            "treats them as exact, and a floor for the new categories decides the statistic. "
            "Use scipy.stats.chi2_contingency on the table of both samples' counts."
        )
    assert float(got["statistic"]) == pytest.approx(want.statistic, rel=1e-6), message
    assert float(got["p_value"]) == pytest.approx(want.pvalue, rel=1e-6, abs=1e-300), message


def test_chi_square_alpha(exercise):
    """alpha is honoured, and a p-value equal to alpha is no drift"""
    reference = ["Common"] * 600 + ["Uncommon"] * 300 + ["Rare"] * 100
    current = ["Common"] * 540 + ["Uncommon"] * 330 + ["Rare"] * 130
    assert 0.001 < _homogeneity(reference, current).pvalue < 0.05  # premise
    p = float(_chi(exercise, reference, current)["p_value"])
    for alpha, expected in [(0.05, True), (0.001, False), (p, False)]:
        got = _chi(exercise, reference, current, alpha=alpha)
        assert _flag(got, "categorical_drift") is expected, (
            f"categorical_drift with alpha={alpha:.4g} on its own p-value of {p:.4g} gave "
            f"drift={got['drift']!r}; drift is p_value < alpha (strictly)."
        )


# ---------------------------------------------------------------- batches


def _batch(exercise, frame: pd.DataFrame, **options) -> dict:
    got = exercise.batch_price_test(frame.copy(), **options)
    got = _keys(got, "batch_price_test", {"statistic", "p_value"})
    p = float(got["p_value"])
    assert 0.0 <= p <= 1.0 and not math.isnan(p), (
        f"batch_price_test's p_value is {got['p_value']!r}; expected a probability."
    )
    return got


def _one_way(frame: pd.DataFrame, by: str) -> dict[str, tuple[float, float]]:
    """The accepted tests, and the rejected ANOVA on raw prices, as (statistic, p)."""
    groups = [group.to_numpy() for _, group in frame.groupby(by)["price_usd"]]
    tests = {
        "kruskal": stats.kruskal(*groups),
        "anova_log1p": stats.f_oneway(*[np.log1p(g) for g in groups]),
        "anova_log": stats.f_oneway(*[np.log(g) for g in groups]),
        "anova_raw": stats.f_oneway(*groups),
    }
    return {name: (float(r.statistic), float(r.pvalue)) for name, r in tests.items()}


def _accepted(got: dict, frame: pd.DataFrame, by: str = "batch_id") -> bool:
    values = _one_way(frame, by)
    return any(
        float(got["statistic"]) == pytest.approx(values[name][0], rel=1e-6)
        and float(got["p_value"]) == pytest.approx(values[name][1], rel=1e-6, abs=1e-300)
        for name in ("kruskal", "anova_log1p", "anova_log")
    )


def _whale_week(seed: int) -> pd.DataFrame:
    """The stable quarter, plus five vintage slabs one collector sold in week 6."""
    stable = _stable(seed)
    slabs = stable[stable["batch_id"] == "2025-W06"].head(5).copy()
    slabs["price_usd"] = [42_000.0, 55_000.0, 61_000.0, 78_000.0, 90_000.0]
    return pd.concat([stable, slabs], ignore_index=True)


def test_batch_test_is_kruskal_or_log_anova(exercise):
    """batch_price_test is Kruskal-Wallis on prices or ANOVA on log prices (not raw ANOVA)"""
    frame = _drifted(1)
    got = _batch(exercise, frame)
    values = _one_way(frame, "batch_id")
    message = (
        f"batch_price_test gave statistic {got['statistic']!r}, p_value {got['p_value']!r} on "
        f"the drifted quarter's weeks; Kruskal-Wallis gives {values['kruskal'][0]:.2f} "
        f"(p = {values['kruskal'][1]:.3g}), ANOVA on log1p prices {values['anova_log1p'][0]:.2f}"
        f" (p = {values['anova_log1p'][1]:.3g})."
    )
    if float(got["statistic"]) == pytest.approx(values["anova_raw"][0], rel=1e-6):
        message += (
            " Yours is an ANOVA on raw prices: heavy-tailed prices make it a test of a few "
            "slabs. Use scipy.stats.kruskal, or f_oneway on np.log1p of the prices."
        )
    assert _accepted(got, frame), message


def test_stable_weeks_are_alike(exercise):
    """the stable quarter's weekly batches are alike (p above 0.001)"""
    for seed in SEEDS:
        frame = _stable(seed)
        got = _batch(exercise, frame)
        assert float(got["p_value"]) > 0.001, (
            f"batch_price_test gave p = {got['p_value']!r} across the stable quarter's weeks, "
            "which come from one market; expected a p-value above 0.001. Test one sample of "
            "prices per batch (frame.groupby(by)['price_usd'])."
        )


def test_one_whale_week_is_not_a_market_shift(exercise):
    """five $40k+ slabs in one week do not make it different (rejects ANOVA on raw prices)"""
    for seed in SEEDS:
        frame = _whale_week(seed)
        raw = _one_way(frame, "batch_id")["anova_raw"][1]
        assert raw < 1e-3  # premise: the raw ANOVA is fooled
        got = _batch(exercise, frame)
        assert float(got["p_value"]) > 0.001, (
            f"batch_price_test gave p = {got['p_value']!r} for the stable quarter plus five "
            "vintage slabs ($42,000 to $90,000) sold in one week: five sales decided it. An "
            "ANOVA on raw prices compares means, which slabs dominate; use Kruskal-Wallis on "
            "the prices (ranks) or an ANOVA on log prices."
        )


def test_drifted_weeks_with_cents_batch_differ(exercise):
    """the drifted quarter's weeks, one of them in cents, are different (p below 1e-6)"""
    for seed in SEEDS:
        frame = _drifted(seed)
        assert CENTS_BATCH in set(frame["batch_id"])  # premise
        got = _batch(exercise, frame)
        assert float(got["p_value"]) < 1e-6, (
            f"batch_price_test gave p = {got['p_value']!r} across the drifted quarter's weeks, "
            f"one of which ({CENTS_BATCH}) has every price in cents (x100); expected a p-value "
            "below 1e-6."
        )


def test_batch_test_uses_by(exercise):
    """the by argument names the column of the groups"""
    frame = _drifted(1).rename(columns={"batch_id": "ingest_week"})
    shuffled = np.random.default_rng(0).permutation(frame["ingest_week"].to_numpy())
    frame["batch_id"] = shuffled  # a decoy: weeks at random
    got = _batch(exercise, frame, by="ingest_week")
    assert _accepted(got, frame, by="ingest_week"), (
        f"batch_price_test(frame, by='ingest_week') gave p = {got['p_value']!r}; grouped by "
        f"'ingest_week' the test gives p = {_one_way(frame, 'ingest_week')['kruskal'][1]:.3g}. "
        "Group by the column the by argument names."
    )
