"""A learner's course folder made from the installed package: ``mlings init`` and ``--update``.

The folder gets the catalog, the exercises and the data, never the reference solutions (they
stay in the package, for ``mlings solution`` after a pass). ``.mlings/workspace.json`` records
the hash of every file as mlings wrote it, so an update tells a learner's edit (kept) from a
file upstream changed (replaced). The record is the one file of ``.mlings/`` that git keeps, so
a clone of a class's repository can be updated too.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from mlings import ci, content
from mlings.app import UserError
from mlings.progress import STATE_DIR, write_atomically

RECORD = content.RECORD
ORIGINALS = "originals"  # as mlings.originals keeps them, for `mlings reset`
UPSTREAM = "upstream"  # in .mlings/: the course's new version of a file the learner changed
GITIGNORE = """\
# mlings keeps your progress in .mlings/ (never commit it), except the record of the course
# files `mlings init` wrote, which `mlings init --update` reads.
.mlings/*
!.mlings/workspace.json
__pycache__/
*.py[cod]
mlruns/
"""
SKIP = {"__pycache__", ".mlings"}
ALWAYS_RESTORED = "data/"  # data is the course's, not the learner's: an update puts it back


class WorkspaceError(UserError):
    """init or update cannot go on; the message says why and what to do."""


@dataclass
class Created:
    """What ``init`` wrote."""

    root: Path
    exercises: int
    modules: int
    data_files: int
    workflow: Path | None = None


@dataclass
class Updated:
    """What ``init --update`` changed, as paths relative to the course folder."""

    root: Path
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # edited by the learner, changed upstream
    gone: list[str] = field(default_factory=list)  # no longer in the course, left as they are
    workflow: Path | None = None

    @property
    def changed(self) -> bool:
        return bool(self.added or self.replaced or self.workflow)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def course_source() -> Path:
    """The packaged course; WorkspaceError when this install carries none."""
    source = content.course_dir()
    if source is None:
        raise WorkspaceError(
            "This install of mlings carries no course content. Reinstall it from the package "
            "index (`pip install --force-reinstall mlings`), then run `mlings init` again."
        )
    return source


def course_files(source: Path) -> dict[str, Path]:
    """Every file a learner's folder gets, by its posix path relative to the course folder."""
    found = {"info.toml": source / "info.toml"}
    for part in content.PARTS[1:]:
        for path in sorted((source / part).rglob("*")):
            relative = path.relative_to(source)
            if path.is_file() and not SKIP & set(relative.parts) and path.suffix != ".pyc":
                found[relative.as_posix()] = path
    return found


def _empty(folder: Path) -> bool:
    """No entries but perhaps ``.git`` (a freshly cloned, empty repository counts as empty)."""
    return all(entry.name == ".git" for entry in folder.iterdir())


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def _save_record(root: Path, hashes: dict[str, str]) -> None:
    from mlings.reports import course_version

    record = {"course_version": course_version(), "files": dict(sorted(hashes.items()))}
    path = root / STATE_DIR / RECORD
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, json.dumps(record, indent=1) + "\n")


def _load_record(root: Path) -> dict[str, str]:
    """The hashes init wrote ({} when the record is missing or unreadable)."""
    try:
        files = json.loads((root / STATE_DIR / RECORD).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}


def _write_workflow(root: Path, provider: str) -> Path:
    from mlings.reports import course_version

    path = root / ci.workflow_path(provider)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, ci.github_workflow(course_version()))
    return path


def _check_data(root: Path) -> int:
    """How many data files match data/MANIFEST; WorkspaceError when any does not."""
    from mlings.dataset.manifest import MANIFEST, changed_files, read_manifest

    folder = root / "data"
    if not (folder / MANIFEST).is_file():
        return 0
    changed = changed_files(root)
    if changed:
        raise WorkspaceError(
            f"The course data copied into {folder} does not match data/MANIFEST "
            f"({', '.join(changed)}). Reinstall mlings (`pip install --force-reinstall mlings`) "
            "and run `mlings init --update` there."
        )
    return len(read_manifest(folder))


def init(target: Path, ci_provider: str | None = None) -> Created:
    """Create a learner's course folder at ``target`` (missing, or empty but for ``.git``)."""
    source = course_source()
    target = target.expanduser().resolve()
    if target.exists() and not target.is_dir():
        raise WorkspaceError(f"{target} is a file. Name a new folder: `mlings init my-course`.")
    if target.is_dir() and not _empty(target):
        raise WorkspaceError(
            f"{target} is not empty, and `mlings init` never writes over files. Name a new "
            "folder (`mlings init my-course`), or, in a folder `mlings init` made, run "
            "`mlings init --update` to bring in the course's new exercises and fixes."
        )
    files = course_files(source)
    for relative, path in files.items():
        _copy(path, target / relative)
    write_atomically(target / ".gitignore", GITIGNORE)
    _save_record(target, {relative: _sha256(target / relative) for relative in files})
    data_files = _check_data(target)
    from mlings.course import load_course

    course = load_course(target)
    workflow = _write_workflow(target, ci_provider) if ci_provider else None
    return Created(target, len(course.exercises), len(course.modules), data_files, workflow)


def update(root: Path, ci_provider: str | None = None) -> Updated:
    """Bring the course folder at ``root`` up to the installed package's course.

    A file as init (or the last update) wrote it is replaced when upstream changed it; a file the
    learner changed is kept (an exercise's new original goes where ``mlings reset`` finds it);
    new files are added; data files always match the package afterwards.
    """
    source = course_source()
    root = root.resolve()
    if content.is_source_checkout(root) or root == source.resolve():
        raise WorkspaceError(
            f"{root} is the course's own repository, not a folder made by `mlings init`: update "
            "it with git (`git pull`)."
        )
    record = _load_record(root)
    hashes = dict(record)
    result = Updated(root)
    upstream = course_files(source)
    exercises = [r for r in upstream if r.startswith("exercises/") and r.endswith(".py")]
    if not record and not any((root / r).is_file() for r in exercises):
        raise WorkspaceError(
            f"{root} holds another course (none of this course's exercise files, and no "
            f"{STATE_DIR}/{RECORD}), so mlings leaves it alone. `mlings init FOLDER` makes a "
            "new course folder."
        )
    for relative, path in upstream.items():
        new = _sha256(path)
        here = root / relative
        if relative.startswith("exercises/"):
            _copy(path, root / STATE_DIR / ORIGINALS / relative)  # what `mlings reset` restores
        if not here.is_file():
            _copy(path, here)
            result.added.append(relative)
        elif (mine := _sha256(here)) == new:
            pass
        elif record.get(relative) == mine or relative.startswith(ALWAYS_RESTORED):
            _copy(path, here)
            result.replaced.append(relative)
        elif record.get(relative) == new:  # the learner's edit; the course did not change it
            continue
        else:
            if not relative.startswith("exercises/"):  # an exercise's goes to the originals
                _copy(path, root / STATE_DIR / UPSTREAM / relative)
            result.kept.append(relative)
            continue  # its record stays: still the learner's own
        hashes[relative] = new
    result.gone = sorted(set(record) - set(upstream))
    for relative in result.gone:
        hashes.pop(relative, None)
    if not (root / ".gitignore").exists():
        write_atomically(root / ".gitignore", GITIGNORE)
        result.added.append(".gitignore")
    _save_record(root, hashes)
    _check_data(root)
    if ci_provider:
        result.workflow = _write_workflow(root, ci_provider)
    return result
