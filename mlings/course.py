"""The course catalog: ``info.toml`` read and validated once into frozen dataclasses, plus gating.

A module unlocks when every exercise of the module before it in the learner's path is done.
"""

from __future__ import annotations

import contextlib
import difflib
import json
import os
import re
import tomllib
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlings import content
from mlings.progress import write_atomically

CATALOG = "info.toml"
DEFAULT_TIMEOUT = 15.0
DEFAULT_PATH = "complete"
NAME_PATTERN = re.compile(r"[a-z0-9_]{1,32}")
MODULE_PATTERN = re.compile(r"\d\d_[a-z0-9_]+")
TOP_FIELDS = {"format_version", "welcome_message", "final_message", "paths", "modules", "exercises"}
TOP_FIELDS |= {"checks_dir", "lessons_dir"}
MODULE_FIELDS = {"id", "title"}
EXERCISE_FIELDS = {"name", "module", "file", "hints", "timeout", "points", "rubric"}


class CatalogError(Exception):
    """info.toml is missing or wrong; the message names the place and what to change."""


class NotInCourse(Exception):
    """No course root was found from here."""


@dataclass(frozen=True)
class Exercise:
    """One exercise as the catalog describes it; paths are relative to the course root."""

    name: str
    module: str
    file: str
    hints: tuple[str, ...]
    timeout: float = DEFAULT_TIMEOUT
    points: int = 0
    rubric: str = ""

    @property
    def path(self) -> Path:
        return Path("exercises", self.module, self.file)

    @property
    def solution(self) -> Path:
        return Path("solutions", self.module, self.file)


@dataclass(frozen=True)
class Module:
    """A module: an id such as ``00_business``, a title and its exercises in order."""

    id: str
    title: str
    exercises: tuple[Exercise, ...]


@dataclass(frozen=True)
class Course:
    """The whole catalog, anchored at the course root."""

    root: Path
    welcome_message: str
    final_message: str
    modules: tuple[Module, ...]
    paths: dict[str, tuple[str, ...]]
    checks_dir: str = "mlings/checks"
    lessons_dir: str = "mlings/lessons"
    path_about: dict[str, str] = field(default_factory=dict)  # what each path is for
    path_open: dict[str, tuple[str, ...]] = field(default_factory=dict)  # open, not required

    @property
    def exercises(self) -> tuple[Exercise, ...]:
        return tuple(e for m in self.modules for e in m.exercises)

    def module(self, module_id: str) -> Module:
        for module in self.modules:
            if module.id == module_id:
                return module
        raise KeyError(module_id)

    def exercise(self, name: str) -> Exercise:
        """The exercise called ``name``; KeyError with a suggestion when there is none."""
        for exercise in self.exercises:
            if exercise.name == name:
                return exercise
        close = difflib.get_close_matches(name, [e.name for e in self.exercises], n=1)
        raise KeyError(close[0] if close else "")

    def file(self, relative: Path) -> Path:
        return self.root / relative

    def tool_dir(self, relative: str) -> Path:
        """A folder the catalog names (checks, lessons), as this course reads it.

        Folders inside the tool (``mlings/...``) come from the installed package, never from a
        learner's folder, unless the course root is the package's own source checkout.
        """
        if relative.startswith("mlings/") and not content.is_source_checkout(self.root):
            return content.package_dir().parent / relative
        return self.root / relative

    def check_file(self, exercise: Exercise) -> Path:
        return self.tool_dir(self.checks_dir) / exercise.module / f"test_{exercise.name}.py"

    def lesson_file(self, module_id: str) -> Path:
        return self.tool_dir(self.lessons_dir) / f"{module_id}.md"

    def solution_file(self, exercise: Exercise) -> Path:
        """The reference solution: the course's own, else the installed package's (a workspace).

        A learner's folder made by ``mlings init`` has no ``solutions/``; the package keeps them.
        """
        here = self.root / exercise.solution
        if here.exists():
            return here
        return content.packaged(exercise.solution) or here

    def path_modules(self, path: str) -> tuple[Module, ...]:
        """The modules of a learning path, in its order."""
        return tuple(self.module(m) for m in self.paths[path])


def find_root(explicit: str | Path | None = None, start: Path | None = None) -> Path:
    """The course root: ``explicit``, ``MLINGS_ROOT``, or the nearest folder up with info.toml."""
    chosen = explicit or os.environ.get("MLINGS_ROOT")
    if chosen:
        root = Path(chosen).expanduser().resolve()
        if not (root / CATALOG).is_file():
            raise NotInCourse(f"{root} has no {CATALOG}, so it is not an mlings course folder.")
        return root
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CATALOG).is_file():
            return folder
    raise NotInCourse(
        f"No {CATALOG} in {here} or any folder above it. Run mlings inside the course folder "
        "(make one with `mlings init`), or point to it with --root or MLINGS_ROOT."
    )


def load_course(root: Path, cache: Path | None = None) -> Course:
    """Read and validate ``root/info.toml``; ``cache`` keeps its parsed form between commands."""
    path = root / CATALOG
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogError(f"Cannot read {path}: {exc.strerror}.") from exc
    return _Validator(root, text).course(_parsed(text, cache))


def _parsed(text: str, cache: Path | None) -> dict[str, Any]:
    """The TOML of ``text``, from ``cache`` when it holds this very text.

    Parsing the catalog's long hint strings costs as much as the rest of `mlings list`; JSON
    reads fifty times faster. The cache is keyed on the text's length and CRC, and a cache that
    is missing, stale, unreadable or not writable only costs a parse.
    """
    key = f"{len(text)}:{zlib.crc32(text.encode())}"
    if cache is not None:
        try:
            stored = json.loads(cache.read_text(encoding="utf-8"))
            if stored["key"] == key:
                return stored["data"]
        except (OSError, ValueError, KeyError, TypeError):
            pass
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{CATALOG} is not valid TOML: {exc}.") from exc
    if cache is not None:
        with contextlib.suppress(OSError, TypeError, ValueError):  # dates don't go into JSON
            cache.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(cache, json.dumps({"key": key, "data": data}))
    return data


class _Validator:
    """Turns the parsed TOML into a Course, naming the exact place of any mistake."""

    def __init__(self, root: Path, text: str) -> None:
        self.root = root
        self.lines = text.splitlines()
        self._tables: dict[str, list[int]] = {}

    def _line_of_table(self, header: str, index: int) -> str:
        """Where the index-th ``header`` table starts, e.g. ``line 40`` (``?`` if not found)."""
        if header not in self._tables:
            self._tables[header] = [
                number for number, line in enumerate(self.lines, start=1) if line.strip() == header
            ]
        found = self._tables[header]
        return f"line {found[index]}" if index < len(found) else "?"

    def fail(self, where: str, message: str) -> CatalogError:
        return CatalogError(f"{CATALOG}, {where}: {message}")

    def _unknown(self, table: dict[str, Any], allowed: set[str], where: str) -> None:
        for key in table:
            if key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                raise self.fail(where, f"unknown field '{key}'{hint}.")

    def _text(self, table: dict[str, Any], key: str, where: str, default: str | None = None) -> str:
        value = table.get(key, default)
        if not isinstance(value, str) or (default is None and not value.strip()):
            raise self.fail(where, f"field '{key}' must be a non-empty string.")
        return value

    def course(self, data: dict[str, Any]) -> Course:
        self._unknown(data, TOP_FIELDS, "top level")
        if data.get("format_version") != 1:
            raise self.fail("top level", "field 'format_version' must be 1.")
        modules = self._modules(data.get("modules"))
        exercises = self._exercises(data.get("exercises"), {m for m, _ in modules})
        built = tuple(
            Module(mid, title, tuple(e for e in exercises if e.module == mid))
            for mid, title in modules
        )
        for index, module in enumerate(built):
            if not module.exercises:
                where = f"module '{module.id}' ({self._line_of_table('[[modules]]', index)})"
                raise self.fail(where, "has no exercises; add one or remove the module.")
        paths, about, open_ = self._paths(data.get("paths"), [m.id for m in built])
        return Course(
            root=self.root,
            welcome_message=self._text(data, "welcome_message", "top level", "").strip(),
            final_message=self._text(data, "final_message", "top level", "").strip(),
            modules=built,
            paths=paths,
            checks_dir=self._text(data, "checks_dir", "top level", "mlings/checks"),
            lessons_dir=self._text(data, "lessons_dir", "top level", "mlings/lessons"),
            path_about=about,
            path_open=open_,
        )

    def _modules(self, raw: Any) -> list[tuple[str, str]]:
        if not isinstance(raw, list) or not raw:
            raise self.fail("top level", "needs at least one [[modules]] table.")
        result: list[tuple[str, str]] = []
        for index, table in enumerate(raw):
            where = f"[[modules]] number {index + 1} ({self._line_of_table('[[modules]]', index)})"
            self._unknown(table, MODULE_FIELDS, where)
            module_id = self._text(table, "id", where)
            if not MODULE_PATTERN.fullmatch(module_id):
                raise self.fail(where, f"module id '{module_id}' must look like '01_data'.")
            if module_id in {m for m, _ in result}:
                raise self.fail(where, f"module id '{module_id}' is used twice.")
            result.append((module_id, self._text(table, "title", where)))
        return result

    def _exercises(self, raw: Any, module_ids: set[str]) -> list[Exercise]:
        if not isinstance(raw, list) or not raw:
            raise self.fail("top level", "needs at least one [[exercises]] table.")
        result: list[Exercise] = []
        names: set[str] = set()
        for index, table in enumerate(raw):
            label = table.get("name") if isinstance(table.get("name"), str) else index + 1
            line = self._line_of_table("[[exercises]]", index)
            where = f"exercise '{label}' ({line})"
            self._unknown(table, EXERCISE_FIELDS, where)
            result.append(self._exercise(table, where, module_ids, names))
        return result

    def _exercise(
        self, table: dict[str, Any], where: str, module_ids: set[str], names: set[str]
    ) -> Exercise:
        name = self._text(table, "name", where)
        if not NAME_PATTERN.fullmatch(name):
            raise self.fail(where, "field 'name' must be 1-32 characters of a-z, 0-9 and _.")
        if name in names:
            raise self.fail(where, f"the name '{name}' is used by an earlier exercise.")
        names.add(name)
        module = self._text(table, "module", where)
        if module not in module_ids:
            raise self.fail(where, f"module '{module}' is not declared in a [[modules]] table.")
        file = self._text(table, "file", where)
        if "/" in file or "\\" in file or not file.endswith(".py"):
            raise self.fail(where, "field 'file' must be a file name ending in .py, no folders.")
        hints = table.get("hints")
        if (
            not isinstance(hints, list)
            or not 2 <= len(hints) <= 3
            or not all(isinstance(h, str) and h.strip() for h in hints)
        ):
            raise self.fail(where, "field 'hints' must be a list of 2 or 3 non-empty strings.")
        timeout = table.get("timeout", DEFAULT_TIMEOUT)
        if (
            isinstance(timeout, bool)
            or not isinstance(timeout, int | float)
            or not (0 < timeout <= 600)
        ):
            raise self.fail(where, "field 'timeout' must be a number of seconds from 1 to 600.")
        points = table.get("points", 0)
        if isinstance(points, bool) or not isinstance(points, int) or points < 0:
            raise self.fail(where, "field 'points' must be a whole number, 0 or more.")
        rubric = self._text(table, "rubric", where, "")
        return Exercise(
            name, module, file, tuple(h.strip() for h in hints), float(timeout), points, rubric
        )

    def _paths(
        self, raw: Any, module_ids: list[str]
    ) -> tuple[dict[str, tuple[str, ...]], dict[str, str], dict[str, tuple[str, ...]]]:
        """Each path: its modules in order, what it is for, and modules open for review.

        A path is a list of module ids, or a table: ``modules`` (required, in order),
        ``open`` (reachable at any time, not required) and ``about`` (one sentence).
        """
        if raw is None:
            return {DEFAULT_PATH: tuple(module_ids)}, {}, {}
        if not isinstance(raw, dict) or not raw:
            raise self.fail("[paths]", "must map path names to lists of module ids.")
        paths: dict[str, tuple[str, ...]] = {}
        about: dict[str, str] = {}
        open_: dict[str, tuple[str, ...]] = {}
        for name, value in raw.items():
            where = f"[paths] '{name}'"
            table = value if isinstance(value, dict) else {"modules": value}
            self._unknown(table, {"modules", "open", "about"}, where)
            paths[name] = self._module_list(table.get("modules"), module_ids, where)
            if "open" in table:
                open_[name] = self._module_list(table["open"], module_ids, f"{where} open")
                if set(open_[name]) & set(paths[name]):
                    raise self.fail(where, "lists a module both as required and as open.")
            if "about" in table:
                about[name] = self._text(table, "about", where).strip()
        if DEFAULT_PATH not in paths:
            raise self.fail("[paths]", f"needs a '{DEFAULT_PATH}' path, the default.")
        return paths, about, open_

    def _module_list(self, modules: Any, module_ids: list[str], where: str) -> tuple[str, ...]:
        if not isinstance(modules, list) or not modules:
            raise self.fail(where, "must be a non-empty list of module ids.")
        for module in modules:
            if module not in module_ids:
                raise self.fail(where, f"names module '{module}', which does not exist.")
        if len(set(modules)) != len(modules):
            raise self.fail(where, "lists a module twice.")
        return tuple(modules)


@dataclass(frozen=True)
class Gate:
    """Which modules a learner may work on, given their path and what is done."""

    course: Course
    path: str
    done: frozenset[str]
    reopened: frozenset[str] = frozenset()  # passed once, then reset: still count for unlocking

    def module_done(self, module: Module) -> bool:
        """Whether the module counts as finished for unlocking the next one."""
        return all(e.name in self.done or e.name in self.reopened for e in module.exercises)

    def lock_reason(self, exercise: Exercise) -> str | None:
        """None when the exercise is open; else a sentence saying what unlocks it."""
        order = self.course.paths[self.path]
        if exercise.module in self.course.path_open.get(self.path, ()):
            return None  # open for review: reachable, never required
        if exercise.module not in order:
            return (
                f"Module {exercise.module} is not part of your learning path '{self.path}'. "
                "Switch paths with `mlings path NAME`."
            )
        position = order.index(exercise.module)
        for earlier in order[:position]:
            module = self.course.module(earlier)
            if not self.module_done(module):
                left = sum(
                    e.name not in self.done and e.name not in self.reopened
                    for e in module.exercises
                )
                return (
                    f"Module {exercise.module} is locked: finish module {module.id} "
                    f"({module.title}) first — {left} exercise(s) to go."
                )
        return None

    def unlocked(self, exercise: Exercise) -> bool:
        return self.lock_reason(exercise) is None

    def in_path(self) -> tuple[Exercise, ...]:
        return tuple(e for m in self.course.path_modules(self.path) for e in m.exercises)

    def next_pending(self, after: Exercise | None = None) -> Exercise | None:
        """The first unlocked, not-done exercise in path order (after ``after`` if given)."""
        exercises = self.in_path()
        start = exercises.index(after) + 1 if after in exercises else 0
        for exercise in (*exercises[start:], *exercises[:start]):
            if exercise.name not in self.done and self.unlocked(exercise):
                return exercise
        return None

    def newly_unlocked(self, before: Iterable[str]) -> tuple[Module, ...]:
        """Modules open now that were locked with only ``before`` done."""
        earlier = Gate(self.course, self.path, frozenset(before), self.reopened)
        return tuple(
            m
            for m in self.course.path_modules(self.path)
            if self.unlocked(m.exercises[0]) and not earlier.unlocked(m.exercises[0])
        )
