"""Rich text blocks for notebooks: Markdown for people, the same words as plain text for nbval."""

from __future__ import annotations

from melt_course.content.bibliography import format_reference, get
from melt_course.content.course import load_course, total_minutes
from melt_course.content.evidence import load_labels
from melt_course.content.safety import disclaimer_text
from melt_course.widgets.tables import markdown_table

__all__ = ["TextBlock", "course_map", "disclaimer", "evidence_labels", "references"]


class TextBlock:
    """A block of Markdown whose plain-text form is the same text (stable for nbval)."""

    def __init__(self, markdown: str) -> None:
        self.markdown = markdown

    def _repr_markdown_(self) -> str:
        return self.markdown

    def __repr__(self) -> str:
        return self.markdown


def references(*keys: str) -> TextBlock:
    """The references section of a lesson: full entries for the given citation keys.

    Raises
    ------
    KeyError
        For a key that is not in the bibliography (with close matches).
    """
    if not keys:
        raise ValueError("references() needs at least one citation key, got none")
    lines = [f"- {format_reference(get(key))}" for key in keys]
    return TextBlock("\n".join(lines))


def course_map() -> TextBlock:
    """The course map: each lesson with minutes, status and numbered objectives."""
    rows = []
    for les in load_course():
        status = "" if les.status == "available" else " *(in preparation)*"
        rows.append(f"- **{les.id}. {les.title}** — about {les.minutes} min{status}")
        rows += [f"    {i}. {obj}" for i, obj in enumerate(les.objectives, 1)]
    rows.append(f"\nAll lessons together: about {total_minutes()} minutes.")
    return TextBlock("\n".join(rows))


def evidence_labels() -> TextBlock:
    """A table of the evidence labels with their meaning, how to read them and an example."""
    rows = [[f"*({lab.id})*", lab.meaning, lab.how_to_read, lab.example]
            for lab in load_labels().values()]
    return TextBlock(markdown_table(["Label", "What it means", "How to read it", "Example"], rows))


def disclaimer() -> TextBlock:
    """The course's health disclaimer, its warning signs and when to stop (from the checklist)."""
    return TextBlock(disclaimer_text())
