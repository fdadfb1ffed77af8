"""MELT's NeuroCore terms beside the mainstream ideas they point at (data layer).

The terms are MELT's (label *MELT*); each points at mainstream ideas with their own evidence
labels and references, and says what no study has tested. Linking a term to an idea is not
evidence that MELT acts on it. Data: ``data/neurocore.json``, schema ``neurocore``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from melt_course.content.bibliography import resolve
from melt_course.content.loader import DataError, load_json

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
    seen: set[str] = set()
    terms = []
    for item in data["terms"]:
        if item["id"] in seen:
            raise DataError(source, "duplicate id", entry=item["id"], field="id")
        seen.add(item["id"])
        resolve(item["refs"], f"{source}, term {item['id']!r}")
        ideas = []
        for idea in item["points_at"]:
            resolve(idea["refs"], f"{source}, term {item['id']!r}, idea {idea['idea']!r}")
            ideas.append(MainstreamIdea(idea["idea"], idea["summary"], idea["label"],
                                        tuple(idea["refs"])))
        terms.append(MeltTerm(item["id"], item["term"], item["melt_says"], tuple(item["refs"]),
                              tuple(ideas), item["untested"]))
    notes = []
    for item in data["notes"]:
        if item["id"] in seen:
            raise DataError(source, "duplicate id", entry=item["id"], field="id")
        seen.add(item["id"])
        resolve(item["refs"], f"{source}, note {item['id']!r}")
        notes.append(Note(item["id"], item["text"], item["label"], tuple(item["refs"])))
    return tuple(terms), tuple(notes)
