"""Lesson 3's notebook and quiz: skeleton, labels with citations, references, question bank."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from melt_course.content.bibliography import cited_keys, get
from melt_course.content.course import lesson
from melt_course.content.evidence import LABEL_PATTERN
from melt_course.content.loader import load_json
from melt_course.models.startle import load_startle

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "03_stress_and_startle.ipynb"


@pytest.fixture(scope="module")
def cells():
    return json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]


@pytest.fixture(scope="module")
def prose(cells):
    return "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


@pytest.fixture(scope="module")
def quiz():
    return load_json("quizzes/lesson_03.json", "quiz")


def _code(cells):
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


# --------------------------------------------------------------------------- notebook

def test_lesson_is_available_and_its_notebook_exists():
    les = lesson("03")
    assert les.status == "available"
    assert (ROOT / "notebooks" / les.notebook) == NOTEBOOK and NOTEBOOK.is_file()


def test_overview_lists_the_course_objectives_and_time(prose):
    les = lesson("03")
    for i, objective in enumerate(les.objectives, 1):
        assert f"{i}. {objective}" in prose
    assert f"**Estimated time:** {les.minutes} minutes" in prose


def test_skeleton_sections_in_order(cells):
    headings = [line for c in cells if c["cell_type"] == "markdown"
                for line in "".join(c["source"]).splitlines() if line.startswith("## ")]
    names = [h[3:] for h in headings]
    for needed in ("Overview", "Setup", "Quiz", "Summary and what's next", "References"):
        assert needed in names
    order = [names.index(n) for n in ("Overview", "Setup", "Quiz", "References")]
    assert order == sorted(order)


def test_one_import_cell_and_no_inline_code(cells):
    code = _code(cells)
    assert code[0].strip() == "from melt_course import notebook as mc"
    for src in code[1:]:
        tree = ast.parse(src)
        for node in ast.walk(tree):
            assert not isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef,
                                         ast.ClassDef, ast.Assign, ast.Lambda)), src
        assert len(src.strip().splitlines()) <= 3, src


def test_every_label_is_followed_by_a_citation(prose):
    for match in LABEL_PATTERN.finditer(prose):
        after = prose[match.end():match.end() + 200]
        context = prose[match.start() - 60:match.end() + 40]
        assert re.match(r"\s*\(\[[^\]]+\]\(#ref-[a-z][a-z0-9-]*\)", after), (
            f"label {match.group(0)} without a citation: ...{context!r}")


def test_every_cited_key_resolves_and_is_listed_in_references(cells, prose):
    keys = cited_keys(prose)
    assert len(keys) >= 8
    for key in keys:
        assert get(key).key == key
    refs_cell = _code(cells)[-1]
    assert refs_cell.startswith("mc.references(")
    listed = ast.literal_eval("(" + refs_cell[len("mc.references("):])
    assert set(keys) <= set(listed)   # and the outputs' keys (tests/test_notebooks.py)


def test_every_demo_is_followed_by_try_this(cells):
    widget_calls = ("mc.startle_timeline(", "mc.stress_hormones(", "mc.diaphragm_psoas(")
    for i, c in enumerate(cells):
        src = "".join(c["source"])
        if c["cell_type"] == "code" and src.startswith(widget_calls):
            nxt = cells[i + 1]
            assert nxt["cell_type"] == "markdown" and "".join(nxt["source"]).startswith(
                "**Try this:**"), src
            prev = "".join(cells[i - 1]["source"])
            assert "Interactive demo" in prev


def test_the_psoas_stress_link_always_carries_a_hedging_label(cells):
    # In the teaching sections, every paragraph that ties the psoas to fear, stress or trauma
    # must carry a MELT, practitioner-view or contested label: never stated as fact.
    checked = 0
    for c in cells:
        text = "".join(c["source"])
        if c["cell_type"] != "markdown" or text.startswith(("**Try this:**", "## Summary",
                                                             "## Overview", "# Lesson")):
            continue
        for para in text.split("\n\n"):
            low = para.lower()
            if "psoas" in low and any(w in low for w in ("trauma", "fight, flight", "exhausted",
                                                         "influences breathing")):
                checked += 1
                labels = set(LABEL_PATTERN.findall(para))
                assert labels & {"MELT", "practitioner view", "contested"}, para
    assert checked >= 2


def test_notebook_outputs_are_stored_and_have_no_errors(cells):
    for c in cells:
        if c["cell_type"] == "code" and "import" not in "".join(c["source"]):
            assert c["outputs"], "".join(c["source"])
            for out in c["outputs"]:
                assert out["output_type"] != "error"
                assert out.get("name") != "stderr"


# --------------------------------------------------------------------------- quiz

def test_at_least_two_questions_per_objective(quiz):
    n_objectives = len(lesson("03").objectives)
    counts = dict.fromkeys(range(1, n_objectives + 1), 0)
    for q in quiz["questions"]:
        assert q["objective"] in counts, q["id"]
        counts[q["objective"]] += 1
    assert all(n >= 2 for n in counts.values()), counts


def test_question_ids_unique_and_refs_resolve(quiz):
    ids = [q["id"] for q in quiz["questions"]]
    assert len(ids) == len(set(ids))
    for q in quiz["questions"]:
        for key in q["refs"]:
            assert get(key).key == key


def test_answers_point_at_real_options(quiz):
    for q in quiz["questions"]:
        if q["type"] == "single":
            assert 0 <= q["answer"] < len(q["options"]), q["id"]
        if q["type"] == "multiple":
            assert all(0 <= a < len(q["options"]) for a in q["answer"]), q["id"]


def test_sections_named_in_questions_exist_in_the_notebook(quiz, prose):
    for q in quiz["questions"]:
        assert f"## {q['section']}" in prose, q["section"]


def test_ordering_question_matches_the_startle_data(quiz):
    ordering = [q for q in quiz["questions"] if q["type"] == "ordering"]
    assert ordering, "lesson 3 needs an ordering question for startle onsets"
    groups = {m.name.lower(): m.order_group for m in load_startle().muscles}
    for q in ordering:
        found = []
        for item in q["items"]:
            latin = re.search(r"\(([^)]+)\)", item).group(1).lower()
            found.append(groups[latin])
        assert found == sorted(found) and len(set(found)) == len(found), q["items"]


def test_numeric_blink_answer_matches_the_data(quiz):
    q = next(q for q in quiz["questions"] if q["id"] == "03-blink-ms")
    blink = next(m for m in load_startle().muscles if m.id == "orbicularis_oculi")
    assert abs(q["answer"] - blink.onset.min_ms) <= q["tolerance"]
