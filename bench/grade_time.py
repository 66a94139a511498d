"""How long `mlings grade` takes on the reference capstone, against its 3-minute budget.

Grades solutions/08_capstone in a throwaway copy of the course (``--folder``), the way a learner's
grade runs: every section in the engine's children, two at a time, the model trained on the
course's sales and scored on held-out sales drawn from the seed. Beside it, in the same run, the
plain cost of one fresh interpreter importing the ML stack, so a slow machine shows as such.

    python bench/grade_time.py [--runs 1] [--seed 1]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PARTS = ("info.toml", "exercises", "solutions", "mlings/checks", "mlings/lessons", "data")
BUDGET = 180.0  # seconds, on a 2-core machine
IMPORTS = "import pandas, sklearn.ensemble, lightgbm, fastapi, mlflow"


def seconds(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, capture_output=True, check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mlings-bench-grade-") as folder:
        course = Path(folder)
        for part in PARTS:
            source = ROOT / part
            copy = shutil.copytree if source.is_dir() else shutil.copy2
            (course / part).parent.mkdir(parents=True, exist_ok=True)
            copy(source, course / part)
        grade = [sys.executable, "-m", "mlings", "grade", "--seed", str(args.seed)]
        grade += ["--folder", "solutions/08_capstone", "--format", "json"]
        grades, imports = [], []
        for _ in range(args.runs):
            imports.append(seconds([sys.executable, "-c", IMPORTS], course))
            grades.append(seconds(grade, course))
    grade_s, import_s = statistics.median(grades), statistics.median(imports)
    print(
        f"mlings grade (reference): {grade_s:6.1f} s   budget {BUDGET:.0f} s   "
        f"{grade_s / BUDGET:.0%} of it"
    )
    print(f"importing the ML stack:   {import_s:6.1f} s   (grade = {grade_s / import_s:.0f}x)")


if __name__ == "__main__":
    main()
