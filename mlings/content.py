"""Where the course content of the installed mlings is: catalog, exercises, solutions, data.

A wheel carries it in ``mlings/_course/`` (``setup.py`` copies it there at build time). An
editable install reads it where authors edit it: the repository root beside the package.
"""

from __future__ import annotations

from pathlib import Path

BUNDLED = "_course"
PARTS = ("info.toml", "exercises", "data")  # what a learner's folder gets (never solutions/)
RECORD = "workspace.json"  # in .mlings/ of a folder `mlings init` made: the files it wrote


def package_dir() -> Path:
    """The folder of the mlings package this module belongs to.

    Read from this file, not from ``importlib.resources.files("mlings")``: run as
    ``python -m mlings`` in a folder that holds a ``mlings/`` of its own (a course copy with
    ``mlings/checks``), the name ``mlings`` can resolve to that folder as a namespace package.
    """
    return Path(__file__).resolve().parent


def course_dir() -> Path | None:
    """The packaged course (a folder holding info.toml), or None when this install has none."""
    package = package_dir()
    for candidate in (package / BUNDLED, package.parent):
        if (candidate / "info.toml").is_file() and (candidate / "exercises").is_dir():
            return candidate
    return None


def is_source_checkout(root: Path) -> bool:
    """Whether ``root`` is the repository the imported package itself comes from."""
    try:
        return (root / "mlings").resolve() == package_dir().resolve()
    except OSError:
        return False


def packaged(relative: str | Path) -> Path | None:
    """``relative`` (e.g. ``solutions/01_data/02_x.py``) in the packaged course, if it is there."""
    course = course_dir()
    if course is None:
        return None
    path = course / relative
    return path if path.exists() else None
