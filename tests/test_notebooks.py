"""Every lesson notebook follows the course skeleton and its claims are labelled and cited.

nbval (run on notebooks/ by the same pytest command) checks that the stored outputs are what a
fresh kernel produces; these tests check the notebooks' structure and honesty rules.
"""

import ast
import json
import re
from pathlib import Path

import pytest

from melt_course.content import bibliography, course, evidence

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
LESSON_FILES = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
QUIZ_DIR = Path(bibliography.__file__).parent / "data" / "quizzes"


def _cells(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [(c["cell_type"], "".join(c["source"]), c) for c in nb["cells"]]


def _markdown(path):
    return "\n\n".join(src for kind, src, _ in _cells(path) if kind == "markdown")


def _code(path):
    return [src for kind, src, _ in _cells(path) if kind == "code"]


def _headings(path):
    return [line for line in _markdown(path).splitlines() if line.startswith("#")]


def _reference_keys(path):
    """The keys listed in the notebook's closing ``mc.references(...)`` call."""
    calls = [src for src in _code(path) if src.strip().startswith("mc.references(")]
    assert len(calls) == 1, f"{path.name}: expected one mc.references(...) cell, got {len(calls)}"
    call = ast.parse(calls[0].strip()).body[0].value
    return [arg.value for arg in call.args]


@pytest.fixture(params=LESSON_FILES, ids=lambda p: p.name)
def notebook(request):
    return request.param


def test_every_notebook_is_on_the_course_map_and_every_available_lesson_exists():
    mapped = {les.notebook: les for les in course.load_course()}
    assert {p.name for p in LESSON_FILES} <= set(mapped), "a notebook is missing from course.json"
    for name, les in mapped.items():
        assert (NOTEBOOKS / name).exists() == (les.status == "available"), (
            f"{name}: status {les.status!r} does not match whether the notebook exists")


def test_skeleton_sections_in_order(notebook):
    heads = [h.lstrip("#").strip().lower() for h in _headings(notebook)]
    assert _headings(notebook)[0].startswith("# "), "first heading must be the title"
    wanted = ["overview", "setup", "summary and what's next", "references"]
    if (QUIZ_DIR / f"lesson_{notebook.name[:2]}.json").exists():
        wanted.insert(2, "quiz")
    positions = []
    for section in wanted:
        hits = [i for i, h in enumerate(heads) if h.startswith(section)]
        assert hits, f"{notebook.name}: no '{section}' section"
        positions.append(hits[0])
    assert positions == sorted(positions), f"{notebook.name}: sections out of order {wanted}"


def test_overview_lists_the_course_maps_objectives_and_time(notebook):
    les = course.lesson(notebook.name[:2])
    md = _markdown(notebook)
    overview = md[md.index("## Overview"):md.index("## Setup")]
    numbered = re.findall(r"^\d+\. (.+)$", overview, flags=re.M)
    assert numbered == list(les.objectives)
    assert re.search(rf"Estimated time:\*\* {les.minutes} minutes", overview)


def test_one_import_cell_and_no_inline_helper_code(notebook):
    code = _code(notebook)
    importing = [src for src in code if re.search(r"^\s*(import|from)\s", src, flags=re.M)]
    assert len(importing) == 1 and "from melt_course import notebook as mc" in importing[0]
    assert len(importing[0].strip().splitlines()) <= 2
    for src in code:
        tree = ast.parse(src)
        defined = [n for n in ast.walk(tree)
                   if isinstance(n, ast.FunctionDef | ast.ClassDef | ast.Lambda)]
        assert not defined, f"{notebook.name}: a notebook defines code inline: {src!r}"
        assert len(src.strip().splitlines()) <= 3, f"{notebook.name}: long code cell {src!r}"


def test_citations_resolve_and_are_listed_in_the_references(notebook):
    md = _markdown(notebook)
    cited = bibliography.cited_keys(md)
    assert cited, f"{notebook.name} cites nothing"
    bibliography.resolve(cited, notebook.name)
    listed = _reference_keys(notebook)
    outputs = "\n".join("".join(out.get("data", {}).get("text/markdown", ""))
                        for _, _, cell in _cells(notebook) for out in cell.get("outputs", []))
    shown = set(cited) | set(bibliography.cited_keys(outputs))
    assert len(listed) == len(set(listed)), f"{notebook.name}: a reference is listed twice"
    assert set(cited) <= set(listed) and set(listed) <= shown, (
        f"{notebook.name}: references cell lists {sorted(listed)} but the text cites "
        f"{sorted(cited)} and its outputs {sorted(shown - set(cited))}")


def test_every_cited_paragraph_carries_an_evidence_label(notebook):
    for para in re.split(r"\n\s*\n", _markdown(notebook)):
        if bibliography.cited_keys(para):
            assert evidence.find_labels(para), f"{notebook.name}: cited without a label: {para!r}"


def test_interactive_demos_end_with_questions_to_try(notebook):
    cells = _cells(notebook)
    for i, (kind, src, _) in enumerate(cells):
        if kind == "markdown" and "interactive demo" in src.lower() and src.lstrip().startswith("#"):
            after = [s for k, s, _ in cells[i + 1:i + 5] if k == "markdown"]
            assert any("try this" in s.lower() for s in after), (
                f"{notebook.name}: demo '{src.splitlines()[0]}' has no 'Try this' questions")


def test_stored_outputs_come_from_one_clean_run(notebook):
    runs = [c["execution_count"] for kind, _, c in _cells(notebook) if kind == "code"]
    assert runs == list(range(1, len(runs) + 1)), f"{notebook.name}: restart and run all"
    for _, _, cell in _cells(notebook):
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error" and out.get("name") != "stderr", (
                f"{notebook.name}: stored error or stderr output")
