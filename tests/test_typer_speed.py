"""The typer shortcut changes no value a command receives; it only skips pydantic where unneeded."""

from __future__ import annotations

import re
import subprocess
import sys

PROGRAM = """
import sys
from pathlib import Path
from typing import Annotated
import typer
from mlings import typer_speed

if sys.argv[1] == "shortcut":
    assert typer_speed.install() and typer_speed.install()  # a second install changes nothing
seen = []
app = typer.Typer()

@app.command()
def show(
    name: Annotated[str, typer.Argument()],
    where: Annotated[Path | None, typer.Option()] = None,
    count: Annotated[int | None, typer.Option()] = None,
    label: Annotated[str | None, typer.Option(callback=lambda v: f"<{v}>")] = None,
    loud: Annotated[bool, typer.Option("--loud")] = False,
):
    print(repr((name, where, count, label, loud)))

app(sys.argv[2:], standalone_mode=True)
"""

CALLS = [
    ["card"],
    ["card", "--where", "data", "--count", "3", "--label", "x", "--loud"],
    ["card", "--count", "three"],
    [],
]


def run(mode: str, args: list[str]) -> tuple[int, str, bool]:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", PROGRAM, mode, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    loaded_pydantic = re.search(r"\|\s+pydantic$", result.stderr, flags=re.MULTILINE) is not None
    errors = [line for line in result.stderr.splitlines() if not line.startswith("import time")]
    return result.returncode, result.stdout + "\n".join(errors), loaded_pydantic


def test_every_call_gets_the_same_values_and_errors_with_and_without_the_shortcut():
    codes = []
    for args in CALLS:
        plain_code, plain_out, _ = run("plain", args)
        fast_code, fast_out, _ = run("shortcut", args)
        assert (fast_code, fast_out) == (plain_code, plain_out), args
        codes.append(plain_code)
    assert codes == [0, 0, 2, 2]  # a bad number and a missing argument are refused alike


def test_the_shortcut_skips_pydantic_only_when_nothing_needs_coercing():
    assert run("plain", ["card"])[2]  # typer alone loads pydantic for a missing option
    assert not run("shortcut", ["card"])[2]
    assert not run("shortcut", ["card", "--label", "x", "--loud"])[2]
    assert run("shortcut", ["card", "--count", "3"])[2]  # an int is typer's to coerce
