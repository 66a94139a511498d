"""Checks for 06_monitoring/04_incident_diagnosis: causes from fingerprints, fixes that work."""

import functools

import numpy as np
import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

from mlings.dataset import make_cards, make_sales
from mlings.dataset.slices import batch_ids

FEATURES = ["rarity", "variant", "condition", "psa_grade"]
CENTS = "prices arrived in cents"
RELOADED = "model reloaded on every request"
CONSTANT = "a feature is constant"
UNKNOWN = "a symptom without a known cause"
NONE = "no incident"
NAMES = {
    CENTS: "CENTS_SCHEMA_BREAK",
    RELOADED: "MODEL_RELOADED_PER_REQUEST",
    CONSTANT: "CONSTANT_FEATURE",
    UNKNOWN: "UNKNOWN_CAUSE",
    NONE: "NO_INCIDENT",
}
EDGES = (1.0, 20.0, 200.0)


def _model_input(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rarity": frame["rarity"].fillna("unknown"),
            "variant": frame["variant"].fillna("unknown"),
            "condition": frame["condition"].fillna("graded"),
            "psa_grade": frame["psa_grade"].fillna(0.0),
        },
        index=frame.index,
    )


def _predict(frame: pd.DataFrame) -> np.ndarray:
    model = _base()["model"]
    return np.clip(np.expm1(model.predict(_model_input(frame))), 0.0, None)


def _accuracy(requests: pd.DataFrame) -> float:
    predicted = np.searchsorted(EDGES, requests["predicted_usd"], side="right")
    actual = np.searchsorted(EDGES, requests["price_usd"], side="right")
    return float(np.mean(predicted == actual))


@functools.cache
def _base() -> dict:
    """The catalog, the reference sales, the model and four healthy weeks of requests."""
    cards = make_cards(n=800)
    reference = make_sales(cards, [21, 1], 3000, "2024-01-01", "2024-12-31")
    reference = reference[["card_id", *FEATURES, "price_usd"]]
    encode = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore"), ["rarity", "variant", "condition"]),
        remainder="passthrough",
    )
    model = make_pipeline(encode, Ridge(alpha=1.0))
    model.fit(_model_input(reference), np.log1p(reference["price_usd"]))
    sales = make_sales(cards, [21, 2], 900, "2025-01-06", "2025-02-02")
    predicted = np.clip(np.expm1(model.predict(_model_input(sales))), 0.0, None)
    requests = pd.DataFrame(
        {
            "request_id": [f"q{i:05d}" for i in range(len(sales))],
            "batch_id": batch_ids(sales["sale_date"]).to_numpy(),
            "card_id": sales["card_id"].to_numpy(),
            **{feature: sales[feature].to_numpy() for feature in FEATURES},
            "predicted_usd": predicted,
            "price_usd": sales["price_usd"].to_numpy(),
        }
    )
    return {"cards": cards, "reference": reference, "model": model, "requests": requests}


def _requests() -> pd.DataFrame:
    return _base()["requests"].copy()


def _batches() -> list[str]:
    return sorted(_base()["requests"]["batch_id"].unique())


def _in_cents(requests: pd.DataFrame, *batches: str) -> pd.DataFrame:
    requests = requests.copy()
    rows = requests["batch_id"].isin(batches)
    requests.loc[rows, "price_usd"] = np.round(requests.loc[rows, "price_usd"] * 100, 2)
    return requests


def _constant(requests: pd.DataFrame, feature: str, value) -> pd.DataFrame:
    requests = requests.copy()
    requests[feature] = pd.Series([value] * len(requests), index=requests.index, dtype=object)
    if feature in ("rarity", "variant", "condition"):
        requests[feature] = requests[feature].astype("str")
    else:
        requests[feature] = requests[feature].astype(float)
    requests["predicted_usd"] = _predict(requests)
    return requests


def _scrambled(requests: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """The rows shuffled, with an index that is not 0..n-1."""
    order = np.random.default_rng(seed).permutation(len(requests))
    shuffled = requests.iloc[order].copy()
    shuffled.index = 10_000 + 7 * order
    return shuffled


def _metrics(
    accuracy: float = 0.69,
    latency: float = 51.0,
    baseline_accuracy=(0.70, 0.68, 0.71, 0.69, 0.70, 0.72, 0.68),
) -> pd.DataFrame:
    """Weekly metrics: the baseline weeks, then the week under investigation."""
    n = len(baseline_accuracy)
    baseline_latency = np.resize([49.0, 51.0, 50.0, 48.0, 52.0, 50.0, 50.0], n)  # mean 50
    return pd.DataFrame(
        {
            "week": [*[f"2024-W{40 + i}" for i in range(n)], "2025-W05"],
            "requests": [12_000 + 100 * i for i in range(n + 1)],
            "accuracy": [*baseline_accuracy, accuracy],
            "p50_latency_ms": [*baseline_latency, latency],
        }
    )


SYMPTOMS = {
    "healthy": {},
    "accuracy down": {"accuracy": 0.09},
    "badges all bulk": {"accuracy": 0.31},
    "latency up": {"latency": 1950.0},
}


def _logs(n_requests: int = 200, loads: int = 1, restarts: int = 0) -> list[dict]:
    return [dict(line) for line in _cached_logs(n_requests, loads, restarts)]


@functools.cache
def _cached_logs(n_requests: int, loads: int, restarts: int) -> list[dict]:
    """Log lines: start-up(s), `loads` model loads in all (spread over the requests)."""
    clock = pd.Timestamp("2025-02-03 08:00:00")
    reload_at = set(np.linspace(0, n_requests - 1, max(loads - 1 - restarts, 0)).astype(int))
    if loads - 1 - restarts >= n_requests:
        reload_at = set(range(n_requests))
    restart_at = set(np.linspace(n_requests // 3, n_requests - 1, restarts).astype(int))
    lines: list[dict] = []

    def line(event: str, **fields) -> None:
        nonlocal clock
        clock += pd.Timedelta(seconds=3)
        lines.append({"time": clock.isoformat(), "event": event, **fields})

    line("service started", version="price-api 2.4.0")
    line("loading model", path="models/price-v7.skops", ms=1890.0)
    for i in range(n_requests):
        if i in restart_at:
            line("service started", version="price-api 2.4.0")
            line("loading model", path="models/price-v7.skops", ms=1910.0)
        loaded = i in reload_at
        if loaded:
            line("loading model", path="models/price-v7.skops", ms=1880.0 + i % 50)
        ms = 45.0 + i % 11 + (1880.0 if loaded else 0.0)
        line("request", path="/predict", request_id=f"q{i:05d}", status=200, ms=ms)
        if i % 20 == 19:
            line("health check", path="/health", status=200, ms=1.5)
    return lines


LOGS = {
    "healthy": lambda: _logs(),
    "a restart": lambda: _logs(loads=2, restarts=1),
    "a load per request": lambda: _logs(loads=201),
}


def _evidence(metrics="healthy", logs="healthy", requests=None, reference=None) -> dict:
    return {
        "metrics": _metrics(**SYMPTOMS[metrics]) if isinstance(metrics, str) else metrics,
        "logs": LOGS[logs]() if isinstance(logs, str) else logs,
        "requests": _requests() if requests is None else requests,
        "reference": _base()["reference"].copy() if reference is None else reference,
    }


def _plain(value) -> str:
    """A value as a learner reads it: 0.0, 'Common' or missing (never np.float64(0.0))."""
    if pd.isna(value):
        return "missing"
    if isinstance(value, (int, float, np.number)):
        return repr(float(value))
    return repr(str(value))


def _facts(evidence: dict) -> str:
    """What a careful reader finds in the evidence, for the learner."""
    requests, reference = evidence["requests"], evidence["reference"]
    ratio = requests.groupby("batch_id")["price_usd"].median() / reference["price_usd"].median()
    events = [line["event"] for line in evidence["logs"]]
    loads, served = events.count("loading model"), events.count("request")
    one_value = [
        f"{feature} (always {_plain(value)})"
        for feature, value in requests[FEATURES].iloc[0].items()
        if requests[feature].nunique(dropna=False) <= 1
        and reference[feature].nunique(dropna=False) > 1
    ]
    metrics = evidence["metrics"]
    base, last = metrics.iloc[:-1], metrics.iloc[-1]
    return (
        f"Evidence: the highest batch median is {ratio.max():.1f} times the reference's "
        f"median ({ratio.idxmax()}); the logs hold {loads} 'loading model' and {served} "
        f"'request' events; features with a single value in the requests but several in the "
        f"reference: {', '.join(one_value) or 'none'}; last week's accuracy "
        f"{last['accuracy']:.3f} vs a baseline mean of {base['accuracy'].mean():.3f}, p50 "
        f"latency {last['p50_latency_ms']:.1f} ms vs {base['p50_latency_ms'].mean():.1f} ms."
    )


def _check(exercise, evidence: dict, expected: str, story: str, why: str = "") -> None:
    fresh = {
        "metrics": evidence["metrics"].copy(),
        "logs": [dict(line) for line in evidence["logs"]],
        "requests": evidence["requests"].copy(),
        "reference": evidence["reference"].copy(),
    }
    got = exercise.diagnose(fresh)
    if got != expected:
        raise AssertionError(
            f"{story}: diagnose returned {NAMES.get(got, repr(got))}; expected "
            f"{NAMES[expected]}. {_facts(evidence)} {why}".rstrip()
        )


def test_each_incident_gets_its_cause(exercise):
    """each incident's evidence gets its cause: cents, a model reload per request, a constant"""
    last = _batches()[-1]
    _check(
        exercise,
        _evidence("accuracy down", requests=_in_cents(_requests(), last)),
        CENTS,
        "Accuracy fell, and the last batch's prices came in cents",
    )
    _check(
        exercise,
        _evidence("latency up", "a load per request"),
        RELOADED,
        "Latency rose, and the logs show a model load before every request",
    )
    _check(
        exercise,
        _evidence("badges all bulk", requests=_constant(_requests(), "rarity", "Common")),
        CONSTANT,
        "The badges went bulk, and every request's rarity is 'Common'",
    )


def test_healthy_evidence_is_no_incident(exercise):
    """healthy evidence is NO_INCIDENT, even with a restart or a market that moved"""
    _check(exercise, _evidence(), NONE, "Healthy metrics, logs and data")
    _check(
        exercise,
        _evidence(logs="a restart"),
        NONE,
        "Healthy evidence whose logs show one restart (the model loaded at each start-up)",
        "Loading the model once per start-up is normal; the fingerprint of a reload per "
        "request is a load for at least half of the requests.",
    )
    market = _requests()
    market["price_usd"] = np.round(market["price_usd"] * 3, 2)  # a boom, not a schema break
    _check(
        exercise,
        _evidence(requests=market),
        NONE,
        "Healthy metrics and logs, and a market whose prices tripled",
        "Prices three times higher are a market that moved; cents are a hundred times higher "
        "(a batch median more than SCALE_LIMIT times the reference's).",
    )


def test_cause_follows_the_fingerprint_not_the_metrics(exercise):
    """the cause follows the fingerprint whatever the metrics (rejects naming the symptom)"""
    cases = [
        ("accuracy down", "a load per request", None, RELOADED, "An accuracy drop"),
        ("latency up", "healthy", _in_cents(_requests(), _batches()[1]), CENTS, "A latency rise"),
        ("healthy", "healthy", _in_cents(_requests(), _batches()[-1]), CENTS, "Healthy metrics"),
        ("latency up", "healthy", _constant(_requests(), "rarity", "Common"), CONSTANT, "Latency"),
        ("healthy", "a load per request", None, RELOADED, "Healthy metrics"),
    ]
    for metrics, logs, requests, expected, symptom in cases:
        _check(
            exercise,
            _evidence(metrics, logs, requests),
            expected,
            f"{symptom} came with the fingerprint of {NAMES[expected]}",
            "A metric says THAT something is wrong, never why: the fingerprint in the logs or "
            "the data names the cause.",
        )


def test_symptom_without_fingerprint_is_unknown(exercise):
    """a symptom with no fingerprint is UNKNOWN_CAUSE (rejects guessing from the symptom)"""
    market = _requests()
    market["price_usd"] = np.round(market["price_usd"] * 1.65, 2)
    for metrics, requests, story in [
        ("accuracy down", None, "Accuracy fell; logs and data are healthy"),
        ("accuracy down", market, "Accuracy fell; prices rose 65% (a market, not cents)"),
        ("latency up", None, "Latency rose; the logs show one model load, at start-up"),
    ]:
        _check(
            exercise,
            _evidence(metrics, requests=requests),
            UNKNOWN,
            story,
            "None of the three fingerprints is there: say UNKNOWN_CAUSE and escalate rather "
            "than name the cause that usually comes with that symptom.",
        )


def test_symptoms_against_the_baseline(exercise):
    """a symptom is last week vs the mean of the weeks before, beyond its threshold, strictly"""
    cases = [
        (_metrics(accuracy=0.61), NONE, "accuracy 0.61, 0.087 under the baseline mean"),
        (_metrics(accuracy=0.58), UNKNOWN, "accuracy 0.58, 0.117 under the baseline mean"),
        (_metrics(latency=100.0), NONE, "p50 latency 100 ms, exactly twice the baseline's"),
        (_metrics(latency=101.0), UNKNOWN, "p50 latency 101 ms, over twice the baseline's"),
        (
            _metrics(accuracy=0.60, baseline_accuracy=(0.62, 0.61, 0.61, 0.62, 0.62, 0.75)),
            NONE,
            "accuracy 0.60 after weeks at 0.61-0.62 and one at 0.75 (the baseline is the "
            "mean of all the weeks before the last, not the week before)",
        ),
        (
            _metrics(accuracy=0.55, baseline_accuracy=(0.0, 0.70, 0.72, 0.71, 0.69, 0.70)),
            NONE,
            "accuracy 0.55 after weeks at 0.69-0.72 and one outage week at 0.0 (baseline "
            "mean 0.587: the baseline is the MEAN of the weeks before, outage included, not "
            "their median 0.695)",
        ),
        (
            _metrics(accuracy=0.59, baseline_accuracy=(0.70,) * 3),
            UNKNOWN,
            "accuracy 0.59 after three weeks at 0.70 (the last week is not part of its "
            "own baseline)",
        ),
    ]
    for metrics, expected, story in cases:
        _check(
            exercise,
            _evidence(metrics),
            expected,
            f"Healthy logs and data, {story}",
            "A symptom: last week's accuracy more than ACCURACY_DROP under the mean accuracy "
            "of the weeks before it, or its p50 latency more than LATENCY_FACTOR times their "
            "mean (both strictly).",
        )


def test_cents_in_any_batch(exercise):
    """prices in cents are found in any batch, on the batch median vs SCALE_LIMIT"""
    batches = _batches()
    reference = _base()["reference"]
    median = reference["price_usd"].median()
    for batch in (batches[0], batches[2]):
        requests = _scrambled(_in_cents(_requests(), batch), seed=len(batch))
        _check(exercise, _evidence(requests=requests), CENTS, f"Batch {batch} came in cents")
    for ratio, expected in [(12.0, CENTS), (8.0, NONE)]:
        requests = _requests()
        rows = requests["batch_id"].eq(batches[1])
        scale = ratio * median / requests.loc[rows, "price_usd"].median()
        requests.loc[rows, "price_usd"] = requests.loc[rows, "price_usd"] * scale
        _check(
            exercise,
            _evidence(requests=requests),
            expected,
            f"Batch {batches[1]}'s median price is {ratio:g} times the reference's",
            "The rule: a batch median more than SCALE_LIMIT (10) times the reference's median.",
        )


def test_cents_batches_lists_them_sorted(exercise):
    """cents_batches lists every batch in cents, sorted, and nothing when there is none"""
    batches = _batches()
    requests = _scrambled(_in_cents(_requests(), batches[3], batches[1]), seed=4)
    got = exercise.cents_batches(requests, _base()["reference"].copy())
    expected = [batches[1], batches[3]]
    assert [str(batch) for batch in got] == expected, (
        f"With batches {batches[3]} and {batches[1]} in cents (rows shuffled), cents_batches "
        f"returned {[str(batch) for batch in got]}; expected {expected}: every batch in cents, "
        "sorted."
    )
    got = exercise.cents_batches(_requests(), _base()["reference"].copy())
    assert len(got) == 0, (
        f"On healthy requests cents_batches returned {[str(batch) for batch in got]}; expected []."
    )


def test_reload_fingerprint_boundary(exercise):
    """a reload per request means loads for at least half of the requests, exactly half included"""
    _check(
        exercise,
        _evidence(logs=_logs(n_requests=200, loads=100)),
        RELOADED,
        "Healthy metrics; the logs hold 100 'loading model' events for 200 requests",
        "2 x 100 >= 200: the model is loaded for half of the requests (at least half is the "
        "fingerprint). Count the 'request' events only, not the health checks.",
    )
    _check(
        exercise,
        _evidence(logs=_logs(n_requests=200, loads=99)),
        NONE,
        "Healthy metrics; the logs hold 99 'loading model' events for 200 requests",
        "2 x 99 < 200: fewer loads than half the requests is not the fingerprint.",
    )


def test_constant_feature_fingerprints(exercise):
    """any feature with one value, a missing one included; not one constant in the reference"""
    requests = _requests()
    cases = [
        (_constant(requests, "psa_grade", 0.0), CONSTANT, "every psa_grade is 0.0 (a bad fill)"),
        (
            _constant(requests, "psa_grade", np.nan),
            CONSTANT,
            "every psa_grade is missing (missing counts as a value: a column missing "
            "everywhere is constant)",
        ),
        (_constant(requests, "condition", np.nan), CONSTANT, "every condition is missing"),
    ]
    for frame, expected, story in cases:
        _check(exercise, _evidence(requests=frame), expected, f"Healthy metrics and logs; {story}")
    reference = _base()["reference"].copy()
    reference["variant"] = "Normal"
    _check(
        exercise,
        _evidence(requests=_constant(requests, "variant", "Normal"), reference=reference),
        NONE,
        "Healthy metrics and logs; variant is 'Normal' in every request AND in the reference",
        "A feature with one value in the reference too is how the market is, not a broken "
        "pipeline: the fingerprint is one value in the requests while several in the reference.",
    )


def test_fix_prices_restores_the_accuracy(exercise):
    """fix_prices puts the cents batches back in dollars, the rest untouched; accuracy returns"""
    batches = _batches()
    healthy = _scrambled(_requests(), seed=1)
    broken = _in_cents(healthy, batches[0], batches[3])
    before = broken.copy()
    fixed = exercise.fix_prices(broken, _base()["reference"].copy())
    assert broken.equals(before), (
        "fix_prices changed the frame it was given; return a fixed copy instead."
    )
    assert isinstance(fixed, pd.DataFrame) and fixed.index.equals(healthy.index), (
        "fix_prices must return the requests as a DataFrame with the same rows in the same "
        "order, with their index."
    )
    prices = fixed["price_usd"].to_numpy(dtype=float)
    right = np.isclose(prices, healthy["price_usd"].to_numpy(), rtol=1e-9, atol=1e-9)
    in_cents = broken["batch_id"].isin([batches[0], batches[3]]).to_numpy()
    assert right[in_cents].all(), (
        f"After fix_prices, {(~right[in_cents]).sum()} of the {in_cents.sum()} prices of the "
        f"batches in cents ({batches[0]}, {batches[3]}) are still not the dollar prices: "
        "divide every price of a batch in cents by 100."
    )
    assert right[~in_cents].all(), (
        f"fix_prices changed {(~right[~in_cents]).sum()} prices outside the batches in cents: "
        "the other batches were in dollars; leave them as they were."
    )
    others = [column for column in healthy.columns if column != "price_usd"]
    assert fixed[others].equals(broken[others]), (
        "fix_prices changed other columns than price_usd; only the prices were broken."
    )
    accuracy, expected = _accuracy(fixed), _accuracy(healthy)
    assert abs(accuracy - expected) < 1e-9, (
        f"After fix_prices the badges' accuracy is {accuracy:.3f}; before the incident it was "
        f"{expected:.3f}."
    )


def test_fix_prices_leaves_dollars_alone(exercise):
    """fix_prices changes nothing when no batch is in cents, not even in a booming market"""
    for story, requests in [
        ("healthy requests", _requests()),
        ("a market whose prices tripled", _requests().assign(price_usd=lambda f: f.price_usd * 3)),
    ]:
        fixed = exercise.fix_prices(requests.copy(), _base()["reference"].copy())
        same = np.isclose(fixed["price_usd"].to_numpy(dtype=float), requests["price_usd"])
        assert same.all(), (
            f"On {story}, fix_prices changed {(~same).sum()} prices; no batch has a median "
            "more than SCALE_LIMIT times the reference's, so none is in cents."
        )


def test_fix_features_restores_the_accuracy(exercise):
    """fix_features takes rarity from the catalog again, rows and index kept; accuracy returns"""
    healthy = _scrambled(_requests(), seed=2)
    broken = _constant(healthy, "rarity", "Common")
    before = broken.copy()
    cards = _base()["cards"].sample(frac=1.0, random_state=0)
    fixed = exercise.fix_features(broken, cards.copy())
    assert broken.equals(before), (
        "fix_features changed the frame it was given; return a fixed copy instead."
    )
    assert isinstance(fixed, pd.DataFrame) and fixed.index.equals(healthy.index), (
        "fix_features must return the requests with the same rows in the same order, with "
        "their index (a merge renumbers the rows: map card_id, or keep the index)."
    )
    rarity = fixed["rarity"].astype(str).to_numpy()
    wrong = rarity != healthy["rarity"].astype(str).to_numpy()
    assert not wrong.any(), (
        f"After fix_features, {wrong.sum()} of {len(fixed)} requests have the wrong rarity, "
        f"e.g. {str(fixed['card_id'].iloc[int(np.argmax(wrong))])!r} got "
        f"{str(rarity[int(np.argmax(wrong))])!r}: look each card_id up in the catalog."
    )
    others = [column for column in broken.columns if column != "rarity"]
    assert list(fixed.columns) == list(broken.columns) and fixed[others].equals(broken[others]), (
        "fix_features changed other columns than rarity (or their order); only rarity was broken."
    )
    repredicted = fixed.assign(predicted_usd=_predict(fixed))
    accuracy, expected = _accuracy(repredicted), _accuracy(healthy)
    assert abs(accuracy - expected) < 1e-9, (
        f"Re-scored after fix_features, the badges' accuracy is {accuracy:.3f}; before the "
        f"incident it was {expected:.3f}."
    )


def test_fix_features_unknown_card_is_missing(exercise):
    """a card_id the catalog does not hold gets a missing rarity (rejects a default "Common")"""
    healthy = _scrambled(_requests(), seed=3)
    broken = _constant(healthy, "rarity", "Common")
    unknown = np.zeros(len(broken), dtype=bool)
    unknown[[0, 5, 17]] = True
    broken.loc[broken.index[unknown], "card_id"] = ["zz-001", "zz-002", "zz-003"]  # not cards
    fixed = exercise.fix_features(broken, _base()["cards"].copy())
    assert isinstance(fixed, pd.DataFrame) and fixed.index.equals(broken.index), (
        "fix_features must return the requests with the same rows in the same order, with "
        "their index, card_ids missing from the catalog included."
    )
    rarity = fixed["rarity"]
    filled = [
        f"{card} -> {str(value)!r}"
        for card, value in zip(broken.loc[unknown, "card_id"], rarity[unknown], strict=True)
        if not pd.isna(value)
    ]
    assert not filled, (
        f"Three requests carry card_ids the catalog does not hold; fix_features gave them "
        f"rarities anyway ({', '.join(filled)}). A rarity nobody looked up is unknown: leave "
        "it missing (NaN). Filling it with a default is what hid incident 3."
    )
    known = rarity[~unknown].astype(str).to_numpy()
    right = known == healthy["rarity"][~unknown].astype(str).to_numpy()
    assert right.all(), (
        f"With three card_ids unknown to the catalog, fix_features gave {(~right).sum()} of the "
        "other requests the wrong rarity: look each known card_id up in the catalog."
    )
