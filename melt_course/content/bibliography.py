"""The course bibliography: every reference the course shows resolves to one entry here.

Entries live in ``melt_course/data/bibliography/*.json`` (one file per topic or lesson, so
that lessons can be added without editing each other's files) and are validated against
``schemas/bibliography.schema.json`` when loaded.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from melt_course.content.loader import DataError, load_json_dir, unique_by

__all__ = ["CITATION_PATTERN", "VERIFICATION_STATUSES", "Reference", "cited_keys",
           "format_reference", "get", "load_bibliography", "resolve"]

#: How far the course could check an entry, best first (``verification/status`` in the data).
VERIFICATION_STATUSES = ("verified", "partly verified", "unverified")

#: Inline citation in course text: ``[@juker1998]`` (pandoc style).
CITATION_PATTERN = re.compile(r"\[@([a-z][a-z0-9-]*)\]")


@dataclass(frozen=True)
class Reference:
    """One bibliography entry."""

    key: str
    authors: tuple[str, ...]
    year: int
    title: str
    published_in: str
    url: str | None = None
    doi: str | None = None
    isbn: str | None = None
    pmid: str | None = None
    design: str | None = None
    note: str | None = None
    verification: dict | None = None
    source: str = ""

    @property
    def status(self) -> str:
        """``"verified"``, ``"partly verified"`` or ``"unverified"`` (see the bibliography schema).

        An entry without a ``verification`` field counts as verified: its identifier was checked.
        """
        return (self.verification or {}).get("status", "verified")

    @property
    def lacks(self) -> str | None:
        """What the entry lacks or what was not confirmed, in plain words (None if nothing)."""
        return (self.verification or {}).get("lacks")

    @property
    def unverified(self) -> bool:
        """True when the course could not find the source itself."""
        return self.status == "unverified"

    def caveat(self) -> str:
        """The note and the verification status in words, for the reference list ('' if none)."""
        parts = []
        if self.status != "verified":
            parts.append(f"{self.status.capitalize()}: {self.lacks}")
        if self.note:
            parts.append(self.note)
        return " ".join(parts)

    @property
    def link(self) -> str | None:
        """A URL that resolves the reference: DOI, else PubMed, else the URL, else Open Library."""
        if self.doi:
            return f"https://doi.org/{self.doi}"
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        if self.url:
            return self.url
        if self.isbn:
            return f"https://openlibrary.org/isbn/{self.isbn.replace('-', '')}"
        return None

    @property
    def short(self) -> str:
        """Author-year form, e.g. ``"Juker et al. 1998"``, ``"van der Kooij & Peterka 2011"``.

        Surnames keep their particles and parts ("van der Kooij", "De Groote", "Frey Law");
        editors ("Lewis WH (ed.)") are left out; a group author keeps its name.
        """
        names = [_surname(a) for a in self.authors if not a.rstrip().endswith("(ed.)")]
        names = names or [_surname(self.authors[0])]
        if len(names) == 1:
            return f"{names[0]} {self.year}"
        if len(names) == 2 and names[1] != "et al.":
            return f"{names[0]} & {names[1]} {self.year}"
        return f"{names[0]} et al. {self.year}"


_INITIALS = re.compile(r"^[A-Z][A-Z.-]{0,4}$")


def _surname(author: str) -> str:
    """``"van der Kooij H"`` -> ``"van der Kooij"``; a group author without a note in brackets."""
    words = author.split(" (")[0].split()
    if len(words) > 1 and _INITIALS.match(words[-1]):
        words = words[:-1]
    return " ".join(words)


@cache
def load_bibliography() -> dict[str, Reference]:
    """Load and validate every bibliography file.

    Returns
    -------
    dict of str to Reference
        Keyed by citation key, sorted by key.

    Raises
    ------
    DataError
        When a file is malformed or a key is defined twice.
    """
    files = load_json_dir("bibliography", "bibliography")
    pairs = ((f"data/{path}", entry) for path, data in files.items() for entry in data["entries"])
    index = unique_by(pairs, "key")
    refs = {}
    for key, (source, entry) in sorted(index.items()):
        fields = dict(entry)
        fields["authors"] = tuple(fields["authors"])
        refs[key] = Reference(source=source, **fields)
    return refs


def get(key: str) -> Reference:
    """Return one reference by key.

    Raises
    ------
    KeyError
        Naming the unknown key and the closest known keys.
    """
    refs = load_bibliography()
    if key not in refs:
        close = difflib.get_close_matches(key, list(refs), n=3)
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        raise KeyError(f"unknown reference {key!r}{hint}")
    return refs[key]


def resolve(keys: Iterable[str], source: str) -> list[Reference]:
    """Resolve citation keys used by a data file or notebook.

    Parameters
    ----------
    keys : iterable of str
        Citation keys.
    source : str
        Where the keys are used, for the error message.

    Raises
    ------
    DataError
        Naming the source and the first key that is not in the bibliography.
    """
    refs = load_bibliography()
    out = []
    for key in keys:
        if key not in refs:
            raise DataError(source, f"unknown reference {key!r} (not in the bibliography)",
                            field="refs")
        out.append(refs[key])
    return out


def cited_keys(text: str) -> list[str]:
    """Citation keys in a text, in order of first appearance, without repeats."""
    return list(dict.fromkeys(CITATION_PATTERN.findall(text)))


def _caveat(ref: Reference, brief: bool) -> str:
    if not brief:
        return ref.caveat()
    return f"{ref.status.capitalize()}." if ref.status != "verified" else ""


def format_reference(ref: Reference, html: bool = False, brief: bool = False) -> str:
    """Format a reference as one line (Markdown, or HTML with a link).

    The entry's note and, when it is not fully verified, what it lacks, follow in italics
    (:meth:`Reference.caveat`), so that a learner sees them in every reference list.

    Parameters
    ----------
    ref : Reference
        The entry.
    html : bool
        Return HTML (escaped, with a link) instead of Markdown.
    brief : bool
        Give only the verification status ("Partly verified.") instead of the full note and
        what the entry lacks (for printed pages short of room; they link to the full list).
    """
    authors = ", ".join(ref.authors)
    design = f" [{ref.design}]" if ref.design else ""
    link = ref.link
    if html:
        from html import escape

        tail = f' <a href="{escape(link)}">{escape(link)}</a>' if link else ""
        isbn = f" ISBN {escape(ref.isbn)}." if ref.isbn else ""
        caveat = f" <i>{escape(_caveat(ref, brief))}</i>" if _caveat(ref, brief) else ""
        return (f"<b>[{escape(ref.key)}]</b> {escape(authors)} ({ref.year}). "
                f"<i>{escape(ref.title)}</i>. {escape(ref.published_in)}.{isbn}"
                f"{escape(design)}{tail}{caveat}")
    tail = f" <{link}>" if link else ""
    isbn = f" ISBN {ref.isbn}." if ref.isbn else ""
    caveat = f" *{_caveat(ref, brief)}*" if _caveat(ref, brief) else ""
    return (f"**[{ref.key}]** {authors} ({ref.year}). *{ref.title}*. {ref.published_in}.{isbn}"
            f"{design}{tail}{caveat}")
