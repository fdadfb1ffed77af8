"""Rich text blocks for notebooks: Markdown for people, the same words as plain text for nbval."""

from __future__ import annotations

from html import escape

from melt_course.content.bibliography import cite_markdown, format_reference, get
from melt_course.content.course import NAV_TAG, Lesson, load_course, neighbours, total_minutes
from melt_course.content.evidence import load_labels
from melt_course.content.glossary import find_term, term_anchor
from melt_course.content.safety import disclaimer_text
from melt_course.widgets.tables import markdown_table

__all__ = [
    "COURSE_MAP_ANCHOR",
    "NAV_PLACES",
    "NAV_TAG",
    "TextBlock",
    "course_map",
    "disclaimer",
    "evidence_labels",
    "glossary",
    "lesson_nav",
    "references",
]

#: The id JupyterLab and Voila give the start lesson's "## The course map" heading: links to
#: the course map end in ``#`` and this.
COURSE_MAP_ANCHOR = "The-course-map"

#: Where a navigation bar sits, and the name screen readers announce for it (two navigation
#: landmarks on one page need different names).
NAV_PLACES = {"top": "Lessons (top of page)", "bottom": "Lessons (end of page)"}


class TextBlock:
    """A block of Markdown whose plain-text form is the same text (stable for nbval)."""

    def __init__(self, markdown: str) -> None:
        self.markdown = markdown

    def _repr_markdown_(self) -> str:
        return self.markdown

    def __repr__(self) -> str:
        return self.markdown


def glossary(*terms: str) -> TextBlock:
    """The glossary section of a lesson: the terms it uses, in alphabetical order.

    Each entry carries the ``id`` its term links point to (``#term-SLUG``), then the
    definition, its evidence label and linked citations.

    Raises
    ------
    KeyError
        For a term that is not in the glossary (with close matches).
    """
    if not terms:
        raise ValueError("glossary() needs at least one term, got none")
    found = (find_term(t) for t in terms)
    entries = sorted({t.term: t for t in found}.values(), key=lambda t: t.term.lower())
    lines = [f'- <span id="{escape(term_anchor(t.term))}"></span>**{t.term}**: {t.definition} '
             f"*({t.label})* {cite_markdown(t.refs)}" for t in entries]
    return TextBlock("\n".join(lines))


def references(*keys: str) -> TextBlock:
    """The references section of a lesson: full entries for the given citation keys.

    Each entry starts with the text it is cited by in the lesson ("Gray 1918a") and carries
    the ``id`` its citation links point to (``#ref-KEY``), then its notes and verification.

    Raises
    ------
    KeyError
        For a key that is not in the bibliography (with close matches).
    """
    if not keys:
        raise ValueError("references() needs at least one citation key, got none")
    lines = [f"- {format_reference(get(key), target=True)}" for key in keys]
    return TextBlock("\n".join(lines))


def course_map() -> TextBlock:
    """The course map: each lesson with minutes, status and numbered objectives.

    An available lesson's name links to its notebook (a relative link: it opens the notebook
    in JupyterLab and the lesson's page in the course app); a lesson in preparation is named
    without a link.
    """
    rows = []
    for les in load_course():
        name = f"{les.id}. {les.title}"
        if les.available:
            rows.append(f"- **[{name}]({les.notebook})** — about {les.minutes} min")
        else:
            rows.append(f"- **{name}** — about {les.minutes} min *(in preparation)*")
        rows += [f"    {i}. {obj}" for i, obj in enumerate(les.objectives, 1)]
    rows.append(f"\nAll lessons together: about {total_minutes()} minutes.")
    return TextBlock("\n".join(rows))


def _nav_link(les: Lesson, label: str, rel: str, arrow: str, arrow_after: bool) -> str:
    text = f"{label}: {les.id}. {escape(les.title)}"
    if not les.available:
        return f'<span class="melt-nav-unavailable">{text} (in preparation)</span>'
    mark = f'<span aria-hidden="true">{arrow}</span>'
    inner = f"{text} {mark}" if arrow_after else f"{mark} {text}"
    return f'<a href="{escape(les.notebook)}" rel="{rel}">{inner}</a>'


def lesson_nav(lesson_id: str, place: str = "top") -> str:
    """A lesson's navigation bar: previous lesson, course map, next lesson (HTML).

    Written into each lesson as its first and last Markdown cell (tagged :data:`NAV_TAG`) by
    ``scripts/lesson_nav.py``, so it shows before anything has run in JupyterLab, in the course
    app and in a lesson's handout. Links are relative notebook names: JupyterLab opens the
    notebook, the app's page ``/voila/render/<lesson>.ipynb`` resolves them to the next page,
    and handouts rewrite them to the handout files. A lesson that is not available is named
    without a link.

    The entries are a list (``<ul>`` in the ``<nav>`` landmark): the dots between them are
    drawn by the stylesheet, which hides the one that would start a line when the bar wraps
    on a phone, and the whole bar in print.

    Parameters
    ----------
    lesson_id : str
        The lesson's id in the course map (``"00"`` ...).
    place : str
        ``"top"`` or ``"bottom"`` (see :data:`NAV_PLACES`).

    Raises
    ------
    KeyError
        For an unknown lesson id (naming the valid ids).
    ValueError
        For a place other than those in :data:`NAV_PLACES`.
    """
    if place not in NAV_PLACES:
        raise ValueError(f"place must be one of {sorted(NAV_PLACES)}, got {place[:40]!r}")
    near = neighbours(lesson_id)
    parts = []
    if near.previous is not None:
        parts.append(_nav_link(near.previous, "Previous", "prev", "←", arrow_after=False))
    parts.append(f'<a href="{escape(near.start.notebook)}#{COURSE_MAP_ANCHOR}">Course map</a>')
    if near.next is not None:
        parts.append(_nav_link(near.next, "Next", "next", "→", arrow_after=True))
    else:
        parts.append("<span>This is the last lesson.</span>")
    items = "".join(f"<li>{part}</li>\n" for part in parts)
    return (f'<nav class="melt-lesson-nav" aria-label="{NAV_PLACES[place]}">\n'
            f'<ul class="melt-nav-list">\n{items}</ul>\n</nav>')


def evidence_labels() -> TextBlock:
    """A table of the evidence labels with their meaning, how to read them and an example."""
    rows = [[f"*({lab.id})*", lab.meaning, lab.how_to_read, lab.example]
            for lab in load_labels().values()]
    return TextBlock(markdown_table(["Label", "What it means", "How to read it", "Example"], rows))


def disclaimer() -> TextBlock:
    """The course's health disclaimer, its warning signs and when to stop (from the checklist)."""
    return TextBlock(disclaimer_text())
