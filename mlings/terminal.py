"""The terminal for watch mode: single keypresses without Enter, always restored on exit."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import sys
import termios
import threading
import tty
from collections.abc import Callable, Iterator

KEY_NAMES = {
    "\x1b[A": "up",
    "\x1b[B": "down",
    "\x1b[C": "right",
    "\x1b[D": "left",
    "\x1bOA": "up",
    "\x1bOB": "down",
    "\r": "enter",
    "\n": "enter",
    "\x1b": "escape",
}


def interactive() -> bool:
    """Whether both ends are a terminal (not CI, not a pipe)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def split_keys(data: str) -> list[str]:
    """Turn what one read returned into keys: arrows and Enter by name, the rest as characters."""
    keys: list[str] = []
    i = 0
    while i < len(data):
        for sequence in ("\x1b[A", "\x1b[B", "\x1b[C", "\x1b[D", "\x1bOA", "\x1bOB"):
            if data.startswith(sequence, i):
                keys.append(KEY_NAMES[sequence])
                i += len(sequence)
                break
        else:
            char = data[i]
            keys.append(KEY_NAMES.get(char, char))
            i += 1
    return keys


@contextlib.contextmanager
def single_keys() -> Iterator[None]:
    """Put the terminal in cbreak mode (keys arrive at once, no echo) and always restore it.

    Ctrl-C still interrupts; SIGTERM and SIGHUP become a normal exit so the restore runs.
    """
    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)

    def leave(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = {sig: signal.signal(sig, leave) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        tty.setcbreak(fd)
        sys.stdout.write("\x1b[?25l")  # hide the cursor
        sys.stdout.flush()
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        sys.stdout.write("\x1b[?25h")
        sys.stdout.flush()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


class KeyReader:
    """A thread that hands every keypress to ``on_key`` until stopped."""

    def __init__(self, on_key: Callable[[str], None]) -> None:
        self._on_key = on_key
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="mlings-keys", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=1)

    def _loop(self) -> None:
        fd = sys.stdin.fileno()
        while not self._stop.is_set():
            readable, _, _ = select.select([fd], [], [], 0.1)
            if not readable:
                continue
            try:
                data = os.read(fd, 64)
            except OSError:
                return
            if not data:
                return
            for key in split_keys(data.decode(errors="replace")):
                self._on_key(key)
