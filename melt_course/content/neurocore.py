"""MELT's NeuroCore terms beside the mainstream ideas they point at (data layer).

The terms are MELT's (label *MELT*); each points at mainstream ideas with their own evidence
labels and references, and says what no study has tested. Linking a term to an idea is not
evidence that MELT acts on it. Data: ``data/neurocore.json``, schema ``neurocore``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from melt_course.content.loader import DataError, load_json, records

__all__ = ["MainstreamIdea", "MeltTerm", "Note", "load_neurocore"]


@dataclass(frozen=True)
class MainstreamIdea:
    """A mainstream idea a MELT term points at."""

    idea: str
    summary: str
    label: str
    refs: tuple[str, ...]


@dataclass(frozen=True)
class MeltTerm:
    """One MELT term, what MELT says, and what it points at."""

    id: str
    term: str
    melt_says: str
    refs: tuple[str, ...]
    points_at: tuple[MainstreamIdea, ...]
    untested: str


@dataclass(frozen=True)
class Note:
    """A side note (e.g. where a look-alike term comes from)."""

    id: str
    text: str
    label: str
    refs: tuple[str, ...]


@cache
def load_neurocore() -> tuple[tuple[MeltTerm, ...], tuple[Note, ...]]:
    """Load, validate and cross-check the NeuroCore data.

    Returns
    -------
    terms : tuple of MeltTerm
    notes : tuple of Note

    Raises
    ------
    DataError
        When the file does not match its schema, an id repeats, or a reference is not in
        the bibliography (naming the entry).
    """
    source = "data/neurocore.json"
    data = load_json("neurocore.json", "neurocore")
    terms = records(MeltTerm, data["terms"], source, kind="term", build=lambda item, where: {
        "points_at": records(MainstreamIdea, item["points_at"], where, kind="idea", key="idea")})
    notes = records(Note, data["notes"], source, kind="note")
    both = [t.id for t in terms] + [n.id for n in notes]
    repeated = next((i for i in both if both.count(i) > 1), None)
    if repeated is not None:                 # a term and a note share an id
        raise DataError(source, "duplicate id", entry=repeated, field="id")
    return terms, notes
