"""Keeping a run's processes on a leash: parent-death signals, subreapers, markers, sweeps.

Every run carries a marker in its environment (``MLINGS_RUN=<tool pid>:<run id>``) that all the
processes it starts inherit, even one started in a new session. The child of a run is a
*subreaper*: anything its processes orphan is re-parented to it rather than to init, so at its
clean end it kills its whole descendant tree cheaply (one ``/proc`` file per process). When the
child did not end cleanly (killed at its timeout, crashed, cancelled) the supervisor sweeps
``/proc`` for the run's marker instead; at the next start, folders and processes whose owning
tool is gone are cleaned up too.

Everything here is Linux-specific and silently does nothing elsewhere (macOS has no
``prctl``, no ``/proc``): there the process group kill of the runner is the only cleanup.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

MARKER_ENV = "MLINGS_RUN"
PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36
TEMP_PREFIXES = ("mlings-run-", "mlings-worker-")  # followed by the owning tool's pid and "-"
SWEEP_ROUNDS = 20  # a fork bomb racing the sweep is caught within this many rounds


def _load_libc() -> ctypes.CDLL | None:
    """The C library's symbols, already in the process (loaded once: forks inherit it)."""
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


_libc = _load_libc()


def _prctl(option: int, value: int) -> bool:
    """Call prctl(2); False where it is unavailable (not Linux) or refused."""
    try:
        return _libc is not None and _libc.prctl(option, value, 0, 0, 0) == 0
    except AttributeError:  # no prctl: not Linux
        return False


def fresh_env(**extra: str) -> dict[str, str]:
    """The environment for a fresh Python process a check starts: none of the run's settings
    (``MLINGS_*``, ``PYTEST_*``) but the run's marker, so that the run's end ends it too."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MLINGS_", "PYTEST_"))}
    if MARKER_ENV in os.environ:
        env[MARKER_ENV] = os.environ[MARKER_ENV]
    return env | extra


def die_with_parent(sig: int, parent: int) -> None:
    """Have the kernel send ``sig`` when the process (thread) that started us ends.

    ``parent`` is the pid we expect as parent: if it is already gone (we were re-parented before
    the call), we end now rather than run unsupervised.
    """
    if _prctl(PR_SET_PDEATHSIG, sig) and os.getppid() != parent:
        os.kill(os.getpid(), sig)


def become_subreaper() -> bool:
    """Orphaned descendants become our children instead of init's (Linux 3.4+)."""
    return _prctl(PR_SET_CHILD_SUBREAPER, 1)


def children(pid: int) -> list[int]:
    """The direct children of ``pid`` (every thread's), from ``/proc``; [] if unknown."""
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for tid in tasks:
        with contextlib.suppress(OSError), open(f"/proc/{pid}/task/{tid}/children", "rb") as f:
            found.extend(int(part) for part in f.read().split())
    return found


def descendants(pid: int) -> list[int]:
    """Every process below ``pid``, parents before their children."""
    found: list[int] = []
    queue = children(pid)
    while queue:
        current = queue.pop(0)
        found.append(current)
        queue.extend(children(current))
    return found


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGKILL)


def kill_descendants() -> None:
    """Kill and reap everything below this process (a subreaper: orphans came back to us)."""
    me = os.getpid()
    for _ in range(SWEEP_ROUNDS):
        below = descendants(me)
        if not below:
            break
        for pid in below:
            _kill(pid)
        _reap()
    _reap()


def _reap() -> None:
    """Collect ended children so they stop showing in ``/proc`` (never blocks)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _marked(marker: bytes | None) -> Iterator[tuple[int, bytes]]:
    """(pid, marker value) of our processes carrying a run marker (a given one, or any)."""
    prefix = MARKER_ENV.encode() + b"="
    me = os.getpid()
    try:
        names = os.listdir("/proc")
    except OSError:
        return
    for name in names:
        if not name.isdigit() or int(name) == me:
            continue
        try:
            with open(f"/proc/{name}/environ", "rb") as handle:
                environ = handle.read()
        except OSError:
            continue
        for entry in environ.split(b"\0"):
            if entry.startswith(prefix):
                value = entry[len(prefix) :]
                if marker is None or value == marker:
                    yield int(name), value
                break


def kill_marked(marker: str) -> int:
    """Kill every process carrying ``marker``, until none is left; returns how many were seen."""
    seen: set[int] = set()
    for _ in range(SWEEP_ROUNDS):
        pids = [pid for pid, _ in _marked(marker.encode())]
        if not pids:
            break
        for pid in pids:
            seen.add(pid)
            _kill(pid)
    return len(seen)


def kill_marked_by(tool: int) -> None:
    """Kill every run process whose marker names ``tool`` as its owner."""
    for _ in range(SWEEP_ROUNDS):
        pids = [pid for pid, value in _marked(None) if owner(value) == tool]
        if not pids:
            break
        for pid in pids:
            _kill(pid)


def alive(pid: int) -> bool:
    """Whether a process ``pid`` exists (ours or not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def owner(marker: bytes | str) -> int | None:
    """The pid of the tool that owns a run marker or a temporary folder name."""
    text = marker.decode(errors="replace") if isinstance(marker, bytes) else marker
    head = text.split(":", 1)[0].split("-", 1)[0]
    return int(head) if head.isdigit() else None


def clean_stale() -> None:
    """Remove what a killed tool left: its runs' processes and its temporary folders.

    Only what belongs to a tool that is no longer running: a session running beside us keeps its
    own runs and folders.
    """
    for pid, value in list(_marked(None)):
        tool = owner(value)
        if tool is not None and tool != os.getpid() and not alive(tool):
            _kill(pid)
    with contextlib.suppress(OSError):
        for entry in os.scandir(tempfile.gettempdir()):
            prefix = next((p for p in TEMP_PREFIXES if entry.name.startswith(p)), None)
            if prefix is None or not entry.is_dir(follow_symlinks=False):
                continue
            tool = owner(entry.name[len(prefix) :])
            if tool is not None and tool != os.getpid() and not alive(tool):
                shutil.rmtree(entry.path, ignore_errors=True)


def temp_folder(prefix: str) -> Path:
    """A fresh temporary folder named after this tool's pid, so a later start can clean it."""
    return Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-"))


# --- memory per run --------------------------------------------------------------------------
# Where the machine gives us a writable cgroup v2 whose memory controller is delegated to its
# sub-groups, each run gets a group of its own with ``memory.max`` = the run's cap: all its
# processes together stay under it, and ``cgroup.kill`` ends every one of them. Elsewhere (cgroup
# v1, no delegation, macOS) there is no group and the cap stays per process: ``RLIMIT_DATA`` in
# each of the run's processes (see child.confine), so a run of N processes may use N times it.

CGROUP_ROOT = Path("/sys/fs/cgroup")


@functools.cache
def _delegated() -> Path | None:
    """Our own cgroup v2 folder, if it lets us make sub-groups with a memory limit."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
        own = next(line[3:] for line in lines if line.startswith("0::"))
        base = CGROUP_ROOT / own.lstrip("/")
        controllers = (base / "cgroup.subtree_control").read_text().split()
    except (OSError, StopIteration):
        return None
    return base if "memory" in controllers and os.access(base, os.W_OK) else None


def memory_group(marker: str, limit_bytes: int) -> Path | None:
    """A cgroup for one run capped at ``limit_bytes`` in all; None where none can be made."""
    base = _delegated()
    if base is None:
        return None
    group = base / f"mlings-run-{marker.replace(':', '-')}"
    try:
        group.mkdir()
        (group / "memory.max").write_text(f"{limit_bytes}\n")
    except OSError:
        return None
    with contextlib.suppress(OSError):
        (group / "memory.swap.max").write_text("0\n")
    return group


def join_group(group: str) -> None:
    """Move this process (and so all it starts) into a run's group."""
    if group:
        with contextlib.suppress(OSError):
            Path(group, "cgroup.procs").write_text(f"{os.getpid()}\n")


def remove_group(group: str) -> None:
    """Kill whatever is left in a run's group, then remove the group."""
    if not group:
        return
    folder = Path(group)
    try:
        (folder / "cgroup.kill").write_text("1\n")  # Linux 5.14+
    except OSError:
        with contextlib.suppress(OSError):
            for pid in (folder / "cgroup.procs").read_text().split():
                _kill(int(pid))
    for _ in range(SWEEP_ROUNDS):
        try:
            folder.rmdir()
            return
        except FileNotFoundError:
            return
        except OSError:
            time.sleep(0.01)
