"""How long ``mlings init`` takes, beside ``mlings --help`` run in the same rounds.

Each round runs ``mlings --help`` and then ``mlings init`` into a fresh folder, in fresh
interpreters, so a busy machine slows both alike. Reports the median wall-clock and CPU time
(user + system of the finished child) of each, and the size of what init wrote.

    python bench/init_time.py [--runs 7] [--mlings PATH]   # PATH: e.g. a wheel venv's bin/mlings
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--mlings", help="the mlings command to time (default: this Python's)")
    args = parser.parse_args()
    mlings = [args.mlings] if args.mlings else [sys.executable, "-m", "mlings"]
    times: dict[str, list[tuple[float, float]]] = {"mlings --help": [], "mlings init": []}
    with tempfile.TemporaryDirectory(prefix="mlings-init-bench-") as scratch:
        here = Path(scratch)
        for run in range(args.runs):
            times["mlings --help"].append(timed([*mlings, "--help"], here))
            times["mlings init"].append(timed([*mlings, "init", f"course{run}"], here))
            written = folder_bytes(here / f"course{run}")
            shutil.rmtree(here / f"course{run}")
    print(f"{args.runs} runs, {os.cpu_count()} cores; init writes {written / 1e6:.1f} MB")
    for name, runs in times.items():
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        print(f"{name:15} median {wall * 1000:7.0f} ms wall, {cpu * 1000:7.0f} ms CPU")


if __name__ == "__main__":
    main()
