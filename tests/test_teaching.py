"""Lessons and hints teach the idea; they never hand out a line of an exercise's reference solution.

A line counts when the learner has to write it: it is in the solution but not in the exercise file,
and it is more than an import, a comment, a signature or a short trivial statement.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from mlings.course import Course, Exercise, load_course

PROJECT = Path(__file__).resolve().parents[1]
SKIPPED_STARTS = ("#", "import ", "from ", '"""', "def ", "class ", "@", "return None")
MIN_WORD_CHARACTERS = 20  # shorter lines (``return total``, ``model.fit(X, y)``) teach nothing away


@cache
def course() -> Course:
    return load_course(PROJECT)


def answer_lines(exercise: Exercise) -> list[str]:
    """The substantial lines the learner writes: in the solution, not in the exercise file."""
    root = course().root
    given = {line.strip() for line in (root / exercise.path).read_text().splitlines()}
    lines = []
    for line in (root / exercise.solution).read_text().splitlines():
        text = line.strip()
        if not text or text in given or text.startswith(SKIPPED_STARTS):
            continue
        if len(re.sub(r"\W", "", text)) >= MIN_WORD_CHARACTERS:
            lines.append(text)
    return lines


def stripped_lines(text: str) -> set[str]:
    return {line.strip() for line in text.splitlines()}


EXERCISES = [e for m in course().modules for e in m.exercises]


@pytest.mark.parametrize("exercise", EXERCISES, ids=[e.name for e in EXERCISES])
def test_no_lesson_or_hint_holds_a_line_of_the_solution(exercise: Exercise) -> None:
    lesson_file = course().lesson_file(exercise.module)
    lesson = stripped_lines(lesson_file.read_text()) if lesson_file.exists() else set()
    hints = stripped_lines("\n".join(exercise.hints))
    given_away = [
        f"{where}: {line}"
        for line in answer_lines(exercise)
        for where, text in (("lesson", lesson), ("hint", hints))
        if line in text
    ]
    assert not given_away, (
        f"{exercise.name}'s answer is printed in its {exercise.module} teaching: "
        + "; ".join(given_away)
    )
