"""A grade as the learner reads it: a terminal view, JSON for machines, markdown to share."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from mlings.grading.grade import Grade
from mlings.grading.rubric import AREAS, RUBRIC_POINTS, TOTAL, weak


def revisit(grade: Grade) -> list[tuple[str, tuple[str, ...]]]:
    """(area, modules to revisit) for every weak area, in rubric order."""
    return [(s.area, AREAS[s.area].revisit) for s in grade.sections if weak(s.area, s.earned)]


def show(console: Console, grade: Grade) -> None:
    """The grade in the terminal: a table of areas, then each criterion in a sentence."""
    table = Table(title=f"Capstone grade (seed {grade.seed})", title_justify="left")
    table.add_column("area")
    table.add_column("points", justify="right")
    table.add_column("you said", justify="right")
    table.add_column("file")
    for section in grade.sections:
        earned = f"{section.earned:g}/{section.points}"
        mine = grade.self_assessment.get(section.area)
        style = "red" if weak(section.area, section.earned) else "green"
        table.add_row(
            AREAS[section.area].title,
            Text(earned, style=style),
            "" if mine is None else f"{mine:g}",
            section.file,
        )
    console.print(table)
    for section in grade.sections:
        console.print(Text(f"{AREAS[section.area].title} ({section.file})", style="bold"))
        if section.note:
            console.print(Text(f"  stopped early: {section.note}", style="yellow"))
        for criterion in section.criteria:
            mark, style = ("✓", "green") if criterion.earned else ("✗", "red")
            console.print(Text(f"  {mark} ", style=style) + Text(criterion.sentence))
    console.print(
        Text(
            f"Total: {grade.total:g}/{TOTAL} — {grade.band} "
            f"({grade.points:g} of the rubric's {RUBRIC_POINTS} points)",
            style="bold",
        )
    )
    for area, modules in revisit(grade):
        console.print(f"Revisit {', '.join(modules)} for {AREAS[area].title.lower()}.")
    console.print(f"Grade again with the same held-out data: `mlings grade --seed {grade.seed}`.")


def to_json(grade: Grade) -> str:
    report = {
        "seed": grade.seed,
        "total": grade.total,
        "out_of": TOTAL,
        "points": grade.points,
        "rubric_points": RUBRIC_POINTS,
        "band": grade.band,
        "sections": [
            {
                "area": s.area,
                "title": AREAS[s.area].title,
                "file": s.file,
                "points": s.points,
                "earned": s.earned,
                "self_assessed": grade.self_assessment.get(s.area),
                "status": s.status,
                "note": s.note,
                "criteria": [
                    {"title": c.title, "points": c.points, "earned": c.earned, "why": c.why}
                    for c in s.criteria
                ],
            }
            for s in grade.sections
        ],
        "revisit": {area: list(modules) for area, modules in revisit(grade)},
        "plots": [plot.name for plot in grade.plots],  # the learner's figures the page embeds
    }
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def to_markdown(grade: Grade, output: Path | None = None) -> str:
    """A portfolio page; with ``output``, the learner's plots are copied beside it and embedded."""
    lines = [
        "# PokéMarket card-price model — capstone grade",
        "",
        f"**{grade.total:g}/{TOTAL} — {grade.band}** (held-out seed {grade.seed}; "
        f"{grade.points:g} of the rubric's {RUBRIC_POINTS} points)",
        "",
        "| area | points | self-assessed |",
        "|---|---:|---:|",
    ]
    for s in grade.sections:
        mine = grade.self_assessment.get(s.area)
        lines.append(
            f"| {AREAS[s.area].title} | {s.earned:g}/{s.points} | "
            f"{'' if mine is None else f'{mine:g}'} |"
        )
    for s in grade.sections:
        lines += ["", f"## {AREAS[s.area].title} (`{s.file}`)", ""]
        if s.note:
            lines.append(f"*Stopped early: {s.note}*\n")
        lines += [f"- {'✓' if c.earned else '✗'} {c.sentence}" for c in s.criteria]
    weak_areas = revisit(grade)
    if weak_areas:
        lines += ["", "## To revisit", ""]
        lines += [f"- {AREAS[a].title}: {', '.join(m)}" for a, m in weak_areas]
    if grade.plots and output is not None:
        folder = output.with_name(f"{output.stem}_plots")
        folder.mkdir(parents=True, exist_ok=True)
        lines += ["", "## Plots", ""]
        for plot in grade.plots:
            shutil.copy2(plot, folder / plot.name)
            lines.append(f"![{plot.stem}]({folder.name}/{plot.name})")
    return "\n".join(lines) + "\n"
