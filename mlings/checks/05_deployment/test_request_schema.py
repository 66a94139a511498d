"""Checks for 05_deployment/04_request_schema: a Pydantic request model that refuses bad input."""

import functools
import json
import math
from datetime import UTC, date, datetime, timedelta

import pandas as pd
import time_machine
from pydantic import BaseModel, ValidationError

from mlings.dataset import make_cards, make_sales

RARITIES = (
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
)
VARIANTS = ("Normal", "1st Edition", "Reverse Holo")
CONDITIONS = ("NM", "LP", "MP", "HP", "DMG")
GRADES = (*(g / 2 for g in range(2, 18)), 9.0, 10.0)
SPELLING = ("literal_error", "enum")  # a Literal or an Enum

RAW = {
    "card_id": "sv3pt5-199",
    "rarity": "Special Illustration Rare",
    "variant": "Normal",
    "sale_date": "2024-03-09",
    "condition": "NM",
}
GRADED = {
    "card_id": "base1-4",
    "rarity": "Holo Rare",
    "variant": "1st Edition",
    "sale_date": "2021-02-14",
    "psa_grade": 8.5,
}


def _edit(payload: dict, **changes) -> dict:
    """payload with fields changed; a change to ... removes the field."""
    edited = {**payload, **changes}
    return {key: value for key, value in edited.items() if value is not ...}


@functools.cache
def _real_rows() -> tuple[dict, ...]:
    """Listings of generated sales covering every rarity, variant, condition and grade sold."""
    cards = make_cards(n=900)
    sales = make_sales(cards, seed=7, n=3000, start="2016-01-01", end="2024-12-31")
    sales = sales.assign(grade=sales["psa_grade"].fillna(-1.0))
    keys = ["rarity", "variant", "condition", "grade"]
    picked = pd.concat([sales.drop_duplicates(key) for key in keys]).drop_duplicates("listing_id")
    rows = []
    for sale in picked.itertuples():
        row = {
            "card_id": sale.card_id,
            "rarity": sale.rarity,
            "variant": sale.variant,
            "sale_date": sale.sale_date.date().isoformat(),
        }
        if pd.isna(sale.psa_grade):
            row["condition"] = sale.condition
        else:
            row["psa_grade"] = float(sale.psa_grade)
        rows.append(row)
    return tuple(rows)


def _show(payload) -> str:
    text = payload if isinstance(payload, str) else repr(payload)
    return text if len(text) <= 240 else text[:240] + " …"


def _validate(model: type[BaseModel], payload, *, as_json: bool = False):
    """(the validated model, None) or (None, [(type, loc), ...])."""
    try:
        if as_json:
            text = payload if isinstance(payload, str) else json.dumps(payload)
            return model.model_validate_json(text), None
        return model.model_validate(payload), None
    except ValidationError as error:
        return None, [(problem["type"], tuple(problem["loc"])) for problem in error.errors()]


FORGOT_RETURN = (
    "A likely cause: a field_validator that does not `return` the value. Pydantic stores "
    "what the validator returns, so the field becomes None. End every field validator with "
    "`return` of the value."
)


def _model_level(where: tuple) -> bool:
    """loc () of a Listing, or ("listings", i) of a listing in a Batch."""
    return where == () or isinstance(where[-1], int)


def _accepted(model: type[BaseModel], payload, *, as_json: bool = False, why: str = ""):
    validated, errors = _validate(model, payload, as_json=as_json)
    source = "as JSON" if as_json else "as a dict"
    if errors and any(kind == "date_type" for kind, _ in errors):
        why = (
            "Strict mode refuses ISO text for a date in a dict, and FastAPI hands the model "
            "the body as a dict parsed from JSON: make only the grade strict, not the model."
        )
    elif errors and any(kind == "value_error" and _model_level(at) for kind, at in errors):
        why = (
            "The rule on condition and psa_grade refused a listing that has exactly one of "
            "them, as if its grade (or condition) were None. " + FORGOT_RETURN
        )
    assert errors is None, (
        f"{model.__name__} refused a valid request ({source}) with {errors}: {_show(payload)}. "
        + (why or "Every field of it is valid: loosen the rule that refused it.")
    )
    return validated


def _kept(listing, field: str, sent, payload) -> None:
    """listing.field is the value sent."""
    kept = getattr(listing, field)
    advice = (
        FORGOT_RETURN
        if kept is None and sent is not None
        else "Keep the values as sent (a field that is left out is None)."
    )
    assert kept == sent, f"Listing read {field} {sent!r} as {kept!r} in {_show(payload)}. " + advice


def _refused(
    model: type[BaseModel],
    payload,
    types: str | tuple[str, ...],
    loc: tuple,
    *,
    as_json: bool = False,
    why: str = "",
) -> None:
    """The payload gets exactly one error, of one of these types, at loc."""
    types = (types,) if isinstance(types, str) else types
    _, errors = _validate(model, payload, as_json=as_json)
    source = "as JSON" if as_json else "as a dict"
    expected = f"{types[0]!r} at {loc}" if len(types) == 1 else f"{' or '.join(types)} at {loc}"
    assert errors is not None, (
        f"{model.__name__} accepted {_show(payload)} ({source}); it should be refused with "
        f"{expected}. " + why
    )

    def matches(error) -> bool:
        kind, where = error
        return kind in types and (where == loc if not loc else where[: len(loc)] == loc)

    assert any(matches(error) for error in errors), (
        f"{model.__name__} refused {_show(payload)} ({source}) with {errors}, but the "
        f"contract says {expected}. " + why
    )
    assert len(errors) == 1, (
        f"{model.__name__} gave {len(errors)} errors, {errors}, for a request with one "
        f"problem ({_show(payload)}, {source}): one problem, one error. A rule that fires on "
        "a valid field (or a model rule that also runs after a field failed) adds noise."
    )


def _both(model, payload, types, loc, why: str = "") -> None:
    """Refused the same way from a dict and from JSON."""
    _refused(model, payload, types, loc, why=why)
    _refused(model, payload, types, loc, as_json=True, why=why)


def test_accepts_real_listings(exercise):
    """accepts listings of real sales, raw and graded, from a dict and from JSON"""
    for row in _real_rows():
        listing = _accepted(exercise.Listing, row)
        _accepted(exercise.Listing, row, as_json=True)
        for field in ("card_id", "rarity", "variant", "condition", "psa_grade"):
            _kept(listing, field, row.get(field), row)
        if listing.sale_date is None:
            _kept(listing, "sale_date", row["sale_date"], row)
        assert type(listing.sale_date) is date, (
            f"Listing's sale_date is {listing.sale_date!r}, a {type(listing.sale_date).__name__}; "
            "annotate it as a datetime.date, so Pydantic parses ISO text into one."
        )
        assert listing.sale_date.isoformat() == row["sale_date"], (
            f"Listing read sale_date {row['sale_date']!r} as {listing.sale_date!r}."
        )


def test_accepts_every_value(exercise):
    """accepts every rarity, variant, condition and PSA grade (8.5 and 10 included)"""
    for rarity in RARITIES:
        _accepted(exercise.Listing, _edit(RAW, rarity=rarity), as_json=True)
    for variant in VARIANTS:
        _accepted(exercise.Listing, _edit(GRADED, variant=variant), as_json=True)
    null = "A field sent as null counts as left out: condition or psa_grade may be None."
    for condition in CONDITIONS:
        _accepted(exercise.Listing, _edit(RAW, condition=condition))
        _accepted(exercise.Listing, _edit(RAW, condition=condition, psa_grade=None), why=null)
    for grade in GRADES:
        why = "PSA gives 1 to 8.5 by halves, 9 and 10."
        listing = _accepted(exercise.Listing, _edit(GRADED, psa_grade=grade), why=why)
        _kept(listing, "psa_grade", grade, _edit(GRADED, psa_grade=grade))
        null_condition = _edit(GRADED, psa_grade=grade, condition=None)
        _accepted(exercise.Listing, null_condition, as_json=True, why=null)
    for whole in (1, 7, 9, 10):  # a JSON number without a fraction is still a number
        listing = _accepted(exercise.Listing, _edit(GRADED, psa_grade=whole), as_json=True)
        _kept(listing, "psa_grade", whole, _edit(GRADED, psa_grade=whole))


def test_refuses_missing_fields(exercise):
    """refuses a request without card_id, rarity, variant or sale_date ("missing" at the field)"""
    for field in ("card_id", "rarity", "variant", "sale_date"):
        for payload in (RAW, GRADED):
            _both(exercise.Listing, _edit(payload, **{field: ...}), "missing", (field,))


def test_refuses_wrong_types(exercise):
    """refuses a card_id that is a number and a sale_date that is not a date"""
    _both(exercise.Listing, _edit(RAW, card_id=151), "string_type", ("card_id",))
    for day in ("last week", "2024-02-30", "14/02/2021"):
        _both(
            exercise.Listing,
            _edit(GRADED, sale_date=day),
            "date_from_datetime_parsing",
            ("sale_date",),
        )


def test_refuses_card_ids_of_the_wrong_shape(exercise):
    """refuses a card_id not shaped like "base1-4" (string_pattern_mismatch)"""
    for card_id in ("Charizard", "base1", "base1-", "4/102", "base1-4 ", ""):
        _both(
            exercise.Listing,
            _edit(GRADED, card_id=card_id),
            "string_pattern_mismatch",
            ("card_id",),
            why="A card_id must match CARD_ID_PATTERN: Field(pattern=CARD_ID_PATTERN).",
        )


def test_refuses_grades_that_are_not_numbers(exercise):
    """refuses a grade sent as text or a boolean (rejects lax mode reading "9" as 9.0)"""
    why = (
        'In lax mode Pydantic reads the text "9" as 9.0 and true as 1.0 (a PSA 1!). The '
        "contract says a grade is a JSON number: Field(strict=True) refuses anything else "
        "with float_type."
    )
    for grade in ("9", "nine", "8.5", True, False, [9]):
        _both(
            exercise.Listing, _edit(GRADED, psa_grade=grade), "float_type", ("psa_grade",), why=why
        )


def test_refuses_nan_and_infinity(exercise):
    """refuses NaN, inf and -inf grades with finite_number (rejects float without allow_inf_nan)"""
    why = (
        "NaN and infinity are floats, so a float field takes them; bounds refuse them only by "
        "accident, with a misleading error (NaN is not 'less than or equal to 10'). Declare "
        "the grade with Field(allow_inf_nan=False)."
    )
    for grade in (math.nan, math.inf, -math.inf):
        _refused(
            exercise.Listing,
            _edit(GRADED, psa_grade=grade),
            "finite_number",
            ("psa_grade",),
            why=why,
        )
    for literal in ("NaN", "Infinity", "-Infinity"):
        text = json.dumps(_edit(GRADED, psa_grade=0.0)).replace("0.0", literal)
        _refused(exercise.Listing, text, "finite_number", ("psa_grade",), as_json=True, why=why)


def test_refuses_grades_out_of_range(exercise):
    """refuses grades above 10 (less_than_equal) and below 1 (greater_than_equal)"""
    why = "PSA grades run from 1 to 10: bound the field with Field(ge=1, le=10)."
    for grade in (11, 10.5, 100):
        _both(
            exercise.Listing,
            _edit(GRADED, psa_grade=grade),
            "less_than_equal",
            ("psa_grade",),
            why=why,
        )
    for grade in (0, 0.5, -3):
        _both(
            exercise.Listing,
            _edit(GRADED, psa_grade=grade),
            "greater_than_equal",
            ("psa_grade",),
            why=why,
        )


def test_refuses_grades_psa_never_gives(exercise):
    """refuses a 9.5 or 7.25 with value_error (rejects ge=1, le=10 alone)"""
    why = (
        "PSA gives 1 to 8.5 by halves, then 9 and 10: no 9.5, nothing in between. Bounds "
        "cannot say that; a field_validator can: raise ValueError when the grade is not in "
        "PSA_GRADES."
    )
    for grade in (9.5, 7.25, 9.9, 1.1):
        _both(
            exercise.Listing, _edit(GRADED, psa_grade=grade), "value_error", ("psa_grade",), why=why
        )


def test_refuses_misspellings(exercise):
    """refuses a rarity, variant or condition not spelled exactly (rejects a str rarity)"""
    cases = [
        ("rarity", RAW, ("Rare Holo", "holo rare", "Holo Rare ", "Secret", "")),
        ("variant", RAW, ("First Edition", "normal", "Holo")),
        ("condition", RAW, ("Mint", "nm", "Near Mint", "")),
    ]
    for field, payload, values in cases:
        for value in values:
            _both(
                exercise.Listing,
                _edit(payload, **{field: value}),
                SPELLING,
                (field,),
                why=f"Only the exact spellings are valid: annotate {field} with its Literal.",
            )


def _clock_at(day: date) -> time_machine.travel:
    """The clock moved to midday UTC of day, after the learner's module was imported.

    A UTC destination also sets the local time zone to UTC while travelling, so date.today()
    and datetime.now(UTC).date() agree; midday keeps the date whatever the zone anyway.
    """
    return time_machine.travel(datetime(day.year, day.month, day.day, 12, tzinfo=UTC), tick=False)


def _today_accepted_tomorrow_refused(exercise, moved: bool) -> None:
    """With the clock already moved: today and earlier accepted, tomorrow and later refused."""
    today = date.today()  # the local date at the moved clock
    advice = (
        f"The clock was moved to {today} after your module was imported: a today read once "
        "(at import, or when the class was built) goes stale in a service that runs for "
        "weeks. Read date.today() inside the validator, each time a request is validated."
        if moved
        else "Compare with date.today(), read when the request is validated."
    )
    for day in (today, today - timedelta(days=1)):
        why = f"A sale dated today ({today}) or earlier has happened: accept it. " + advice
        for payload in (RAW, GRADED):
            _accepted(
                exercise.Listing, _edit(payload, sale_date=day.isoformat()), as_json=True, why=why
            )
        listing = _accepted(exercise.Listing, _edit(RAW, sale_date=day), why=why)
        assert listing.sale_date == day, (
            f"Listing read the sale_date {day!r} as {listing.sale_date!r}: keep it as sent."
        )
    why = (
        f"A sale date after today ({today}) has not happened yet: refuse it with a ValueError "
        "when sale_date > today. " + advice
    )
    for day in (today + timedelta(days=1), today + timedelta(days=400)):
        _both(
            exercise.Listing,
            _edit(GRADED, sale_date=day.isoformat()),
            "value_error",
            ("sale_date",),
            why=why,
        )


def test_refuses_future_sale_dates(exercise):
    """accepts today, refuses tomorrow (rejects a fixed date and an off-by-one comparison)"""
    with _clock_at(date.today()):
        _today_accepted_tomorrow_refused(exercise, moved=False)


def test_reads_today_when_validating(exercise):
    """reads today when a request is validated (rejects date.today() read once at import)"""
    real = date.today()
    for day in (real + timedelta(days=400), real - timedelta(days=400)):
        with _clock_at(day):
            _today_accepted_tomorrow_refused(exercise, moved=True)


def test_refuses_extra_fields(exercise):
    """refuses a field the model does not have (rejects ignoring it: a misspelt psa_grad)"""
    why = (
        'Pydantic ignores unknown fields by default: a misspelt "psa_grad" would vanish and '
        'the slab be priced as a raw card. Set model_config = ConfigDict(extra="forbid").'
    )
    cases = [
        (_edit(RAW, psa_grad=10), "psa_grad"),
        (_edit(GRADED, seller_note="mint, never played"), "seller_note"),
        (_edit(GRADED, price_usd=12000.0), "price_usd"),
    ]
    for payload, field in cases:
        _both(exercise.Listing, payload, "extra_forbidden", (field,), why=why)


def test_condition_or_grade(exercise):
    """needs exactly one of condition and psa_grade (value_error on the model itself)"""
    why = (
        "A copy is raw (a condition) or graded (a psa_grade), never both or neither. A rule "
        "across fields belongs in a model_validator, whose error has loc ()."
    )
    both = _edit(GRADED, condition="NM")
    neither = _edit(GRADED, psa_grade=...)
    nulls = _edit(GRADED, psa_grade=None, condition=None)
    for payload in (both, neither, nulls, _edit(RAW, psa_grade=10)):
        _both(exercise.Listing, payload, "value_error", (), why=why)


def _listings(count: int) -> list[dict]:
    rows = _real_rows()
    return [_edit(rows[i % len(rows)], card_id=f"set{i}-{i + 1}") for i in range(count)]


def test_batch_size(exercise):
    """Batch takes 1 to MAX_BATCH listings, in order; refuses 0 (too_short) and MAX_BATCH + 1"""
    most = exercise.MAX_BATCH
    for count in (1, most):
        sent = _listings(count)
        why = f"A batch of {count} valid listings is within 1 to MAX_BATCH ({most})."
        batch = _accepted(exercise.Batch, {"listings": sent}, why=why)
        _accepted(exercise.Batch, {"listings": sent}, as_json=True, why=why)
        kept = [listing.card_id for listing in batch.listings]
        assert kept == [listing["card_id"] for listing in sent], (
            f"A batch of {count} came back as card_ids {kept[:5]}…; keep the listings in the "
            "order they were sent."
        )
    _both(
        exercise.Batch,
        {"listings": []},
        "too_short",
        ("listings",),
        why="An empty batch asks for nothing: Field(min_length=1).",
    )
    _both(
        exercise.Batch,
        {"listings": _listings(most + 1)},
        "too_long",
        ("listings",),
        why=f"At most MAX_BATCH ({most}) listings: Field(max_length=MAX_BATCH).",
    )


def test_batch_errors_name_the_listing(exercise):
    """Batch locates a bad listing by position, and refuses extra fields"""
    sent = _listings(6)
    sent[3] = _edit(GRADED, psa_grade=9.5)
    _both(
        exercise.Batch,
        {"listings": sent},
        "value_error",
        ("listings", 3, "psa_grade"),
        why="Type listings as list[Listing]: each listing is validated by Listing.",
    )
    sent[3] = _edit(RAW, rarity="Rare Holo")
    _both(exercise.Batch, {"listings": sent}, SPELLING, ("listings", 3, "rarity"))
    _both(
        exercise.Batch,
        {"listings": _listings(2), "priority": "high"},
        "extra_forbidden",
        ("priority",),
        why='Batch refuses unknown fields too: extra="forbid".',
    )
