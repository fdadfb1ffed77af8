"""Every claim in the data carries a label and a resolving reference, and the source article's
claims carry one label wherever the course restates them (the registry in seed_claims.json)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from melt_course.content import bibliography
from melt_course.content.evidence import (
    find_labels,
    label_conflicts,
    load_labels,
    load_seed_claims,
)
from melt_course.content.loader import DataError, validate

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "melt_course" / "data"
#: Files whose objects carry claims (everything but schemas, bibliography and layout data).
CLAIM_FILES = sorted([*DATA.glob("routines/*.json"), DATA / "startle_claims.json",
                      DATA / "neurocore.json", DATA / "anatomy_structures.json",
                      *DATA.glob("startle/*.json"), *DATA.glob("glossary/*.json")])
REF_FIELDS = ("refs", "claim_refs", "measured_refs")


def _objects(value, path=""):
    if isinstance(value, dict):
        yield path, value
        for key, item in value.items():
            yield from _objects(item, f"{path}/{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _objects(item, f"{path}/{i}")


def _labelled(files=CLAIM_FILES):
    for path in files:
        for where, obj in _objects(json.loads(path.read_text(encoding="utf-8"))):
            if "label" in obj and isinstance(obj["label"], str):
                yield f"{path.relative_to(DATA)}{where}", obj


def _text(obj) -> str:
    return " ".join(str(obj[k]) for k in ("text", "claim", "definition") if k in obj)


def data_conflicts(objects):
    """(where, claim id, label found) for labelled objects restating a registered claim."""
    claims = load_seed_claims()
    for where, obj in objects:
        for claim in claims.values():
            if claim.found_in(_text(obj)) and obj["label"] != claim.label:
                yield where, claim.id, obj["label"]


def unreferenced(objects):
    """(where, problem) for labelled objects without a reference that resolves."""
    refs = bibliography.load_bibliography()
    for where, obj in objects:
        keys = [k for field in REF_FIELDS for k in obj.get(field, [])]
        if not keys:
            yield where, "no reference"
        for key in keys:
            if key not in refs:
                yield where, f"unknown reference {key!r}"


# --- the registry ------------------------------------------------------------------------------

def test_registry_is_valid_and_covers_the_articles_labelled_points():
    claims = load_seed_claims()
    assert {c.point for c in claims.values()} >= {2, 4, 6, 7, 8, 9, 10, 11, 13, 14}
    for claim in claims.values():
        assert claim.label in load_labels()
        bibliography.resolve(claim.refs, claim.id)


def test_registry_refuses_a_bad_pattern():
    bad = {"about": "A registry made up for a test.", "claims": [
        {"id": "x", "point": 1, "label": "MELT", "refs": ["hitzmann-psoas"],
         "claim": "A claim made up for a test.", "patterns": ["(ab"]}]}
    validate(bad, "seed_claims", "seed_claims.json")   # the schema cannot see it ...
    with pytest.raises(re.error):                       # ... the loader compiles every pattern
        re.compile(bad["claims"][0]["patterns"][0])
    bad["claims"][0]["label"] = "probably true"
    with pytest.raises(DataError, match="label"):
        validate(bad, "seed_claims", "seed_claims.json")


# --- one label per claim -----------------------------------------------------------------------

PLANTED = ("Hitzmann says the psoas is exhausted by stress and trauma too *(MELT)* "
           "[@hitzmann-psoas]. Koch argues it is exhausted rather than weak "
           "*(practitioner view)* [@koch2019].")


def test_a_planted_label_conflict_is_found_in_lesson_text():
    found = list(label_conflicts(PLANTED))
    assert [(c.id, label) for c, label, _ in found] == [("exhausted-by-stress", "MELT")]
    fixed = PLANTED.replace("*(MELT)*", "*(practitioner view)*", 1)
    assert list(label_conflicts(fixed)) == []
    # Across a line break, and judged by the first label after the restatement.
    assert list(label_conflicts("The psoas is worn out\nby stress *(contested)* [@x]."))


def test_no_lesson_labels_a_registered_claim_differently():
    found = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for i, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
            if cell["cell_type"] == "markdown":
                found += [f"{path.name} cell {i}: {c.id} labelled {lab!r}, not {c.label!r}: "
                          f"{sentence[:120]}" for c, lab, sentence
                          in label_conflicts("".join(cell["source"]))]
    assert found == [], "\n".join(found)


def test_a_planted_label_conflict_is_found_in_data():
    planted = [("fixture/claims/0", {"claim": "The psoas is exhausted by stress and trauma.",
                                     "label": "MELT", "refs": ["hitzmann-psoas"]})]
    assert list(data_conflicts(planted)) == [("fixture/claims/0", "exhausted-by-stress", "MELT")]
    planted[0][1]["label"] = "practitioner view"
    assert list(data_conflicts(planted)) == []


def test_no_data_file_labels_a_registered_claim_differently():
    assert list(data_conflicts(_labelled())) == []


# --- every labelled claim has a resolving reference --------------------------------------------

def test_a_planted_unreferenced_claim_is_found():
    planted = [("fixture/0", {"text": "The psoas stores trauma.", "label": "contested"}),
               ("fixture/1", {"text": "A tie.", "label": "anatomy", "refs": ["nobody2099"]})]
    assert [p for _, p in unreferenced(planted)] == ["no reference",
                                                    "unknown reference 'nobody2099'"]


def test_every_labelled_claim_in_the_data_has_a_resolving_reference():
    objects = list(_labelled())
    assert len(objects) > 100
    assert list(unreferenced(objects)) == []


def test_routine_ideas_and_ties_all_carry_labels():
    for path in DATA.glob("routines/*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        for tie in data["ties"]:
            assert tie.get("label") and tie.get("refs"), (path.name, tie["text"])
        for step in data["steps"]:
            if "idea" in step:
                assert step["idea"]["label"] and step["idea"]["refs"], (path.name, step["name"])


#: A citation as lessons write it: ``[@key]`` (or, once converted, a Markdown link to a reference).
CITATION = re.compile(r"\[@[\w-]+\]|\]\(#[^)]+\)")


def summary_problems(summary: str) -> list[str]:
    """Bullets of a lesson summary that carry no evidence label, or no reference (a bullet whose
    only label is *(course)*, the course's own rule, needs none)."""
    bullets = re.findall(r"^- (.+?)(?=^- |^\s*$|\Z)", summary, re.M | re.S)
    problems = [] if bullets else ["the summary has no bullet points"]
    for bullet in bullets:
        text = " ".join(bullet.split())
        labels = find_labels(text)
        if not labels:
            problems.append(f"no evidence label: {text[:90]}")
        elif set(labels) != {"course"} and not CITATION.search(text):
            problems.append(f"no reference: {text[:90]}")
    return problems


def _summary(lesson: str) -> str:
    path = next((ROOT / "notebooks").glob(f"{lesson}_*.ipynb"))
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return next("".join(c["source"]) for c in cells
                if "".join(c["source"]).startswith("## Summary"))


def test_a_planted_unlabelled_summary_point_is_found():
    # Planted defect: lesson 1's old summary point, a restated claim with no label.
    planted = ("## Summary and what's next\n\n"
               "- Psoas major arises from the sides of the T12-L5 bodies *(anatomy)* [@gray1918].\n"
               "- The diaphragm arises partly from an arch over its top, and\n"
               "  the kidneys rest on it.\n"
               "- The timer's breaths are the course's own *(course)*.\n"
               "- Sitting shortens psoas by about 7 cm *(model)*.\n\n**Next:** lesson 2.")
    assert summary_problems(planted) == [
        "no evidence label: The diaphragm arises partly from an arch over its top, and the kidneys "
        "rest on it."[:90 + len("no evidence label: ")],
        "no reference: Sitting shortens psoas by about 7 cm *(model)*."]
    assert summary_problems("## Summary\n\nNo bullets at all.") == [
        "the summary has no bullet points"]


@pytest.mark.parametrize("lesson", ["00", "01", "02", "03", "04", "05", "06"])
def test_every_point_of_every_lesson_summary_carries_a_label_and_a_reference(lesson):
    summary = _summary(lesson)
    assert summary_problems(summary) == []
    # and the labels it uses are the course's labels, consistent with the registry
    assert all(label in load_labels() for label in find_labels(summary))
    assert list(label_conflicts(summary)) == []


def _section_labels(lesson: str) -> dict[str, set[str]]:
    """Each heading of a lesson (numbering dropped) -> the evidence labels its prose uses."""
    path = next((ROOT / "notebooks").glob(f"{lesson}_*.ipynb"))
    sections: dict[str, set[str]] = {}
    current = None
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for line in "".join(cell["source"]).splitlines():
            heading = re.match(r"#+\s*(?:\d+\.\s*)?(.+)", line)
            if heading:
                current = heading.group(1).strip()
                sections.setdefault(current, set())
            elif current:
                sections[current] |= set(find_labels(line))
    return sections


def label_mismatches(lesson: str, questions: list[dict]) -> list[str]:
    """Quiz questions whose evidence label is not one the section they point to uses."""
    sections = _section_labels(lesson)
    return [f"{q['id']}: {q['label']} (section {q['section']!r} uses "
            f"{sorted(sections.get(q['section'], ()))})"
            for q in questions if q["label"] not in sections.get(q["section"], ())]


def test_lesson_6_quiz_labels_the_boxes_as_the_prose_does():
    """The review boxes, their waits and the mastery chart are the course's own rules: the quiz,
    the lesson's prose and the label registry all say *(course)*."""
    questions = json.loads((DATA / "quizzes" / "lesson_06.json").read_text(
        encoding="utf-8"))["questions"]
    assert label_mismatches("06", questions) == []
    assert "review boxes" in load_labels()["course"].meaning
    # planted: the boxes labelled as a model again
    planted = [dict(q, label="model") if q["id"] == "06-days-after-box-3" else q
               for q in questions]
    assert label_mismatches("06", planted) == [
        "06-days-after-box-3: model (section 'How the boxes work' uses ['course'])"]
