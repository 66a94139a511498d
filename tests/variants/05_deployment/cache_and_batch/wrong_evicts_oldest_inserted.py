"""Wrong: a hit does not refresh recency, so the cache evicts the oldest inserted (FIFO).

Pay for each prediction once, and in bulk

PokéMarket's price suggestion now sits behind the listing form, and sellers re-ask constantly:
they type a card, change the condition, change it back, reload the page. Every request costs a
call to the price model, and a scikit-learn pipeline call has a fixed cost of its own (checking
the frame, every transformer, pandas) of about 10 ms on this machine, whatever the number of
rows: 500 listings priced one call each take about 5 s, in one call about 0.01 s.

Two habits pay for each prediction once, and in bulk:

- A cache: remember the price of every listing you have already priced, keyed on EVERY field of
  the request. Two listings that differ only in PSA grade are different cards to a buyer (on
  PokéMarket the same card sells for about three times more in PSA 10 than in PSA 9): if the
  key leaves out one field, the second seller gets the first one's price. The key must not
  depend on the order of the dict's keys (JSON gives no order), and it must be the fields
  themselves: hash(...) squeezes them into one int, and two different listings can share it.
  Memory is finite, so keep at most `maxsize` entries and evict the least recently USED one.
  Count hits and misses: a cache whose hit rate you do not measure is a guess.
- A batch: when many listings arrive together (a seller uploads a collection), price them with
  ONE model call, not one call per listing.

A listing is a dict of field name -> value, the values str, numbers or None (a raw card has no
psa_grade, a graded one no condition), e.g. {"card_id": "base1-4", "rarity": "Holo Rare",
"variant": "1st Edition", "condition": None, "psa_grade": 9.0}. The given price_one prices one
listing with one model call.

Write:

- cache_key:        a hashable key made of EVERY field of a listing, names and values; the same
                    key whatever the order of the dict's keys, and different keys for listings
                    that differ in any field (a changed value, an extra field).
- CachedPricer:     CachedPricer(model, maxsize) prices listings through a cache. price(listing)
                    returns price_one's price as a float and calls the model only on a miss. It
                    counts `hits` and `misses`; `hit_rate` is hits / (hits + misses), 0.0 before
                    any request (all three read as attributes). It holds at most `maxsize` (>= 1)
                    listings; when full, a new listing evicts the least recently used one (a hit
                    counts as a use). Changing a dict after pricing it must not change what the
                    cache holds.
- price_batch:      the prices of a list of listings from ONE model.predict call on one DataFrame,
                    as a list of floats in the listings' order, equal to pricing each alone
                    (whatever the key order of each dict); [] for an empty list, without calling
                    the model.
- measure_batching: {"single_ms_per_row": ..., "batch_ms_per_row": ...}: the milliseconds per
                    listing when each listing is priced by its own model call (price_one, no
                    cache), and when all of them are priced by one price_batch call, timed with
                    time.perf_counter.

Done when: a grade-only difference is two misses, a reordered dict is a hit, the cache evicts
the least recently used listing, and a batch is one model call.

Stuck? Run `mlings hint`.
"""

import time
from collections import OrderedDict
from collections.abc import Hashable

import numpy as np
import pandas as pd
from sklearn.compose import TransformedTargetRegressor, make_column_transformer
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder

FIELDS = ["card_id", "rarity", "variant", "condition", "psa_grade"]


def _model_features(listings: pd.DataFrame) -> pd.DataFrame:
    """What the model reads from raw listings (no need to change this function)."""
    return pd.DataFrame(
        {
            "rarity": listings["rarity"].astype(str),
            "variant": listings["variant"].astype(str),
            "condition": listings["condition"].fillna("graded").astype(str),
            "psa_grade": pd.to_numeric(listings["psa_grade"]).fillna(0.0),
        }
    )


def train_price_model(sales: pd.DataFrame) -> TransformedTargetRegressor:
    """A price model on raw listings: predict gives dollars (no need to change this function)."""
    features = make_pipeline(
        FunctionTransformer(_model_features),
        make_column_transformer(
            (OneHotEncoder(handle_unknown="ignore"), ["rarity", "variant", "condition"]),
            remainder="passthrough",
        ),
    )
    model = TransformedTargetRegressor(
        make_pipeline(features, Ridge(alpha=1.0)), func=np.log1p, inverse_func=np.expm1
    )
    return model.fit(sales[FIELDS], sales["price_usd"])


def price_one(model, listing: dict) -> float:
    """One listing's price from one model call (no need to change this function)."""
    return float(model.predict(pd.DataFrame([listing]))[0])


def cache_key(listing: dict) -> Hashable:
    """Every field of the listing, names and values, in a form that ignores key order."""
    return tuple(sorted(listing.items()))


class CachedPricer:
    """Prices listings with `model`, remembering up to `maxsize` of them (least recently used)."""

    def __init__(self, model, maxsize: int):
        self.model = model
        self.maxsize = maxsize
        self.cache: OrderedDict = OrderedDict()
        self.hits = 0
        self.misses = 0

    @property
    def hit_rate(self) -> float:
        total = self.hits + self.misses
        return self.hits / total if total else 0.0

    def price(self, listing: dict) -> float:
        key = cache_key(listing)
        if key in self.cache:
            self.hits += 1
            return self.cache[key]
        self.misses += 1
        price = price_one(self.model, listing)
        self.cache[key] = price
        if len(self.cache) > self.maxsize:
            self.cache.popitem(last=False)
        return price


def price_batch(model, listings: list[dict]) -> list[float]:
    """Every listing's price from one model call, in order."""
    if not listings:
        return []
    return [float(p) for p in model.predict(pd.DataFrame(listings))]


def measure_batching(model, listings: list[dict]) -> dict[str, float]:
    """Milliseconds per listing: one model call per listing against one call for all."""
    n = len(listings)
    start = time.perf_counter()
    for listing in listings:
        price_one(model, listing)
    single = time.perf_counter() - start
    start = time.perf_counter()
    price_batch(model, listings)
    batch = time.perf_counter() - start
    return {"single_ms_per_row": single * 1000 / n, "batch_ms_per_row": batch * 1000 / n}


if __name__ == "__main__":
    from pathlib import Path

    data = Path(__file__).resolve().parents[2] / "data"
    sales = pd.read_csv(data / "sales_clean.csv", parse_dates=["sale_date"])
    model = train_price_model(sales[sales["sale_date"].dt.year <= 2023])
    recent = sales[sales["sale_date"].dt.year == 2024][FIELDS].astype(object)
    recent = recent.where(recent.notna(), None)  # a missing value is None in a request
    listings = recent.to_dict("records")

    # The listing form's traffic: 300 requests for 60 listings, re-asked again and again.
    rng = np.random.default_rng(0)
    requests = [listings[i] for i in rng.integers(0, 60, size=300)]
    for maxsize in (15, 60):
        pricer = CachedPricer(model, maxsize)
        for listing in requests:
            pricer.price(listing)
        print(f"maxsize {maxsize:>3}: hit rate {pricer.hit_rate:.1%} ({pricer.misses} model calls)")

    timing = measure_batching(model, listings[:100])
    single, batch = timing["single_ms_per_row"], timing["batch_ms_per_row"]
    print(f"100 listings: {single:.2f} ms per listing one call each, {batch:.3f} ms in one call")
    print(f"batching is {single / batch:.0f}x cheaper per listing")
