"""How fast commands that run no checks answer, against a bare ``import typer, rich``.

Each round runs, one after the other in fresh interpreters: ``python -c "import typer, rich"``
(the baseline: what any typer+rich tool pays before doing anything), a bare typer app with one
option (the floor of any typer command line), then ``mlings --help``,
``mlings list`` and ``mlings hint`` in a throwaway copy of the course. Interleaving the commands
in rounds means a busy machine slows them alike; the ratios are what to read, not the seconds.
Beside the wall-clock time it reports each command's CPU time (user + system, from the kernel's
accounting of the finished child), which a machine busy with other work disturbs far less.

    python bench/cli_startup.py [--runs 15]
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
    target.mkdir()
    for part in PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        else:
            shutil.copy2(source, target / part)
    return target


def seconds(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """(wall-clock, CPU) seconds of one run of the command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mlings-bench-") as folder:
        course = course_copy(Path(folder) / "course")
        # As on a learner's machine, compiled bytecode is kept (here in a folder of its own, even
        # where PYTHONDONTWRITEBYTECODE is set) and a first round, not counted, writes it.
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env |= {"NO_COLOR": "1", "TERM": "dumb", "PYTHONPYCACHEPREFIX": f"{folder}/pycache"}
        for command in COMMANDS.values():
            seconds(command, course, env)
        times: dict[str, list[float]] = {name: [] for name in COMMANDS}
        cpu: dict[str, list[float]] = {name: [] for name in COMMANDS}
        for _ in range(args.runs):
            for name, command in COMMANDS.items():
                wall, used = seconds(command, course, env)
                times[name].append(wall)
                cpu[name].append(used)
    baseline = statistics.median(times["import typer, rich"])
    cpu_baseline = statistics.median(cpu["import typer, rich"])
    print(
        f"{'command':<20} {'median':>9} {'p90':>9} {'vs baseline':>11}"
        f" {'CPU':>9} {'vs baseline':>11}"
    )
    for name, runs in times.items():
        median = statistics.median(runs)
        p90 = statistics.quantiles(runs, n=10, method="inclusive")[-1]
        used = statistics.median(cpu[name])
        print(
            f"{name:<20} {median * 1000:7.0f}ms {p90 * 1000:7.0f}ms {median / baseline:10.2f}x "
            f"{used * 1000:7.0f}ms {used / cpu_baseline:10.2f}x"
        )
    print(f"({args.runs} rounds; the mlings commands run in a fresh copy of the course)")


if __name__ == "__main__":
    main()
