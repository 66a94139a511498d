"""An audit hook in each run's child: the learner's code may not touch the checks or the answers.

``sys.addaudithook`` hooks cannot be removed from Python code, so once installed (before the
learner's file is imported) every ``open``, rename, removal or truncation in the run's process
is vetted: nothing under the protected folders (the checks, the mlings package) may be written,
nothing under the hidden ones (the reference solutions) may be opened. It covers the Python
process only: a program the learner's code starts (``os.system("cat ...")``) is not vetted.
The runner's hash of the check file, taken before and after every run, is the backstop there.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mlings.engine.child import Request

WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
CHANGES = frozenset(
    {"os.rename", "os.remove", "os.rmdir", "os.truncate", "os.chmod", "os.link", "os.symlink"}
)


def _inside(path: object, folders: tuple[str, ...], follow: bool = False) -> bool:
    """Whether ``path`` lies in one of ``folders``.

    By its absolute name (no system call: this runs on every ``open``); ``follow`` resolves links
    too, for the rare events that make one. Links into the folders can't be made during a run,
    so only one made beforehand, by hand, would slip through.
    """
    if isinstance(path, int) or not folders:
        return False
    try:
        text = os.fsdecode(os.fspath(path))  # type: ignore[arg-type]
    except TypeError:
        return False
    full = os.path.realpath(text) if follow else os.path.abspath(text)
    return any(full == folder or full.startswith(folder + os.sep) for folder in folders)


def _writes(mode: object, flags: object) -> bool:
    if isinstance(mode, str) and any(c in mode for c in "wax+"):
        return True
    return isinstance(flags, int) and bool(flags & WRITING)


def _normal(path: object) -> str | None:
    """An absolute, normalised spelling of ``path`` without system calls; None for an fd."""
    if type(path) is not str:
        if isinstance(path, int):
            return None
        try:
            path = os.fsdecode(os.fspath(path))  # type: ignore[arg-type]
        except TypeError:
            return None
    assert isinstance(path, str)
    if path.startswith("/") and "/." not in path and "//" not in path:
        return path  # the common case, kept cheap: this runs on every open
    return os.path.abspath(path)


def install(request: Request) -> None:
    """Vet this process's file operations from now on (cannot be undone)."""
    protect = tuple({f for p in request.protect for f in (os.path.abspath(p), os.path.realpath(p))})
    hide = tuple({f for p in request.hide for f in (os.path.abspath(p), os.path.realpath(p))})
    if not protect and not hide:
        return
    # a path is inside a folder if it is the folder or starts with it and a separator
    protected = (frozenset(protect), tuple(f + os.sep for f in protect))
    hidden = (frozenset(hide), tuple(f + os.sep for f in hide))

    def within(full: str, folders: tuple[frozenset[str], tuple[str, ...]]) -> bool:
        return full in folders[0] or full.startswith(folders[1])

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event == "open":
            full = _normal(args[0])
            if full is None:
                return
            if hide and within(full, hidden):
                raise PermissionError(
                    "mlings: the reference solution can't be opened while the checks run"
                )
            if _writes(args[1], args[2]) and within(full, protected):
                raise PermissionError("mlings: the checks can't be changed while they run")
        elif event in CHANGES:
            targets = args[:2] if event in ("os.rename", "os.link", "os.symlink") else args[:1]
            if any(_inside(target, protect + hide, follow=True) for target in targets):
                raise PermissionError("mlings: the checks can't be changed while they run")

    sys.addaudithook(hook)
