"""Text blocks about the routines for lesson 5: an overview table, one routine's steps and the
timer's conventions (Markdown, with the same text as plain text). The safety checklist is a
widget that can be ticked: :func:`melt_course.widgets.player.safety_checklist`."""

from __future__ import annotations

from melt_course.content.bibliography import cite_html, cite_markdown
from melt_course.content.course import lesson
from melt_course.content.routines import (
    PROVENANCES,
    Routine,
    format_duration,
    get,
    library,
    timing_conventions,
)
from melt_course.widgets.tables import markdown_table
from melt_course.widgets.text import TextBlock

__all__ = ["cite", "cite_html", "routine_overview", "routine_steps", "timing_note"]

_PROVENANCE_SHORT = {"documented": "MELT, documented",
                     "partly documented": "MELT, partly documented",
                     "not documented": "MELT, **not documented**",
                     "course": "**course's own**"}


def cite(keys) -> str:
    """Linked citations in Markdown, ``([Gray 1918a](#ref-gray1918); ...)``; '' for none."""
    return cite_markdown(keys)


def routine_overview() -> TextBlock:
    """A table of the standalone routines: what MELT says each is for, its ties to lessons 1-4,
    its length, and how many of its steps are documented."""
    rows = []
    for routine in library().values():
        if not routine.standalone:
            continue
        steps = routine.steps()
        counts = " / ".join(str(sum(s.provenance == p for s in steps))
                            for p in PROVENANCES)
        ties = "; ".join(f"lesson {int(t.lesson)} ({lesson(t.lesson).title})"
                         for t in routine.ties)
        purpose = (f"{routine.purpose.text} *({routine.purpose.label})* "
                   f"{cite(routine.purpose.refs)}")
        rows.append([f"**{routine.name}**", purpose, ties,
                     format_duration(routine.total_seconds()), counts])
    return TextBlock(markdown_table(
        ["Routine", "What MELT says it is for", "Ties to lessons 1-4", "Time",
         "Steps: documented / partly documented / not documented / course's own"], rows))


def routine_steps(name: str) -> TextBlock:
    """One routine in full: purpose, ties, equipment, position, safety, gaps, and its steps.

    Raises
    ------
    KeyError
        For an unknown routine name (with close matches).
    """
    routine: Routine = get(name)
    lines = [f"**{routine.name}** — about {format_duration(routine.total_seconds())}. "
             f"{routine.summary}", "",
             f"- **What MELT says it does:** {routine.purpose.text} "
             f"*({routine.purpose.label})* {cite(routine.purpose.refs)}"]
    lines += [f"- **Ties to lesson {int(t.lesson)}:** {t.text} *({t.label})* {cite(t.refs)}"
              for t in routine.ties]
    lines += [f"- **Equipment:** {'; '.join(routine.equipment)}",
              f"- **Starting position:** {routine.starting_position}",
              f"- **Safety:** {' '.join(routine.safety)}"]
    if routine.alternative:
        lines.append(f"- **If getting down to the floor is hard ({routine.alternative.position} "
                     f"version):** {routine.alternative.text}")
    if routine.gaps:
        lines.append(f"- **What the sources do not give:** {routine.gaps}")
    steps = []
    for i, step in enumerate(routine.steps(), 1):
        estimate = "" if step.dose.source == "documented" else " (estimate)"
        source = f"{_PROVENANCE_SHORT[step.provenance]} {cite(step.refs)}".strip()
        if step.placement != "documented" and step.provenance != "course":
            source += f"; placement {step.placement}"
        steps.append([i, step.name, step.side, f"{step.dose.describe()}{estimate}", source])
    lines += ["", markdown_table(["#", "Step", "Side", "Time", "Source"], steps)]
    return TextBlock("\n".join(lines))


def timing_note() -> TextBlock:
    """How the timer turns breaths and repetitions into seconds (the course's conventions)."""
    return TextBlock(timing_conventions())
