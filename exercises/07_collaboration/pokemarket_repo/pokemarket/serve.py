"""The price service: PokéMarket's price model behind HTTP.

    POKEMARKET_MODEL=models/price_model.joblib uvicorn --factory pokemarket.serve:create_app

The model is the pipeline `python -m pokemarket.train` saves: it reads a frame with the
columns FEATURES, one row per listing, and predicts each listing's price in dollars.
"""

import logging
import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import joblib
from fastapi import FastAPI
from sklearn.pipeline import Pipeline

log = logging.getLogger(__name__)

MODEL_PATH = Path(os.environ.get("POKEMARKET_MODEL", "models/price_model.joblib"))
FEATURES = ["rarity", "variant", "condition", "platform", "psa_grade"]  # what train.py fits on


def load_model(path: Path = MODEL_PATH) -> Pipeline:
    """The fitted price pipeline that train.py wrote to path."""
    model = joblib.load(path)
    log.info("loaded the price model from %s", path)
    return model


def create_app(load: Callable[[], Pipeline] = load_model) -> FastAPI:
    """The service. The model is loaded once, when the app starts, and kept in app.state.

    If it cannot be loaded, the error propagates and the app does not start: a deployment
    sees the crash and keeps the running version.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.model = load()
        yield

    app = FastAPI(title="PokéMarket price suggestion", lifespan=lifespan)

    @app.get("/health")
    def health() -> dict[str, object]:
        """Liveness for the load balancer: the app is up and its model is loaded."""
        return {"status": "ok", "model_loaded": app.state.model is not None}

    return app
