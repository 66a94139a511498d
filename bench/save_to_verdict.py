"""Time from saving an exercise to its verdict on the watch screen, across code versions.

Drives the real ``mlings watch`` in a pseudo-terminal on a throwaway copy of the course, saves
the exercise the way editors do (write a temporary file, rename it over the original), and
stops the clock when the new verdict appears on the screen. Saves alternate between the
reference solution and the untouched exercise, so every save changes the verdict.

    python bench/save_to_verdict.py [--saves 20] [--exercise NAME ...] [--engine warm cold]
                                    [--code DIR [DIR ...]]

Each ``--code`` DIR is a checkout whose ``mlings`` runs (``PYTHONPATH=DIR``), on a course copied
from that DIR; the default is this checkout. The first DIR is the baseline the others are compared
with. One watch per DIR runs at the same time and the saves are interleaved, one DIR after the
other in every round (the order rotating every two rounds), so a busy machine slows them alike.

By default it measures a pandas-only exercise of Module 0 and a scikit-learn one of Module 4:
the cold path pays for importing what the check needs, so the ratio depends on the exercise.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pexpect

from mlings.course import load_course
from mlings.progress import Progress, Store

ROOT = Path(__file__).resolve().parents[1]
SEARCH_WINDOW = 4096  # characters; more than one read (pexpect reads at most 2,000 at a time)
PARTS = ("info.toml", "exercises", "solutions", "mlings/checks", "mlings/lessons")
VERDICTS = ("✓ passed", "✗ failed")  # the reference solution, then the untouched exercise
IDLE_SECONDS = 15  # the warm worker imports the rest of the libraries while idle


def label(code: Path) -> str:
    """The checkout's folder name and commit, ``+`` when its ``mlings`` has uncommitted changes."""
    try:
        commit = subprocess.run(
            ["git", "-C", str(code), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(code), "status", "--porcelain", "--", "mlings"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return code.name
    return f"{code.name}@{commit}{'+' if dirty else ''}"


def course_copy(code: Path, folder: Path, exercise: str) -> Path:
    """A throwaway course from ``code`` where ``exercise`` is current and its module unlocked."""
    for part in PARTS:
        source, target = code / part, folder / part
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


def child_env(code: Path, engine: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(code),
        "MLINGS_ENGINE": engine,
        "TERM": "xterm-256color",
    }


def check_code(code: Path, root: Path) -> None:
    """Fail loudly unless ``mlings`` in the course copy imports from ``code``."""
    found = subprocess.run(
        [sys.executable, "-c", "import mlings; print(mlings.__file__)"],
        cwd=root,
        env=child_env(code, "warm"),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not Path(found).resolve().is_relative_to(code.resolve()):
        sys.exit(f"mlings imports from {found}, not from {code}")


def spawn_watch(code: Path, root: Path, engine: str) -> pexpect.spawn:
    return pexpect.spawn(
        sys.executable,
        ["-m", "mlings", "watch"],
        cwd=str(root),
        env=child_env(code, engine),
        dimensions=(60, 140),
        encoding="utf-8",
        timeout=60,
    )


def quit_watch(watch: pexpect.spawn) -> None:
    watch.send("q")
    try:
        watch.expect(pexpect.EOF, timeout=15)
    except pexpect.TIMEOUT:
        watch.terminate(force=True)


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


def rotated(codes: list[Path], shift: int) -> list[Path]:
    shift %= len(codes)
    return codes[shift:] + codes[:shift]


def measure(
    engine: str, exercise_name: str, codes: list[Path], saves: int
) -> dict[Path, list[float]]:
    """Seconds from each save to its verdict on screen, per code version, saves interleaved."""
    with contextlib.ExitStack() as stack:
        targets, versions, watches = {}, {}, {}
        for code in codes:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="mlings-bench-"))
            root = course_copy(code, Path(folder), exercise_name)
            check_code(code, root)
            exercise = load_course(root).exercise(exercise_name)
            targets[code] = root / exercise.path
            versions[code] = [(root / exercise.solution).read_text(), targets[code].read_text()]
            watches[code] = spawn_watch(code, root, engine)
            stack.callback(quit_watch, watches[code])
        for code in codes:
            watches[code].expect(VERDICTS[1])  # the first run, on start
        time.sleep(IDLE_SECONDS)
        times: dict[Path, list[float]] = {code: [] for code in codes}
        for number in range(saves):
            for code in rotated(codes, number // 2):
                time.sleep(0.3)
                for watch in watches.values():
                    drain(watch)
                started = time.perf_counter()
                save(targets[code], versions[code][number % 2])
                # search only the newest output: a full-screen app sends far more bytes than a
                # terminal needs time to parse, and pexpect's regex over all of it would
                # compete with the check run for the CPU and be measured as the app's time
                watches[code].expect(VERDICTS[number % 2], searchwindowsize=SEARCH_WINDOW)
                times[code].append(time.perf_counter() - started)
    return times


def p90(times: list[float]) -> float:
    if len(times) < 2:
        return max(times)
    return statistics.quantiles(times, n=10, method="inclusive")[-1]


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=20)
    parser.add_argument("--exercise", nargs="+", default=["heuristic_baseline", "metrics_by_hand"])
    parser.add_argument("--engine", nargs="+", choices=("warm", "cold"), default=["warm", "cold"])
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
    print(f"{args.saves} saves each, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"load average at start: {load()}")
    for code in codes:
        print(f"code {labels[code]}: {code}")
    width = max(len(text) for text in labels.values())
    print(f"{'exercise':<20} {'engine':<6} {'code':<{width}} {'median':>8} {'p90':>8}")
    base = codes[0]
    for exercise in args.exercise:
        results = {engine: measure(engine, exercise, codes, args.saves) for engine in args.engine}
        for engine, by_code in results.items():
            for code, times in by_code.items():
                median, slow = statistics.median(times) * 1000, p90(times) * 1000
                print(f"{exercise:<20} {engine:<6} {labels[code]:<{width}} ", end="")
                print(f"{median:>6.0f}ms {slow:>6.0f}ms")
        for engine, by_code in results.items():
            for code in codes[1:]:
                median = statistics.median(by_code[code]) / statistics.median(by_code[base])
                slow = p90(by_code[code]) / p90(by_code[base])
                print(f"{exercise:<20} {engine:<6} {labels[code]} / {labels[base]}: ", end="")
                print(f"median {median:.2f}x, p90 {slow:.2f}x")
        if {"warm", "cold"} <= results.keys():
            for code in codes:
                ratio = statistics.median(results["cold"][code]) / statistics.median(
                    results["warm"][code]
                )
                print(f"{exercise:<20} {labels[code]} cold / warm, median: {ratio:.1f}x")
    print(f"load average at end: {load()}")


if __name__ == "__main__":
    main()
