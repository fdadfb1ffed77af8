"""Citations read as "(Gray 1918a)" links to the lesson's reference list, never as raw keys.

JupyterLab renders a Markdown cell from its source, so the lessons' sources hold the linked form
(written by scripts/cite_lessons.py); these tests check it against the bibliography, and that
every link has its target (an ``id`` in the lesson's reference list) in the stored outputs.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

from melt_course.content import bibliography as B

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
LESSON_FILES = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))

_SPEC = importlib.util.spec_from_file_location("cite_lessons", ROOT / "scripts" / "cite_lessons.py")
cite_lessons = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(cite_lessons)


def _nb(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _markdown(nb: dict) -> str:
    return "\n\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def _outputs(nb: dict, mime: str) -> str:
    return "\n".join("".join(out.get("data", {}).get(mime, ""))
                     for c in nb["cells"] if c["cell_type"] == "code"
                     for out in c.get("outputs", []))


def _targets(nb: dict) -> set[str]:
    """The reference-list anchors the lesson's stored outputs carry (``id="ref-KEY"``)."""
    return set(re.findall(r'id="ref-([a-z0-9-]+)"', _outputs(nb, "text/markdown")))


def citation_problems(nb: dict) -> list[str]:
    """What is wrong with a lesson's citations, in words (empty when nothing is)."""
    md = _markdown(nb)
    problems = [f"draft key {m.group(0)} in the prose" for m in B.CITATION_PATTERN.finditer(md)]
    shown = md + "\n" + _outputs(nb, "text/markdown")
    labels = B.citation_labels()
    targets = _targets(nb)
    for text, key in B.linked_citations(shown):
        if key not in labels:
            problems.append(f"[{text}](#ref-{key}): {key!r} is not in the bibliography")
        elif text != labels[key]:
            problems.append(f"[{text}](#ref-{key}) should read {labels[key]!r}")
        if key not in targets:
            problems.append(f"[{text}](#ref-{key}) links to no entry of the reference list")
    problems += [f"raw key {m.group(0)!r} in an output"
                 for m in re.finditer(r"\[@[a-z][a-z0-9-]*\]", _outputs(nb, "text/markdown"))]
    return problems


@pytest.fixture(params=LESSON_FILES, ids=lambda p: p.name)
def notebook(request) -> Path:
    return request.param


def test_every_citation_reads_as_its_bibliography_label_and_links_to_a_listed_entry(notebook):
    nb = _nb(notebook)
    assert B.linked_citations(_markdown(nb)), f"{notebook.name} cites nothing"
    assert citation_problems(nb) == []


def test_the_lesson_sources_are_what_the_script_writes(notebook):
    nb = _nb(notebook)
    assert cite_lessons.rewrite(nb) == 0, (
        f"{notebook.name}: run scripts/cite_lessons.py (a draft key or a stale citation text)")


def test_planted_defects_are_found():
    nb = _nb(NOTEBOOKS / "01_meet_the_psoas.ipynb")
    cell = next(c for c in nb["cells"] if c["cell_type"] == "markdown"
                and "(#ref-gray1918)" in "".join(c["source"]))
    src = "".join(cell["source"])
    refs = next(c for c in nb["cells"] if "".join(c["source"]).startswith("mc.references("))
    listed = refs["source"]
    for planted, expected, mended in (
            (src.replace("[Gray 1918a](#ref-gray1918)", "[Gray 1918](#ref-gray1918)", 1),
             "should read 'Gray 1918a'", True),
            (src + " *(anatomy)* [@bogduk2012]", "draft key [@bogduk2012]", True),
            (src + " ([Koch 2006](#ref-koch-qa2006))", "links to no entry", False),
            (src + " ([Nobody 2001](#ref-nobody2001))", "not in the bibliography", None)):
        cell["source"], refs["source"] = planted, listed
        assert any(expected in p for p in citation_problems(nb)), expected
        if mended is None:
            with pytest.raises(KeyError, match="nobody2001"):
                cite_lessons.rewrite(nb)
        elif mended:                                        # the script mends the prose
            assert cite_lessons.rewrite(nb) == 1 and citation_problems(nb) == []
        else:                                               # and lists the missing key
            assert cite_lessons.rewrite(nb) == 1
            assert '"koch-qa2006")' in "".join(refs["source"])
    cell["source"], refs["source"] = src, listed


def test_same_author_same_year_get_letters_and_every_label_is_unique():
    labels = B.citation_labels()
    assert len(set(labels.values())) == len(labels)
    grays = [labels[k] for k in sorted(labels) if k.startswith("gray1918")]
    assert len(grays) >= 5                                  # several sections of Gray 1918
    assert grays == [f"Gray 1918{letter}" for letter in "abcdefghijklmnopqrstuvwxyz"[:len(grays)]]
    assert labels["hitzmann-psoas"] != labels["melt-ondemand"]
    assert labels["juker1998"] == "Juker et al. 1998"       # alone in its year: no letter
    for key, label in labels.items():                       # author and year of the entry
        ref = B.get(key)
        assert label.startswith(ref.short.rsplit(" ", 1)[0]) and str(ref.year) in label, key


def test_drafts_become_grouped_links_and_the_rewrite_is_idempotent():
    draft = "A claim *(anatomy)* [@stedman2006] [@wikimsk-psoas]. In brackets ([@gray1918])."
    linked = B.link_citations(draft)
    assert linked == ("A claim *(anatomy)* ([Stedman 2006](#ref-stedman2006); "
                      "[WikiMSK contributors 2024](#ref-wikimsk-psoas)). In brackets "
                      "([Gray 1918a](#ref-gray1918)).")
    assert B.link_citations(linked) == linked
    stale = linked.replace("Stedman 2006", "Stedman 2005")
    assert B.link_citations(stale) == linked
    assert B.cited_keys(linked) == ["stedman2006", "wikimsk-psoas", "gray1918"]
    with pytest.raises(KeyError, match="gray1981"):
        B.link_citations("x [@gray1981]")


def test_reference_list_entries_carry_the_anchor_label_and_notes():
    from melt_course import notebook as mc

    text = mc.references("gray1918-plexus", "hitzmann-droz").markdown
    plexus, droz = text.splitlines()
    assert plexus.startswith('- <span id="ref-gray1918-plexus"></span>**Gray 1918e.** Gray H')
    assert B.get("gray1918-plexus").note in plexus               # the note, visible
    assert 'id="ref-hitzmann-droz"' in droz and B.get("hitzmann-droz").lacks in droz
    assert "Unverified" in droz


def test_html_citations_link_and_escape():
    html = B.cite_html(["gray1918", "bogduk2012"])
    assert html == ('(<a href="#ref-gray1918">Gray 1918a</a>; '
                    '<a href="#ref-bogduk2012">Bogduk 2012</a>)')
    assert B.cite_html([]) == "" and B.cite_markdown([]) == ""
    assert "&#x27;" in B.cite_html(["womensrunning-drained"])
