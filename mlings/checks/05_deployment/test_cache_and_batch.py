"""Checks for 05_deployment/06_cache_and_batch: a cache keyed on every field, LRU, batching."""

import functools
import math
import time
import zlib
from collections import OrderedDict

import numpy as np
import pandas as pd
import pytest

from mlings.dataset import make_cards, make_sales

FIELDS = ["card_id", "rarity", "variant", "condition", "psa_grade"]
DELAY = 0.005  # seconds the timing model sleeps in every predict call: its fixed cost


def _value(value):
    """A row value in one canonical form: None when missing, float for numbers."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, int | float | np.number) and not isinstance(value, bool):
        return float(value)
    return str(value)


def _price(row: dict) -> float:
    """The check's model: a price in dollars that depends on every field of the row."""
    text = repr(sorted((str(name), _value(value)) for name, value in row.items()))
    return 0.5 + zlib.crc32(text.encode()) % 1_000_000 / 100


class Model:
    """A stand-in price model that records the number of rows of every predict call."""

    def __init__(self, delay: float = 0.0):
        self.delay = delay
        self.calls: list[int] = []

    def predict(self, X):
        if not isinstance(X, pd.DataFrame):
            raise AssertionError(
                f"model.predict received a {type(X).__name__}; the price model reads a pandas "
                "DataFrame with one row per listing."
            )
        self.calls.append(len(X))
        if self.delay:
            time.sleep(self.delay)
        return np.array([_price(row) for row in X.to_dict("records")], dtype=float)


@functools.cache
def _records() -> tuple[tuple[tuple[str, object], ...], ...]:
    """Distinct PokéMarket listings, graded and raw in turn, as field/value pairs."""
    sales = make_sales(make_cards(n=300), seed=1, n=400, start="2020-01-01", end="2021-12-31")
    records = []
    for row in sales[FIELDS].drop_duplicates().itertuples(index=False):
        pairs = zip(FIELDS, row, strict=True)
        records.append(tuple((name, _value(value)) for name, value in pairs))
    graded = [record for record in records if dict(record)["psa_grade"] is not None]
    raw = [record for record in records if dict(record)["psa_grade"] is None]
    return tuple(record for pair in zip(graded, raw, strict=False) for record in pair)


def _listings(n: int) -> list[dict]:
    """n distinct listings, fresh dicts every call (a learner's cache may keep them)."""
    records = _records()
    assert len(records) >= n  # the check's own premise
    return [dict(record) for record in records[:n]]


def _graded() -> dict:
    listing = _listings(1)[0]
    assert listing["psa_grade"] is not None and listing["condition"] is None  # the premise
    return listing


def _reordered(listing: dict) -> dict:
    return dict(reversed(list(listing.items())))


def _expected(listing: dict) -> float:
    return _price(listing)


def _pricer(exercise, model, maxsize: int):
    pricer = exercise.CachedPricer(model, maxsize)
    for name in ("hits", "misses", "hit_rate"):
        assert hasattr(pricer, name), (
            f"CachedPricer has no attribute {name!r}: keep the counts as attributes (hit_rate "
            "can be a @property) so a dashboard can read them."
        )
    return pricer


def _counts(pricer) -> tuple[int, int]:
    return pricer.hits, pricer.misses


def _first(pricer, listing: dict) -> float:
    """The first request to a new pricer: always a miss."""
    price = _price_with(pricer, listing)
    assert _counts(pricer) == (0, 1), (
        f"The first request to a new CachedPricer gave (hits, misses) {_counts(pricer)}; "
        "expected one miss: a new pricer starts with an empty cache (a cache kept as a class "
        "attribute is shared by every pricer)."
    )
    return price


def _price_with(pricer, listing: dict) -> float:
    got = pricer.price(listing)
    assert isinstance(got, float), (
        f"CachedPricer.price returned {got!r} ({type(got).__name__}); expected the price as a "
        "float."
    )
    return got


def _hashable(exercise, listing: dict):
    key = exercise.cache_key(listing)
    try:
        hash(key)
    except TypeError:
        raise AssertionError(
            f"cache_key returned an unhashable {type(key).__name__}, which cannot be a dict key "
            "or live in a set. Build an immutable value from the listing's fields instead."
        ) from None
    return key


def test_cache_key_ignores_key_order(exercise):
    """cache_key is hashable and the same whatever the order of the dict's keys (rejects str)"""
    for listing in _listings(5):
        key = _hashable(exercise, listing)
        copy = _hashable(exercise, dict(listing))
        assert key == copy, (
            f"cache_key gave {key!r} and {copy!r} to two equal copies of the same listing: the "
            "key must come from the listing's fields, names and values, not from the dict "
            "object (id())."
        )
        again = _hashable(exercise, _reordered(listing))
        assert key == again, (
            f"cache_key gave {key!r} for a listing and {again!r} for the same listing with its "
            "keys in reverse order. A request's JSON fixes no key order: str(listing) or "
            "json.dumps without sorting depends on it. Make the key independent of the order."
        )


def test_cache_key_uses_every_field(exercise):
    """cache_key changes when any one field changes (rejects keys on card_id or on some fields)"""
    listing = _graded()
    key = _hashable(exercise, listing)
    options = {
        "card_id": ("base1-4", "base1-2"),
        "rarity": ("Secret Rare", "Common"),
        "variant": ("1st Edition", "Normal"),
        "condition": ("NM", "LP"),
        "psa_grade": (1.5, 2.0),
    }
    changes = {
        name: next(v for v in values if v != listing[name]) for name, values in options.items()
    }
    for name, value in changes.items():
        changed = {**listing, name: value}
        assert changed != listing  # the check's own premise
        assert _hashable(exercise, changed) != key, (
            f"cache_key gave the same key to two listings that differ only in {name} "
            f"({listing[name]!r} and {value!r}): the second seller would get the first one's "
            "price. Build the key from every field of the listing."
        )
    swapped = [
        {**listing, "condition": "LP", "seller_condition": "NM"},
        {**listing, "condition": "NM", "seller_condition": "LP"},
    ]
    assert _hashable(exercise, swapped[0]) != _hashable(exercise, swapped[1]), (
        "cache_key gave the same key to a listing in LP condition that its seller called NM, "
        "and to one in NM condition that its seller called LP: the same values under "
        "different names. Keep each field's name with its value."
    )
    extra = {**listing, "language": "Japanese"}
    assert _hashable(exercise, extra) != key, (
        "cache_key gave the same key to a listing and to the same listing with an extra field "
        "'language': 'Japanese'. A key on a fixed list of fields goes stale the day the request "
        "grows a field: take every field the listing has, names and values."
    )


def test_cache_key_never_merges_equal_hashes(exercise):
    """listings whose fields hash alike get different keys (rejects hash(...) as the key)"""
    listing = _listings(1)[0]
    one, two = 1_000_001, 1_000_001 + 2**61 - 1
    assert hash(one) == hash(two)  # the check's own premise (64-bit Python)
    key_one = _hashable(exercise, {**listing, "seller_id": one})
    key_two = _hashable(exercise, {**listing, "seller_id": two})
    assert key_one != key_two, (
        f"cache_key gave the same key {key_one!r} to listings with seller_id {one} and {two}. "
        "Those two ints have the same hash(), and so do the listings: a hash squeezes the "
        "fields into one number that different listings can share. Use the fields themselves "
        "as the key; a dict or set compares keys for equality after the hash matches."
    )


def test_price_calls_the_model_only_on_a_miss(exercise):
    """price returns the model's price, calling it once for a new listing, never for a repeat"""
    model = Model()
    pricer = _pricer(exercise, model, 10)
    listing = _listings(1)[0]
    first = _first(pricer, dict(listing))
    assert first == pytest.approx(_expected(listing)), (
        f"CachedPricer.price gave {first!r}; the model prices this listing at "
        f"{_expected(listing):.2f}. Price a miss with price_one(self.model, listing)."
    )
    assert model.calls == [1], (
        f"Pricing one new listing made model.predict calls with {model.calls} rows; expected "
        "one call with one row."
    )
    again = _price_with(pricer, dict(listing))
    assert model.calls == [1], (
        "Pricing the same listing a second time called the model again: a cached listing "
        "must be answered from the cache."
    )
    assert again == first, f"The repeat was priced {again!r}, the first request {first!r}."
    assert _counts(pricer) == (1, 1), (
        f"After one new listing and one repeat, hits and misses are {_counts(pricer)}; "
        "expected 1 hit and 1 miss."
    )


def test_grade_only_difference_is_two_misses(exercise):
    """two listings differing only in PSA grade are two misses, two prices (rejects card_id keys)"""
    model = Model()
    pricer = _pricer(exercise, model, 10)
    nine = {**_graded(), "psa_grade": 9.0}
    ten = {**_graded(), "psa_grade": 10.0}
    got_nine = _first(pricer, nine)
    got_ten = _price_with(pricer, ten)
    assert _counts(pricer) == (0, 2), (
        f"A PSA 9 and then a PSA 10 of the same card gave (hits, misses) {_counts(pricer)}; "
        "expected 2 misses. The PSA 10 was served the PSA 9's price from the cache: the key "
        "must include every field, the grade too."
    )
    assert (got_nine, got_ten) == pytest.approx((_expected(nine), _expected(ten))), (
        f"The PSA 9 and PSA 10 were priced {got_nine!r} and {got_ten!r}; the model says "
        f"{_expected(nine):.2f} and {_expected(ten):.2f}."
    )


def test_reordered_listing_is_a_hit(exercise):
    """the same listing with its keys in another order is a hit (rejects str(listing) keys)"""
    model = Model()
    pricer = _pricer(exercise, model, 10)
    listing = _listings(1)[0]
    first = _first(pricer, listing)
    again = _price_with(pricer, _reordered(listing))
    assert _counts(pricer) == (1, 1) and len(model.calls) == 1, (
        f"The same listing sent twice, its keys in reverse order the second time, gave (hits, "
        f"misses) {_counts(pricer)} and {len(model.calls)} model calls; expected 1 hit, 1 miss "
        "and one model call. The key must not depend on the order of the dict's keys."
    )
    assert again == first, f"The repeat was priced {again!r}, the first request {first!r}."


def test_hit_rate_before_any_request(exercise):
    """hits, misses and hit_rate are 0 before any request (rejects dividing by zero)"""
    pricer = _pricer(exercise, Model(), 5)
    assert _counts(pricer) == (0, 0), (
        f"A new CachedPricer has (hits, misses) {_counts(pricer)}; expected (0, 0)."
    )
    assert pricer.hit_rate == 0.0, (
        f"A new CachedPricer's hit_rate is {pricer.hit_rate!r}; with no request yet it is 0.0."
    )


@pytest.mark.parametrize("maxsize", [1, 3, 6])
def test_holds_at_most_maxsize_listings(exercise, maxsize):
    """the cache holds maxsize listings and no more (rejects an unbounded dict), for each maxsize"""
    listings = _listings(maxsize + 1)
    pricer = _pricer(exercise, Model(), maxsize)
    for listing in listings:
        _price_with(pricer, dict(listing))
    start = _counts(pricer)
    for listing in reversed(listings[1:]):  # the maxsize most recent: all still cached
        _price_with(pricer, dict(listing))
    assert _counts(pricer) == (start[0] + maxsize, start[1]), (
        f"With maxsize={maxsize}, after {maxsize + 1} different listings the {maxsize} most "
        f"recent ones gave (hits, misses) {_counts(pricer)[0] - start[0]}, "
        f"{_counts(pricer)[1] - start[1]}; all {maxsize} should be hits: keep maxsize entries, "
        "not fewer."
    )
    before = _counts(pricer)
    _price_with(pricer, dict(listings[0]))
    assert _counts(pricer) == (before[0], before[1] + 1), (
        f"With maxsize={maxsize}, the first of {maxsize + 1} different listings was still "
        "cached: the cache keeps growing. Evict an entry when it holds more than maxsize, or "
        "memory grows with every new listing a seller types."
    )


def test_evicts_the_least_recently_used(exercise):
    """a full cache evicts the least recently used listing, a hit being a use (rejects FIFO)"""
    a, b, c = _listings(3)
    pricer = _pricer(exercise, Model(), 2)
    for listing in (a, b, a, c):  # a is used again after b, so c must push b out
        _price_with(pricer, dict(listing))
    before = _counts(pricer)
    _price_with(pricer, dict(a))
    assert _counts(pricer) == (before[0] + 1, before[1]), (
        "With maxsize=2, pricing A, B, A, C and then A again missed A: C evicted A, the listing "
        "that came in first, although B was the least recently used (A was used again after "
        "B). Evict the least recently used entry: a hit must refresh its listing."
    )
    before = _counts(pricer)
    _price_with(pricer, dict(b))
    assert _counts(pricer) == (before[0], before[1] + 1), (
        "With maxsize=2, after A, B, A, C, A the listing B was still in the cache: C should "
        "have evicted it, the least recently used."
    )


def _stream(n_requests: int, n_listings: int, seed: int) -> list[dict]:
    """Requests drawn from a few listings, each a fresh dict, some with reordered keys."""
    listings = _listings(n_listings)
    rng = np.random.default_rng(seed)
    stream = []
    for i in rng.integers(0, n_listings, size=n_requests):
        listing = dict(listings[i])
        stream.append(_reordered(listing) if rng.random() < 0.5 else listing)
    return stream


def _lru_hits(stream: list[dict], maxsize: int) -> int:
    """The check's own least-recently-used cache: how many requests it answers."""
    cache: OrderedDict = OrderedDict()
    hits = 0
    for listing in stream:
        key = frozenset(listing.items())
        if key in cache:
            hits += 1
            cache.move_to_end(key)
        else:
            cache[key] = True
            if len(cache) > maxsize:
                cache.popitem(last=False)
    return hits


@pytest.mark.parametrize("maxsize", [1000, 12, 5])
def test_hit_rate_on_a_replayed_stream(exercise, maxsize):
    """hits, misses and hit_rate are exact on a replayed stream of requests, for each maxsize"""
    stream = _stream(150, 25, seed=maxsize)
    model = Model()
    pricer = _pricer(exercise, model, maxsize)
    for listing in stream:
        got = _price_with(pricer, listing)
        assert got == pytest.approx(_expected(listing)), (
            f"CachedPricer.price gave {got!r} for a listing the model prices at "
            f"{_expected(listing):.2f}: the cache answered with another listing's price."
        )
    hits = _lru_hits(stream, maxsize)
    misses = len(stream) - hits
    assert _counts(pricer) == (hits, misses), (
        f"Replaying {len(stream)} requests for 25 listings through CachedPricer(model, "
        f"maxsize={maxsize}) gave (hits, misses) {_counts(pricer)}; a least-recently-used "
        f"cache of that size gives ({hits}, {misses})."
    )
    assert len(model.calls) == misses, (
        f"The model was called {len(model.calls)} times for {misses} misses: call it only on "
        "a miss, once."
    )
    assert pricer.hit_rate == pytest.approx(hits / len(stream)), (
        f"hit_rate is {pricer.hit_rate!r} after {hits} hits in {len(stream)} requests; "
        f"expected hits / (hits + misses) = {hits / len(stream):.4f}."
    )


def test_changing_a_dict_after_pricing_it(exercise):
    """a dict changed after pricing is priced anew (rejects caching the request dict itself)"""
    listing = _graded()
    pricer = _pricer(exercise, Model(), 10)
    original = dict(listing)
    _first(pricer, listing)
    listing["psa_grade"] = 10.0 if listing["psa_grade"] != 10.0 else 9.0  # the seller edits it
    got = _price_with(pricer, listing)
    assert _counts(pricer) == (0, 2) and got == pytest.approx(_expected(listing)), (
        f"A listing dict was priced, then its psa_grade changed and priced again: (hits, "
        f"misses) {_counts(pricer)}, price {got!r}; expected 2 misses and the new grade's "
        f"price {_expected(listing):.2f}. The cache keeps a reference to the caller's dict, so "
        "the caller's edit changed the cached entry: key on an immutable copy of the fields."
    )
    again = _price_with(pricer, original)
    assert _counts(pricer) == (1, 2) and again == pytest.approx(_expected(original)), (
        f"The original listing, asked again, gave (hits, misses) {_counts(pricer)} and price "
        f"{again!r}; expected a hit at {_expected(original):.2f}."
    )


def _batch(exercise, model, listings: list[dict]) -> list:
    got = exercise.price_batch(model, listings)
    assert isinstance(got, list), (
        f"price_batch returned a {type(got).__name__}; expected a list of floats (.tolist() "
        "turns an array into one)."
    )
    assert all(isinstance(price, float) for price in got), (
        f"price_batch returned {got[:3]!r}...; expected floats."
    )
    return got


def test_price_batch_is_one_call(exercise):
    """price_batch makes ONE model call and gives each listing's own price, in order"""
    for n in (2, 17):
        listings = _listings(n)
        model = Model()
        got = _batch(exercise, model, [dict(listing) for listing in listings])
        assert model.calls == [n], (
            f"price_batch of {n} listings made model.predict calls with {model.calls} rows; "
            f"expected ONE call with all {n} rows. Every call pays the model's fixed cost: "
            "build one DataFrame of every listing and predict once."
        )
        want = [_expected(listing) for listing in listings]
        assert got == pytest.approx(want), (
            f"price_batch of {n} listings gave {[round(p, 2) for p in got]}; pricing each alone "
            f"gives {[round(p, 2) for p in want]} (same order as the listings)."
        )


def test_price_batch_with_keys_in_different_orders(exercise):
    """price_batch prices each listing alike whatever the order of each dict's keys"""
    listings = _listings(6)
    mixed = [_reordered(listing) if i % 2 else dict(listing) for i, listing in enumerate(listings)]
    got = _batch(exercise, Model(), mixed)
    want = [_expected(listing) for listing in listings]
    assert got == pytest.approx(want), (
        f"price_batch gave {[round(p, 2) for p in got]} for listings whose dicts list their keys "
        f"in different orders; each priced alone gives {[round(p, 2) for p in want]}. Match "
        "values to columns by field name (pd.DataFrame(listings) does), not by position."
    )


def test_price_batch_of_nothing(exercise):
    """price_batch of no listings is [] without calling the model"""
    model = Model()
    got = exercise.price_batch(model, [])
    assert isinstance(got, list) and got == [], f"price_batch(model, []) gave {got!r}; expected []."
    assert model.calls == [], (
        f"price_batch(model, []) called model.predict ({model.calls} rows): a pipeline refuses "
        "an empty frame. Return [] before calling the model."
    )


@pytest.mark.parametrize("n", [16, 30])
def test_measure_batching(exercise, n):
    """measure_batching gives milliseconds per listing, one call each against one batch call"""
    listings = _listings(n // 2) * 2  # every listing twice: a cache would skip calls
    model = Model(delay=DELAY)
    got = exercise.measure_batching(model, [dict(listing) for listing in listings])
    keys = {"single_ms_per_row", "batch_ms_per_row"}
    assert isinstance(got, dict) and keys <= set(got), (
        f"measure_batching returned {got!r}; expected a dict with keys {sorted(keys)}."
    )
    single, batch = float(got["single_ms_per_row"]), float(got["batch_ms_per_row"])
    singles = model.calls.count(1)
    assert singles >= n and n in model.calls, (
        f"For {n} listings ({n // 2} different ones, each twice) the model was called with "
        f"{model.calls} rows; expected one call per listing (price_one, no cache: this "
        f"measures what a model call costs) and one call with all {n} (price_batch)."
    )
    fixed_ms = 1000 * DELAY
    assert fixed_ms * 0.95 <= single <= fixed_ms + 50, (
        f"With {n} listings and a model whose every call takes {fixed_ms:.0f} ms, "
        f"single_ms_per_row is {single!r}; expected a little over {fixed_ms:.0f} ms. Time "
        "the single calls with time.perf_counter (wall-clock seconds), convert to ms (x 1000) "
        "and divide by the number of listings."
    )
    assert fixed_ms * 0.95 / n <= batch <= (fixed_ms + 50) / n, (
        f"With {n} listings and a model whose every call takes {fixed_ms:.0f} ms, "
        f"batch_ms_per_row is {batch!r}; one call for all {n} takes a little over "
        f"{fixed_ms:.0f} ms, about {fixed_ms / n:.2f} ms per listing. Time the price_batch "
        "call, convert to ms and divide by the number of listings."
    )
