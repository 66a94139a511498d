"""Wrong: calls load_model() inside POST /predict, once per request, not once at start-up.

PokéMarket's sellers will see your model's price in the app: they pick a card, say which copy
they have, and the app asks your service for a suggested price. This file is that service.

A service is a long-running process that answers many requests: it loads the model ONCE, when
it starts (FastAPI's lifespan), never per request, at import or lazily on the first call, and
if the model cannot be loaded the service does not start. It decides at the door what it will
price: a model answers whatever it is given (a PSA 9.5, a misspelt rarity, a NaN grade each get
a confident number), so the request's schema refuses what the model cannot price, with a 422
that names the field to fix, before the model runs, never a 500. And a failure must look like
one: when the model breaks, the client gets a 5xx, never a made-up price.

The model is what training.py's train_model returns: anything with predict(sales) -> one price
in US dollars per row, for sales rows WITHOUT price_usd (the columns of data/sales_clean.csv:
listing_id, card_id, sale_date, platform, rarity, variant, condition, psa_grade, currency).
to_frame (given) turns a request into that row: a sale on PokéMarket, today, in USD.

Write:

- CardRequest: the body of POST /predict, a Pydantic model with exactly these fields; any
  other field is refused:
      card_id    the catalog's id, "<set_code>-<number>" (lower-case letters and digits, a
                 dash, digits: "base1-4", "sv3pt5-199"); required
      rarity     one of Rarity, spelled exactly so; required
      variant    one of Variant, spelled exactly so; required
      condition  one of Condition, for a raw copy; None or left out for a graded one
      psa_grade  a grade in PSA_GRADES (1 to 8.5 by halves, 9, 10: no 9.5), for a graded
                 copy; None or left out for a raw one. A JSON number: text, booleans, NaN
                 and infinities are refused.
  A card has exactly one of condition and psa_grade. A valid card is kept as sent.
- create_app(load_model): a FastAPI app that
    * calls load_model() exactly once, when the app starts (its lifespan), and keeps the model
      it returns for every request; building the app does not call it; when it raises, the
      app does not start;
    * GET  /health  -> status 200, {"status": "ok"}
    * POST /predict, body a CardRequest (the body itself, not under a key) -> {"price_usd": p}
      where p is model.predict(to_frame(card)) for that one row, in dollars (rounding to the
      cent is fine): one predict call per priced card;
    * refuses a bad body with status 422 and FastAPI's "detail" list (each error's "loc"
      names the field: ["body", field], or ["body"] for the card as a whole), never a 500 —
      NaN and Infinity included (FastAPI's default handler echoes the input, and a NaN cannot
      be written as JSON) — and a refused body never reaches the model;
    * when the model raises, or answers a price that is not a finite number, the client gets
      a 5xx and no price.

Done when: the model is loaded once however many requests come, good cards are priced exactly
as the model prices them, every bad body gets a 422 (never a 500, never a price), and a broken
model gives a 5xx.

Stuck? Run `mlings hint`.
"""

from collections.abc import AsyncIterator, Callable  # noqa: F401 (you will need them)
from contextlib import asynccontextmanager  # noqa: F401 (you will need it)
from typing import Literal, Protocol, Self

import numpy as np
import pandas as pd
from fastapi import FastAPI, HTTPException, Request
from fastapi.encoders import jsonable_encoder  # noqa: F401 (you will need it)
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

Rarity = Literal[
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
Variant = Literal["Normal", "1st Edition", "Reverse Holo"]
Condition = Literal["NM", "LP", "MP", "HP", "DMG"]
PSA_GRADES = (*(g / 2 for g in range(2, 18)), 9.0, 10.0)  # 1, 1.5, 2, ... 8.5, 9, 10: no 9.5
CARD_ID = r"^[a-z0-9]+-[0-9]+$"  # "<set_code>-<number>", as in data/cards.csv
PLATFORM, CURRENCY = "PokéMarket", "USD"  # suggestions are for listings on PokéMarket, in USD


class PriceModel(Protocol):
    """What train_model returns: predict(sales rows without price_usd) -> dollars per row."""

    def predict(self, sales: pd.DataFrame) -> np.ndarray: ...


class CardRequest(BaseModel):
    """The card a seller wants priced: the body of POST /predict."""

    model_config = ConfigDict(extra="forbid")

    card_id: str = Field(pattern=CARD_ID)
    rarity: Rarity
    variant: Variant
    condition: Condition | None = None
    psa_grade: float | None = Field(default=None, strict=True, allow_inf_nan=False)

    @field_validator("psa_grade")
    @classmethod
    def grade_psa_gives(cls, grade: float | None) -> float | None:
        """A grade PSA really gives: 1 to 8.5 by halves, 9 or 10."""
        if grade is not None and grade not in PSA_GRADES:
            raise ValueError(f"PSA gives no grade {grade}: one of {PSA_GRADES}")
        return grade

    @model_validator(mode="after")
    def one_of_condition_and_grade(self) -> Self:
        """A raw copy has a condition, a graded one a grade: exactly one of them."""
        if (self.condition is None) == (self.psa_grade is None):
            raise ValueError("give exactly one of condition (raw) and psa_grade (graded)")
        return self


def to_frame(card: CardRequest, today: pd.Timestamp | None = None) -> pd.DataFrame:
    """The model's input: the card as one sales row without price_usd (no need to change this).

    A sale on PokéMarket, today (or `today`), priced in USD; listing_id 0 (not listed yet).
    """
    day = (today or pd.Timestamp.now()).normalize()
    return pd.DataFrame(
        {
            "listing_id": [0],
            "card_id": [card.card_id],
            "sale_date": pd.to_datetime([day]),
            "platform": [PLATFORM],
            "rarity": [card.rarity],
            "variant": [card.variant],
            "condition": pd.Series([card.condition], dtype="str"),
            "psa_grade": pd.Series([card.psa_grade], dtype="float64"),
            "currency": [CURRENCY],
        }
    )


def create_app(load_model: Callable[[], PriceModel]) -> FastAPI:
    """The price service: the model is loaded once, at start-up; bad bodies get 422."""

    async def refuse(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
        return JSONResponse(status_code=422, content={"detail": errors})

    app = FastAPI(exception_handlers={RequestValidationError: refuse})

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/predict")
    def predict(card: CardRequest, request: Request) -> dict[str, float]:
        price = float(load_model().predict(to_frame(card))[0])
        if not np.isfinite(price):
            raise HTTPException(status_code=500, detail="the model answered no price")
        return {"price_usd": round(price, 2)}

    return app


if __name__ == "__main__":
    from fastapi.testclient import TestClient  # the app in-process, no network

    class RarityMedian:
        """A stand-in for train_model's model: the median 2024 price of each rarity."""

        def __init__(self) -> None:
            from pathlib import Path

            data = Path(__file__).resolve().parents[2] / "data"
            sales = pd.read_csv(data / "sales_clean.csv")
            self.medians = sales.groupby("rarity")["price_usd"].median()

        def predict(self, sales: pd.DataFrame) -> np.ndarray:
            prices = sales["rarity"].map(self.medians)
            return prices.fillna(self.medians.median()).to_numpy(float)

    bodies = [
        '{"card_id": "base1-4", "rarity": "Holo Rare", "variant": "1st Edition", "psa_grade": 9}',
        '{"card_id": "sv3pt5-199", "rarity": "Special Illustration Rare", "variant": "Normal", '
        '"condition": "NM"}',
        '{"card_id": "base1-4", "rarity": "Holo Rare", "variant": "Normal", "psa_grade": 9.5}',
        '{"card_id": "base1-4", "rarity": "Holo Rare", "variant": "Normal", "psa_grade": NaN}',
        '{"card_id": "base1-4", "rarity": "Rare Holo", "variant": "Normal", "condition": "NM"}',
    ]
    try:
        app = create_app(RarityMedian)
    except NotImplementedError as todo:
        raise SystemExit(f"Not done yet: {todo}") from None
    with TestClient(app, raise_server_exceptions=False) as client:
        print("GET /health ->", client.get("/health").json())
        for body in bodies:
            answer = client.post(
                "/predict", content=body, headers={"content-type": "application/json"}
            )
            print(f"POST /predict {body}\n  -> {answer.status_code} {answer.text[:160]}")
