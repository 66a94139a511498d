"""Checks for 06_monitoring/03_drift_report: a per-batch, per-feature report; schema breaks."""

import functools

import numpy as np
import pandas as pd

from mlings.dataset import (
    CENTS_BATCH,
    make_cards,
    make_drifted_slice,
    make_sales,
    make_stable_slice,
)

FEATURES = ["price_usd", "psa_grade", "rarity"]
THRESHOLDS = {"price_usd": 0.1, "psa_grade": 0.05, "rarity": 0.0}
MIN_ROWS = 100
COLUMNS = ["batch_id", "feature", "value", "threshold", "drifted"]
BREAK_COLUMNS = ["batch_id", "median_ratio", "cause"]
CENTS, SCALED_DOWN = "prices in cents", "prices scaled down"
SEED = 1


@functools.cache
def _cards() -> pd.DataFrame:
    return make_cards()


@functools.cache
def _reference() -> pd.DataFrame:
    """The reference: a year of 2024 sales."""
    return make_sales(_cards(), [SEED, 7], 6000, "2024-01-01", "2024-12-31")


@functools.cache
def _stable() -> pd.DataFrame:
    return make_stable_slice(_cards(), SEED)


@functools.cache
def _drifted() -> pd.DataFrame:
    return make_drifted_slice(_cards(), SEED)


FRAMES = {"stable": _stable, "drifted": _drifted}


def _shuffled(frame: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    return frame.sample(frac=1.0, random_state=seed)


def _scale_batch(frame: pd.DataFrame, batch: str, factor: float) -> pd.DataFrame:
    frame = frame.copy()
    rows = frame["batch_id"].eq(batch)
    frame.loc[rows, "price_usd"] = np.round(frame.loc[rows, "price_usd"] * factor, 2)
    return frame


def _repaired() -> pd.DataFrame:
    """The drifted quarter with its cents batch divided by 100."""
    return _scale_batch(_drifted(), CENTS_BATCH, 0.01)


def _psi(reference, current, bins: int = 10, eps: float = 1e-4, inner=None) -> float:
    ref = np.asarray(reference, dtype=float)
    if inner is None:
        inner = np.unique(np.quantile(ref, np.linspace(0.0, 1.0, bins + 1)[1:-1]))
    cur = np.asarray(current, dtype=float)
    ref_share = np.bincount(np.searchsorted(inner, ref), minlength=inner.size + 1) / ref.size
    cur_share = np.bincount(np.searchsorted(inner, cur), minlength=inner.size + 1) / cur.size
    ref_share, cur_share = np.maximum(ref_share, eps), np.maximum(cur_share, eps)
    return float(np.sum((cur_share - ref_share) * np.log(cur_share / ref_share)))


def _expected(reference, production, thresholds=THRESHOLDS, min_rows=MIN_ROWS) -> pd.DataFrame:
    share = reference["psa_grade"].eq(10).mean()
    known = reference["rarity"].unique()
    prices = reference["price_usd"].to_numpy(dtype=float)
    inner = np.unique(np.quantile(prices, np.linspace(0.0, 1.0, 11)[1:-1]))
    rows = []
    for batch_id, batch in production.groupby("batch_id", sort=True):
        values = {
            "price_usd": _psi(prices, batch["price_usd"], inner=inner),
            "psa_grade": abs(batch["psa_grade"].eq(10).mean() - share),
            "rarity": (~batch["rarity"].isin(known)).mean(),
        }
        for feature in FEATURES:
            value = float(values[feature])
            drifted = len(batch) >= min_rows and value > thresholds[feature]
            rows.append((str(batch_id), feature, value, thresholds[feature], drifted))
    return pd.DataFrame(rows, columns=COLUMNS)


@functools.cache
def _expected_on(name: str) -> pd.DataFrame:
    return _expected(_reference(), FRAMES[name]())


@functools.cache
def _report_on(exercise, name: str) -> pd.DataFrame:
    """The learner's report with the defaults on a standard frame, computed once."""
    return _report(exercise, _reference(), FRAMES[name]())


def _report(exercise, reference, production, **kwargs) -> pd.DataFrame:
    got = exercise.drift_report(reference.copy(), production.copy(), **kwargs)
    assert isinstance(got, pd.DataFrame), (
        f"drift_report returned {type(got).__name__}; expected a DataFrame with the columns "
        f"{COLUMNS}."
    )
    missing = [column for column in COLUMNS if column not in got.columns]
    assert not missing, (
        f"drift_report's DataFrame has the columns {list(got.columns)}; it lacks {missing}. "
        f"Expected {COLUMNS}."
    )
    assert pd.api.types.is_bool_dtype(got["drifted"]), (
        f"drift_report's drifted column holds {got['drifted'].dtype} values; it must be bool "
        "(True / False), so that report[report['drifted']] selects the flagged rows."
    )
    assert pd.api.types.is_numeric_dtype(got["value"]), (
        f"drift_report's value column holds {got['value'].dtype} values; expected floats."
    )
    return got.reset_index(drop=True)


def _keys(frame: pd.DataFrame) -> list[tuple[str, str]]:
    return list(zip(frame["batch_id"].astype(str), frame["feature"].astype(str), strict=True))


def _same_rows(got: pd.DataFrame, expected: pd.DataFrame, where: str) -> None:
    mine, theirs = _keys(got), _keys(expected)
    if mine == theirs:
        return
    batches = sorted(set(expected["batch_id"]))
    got_batches = list(dict.fromkeys(got["batch_id"].astype(str)))
    message = f"On {where}, drift_report's rows are not one per batch and feature in order. "
    if sorted(set(got_batches)) != batches:
        lost = sorted(set(batches) - set(got_batches))
        message += (
            f"Batches missing from the report: {lost or 'none'}; extra: "
            f"{sorted(set(got_batches) - set(batches)) or 'none'}. Every batch gets its rows, "
            "drifted or not, big or small."
        )
    elif got_batches != batches:
        message += (
            f"The batches come in the order {got_batches[:5]}...; expected chronological order "
            f"{batches[:5]}... (sorted by batch_id), whatever the order of the rows."
        )
    elif len(mine) != len(theirs):
        message += (
            f"It has {len(mine)} rows for {len(batches)} batches; expected {len(theirs)}: "
            f"one per feature of {FEATURES} for every batch, drifted or not."
        )
    else:
        first = next(i for i, (a, b) in enumerate(zip(mine, theirs, strict=True)) if a != b)
        message += (
            f"Row {first} is {mine[first]}, expected {theirs[first]}: within a batch the "
            f"features come in the order {FEATURES}."
        )
    raise AssertionError(message)


def _values(got: pd.DataFrame, feature: str) -> np.ndarray:
    return got.loc[got["feature"].astype(str) == feature, "value"].to_numpy(dtype=float)


def _flags(got: pd.DataFrame) -> np.ndarray:
    return got["drifted"].to_numpy().astype(bool)


def _check_values(got: pd.DataFrame, expected: pd.DataFrame, where: str) -> None:
    for feature in FEATURES:
        mine, theirs = _values(got, feature), _values(expected, feature)
        bad = ~np.isclose(mine, theirs, rtol=1e-6, atol=1e-9)
        if bad.any():
            i = int(np.argmax(bad))
            batch = expected.loc[expected["feature"] == feature, "batch_id"].iloc[i]
            raise AssertionError(
                f"On {where}, drift_report gave {feature} in batch {batch} the value "
                f"{mine[i]:.6f}; expected {theirs[i]:.6f}. " + _VALUE_ADVICE[feature]
            )


_VALUE_ADVICE = {
    "price_usd": "It is psi(reference prices, batch prices), the reference first.",
    "psa_grade": "It is |share of the batch's sales that are PSA 10 - the reference's share|, "
    "over all sales.",
    "rarity": "It is the share of the batch's sales whose rarity never appears in the reference.",
}


def _check_flags(got, expected, where, production, min_rows=MIN_ROWS, why="") -> None:
    mine, theirs = _flags(got), expected["drifted"].to_numpy()
    bad = mine != theirs
    if not bad.any():
        return
    i = int(np.argmax(bad))
    row = expected.iloc[i]
    size = int(production["batch_id"].eq(row["batch_id"]).sum())
    message = (
        f"On {where}, drift_report says batch {row['batch_id']}, {row['feature']} (value "
        f"{row['value']:.4f}, threshold {row['threshold']}, {size} sales) is "
        f"{'' if mine[i] else 'not '}drifted; it is {'' if theirs[i] else 'not '}drifted. "
    )
    if size < min_rows:
        message += f"A batch of fewer than min_rows={min_rows} sales is never drifted."
    elif mine[i] and row["value"] == row["threshold"]:
        message += "A value exactly at the threshold is not drifted: value > threshold."
    else:
        message += why or (
            f"drifted is value > threshold for a batch of at least min_rows={min_rows} sales."
        )
    raise AssertionError(message)


def test_one_row_per_batch_and_feature(exercise):
    """one row per batch and feature, batches in chronological order (rejects arrival order)"""
    production = _shuffled(_stable(), seed=3)
    raw_week = production["batch_id"].eq("2025-W06")
    production.loc[raw_week, "psa_grade"] = np.nan  # a week without a single graded sale
    production.loc[raw_week, "condition"] = "NM"
    got = _report(exercise, _reference(), production)
    _same_rows(got, _expected(_reference(), production), "a stable quarter whose rows are shuffled")


def test_price_value_is_psi_against_the_reference(exercise):
    """price_usd's value is the PSI of the batch against the reference (rejects swapped order)"""
    got, expected = _report_on(exercise, "drifted"), _expected_on("drifted")
    _same_rows(got, expected, "the drifted quarter")
    mine, theirs = _values(got, "price_usd"), _values(expected, "price_usd")
    batches = expected.loc[expected["feature"] == "price_usd", "batch_id"].tolist()
    for batch, value, right in zip(batches, mine, theirs, strict=True):
        if np.isclose(value, right, rtol=1e-6, atol=1e-9):
            continue
        message = f"drift_report gave price_usd in batch {batch} a PSI of {value:.4f}; "
        message += f"expected {right:.4f}, psi(reference prices, batch prices)."
        prices = _drifted().loc[_drifted()["batch_id"] == batch, "price_usd"]
        if np.isclose(value, _psi(prices, _reference()["price_usd"])):
            message += (
                " Yours is psi(batch, reference): the bins must be the REFERENCE's deciles, so "
                "the reference comes first."
            )
        raise AssertionError(message)


def test_psa_share_counts_raw_copies(exercise):
    """the PSA 10 share counts raw copies as sales (rejects dropping the empty grades)"""
    got, expected = _report_on(exercise, "drifted"), _expected_on("drifted")
    _same_rows(got, expected, "the drifted quarter")
    mine, theirs = _values(got, "psa_grade"), _values(expected, "psa_grade")
    batches = expected.loc[expected["feature"] == "psa_grade", "batch_id"].tolist()
    for batch, value, right in zip(batches, mine, theirs, strict=True):
        if np.isclose(value, right, rtol=1e-6, atol=1e-9):
            continue
        message = f"drift_report gave psa_grade in batch {batch} the value {value:.4f}; "
        message += f"expected {right:.4f}, |batch share of PSA 10s - reference share|."
        grades = _drifted().loc[_drifted()["batch_id"] == batch, "psa_grade"].dropna()
        graded_ref = _reference()["psa_grade"].dropna()
        if np.isclose(abs(value), abs(grades.eq(10).mean() - graded_ref.eq(10).mean())):
            message += (
                " Yours is the share among GRADED copies only. A raw copy (empty psa_grade) is "
                "a sale that is not a PSA 10: count it in the denominator."
            )
        elif np.isclose(-value, right):
            message += " Yours has the wrong sign: the value is the size of the move, |...|."
        raise AssertionError(message)


def test_psa_drift_in_either_direction(exercise):
    """a batch with far fewer PSA 10s than the reference is drift too (rejects a one-sided test)"""
    reference = _reference().copy()
    more_tens = np.arange(len(reference)) % 5 == 0  # a reference with PSA 10 on 1 sale in 5
    reference.loc[more_tens, "psa_grade"] = 10.0
    reference.loc[more_tens, "condition"] = np.nan
    got = _report(exercise, reference, _stable())
    expected = _expected(reference, _stable())
    _same_rows(got, expected, "a stable quarter against a reference rich in PSA 10s")
    _check_values(got, expected, "a stable quarter against a reference rich in PSA 10s")
    _check_flags(
        got,
        expected,
        "a stable quarter against a reference rich in PSA 10s",
        _stable(),
        why="PSA 10s falling from 1 sale in 5 to 1 in 25 is as much a change as rising: "
        "compare the size of the move, |batch share - reference share|, with the threshold.",
    )


def test_unseen_rarity_is_drift(exercise):
    """rarity's value is the share of sales with a rarity the reference never saw; one is drift"""
    production = _stable().copy()
    week = production.index[production["batch_id"].eq("2025-W05")]
    production.loc[week[:1], "rarity"] = "Mega Hyper Rare"  # one sale of a brand-new rarity
    where = "a stable quarter with ONE sale of a rarity the reference never saw (2025-W05)"
    got = _report(exercise, _reference(), production)
    expected = _expected(_reference(), production)
    _same_rows(got, expected, where)
    _check_values(got, expected, where)
    _check_flags(
        got,
        expected,
        where,
        production,
        why="The rarity threshold is 0: one unseen sale (a value above 0) is drift, and a batch "
        "without any (value exactly 0) is not: drifted is value > threshold, strictly.",
    )


def test_stable_quarter_is_quiet(exercise):
    """nothing is flagged on a stable quarter, nor its partial last week (rejects no min_rows)"""
    expected = _expected_on("stable")
    last = expected[expected["batch_id"] == expected["batch_id"].max()]
    size = int(_stable()["batch_id"].eq(last["batch_id"].iloc[0]).sum())
    assert size < MIN_ROWS and last["value"].iloc[0] > THRESHOLDS["price_usd"]  # the premise
    got = _report_on(exercise, "stable")
    _same_rows(got, expected, "a stable quarter")
    _check_values(got, expected, "a stable quarter")
    flagged = got[_flags(got)]
    message = f"On a stable quarter, drift_report flagged {len(flagged)} rows: "
    message += f"{_keys(flagged)[:4]}. Nothing there drifted."
    if set(flagged["batch_id"].astype(str)) == {last["batch_id"].iloc[0]}:
        message += (
            f" {last['batch_id'].iloc[0]} is a partial week of {size} sales: its price PSI of "
            f"{last['value'].iloc[0]:.2f} is chance. A batch of fewer than min_rows sales is "
            "reported but never drifted."
        )
    assert flagged.empty, message


def test_drifted_quarter_is_flagged(exercise):
    """the drifted quarter is flagged: every value and verdict as expected, the cents week too"""
    got, expected = _report_on(exercise, "drifted"), _expected_on("drifted")
    _same_rows(got, expected, "the drifted quarter")
    _check_values(got, expected, "the drifted quarter")
    _check_flags(got, expected, "the drifted quarter", _drifted())
    cents = got[(got["batch_id"].astype(str) == CENTS_BATCH) & (got["feature"] == "price_usd")]
    assert bool(cents["drifted"].iloc[0]), (
        f"The cents batch {CENTS_BATCH} should be flagged on price_usd: its PSI is huge."
    )


def test_thresholds_are_honoured(exercise):
    """each feature is judged against thresholds[feature] (rejects hard-coded thresholds)"""
    thresholds = {"price_usd": 0.2, "psa_grade": 0.1, "rarity": 0.03}
    where = f"the drifted quarter with thresholds={thresholds}"
    got = _report(exercise, _reference(), _drifted(), thresholds=thresholds)
    expected = _expected(_reference(), _drifted(), thresholds=thresholds)
    _same_rows(got, expected, where)
    mine = got["threshold"].to_numpy(dtype=float)
    assert np.allclose(mine, expected["threshold"].to_numpy(dtype=float)), (
        f"With thresholds={thresholds}, drift_report's threshold column starts "
        f"{mine[:3].tolist()}; each row shows thresholds[feature], the one it was judged by."
    )
    _check_flags(got, expected, where, _drifted(), why="Judge each value by thresholds[feature].")


def test_min_rows_boundary(exercise):
    """a batch of exactly min_rows sales is judged; smaller ones are reported but not flagged"""
    sizes = _drifted()["batch_id"].value_counts().sort_values()
    batch = sizes.index[len(sizes) // 2]
    min_rows = int(sizes[batch])
    flagged = _expected_on("drifted").groupby("batch_id")["drifted"].any()
    assert flagged[batch] and flagged[sizes.index[: len(sizes) // 2]].all()  # the premise
    where = f"the drifted quarter with min_rows={min_rows} (batch {batch} has {min_rows} sales)"
    got = _report(exercise, _reference(), _drifted(), min_rows=min_rows)
    expected = _expected(_reference(), _drifted(), min_rows=min_rows)
    _same_rows(got, expected, where)
    _check_values(got, expected, where)
    _check_flags(
        got,
        expected,
        where,
        _drifted(),
        min_rows,
        "A batch of at least min_rows sales (exactly min_rows included) is judged; a smaller "
        "one keeps its rows and values but is never drifted.",
    )


def test_inputs_are_not_changed(exercise):
    """drift_report and schema_breaks leave the frames they are given unchanged"""
    reference, production = _reference().copy(), _shuffled(_drifted(), seed=5)
    before_ref, before_prod = reference.copy(), production.copy()
    exercise.drift_report(reference, production)
    exercise.schema_breaks(production, reference)
    for name, frame, before in [
        ("reference", reference, before_ref),
        ("production", production, before_prod),
    ]:
        assert frame.equals(before) and frame.index.equals(before.index), (
            f"drift_report or schema_breaks changed the {name} frame it was given (values, "
            "columns or row order). Work on what you compute, not on the caller's data."
        )


def _breaks(exercise, production, reference, **kwargs) -> pd.DataFrame:
    got = exercise.schema_breaks(production.copy(), reference.copy(), **kwargs)
    assert isinstance(got, pd.DataFrame), (
        f"schema_breaks returned {type(got).__name__}; expected a DataFrame with the columns "
        f"{BREAK_COLUMNS}."
    )
    missing = [column for column in BREAK_COLUMNS if column not in got.columns]
    assert not missing, (
        f"schema_breaks' DataFrame ({len(got)} rows) has the columns {list(got.columns)}; it "
        f"lacks {missing}. It always has the columns {BREAK_COLUMNS}, even with no rows (no "
        "broken batch), so that the caller can read breaks['batch_id'] either way."
    )
    return got.reset_index(drop=True)


def _expected_breaks(production: pd.DataFrame, limit: float = 10.0) -> list[tuple[str, str]]:
    ratio = (
        production.groupby("batch_id")["price_usd"].median() / _reference()["price_usd"].median()
    )
    return [
        (str(batch), CENTS if value > limit else SCALED_DOWN)
        for batch, value in ratio.sort_index().items()
        if value > limit or value < 1 / limit
    ]


def _limit_advice(got: pd.DataFrame, production: pd.DataFrame, limit: float) -> str:
    """Names the ignored limit when the learner's breaks are those of the default one."""
    default = _expected_breaks(production)
    if _broken(got) == default != _expected_breaks(production, limit):
        return (
            f" That is what the default limit (10) finds: the limit={limit:g} given was not "
            "used. Compare with the `limit` argument, not the module's SCALE_LIMIT."
        )
    return ""


def _ratio(production: pd.DataFrame, batch: str) -> float:
    prices = production.loc[production["batch_id"] == batch, "price_usd"]
    return float(prices.median() / _reference()["price_usd"].median())


def _broken(got: pd.DataFrame) -> list[tuple[str, str]]:
    if got.empty:
        return []
    return list(zip(got["batch_id"].astype(str), got["cause"].astype(str), strict=True))


def test_cents_batch_is_named(exercise):
    """the drifted quarter's cents batch is found, with its median ratio and its cause"""
    got = _breaks(exercise, _drifted(), _reference())
    assert _broken(got) == [(CENTS_BATCH, CENTS)], (
        f"On the drifted quarter, schema_breaks found {_broken(got)}; expected exactly "
        f"[({CENTS_BATCH!r}, {CENTS!r})]: that week's median price is "
        f"{_ratio(_drifted(), CENTS_BATCH):.0f} times the reference's, the other weeks' at most "
        "about 4 times (a real price rise, not a schema break)."
    )
    ratio = float(got["median_ratio"].iloc[0])
    assert np.isclose(ratio, _ratio(_drifted(), CENTS_BATCH), rtol=1e-6), (
        f"schema_breaks gave {CENTS_BATCH} a median_ratio of {ratio:.3f}; expected "
        f"{_ratio(_drifted(), CENTS_BATCH):.3f}: the batch's median price_usd divided by the "
        "reference's median price_usd."
    )


def test_no_break_when_prices_are_dollars(exercise):
    """no schema break on the stable quarter, nor once the cents batch is repaired"""
    for where, production in [("the stable quarter", _stable()), ("repaired", _repaired())]:
        got = _breaks(exercise, production, _reference())
        assert got.empty, (
            f"schema_breaks found {_broken(got)} on {where}, where every price is in dollars. "
            "A week's median price a few times the reference's is a market that moved, not a "
            f"schema break (median_ratio > limit or < 1 / limit)."
            + (" The cents batch was divided by 100: did you hard-code it?" if got.size else "")
        )


def test_break_moves_with_the_data(exercise):
    """the break follows the data to other weeks, in chronological order (rejects a fixed week)"""
    production = _scale_batch(_repaired(), "2025-W41", 100.0)
    production = _shuffled(_scale_batch(production, "2025-W29", 100.0), seed=2)
    got = _breaks(exercise, production, _reference())
    expected = [("2025-W29", CENTS), ("2025-W41", CENTS)]
    assert _broken(got) == expected, (
        f"With the cents in weeks 2025-W29 and 2025-W41 (and {CENTS_BATCH} repaired), "
        f"schema_breaks found {_broken(got)}; expected {expected}, in chronological order "
        "whatever the order of the rows."
    )
    report = _report(exercise, _reference(), production)
    expected_report = _expected(_reference(), production)
    _same_rows(report, expected_report, "the drifted quarter with the cents moved")
    _check_flags(report, expected_report, "the drifted quarter with the cents moved", production)


def test_breaks_in_chronological_order(exercise):
    """breaks come sorted by batch_id (rejects the order in which the rows arrive)"""
    production = _scale_batch(_scale_batch(_repaired(), "2025-W29", 0.01), "2025-W41", 100.0)
    late_first = production["batch_id"].eq("2025-W41").to_numpy()
    production = pd.concat([production[late_first], production[~late_first]])  # W41 arrives first
    got = _breaks(exercise, production, _reference())
    expected = [("2025-W29", SCALED_DOWN), ("2025-W41", CENTS)]
    message = (
        f"With week 2025-W29's prices divided by 100 and 2025-W41's in cents, and 2025-W41's "
        f"rows arriving first, schema_breaks found {_broken(got)}; expected {expected}: one row "
        "per broken batch in chronological order (sorted by batch_id), whatever the order of "
        "the rows."
    )
    if sorted(_broken(got)) == expected and _broken(got) != expected:
        message += " Yours follows the order in which the batches first appear in the rows."
    assert _broken(got) == expected, message


def test_prices_scaled_down(exercise):
    """a batch priced a hundred times too low is a break with cause PRICES_SCALED_DOWN"""
    production = _scale_batch(_stable(), "2025-W08", 0.01)
    got = _breaks(exercise, production, _reference())
    expected = [("2025-W08", SCALED_DOWN)]
    assert _broken(got) == expected, (
        f"With week 2025-W08's prices divided by 100 (median ratio "
        f"{_ratio(production, '2025-W08'):.4f}), schema_breaks found {_broken(got)}; expected "
        f"{expected}: a median_ratio below 1 / limit is a break too."
    )


def test_limit_is_honoured(exercise):
    """breaks use the limit given, strictly (rejects ignoring the limit argument)"""
    ratio = _ratio(_drifted(), CENTS_BATCH)
    for limit in (1000.0, 3.0):
        got = _breaks(exercise, _drifted(), _reference(), limit=limit)
        expected = _expected_breaks(_drifted(), limit)
        assert _broken(got) == expected, (
            f"With limit={limit:g} on the drifted quarter, schema_breaks found {_broken(got)}; "
            f"expected {expected} ({CENTS_BATCH}'s median ratio is {ratio:.1f}; a break is "
            "median_ratio > limit or < 1 / limit)." + _limit_advice(got, _drifted(), limit)
        )
    got = _breaks(exercise, _drifted(), _reference(), limit=ratio)
    assert got.empty, (
        f"With limit={ratio!r}, exactly {CENTS_BATCH}'s median ratio, schema_breaks found "
        f"{_broken(got)}; a batch is broken when median_ratio > limit, strictly."
    )
    got = _breaks(exercise, _drifted(), _reference(), limit=ratio * 0.999)
    assert _broken(got) == [(CENTS_BATCH, CENTS)], (
        f"With limit={ratio * 0.999:.3f}, just under {CENTS_BATCH}'s median ratio, "
        f"schema_breaks found {_broken(got)}; expected [({CENTS_BATCH!r}, {CENTS!r})]."
    )
    low, week = min((_ratio(_stable(), batch), batch) for batch in _stable()["batch_id"].unique())
    limit = 1 / low * 0.999
    got = _breaks(exercise, _stable(), _reference(), limit=limit)
    size = int(_stable()["batch_id"].eq(week).sum())
    assert _broken(got) == [(week, SCALED_DOWN)], (
        f"With limit={limit:.3f} on the stable quarter, schema_breaks found "
        f"{_broken(got)}; expected [({week!r}, {SCALED_DOWN!r})]: that week of {size} sales has "
        f"a median ratio of {low:.3f}, below 1 / limit (a break, whatever the batch's size)."
    )


def _quiet_week(factor: float, slab_usd: float | None) -> pd.DataFrame:
    """The stable quarter plus a quiet extra week of 20 sales (prices x factor, one slab)."""
    stable = _stable()
    extra = stable[stable["batch_id"] == "2025-W10"].head(20).copy()
    extra["batch_id"] = "2025-W15"
    extra["price_usd"] = np.round(extra["price_usd"] * factor, 2)
    if slab_usd is not None:
        extra.loc[extra.index[0], "price_usd"] = slab_usd
    return pd.concat([stable, extra], ignore_index=True)


def test_one_slab_is_not_a_break(exercise):
    """a quiet week with one $50,000 slab is no schema break (rejects comparing mean prices)"""
    production = _quiet_week(1.0, 50_000.0)
    got = _breaks(exercise, production, _reference())
    week = production[production["batch_id"] == "2025-W15"]["price_usd"]
    assert got.empty, (
        f"schema_breaks found {_broken(got)} on a stable quarter plus a quiet week of 20 sales, "
        f"one of them a $50,000 slab (the week's mean price is ${week.mean():,.0f}, its median "
        f"${week.median():.2f}). One big sale is not a feed in cents: compare MEDIAN prices."
    )


def test_small_batch_break_is_found(exercise):
    """a schema break is found in a batch of any size (rejects applying min_rows to it)"""
    production = _quiet_week(100.0, None)
    got = _breaks(exercise, production, _reference())
    assert _broken(got) == [("2025-W15", CENTS)], (
        f"A week of 20 sales priced in cents gave {_broken(got)}; expected "
        f"[('2025-W15', {CENTS!r})]. A schema break does not need many rows: every price in "
        "the batch is a hundred times too high, whatever its size."
    )
