"""Checks for 04_evaluation/08_model_card: a model card whose numbers the evaluation computed."""

import dataclasses
import functools
import re
from collections.abc import Mapping

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

from mlings.dataset import make_cards, make_sales

SECTIONS = (
    "Model details",
    "Intended use",
    "Out of scope",
    "Training data",
    "Evaluation data",
    "Metrics",
    "Limitations",
)
WRITTEN = ("Model details", "Intended use", "Out of scope", "Limitations")  # the learner's words
PLACEHOLDERS = re.compile(r"\bTODO\b|\bTBD\b|\bFIXME\b|lorem ipsum|\.\.\.|…", re.IGNORECASE)
CASES = {
    "2019-2022 -> 2023": (9, "2019-01-01", "2023-12-31", "2023-01-01"),
    "2017-2019 -> 2020": (10, "2017-01-01", "2020-12-31", "2020-01-01"),
}


@functools.cache
def _cards() -> pd.DataFrame:
    return make_cards(n=400)


@functools.cache
def _case(name: str):
    """A log-price model fitted on earlier sales, its training sales and later test sales."""
    seed, start, end, cutoff = CASES[name]
    sales = make_sales(_cards(), seed=seed, n=900, start=start, end=end)
    train = sales[sales["sale_date"] < cutoff].reset_index(drop=True)
    test = sales[sales["sale_date"] >= cutoff].sample(frac=1.0, random_state=seed)
    features = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore"), ["rarity", "variant", "condition"]),
        (SimpleImputer(strategy="constant", fill_value=0.0), ["psa_grade"]),
    )
    model = make_pipeline(features, Ridge(alpha=1.0))
    model.fit(train, np.log1p(train["price_usd"]))
    return model, train, test


def _metrics(model, train, test, *, scored=None, medians_from=None) -> dict[str, float]:
    """The card's metrics, computed by the check (optionally the wrong way, for hints)."""
    scored = test if scored is None else scored
    medians_from = train if medians_from is None else medians_from
    actual = scored["price_usd"].to_numpy(dtype=float)
    predicted = np.clip(np.expm1(model.predict(scored)), 0.0, None)
    medians = medians_from.groupby("rarity")["price_usd"].median()
    baseline = scored["rarity"].map(medians).fillna(medians_from["price_usd"].median())
    return {
        "mae_usd": float(np.mean(np.abs(actual - predicted))),
        "rmse_usd": float(np.sqrt(np.mean((actual - predicted) ** 2))),
        "baseline_mae_usd": float(np.mean(np.abs(actual - baseline.to_numpy(dtype=float)))),
    }


def _as_metrics(got, where: str) -> dict[str, float]:
    assert isinstance(got, Mapping), f"{where} is {got!r}; expected a dict of metrics."
    missing = {"mae_usd", "rmse_usd", "baseline_mae_usd"} - set(got)
    assert not missing, f"{where} has no {', '.join(sorted(missing))}."
    return {key: float(value) for key, value in got.items()}


def _compare(got: dict[str, float], name: str, where: str) -> None:
    model, train, test = _case(name)
    want = _metrics(model, train, test)
    on_train = _metrics(model, train, test, scored=train)
    peeked = _metrics(model, train, test, medians_from=test)
    log_errors = np.log1p(test["price_usd"].to_numpy()) - model.predict(test)
    for key, value in want.items():
        message = f"{where}[{key!r}] is {got[key]!r}; on these sales it is {value:.4f}."
        if got[key] == pytest.approx(on_train[key]):
            message += " That is measured on the TRAINING sales; a card reports the test sales."
        elif key == "baseline_mae_usd" and got[key] == pytest.approx(peeked[key]):
            message += (
                " That baseline's medians come from the test sales it is scored on: fit them "
                "on the training sales."
            )
        elif key == "mae_usd" and got[key] == pytest.approx(float(np.mean(np.abs(log_errors)))):
            message += " That is the MAE in log space: back-transform with np.expm1 first."
        assert got[key] == pytest.approx(value, rel=1e-6), message


def test_evaluate(exercise):
    """evaluate scores the model in dollars and the per-rarity baseline on the test sales"""
    for name in CASES:
        model, train, test = _case(name)
        got = _as_metrics(exercise.evaluate(model, train, test), "evaluate(...)")
        _compare(got, name, "evaluate(...)")


def test_summarize_data(exercise):
    """summarize_data gives the row count and the first and last sale dates as ISO dates"""
    _, train, _ = _case("2019-2022 -> 2023")
    got = exercise.summarize_data(train)
    first, last = train["sale_date"].min(), train["sale_date"].max()
    want = (len(train), first.date().isoformat(), last.date().isoformat())
    mine = (got.rows, str(got.first_sale), str(got.last_sale))
    assert mine == want, (
        f"summarize_data gave rows={mine[0]}, first_sale={mine[1]!r}, last_sale={mine[2]!r}; "
        f"expected rows={want[0]}, first_sale={want[1]!r}, last_sale={want[2]!r} (ISO dates, "
        "no time of day: .date().isoformat())."
    )


@functools.cache
def _card(exercise, name: str):
    model, train, test = _case(name)
    return exercise.build_card(model, train, test)


def test_card_numbers_come_from_the_evaluation(exercise):
    """the card's metrics equal the evaluation's on the data it is given (rejects typed-in ones)"""
    cards = {name: _as_metrics(_card(exercise, name).metrics, "card.metrics") for name in CASES}
    first, second = cards.values()
    assert first != second, (
        f"The card shows the same metrics {first} for two different sets of sales: they were "
        "typed in, not computed. Set metrics=evaluate(model, train, test) in build_card."
    )
    for name, got in cards.items():
        _compare(got, name, "card.metrics")


def test_card_describes_its_data(exercise):
    """the card's training and evaluation data are the sales it was built and scored on"""
    for name in CASES:
        card = _card(exercise, name)
        _, train, test = _case(name)
        for part, sales in (("training_data", train), ("evaluation_data", test)):
            got = getattr(card, part)
            want = (
                len(sales),
                sales["sale_date"].min().date().isoformat(),
                sales["sale_date"].max().date().isoformat(),
            )
            mine = (got.rows, str(got.first_sale), str(got.last_sale))
            other = train if sales is test else test
            message = f"card.{part} says {mine}; the {part.split('_')[0]} sales are {want}."
            if mine[0] == len(other):
                message += " Training and evaluation data are swapped."
            assert mine == want, message


def _sections(markdown: str) -> dict[str, str]:
    parts = re.split(r"^##\s+(.+?)\s*$", markdown, flags=re.MULTILINE)
    return {
        title.strip(): text.strip() for title, text in zip(parts[1::2], parts[2::2], strict=True)
    }


def test_card_has_every_section_filled(exercise):
    """the card has every required section, each with real content (no placeholders)"""
    card = _card(exercise, "2019-2022 -> 2023")
    markdown = exercise.to_markdown(card)
    sections = _sections(markdown)
    missing = [s for s in SECTIONS if s not in sections]
    assert not missing, (
        f"The rendered card has no section {', '.join(missing)}: keep to_markdown as given, "
        "and fill every part of the ModelCard."
    )
    for title in SECTIONS:
        text = sections[title]
        words = len(re.findall(r"[A-Za-z]{2,}", text))
        assert words >= (4 if title in WRITTEN else 1), (
            f"The section {title!r} is (nearly) empty: {text!r}. Say something a reviewer can use."
        )
        placeholder = PLACEHOLDERS.search(text)
        assert placeholder is None, (
            f"The section {title!r} still holds a placeholder ({placeholder.group(0)!r}): "
            "replace it with real content."
        )
    for part in ("out_of_scope", "limitations"):
        items = list(getattr(card, part))
        assert items and all(len(str(item).split()) >= 4 for item in items), (
            f"card.{part} is {items!r}; give at least one item, each a real sentence."
        )


def test_markdown_shows_the_computed_numbers(exercise):
    """the rendered card shows the MAE, RMSE and baseline MAE the evaluation computed"""
    model, train, test = _case("2017-2019 -> 2020")
    markdown = exercise.to_markdown(_card(exercise, "2017-2019 -> 2020"))
    for key, value in _metrics(model, train, test).items():
        assert f"${value:,.2f}" in markdown, (
            f"The rendered card does not show {key} as ${value:,.2f}, the value the "
            "evaluation computes on these sales."
        )
    fields = {f.name for f in dataclasses.fields(type(_card(exercise, "2017-2019 -> 2020")))}
    assert {"metrics", "training_data", "evaluation_data"} <= fields, (
        "The ModelCard lost some of its fields; keep the dataclass as given."
    )
