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
WATCHED = CHANGES | {"open"}


def _inside(path: object, folders: tuple[str, ...]) -> bool:
    if isinstance(path, int) or not folders:
        return False
    try:
        text = os.fsdecode(os.fspath(path))  # type: ignore[arg-type]
    except TypeError:
        return False
    full = os.path.realpath(text)
    return any(full == folder or full.startswith(folder + os.sep) for folder in folders)


def _writes(mode: object, flags: object) -> bool:
    if isinstance(mode, str) and any(c in mode for c in "wax+"):
        return True
    return isinstance(flags, int) and bool(flags & WRITING)


def install(request: Request) -> None:
    """Vet this process's file operations from now on (cannot be undone)."""
    protect = tuple(os.path.realpath(p) for p in request.protect)
    hide = tuple(os.path.realpath(p) for p in request.hide)
    if not protect and not hide:
        return

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event not in WATCHED:
            return
        if event == "open":
            path, mode, flags = (*args, None, None, None)[:3]
            if _inside(path, hide):
                raise PermissionError(
                    "mlings: the reference solution can't be opened while the checks run"
                )
            if _writes(mode, flags) and _inside(path, protect):
                raise PermissionError("mlings: the checks can't be changed while they run")
            return
        targets = args[:2] if event in ("os.rename", "os.link", "os.symlink") else args[:1]
        if any(_inside(target, protect + hide) for target in targets):
            raise PermissionError("mlings: the checks can't be changed while they run")

    sys.addaudithook(hook)
