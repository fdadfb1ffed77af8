"""Find runs of words copied from the course's source article (issue 13).

The article itself is not stored in the repository: ``tests/seed_fingerprint.json`` keeps a
hash of every run of :data:`RUN` consecutive words of it (after :func:`words` normalises case,
punctuation and routine names), so the check runs anywhere without copying the article.
``python tests/seed_text.py PATH`` rebuilds the fingerprint from the article's text file.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

#: Shortest run of consecutive words that counts as copied.
RUN = 8

FINGERPRINT = Path(__file__).with_name("seed_fingerprint.json")

#: Routine and move names: a list of them is not copying (each becomes one word, "routine").
ROUTINE_NAMES = ("full body express map", "mini soft ball foot treatment", "mini foot treatment",
                 "soft ball foot treatment", "foot treatment", "low back release sequence",
                 "low back release", "rebalance sequence", "pelvic tuck and tilt challenge",
                 "pelvic tuck and tilt", "core challenge", "drawbridge", "melt on demand")

#: A quotation: in double, curly or single quotation marks, over at most one line break.
_QUOTED = re.compile(r'"[^"\n]*(?:\n[^"\n]*)?"|“[^”]*”|‘[^’]*’'
                     r"|(?<![\w])'[^'\n]*(?:\n[^'\n]*)?'(?![\w])")


def unquoted(text: str) -> str:
    """The text with every quotation (in double, curly or single quotation marks) removed.

    A removed quotation becomes a line break, so that words on either side of it never join
    into one run.
    """
    return _QUOTED.sub("\n", text)


def words(text: str) -> list[str]:
    """Lower-case words without punctuation; routine names become the word ``routine``.

    Line breaks inside a run are kept as an empty word, which breaks the run: lines of a
    table or list are separate texts, not one sentence.
    """
    text = unicodedata.normalize("NFKC", text).lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"\[@[^\]]*\]", " ", text)        # citation keys are not words of a sentence
    text = re.sub(r"\(?\[[^\[\]\n]*\]\(#ref-[^)]*\)(?:; |\))?", " ", text)  # nor linked ones
    text = re.sub(r"\]\(#term-[^)]*\)", "]", text)  # a glossary link: only its words are read
    for name in ROUTINE_NAMES:
        text = re.sub(rf"\b{re.escape(name)}\b", " routine ", text)
    out: list[str] = []
    for line in re.split(r"\n\s*\n|\n\s*[-*|#>]|\|", text):
        out += re.findall(r"[a-z0-9]+(?:'[a-z]+)?", line.replace("-", " "))
        out.append("")
    return out


def runs(tokens: list[str], n: int = RUN) -> Iterator[tuple[int, tuple[str, ...]]]:
    """Every run of ``n`` consecutive words that does not cross a break, with its position."""
    for i in range(len(tokens) - n + 1):
        run = tuple(tokens[i:i + n])
        if all(run):
            yield i, run


def digest(run: Iterable[str]) -> str:
    """A short hash of one run of words."""
    return hashlib.sha256(" ".join(run).encode()).hexdigest()[:16]


def fingerprint_of(text: str) -> list[str]:
    """The sorted hashes of every run of :data:`RUN` words of a text."""
    return sorted({digest(run) for _, run in runs(words(text))})


def load_fingerprint() -> set[str]:
    """The stored hashes of the source article's runs."""
    return set(json.loads(FINGERPRINT.read_text(encoding="utf-8"))["runs"])


def copied(text: str, fingerprint: set[str]) -> list[str]:
    """The longest copied passages of a text, outside quotation marks, as plain words."""
    tokens = words(unquoted(text))
    hits = sorted(i for i, run in runs(tokens) if digest(run) in fingerprint)
    passages, start, end = [], None, None
    for i in hits:
        if start is not None and i <= end:
            end = i + RUN
            continue
        if start is not None:
            passages.append(" ".join(tokens[start:end]))
        start, end = i, i + RUN
    if start is not None:
        passages.append(" ".join(tokens[start:end]))
    return passages


if __name__ == "__main__":
    seed = Path(sys.argv[1]).read_text(encoding="utf-8")
    data = {"about": "sha256[:16] of every run of 8 normalised words of the source article "
                     "(tests/seed_text.py); the article itself is not stored here",
            "runs": fingerprint_of(seed)}
    FINGERPRINT.write_text(json.dumps(data, indent=0) + "\n", encoding="utf-8")
    print(f"{len(data['runs'])} runs")
