"""Pristine copies of the exercises, so ``mlings reset`` can restore one and lose nothing.

The first time mlings sees an exercise file it copies it to ``.mlings/originals/``; a reset puts
that copy back and keeps the learner's version in ``.mlings/backups/`` with a timestamp.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from mlings.course import Course, Exercise
from mlings.progress import STATE_DIR, write_atomically

ORIGINALS = "originals"
BACKUPS = "backups"


def original_path(course: Course, exercise: Exercise) -> Path:
    return course.root / STATE_DIR / ORIGINALS / exercise.path


def snapshot(course: Course) -> None:
    """Copy every exercise that has no pristine copy yet."""
    for exercise in course.exercises:
        source = course.file(exercise.path)
        target = original_path(course, exercise)
        if source.is_file() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def reset(course: Course, exercise: Exercise) -> Path | None:
    """Restore the pristine exercise; returns where the learner's version was kept, if any.

    Raises FileNotFoundError when no pristine copy exists.
    """
    original = original_path(course, exercise)
    text = original.read_text(encoding="utf-8")
    current = course.file(exercise.path)
    kept = None
    if current.exists() and current.read_text(encoding="utf-8") != text:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        kept = course.root / STATE_DIR / BACKUPS / exercise.module / f"{current.stem}.{stamp}.py"
        kept.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(current, kept)
    current.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(current, text)
    return kept
