"""The glossary is shown where its terms are used: each lesson links a term at its first use in
its prose and lists the terms it uses in its own glossary (``mc.glossary(...)``), whose entries
carry the link targets (``id="term-SLUG"``)."""

from __future__ import annotations

import ast
import importlib.util
import json
import re
from pathlib import Path

import pytest

from melt_course.content import glossary as G

ROOT = Path(__file__).resolve().parent.parent
LESSON_FILES = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
_SPEC = importlib.util.spec_from_file_location("cite_lessons", ROOT / "scripts" / "cite_lessons.py")
cite_lessons = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(cite_lessons)


def _src(cell) -> str:
    return "".join(cell["source"])


def _glossary_terms(nb: dict) -> list[str]:
    cells = [_src(c) for c in nb["cells"] if c["cell_type"] == "code"
             and _src(c).strip().startswith("mc.glossary(")]
    assert len(cells) <= 1
    return [a.value for a in ast.parse(cells[0].strip()).body[0].value.args] if cells else []


def glossary_problems(nb: dict) -> list[str]:
    """Terms used in a lesson's prose before (or without) being linked to its glossary, links
    to terms the lesson's glossary does not list, and listed terms with no target."""
    listed = {G.find_term(t).term.lower() for t in _glossary_terms(nb)}
    targets = set(re.findall(r'id="term-([a-z0-9-]+)"', "".join(
        "".join(out.get("data", {}).get("text/markdown", ""))
        for c in nb["cells"] if c["cell_type"] == "code" for out in c.get("outputs", []))))
    problems, seen = [], set()
    for cell in cite_lessons.prose_cells(nb):
        text = _src(cell)
        for start, end, key, linked in G.term_uses(text):
            shown = text[start:end]
            if key not in seen and not linked:
                problems.append(f"{shown!r} used before it is defined or linked: "
                                f"...{text[max(0, start - 40):end + 20]!r}")
            seen.add(key)
            if linked and key not in listed:
                problems.append(f"{shown!r} links to a term the lesson's glossary does not list")
    problems += [f"{t!r} is listed but its entry has no target id"
                 for t in listed if G.slug(t) not in targets]
    return problems


@pytest.fixture(params=LESSON_FILES, ids=lambda p: p.name)
def lesson(request) -> dict:
    return json.loads(request.param.read_text(encoding="utf-8"))


def test_every_term_is_linked_at_its_first_use_and_listed_in_the_lessons_glossary(lesson):
    assert glossary_problems(lesson) == []


def test_lessons_that_use_terms_show_a_glossary_before_their_references(lesson):
    terms = cite_lessons.lesson_terms(lesson)
    assert sorted(_glossary_terms(lesson), key=str.lower) == terms
    if terms:
        heads = [_src(c).split("\n")[0] for c in lesson["cells"] if c["cell_type"] == "markdown"]
        assert heads.index("## Glossary") < heads.index("## References")


def test_the_terms_the_issue_found_undefined_are_defined_where_used():
    nb01 = json.loads((ROOT / "notebooks" / "01_meet_the_psoas.ipynb").read_text())
    nb02 = json.loads((ROOT / "notebooks" / "02_psoas_in_motion.ipynb").read_text())
    prose01 = "".join(_src(c) for c in cite_lessons.prose_cells(nb01))
    assert "[ventral rami](#term-ventral-ramus " in prose01
    assert "[crura](#term-crus-of-the-diaphragm " in prose01
    assert "](#term-radian " in "".join(_src(c) for c in cite_lessons.prose_cells(nb02))


def test_sympathetic_trunk_is_a_term_linked_at_its_first_use_in_lessons_1_and_3():
    """Lesson 1 explains it and lesson 3 returns to it; its definition cites Gray 1918 7d."""
    assert "gray1918-sympathetic" in G.find_term("sympathetic trunk").refs
    for name, shown in (("01_meet_the_psoas", "sympathetic trunks"),
                        ("03_stress_and_startle", "sympathetic trunk")):
        nb = json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text())
        prose = "".join(_src(c) for c in cite_lessons.prose_cells(nb))
        assert f"[{shown}](#term-sympathetic-trunk " in prose, name
        assert "sympathetic trunk" in _glossary_terms(nb), name


def test_planted_undefined_use_is_found_and_the_script_mends_it():
    nb = json.loads((ROOT / "notebooks" / "01_meet_the_psoas.ipynb").read_text())
    first = cite_lessons.prose_cells(nb)[0]
    original = _src(first)
    first["source"] = "Gray calls the crura the legs of the diaphragm.\n\n" + original
    problems = glossary_problems(nb)
    assert any("'crura' used before it is defined" in p for p in problems), problems
    cite_lessons.rewrite(nb)
    assert glossary_problems(nb) == []
    assert _src(first).startswith("Gray calls the [crura](#term-crus-of-the-diaphragm \"")


def test_a_link_to_a_term_missing_from_the_glossary_is_found():
    nb = json.loads((ROOT / "notebooks" / "06_review.ipynb").read_text())
    cell = cite_lessons.prose_cells(nb)[-1]
    cell["source"] = _src(cell) + "\n\n" + G.term_link("lordosis", "lordosis")
    assert any("does not list" in p for p in glossary_problems(nb))


def test_term_links_carry_the_definition_and_rewriting_is_idempotent():
    cells = ["## Psoas major\n\nPsoas major runs to the lesser trochanter, see "
             "[the card](#card). Lesser trochanter again.", "`psoas major` and psoas major."]
    once = G.link_first_uses(cells)
    assert once[0].startswith("## Psoas major\n\n[Psoas major](#term-psoas-major \"A long muscle")
    assert once[0].count("#term-lesser-trochanter") == 1 and "[the card](#card)" in once[0]
    assert once[1] == cells[1]                      # later uses and code are left alone
    assert G.link_first_uses(once) == once
    assert G.terms_used(once[0]) == ["psoas major", "lesser trochanter"]


def test_the_lesson_glossary_shows_definition_label_and_linked_sources():
    from melt_course import notebook as mc

    text = mc.glossary("crus of the diaphragm", "EMG").markdown
    crus, emg = text.splitlines()
    assert crus.startswith('- <span id="term-crus-of-the-diaphragm"></span>**crus of the')
    assert "*(anatomy)* ([Gray 1918b](#ref-gray1918-diaphragm))" in crus
    assert emg.startswith('- <span id="term-emg"></span>**EMG**: Electromyography')
    with pytest.raises(KeyError, match=r"lordosys.*lordosis"):
        mc.glossary("lordosys")


def test_the_radian_cites_the_standard_that_defines_it():
    """A unit is defined by the SI, not by a biomechanics textbook that uses it (issue 14: the
    entry cited Winter 2009). The cited entry says what it defines, and lesson 2, which uses
    the word, lists that source with its note."""
    from melt_course.content.bibliography import get as get_reference

    term = G.find_term("radian")
    assert term.term == "radian" and "57.3 degrees" in term.definition
    sources = [get_reference(key) for key in term.refs]
    assert any("International System of Units" in ref.title and "radian" in (ref.note or "")
               for ref in sources), [ref.title for ref in sources]
    nb = json.loads((ROOT / "notebooks" / "02_psoas_in_motion.ipynb").read_text())
    shown = "".join("".join(out.get("data", {}).get("text/markdown", ""))
                    for c in nb["cells"] if c["cell_type"] == "code"
                    for out in c.get("outputs", []))
    for key in term.refs:
        assert f'id="ref-{key}"' in shown and f"(#ref-{key})" in shown, key
