"""How long one check run takes: the warm worker against a plain ``python -m pytest`` subprocess.

Runs one Module 0 exercise's hidden checks N times each way, in one process, and prints the
median and p90 per run and their ratio. The warm figure is the whole ``WarmEngine.run`` as the
tool calls it (fork, pytest, streamed results, verdict); the plain figure is what a runner without
a warm worker pays: a fresh interpreter running pytest on the same check file. The cold engine
(our fallback, a fresh interpreter with our own pytest setup) is shown too.

    python bench/run_latency.py [--runs 20] [--exercise heuristic_baseline]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from mlings.course import load_course
from mlings.engine.plugin import EXERCISE_ENV
from mlings.engine.runner import ColdEngine, Job, WarmEngine

ROOT = Path(__file__).resolve().parents[1]


def timed(action: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return times


def p90(times: list[float]) -> float:
    return statistics.quantiles(times, n=10, method="inclusive")[-1]


def plain_pytest(job: Job) -> Callable[[], object]:
    """``python -m pytest`` on the check, as a runner without a warm worker would call it."""
    env = {**os.environ, EXERCISE_ENV: str(job.exercise)}
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "mlings.engine.plugin",
        "-c",
        os.devnull,
        "--rootdir",
        str(job.check.parent),
        str(job.check),
    ]

    def run() -> object:
        return subprocess.run(command, env=env, capture_output=True, check=False, cwd=ROOT)

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--exercise", default="heuristic_baseline")
    args = parser.parse_args()

    course = load_course(ROOT)
    exercise = course.exercise(args.exercise)
    job = Job(exercise.name, course.file(exercise.path), course.check_file(exercise), ROOT)

    warm = WarmEngine()
    started = time.perf_counter()
    warm.start()
    first = warm.run(job)
    startup = time.perf_counter() - started
    assert first.status.value == "failed", first  # the untouched exercise, judged correctly
    time.sleep(15)  # the worker imports the rest of the libraries while idle; let it finish
    results = {
        "warm worker (fork per run)": timed(lambda: warm.run(job), args.runs),
        "cold engine (fresh python)": timed(lambda: ColdEngine().run(job), args.runs),
        "plain python -m pytest": timed(plain_pytest(job), args.runs),
    }
    warm.close()

    print(
        f"exercise {exercise.module}/{exercise.name}, {args.runs} runs each, "
        f"{os.cpu_count()} cores, Python {sys.version.split()[0]}"
    )
    print(f"warm worker start-up and first run: {startup * 1000:.0f} ms (once per session)")
    print(f"{'path':<28} {'median':>9} {'p90':>9}")
    for name, times in results.items():
        print(f"{name:<28} {statistics.median(times) * 1000:>7.0f}ms {p90(times) * 1000:>7.0f}ms")
    warm_median = statistics.median(results["warm worker (fork per run)"])
    plain_median = statistics.median(results["plain python -m pytest"])
    print(f"plain pytest / warm worker, median: {plain_median / warm_median:.1f}x")


if __name__ == "__main__":
    main()
