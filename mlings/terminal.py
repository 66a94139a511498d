"""What mlings needs to know about the terminal it runs in."""

from __future__ import annotations

import sys


def interactive() -> bool:
    """Whether both ends are a terminal (not CI, not a pipe)."""
    return sys.stdin.isatty() and sys.stdout.isatty()
