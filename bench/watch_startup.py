"""Time from starting ``mlings watch`` to the exercise's name on screen, and to its first verdict.

Spawns the real ``mlings watch`` in a pseudo-terminal on a fresh throwaway copy of the course
(the exercise current, its module unlocked, the welcome already seen) and stops two clocks: when
the title ``<module> · <exercise>`` first appears, and when the first verdict does (the untouched
exercise fails). Then it quits with ``q`` and waits for the process to end.

    python bench/watch_startup.py [--runs 7] [--exercise NAME ...] [--engine warm cold]
                                  [--code DIR [DIR ...]]

Each ``--code`` DIR is a checkout whose ``mlings`` runs (``PYTHONPATH=DIR``), on a course copied
from that DIR; the first DIR is the baseline. The runs are interleaved, one DIR after the other in
every round (the order rotating each round), after one discarded warm-up round.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from save_to_verdict import (
    ROOT,
    check_code,
    course_copy,
    label,
    load,
    p90,
    quit_watch,
    rotated,
    spawn_watch,
)

from mlings.course import load_course
from mlings.render import STATUS_STYLE

VERDICTS = [text for text, _ in STATUS_STYLE.values()]


def start(code: Path, exercise_name: str, engine: str) -> tuple[float, float]:
    """Seconds from spawning watch to the exercise's name on screen, and to the first verdict."""
    with tempfile.TemporaryDirectory(prefix="mlings-bench-") as folder:
        root = course_copy(code, Path(folder), exercise_name)
        exercise = load_course(root).exercise(exercise_name)
        title = f"{exercise.module} · {exercise.name}"
        started = time.perf_counter()
        watch = spawn_watch(code, root, engine)
        try:
            watch.expect_exact(title)
            named = time.perf_counter() - started
            watch.expect_exact(VERDICTS)
            verdict = time.perf_counter() - started
        finally:
            quit_watch(watch)
    return named, verdict


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--warmup", type=int, default=1, help="rounds run first and not counted")
    parser.add_argument("--exercise", nargs="+", default=["heuristic_baseline"])
    parser.add_argument("--engine", nargs="+", choices=("warm", "cold"), default=["warm"])
    parser.add_argument(
        "--code",
        nargs="+",
        type=Path,
        default=[ROOT],
        metavar="DIR",
        help="checkouts whose mlings to run; the first is the baseline (default: this one)",
    )
    args = parser.parse_args()
    codes = [code.resolve() for code in args.code]
    labels = {code: label(code) for code in codes}
    if len(set(labels.values())) < len(codes):
        labels = {code: str(code) for code in codes}
    with tempfile.TemporaryDirectory(prefix="mlings-bench-") as folder:
        for index, code in enumerate(codes):
            check_code(code, course_copy(code, Path(folder) / str(index), args.exercise[0]))
    print(f"{args.runs} runs each, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"load average at start: {load()}")
    for code in codes:
        print(f"code {labels[code]}: {code}")
    width = max(len(text) for text in labels.values())
    header = f"{'exercise':<20} {'engine':<6} {'code':<{width}}"
    print(f"{header} {'name':>8} {'p90':>8} {'verdict':>8} {'p90':>8}")
    base = codes[0]
    for exercise in args.exercise:
        for engine in args.engine:
            times: dict[Path, list[tuple[float, float]]] = {code: [] for code in codes}
            for number in range(args.warmup + args.runs):
                for code in rotated(codes, number):
                    named, verdict = start(code, exercise, engine)
                    if number >= args.warmup:
                        times[code].append((named, verdict))
                    time.sleep(0.5)  # the worker and its children leave
            medians = {}
            for code, runs in times.items():
                named = [run[0] for run in runs]
                verdict = [run[1] for run in runs]
                medians[code] = statistics.median(named), statistics.median(verdict)
                print(f"{exercise:<20} {engine:<6} {labels[code]:<{width}} ", end="")
                print(f"{medians[code][0] * 1000:>6.0f}ms {p90(named) * 1000:>6.0f}ms ", end="")
                print(f"{medians[code][1] * 1000:>6.0f}ms {p90(verdict) * 1000:>6.0f}ms")
            for code in codes[1:]:
                named = medians[code][0] / medians[base][0]
                verdict = medians[code][1] / medians[base][1]
                print(f"{exercise:<20} {engine:<6} {labels[code]} / {labels[base]}: ", end="")
                print(f"median to name {named:.2f}x, to verdict {verdict:.2f}x")
    print(f"load average at end: {load()}")


if __name__ == "__main__":
    main()
