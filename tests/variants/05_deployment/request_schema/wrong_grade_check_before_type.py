"""Wrong: the grade validator runs in mode="before", so text, NaN and 11 all get value_error.

Refuse bad requests at the door

PokéMarket's price suggestion is about to go live: a seller's app posts a listing as JSON and
gets a price back. The model answers anything it is given. Send it a PSA 9.5 (PSA never gives
one), a NaN grade, a rarity spelled "Rare Holo" or a sale dated next week, and it returns a
confident price for a card that cannot exist. So the service checks every request before the
model sees it, and the request model is where that happens: a Pydantic model that refuses bad
input with one precise error per problem, naming the field (`loc`) and the rule (`type`), so
the seller's app can tell its user exactly what to fix.

Most rules are types and constraints. A Literal refuses every other spelling; Field(ge=, le=)
bounds a number; Field(pattern=) shapes a text; extra="forbid" refuses a field the model does
not know (by default Pydantic drops it: a misspelt "psa_grad" would vanish, and the slab be
priced as a raw card). Three need care:

- Pydantic reads a float field leniently (lax mode): the text "9" becomes 9.0 and `true`
  becomes 1.0, a PSA 1. A grade is a JSON number: Field(strict=True) refuses text and booleans.
  Make that one field strict, not the whole model: FastAPI validates a request body as the
  dict parsed from its JSON, and a strict model refuses the ISO text of every date in a dict.
- NaN and infinity are floats too, and pass a float field unless Field(allow_inf_nan=False).
  Bounds alone still refuse them, but with a misleading error: NaN is "not <= 10".
- Rules no type can express go in validators, which raise ValueError: a field_validator for
  one field (a grade PSA does not give; a date after today, where "today" must be read when the
  request is validated, not once when the class is built), a model_validator for a rule that
  spans fields.

Write:

- Listing: one listing to price, with exactly these fields (any other field is refused):
    card_id     text like "base1-4" (matches CARD_ID_PATTERN); required
    rarity      exactly one of the Rarity spellings; required
    variant     exactly one of the Variant spellings; required
    sale_date   a date, or ISO text "2024-05-01" as JSON sends it; today or earlier; required
    condition   one of Condition for a raw copy; None or left out for a graded one
    psa_grade   a number in PSA_GRADES for a graded copy; None or left out for a raw one
  A listing has exactly one of condition and psa_grade. Values are kept as sent: a valid
  psa_grade of 8 or 8.5 reads back as 8.0 or 8.5, sale_date as a datetime.date.
- Batch: {"listings": [...]}, 1 to MAX_BATCH listings kept in order; any other field is refused.

A request with one problem gets exactly one error, with this `type` and `loc` (as listed by
ValidationError.errors(); loc () is the model itself, f the field concerned):

    problem                                       type                        loc
    a required field left out                     missing                     (f,)
    card_id that is not text (151)                string_type                 ("card_id",)
    card_id not shaped like an id ("Charizard")   string_pattern_mismatch     ("card_id",)
    rarity, variant or condition misspelt         literal_error (or enum)     (f,)
    psa_grade as text ("9", "nine"), true, false  float_type                  ("psa_grade",)
    psa_grade NaN, inf or -inf                    finite_number               ("psa_grade",)
    psa_grade above 10 (11)                       less_than_equal             ("psa_grade",)
    psa_grade below 1 (0)                         greater_than_equal          ("psa_grade",)
    psa_grade PSA does not give (9.5, 7.25)       value_error                 ("psa_grade",)
    sale_date that is not a date ("last week")    date_from_datetime_parsing  ("sale_date",)
    sale_date after today (tomorrow)              value_error                 ("sale_date",)
    a field the model does not have               extra_forbidden             (that field,)
    both condition and psa_grade, or neither      value_error                 ()
    Batch with no listings                        too_short                   ("listings",)
    Batch with MAX_BATCH + 1 listings             too_long                    ("listings",)
    Batch with a bad listing at position i        that listing's type         ("listings", i, f)

Done when: every listing of the real sales data is accepted (every rarity, condition and PSA
grade, from a dict and from JSON), today is accepted and tomorrow refused, MAX_BATCH listings
pass and one more does not, and every bad request above gets its one error.

Stuck? Run `mlings hint`.
"""

from datetime import date
from typing import Literal, Self

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
CARD_ID_PATTERN = r"^[a-z0-9]+-[0-9]+$"  # <set_code>-<number>, as in data/cards.csv
MAX_BATCH = 100  # listings in one batch request


class Listing(BaseModel):
    """One listing a seller wants priced."""

    model_config = ConfigDict(extra="forbid")

    card_id: str = Field(pattern=CARD_ID_PATTERN)
    rarity: Rarity
    variant: Variant
    sale_date: date
    condition: Condition | None = None
    psa_grade: float | None = Field(None, strict=True, ge=1, le=10, allow_inf_nan=False)

    @field_validator("psa_grade", mode="before")
    @classmethod
    def grade_psa_gives(cls, grade: object) -> object:
        if grade is not None and grade not in PSA_GRADES:
            raise ValueError(f"PSA does not give a {grade}: grades are 1 to 8.5 in halves, 9, 10")
        return grade

    @field_validator("sale_date")
    @classmethod
    def not_in_future(cls, sale_date: date) -> date:
        if sale_date > date.today():
            raise ValueError(f"sale_date {sale_date} is after today")
        return sale_date

    @model_validator(mode="after")
    def raw_or_graded(self) -> Self:
        if (self.condition is None) == (self.psa_grade is None):
            raise ValueError("give exactly one of condition (raw copy) and psa_grade (graded)")
        return self


class Batch(BaseModel):
    """Up to MAX_BATCH listings priced in one request."""

    model_config = ConfigDict(extra="forbid")

    listings: list[Listing] = Field(min_length=1, max_length=MAX_BATCH)


if __name__ == "__main__":
    from pathlib import Path

    import pandas as pd
    from pydantic import ValidationError

    data = Path(__file__).resolve().parents[2] / "data"
    sales = pd.read_csv(data / "sales_clean.csv")
    fields = ["card_id", "rarity", "variant", "sale_date", "condition", "psa_grade"]
    records = sales[fields].astype(object).where(sales[fields].notna(), None).to_dict("records")
    listings = [Listing.model_validate(record) for record in records]
    print(f"accepted all {len(listings)} listings of sales_clean.csv")
    for size in (MAX_BATCH, MAX_BATCH + 1):
        try:
            Batch.model_validate({"listings": records[:size]})
            print(f"a batch of {size} listings: accepted")
        except ValidationError as error:
            print(f"a batch of {size} listings: refused, {error.errors()[0]['type']}")
    bad = {
        "card_id": "base1-4",
        "rarity": "Rare Holo",
        "variant": "Normal",
        "sale_date": "2031-01-01",
        "psa_grade": 9.5,
        "seller_note": "mint!",
    }
    try:
        Listing.model_validate(bad)
        print(f"accepted a listing with four problems: {bad}")
    except ValidationError as error:
        for problem in error.errors():
            print(f"refused: {problem['type']:<16} at {problem['loc']}: {problem['msg'][:60]}")
