"""Alternative: `concurrency` asyncio worker tasks in a TaskGroup, statistics.quantiles.

Load-test the price service: latency percentiles and throughput

The PokéMarket price service answers one request in a few milliseconds on your laptop. Launch
day is different: hundreds of sellers open the listing form at once, and the product manager
wants two numbers before she says yes: how long a seller waits, and how many requests per
second one server takes. A load test answers both: it sends many requests CONCURRENTLY to the
running service, times each one, and summarizes.

Summarize the waits with percentiles, not the mean. Users feel the tail: if 1 request in 100
takes 2 s, a seller who fills in thirty listings will probably hit one, and the mean hides it.
The mean is also not a typical wait: four slow requests in forty can drag it ten times above
what most sellers wait. p50 is the typical wait, p95 and p99 the tail; the slowest single
request (the max) is one unlucky request, not p99.

Throughput is requests per second of WALL-clock time: n_requests divided by the time from the
first request sent to the last answer received. It is not n / (sum of latencies): with 10
requests in flight, ten waits overlap in every second of wall time, so that formula is about 10
times too low.

Write:

- load_test(url, n_requests, concurrency, payload) -> dict: POST `payload` as JSON to `url`
  (the endpoint's full URL) exactly `n_requests` times, with `concurrency` requests in flight
  at once (never more, and that many as long as requests are left to send), using httpx: an
  httpx.AsyncClient with an asyncio.Semaphore, or one httpx.Client shared by a
  ThreadPoolExecutor of `concurrency` workers. Time each request on its own with
  time.perf_counter, from just before it is sent to its answer (time spent waiting for a free
  slot is not part of its latency). Return a dict:
    - "p50_ms", "p95_ms", "p99_ms": percentiles of every request's latency in milliseconds,
      failed requests included (numpy.percentile's default method is fine);
    - "throughput_rps": n_requests / the wall-clock seconds of the whole run;
    - "errors": how many requests failed: an answer whose status is not 2xx, or no answer at
      all (connection refused, timeout: any httpx.HTTPError; its latency is the time until it
      failed). A failed request is counted, and never stops the test.

Done when: the service sees exactly n_requests, `concurrency` at once and never more, and your
percentiles, error count and throughput agree with what the service measured on its side.

Stuck? Run `mlings hint`.
"""

import asyncio
import contextlib
import statistics
import threading
import time
from collections.abc import Iterator

import httpx
import pandas as pd
import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel, Field


def load_test(url: str, n_requests: int, concurrency: int, payload: dict) -> dict:
    """Latency percentiles (ms), throughput (requests/s of wall time) and errors of a load test."""
    latencies_ms: list[float] = []
    errors = 0
    left = n_requests

    async def worker(client: httpx.AsyncClient) -> None:
        # `concurrency` workers, each sending one request at a time until none are left: never
        # more than `concurrency` in flight, and that many while requests remain.
        nonlocal errors, left
        while left > 0:
            left -= 1
            t0 = time.perf_counter()
            try:
                response = await client.post(url, json=payload)
                failed = response.status_code // 100 != 2
            except httpx.HTTPError:
                failed = True
            latencies_ms.append((time.perf_counter() - t0) * 1e3)
            errors += failed

    async def main() -> float:
        async with httpx.AsyncClient(limits=httpx.Limits(max_connections=concurrency)) as client:
            t0 = time.perf_counter()
            async with asyncio.TaskGroup() as group:
                for _ in range(min(concurrency, n_requests)):
                    group.create_task(worker(client))
            return time.perf_counter() - t0

    wall_s = asyncio.run(main())
    # method="inclusive" is numpy.percentile's default (linear) interpolation.
    cuts = statistics.quantiles(latencies_ms, n=100, method="inclusive")
    return {
        "p50_ms": cuts[49],
        "p95_ms": cuts[94],
        "p99_ms": cuts[98],
        "throughput_rps": n_requests / wall_s,
        "errors": errors,
    }


class Listing(BaseModel):
    """One listing to price (no need to change this class)."""

    rarity: str
    variant: str
    condition: str | None = None
    psa_grade: float | None = Field(default=None, ge=1, le=10, allow_inf_nan=False)


def create_app(sales: pd.DataFrame) -> FastAPI:
    """The price service: median price of that kind of sale (no need to change this function)."""
    kinds = sales.assign(
        condition=sales["condition"].fillna("graded"), psa_grade=sales["psa_grade"].fillna(0.0)
    )
    medians = kinds.groupby(["rarity", "variant", "condition", "psa_grade"])["price_usd"].median()
    prices = medians.to_dict()
    fallback = float(sales["price_usd"].median())
    app = FastAPI()

    @app.post("/predict")
    async def predict(listing: Listing) -> dict[str, float]:
        kind = (
            listing.rarity,
            listing.variant,
            listing.condition or "graded",
            listing.psa_grade or 0.0,
        )
        return {"price_usd": round(prices.get(kind, fallback), 2)}

    return app


@contextlib.contextmanager
def serve_in_background(app) -> Iterator[str]:
    """Serve `app` on a free local port, yield its base URL (no need to change this function)."""
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("the server did not start")
            time.sleep(0.01)
        host, port = server.servers[0].sockets[0].getsockname()[:2]
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)


if __name__ == "__main__":
    from pathlib import Path

    data = Path(__file__).resolve().parents[2] / "data"
    sales = pd.read_csv(data / "sales_clean.csv")
    payload = {"rarity": "Holo Rare", "variant": "1st Edition", "psa_grade": 9.0}
    with serve_in_background(create_app(sales)) as base_url:
        # The service runs in a thread of this same Python process, so client and server share
        # one core (the GIL): more concurrency mostly means more queueing here. A real load
        # test runs its client on another machine.
        for concurrency in (1, 8):
            report = load_test(f"{base_url}/predict", 200, concurrency, payload)
            print(
                f"concurrency {concurrency:>2}: p50 {report['p50_ms']:.1f} ms, "
                f"p95 {report['p95_ms']:.1f} ms, p99 {report['p99_ms']:.1f} ms, "
                f"{report['throughput_rps']:.0f} requests/s, {report['errors']} errors"
            )
