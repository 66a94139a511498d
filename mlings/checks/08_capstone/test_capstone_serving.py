"""Checks for 08_capstone/serving.py: the price service loads once and validates at the door."""

import contextlib
import json
import math

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient

# The check's price model: dollars from every field of the card, like a real model it prices
# whatever it is given (an unknown rarity gets a guess).
BASE = {
    "Common": 0.25,
    "Uncommon": 0.4,
    "Rare": 1.5,
    "Holo Rare": 9.0,
    "Ultra Rare": 14.0,
    "Full Art Rare": 21.0,
    "Secret Rare": 35.0,
    "Gold Star": 480.0,
    "Shining Holo Rare": 160.0,
    "Amazing Rare": 6.0,
    "Double Rare": 3.0,
    "Illustration Rare": 18.0,
    "Special Illustration Rare": 95.0,
    "Hyper Rare": 55.0,
    "Black White Rare": 70.0,
    "Mega Hyper Rare": 240.0,
}
VARIANT = {"Normal": 1.0, "Reverse Holo": 1.35, "1st Edition": 2.7}
CONDITION = {"NM": 1.0, "LP": 0.8, "MP": 0.6, "HP": 0.45, "DMG": 0.25}
PSA_GRADES = (*(g / 2 for g in range(2, 18)), 9.0, 10.0)
COLUMNS = ("card_id", "rarity", "variant", "condition", "psa_grade")


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _price(card_id, rarity, variant, condition, psa_grade) -> float:
    """The check's model, in dollars (never a round number of cents)."""
    number = int(str(card_id).rsplit("-", 1)[-1]) if "-" in str(card_id) else 1
    wear = CONDITION.get(condition, 0.7) if _missing(psa_grade) else 0.05 * psa_grade**1.6 + 0.4
    return BASE.get(rarity, 5.0) * VARIANT.get(variant, 1.0) * wear * (1 + number / 997) + 0.003


def _expected(card: dict) -> float:
    return _price(*(card.get(name) for name in COLUMNS))


class Book:
    """A stub PriceModel: counts predict calls and keeps the rows it was given."""

    def __init__(self, fail: Exception | None = None, answer: float | None = None) -> None:
        self.calls = 0
        self.rows: list[dict] = []
        self.fail = fail
        self.answer = answer

    def predict(self, sales) -> np.ndarray:
        self.calls += 1
        if self.fail is not None:
            raise self.fail
        assert isinstance(sales, pd.DataFrame) and set(COLUMNS) <= set(sales.columns), (
            f"model.predict was given {type(sales).__name__} "
            f"{list(sales.columns) if isinstance(sales, pd.DataFrame) else ''}; give it "
            "to_frame(card): a sales row like data/sales_clean.csv's, without price_usd."
        )
        assert "price_usd" not in sales.columns, (
            "model.predict was given a price_usd column: the price is what it predicts."
        )
        rows = sales[list(COLUMNS)].to_dict("records")
        self.rows.extend(rows)
        if self.answer is not None:
            return np.full(len(rows), self.answer)
        return np.array([_price(**row) for row in rows], dtype=float)


class Loader:
    """A load_model that counts its calls and returns the check's model."""

    def __init__(self, model: Book | None = None) -> None:
        self.model = model or Book()
        self.calls = 0

    def __call__(self) -> Book:
        self.calls += 1
        return self.model


def _app(exercise, loader: Loader):
    app = exercise.create_app(loader)
    assert loader.calls == 0, (
        f"create_app called load_model {loader.calls} time(s) while building the app: a "
        "module that does `app = create_app(...)` would load the model at import, in every "
        "test and script. Call it in the lifespan, which runs when the app starts."
    )
    return app


@contextlib.contextmanager
def _client(exercise, loader: Loader):
    """The learner's app in-process (no network); server errors come back as 500s."""
    with TestClient(_app(exercise, loader), raise_server_exceptions=False) as client:
        yield client


def _post(client, body: str):
    return client.post("/predict", content=body, headers={"content-type": "application/json"})


def _card(**fields) -> str:
    """A body as JSON text (Python's json writes NaN and Infinity as many clients do)."""
    card = {"card_id": "base1-4", "rarity": "Holo Rare", "variant": "Normal"} | fields
    return json.dumps({k: v for k, v in card.items() if v is not ...})


def _good(card_id: str, rarity: str, variant: str = "Normal", **copy) -> dict:
    return {"card_id": card_id, "rarity": rarity, "variant": variant, **copy}


GOOD = [
    *(_good(f"sv3pt5-{i + 160}", rarity, condition="NM") for i, rarity in enumerate(BASE)),
    *(_good("base1-4", "Holo Rare", variant, condition="LP") for variant in VARIANT),
    *(_good("neo1-9", "Rare", "Reverse Holo", condition=condition) for condition in CONDITION),
    *(_good("swsh7-215", "Secret Rare", psa_grade=grade) for grade in PSA_GRADES),
    _good("ex15-100", "Gold Star", psa_grade=10),  # an integer grade
    _good("gym1-2", "Holo Rare", "1st Edition", condition="MP", psa_grade=None),
    _good("me1-188", "Mega Hyper Rare", condition=None, psa_grade=8.5),
]


@pytest.mark.points(2)
def test_loads_the_model_once(exercise):
    """the model is loaded once, at start-up, however many requests come (rejects per request)"""
    loader = Loader()
    with _client(exercise, loader) as client:
        assert loader.calls == 1, (
            f"The app has started and load_model has been called {loader.calls} times. Call "
            "it exactly once, in the lifespan, before its `yield`: loading lazily on the first "
            "request makes that one slow and hides a broken model until traffic arrives."
        )
        for card in GOOD[:12]:
            _post(client, json.dumps(card))
        for _ in range(3):
            client.get("/health")
            _post(client, _card(condition="NM", psa_grade=10))
        assert loader.calls == 1, (
            f"After 18 requests load_model has been called {loader.calls} times: the model is "
            "loaded per request, and every request pays for it. Load it once in the lifespan "
            "and keep it (app.state.model)."
        )
    second = Loader()
    with _client(exercise, second) as client:
        _post(client, json.dumps(GOOD[0]))
    assert second.calls == 1 and loader.calls == 1, (
        "A second app with its own loader did not load its own model once at start-up: keep "
        "the model per app (app.state), not in a module-level variable or cache."
    )
    assert second.model.calls == 1, (
        f"A second app priced a valid card, and the model its own loader returned was called "
        f"{second.model.calls} times: price with the model this app loaded (app.state.model), "
        "once per card."
    )


@pytest.mark.points(0.5)
def test_health(exercise):
    """GET /health answers 200 {"status": "ok"}"""
    with _client(exercise, Loader()) as client:
        response = client.get("/health")
    assert response.status_code == 200, (
        f"GET /health answered {response.status_code} {response.text[:200]}; it should answer "
        '200 {"status": "ok"}.'
    )
    body = response.json()
    assert isinstance(body, dict) and body.get("status") == "ok", (
        f'GET /health answered {body!r}; it should say {{"status": "ok"}}.'
    )


@pytest.mark.points(2)
def test_good_cards_are_priced_as_the_model_prices_them(exercise):
    """good cards are priced as model.predict says, one call each (rejects rewriting them)"""
    model = Book()
    with _client(exercise, Loader(model)) as client:
        for card in GOOD:
            before = model.calls
            response = _post(client, json.dumps(card))
            advice = ""
            if response.status_code == 422:
                advice = (
                    " Refuse only what the contract refuses, and take the body as the "
                    "CardRequest itself (card: CardRequest), not under a key."
                )
            assert response.status_code == 200, (
                f"POST /predict {json.dumps(card)} answered {response.status_code} "
                f"{response.text[:250]}; this card is valid.{advice}"
            )
            assert model.calls - before == 1, (
                f"Pricing {card} called model.predict {model.calls - before} times; call it "
                "once, on to_frame(card)."
            )
            row = model.rows[-1]
            for name in COLUMNS:
                sent, seen = card.get(name), row[name]
                same = _missing(seen) if sent is None else seen == sent
                assert same, (
                    f"For {card} the model was given {name}={seen!r}: a valid card must reach "
                    "the model as sent, or its price changes. Validate; do not rewrite."
                )
            body = response.json()
            assert isinstance(body, dict) and isinstance(body.get("price_usd"), float | int), (
                f'POST /predict answered {body!r}; answer {{"price_usd": <a number>}}.'
            )
            assert body["price_usd"] == pytest.approx(_expected(card), abs=0.005), (
                f"For {card} /predict answered {body['price_usd']!r}, but the model says "
                f"{_expected(card):.4f} dollars: answer the model's price (to the cent at most)."
            )


def _refused(client, model: Book, body: str, locs: set[tuple], why: str) -> None:
    """The body gets a 422 whose detail names one of locs, and never reaches the model."""
    before = model.calls
    response = _post(client, body)
    message = f"POST /predict {body} answered {response.status_code}"
    if response.status_code == 500 and any(w in body for w in ("NaN", "Infinity", "1e400")):
        message += (
            ": the body was refused, but FastAPI's default 422 handler echoes the input, and a "
            "NaN or an infinity cannot be written as JSON, so the answer itself crashed. "
            'Register your own RequestValidationError handler that leaves each error\'s "input" '
            "out."
        )
    elif response.status_code == 200:
        message += f" {response.text[:100]}: {why}, yet it was priced. Refuse it with a 422."
    elif response.status_code != 422:
        message += f" {response.text[:150]}; {why}: refuse it with a 422."
    assert response.status_code == 422, message
    assert model.calls == before, (
        f"POST /predict {body} was refused, but only after it reached the model: validate the "
        "body before predicting (type the endpoint's body as CardRequest)."
    )
    try:
        answer = response.json()
    except ValueError:
        answer = None
    detail = answer.get("detail") if isinstance(answer, dict) else None
    found = [tuple(e.get("loc", ())) for e in detail or [] if isinstance(e, dict)]
    # a union type adds its member's tag after the field: ("body", "psa_grade", "float") names it
    named = any(loc[: len(want)] == want for loc in found for want in locs)
    assert named, (
        f"POST /predict {body} got a 422 whose errors are located at {found}; expected "
        f"{' or '.join(map(str, sorted(locs)))}: {why}. Answer FastAPI's "
        '{"detail": [...]} with each error\'s loc, and take the body as the CardRequest itself.'
    )


GRADE = {("body", "psa_grade")}
CARD = {("body",), ("body", "condition"), ("body", "psa_grade")}  # the card as a whole


@pytest.mark.points(1.5)
def test_nan_and_infinity_get_422_never_500(exercise):
    """NaN and infinite grades get 422 at psa_grade (rejects a 500 on NaN)"""
    model = Book()
    with _client(exercise, Loader(model)) as client:
        for text in ("NaN", "Infinity", "-Infinity", "1e400"):
            body = _card(psa_grade=0).replace('"psa_grade": 0', f'"psa_grade": {text}')
            _refused(client, model, body, GRADE, f"a grade of {text} is not a grade")


@pytest.mark.points(1)
def test_grades_psa_does_not_give_are_refused(exercise):
    """a grade PSA does not give, or not a JSON number, gets 422 (rejects PSA 9.5 and 11)"""
    model = Book()
    with _client(exercise, Loader(model)) as client:
        for grade in (9.5, 11, 10.5, 7.25, 0.5, 0, -3, 42):
            _refused(client, model, _card(psa_grade=grade), GRADE, f"PSA never gives {grade}")
        for grade in ("9", "ten", True, [9]):
            why = f"psa_grade {json.dumps(grade)} is not a JSON number"
            _refused(client, model, _card(psa_grade=grade), GRADE, why)


@pytest.mark.points(1)
def test_exactly_one_of_condition_and_grade(exercise):
    """a card with both a condition and a grade, or neither, gets 422 (rejects accepting both)"""
    model = Book()
    with _client(exercise, Loader(model)) as client:
        for condition, grade in (("NM", 10), ("DMG", 1), (..., ...), (None, None), (..., None)):
            body = _card(condition=condition, psa_grade=grade)
            why = "a card is raw (a condition) or graded (a psa_grade): exactly one of them"
            _refused(client, model, body, CARD, why)


@pytest.mark.points(1)
def test_unknown_spellings_are_refused(exercise):
    """an unknown rarity, variant, condition or a malformed card_id gets 422 at that field"""
    cases = [
        ({"rarity": "Rare Holo", "condition": "NM"}, "rarity"),
        ({"rarity": "holo rare", "condition": "NM"}, "rarity"),
        ({"rarity": "SIR", "condition": "NM"}, "rarity"),
        ({"rarity": None, "condition": "NM"}, "rarity"),
        ({"variant": "1st edition", "condition": "NM"}, "variant"),
        ({"variant": "Holo", "condition": "NM"}, "variant"),
        ({"condition": "Mint"}, "condition"),
        ({"condition": "nm"}, "condition"),
        ({"card_id": "Charizard", "condition": "NM"}, "card_id"),
        ({"card_id": "", "condition": "NM"}, "card_id"),
        ({"card_id": "BASE1-4", "condition": "NM"}, "card_id"),
        ({"card_id": "base1 4", "condition": "NM"}, "card_id"),
        ({"card_id": 4, "condition": "NM"}, "card_id"),
    ]
    model = Book()
    with _client(exercise, Loader(model)) as client:
        for fields, name in cases:
            why = f"{name} {json.dumps(fields[name])} is not one of the contract's spellings"
            _refused(client, model, _card(**fields), {("body", name)}, why)


@pytest.mark.points(0.5)
def test_extra_and_missing_fields_are_refused(exercise):
    """a field CardRequest lacks, a missing field or a body that is no object gets 422"""
    model = Book()
    with _client(exercise, Loader(model)) as client:
        for extra, value in (("seller_email", "misty@cerulean.example"), ("psa_grad", 9),
                             ("platform", "eBay"), ("price_usd", 12.5)):  # fmt: skip
            body = _card(condition="NM", **{extra: value})
            _refused(client, model, body, {("body", extra)}, f"{extra} is not a CardRequest field")
        for name in ("card_id", "rarity", "variant"):
            body = _card(condition="NM", **{name: ...})
            _refused(client, model, body, {("body", name)}, f"a card needs its {name}")
        body = '[{"card_id": "base1-4", "rarity": "Holo Rare", "variant": "Normal"}]'
        _refused(client, model, body, {("body",)}, "the body must be one card, a JSON object")


@pytest.mark.points(0.5)
def test_a_broken_model_gets_a_5xx_never_a_price(exercise):
    """a model that raises or answers NaN gets the client a 5xx, no price (rejects $0.00)"""
    for model, what in (
        (Book(fail=ValueError("unknown category 'Mega Hyper Rare'")), "raised"),
        (Book(answer=float("nan")), "answered NaN"),
        (Book(answer=float("inf")), "answered inf"),
    ):
        with _client(exercise, Loader(model)) as client:
            response = _post(client, _card(condition="NM"))
        assert model.calls == 1, (
            f"A valid card called model.predict {model.calls} times; it should be called once."
        )
        assert response.status_code >= 500 and "price_usd" not in response.text, (
            f"The model {what}, and POST /predict answered {response.status_code} "
            f"{response.text[:120]}. A failure must look like one: a 5xx (let the error "
            "propagate, or raise HTTPException(500) when the price is not a finite number), "
            "never a made-up price sellers will trust."
        )
