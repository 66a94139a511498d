"""Checks for 07_collaboration/04_review_endpoint_pr: review PR #103, then validate /predict."""

import contextlib
import json
import logging
import math
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient

from mlings.review import (
    Defect,
    added_lines,
    judge_blockers_rated,
    judge_every_defect_named,
    judge_false_alarms,
    judge_majors_rated,
    learner_findings,
)

DIFF = "exercises/07_collaboration/pokemarket_repo/prs/03_predict_endpoint.diff"
SERVE = "pokemarket/serve.py"

DEFECTS: tuple[Defect, ...] = (
    Defect(
        id="no_validation",
        file=SERVE,
        lines=(57, 62),
        categories=frozenset({"validation"}),
        severity="blocker",
        about="payload: dict goes to the model unchecked: PSA 42, NaN, a missing rarity or a "
        "misspelt one all get a confident price; 'ten' crashes the model (then $0).",
    ),
    Defect(
        id="email_logged",
        file=SERVE,
        lines=(60, 60),
        categories=frozenset({"security"}),
        severity="major",
        about="log.info of the whole payload writes the seller's email (the app posts its whole "
        "form) into the logs: personal data in logs.",
    ),
    Defect(
        id="error_priced_zero",
        file=SERVE,
        lines=(65, 66),
        categories=frozenset({"correctness", "validation", "maintainability"}),
        severity="major",
        about="a bare except answers every model failure as a $0.00 price with status 200: the "
        "failure is hidden from the client, the logs and the metrics.",
    ),
)
NUDGES = {  # where to look, without the category
    "no_validation": "look at what the endpoint lets through to the model",
    "email_logged": "look at where what a seller's app sends ends up",
    "error_priced_zero": "look at what a seller is shown when the model cannot price a listing",
}

# The check's model: a price in dollars from every column of the frame it is given.
BASE = {
    "Common": 0.6,
    "Uncommon": 0.9,
    "Rare": 2.0,
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
CONDITION = {"NM": 1.0, "LP": 0.85, "MP": 0.65, "HP": 0.45, "DMG": 0.3}
PSA_GRADES = (*(g / 2 for g in range(2, 18)), 9.0, 10.0)
FEATURES = ("rarity", "variant", "condition", "platform", "psa_grade")
EMAIL = "misty.waterflower@cerulean.example"


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _price(rarity, variant, condition, psa_grade, platform) -> float:
    """The check's model, in dollars; PokéMarket listings cost 2% more than elsewhere.

    Like a real model it prices anything it can read (an unknown rarity gets a guess); a grade
    that is not a number makes it raise.
    """
    raw = _missing(psa_grade)
    wear = CONDITION.get(condition, 0.7) if raw else 0.05 * float(psa_grade) ** 1.6
    scale = BASE.get(rarity, 5.0) * VARIANT.get(variant, 1.0)
    return scale * wear * (1.02 if platform == "PokéMarket" else 1.0) - 0.5


def _expected(card: dict) -> float:
    """The dollars /predict should answer for a good body."""
    price = _price(
        card["rarity"], card["variant"], card.get("condition"), card.get("psa_grade"), "PokéMarket"
    )
    return round(max(price, 0.0), 2)


class Book:
    """The check's price model; counts its predict calls and keeps the rows it was given."""

    def __init__(self, fail: Exception | None = None) -> None:
        self.calls = 0
        self.rows: list[dict] = []
        self.fail = fail

    def predict(self, X) -> np.ndarray:
        self.calls += 1
        if self.fail is not None:
            raise self.fail
        assert isinstance(X, pd.DataFrame) and set(FEATURES) <= set(X.columns), (
            f"model.predict was given {type(X).__name__} "
            f"{list(X.columns) if isinstance(X, pd.DataFrame) else ''}; give it to_frame(card) "
            "(suggest_price does), with the columns train.py's model reads."
        )
        rows = X[list(FEATURES)].to_dict("records")
        self.rows.extend(rows)
        return np.array([_price(**row) for row in rows], dtype=float)


@contextlib.contextmanager
def _client(exercise, model: Book):
    """The learner's app in-process (no network); server errors come back as 500s."""
    app = exercise.create_app(model)
    assert model.calls == 0, "create_app called model.predict while building the app."
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def _post(client, body: str):
    return client.post("/predict", content=body, headers={"content-type": "application/json"})


def _json(card: dict) -> str:
    """A body as JSON text (Python's json writes a float NaN as NaN, as many clients do)."""
    return json.dumps(card)


# ---------------------------------------------------------------------------------------------
# The review


def _diff_files() -> list[str]:
    return sorted(added_lines(Path(os.environ["MLINGS_ROOT"]) / DIFF))


def test_findings_are_well_formed(exercise):
    """FINDINGS is a non-empty list of well-formed Finding(...)"""
    learner_findings(exercise)


def test_every_defect_is_named(exercise):
    """every defect the pull request brings in is named by a finding"""
    judge_every_defect_named(learner_findings(exercise), DEFECTS, NUDGES, _diff_files())


def test_blockers_are_rated_blocker(exercise):
    """each blocker is rated blocker (rejects rating it major or less)"""
    judge_blockers_rated(
        learner_findings(exercise), DEFECTS, harm="show sellers what no seller should see"
    )


def test_major_defects_are_not_rated_minor(exercise):
    """a defect that breaks something real is rated major or blocker (rejects minor or nit)"""
    judge_majors_rated(learner_findings(exercise), DEFECTS)


def test_at_most_one_false_alarm(exercise):
    """at most one finding names no defect (rejects flagging the decoys)"""
    judge_false_alarms(learner_findings(exercise), DEFECTS, _diff_files())


# ---------------------------------------------------------------------------------------------
# The endpoint done right

GOOD = [
    *({"rarity": rarity, "variant": "Normal", "condition": "NM"} for rarity in BASE),
    *({"rarity": "Holo Rare", "variant": variant, "condition": "LP"} for variant in VARIANT),
    *({"rarity": "Rare", "variant": "Reverse Holo", "condition": c} for c in CONDITION),
    *({"rarity": "Ultra Rare", "variant": "Normal", "psa_grade": g} for g in PSA_GRADES),
    {"rarity": "Gold Star", "variant": "Normal", "psa_grade": 10},  # an integer grade
    {"rarity": "Secret Rare", "variant": "1st Edition", "condition": "MP", "psa_grade": None},
    {"rarity": "Hyper Rare", "variant": "Normal", "condition": None, "psa_grade": 8.5},
    {"rarity": "Common", "variant": "Normal", "condition": "DMG"},  # the model says -$0.32
]


def test_good_cards_are_priced_as_the_model_prices_them(exercise):
    """good cards are priced by one model call on the values sent (rejects rewriting them)"""
    model = Book()
    with _client(exercise, model) as client:
        for card in GOOD:
            before = model.calls
            response = _post(client, _json(card))
            advice = ""
            if response.status_code == 422:
                advice = (
                    " Only refuse what the contract refuses; take the body as a CardRequest "
                    "itself (card: CardRequest), not embedded under a key."
                )
            assert response.status_code == 200, (
                f"POST /predict {_json(card)} answered {response.status_code} "
                f"{response.text[:250]}; this card is valid.{advice}"
            )
            assert model.calls - before == 1, (
                f"Pricing {card} called model.predict {model.calls - before} times; call it "
                "once per card (suggest_price(model, card) does)."
            )
            row = model.rows[-1]
            for name in ("rarity", "variant", "condition", "psa_grade"):
                sent, seen = card.get(name), row[name]
                same = _missing(seen) if sent is None else seen == sent
                assert same, (
                    f"For {card} the model was given {name}={seen!r}: a valid card must reach "
                    "the model as sent, or its price changes. Validate; do not rewrite."
                )
            body = response.json()
            assert isinstance(body, dict) and "price_usd" in body, (
                f'POST /predict answered {body!r}; answer {{"price_usd": ...}}.'
            )
            assert body["price_usd"] == pytest.approx(_expected(card), abs=1e-9), (
                f"For {card} /predict answered {body['price_usd']!r}, but "
                f"suggest_price(model, card) says {_expected(card)}: answer that."
            )


def _refused(client, model: Book, body: str, locs: set[tuple], why: str) -> None:
    """The body gets a 422 whose detail names one of locs, and never reaches the model."""
    before = model.calls
    response = _post(client, body)
    message = f"POST /predict {body} answered {response.status_code}"
    if response.status_code == 500 and any(word in body for word in ("NaN", "Infinity", "1e400")):
        message += (
            ": the body was refused, but FastAPI's default 422 handler echoes the input, and "
            "a NaN or an infinity cannot be written as JSON, so the answer itself crashed. "
            "Register your own RequestValidationError handler that leaves each error's "
            '"input" out.'
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


def _card(**fields) -> str:
    card = {"rarity": "Holo Rare", "variant": "Normal"} | fields
    return _json({k: v for k, v in card.items() if v is not ...})


GRADE = {("body", "psa_grade")}
CARD = {("body",), ("body", "condition"), ("body", "psa_grade")}  # the card as a whole


def test_grades_psa_does_not_give_are_refused(exercise):
    """a grade PSA does not give gets 422 at psa_grade (rejects checking only the bounds)"""
    model = Book()
    with _client(exercise, model) as client:
        for grade_ in (42, 11, 10.5, 9.5, 7.25, 0.5, 0, -3):
            _refused(client, model, _card(psa_grade=grade_), GRADE, f"PSA never gives {grade_}")


def test_a_grade_is_a_json_number(exercise):
    """a grade sent as text or a boolean gets 422 at psa_grade (rejects lax parsing)"""
    model = Book()
    with _client(exercise, model) as client:
        for grade_ in ("9", "ten", "8.5", True, False, [9], {"grade": 9}):
            why = f"psa_grade {_json(grade_)} is not a JSON number"
            _refused(client, model, _card(psa_grade=grade_), GRADE, why)


def test_nan_and_infinity_get_422_never_500(exercise):
    """NaN and infinite grades get 422 at psa_grade (rejects a 500 on NaN)"""
    model = Book()
    with _client(exercise, model) as client:
        for text in ("NaN", "Infinity", "-Infinity", "1e400"):
            body = _card(psa_grade=0).replace(": 0}", f": {text}}}")
            _refused(client, model, body, GRADE, f"a grade of {text} is not a grade")


def test_rarity_variant_condition_are_spelled_exactly(exercise):
    """a misspelt rarity, variant or condition gets 422 at that field"""
    cases = [
        ({"rarity": "Rare Holo", "condition": "NM"}, "rarity"),
        ({"rarity": "holo rare", "condition": "NM"}, "rarity"),
        ({"rarity": 4, "condition": "NM"}, "rarity"),
        ({"rarity": None, "condition": "NM"}, "rarity"),
        ({"variant": "1st edition", "condition": "NM"}, "variant"),
        ({"variant": "Holo", "condition": "NM"}, "variant"),
        ({"condition": "Mint"}, "condition"),
        ({"condition": "nm"}, "condition"),
        ({"condition": "graded", "psa_grade": 9}, "condition"),
    ]
    model = Book()
    with _client(exercise, model) as client:
        for fields, name in cases:
            why = f"{name} {_json(fields[name])} is not one of the contract's spellings"
            _refused(client, model, _card(**fields), {("body", name)}, why)


def test_missing_fields_are_refused(exercise):
    """a body missing rarity or variant, or not an object, gets 422 naming what is missing"""
    model = Book()
    with _client(exercise, model) as client:
        for name in ("rarity", "variant"):
            body = _card(condition="NM", **{name: ...})
            _refused(client, model, body, {("body", name)}, f"a card needs its {name}")
        _refused(client, model, "{}", {("body", "rarity")}, "an empty body is no card")
        body = '[{"rarity": "Holo Rare", "variant": "Normal", "condition": "NM"}]'
        _refused(client, model, body, {("body",)}, "the body must be one card, a JSON object")


def test_exactly_one_of_condition_and_grade(exercise):
    """a card with both a condition and a grade, or neither, gets 422 (rejects accepting both)"""
    model = Book()
    with _client(exercise, model) as client:
        for condition, grade_ in (("NM", 10), ("DMG", 1), (..., ...), (None, None), (..., None)):
            body = _card(condition=condition, psa_grade=grade_)
            why = "a card is raw (a condition) or graded (a psa_grade): exactly one of them"
            _refused(client, model, body, CARD, why)


def test_fields_the_contract_does_not_name_are_refused(exercise):
    """a field CardRequest does not have gets 422 at that field (seller_email included)"""
    model = Book()
    with _client(exercise, model) as client:
        for extra, value in (("seller_email", EMAIL), ("listing_title", "Charizard!!"),
                             ("psa_grad", 9), ("platform", "eBay")):  # fmt: skip
            body = _card(condition="NM", **{extra: value})
            why = f"{extra} is not a field of CardRequest"
            _refused(client, model, body, {("body", extra)}, why)


def test_a_failing_model_gets_a_5xx_never_a_price(exercise):
    """a model that raises gets the client a 5xx (rejects answering $0.00)"""
    model = Book(fail=ValueError("could not convert string to float: 'ten'"))
    with _client(exercise, model) as client:
        response = _post(client, _card(condition="NM"))
    assert model.calls == 1, (
        f"A valid card called model.predict {model.calls} times; it should be called once."
    )
    assert response.status_code >= 500, (
        f"The model raised, and POST /predict answered {response.status_code} "
        f"{response.text[:120]}. A failure must look like one: let the error propagate (FastAPI "
        "answers 500), so the app can say it cannot suggest a price and the team sees the "
        "error. A made-up price is a wrong price sellers will trust."
    )


def test_no_client_data_in_the_logs(exercise, caplog):
    """a seller's email sent in a body never reaches the logs (rejects logging the input)"""
    caplog.set_level(logging.DEBUG)
    model = Book()
    with _client(exercise, model) as client:
        _post(client, _card(condition="NM", seller_email=EMAIL))
        _post(client, _card(rarity="Rare Holo", psa_grade=float("nan"), seller_email=EMAIL))
        _post(client, _card(condition="NM"))
    leaked = [r for r in caplog.records if EMAIL in r.getMessage() or EMAIL in str(vars(r))]
    assert not leaked, (
        f"A seller's email reached the logs ({leaked[0].name}: "
        f"{leaked[0].getMessage()[:120]}). Logs are kept long and read widely: never log a "
        "request's body or a validation error's input; log what happened, not what was sent."
    )
