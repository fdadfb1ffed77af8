"""The course glossary: short definitions, each with an evidence label and references."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from melt_course.content.loader import DataError, load_json_dir, lookup, record, unique_by
from melt_course.content.schema import brief

__all__ = ["TERM_LINK_PATTERN", "Term", "find_term", "link_first_uses", "load_glossary", "slug",
           "term_anchor", "term_link", "term_uses", "terms_used"]


@dataclass(frozen=True)
class Term:
    """One glossary term."""

    term: str
    definition: str
    label: str
    refs: tuple[str, ...]
    see_also: tuple[str, ...] = ()
    forms: tuple[str, ...] = ()


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
        terms[key] = record(Term, entry, f"{source}, term {brief(entry['term'])}", refs=("refs",))
    for key, term in terms.items():
        for other in term.see_also:
            if other.lower() not in terms:
                raise DataError(index[key][0], f"see_also names unknown term {other!r}",
                                entry=term.term, field="see_also")
    return terms


#: A term linked to the lesson's glossary: ``[crura](#term-crus "definition")`` (group 1 the
#: words shown, group 2 the term's slug).
TERM_LINK_PATTERN = re.compile(r'\[([^\[\]\n]+)\]\(#term-([a-z0-9-]+)(?: "[^"\n]*")?\)')

#: What is not prose a term could be used in: headings, links (citations, other links and term
#: links), images, inline code, HTML tags, addresses and maths.
_NOT_PROSE = re.compile(r'^#.*$|!?\[[^\[\]\n]*\]\((?:[^()"\n]|"[^"\n]*")*\)|`[^`\n]*`|<[^>\n]+>'
                        r"|https?://\S+|\$[^$\n]+\$", flags=re.M)


def slug(term: str) -> str:
    """``"Hill-type muscle model"`` -> ``"hill-type-muscle-model"``."""
    return re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-")


def term_anchor(term: str) -> str:
    """The HTML ``id`` of a term in a lesson's glossary: ``"term-" + slug``."""
    return f"term-{slug(term)}"


def find_term(name: str) -> Term:
    """One term by name (any case).

    Raises
    ------
    KeyError
        Naming the unknown term and the closest known ones.
    """
    return lookup(load_glossary(), name, "glossary term", normal=str.lower)


@cache
def _uses() -> tuple[re.Pattern, dict[str, str]]:
    """One pattern for every term's word forms (longest first) and form -> term key."""
    forms = {}
    for key, term in load_glossary().items():
        for form in (term.term, *term.forms):
            forms[form.lower()] = key
    alts = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alts})(?![\w-])", flags=re.I), forms


def _masked(text: str) -> str:
    return _NOT_PROSE.sub(lambda m: " " * len(m.group(0)), text)


def term_uses(text: str) -> list[tuple[int, int, str, bool]]:
    """Every use of a glossary term in Markdown prose, in order.

    Returns ``(start, end, term key, linked)``: a term link (``linked`` True) or a plain use of
    one of the term's word forms in prose (not in a heading, link, code or HTML tag).
    """
    pattern, forms = _uses()
    slugs = {slug(t.term): key for key, t in load_glossary().items()}
    found = [(m.start(), m.end(), slugs.get(m.group(2), m.group(2)), True)
             for m in TERM_LINK_PATTERN.finditer(text)]
    found += [(m.start(), m.end(), forms[m.group(0).lower()], False)
              for m in pattern.finditer(_masked(text))]
    return sorted(found)


def terms_used(text: str) -> list[str]:
    """Glossary terms (their keys) used in a text, in order of first use, without repeats."""
    return list(dict.fromkeys(key for _, _, key, _ in term_uses(text)))


def term_link(key: str, shown: str) -> str:
    """``[shown](#term-slug "definition")``: a term linked to the lesson's glossary, its
    definition as the link's title (a tooltip)."""
    term = find_term(key)
    title = re.sub(r'["|\n]', lambda m: {'"': "'", "|": "/", "\n": " "}[m.group(0)],
                   term.definition)
    return f'[{shown}](#{term_anchor(term.term)} "{title}")'


def link_first_uses(cells: list[str]) -> list[str]:
    """Link each glossary term at its first use in a lesson (idempotent).

    ``cells`` are the lesson's Markdown cell sources in order. A term's first use that is not
    linked yet becomes :func:`term_link`; term links already written get their title brought
    up to date; later uses are left as they are.
    """
    seen: set[str] = set()
    out = []
    for text in cells:
        pieces, pos = [], 0
        for start, end, key, linked in term_uses(text):
            if start < pos:
                continue
            if linked:
                shown = TERM_LINK_PATTERN.match(text, start).group(1)
                pieces += [text[pos:start], term_link(key, shown)]
            elif key not in seen:
                pieces += [text[pos:start], term_link(key, text[start:end])]
            else:
                continue
            seen.add(key)
            pos = end
        out.append("".join(pieces) + text[pos:])
    return out
