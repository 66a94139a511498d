"""The core's mutation score, per module: how many of mutmut's mutants the tests kill.

Too slow for CI (minutes per module on two cores). Needs the ``mutation`` extra
(``pip install -e ".[mutation]"``); mutmut's own settings, including which tests run, are in
pyproject's ``[tool.mutmut]``. Run it from anywhere:

    python bench/mutation.py [MODULE ...] [--max-children 2] [--keep] [--survivors]
    python bench/mutation.py engine.child watch --sample 20 [--seed 1]

MODULE is a dotted name under ``mlings`` (``reports``, ``engine.results``, ``grading``); none
means every core module. Each run starts from a fresh ``mutants/`` unless ``--keep`` is given, so
the score is never a leftover of an earlier run. The engine runs learner code in child
processes that import mlings afresh; ``mutants/`` goes first on their ``PYTHONPATH`` so they run
the mutated code too.

Killed counts mutants a test failed on, timed out on or crashed on. "no tests" are mutants of
functions no selected test calls: they count as survivors.

mutmut learns which tests reach a function by watching calls in its own process, so code that only
runs in a child process (the engine's children, the watch app driven by Textual) shows as "no
tests". ``--sample N`` scores such a module another way: it draws N of those mutants at random
(``--seed``), runs the module's slower test files (SLOW_TESTS) once with no mutant to prove they
pass, then once per drawn mutant with ``MUTANT_UNDER_TEST`` set (children inherit it), one at a
time so the machine's load cannot kill a mutant. The score is an estimate: it is printed with its
95% interval.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
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
# The test files that reach a module's code in child processes, for --sample.
ENGINE_TESTS = ("tests/test_engine.py", "tests/test_worker.py")
SLOW_TESTS = {m: ENGINE_TESTS for m in CORE if m.startswith("engine.")}
SLOW_TESTS["watch"] = ("tests/test_watch.py", "tests/test_tui.py")
SAMPLE_TIMEOUT = 900  # seconds for one mutant's run of the slow tests: longer counts as killed
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


def slow_run(files: tuple[str, ...], mutant: str) -> int | None:
    """Exit code of the slow tests with ``mutant`` switched on ("" for none); None on timeout."""
    env = {**os.environ, "MUTANT_UNDER_TEST": mutant, "PYTHONPATH": str(MUTANTS)}
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:randomly", "-p"]
    command += ["no:cacheprovider", *files]
    try:
        done = subprocess.run(
            command, cwd=MUTANTS, env=env, capture_output=True, timeout=SAMPLE_TIMEOUT
        )
    except subprocess.TimeoutExpired:
        return None
    return done.returncode


def wilson(killed: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% Wilson interval of a sampled kill rate."""
    rate = killed / total
    centre = (rate + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(rate * (1 - rate) / total + z * z / (4 * total * total))
    spread = half / (1 + z * z / total)
    return max(0.0, centre - spread), min(1.0, centre + spread)


def sample(chosen: list[str], size: int, seed: int) -> None:
    """Score the child-process modules on a random sample of their "no tests" mutants."""
    rng = random.Random(seed)
    proven: set[tuple[str, ...]] = set()
    print(f"\nsampled in the slow tests (seed {seed}):")
    for module in chosen:
        files = SLOW_TESTS.get(module)
        untested = sorted(n for n, s in statuses(module).items() if s == "no tests")
        if files is None or not untested:
            continue
        if files not in proven:
            if slow_run(files, "") != 0:
                sys.exit(f"{' '.join(files)} fail with no mutant: fix them before sampling")
            proven.add(files)
        drawn = rng.sample(untested, min(size, len(untested)))
        alive = [name for name in drawn if slow_run(files, name) == 0]
        killed = len(drawn) - len(alive)
        low, high = wilson(killed, len(drawn))
        rate = f"{100 * killed / len(drawn):.0f}%"
        interval = f"95% interval {100 * low:.0f} to {100 * high:.0f}%"
        print(
            f"{module:<18} {killed:>3} of {len(drawn):<3} killed ({rate}, {interval}) "
            f"of {len(untested)} mutants mutmut could not place"
        )
        for name in alive:
            print(f"    survived    {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("module", nargs="*", help="core modules to score (default: all)")
    parser.add_argument("--max-children", type=int, default=2, help="mutants tested at once")
    parser.add_argument("--keep", action="store_true", help="reuse mutants/ from the last run")
    parser.add_argument("--survivors", action="store_true", help="list the mutants left alive")
    parser.add_argument("--report-only", action="store_true", help="print the last run's scores")
    parser.add_argument("--sample", type=int, default=0, help="child-process mutants to run")
    parser.add_argument("--seed", type=int, default=1, help="which mutants --sample draws")
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
    if args.sample:
        sample(chosen, args.sample, args.seed)


if __name__ == "__main__":
    main()
