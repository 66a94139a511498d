"""How fast commands that run no checks answer, against a bare ``import typer, rich``.

Each round runs, one after the other in fresh interpreters: ``python -c "import typer, rich"``
(the baseline: what any typer+rich tool pays before doing anything), a bare typer app with one
option (the floor of any typer command line), then ``mlings --help``,
``mlings list`` and ``mlings hint`` in a throwaway copy of the course. Interleaving the commands
in rounds means a busy machine slows them alike; the ratios are what to read, not the seconds.

    python bench/cli_startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The least any typer+rich command line pays: one command with one option, printing one line.
# typer 0.29 coerces option values through pydantic, so this floor includes importing pydantic.
TYPER_FLOOR = """
from pathlib import Path
import typer
from rich.console import Console
app = typer.Typer()
@app.command()
def hello(root: Path | None = typer.Option(None)):
    Console().print("hello")
app()
"""
COMMANDS = {
    "import typer, rich": [sys.executable, "-c", "import typer, rich"],
    "bare typer app": [sys.executable, "-c", TYPER_FLOOR],
    "mlings --help": [sys.executable, "-m", "mlings", "--help"],
    "mlings list": [sys.executable, "-m", "mlings", "list"],
    "mlings hint": [sys.executable, "-m", "mlings", "hint"],
}
PARTS = ("info.toml", "exercises", "solutions", "mlings/lessons", "data")


def course_copy(target: Path) -> Path:
    """A learner's copy of the course (no progress yet), so `hint` changes nothing real."""
    for part in PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        else:
            shutil.copy2(source, target / part)
    return target


def seconds(command: list[str], cwd: Path) -> float:
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb"}
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mlings-bench-") as folder:
        course = course_copy(Path(folder))
        times: dict[str, list[float]] = {name: [] for name in COMMANDS}
        for _ in range(args.runs):
            for name, command in COMMANDS.items():
                times[name].append(seconds(command, course))
    baseline = statistics.median(times["import typer, rich"])
    print(f"{'command':<20} {'median':>9} {'p90':>9} {'vs baseline':>11}")
    for name, runs in times.items():
        median = statistics.median(runs)
        p90 = statistics.quantiles(runs, n=10, method="inclusive")[-1]
        print(f"{name:<20} {median * 1000:7.0f}ms {p90 * 1000:7.0f}ms {median / baseline:10.2f}x")
    print(f"({args.runs} rounds; the mlings commands run in a fresh copy of the course)")


if __name__ == "__main__":
    main()
