"""Alternative: lifespan state yielded to request.state, read through a Depends, log-space clip.

Serve the model: load once, answer many

PokéMarket's price model goes live behind an HTTP API: sellers' apps post a listing and get a
suggested price in dollars. A service is a long-running process that answers many requests,
and getting its model ready (reading a big file, or, for this small one, training it) costs far
more than one prediction. So the model is loaded ONCE, when the service starts, in FastAPI's
lifespan:

- never per request: every request would pay the load (a classic incident, which Module 6
  has you diagnose: latency from 50 ms to 2 s after a change that reloaded the model per call);
- never when the module is imported or the app is built: `app = create_app(...)` runs at
  import, so every test, script or worker that imports the module would load a model it may
  not need, and one missing file would break them all;
- never lazily on the first request: that request is slow, and a broken model hides until
  traffic arrives. Fail fast instead: if the model cannot be loaded, the service must not
  start (let the loader's error propagate out of the lifespan; the deployment sees the crash
  and keeps the old version), rather than start and answer every request with an error.

The app is built by a factory that receives the loader, so the same code serves the real
model and a test double. The endpoints declare their bodies as the given Pydantic models, and
FastAPI then refuses a bad request with a 422 that names the problem (`type`) and the field
(`loc`, starting with "body") before your code runs. One snag: FastAPI's default 422 handler
echoes the bad value back, and a NaN cannot be written as JSON, so the handler itself crashes
and the client gets a 500. The given validation_error_response answers without the echo:
register it. The model predicts log1p(price); the service speaks dollars.

Write:

- predict_dollars(model, listings): the price in dollars of each listing, in order, from ONE
  call of model.predict on to_frame(listings) (the model's output is log1p(price): undo it
  with expm1); a price below $0 is returned as 0.0. A list of floats.
- create_app(load_model): a FastAPI app that
    * calls load_model() exactly once, at start-up, in its lifespan (not in create_app, not
      per request), and keeps the model it returns; when load_model raises, the error
      propagates and the app does not start;
    * registers validation_error_response as the handler of RequestValidationError;
    * GET  /health         -> {"status": "ok", "model_loaded": true}
    * POST /predict        body: a Listing  -> a Price,  {"price_usd": 12.5}
    * POST /predict/batch  body: a Batch    -> a Prices, {"prices_usd": [...]}: one price per
                           listing, in order, equal to what /predict answers for it, from ONE
                           call of model.predict for the whole batch.
  An invalid body gets status 422, with FastAPI's "detail" list naming each problem's type
  and loc (e.g. "finite_number" at ["body", "psa_grade"] for a NaN grade), and never reaches
  the model.

Done when: the loader runs once per app start and never per request, prices come back in
dollars (batch and single alike), bad payloads get 422 (NaN included), and an app whose model
fails to load refuses to start.

Stuck? Run `mlings hint`.
"""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Literal, Protocol, TypedDict

import numpy as np
import pandas as pd
from fastapi import Depends, FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sklearn.compose import make_column_transformer
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

DATA = Path(__file__).resolve().parents[2] / "data"
MAX_BATCH = 100


class Listing(BaseModel):
    """What the price model reads about a listing (no need to change this class)."""

    model_config = ConfigDict(extra="forbid")

    rarity: Literal[
        "Common",
        "Uncommon",
        "Rare",
        "Holo Rare",
        "Ultra Rare",
        "Full Art Rare",
        "Secret Rare",
        "Gold Star",
        "Shining Holo Rare",
        "Amazing Rare",
        "Double Rare",
        "Illustration Rare",
        "Special Illustration Rare",
        "Hyper Rare",
        "Black White Rare",
        "Mega Hyper Rare",
    ]
    variant: Literal["Normal", "1st Edition", "Reverse Holo"]
    condition: Literal["NM", "LP", "MP", "HP", "DMG"] | None = None
    psa_grade: float | None = Field(None, ge=1, le=10, allow_inf_nan=False)


class Batch(BaseModel):
    """Listings priced in one request (no need to change this class)."""

    model_config = ConfigDict(extra="forbid")

    listings: list[Listing] = Field(min_length=1, max_length=MAX_BATCH)


class Price(BaseModel):
    """The answer to /predict (no need to change this class)."""

    price_usd: float


class Prices(BaseModel):
    """The answer to /predict/batch (no need to change this class)."""

    prices_usd: list[float]


class PriceModel(Protocol):
    """Anything with predict(frame) -> log1p(price) per row, like a fitted Pipeline."""

    def predict(self, X: pd.DataFrame) -> np.ndarray: ...


def to_frame(listings: list[Listing]) -> pd.DataFrame:
    """The model's input: one row per listing, in order (no need to change this function)."""
    return pd.DataFrame(
        {
            "rarity": [listing.rarity for listing in listings],
            "variant": [listing.variant for listing in listings],
            "condition": [listing.condition or "graded" for listing in listings],
            "psa_grade": [listing.psa_grade or 0.0 for listing in listings],
        }
    )


def load_price_model() -> PriceModel:
    """The real model: trained on data/sales_clean.csv (no need to change this function).

    A stand-in for loading a saved pipeline; either way, it is slow next to one prediction.
    """
    sales = pd.read_csv(DATA / "sales_clean.csv")
    listings = [
        Listing(rarity=rarity, variant=variant, condition=condition, psa_grade=grade)
        for rarity, variant, condition, grade in zip(
            sales["rarity"],
            sales["variant"],
            sales["condition"].astype(object).where(sales["condition"].notna(), None),
            sales["psa_grade"].astype(object).where(sales["psa_grade"].notna(), None),
            strict=True,
        )
    ]
    encode = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore"), ["rarity", "variant", "condition"]),
        remainder="passthrough",
    )
    model = make_pipeline(encode, Ridge(alpha=1.0))
    return model.fit(to_frame(listings), np.log1p(sales["price_usd"]))


async def validation_error_response(request: Request, exc: RequestValidationError) -> JSONResponse:
    """FastAPI's 422 answer, without echoing the input (no need to change this function).

    The default handler sends each error's "input" back, and a NaN or an infinity in it
    cannot be written as JSON: the handler crashes and the client gets a 500 instead.
    """
    errors = [
        {key: value for key, value in error.items() if key != "input"} for error in exc.errors()
    ]
    return JSONResponse(status_code=422, content={"detail": jsonable_encoder(errors)})


def predict_dollars(model: PriceModel, listings: list[Listing]) -> list[float]:
    """Each listing's price in dollars, in order, from one model.predict call."""
    log_prices = np.asarray(model.predict(to_frame(listings)), dtype=float)
    # expm1 is increasing and expm1(0) = 0: clipping log1p(price) at 0 clips the price at $0
    return np.expm1(np.maximum(log_prices, 0.0)).tolist()


class ServiceState(TypedDict):
    """What the lifespan hands to every request (request.state)."""

    model: PriceModel


def the_model(request: Request) -> PriceModel:
    """The model loaded at start-up, as a FastAPI dependency."""
    return request.state.model


def create_app(load_model: Callable[[], PriceModel]) -> FastAPI:
    """The price service; load_model runs once, when the app starts."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[ServiceState]:
        # Starlette copies this lifespan state into every request's request.state
        yield {"model": load_model()}

    app = FastAPI(lifespan=lifespan)
    app.add_exception_handler(RequestValidationError, validation_error_response)

    @app.get("/health")
    async def health(model: Annotated[PriceModel, Depends(the_model)]) -> dict[str, object]:
        return {"status": "ok", "model_loaded": model is not None}

    @app.post("/predict", response_model=Price)
    async def predict(
        listing: Listing, model: Annotated[PriceModel, Depends(the_model)]
    ) -> dict[str, float]:
        (price,) = predict_dollars(model, [listing])
        return {"price_usd": price}

    @app.post("/predict/batch", response_model=Prices)
    async def predict_batch(
        batch: Batch, model: Annotated[PriceModel, Depends(the_model)]
    ) -> dict[str, list[float]]:
        return {"prices_usd": predict_dollars(model, batch.listings)}

    return app


def serve() -> FastAPI:
    """The real service, for uvicorn (no need to change this function). From the course root:

    uvicorn --app-dir exercises/05_deployment --factory 05_prediction_service:serve
    """
    return create_app(load_price_model)


if __name__ == "__main__":
    from fastapi.testclient import TestClient  # the app in-process, no network

    slab = {"rarity": "Holo Rare", "variant": "1st Edition", "psa_grade": 10}
    raw = {"rarity": "Common", "variant": "Normal", "condition": "LP"}
    with TestClient(serve()) as client:
        print("GET /health:", client.get("/health").json())
        for listing in (slab, raw):
            print(f"POST /predict {listing}: {client.post('/predict', json=listing).json()}")
        answer = client.post("/predict/batch", json={"listings": [slab, raw]})
        print("POST /predict/batch:", answer.json())
        bad = b'{"rarity": "Holo Rare", "variant": "Normal", "psa_grade": NaN}'
        answer = client.post("/predict", content=bad, headers={"content-type": "application/json"})
        print(f"POST /predict with a NaN grade: {answer.status_code} {answer.json()['detail']}")
