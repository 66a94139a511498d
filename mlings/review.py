"""Code review as data: a reviewer's findings, the defects planted in a change, and the grade.

Module 7's exercises ask for a review of a pull request as a list of `Finding`s; their checks hold
the planted `Defect`s and grade the list with `grade`: which defects were found (recall) and how
many findings point at a real defect (precision). `numbered` shows a unified diff with the line
numbers a finding names: the lines of the changed file after the change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

CATEGORIES = (
    "leakage",  # information the model will not have when it predicts
    "evaluation",  # a metric that does not measure what it claims
    "validation",  # input accepted that should be refused
    "reproducibility",  # a result that cannot be produced again
    "correctness",  # code that does not do what it says
    "security",  # secrets, unsafe loading, exposure
    "maintainability",  # hard to read, change or test
)
SEVERITIES = ("blocker", "major", "minor", "nit")  # most serious first


@dataclass(frozen=True)
class Finding:
    """One review comment: where (file and first/last line after the change), what, how bad."""

    file: str
    lines: tuple[int, int]
    category: str
    severity: str
    note: str


@dataclass(frozen=True)
class Defect:
    """A defect planted in a change: where, the categories that name it, its least severity."""

    id: str
    file: str
    lines: tuple[int, int]
    categories: frozenset[str]
    severity: str
    about: str  # what the defect is, for the author; never shown before the learner finds it

    def named_by(self, finding: Finding) -> bool:
        """Whether the finding points here: same file, lines overlapping, a fitting category."""
        try:
            first, last = (int(n) for n in finding.lines)
        except (TypeError, ValueError):  # malformed: problems() says so
            return False
        return (
            _same_file(str(finding.file), self.file)
            and first <= self.lines[1]  # lines beside a defect are not the defect
            and last >= self.lines[0]
            and finding.category in self.categories
        )


@dataclass(frozen=True)
class Grade:
    """How a list of findings compares with the planted defects."""

    found: dict[str, Finding] = field(default_factory=dict)  # defect id -> the finding naming it
    missed: tuple[Defect, ...] = ()
    false_alarms: tuple[Finding, ...] = ()  # findings that name no planted defect
    repeats: tuple[Finding, ...] = ()  # a second finding on a defect already found
    underrated: tuple[tuple[Defect, Finding], ...] = ()  # found, but rated less severe

    @property
    def recall(self) -> float:
        total = len(self.found) + len(self.missed)
        return len(self.found) / total if total else 1.0

    @property
    def precision(self) -> float:
        counted = len(self.found) + len(self.false_alarms)
        return len(self.found) / counted if counted else 0.0


def _same_file(given: str, planted: str) -> bool:
    """Paths compare as the diff names them, with or without git's a/ and b/ prefixes."""
    given = given.strip().replace("\\", "/").removeprefix("./")
    if given.startswith(("a/", "b/")) and not planted.startswith(("a/", "b/")):
        given = given[2:]
    return given == planted


def rank(severity: str) -> int:
    """0 for the most serious severity; unknown severities rank last."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


def problems(findings: Iterable[object], categories: Sequence[str] = CATEGORIES) -> list[str]:
    """Sentences about findings that are not well-formed, for the learner; empty when all are.

    ``categories`` are the names a finding may use (a smell hunt has its own).
    """
    found: list[str] = []
    for number, finding in enumerate(findings, start=1):
        if not isinstance(finding, Finding):
            found.append(f"finding {number} is a {type(finding).__name__}, not a Finding(...).")
            continue
        where = f"finding {number} ({finding.file} {finding.lines})"
        lines = finding.lines
        if not (
            isinstance(lines, tuple)
            and len(lines) == 2
            and all(isinstance(n, int) and n >= 1 for n in lines)
            and lines[0] <= lines[1]
        ):
            found.append(f"{where}: lines must be (first, last): numbers from 1, first <= last.")
        if finding.category not in categories:
            known = tuple(categories)
            found.append(f"{where}: category {finding.category!r} is not one of {known}.")
        if finding.severity not in SEVERITIES:
            found.append(f"{where}: severity {finding.severity!r} is not one of {SEVERITIES}.")
        if len(str(finding.note).split()) < 6:
            found.append(f"{where}: the note needs a sentence saying what breaks and why.")
    return found


def grade(findings: Sequence[Finding], defects: Sequence[Defect]) -> Grade:
    """Match each finding to at most one defect, each defect to its first finding."""
    found: dict[str, Finding] = {}
    false_alarms: list[Finding] = []
    repeats: list[Finding] = []
    for finding in findings:
        named = [d for d in defects if d.named_by(finding)]
        fresh = [d for d in named if d.id not in found]
        if fresh:
            found[fresh[0].id] = finding
        elif named:
            repeats.append(finding)
        else:
            false_alarms.append(finding)
    return Grade(
        found=found,
        missed=tuple(d for d in defects if d.id not in found),
        false_alarms=tuple(false_alarms),
        repeats=tuple(repeats),
        underrated=tuple(
            (d, found[d.id])
            for d in defects
            if d.id in found and rank(found[d.id].severity) > rank(d.severity)
        ),
    )


def added_lines(diff: Path) -> dict[str, set[int]]:
    """Per file the diff changes, the line numbers (after the change) that the diff adds."""
    from unidiff import PatchSet

    patch = PatchSet(diff.read_text(encoding="utf-8"))
    return {
        changed.path: {line.target_line_no for hunk in changed for line in hunk if line.is_added}
        for changed in patch
    }


def numbered(diff: Path) -> str:
    """The diff with each line after the change numbered as a finding names it."""
    from unidiff import PatchSet

    out: list[str] = []
    for changed in PatchSet(diff.read_text(encoding="utf-8")):
        out.append(f"=== {changed.path}")
        for hunk in changed:
            out.append(f"@@ lines {hunk.target_start}-{hunk.target_start + hunk.target_length - 1}")
            for line in hunk:
                number = "" if line.target_line_no is None else str(line.target_line_no)
                out.append(f"{number:>5} {line.line_type}{line.value.rstrip()}")
    return "\n".join(out)


def learner_findings(exercise: object) -> list[Finding]:
    """The FINDINGS of a learner's module, well-formed, or an AssertionError saying what to fix."""
    findings = list(getattr(exercise, "FINDINGS", None) or [])
    assert findings, (
        "FINDINGS is empty: read the pull request (run the exercise file to print it with line "
        "numbers) and add a Finding for each defect you see."
    )
    trouble = problems(findings)
    assert not trouble, "Some findings are not well-formed: " + " ".join(trouble)
    return findings


def where(finding: Finding) -> str:
    """A finding's place and category, as a failure message names it."""
    return f"{finding.file} {tuple(finding.lines)} {finding.category!r}"


def near(finding: Finding, defect: Defect) -> bool:
    """Same file and overlapping lines, whatever the category."""
    return defect.named_by(replace(finding, category=min(defect.categories)))


# The judgements every review exercise makes, each raising the learner's failure message.


def judge_every_defect_named(
    findings: Sequence[Finding],
    defects: Sequence[Defect],
    nudges: dict[str, str],
    diff_files: Sequence[str] = (),
) -> None:
    """Every defect is named; else say how many are missed and nudge towards one of them."""
    result = grade(findings, defects)
    if not result.missed:
        return
    defect = result.missed[0]
    message = (
        f"{len(result.missed)} of {len(defects)} defects "
        f"{'is' if len(result.missed) == 1 else 'are'} not in your findings; "
        f"{'it' if len(result.missed) == 1 else 'one'} is in {defect.file}: "
        f"{nudges[defect.id]}."
    )
    used = list(result.found.values())
    close = [f for f in findings if near(f, defect) and f not in used]
    if close:
        message += (
            f" Your finding at {where(close[0])} points at it, but that category does not name "
            "what goes wrong there: ask what kind of harm it does."
        )
    else:
        message += (
            " A finding names a defect when it is in the same file, its lines overlap the "
            "defect's lines (after the change) and its category fits."
        )
    strays = _stray_files(findings, diff_files)
    if strays:
        message += f" Name files as the diff does ({', '.join(diff_files)}), not {strays}."
    raise AssertionError(message)


def judge_blockers_rated(findings: Sequence[Finding], defects: Sequence[Defect], harm: str) -> None:
    """Each blocker is found and rated blocker; ``harm`` says what merging it would do."""
    found = grade(findings, defects).found
    for defect in defects:
        if defect.severity != "blocker":
            continue
        assert defect.id in found, (
            "Your findings do not name a defect that must stop this merge yet (see the check "
            "on naming every defect), so it cannot be rated."
        )
        finding = found[defect.id]
        assert finding.severity == "blocker", (
            f"Your finding at {where(finding)} names a defect that must stop the merge but "
            f"rates it {finding.severity!r}. Merged, it would {harm}: rate it blocker."
        )


def judge_majors_rated(findings: Sequence[Finding], defects: Sequence[Defect]) -> None:
    """No major defect is rated minor or nit."""
    underrated = [
        finding
        for defect, finding in grade(findings, defects).underrated
        if defect.severity == "major"
    ]
    if underrated:
        raise AssertionError(
            f"Your finding at {where(underrated[0])} names a real defect but rates it "
            f"{underrated[0].severity!r}. Minor and nit are for what works but could be better; "
            "this one breaks something once merged: rate it major (or blocker)."
        )


def judge_false_alarms(
    findings: Sequence[Finding], defects: Sequence[Defect], diff_files: Sequence[str] = ()
) -> None:
    """At most one finding names no defect (precision: what only looks unusual is fine)."""
    alarms = grade(findings, defects).false_alarms
    if len(alarms) <= 1:
        return
    listed = "; ".join(f"{where(f)}: {_short(f.note)}" for f in alarms)
    message = (
        f"{len(alarms)} of your findings name no defect of this pull request: {listed}. Some "
        "changes only look unusual: for each, ask what exactly would break, for whom. If a "
        "finding is about a real problem, check its lines (numbered after the change, where the "
        "wrong thing is done, not where it is called) and its category."
    )
    strays = _stray_files(findings, diff_files)
    if strays:
        message += f" Name files as the diff does ({', '.join(diff_files)}), not {strays}."
    raise AssertionError(message)


def _stray_files(findings: Sequence[Finding], diff_files: Sequence[str]) -> list[str]:
    """Files the findings name that the diff does not change (none when no diff is given)."""
    if not diff_files:
        return []
    known = {*diff_files, *(f"b/{name}" for name in diff_files)}
    return sorted({str(f.file) for f in findings} - known)


def _short(note: str, width: int = 60) -> str:
    """A note cut to about ``width`` characters, on a word."""
    note = " ".join(str(note).split())
    return note if len(note) <= width else note[:width].rsplit(" ", 1)[0] + "…"
