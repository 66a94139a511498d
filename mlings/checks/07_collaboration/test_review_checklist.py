"""Checks for 07_collaboration/07_review_checklist: a checklist whose specific yes/no questions
catch every ML incident of the log, each with an item of the incident's own area."""

import re

AREAS = ("data", "leakage", "evaluation", "serving", "reproducibility")
INCIDENT_AREAS = {  # the areas in which a reviewer could have caught each incident
    "INC-01": {"leakage"},  # a mean price over all history, the sale itself included
    "INC-02": set(),  # a button colour: not an ML problem
    "INC-03": {"evaluation"},  # two models scored on different splits
    "INC-04": {"data"},  # prices in cents from a new export
    "INC-05": {"reproducibility"},  # no random_state, runs differ
    "INC-06": {"serving"},  # an endpoint that accepts any JSON
    # INC-07 and INC-08 could fairly sit in two areas (the exercise says some incidents can)
    "INC-07": {"leakage", "evaluation"},  # a target encoding fitted before the split
    "INC-08": {"evaluation", "leakage"},  # tuned on the split whose score is reported
    "INC-09": set(),  # currency symbols in invoice emails: not an ML problem
    # the training rows were right ("data" is what the model learns from): what production
    # sent was not, and the endpoint accepted it
    "INC-10": {"serving"},  # the app's condition labels differ from training's
    "INC-11": {"data"},  # deduplicated on the wrong key
    "INC-12": {"reproducibility"},  # a notebook model nobody can rebuild
}
ML_INCIDENTS = [i for i, areas in INCIDENT_AREAS.items() if areas]
MOST_CATCHES = 3
YES_NO = re.compile(
    r"(is|are|does|do|did|has|have|had|can|could|will|would|was|were|should|shall|must|may)"
    r"(n't)?\b",
    re.IGNORECASE,
)
GENERIC = frozenset(  # words that name nothing a reviewer could point at
    re.findall(
        r"\S+",
        """a an the and or but if of to in on at by for with from as into than then that this
        these those it its it's there here any all every each some no not only also be been
        being is are was were does do did done has have had can could will would should shall
        must may might code change changes changed pr pull request requests good bad ok okay
        fine great nice right correct correctly proper properly well work works working bug
        bugs issue issues problem problems error errors mistake mistakes everything anything
        something nothing sure look looks looked reviewed review quality clean enough sense
        reasonable safe ml model models thing things stuff way make made check checked checks
        tested test tests handled handle ready approved fixed""",
    )
)


def _fields(item) -> tuple[object, object, object]:
    """(area, question, catches) of an Item (or of a plain 3-tuple)."""
    if all(hasattr(item, name) for name in ("area", "question", "catches")):
        return item.area, item.question, item.catches
    if isinstance(item, tuple | list) and len(item) == 3:
        return tuple(item)
    raise AssertionError(
        f"A checklist entry is {item!r}; each must be an Item(area, question, catches)."
    )


def _checklist(exercise) -> list[tuple[str, str, tuple[str, ...]]]:
    """The learner's checklist, well-formed: area, question, catches (a tuple of ids)."""
    checklist = getattr(exercise, "CHECKLIST", None)
    assert isinstance(checklist, list | tuple), (
        f"CHECKLIST is {type(checklist).__name__}; it must be a list of Items."
    )
    items = []
    for area, question, catches in map(_fields, checklist):
        assert area in AREAS, (
            f"The item {question!r} has area {area!r}; use one of {AREAS}. A problem outside "
            "them does not belong on an ML checklist."
        )
        assert isinstance(question, str) and question.strip(), (
            f"An item of area {area!r} has no question: write the question a reviewer asks."
        )
        if isinstance(catches, str):
            catches = (catches,)
        catches = tuple(catches)
        unknown = [c for c in catches if c not in INCIDENT_AREAS]
        assert not unknown, (
            f"The item {question!r} claims {unknown}, which are not incident ids; use the "
            f"keys of INCIDENTS ({', '.join(INCIDENT_AREAS)})."
        )
        items.append((area, question.strip(), catches))
    return items


def _content_words(question: str) -> list[str]:
    words = re.findall(r"[a-z0-9_]+(?:'[a-z]+)?", question.lower())
    return [w for w in words if w not in GENERIC and (len(w) >= 3 or w.isdigit())]


def _normal(question: str) -> str:
    return " ".join(re.findall(r"[a-z0-9_]+", question.lower()))


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _defined(exercise, area: str) -> str:
    """' (area: its definition in the exercise's AREAS)', or '' if it has none."""
    areas = getattr(exercise, "AREAS", None)
    definition = areas.get(area) if isinstance(areas, dict) else None
    return f" ({area}: {definition})" if isinstance(definition, str) else ""


def test_every_area_has_an_item(exercise):
    """the checklist has at least one item in every area (data, leakage, evaluation, ...)"""
    items = _checklist(exercise)
    covered = {area for area, _, _ in items}
    missing = [area for area in AREAS if area not in covered]
    assert not missing, (
        f"The checklist has no item for {', '.join(missing)}. Every ML change can go wrong "
        "there: ask at least one question in each area."
    )


def test_questions_are_yes_no(exercise):
    """each item is one yes/no question (rejects statements and open 'how/why' questions)"""
    items = _checklist(exercise)
    assert items, "CHECKLIST is empty: write its items."
    for _, question, _ in items:
        assert question.endswith("?") and question.count("?") == 1, (
            f"{question!r} is not one question: a checklist item is a single question "
            "ending with '?', which the reviewer answers yes or no."
        )
        assert YES_NO.match(question), (
            f"{question!r} cannot be answered yes or no: start it like a yes/no question "
            "(Is, Are, Does, Do, Has, Can, Will, ...). 'How' and 'why' questions get essays, "
            "not a decision."
        )


def test_questions_are_specific(exercise):
    """each question names what to look at (rejects vague ones like 'Is the code good?')"""
    for _, question, _ in _checklist(exercise):
        content = _content_words(question)
        assert len(content) >= 3, (
            f"{question!r} is too vague to answer by reading a diff: every reviewer already "
            "says yes to it. Name what to look at (a split, a column, a seed, a payload "
            f"field) - it has {len(content)} specific word(s): {content}."
        )


def test_items_catch_few_incidents(exercise):
    """no item claims more than 3 incidents (rejects one catch-all question)"""
    for _, question, catches in _checklist(exercise):
        claimed = sorted(set(catches))
        assert len(claimed) <= MOST_CATCHES, (
            f"{question!r} claims to catch {len(claimed)} incidents ({', '.join(claimed)}). "
            "A question that catches everything is too broad to catch anything: split it "
            f"into specific questions, at most {MOST_CATCHES} incidents each."
        )


def test_items_catch_incidents_of_their_area(exercise):
    """an item only claims incidents of its own area (rejects a question in the wrong area)"""
    for area, question, catches in _checklist(exercise):
        for incident in catches:
            areas = INCIDENT_AREAS[incident]
            if not areas:
                continue  # judged by the test on non-ML incidents
            assert area in areas, (
                f"The {area} item {question!r} claims {incident}, but {incident} is not "
                f"{_article(area)} {area} problem{_defined(exercise, area)}. Read it again and "
                "ask what went wrong first (see AREAS), then catch it with a question of that "
                "area."
            )


def test_no_item_claims_a_non_ml_incident(exercise):
    """no item claims an incident that is not an ML problem (rejects padding the list)"""
    for _, question, catches in _checklist(exercise):
        padded = [i for i in catches if not INCIDENT_AREAS[i]]
        assert not padded, (
            f"{question!r} claims {', '.join(padded)}, which no ML checklist needs to catch: "
            "it is not about the data, the features, the evaluation, serving or "
            "reproducibility. Leave it to the team that owns it."
        )


def test_every_ml_incident_is_caught(exercise):
    """every ML incident of the log is caught by an item of its area"""
    items = _checklist(exercise)
    caught = {
        incident
        for area, _, catches in items
        for incident in catches
        if area in INCIDENT_AREAS[incident]
    }
    missed = [i for i in ML_INCIDENTS if i not in caught]
    assert not missed, (
        f"No item of the right area catches {', '.join(missed)}. For each, ask what a "
        "reviewer could have seen in the pull request, and write that question (and list "
        "the incident in its catches)."
    )


def test_no_question_twice(exercise):
    """no question appears twice (rejects the same question in two areas)"""
    seen: set[str] = set()
    for _, question, _ in _checklist(exercise):
        assert _normal(question) not in seen, (
            f"The question {question!r} appears twice: ask it once, in the area where it "
            "belongs, and list every incident it catches there."
        )
        seen.add(_normal(question))
