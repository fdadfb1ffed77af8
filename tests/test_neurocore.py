"""Lesson 4's content: the NeuroCore data and the text blocks the notebook shows."""

import json
import re

import pytest

from melt_course import notebook as mc
from melt_course.content import bibliography, evidence, loader
from melt_course.content.neurocore import load_neurocore
from melt_course.models.balance import DEFAULT_BODY, simulate


def test_terms_are_melts_and_each_points_at_labelled_cited_science():
    terms, notes = load_neurocore()
    assert [t.id for t in terms] == ["neurocore", "rooted", "reflexive"]
    for term in terms:
        bibliography.resolve(term.refs, term.id)
        assert any(key.startswith("hitzmann") for key in term.refs), term.id
        assert term.points_at and term.untested
        for idea in term.points_at:
            assert idea.label in ("anatomy", "research", "model", "contested")
            bibliography.resolve(idea.refs, idea.idea)
    reflexive_core = [n for n in notes if n.id == "reflexive-core"]
    assert reflexive_core and "not MELT" in reflexive_core[0].text
    assert reflexive_core[0].label == "practitioner view"


def test_rendered_table_labels_every_cited_line():
    text = mc.neurocore().markdown
    for paragraph in re.split(r"\n\s*\n|\n- ", text):
        if bibliography.cited_keys(paragraph):
            assert evidence.find_labels(paragraph), paragraph
    assert text.count("*(MELT)*") == 3
    assert "Reflexive Core" in text


def test_bad_neurocore_data_is_reported_with_file_and_entry(monkeypatch):
    good = json.loads((loader._data_root() / "neurocore.json").read_text(encoding="utf-8"))
    bad = json.loads(json.dumps(good))
    bad["terms"][1]["points_at"][0]["label"] = "MELT"    # mainstream ideas cannot be MELT's
    with pytest.raises(loader.DataError, match=r"neurocore\.json.*label"):
        loader.validate(bad, "neurocore", "data/neurocore.json")
    missing = json.loads(json.dumps(good))
    del missing["terms"][0]["untested"]
    with pytest.raises(loader.DataError, match=r"entry 'neurocore'.*untested"):
        loader.validate(missing, "neurocore", "data/neurocore.json")


def test_parameter_table_shows_the_models_values():
    text = mc.balance_parameters().markdown
    assert f"| {DEFAULT_BODY.mass:g} kg |" in text
    assert f"{DEFAULT_BODY.inertia:g} kg·m²" in text
    assert text.count("illustrative") >= 4
    bibliography.resolve(bibliography.cited_keys(text), "balance_parameters")


def test_sensory_experiment_table_matches_the_model():
    text = mc.sensory_experiment(seeds=2).markdown
    rows = [line for line in text.splitlines() if re.match(r"\| \d\.\d \|", line)]
    assert [r.split("|")[1].strip() for r in rows] == ["0.9", "0.7", "0.4", "0.1"]
    runs = [simulate(foot_weight=0.1, eyes_open=False, seed=s) for s in range(2)]
    areas = sorted(r.sway_area_cm2 for r in runs if not r.fell)
    assert f"{(areas[0] + areas[1]) / 2:.1f} cm²" in rows[-1]
    with pytest.raises(ValueError, match="seeds=0"):
        mc.sensory_experiment(seeds=0)


def test_grf_table_is_m_times_g_plus_a():
    text = mc.grf_table().markdown
    weight = (DEFAULT_BODY.mass + DEFAULT_BODY.feet_mass) * 9.81
    assert f"{weight:.0f} N (100% of body weight)" in text
    assert f"{(DEFAULT_BODY.mass + DEFAULT_BODY.feet_mass) * 10.81:.0f} N" in text


def test_quiz_covers_each_objective_twice_and_points_at_real_sections():
    from pathlib import Path

    from melt_course.content import course, quiz

    questions = quiz.by_lesson("04")
    for number in range(1, len(course.lesson("04").objectives) + 1):
        assert sum(q.objective == number for q in questions) >= 2, number
    notebook = Path(__file__).resolve().parent.parent / "notebooks" / "04_neurocore.ipynb"
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    headings = {line.lstrip("#").strip() for c in cells if c["cell_type"] == "markdown"
                for line in "".join(c["source"]).splitlines() if line.startswith("#")}
    assert {q.section for q in questions} <= headings
