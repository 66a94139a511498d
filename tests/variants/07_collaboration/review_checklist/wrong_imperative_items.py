"""Wrong: every item is written as an instruction ('Check that ...'), not a yes/no question.

A review checklist that would have caught real bugs

PokéMarket's team has shipped the same kinds of mistakes more than once, and each time a
reviewer had approved the pull request: the diff looked fine, the bug was in what nobody
thought to ask. You are writing the review checklist that goes into every ML pull request's
template, so a reviewer asks those questions every time.

A checklist is worth its length only if each item is a question a reviewer can answer yes or
no by reading the change, about something specific they can point at (a split, a column, a
seed, a payload field), and if it would have caught a bug the team actually shipped. "Is the
code good?" catches nothing: every reviewer already thinks yes. Below is the team's incident
log. Read each story, decide what went wrong and in which AREA a reviewer could have caught
it, and write the question that would have stopped it. Some incidents are not ML problems at
all: no ML checklist is needed to catch them, and claiming them only pads the list.

Write:

- CHECKLIST: a list of Items. Each Item has
    - area: one of AREAS;
    - question: a yes/no question a reviewer answers by reading the change: it starts like
      one ("Is", "Are", "Does", "Do", "Has", "Can", "Will", ...), ends with "?", and names
      what to look at (at least three words that are not generic ones like "code", "good",
      "correct", "change" or "bug");
    - catches: the ids of the INCIDENTS it would have caught, at most 3, each one an incident
      of the item's area (an item may catch none: a checklist may also look ahead).
  The checklist has at least one item in every area, every ML incident is caught by at least
  one item, no item claims an incident that is not an ML problem, and no question appears
  twice.

Done when: the checklist covers every area, catches every ML incident with a question of the
right area, and every question is a specific yes/no question.

Stuck? Run `mlings hint`.
"""

from dataclasses import dataclass

AREAS = {
    "data": "the rows and values the model learns from: loading, units, joins, duplicates",
    "leakage": "information in training that the model will not have when it prices a listing",
    "evaluation": "a reported metric that does not measure what it claims to measure",
    "serving": "the endpoint and its inputs: what production sends, and what it accepts",
    "reproducibility": "a model or a result that cannot be produced again from the repository",
}

INCIDENTS = {
    "INC-01": "A pull request added `card_mean_price`, each card's mean sale price computed over "
    "the whole sales table. Validation MAE fell from $41 to $12 and the PR merged the same day. "
    "In production the MAE was $45: each sale's mean had included that sale's own price and "
    "every later one.",
    "INC-02": "A restyle made the 'Sell' button grey on dark mode. Sellers on dark mode could "
    "not find it, and new listings fell 8% for a day until someone noticed.",
    "INC-03": "A PR reported that the new gradient-boosted model cut MAE by 22% against the "
    "Ridge model. The new model's MAE came from a random 20% of all sales; the Ridge model's "
    "from the 2024 sales. Scored on the 2024 sales, the new model was 3% worse.",
    "INC-04": "The sales loader switched to a new scraper export. In it, Cardmarket prices are "
    "in euro cents ('1999' for €19.99), and the model trained on a fifth of its sales priced "
    "a hundred times too high. Nobody had compared the price distribution before and after.",
    "INC-05": "The nightly retraining split the data and fitted its model without a "
    "random_state. Two runs of the same commit differed by $6 of MAE, and an alert about a "
    "'regression' cost the team two days before they found the change was noise.",
    "INC-06": "The new /predict endpoint took any JSON body and passed it to the model. A "
    "client sent psa_grade as the string 'PSA 10' and a negative hp; the endpoint answered "
    "200 with a price of $0.00, which was shown to sellers.",
    "INC-07": "To encode card_id, a PR replaced each card by its mean log price, fitted on all "
    "sales before the train/test split. Test MAE looked 30% better than the old model; on "
    "new sales it was no better, because the test prices had been part of the encoding.",
    "INC-08": "The tuning PR tried 200 hyperparameter settings, picked the best on the "
    "validation split and reported that split's MAE, $31, as the error to expect. On the next "
    "month's sales the error was $40.",
    "INC-09": "A translation update swapped the currency symbols in the invoice emails: "
    "sellers in Germany were billed in '£'. Support answered 300 tickets that week.",
    "INC-10": "Training encoded condition as NM, LP, MP, HP and DMG, but the mobile app sent "
    "'Near Mint' and 'Lightly Played'. The one-hot encoder ignored the unknown values, and "
    "every app listing was priced as a card of no known condition for a month.",
    "INC-11": "A PR removed duplicate listings with drop_duplicates on card_id instead of "
    "listing_id. The training table shrank from 40,000 sales to 9,000 (one per card) and the "
    "model forgot every repeat sale; the PR's description gave no row counts.",
    "INC-12": "The price model in production had been trained in a notebook, from a CSV on "
    "its author's laptop that was later overwritten. When a bug needed a retrain, nobody could "
    "rebuild the model: no commit, data version or parameters had been recorded.",
}


@dataclass(frozen=True)
class Item:
    """One checklist question, its area, and the incidents it would have caught."""

    area: str
    question: str
    catches: tuple[str, ...] = ()


CHECKLIST: list[Item] = [
    Item(
        "data",
        "Check that duplicate sales are dropped on listing_id, with the row counts before and "
        "after stated in the PR.",
        ("INC-11",),
    ),
    Item(
        "data",
        "Compare the price distribution per platform (min, median, max in USD) of the new "
        "loader's output with the old one's.",
        ("INC-04",),
    ),
    Item(
        "leakage",
        "Make sure every per-card aggregate feature is computed only from sales dated before "
        "the sale it describes.",
        ("INC-01",),
    ),
    Item(
        "leakage",
        "Fit encoders, scalers and target encodings on the training rows only, after the "
        "train/test split.",
        ("INC-07",),
    ),
    Item(
        "evaluation",
        "Score the old and the new model on the same held-out rows, named by their dates.",
        ("INC-03",),
    ),
    Item(
        "evaluation",
        "Report the error on a test split that played no part in choosing the hyperparameters.",
        ("INC-08",),
    ),
    Item(
        "serving",
        "Verify the endpoint answers 422 to a wrongly typed or out-of-range field (a string "
        "psa_grade, a negative hp).",
        ("INC-06",),
    ),
    Item(
        "serving",
        "Test the endpoint with the condition and rarity spellings the app really sends.",
        ("INC-10",),
    ),
    Item(
        "reproducibility",
        "Set a random_state for the split and for every model in the training code.",
        ("INC-05",),
    ),
    Item(
        "reproducibility",
        "Record the commit, the data version and the parameters each trained model came from.",
        ("INC-12",),
    ),
]


def to_markdown(checklist: list[Item]) -> str:
    """The checklist as a PR template section, grouped by area (no need to change this)."""
    lines = ["## Review checklist"]
    for area in AREAS:
        questions = [item.question for item in checklist if item.area == area]
        if questions:
            lines += ["", f"### {area.capitalize()}", *(f"- [ ] {q}" for q in questions)]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(to_markdown(CHECKLIST))
    print("Incidents and the items that would have caught them:")
    for incident in INCIDENTS:
        items = [f"{i.area}#{n}" for n, i in enumerate(CHECKLIST, 1) if incident in i.catches]
        print(f"  {incident}: {', '.join(items) or '-'}")
