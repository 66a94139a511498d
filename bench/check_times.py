"""How long each exercise's check file takes on the warm worker, against its module's budget.

Runs every reference solution (the slow path: every check runs to the end) a few times, one at a
time, after the worker has finished its idle-time imports, and prints the median per exercise,
slowest first.

    python bench/check_times.py [--runs 3] [--module 03_training]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from mlings.course import load_course
from mlings.engine.runner import Job, WarmEngine

ROOT = Path(__file__).resolve().parents[1]
BUDGET = {
    "00_business": 1.0,
    "01_data": 2.0,
    "02_features": 2.0,
    "05_deployment": 3.0,
    "06_monitoring": 3.0,
    "07_collaboration": 3.0,
}
EXERCISE_BUDGET = {"load_test": 8.0}  # starts a real server
# seconds; other modules: 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--module")
    args = parser.parse_args()
    course = load_course(ROOT)
    exercises = [e for e in course.exercises if args.module in (None, e.module)]
    engine = WarmEngine()
    engine.start()
    first = exercises[0]
    engine.run(Job(first.name, course.file(first.solution), course.check_file(first), ROOT))
    time.sleep(15)  # let the worker finish importing the rest while idle
    rows = []
    for exercise in exercises:
        job = Job(
            exercise.name,
            course.file(exercise.solution),
            course.check_file(exercise),
            ROOT,
            timeout=exercise.timeout,
        )
        times = []
        for _ in range(args.runs):
            result = engine.run(job)
            assert result.passed, (exercise.name, result.status, result.message)
            times.append(result.duration)
        rows.append((statistics.median(times), exercise))
    engine.close()
    print(f"{'exercise':<38} {'median':>7} {'budget':>7}")
    for seconds, exercise in sorted(rows, key=lambda row: row[0], reverse=True):
        budget = EXERCISE_BUDGET.get(exercise.name, BUDGET.get(exercise.module, 5.0))
        flag = "" if seconds <= budget else "  OVER"
        print(f"{exercise.module + '/' + exercise.name:<38} {seconds:>6.2f}s {budget:>6.1f}s{flag}")


if __name__ == "__main__":
    main()
