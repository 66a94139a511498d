"""Figures a run drew, kept after its run folder is removed.

Learner code wrote these files, so none of them is trusted: links are never followed, anything
that is not a plain file is skipped, big files are skipped, only a few are kept, and a file that
cannot be read or written is skipped rather than failing the run.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
from collections import Counter
from pathlib import Path

PLOT_SUFFIXES = frozenset({".png", ".svg", ".jpg", ".jpeg", ".gif"})  # what a viewer can show
MAX_PLOTS = 8  # files kept per run
MAX_PLOT_BYTES = 10 * 2**20  # a bigger file is skipped
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def _is_plot(name: str) -> bool:
    return os.path.splitext(name)[1].lower() in PLOT_SUFFIXES


def find_plots(run_dir: Path) -> list[Path]:
    """Image files anywhere under ``run_dir``, in a stable order, never reached through a link."""
    found = []
    for folder, _, files in os.walk(run_dir, followlinks=False):  # errors: that folder is skipped
        found += [Path(folder, name) for name in files if _is_plot(name)]
    return sorted(found, key=lambda path: path.relative_to(run_dir).parts)


def _read_plot(path: Path) -> bytes | None:
    """The file's bytes if it is a plain file (not a link, pipe, ...) within the size cap."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_PLOT_BYTES:
            return None
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read(MAX_PLOT_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    return data if len(data) <= MAX_PLOT_BYTES else None  # it grew since fstat


def _empty(folder: Path) -> None:
    """Remove what ``folder`` holds (the folder itself stays); a missing folder is fine."""
    if folder.is_symlink():
        folder.unlink()
        return
    try:
        entries = list(folder.iterdir())
    except OSError:
        return
    for entry in entries:
        with contextlib.suppress(OSError):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()


def _safe(name: str) -> str:
    return _UNSAFE.sub("_", name)


def _names(plots: list[Path]) -> list[str]:
    """A distinct, filesystem-safe name per plot: its own name, prefixed by its folder on a clash.

    Two checks both saving ``residuals.png`` in their own ``tmp_path`` give
    ``test_one0-residuals.png`` and ``test_two0-residuals.png``; a clash left after that gets a
    counter.
    """
    counts = Counter(_safe(path.name) for path in plots)
    names: list[str] = []
    taken: set[str] = set()
    for path in plots:
        name = _safe(path.name)
        if counts[name] > 1:
            name = f"{_safe(path.parent.name)}-{name}"
        stem, suffix = os.path.splitext(name)
        number = 1
        while name in taken:
            number += 1
            name = f"{stem}-{number}{suffix}"
        taken.add(name)
        names.append(name)
    return names


def keep_plots(run_dir: Path, folder: Path) -> tuple[str, ...]:
    """Empty ``folder``, then copy the run's images into it; returns the kept files' paths.

    At most ``MAX_PLOTS`` are kept, in ``find_plots`` order. Never raises ``OSError``.
    """
    folder = Path(os.path.abspath(folder))
    with contextlib.suppress(OSError):
        _empty(folder)
    plots = find_plots(run_dir)
    kept: list[str] = []
    for path, name in zip(plots, _names(plots), strict=True):
        if len(kept) >= MAX_PLOTS:
            break
        data = _read_plot(path)
        if data is None:
            continue
        target = folder / name
        try:
            folder.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        except OSError:
            continue
        kept.append(str(target))
    return tuple(kept)
