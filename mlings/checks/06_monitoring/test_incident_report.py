"""Checks for 06_monitoring/08_incident_report: an incident report whose numbers are the data's."""

import functools
import numbers
import re

import numpy as np
import pandas as pd

from mlings.dataset import CENTS_BATCH, make_cards, make_drifted_slice

SECTIONS = ("Summary", "Impact", "Timeline", "Root cause", "Detection", "Fix", "Follow-ups")
PLACEHOLDERS = re.compile(
    r"\bTODO\b|\bTBD\b|\bFIXME\b|lorem ipsum|\.\.\.|…|<[A-Za-z][A-Za-z ]*>", re.IGNORECASE
)
REAL_ROWS = 228  # the cents batch of data/production_drifted.csv
CHECK_WORDS = re.compile(r"\b(checks?|tests?|alerts?|validations?|validates?)\b", re.IGNORECASE)


@functools.cache
def _case(name: str):
    """(sales as ingested, alert batch, detected_at, fixed_at) of one incident."""
    cards = make_cards(n=600)
    if name == "W36":  # the incident of the drifted slice
        sales = make_drifted_slice(cards, 5, n=1500)
        batch, delay, detected_time, fix_days = CENTS_BATCH, 7, "07:40", 1
        true = sales["price_usd"].where(sales["batch_id"] != batch, sales["price_usd"] / 100)
    else:  # the same break in another week, a batch without its Monday, shuffled rows
        sales = make_drifted_slice(cards, 8, n=1500)
        sales["price_usd"] = sales["price_usd"].where(
            sales["batch_id"] != CENTS_BATCH, (sales["price_usd"] / 100).round(2)
        )
        batch, delay, detected_time, fix_days = "2025-W31", 10, "13:20", 3
        rows = sales["batch_id"] == batch
        monday = sales["sale_date"] == sales.loc[rows, "sale_date"].min()
        keep = ~(rows & monday) & (np.random.default_rng(8).random(len(sales)) > 0.1)
        sales = sales[keep].copy()
        true = sales["price_usd"].copy()
        rows = sales["batch_id"] == batch
        sales.loc[rows, "price_usd"] = (sales.loc[rows, "price_usd"] * 100).round(2)
    noise = np.exp(np.random.default_rng(len(sales)).normal(0.0, 0.4, len(sales)))
    sales["predicted_usd"] = (true * noise).round(2)
    if name != "W36":
        sales = sales.sample(frac=1.0, random_state=8).reset_index(drop=True)
    first = sales.loc[sales["batch_id"] == batch, "sale_date"].min()
    detected = pd.Timestamp(f"{(first + pd.Timedelta(days=delay)).date()} {detected_time}")
    return sales, batch, detected, detected + pd.Timedelta(days=fix_days)


def _evidence(exercise, name: str):
    sales, batch, detected, fixed = _case(name)
    return exercise.Evidence(sales.copy(), batch, detected, fixed)


def _mae(sales: pd.DataFrame) -> float:
    return float(np.mean(np.abs(sales["price_usd"] - sales["predicted_usd"])))


@functools.cache
def _expected(name: str) -> dict:
    sales, batch, detected, _ = _case(name)
    rows = sales[sales["batch_id"] == batch]
    first = rows["sale_date"].min()
    return {
        "batch_id": batch,
        "rows_affected": len(rows),
        "first_sale": first.date().isoformat(),
        "last_sale": rows["sale_date"].max().date().isoformat(),
        "mae_before_usd": _mae(sales[sales["batch_id"] < batch]),
        "mae_during_usd": _mae(rows),
        "mae_after_usd": _mae(sales[sales["batch_id"] > batch]),
        "detection_delay_days": (detected - first).days,
    }


def _measure(exercise, name: str):
    got = exercise.measure(_evidence(exercise, name))
    missing = [key for key in _expected(name) if not hasattr(got, key)]
    assert not missing, (
        f"measure returned {type(got).__name__} without {', '.join(missing)}: return the "
        "IncidentNumbers, every field filled."
    )
    return got


def _typed_in(got, key: str, name: str) -> str:
    """A hint when a number is the W36 incident's although the evidence is another one."""
    value = getattr(got, key)
    if (name != "W36" and value == _expected("W36")[key]) or (
        key == "rows_affected" and value == REAL_ROWS
    ):
        return (
            " That is a number of another incident (the real W36 batch holds 228 sales), not "
            "of this evidence: compute every number from the evidence you are given."
        )
    return ""


def test_measure_counts_the_batch(exercise):
    """measure: the alert's batch, its rows and its first and last sale (rejects typed-in ones)"""
    for name in ("W36", "W31"):
        got = _measure(exercise, name)
        want = _expected(name)
        assert str(got.batch_id) == want["batch_id"], (
            f"measure(...).batch_id is {got.batch_id!r}; the alert named {want['batch_id']!r}."
            + _typed_in(got, "batch_id", name)
        )
        assert isinstance(got.rows_affected, numbers.Integral), (
            f"rows_affected is {got.rows_affected!r}; expected a whole number of sales (int)."
        )
        assert got.rows_affected == want["rows_affected"], (
            f"measure(...).rows_affected is {got.rows_affected}; batch {want['batch_id']} holds "
            f"{want['rows_affected']} sales." + _typed_in(got, "rows_affected", name)
        )
        dates = (str(got.first_sale), str(got.last_sale))
        wanted = (want["first_sale"], want["last_sale"])
        message = (
            f"measure gives the batch's first and last sale as {dates}; they are {wanted} "
            "(ISO dates, no time of day: .date().isoformat())."
        )
        if name != "W36":
            message += " The rows are in no particular order: take the min and the max."
        assert dates == wanted, message


def test_measure_mae_before_during_after(exercise):
    """measure: dollar MAE over all sales before, of and after the batch (rejects weekly means)"""
    for name in ("W36", "W31"):
        got = _measure(exercise, name)
        want = _expected(name)
        sales, batch, _, _ = _case(name)
        weekly = sales.groupby("batch_id")[["price_usd", "predicted_usd"]].apply(_mae)
        periods = {
            "mae_before_usd": weekly[weekly.index < batch],
            "mae_after_usd": weekly[weekly.index > batch],
        }
        for key in ("mae_before_usd", "mae_during_usd", "mae_after_usd"):
            value = float(getattr(got, key))
            message = f"measure(...).{key} is {value:.4f}; on this evidence it is {want[key]:.4f}."
            if key in periods and np.isclose(value, float(periods[key].mean())):
                message += (
                    " That is the mean of the weekly MAEs, which weighs a small batch like a "
                    "big one: take the MAE over all the sales of those batches together."
                )
            elif key == "mae_before_usd" and np.isclose(
                value, _mae(sales[sales["batch_id"] <= batch])
            ):
                message += " The batch itself is not 'before': compare batch ids with <."
            else:
                message += (
                    " The MAE is the mean of |price_usd - predicted_usd| over the sales of the "
                    "batches before the alert's batch, of that batch, and of the batches after."
                )
            assert np.isclose(value, want[key], rtol=1e-9, atol=1e-9), message + _typed_in(
                got, key, name
            )


def test_measure_detection_delay(exercise):
    """measure: whole days from the batch's first sale to detection (rejects the week's Monday)"""
    for name in ("W36", "W31"):
        got = _measure(exercise, name)
        want = _expected(name)
        delay = got.detection_delay_days
        assert isinstance(delay, numbers.Integral), (
            f"detection_delay_days is {delay!r}; expected a whole number of days (an int: "
            "a Timedelta's .days)."
        )
        message = (
            f"measure(...).detection_delay_days is {delay}; the batch's first sale was on "
            f"{want['first_sale']} and the alert came on {_case(name)[2]}: "
            f"{want['detection_delay_days']} whole days."
        )
        if delay == want["detection_delay_days"] + 1 and name != "W36":
            message += (
                " Count from the batch's first sale date, not from the Monday of its week "
                "(this batch has no Monday sales)."
            )
        assert delay == want["detection_delay_days"], message + _typed_in(
            got, "detection_delay_days", name
        )


@functools.cache
def _report(exercise, name: str) -> str:
    report = exercise.write_report(_evidence(exercise, name))
    assert isinstance(report, str), (
        f"write_report returned {type(report).__name__}; expected the Markdown text (a str)."
    )
    return report


def _sections(markdown: str) -> dict[str, str]:
    parts = re.split(r"^##[ \t]+(.+?)[ \t]*$", markdown, flags=re.MULTILINE)
    return {
        title.strip().lower(): text.strip()
        for title, text in zip(parts[1::2], parts[2::2], strict=True)
    }


def _section(exercise, name: str, title: str) -> str:
    sections = _sections(_report(exercise, name))
    assert title.lower() in sections, (
        f"The report has no '## {title}' section: write one '## <title>' header for each title "
        "of SECTIONS."
    )
    return sections[title.lower()]


def _dollars(text: str) -> list[float]:
    return [float(x.replace(",", "")) for x in re.findall(r"\$\s?(\d[\d,]*(?:\.\d+)?)", text)]


def _whole_numbers(text: str) -> list[int]:
    """Whole numbers of the text, leaving out dollar amounts, dates and batch ids."""
    text = re.sub(r"\$\s?\d[\d,]*(?:\.\d+)?|\d{4}-W\d{2}|\d{4}-\d{2}-\d{2}", " ", text)
    tokens = re.findall(r"(?<![\d.])\d{1,3}(?:,\d{3})+(?![\d])|(?<![\d.,])\d+(?![\d]|\.\d)", text)
    return [int(token.replace(",", "")) for token in tokens]


def test_report_has_every_section(exercise):
    """the report has a '## ' header for each of SECTIONS, in order, each with real text"""
    markdown = _report(exercise, "W36")
    titles = [t.strip().lower() for t in re.findall(r"^##[ \t]+(.+?)[ \t]*$", markdown, re.M)]
    missing = [title for title in SECTIONS if title.lower() not in titles]
    assert not missing, (
        f"The report has no section {', '.join(missing)}: write a '## <title>' header for "
        "every title of SECTIONS."
    )
    order = [title for title in titles if title in {s.lower() for s in SECTIONS}]
    assert order == [s.lower() for s in SECTIONS], (
        f"The report's sections come in the order {order}; write them in the order of SECTIONS."
    )
    for title in SECTIONS:
        text = _section(exercise, "W36", title)
        words = len(re.findall(r"[A-Za-z]{2,}", text))
        assert words >= 4, (
            f"The section {title!r} is (nearly) empty: {text!r}. Say what a reader needs to know."
        )
        placeholder = PLACEHOLDERS.search(text)
        assert placeholder is None, (
            f"The section {title!r} still holds a placeholder ({placeholder.group(0)!r}): "
            "replace it with real content."
        )


def test_report_shows_the_numbers(exercise):
    """each section shows its numbers: batch id, rows, dollar MAEs, dates, delay in days"""
    for name in ("W36", "W31"):
        want = _expected(name)
        _, batch, detected, fixed = _case(name)
        summary = _section(exercise, name, "Summary")
        assert batch in summary, f"The Summary does not name the batch {batch}."
        impact = _section(exercise, name, "Impact")
        typed = " (228 is the real W36 batch's count: count the evidence's rows)"
        assert want["rows_affected"] in _whole_numbers(impact), (
            f"The Impact section does not give the {want['rows_affected']} sales of batch "
            f"{batch}: {impact!r}" + (typed if "228" in impact else "")
        )
        shown = _dollars(impact)
        for key in ("mae_before_usd", "mae_during_usd", "mae_after_usd"):
            assert any(abs(x - want[key]) < 0.0051 for x in shown), (
                f"The Impact section does not show {key.removesuffix('_usd')} as "
                f"${want[key]:,.2f}, the value the evidence gives (dollars with cents, as "
                f"usd() writes them); it shows {[f'${x:,.2f}' for x in shown]}."
            )
        timeline = _section(exercise, name, "Timeline")
        dates = {
            "the batch's first sale": want["first_sale"],
            "the batch's last sale": want["last_sale"],
            "the detection": detected.date().isoformat(),
            "the fix": fixed.date().isoformat(),
        }
        for what, date in dates.items():
            assert date in timeline, (
                f"The Timeline does not give the date of {what}, {date} (ISO dates)."
            )
        detection = _section(exercise, name, "Detection")
        delays = [int(d) for d in re.findall(r"(\d+)\s*days?\b", detection, re.IGNORECASE)]
        assert want["detection_delay_days"] in delays, (
            f"The Detection section does not give the delay as "
            f"'{want['detection_delay_days']} days'; it says {detection!r}."
        )


def test_root_cause_names_the_cause(exercise):
    """the root cause is prices in cents from an upstream change (rejects 'the MAE went up')"""
    text = _section(exercise, "W36", "Root cause")
    lower = text.lower()
    message = f"The Root cause says {text!r}. "
    if "cent" not in lower:
        message += (
            "That describes what you saw, not why: the cause is that the prices arrived in "
            "cents. Say so (the word 'cents')."
        )
        raise AssertionError(message)
    assert "upstream" in lower or "schema" in lower, message + (
        "Say where the cents came from: a change upstream, in the supplier's feed's schema "
        "(the word 'upstream' or 'schema'), so the team knows what to fix."
    )


def _items(text: str) -> list[str]:
    items: list[str] = []
    for line in text.splitlines():
        bullet = re.match(r"\s*(?:[-*+]|\d+[.)])\s+(.*)", line)
        if bullet:
            items.append(bullet.group(1))
        elif items and line.strip():
            items[-1] += " " + line.strip()
    return items


def test_follow_ups_have_owners(exercise):
    """follow-ups: a list of actions, each with 'owner: ...', one adding an automated check"""
    text = _section(exercise, "W36", "Follow-ups")
    items = _items(text)
    assert items, (
        f"The Follow-ups section is not a Markdown list: {text!r}. Write one '- ' line per action."
    )
    for item in items:
        assert re.search(r"owner\s*:\s*\w", item, re.IGNORECASE), (
            f"The follow-up {item!r} has no owner. An action nobody owns does not happen: "
            "write 'owner: <team or person>' in every item."
        )
    assert any(CHECK_WORDS.search(item) for item in items), (
        f"No follow-up adds an automated check: {items}. Make sure it cannot happen silently "
        "again: a check, test, alert or validation that catches the next unit change."
    )
