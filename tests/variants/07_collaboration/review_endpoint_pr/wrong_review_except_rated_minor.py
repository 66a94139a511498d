"""Wrong: the review rates the $0.00-on-any-error fallback minor, as a UX choice.

Review a pull request: the prediction endpoint

Sam, a teammate on PokéMarket's ML team, has opened pull request #103: POST /predict, the
endpoint behind the seller app's new "suggest a price" button. It changes the price service,
pokemarket/serve.py, and Sam asks for your review before it ships. Read the PR with the line
numbers a review comment names:

    python exercises/07_collaboration/04_review_endpoint_pr.py

(the diff is exercises/07_collaboration/pokemarket_repo/prs/03_predict_endpoint.diff; the rest
of the code base is beside it, in pokemarket_repo/).

A model answers whatever it is given: a PSA 42, a grade of "ten", a listing with no rarity at
all each get a price, and nothing in the answer says it is nonsense. So the endpoint is where
a price service decides what it will price. It refuses what its model cannot price, before the
model runs, with a 422 that names the field to fix; it tells a failure (a 5xx the app can
report) from a price; and what a seller sends stays out of its logs.

Write your review as FINDINGS, a list of mlings.review.Finding(file, lines, category,
severity, note):
- file:     the path as the diff names it ("pokemarket/serve.py");
- lines:    (first, last): the lines of the file AFTER the change, as the printout numbers
            them (one line is (n, n));
- category: one of mlings.review.CATEGORIES; severity: one of SEVERITIES ("blocker" means the
            PR must not be merged as it is);
- note:     one sentence: what breaks and why.
Your review passes when every defect the pull request brings in is named by a finding (same
file, lines overlapping, a fitting category); each blocker is rated blocker; at most one
finding names no defect.

Then write the endpoint as it should be, here (not in the repository). The model is anything
with predict(frame) -> one price in dollars per row, like train.py's pipeline;
suggest_price(model, card) is the given way to ask it.

Write:

- FINDINGS: your review of PR #103.
- CardRequest: the body of POST /predict, a Pydantic model with exactly these fields; any other
  field (the app's seller_email, a misspelt "psa_grad") is refused:
      rarity     one of Rarity, spelled exactly so; required
      variant    one of Variant, spelled exactly so; required
      condition  one of Condition, for a raw copy; None or left out for a graded one
      psa_grade  a grade in PSA_GRADES (1 to 8.5 by halves, 9, 10), for a graded copy; None or
                 left out for a raw one
  A card has exactly one of condition and psa_grade. A grade is a JSON number: text ("9",
  "ten"), true, NaN and Infinity are refused. A valid card is kept as sent.
- create_app(model): a FastAPI app with POST /predict, whose body is a CardRequest (the body
  itself, not under a key), answering {"price_usd": suggest_price(model, card)}: one
  model.predict call per priced card. A body it refuses never reaches the model and gets status
  422 with FastAPI's "detail" list, whose errors name what to fix in their "loc" (["body",
  field] for a field; ["body"] for the card as a whole) — never a 500, NaN and Infinity
  included (FastAPI's default 422 handler echoes the input, and a NaN cannot be written as
  JSON). When the model raises, the error is not hidden: the client gets a 5xx, never a
  made-up price. What a refused body holds is never written to the logs (the app's bodies
  carry a seller's email).

Done when: every defect of the PR is in your findings and no more than one finding is a false
alarm; every good card is priced exactly as the model prices it; every bad body gets a 422
naming its field, never a 500 and never a price; a failing model gives a 5xx; and a seller's
email never reaches a log.

Stuck? Run `mlings hint`.
"""

from pathlib import Path
from typing import Literal, Protocol, Self

import numpy as np
import pandas as pd
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from mlings.review import CATEGORIES, SEVERITIES, Finding  # noqa: F401 (you will need them)

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
FEATURES = ["rarity", "variant", "condition", "platform", "psa_grade"]  # what train.py fits on
PLATFORM = "PokéMarket"  # suggestions are for listings on PokéMarket itself

FINDINGS: list[Finding] = [
    Finding(
        file="pokemarket/serve.py",
        lines=(57, 61),
        category="validation",
        severity="blocker",
        note="The body is a plain dict and payload.get picks the fields unchecked, so a PSA 42, "
        "a grade of 'ten', a missing rarity or a misspelt psa_grad all get a price, or a 500, "
        "instead of a 422 naming the field.",
    ),
    Finding(
        file="pokemarket/serve.py",
        lines=(60, 60),
        category="security",
        severity="blocker",
        note="Every request's whole form is logged, the seller's email included, so personal "
        "data lands in the logs and in everything that ships or keeps them.",
    ),
    Finding(
        file="pokemarket/serve.py",
        lines=(63, 66),
        category="correctness",
        severity="minor",
        note="except Exception turns every failure, a broken model or a bad input, into a $0.00 "
        "suggestion with a 200, so sellers are told their card is worthless and nothing alerts.",
    ),
]


class PriceModel(Protocol):
    """Anything with predict(frame) -> one price in dollars per row, like train.py's pipeline."""

    def predict(self, X: pd.DataFrame) -> np.ndarray: ...


class CardRequest(BaseModel):
    """The card a seller wants priced: the body of POST /predict."""

    model_config = ConfigDict(extra="forbid")

    rarity: Rarity
    variant: Variant
    condition: Condition | None = None
    psa_grade: float | None = Field(default=None, strict=True, allow_inf_nan=False)

    @field_validator("psa_grade")
    @classmethod
    def grade_psa_gives(cls, grade: float | None) -> float | None:
        """PSA grades 1 to 8.5 by halves, then 9 and 10: no 9.5, nothing else."""
        if grade is not None and grade not in PSA_GRADES:
            raise ValueError("PSA gives 1 to 8.5 by halves, 9 or 10")
        return grade

    @model_validator(mode="after")
    def raw_or_graded(self) -> Self:
        """A raw copy has a condition, a graded one a PSA grade: exactly one of them."""
        if (self.condition is None) == (self.psa_grade is None):
            raise ValueError("give exactly one of condition (a raw copy) and psa_grade (graded)")
        return self


def to_frame(card: CardRequest) -> pd.DataFrame:
    """The model's input for one card (no need to change this function)."""
    return pd.DataFrame([card.model_dump()]).assign(platform=PLATFORM)[FEATURES]


def suggest_price(model: PriceModel, card: CardRequest) -> float:
    """The model's price for the card, in dollars, to the cent (no need to change this function).

    A model can answer a few cents below zero for a worthless card: that is a $0.00 suggestion.
    """
    price = float(model.predict(to_frame(card))[0])
    return round(max(price, 0.0), 2)


def create_app(model: PriceModel) -> FastAPI:
    """The price service's /predict, done right: bad bodies get 422, never a 500 or a price."""

    async def refuse(request: Request, exc: RequestValidationError) -> JSONResponse:
        """FastAPI's 422, without the input: it may hold an email or a NaN."""
        detail = [
            {"type": error["type"], "loc": list(error["loc"]), "msg": error["msg"]}
            for error in exc.errors()
        ]
        return JSONResponse(status_code=422, content={"detail": jsonable_encoder(detail)})

    app = FastAPI(exception_handlers={RequestValidationError: refuse})

    @app.post("/predict")
    def predict(card: CardRequest) -> dict[str, float]:
        """The model's suggested price for a valid card; a failing model is a 500."""
        return {"price_usd": suggest_price(model, card)}

    return app


class MedianPrice:
    """A stand-in price model: the median sale price of each rarity (no need to change this)."""

    def __init__(self, sales: pd.DataFrame) -> None:
        self.medians = sales.groupby("rarity")["price_usd"].median()

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return X["rarity"].map(self.medians).fillna(self.medians.median()).to_numpy(float)


if __name__ == "__main__":
    from fastapi.testclient import TestClient  # the app in-process, no network

    from mlings.review import numbered

    root = Path(__file__).resolve().parents[2]
    repo = root / "exercises" / "07_collaboration" / "pokemarket_repo"
    print(numbered(repo / "prs" / "03_predict_endpoint.diff"))
    print(f"\nYour review: {len(FINDINGS)} finding(s).")

    model = MedianPrice(pd.read_csv(root / "data" / "sales_clean.csv"))
    bodies = [
        '{"rarity": "Holo Rare", "variant": "Normal", "condition": "NM"}',
        '{"rarity": "Holo Rare", "variant": "1st Edition", "psa_grade": 8.5}',
        '{"rarity": "Holo Rare", "variant": "Normal", "psa_grade": 42}',
        '{"rarity": "Holo Rare", "variant": "Normal", "psa_grade": NaN}',
        '{"rarity": "Holo Rare", "variant": "Normal", "condition": "NM", "psa_grade": 10}',
        '{"rarity": "Rare Holo", "variant": "Normal", "condition": "NM", "seller_email": "a@b.c"}',
    ]
    try:
        app = create_app(model)
    except NotImplementedError as todo:
        raise SystemExit(f"Your endpoint: {todo}") from None
    with TestClient(app, raise_server_exceptions=False) as client:
        for body in bodies:
            answer = client.post(
                "/predict", content=body, headers={"content-type": "application/json"}
            )
            print(f"POST /predict {body}\n  -> {answer.status_code} {answer.text[:150]}")
