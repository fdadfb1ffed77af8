"""The course glossary: short definitions, each with an evidence label and references."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from melt_course.content.bibliography import resolve
from melt_course.content.loader import load_json_dir, unique_by

__all__ = ["Term", "load_glossary"]


@dataclass(frozen=True)
class Term:
    """One glossary term."""

    term: str
    definition: str
    label: str
    refs: tuple[str, ...]
    see_also: tuple[str, ...] = ()


@cache
def load_glossary() -> dict[str, Term]:
    """Load, validate and cross-check every glossary file.

    Returns
    -------
    dict of str to Term
        Keyed by lower-case term, sorted.

    Raises
    ------
    DataError
        When a file is malformed, a term repeats, a reference is unknown, or ``see_also``
        names a term that does not exist.
    """
    files = load_json_dir("glossary", "glossary")
    pairs = ((f"data/{path}", {**e, "key": e["term"].lower()})
             for path, data in files.items() for e in data["terms"])
    index = unique_by(pairs, "key")
    terms = {}
    for key, (source, entry) in sorted(index.items()):
        resolve(entry["refs"], f"{source}, term {entry['term']!r}")
        terms[key] = Term(entry["term"], entry["definition"], entry["label"],
                          tuple(entry["refs"]), tuple(entry.get("see_also", ())))
    from melt_course.content.loader import DataError

    for key, term in terms.items():
        for other in term.see_also:
            if other.lower() not in terms:
                raise DataError(index[key][0], f"see_also names unknown term {other!r}",
                                entry=term.term, field="see_also")
    return terms
