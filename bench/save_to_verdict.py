"""Time from saving an exercise to its verdict on the watch screen, warm worker against cold.

Drives the real ``mlings watch`` in a pseudo-terminal on a throwaway copy of the course, saves
the exercise the way editors do (write a temporary file, rename it over the original), and
stops the clock when the new verdict appears on the screen. Saves alternate between the
reference solution and the untouched exercise, so every save changes the verdict.

    python bench/save_to_verdict.py [--saves 20] [--exercise NAME ...]

By default it measures a pandas-only exercise of Module 0 and a scikit-learn one of Module 4:
the cold path pays for importing what the check needs, so the ratio depends on the exercise.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pexpect

from mlings.course import load_course
from mlings.progress import Progress, Store

ROOT = Path(__file__).resolve().parents[1]
PARTS = ("info.toml", "exercises", "solutions", "mlings/checks", "mlings/lessons")


def course_copy(folder: Path, exercise: str) -> Path:
    """A throwaway course where ``exercise`` is current and its module unlocked."""
    for part in PARTS:
        source, target = ROOT / part, folder / part
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    course = load_course(folder)
    module = course.exercise(exercise).module
    earlier = [e.name for m in course.modules if m.id < module for e in m.exercises]
    done = dict.fromkeys(earlier, "2026-01-01T00:00:00+00:00")
    Store(folder).save(Progress(current=exercise, welcomed=True, done=done))
    return folder


def save(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.swp")
    temporary.write_text(text)
    os.replace(temporary, path)


def drain(watch: pexpect.spawn) -> None:
    """Forget what the screen showed so far, so only the next verdict can match."""
    while True:
        try:
            watch.read_nonblocking(1_000_000, timeout=0.05)
        except pexpect.TIMEOUT:
            break
    watch.buffer = ""


def measure(engine: str, exercise_name: str, saves: int) -> list[float]:
    """Seconds from each save to its verdict on screen."""
    course = load_course(ROOT)
    exercise = course.exercise(exercise_name)
    with tempfile.TemporaryDirectory(prefix="mlings-bench-") as folder:
        root = course_copy(Path(folder), exercise_name)
        target = root / exercise.path
        versions = [(root / exercise.solution).read_text(), target.read_text()]
        verdicts = ["✓ passed", "✗ failed"]
        env = {**os.environ, "MLINGS_ENGINE": engine, "TERM": "xterm-256color"}
        watch = pexpect.spawn(
            sys.executable,
            ["-m", "mlings", "watch"],
            cwd=str(root),
            env=env,
            dimensions=(60, 140),
            encoding="utf-8",
            timeout=60,
        )
        watch.expect("✗ failed")  # the first run, on start
        time.sleep(15)  # the warm worker imports the rest of the libraries while idle
        times = []
        for number in range(saves):
            time.sleep(0.3)
            drain(watch)
            started = time.perf_counter()
            save(target, versions[number % 2])
            watch.expect(verdicts[number % 2])
            times.append(time.perf_counter() - started)
        watch.send("q")
        watch.expect(pexpect.EOF)
    return times


def p90(times: list[float]) -> float:
    return statistics.quantiles(times, n=10, method="inclusive")[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=20)
    parser.add_argument("--exercise", nargs="+", default=["heuristic_baseline", "metrics_by_hand"])
    args = parser.parse_args()
    print(f"{args.saves} saves each, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"{'exercise':<20} {'engine':<6} {'median':>8} {'p90':>8}")
    for exercise in args.exercise:
        results = {engine: measure(engine, exercise, args.saves) for engine in ("warm", "cold")}
        for engine, times in results.items():
            median, slow = statistics.median(times) * 1000, p90(times) * 1000
            print(f"{exercise:<20} {engine:<6} {median:>6.0f}ms {slow:>6.0f}ms")
        ratio = statistics.median(results["cold"]) / statistics.median(results["warm"])
        print(f"{exercise:<20} cold / warm, median: {ratio:.1f}x")


if __name__ == "__main__":
    main()
