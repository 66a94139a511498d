"""Checks for 05_deployment/05_prediction_service: a FastAPI service that loads its model once."""

import contextlib
import math

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient

BASE = {  # the check's model: log1p(price) by rarity, ...
    "Common": -0.9,
    "Uncommon": -0.4,
    "Rare": 0.8,
    "Holo Rare": 2.1,
    "Ultra Rare": 2.6,
    "Secret Rare": 3.4,
    "Special Illustration Rare": 3.9,
    "Gold Star": 5.2,
}
VARIANT = {"Normal": 0.0, "Reverse Holo": 0.35, "1st Edition": 1.1}
CONDITION = {"NM": 0.5, "LP": 0.3, "MP": 0.1, "HP": -0.2, "DMG": -0.45}
COLUMNS = ("rarity", "variant", "condition", "psa_grade")

LISTINGS = [
    {"rarity": "Holo Rare", "variant": "1st Edition", "psa_grade": 8.5},
    {"rarity": "Common", "variant": "Normal", "condition": "NM"},
    {"rarity": "Gold Star", "variant": "Normal", "psa_grade": 10},
    {"rarity": "Uncommon", "variant": "Reverse Holo", "condition": "DMG"},
    {"rarity": "Rare", "variant": "Normal", "condition": "LP"},
    {"rarity": "Special Illustration Rare", "variant": "Normal", "psa_grade": 9},
    {"rarity": "Common", "variant": "Reverse Holo", "condition": "HP"},
    {"rarity": "Secret Rare", "variant": "Normal", "condition": "MP", "psa_grade": None},
    {"rarity": "Ultra Rare", "variant": "Normal", "condition": None, "psa_grade": 6.5},
]


def _log_price(rarity: str, variant: str, condition, psa_grade) -> float:
    """The check's model, on one row of to_frame (a graded copy: condition "graded")."""
    grade = float(psa_grade or 0.0)
    wear = 0.3 * grade - 1.2 if grade else CONDITION.get(condition, 0.0)
    return BASE[rarity] + VARIANT[variant] + wear


def _expected(listing: dict) -> float:
    """The dollars the service should answer for a listing payload."""
    log_price = _log_price(
        listing["rarity"], listing["variant"], listing.get("condition"), listing.get("psa_grade")
    )
    return max(math.expm1(log_price), 0.0)


class FakeModel:
    """Predicts known log1p(prices) from to_frame's columns; counts its predict calls."""

    def __init__(self) -> None:
        self.calls = 0

    def predict(self, X) -> np.ndarray:
        self.calls += 1
        assert isinstance(X, pd.DataFrame) and set(COLUMNS) <= set(X.columns), (
            f"model.predict was given {type(X).__name__} "
            f"{list(X.columns) if isinstance(X, pd.DataFrame) else ''}; give it the frame "
            "to_frame(listings) builds (columns rarity, variant, condition, psa_grade)."
        )
        rows = X[list(COLUMNS)].itertuples(index=False)
        return np.array([_log_price(*row) for row in rows], dtype=float)


class Loader:
    """A load_model that counts its calls and returns the check's model (or raises)."""

    def __init__(self, error: Exception | None = None) -> None:
        self.model = FakeModel()
        self.calls = 0
        self.error = error

    def __call__(self) -> FakeModel:
        self.calls += 1
        if self.error is not None:
            raise self.error
        return self.model


def _app(exercise, loader: Loader):
    app = exercise.create_app(loader)
    assert loader.calls == 0, (
        f"create_app called load_model {loader.calls} time(s) while building the app. A "
        "module that does `app = create_app(...)` would then load the model at import, in "
        "every test and script that imports it. Call load_model in the lifespan, which runs "
        "when the app starts."
    )
    return app


@contextlib.contextmanager
def _running(exercise, loader: Loader, **options):
    """The learner's app, started in-process (no network), stopped whatever happens."""
    with TestClient(_app(exercise, loader), **options) as client:
        yield client


def _answer(response, what: str) -> dict:
    advice = {
        404: " No such route: declare it with the path and method the contract gives.",
        405: " The route exists with another method: GET /health, POST for the others.",
        422: " The request is valid: take the body as the given model itself (listing: "
        "Listing, batch: Batch), not embedded under a key.",
    }.get(response.status_code, "")
    assert response.status_code == 200, (
        f"{what} answered {response.status_code}: {response.text[:300]}.{advice}"
    )
    return response.json()


def _single(client, listing: dict) -> float:
    body = _answer(client.post("/predict", json=listing), f"POST /predict {listing}")
    assert isinstance(body, dict) and "price_usd" in body, (
        f'POST /predict answered {body!r}; answer a Price: {{"price_usd": ...}}.'
    )
    return body["price_usd"]


def _batch(client, listings: list[dict]) -> list:
    body = _answer(
        client.post("/predict/batch", json={"listings": listings}), "POST /predict/batch"
    )
    assert isinstance(body, dict) and "prices_usd" in body, (
        f'POST /predict/batch answered {str(body)[:200]}; answer Prices: {{"prices_usd": [...]}}.'
    )
    return body["prices_usd"]


def _dollar_advice(listing: dict, got: float) -> str:
    log_price = _log_price(
        listing["rarity"], listing["variant"], listing.get("condition"), listing.get("psa_grade")
    )
    message = (
        f"For {listing} the service answered {got!r}; the model's output means "
        f"${_expected(listing):.4f}."
    )
    if got == pytest.approx(log_price):
        message += (
            " That is the model's raw output, log1p(price): turn it into dollars with np.expm1."
        )
    elif got == pytest.approx(math.exp(log_price)):
        message += " That is np.exp of the output; the model predicts log1p(price): use np.expm1."
    elif got == pytest.approx(math.expm1(log_price)) and got < 0:
        message += " A price cannot be negative: clip it at 0."
    return message


def test_loads_the_model_once_at_startup(exercise):
    """loads the model once, at start-up (rejects loading per request, at import, or lazily)"""
    loader = Loader()
    with _running(exercise, loader) as client:
        assert loader.calls == 1, (
            f"The app has started, and load_model has been called {loader.calls} times. Call "
            "it exactly once, in the lifespan, before its `yield`. Loading in the handlers "
            "makes every request pay for it; loading on the first request makes that one slow "
            "and hides a broken model until traffic arrives."
        )
        client.get("/health")
        for listing in LISTINGS[:3]:
            client.post("/predict", json=listing)
        client.post("/predict/batch", json={"listings": LISTINGS[:3]})
        assert loader.calls == 1, (
            f"After 5 requests load_model has been called {loader.calls} times: the model is "
            "loaded per request, and every request pays for it. Load it once in the lifespan "
            "and keep it (app.state.model, say)."
        )
    assert loader.calls == 1, "Stopping the app called load_model again."
    second = Loader()
    with _running(exercise, second):
        assert second.calls == 1 and loader.calls == 1, (
            "A second app, with its own loader, did not load its own model once at start-up: "
            "keep the model per app (app.state), not in a module-level cache."
        )


def test_health(exercise):
    """GET /health answers 200 {"status": "ok", "model_loaded": true}"""
    with _running(exercise, Loader()) as client:
        body = _answer(client.get("/health"), "GET /health")
    assert isinstance(body, dict) and body.get("status") == "ok", (
        f'GET /health answered {body!r}; it should say {{"status": "ok", ...}}.'
    )
    assert body.get("model_loaded") is True, (
        f'GET /health answered {body!r}; it should report "model_loaded": true once the '
        "model is loaded."
    )


def test_predict_dollars(exercise):
    """predict_dollars: a list of dollars, in order, from one predict call (rejects an array)"""
    model = FakeModel()
    listings = [exercise.Listing.model_validate(listing) for listing in LISTINGS]
    got = exercise.predict_dollars(model, listings)
    assert model.calls == 1, (
        f"predict_dollars called model.predict {model.calls} times for {len(listings)} "
        "listings; call it once, on to_frame(listings): one call per listing costs the "
        "model's overhead every time."
    )
    assert isinstance(got, list), (
        f"predict_dollars returned a {type(got).__module__}.{type(got).__name__}; the "
        "contract promises a list of floats (.tolist() turns an array into one, with Python "
        "floats in it)."
    )
    assert len(got) == len(listings), (
        f"predict_dollars returned {len(got)} prices for {len(listings)} listings."
    )
    assert all(isinstance(price, float) for price in got), (
        f"predict_dollars returned {[type(p).__name__ for p in got][:3]}…; return a list of "
        "Python floats (.tolist() turns an array into one)."
    )
    for listing, price in zip(LISTINGS, got, strict=True):
        assert price == pytest.approx(_expected(listing), rel=1e-9, abs=1e-9), _dollar_advice(
            listing, price
        )


def test_predict_answers_dollars(exercise):
    """POST /predict answers the price in dollars (rejects log1p units)"""
    loader = Loader()
    with _running(exercise, loader) as client:
        for listing in LISTINGS:
            got = _single(client, listing)
            assert got == pytest.approx(_expected(listing), rel=1e-9, abs=1e-9), _dollar_advice(
                listing, got
            )


def test_negative_prices_become_zero(exercise):
    """a price below $0 is answered as 0.0 (rejects a negative price)"""
    cheap = {"rarity": "Common", "variant": "Normal", "condition": "DMG"}  # log1p price -1.35
    with _running(exercise, Loader()) as client:
        got = _single(client, cheap)
        assert got == 0.0, _dollar_advice(cheap, got)
        assert _batch(client, [cheap, LISTINGS[0]])[0] == 0.0, (
            "/predict/batch answered a negative price for a listing /predict prices at 0.0."
        )


def test_batch_equals_singles(exercise):
    """POST /predict/batch equals /predict for each listing, in the order sent"""
    rng = np.random.default_rng(5)
    with _running(exercise, Loader()) as client:
        for _ in range(2):
            listings = [LISTINGS[i] for i in rng.permutation(len(LISTINGS))]
            singles = [_single(client, listing) for listing in listings]
            batch = _batch(client, listings)
            assert len(batch) == len(listings), (
                f"/predict/batch answered {len(batch)} prices for {len(listings)} listings."
            )
            assert batch == pytest.approx(singles, rel=1e-9, abs=1e-9), (
                f"/predict/batch answered {batch} for listings that /predict prices at "
                f"{singles}, one by one: a batch must answer the same prices, in the order "
                "the listings were sent."
            )


def test_batch_calls_the_model_once(exercise):
    """a batch is one model.predict call (rejects predicting listing by listing)"""
    loader = Loader()
    with _running(exercise, loader) as client:
        before = loader.model.calls
        _batch(client, LISTINGS)
        calls = loader.model.calls - before
    assert calls == 1, (
        f"A batch of {len(LISTINGS)} listings called model.predict {calls} times. Predict "
        "the whole batch in one call, on to_frame(batch.listings): that is what batching "
        "is for."
    )


BAD = [  # (path, body, type, loc)
    ("/predict", '{"rarity": "Rare", "variant": "Normal", "psa_grade": NaN}', "finite_number",
     ["body", "psa_grade"]),
    ("/predict", '{"rarity": "Rare", "variant": "Normal", "psa_grade": Infinity}',
     "finite_number", ["body", "psa_grade"]),
    ("/predict", '{"rarity": "Rare", "variant": "Normal", "psa_grade": 11}', "less_than_equal",
     ["body", "psa_grade"]),
    ("/predict", '{"rarity": "Rare Holo", "variant": "Normal", "condition": "NM"}',
     "literal_error", ["body", "rarity"]),
    ("/predict", '{"rarity": "Rare", "condition": "NM"}', "missing", ["body", "variant"]),
    ("/predict", '{"rarity": "Rare", "variant": "Normal", "condition": "NM", "note": "mint"}',
     "extra_forbidden", ["body", "note"]),
    ("/predict/batch", '{"listings": []}', "too_short", ["body", "listings"]),
    ("/predict/batch",
     '{"listings": [{"rarity": "Rare", "variant": "Normal", "condition": "NM"}, '
     '{"rarity": "Rare", "variant": "Normal", "psa_grade": NaN}]}',
     "finite_number", ["body", "listings", 1, "psa_grade"]),
    ("/predict/batch", '[{"rarity": "Rare", "variant": "Normal", "condition": "NM"}]',
     "model_attributes_type", ["body"]),
]  # fmt: skip


def test_bad_payloads_get_422(exercise):
    """bad payloads get 422 naming type and loc, NaN included, and never reach the model"""
    loader = Loader()
    with _running(exercise, loader, raise_server_exceptions=False) as client:
        for path, body, kind, loc in BAD:
            response = client.post(path, content=body, headers={"content-type": "application/json"})
            message = f"POST {path} with {body} answered {response.status_code}"
            if response.status_code == 500 and ("NaN" in body or "Infinity" in body):
                message += (
                    ": FastAPI's default 422 handler echoes the input, and a NaN cannot be "
                    "written as JSON, so the error answer itself crashed. Register "
                    "validation_error_response as the RequestValidationError handler."
                )
            elif response.status_code in (200, 500):
                message += (
                    f"; it should be refused with 422 ({kind} at {loc}). Declare the body "
                    "with the given model (listing: Listing, batch: Batch), so FastAPI "
                    "validates it before your code runs."
                )
            assert response.status_code == 422, message
            detail = response.json().get("detail")
            found = [(e.get("type"), e.get("loc")) for e in detail or [] if isinstance(e, dict)]
            assert (kind, loc) in found, (
                f"POST {path} with {body} answered 422 with {found}; expected {kind} at {loc}. "
                "Take the body as the given model itself (not embedded under a name), so "
                'its errors are located at ["body", field].'
            )
    assert loader.model.calls == 0, (
        f"Bad payloads reached the model ({loader.model.calls} predict calls): validate "
        "before predicting."
    )


def test_fails_to_start_without_a_model(exercise):
    """an app whose model fails to load does not start (rejects serving without a model)"""
    problem = RuntimeError("price model file not found")
    loader = Loader(error=problem)
    client = TestClient(_app(exercise, loader), raise_server_exceptions=False)
    try:
        client.__enter__()
    except Exception as error:
        assert error is problem or problem in (error.__cause__, error.__context__), (
            f"Starting the app raised {error!r}, not the loader's error: let the error from "
            "load_model propagate out of the lifespan."
        )
        assert loader.calls == 1, f"The failing loader was called {loader.calls} times."
        return
    try:
        status = client.get("/health").status_code
    finally:
        client.__exit__(None, None, None)
    raise AssertionError(
        f"load_model raised, yet the app started (GET /health answered {status}): do not "
        "catch the loader's error. A service without its model must fail to start, so the "
        "deployment sees the crash instead of a service that errors on every request."
    )
