"""The course bibliography: every reference the course shows resolves to one entry here.

Entries live in ``melt_course/data/bibliography/*.json`` (one file per topic or lesson, so
that lessons can be added without editing each other's files) and are validated against
``schemas/bibliography.schema.json`` when loaded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from melt_course.content.loader import DataError, load_json_dir, lookup, record, unique_by

__all__ = [
    "CITATION_PATTERN",
    "LINKED_CITATION_PATTERN",
    "VERIFICATION_STATUSES",
    "Reference",
    "anchor",
    "citation_label",
    "citation_labels",
    "cite_html",
    "cite_markdown",
    "cited_keys",
    "format_reference",
    "get",
    "link_citations",
    "linked_citations",
    "load_bibliography",
    "resolve",
]

#: How far the course could check an entry, best first (``verification/status`` in the data).
VERIFICATION_STATUSES = ("verified", "partly verified", "unverified")

#: A citation key as authors write it in a draft: ``[@juker1998]`` (pandoc style). Never shown
#: to a learner: :func:`link_citations` turns it into the linked form below.
CITATION_PATTERN = re.compile(r"\[@([a-z][a-z0-9-]*)\]")

#: A citation as a learner reads it: ``[Juker et al. 1998](#ref-juker1998)``, a link to the
#: lesson's reference list (group 1 the text, group 2 the key).
LINKED_CITATION_PATTERN = re.compile(r"\[([^\[\]\n]+)\]\(#ref-([a-z][a-z0-9-]*)\)")

_LINK = r"\[[^\[\]\n]+\]\(#ref-[a-z][a-z0-9-]*\)"
#: A group of linked citations in brackets: ``([Gray 1918a](#ref-gray1918); [Bogduk 2012](...))``.
_GROUP = re.compile(rf"\((?:{_LINK})(?:; {_LINK})*\)")
#: A run of draft keys, ``[@a] [@b]`` (separated by spaces or semicolons).
_RUN = re.compile(r"\[@[a-z][a-z0-9-]*\](?:[ \t;]*\[@[a-z][a-z0-9-]*\])*")


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
        refs[key] = record(Reference, entry, source, entry=key, refs=(),
                           computed={"source": source})
    return refs


def get(key: str) -> Reference:
    """Return one reference by key.

    Raises
    ------
    KeyError
        Naming the unknown key and the closest known keys.
    """
    return lookup(load_bibliography(), key, "reference")


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
    """Citation keys in a text (linked or draft form), in order of first appearance, no repeats."""
    found = [(m.start(), m.group(2)) for m in LINKED_CITATION_PATTERN.finditer(text)]
    found += [(m.start(), m.group(1)) for m in CITATION_PATTERN.finditer(text)]
    return list(dict.fromkeys(key for _, key in sorted(found)))


def linked_citations(text: str) -> list[tuple[str, str]]:
    """Every linked citation in a text as ``(shown text, key)``, in order, with repeats."""
    return [(m.group(1), m.group(2)) for m in LINKED_CITATION_PATTERN.finditer(text)]


def anchor(key: str) -> str:
    """The HTML ``id`` of a reference in a lesson's reference list: ``"ref-" + key``."""
    return f"ref-{key}"


@cache
def citation_labels() -> dict[str, str]:
    """The text each reference is cited by: author and year, lettered when they repeat.

    Entries whose :attr:`Reference.short` is the same ("Gray 1918" for five sections of Gray's
    Anatomy) get a letter after the year in key order: "Gray 1918a", "Gray 1918b"...
    """
    groups: dict[str, list[str]] = {}
    for key, ref in load_bibliography().items():
        groups.setdefault(ref.short, []).append(key)
    labels = {}
    for short, keys in groups.items():
        if len(keys) == 1:
            labels[keys[0]] = short
            continue
        for letter, key in zip("abcdefghijklmnopqrstuvwxyz", sorted(keys), strict=False):
            labels[key] = f"{short}{letter}"
    return labels


def citation_label(key: str) -> str:
    """The text a reference is cited by, e.g. ``"Juker et al. 1998"`` (see
    :func:`citation_labels`).

    Raises
    ------
    KeyError
        For a key that is not in the bibliography (with close matches).
    """
    get(key)
    return citation_labels()[key]


def cite_markdown(keys: Iterable[str], brackets: bool = True) -> str:
    """Linked citations in Markdown: ``([Gray 1918a](#ref-gray1918); [Bogduk 2012](#ref-...))``.

    Returns '' for no keys; without the round brackets when ``brackets`` is False (a table
    cell of sources).

    Raises
    ------
    KeyError
        For a key that is not in the bibliography.
    """
    links = "; ".join(f"[{citation_label(k)}](#{anchor(k)})" for k in dict.fromkeys(keys))
    return f"({links})" if links and brackets else links


def cite_html(keys: Iterable[str]) -> str:
    """Linked citations in HTML: ``(<a href="#ref-gray1918">Gray 1918a</a>; ...)``; '' for none.

    Raises
    ------
    KeyError
        For a key that is not in the bibliography.
    """
    from html import escape

    links = [f'<a href="#{escape(anchor(k))}">{escape(citation_label(k))}</a>'
             for k in dict.fromkeys(keys)]
    return f"({'; '.join(links)})" if links else ""


def link_citations(text: str) -> str:
    """Write every citation in ``text`` in the linked form, from its keys (idempotent).

    Draft keys (``[@a] [@b]``, a run separated by spaces or semicolons) and linked groups
    already written (``([A 2001](#ref-a))``) are both (re)written by :func:`cite_markdown`, so
    running it again after a bibliography change brings the shown text up to date.

    Raises
    ------
    KeyError
        For a key that is not in the bibliography.
    """
    text = _GROUP.sub(lambda m: cite_markdown(k for _, k in linked_citations(m.group(0))), text)

    def draft(m: re.Match) -> str:
        cited = cite_markdown(CITATION_PATTERN.findall(m.group(0)))
        before, after = text[:m.start()].rstrip(" "), text[m.end():]
        if before.endswith("(") and after.startswith(")"):
            return cited[1:-1]  # already inside brackets: "(see [@a])"
        return cited

    return _RUN.sub(draft, text)


def _caveat(ref: Reference, brief: bool) -> str:
    if not brief:
        return ref.caveat()
    return f"{ref.status.capitalize()}." if ref.status != "verified" else ""


def format_reference(ref: Reference, html: bool = False, brief: bool = False,
                     target: bool = False) -> str:
    """Format a reference as one line (Markdown, or HTML with a link).

    The line starts with the text the reference is cited by ("Gray 1918a", see
    :func:`citation_labels`). The entry's note and, when it is not fully verified, what it
    lacks, follow in italics (:meth:`Reference.caveat`), so that a learner sees them in every
    reference list.

    Parameters
    ----------
    ref : Reference
        The entry.
    html : bool
        Return HTML (escaped, with a link) instead of Markdown.
    brief : bool
        Give only the verification status ("Partly verified.") instead of the full note and
        what the entry lacks (for printed pages short of room; they link to the full list).
    target : bool
        Start with an empty element whose ``id`` is :func:`anchor` of the key, the target of
        the lesson's citation links (JupyterLab keeps the ``id`` in a cell's output).
    """
    from html import escape

    authors = ", ".join(ref.authors)
    design = f" [{ref.design}]" if ref.design else ""
    link = ref.link
    label = citation_labels().get(ref.key, ref.short)
    lead = f'<span id="{escape(anchor(ref.key))}"></span>' if target else ""
    if html:
        tail = f' <a href="{escape(link)}">{escape(link)}</a>' if link else ""
        isbn = f" ISBN {escape(ref.isbn)}." if ref.isbn else ""
        caveat = f" <i>{escape(_caveat(ref, brief))}</i>" if _caveat(ref, brief) else ""
        return (f"{lead}<b>{escape(label)}.</b> {escape(authors)} ({ref.year}). "
                f"<i>{escape(ref.title)}</i>. {escape(ref.published_in)}.{isbn}"
                f"{escape(design)}{tail}{caveat}")
    tail = f" <{link}>" if link else ""
    isbn = f" ISBN {ref.isbn}." if ref.isbn else ""
    caveat = f" *{_caveat(ref, brief)}*" if _caveat(ref, brief) else ""
    return (f"{lead}**{label}.** {authors} ({ref.year}). *{ref.title}*. {ref.published_in}."
            f"{isbn}{design}{tail}{caveat}")
