"""Evidence labels: how the course says, for each claim, how we know it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from melt_course.content.loader import load_json

__all__ = ["LABEL_PATTERN", "Claim", "Label", "find_labels", "load_labels"]

#: How a label is written in course text: ``*(research)*`` or ``*(practitioner view)*``.
LABEL_PATTERN = re.compile(r"\*\((anatomy|research|model|MELT|practitioner view|contested)\)\*")


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
    return {item["id"]: Label(**item) for item in data["labels"]}


def find_labels(text: str) -> list[str]:
    """Evidence labels written in a text with the course's ``*(label)*`` markup."""
    return LABEL_PATTERN.findall(text)
