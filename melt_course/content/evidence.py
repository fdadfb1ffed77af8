"""Evidence labels: how the course says, for each claim, how we know it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from melt_course.content.loader import DataError, load_json, records

__all__ = ["LABEL_PATTERN", "Claim", "Label", "SeedClaim", "find_labels", "label_conflicts",
           "load_labels", "load_seed_claims"]

#: How a label is written in course text: ``*(research)*`` or ``*(practitioner view)*``.
LABEL_PATTERN = re.compile(
    r"\*\((anatomy|research|model|MELT|practitioner view|contested|course)\)\*")


@dataclass(frozen=True)
class Claim:
    """A statement with its evidence label and references (a card field, a routine's purpose)."""

    text: str
    label: str
    refs: tuple[str, ...]


@dataclass(frozen=True)
class Label:
    """One evidence label."""

    id: str
    name: str
    meaning: str
    how_to_read: str
    example: str


@cache
def load_labels() -> dict[str, Label]:
    """Return the evidence labels, keyed by id, in teaching order."""
    data = load_json("evidence_labels.json", "evidence_labels")
    labels = records(Label, data["labels"], "data/evidence_labels.json", kind="label", refs=())
    return {label.id: label for label in labels}


def find_labels(text: str) -> list[str]:
    """Evidence labels written in a text with the course's ``*(label)*`` markup."""
    return LABEL_PATTERN.findall(text)


@dataclass(frozen=True)
class SeedClaim:
    """One of the source article's claims with the one evidence label the course gives it."""

    id: str
    point: int
    label: str
    refs: tuple[str, ...]
    claim: str
    patterns: tuple[re.Pattern, ...]

    def found_in(self, text: str) -> list[int]:
        """Where (character offsets) a text restates this claim."""
        low = re.sub(r"\s+", " ", text.lower())
        return sorted(m.start() for p in self.patterns for m in p.finditer(low))


@cache
def load_seed_claims() -> dict[str, SeedClaim]:
    """The registry of the source article's labelled claims (``data/seed_claims.json``).

    Raises
    ------
    DataError
        When the file is malformed, an id repeats, a pattern is not a valid regular expression
        or a reference is unknown.
    """
    source = "data/seed_claims.json"
    data = load_json("seed_claims.json", "seed_claims")

    def patterns(item: dict, _where: str) -> dict:
        try:
            return {"patterns": tuple(re.compile(p) for p in item["patterns"])}
        except re.error as exc:
            raise DataError(source, f"not a regular expression ({exc})", entry=item["id"],
                            field="patterns") from None

    claims = records(SeedClaim, data["claims"], source, kind="claim", build=patterns)
    return {claim.id: claim for claim in claims}


#: A Markdown link with an optional title: ``[text](#term-x "title")``. Course text is judged by
#: the link's text; a glossary link's title (its tooltip) is the glossary's, judged with the data.
_LINK = re.compile(r'\[([^\]]*)\]\([^\s)]*(?:\s+"[^"]*")?\)')
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z*\"(])|\n\s*\n|\n\s*[-*] ")


def label_conflicts(text: str, claims: dict[str, SeedClaim] | None = None, *,
                    unlabelled: bool = False) -> Iterator[tuple[SeedClaim, str, str]]:
    """Restatements of a registered claim whose label differs from the registry's.

    Links are read as their text (a glossary link's tooltip is not part of the sentence). The
    text is split into sentences; in a sentence that restates a claim, the first label written
    after the restatement (``*(label)*``) is the one the course gives it there. Sentences
    without a label after the restatement are not judged, unless ``unlabelled``.

    Parameters
    ----------
    text
        Course text with the ``*(label)*`` markup.
    claims
        The registry; by default :func:`load_seed_claims`.
    unlabelled
        Also yield restatements with no label after them (the label found is then ``""``).

    Yields
    ------
    (SeedClaim, str, str)
        The claim, the label found and the sentence.
    """
    claims = load_seed_claims() if claims is None else claims
    for sentence in _SENTENCE_END.split(_LINK.sub(r"\1", text)):
        sentence = re.sub(r"\s+", " ", sentence)
        for claim in claims.values():
            for start in claim.found_in(sentence):
                labels = find_labels(sentence[start:])
                if (labels[0] != claim.label) if labels else unlabelled:
                    yield claim, labels[0] if labels else "", sentence.strip()
                    break
