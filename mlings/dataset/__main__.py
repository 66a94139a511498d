"""``python -m mlings.dataset [--check] [--data DIR]``: regenerate data/, or verify it."""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

from .build import FILES, build_dataset, write_dataset
from .files import csv_bytes
from .manifest import MANIFEST, changed_files, read_manifest, restore_message


def default_folder() -> Path:
    """data/ of the course this command runs in (else of the source tree it is installed from)."""
    from mlings.course import NotInCourse, find_root

    try:
        return find_root() / "data"
    except NotInCourse:
        return Path(__file__).resolve().parents[2] / "data"


def check(folder: Path) -> list[str]:
    """What is wrong with folder: files changed since MANIFEST, or a stale MANIFEST."""
    problems = []
    changed = changed_files(folder)
    if changed:
        problems.append(restore_message(changed))
    if (folder / MANIFEST).is_file():
        stored = read_manifest(folder)
        fresh = {n: hashlib.sha256(csv_bytes(f)).hexdigest() for n, f in build_dataset().items()}
        differ = sorted(name for name in FILES if fresh[name] != stored.get(name))
        if differ:
            problems.append(
                f"The generator no longer produces {', '.join(differ)} as in {MANIFEST}: "
                "regenerate with `python -m mlings.dataset` and commit data/."
            )
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mlings.dataset", description=__doc__)
    parser.add_argument("--check", action="store_true", help="verify data/, write nothing")
    parser.add_argument("--data", type=Path, default=None, help="the data folder (default: data/)")
    args = parser.parse_args(argv)
    folder = args.data or default_folder()
    if args.check:
        problems = check(folder)
        for problem in problems:
            print(problem, file=sys.stderr)
        if not problems:
            print(f"{folder}: every data file matches the generator and {MANIFEST}.")
        return 1 if problems else 0
    for path in write_dataset(folder):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
