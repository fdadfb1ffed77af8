"""No run of 8 or more consecutive words of the source article outside quotation marks.

The article (``shared/seed/tight-hips-psoas.txt``) is not stored in the repository; the check
uses a fingerprint of its 8-word runs (``tests/seed_text.py``). Case and punctuation are
normalised, routine names count as one word (a list of routine names is not copying), and text
inside quotation marks is skipped: a quotation is allowed, a copied sentence is not.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from seed_text import RUN, copied, digest, fingerprint_of, load_fingerprint, runs, words

ROOT = Path(__file__).resolve().parent.parent
SEED_CANDIDATES = [ROOT.parent / "shared" / "seed" / "tight-hips-psoas.txt",
                   ROOT.parent.parent / "shared" / "seed" / "tight-hips-psoas.txt"]

#: A quotation of the article used only to plant the defect (9 words of its startle passage).
PLANTED = "propels you toward or away from danger or curls"


def _strings(value, path=""):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{path}/{i}")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}/{key}")


def _package_texts():
    for path in sorted((ROOT / "melt_course" / "data").rglob("*.json")):
        for where, text in _strings(json.loads(path.read_text(encoding="utf-8"))):
            yield f"{path.relative_to(ROOT)}{where}", text


def _notebook_texts():
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for i, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
            yield f"{path.relative_to(ROOT)} cell {i}", "".join(cell["source"])


@pytest.fixture(scope="module")
def fingerprint():
    return load_fingerprint()


def test_fingerprint_matches_the_article_when_it_is_available(fingerprint):
    seed = next((p for p in SEED_CANDIDATES if p.exists()), None)
    if seed is None:
        pytest.skip("the source article is not on this machine; the stored fingerprint is used")
    assert set(fingerprint_of(seed.read_text(encoding="utf-8"))) == fingerprint


def test_the_planted_quotation_is_in_the_fingerprint(fingerprint):
    assert len(fingerprint) > 400
    assert any(digest(run) in fingerprint for _, run in runs(words(PLANTED)))


@pytest.mark.parametrize("text", [
    f"In a fright the psoas {PLANTED} you up.",                        # plain copy
    f"IN A FRIGHT THE PSOAS {PLANTED.upper().replace(' OR ', ', or ')}!",  # case, punctuation
    f"The psoas\n{PLANTED}",                                             # over a line break
])
def test_a_planted_copy_is_found(fingerprint, text):
    assert copied(text, fingerprint)


@pytest.mark.parametrize("text", [
    f'The article says the psoas "{PLANTED}" you.',          # a quotation is allowed
    f"The article says the psoas “{PLANTED}” you.",
    " ".join(PLANTED.split()[:RUN - 1]) + " is seven words",   # shorter than a run
    "Three routines: the Rebalance Sequence, the Mini Foot Treatment, and the Low Back Release "
    "Sequence, then the Core Challenge and Drawbridge.",     # a list of routine names
])
def test_quotations_short_runs_and_routine_name_lists_pass(fingerprint, text):
    assert copied(text, fingerprint) == []


def test_no_copied_runs_in_package_data(fingerprint):
    found = [f"{where}: {hit}" for where, text in _package_texts()
             for hit in copied(text, fingerprint)]
    assert found == [], "copied from the source article (paraphrase or quote):\n" + \
        "\n".join(found)


def test_no_copied_runs_in_the_notebooks(fingerprint):
    found = [f"{where}: {hit}" for where, text in _notebook_texts()
             for hit in copied(text, fingerprint)]
    assert found == [], "copied from the source article (paraphrase or quote):\n" + \
        "\n".join(found)
