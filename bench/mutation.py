"""The core's mutation score, per module: how many of mutmut's mutants the tests kill.

Too slow for CI (minutes per module on two cores). Needs the ``mutation`` extra
(``pip install -e ".[mutation]"``); mutmut's own settings, including which tests run, are in
pyproject's ``[tool.mutmut]``. Run it from anywhere:

    python bench/mutation.py [MODULE ...] [--max-children 2] [--keep] [--survivors]

MODULE is a dotted name under ``mlings`` (``reports``, ``engine.results``, ``grading``); none
means every core module. Each run starts from a fresh ``mutants/`` unless ``--keep`` is given, so
the score is never a leftover of an earlier run. The engine runs learner code in child
processes that import mlings afresh; ``mutants/`` goes first on their ``PYTHONPATH`` so they run
the mutated code too.

Killed counts mutants a test failed on, timed out on or crashed on. "no tests" are mutants of
functions no selected test calls: they count as survivors.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUTANTS = ROOT / "mutants"
CORE = (
    "engine.child",
    "engine.guard",
    "engine.plots",
    "engine.plugin",
    "engine.procs",
    "engine.results",
    "engine.runner",
    "engine.worker",
    "progress",
    "course",
    "watch",
    "reports",
    "grading.grade",
    "grading.report",
    "grading.rubric",
)
KILLED = {1: "killed", 3: "killed", 36: "timeout", -24: "timeout", 24: "timeout", 152: "timeout"}
KILLED |= {255: "timeout", 37: "type check", -11: "segfault", -9: "segfault"}
LEFT = {0: "survived", 5: "no tests", 33: "no tests", 34: "skipped", None: "not checked"}


def modules(names: list[str]) -> list[str]:
    """The core modules named (a package name stands for its modules), in CORE's order."""
    if not names:
        return list(CORE)
    chosen = [m for m in CORE if any(m == n or m.startswith(f"{n}.") for n in names)]
    unknown = [n for n in names if not any(m == n or m.startswith(f"{n}.") for m in CORE)]
    if unknown:
        sys.exit(f"not a core module: {', '.join(unknown)} (one of: {', '.join(CORE)})")
    return chosen


def statuses(module: str) -> dict[str, str]:
    """Each mutant of ``module`` and how it ended, from mutmut's metadata file."""
    meta = MUTANTS / "mlings" / f"{module.replace('.', '/')}.py.meta"
    if not meta.exists():
        return {}
    codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    return {name: KILLED.get(code) or LEFT.get(code, "suspicious") for name, code in codes.items()}


def run_mutmut(chosen: list[str], max_children: int) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(MUTANTS), os.environ.get("PYTHONPATH", "")]),
    }
    patterns = [f"mlings.{m}.*" for m in chosen]
    command = [
        sys.executable,
        "-m",
        "mutmut",
        "run",
        "--max-children",
        str(max_children),
        *patterns,
    ]
    print("$", " ".join(command), flush=True)
    subprocess.run(command, cwd=ROOT, env=env, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("module", nargs="*", help="core modules to score (default: all)")
    parser.add_argument("--max-children", type=int, default=2, help="mutants tested at once")
    parser.add_argument("--keep", action="store_true", help="reuse mutants/ from the last run")
    parser.add_argument("--survivors", action="store_true", help="list the mutants left alive")
    parser.add_argument("--report-only", action="store_true", help="print the last run's scores")
    args = parser.parse_args()
    chosen = modules(args.module)
    if not args.report_only:
        if not args.keep:
            shutil.rmtree(MUTANTS, ignore_errors=True)
        # Made before mutmut starts: a PYTHONPATH folder missing at start-up is never searched.
        MUTANTS.mkdir(exist_ok=True)
        run_mutmut(chosen, args.max_children)
    print(f"\n{'module':<18} {'killed':>7} {'total':>6} {'score':>7}  left alive")
    all_killed = all_total = 0
    for module in chosen:
        found = statuses(module)
        killed = sum(s in KILLED.values() for s in found.values())
        left = Counter(s for s in found.values() if s not in KILLED.values())
        score = f"{100 * killed / len(found):.1f}%" if found else "-"
        alive = ", ".join(f"{n} {s}" for s, n in sorted(left.items()))
        print(f"{module:<18} {killed:>7} {len(found):>6} {score:>7}  {alive}")
        all_killed, all_total = all_killed + killed, all_total + len(found)
        if args.survivors:
            for name, status in sorted(found.items()):
                if status not in KILLED.values():
                    print(f"    {status:<11} {name}")
    if all_total:
        print(f"{'all':<18} {all_killed:>7} {all_total:>6} {100 * all_killed / all_total:>6.1f}%")


if __name__ == "__main__":
    main()
