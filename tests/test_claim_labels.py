"""Every claim in the data carries a label and a resolving reference, the source article's
claims carry one label wherever the course restates them (the registry in seed_claims.json),
and every lesson section a quiz question points to shows that question's label."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
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
    # With ``unlabelled``, a restatement with no label is found too; a glossary link's tooltip
    # is not prose (it is judged with the glossary's data).
    assert [(c.id, lab) for c, lab, _ in label_conflicts(
        "Hitzmann says the psoas is worn out by trauma too.", unlabelled=True)] == [
        ("exhausted-by-stress", "")]
    tooltip = ("MELT's [NeuroCore](#term-neurocore \"Its rooted and reflexive mechanisms. "
               "More.\") is its idea *(MELT)*.")
    assert list(label_conflicts(tooltip, unlabelled=True)) == []


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


# --- each section and each registered claim carries the label its registry gives -------------
#
# Two registries say which label the prose must show: every quiz question names the section it
# points back to and the label of what it tests (``data/quizzes/lesson_NN.json``), and every
# claim of the source article has one label (``data/seed_claims.json``). A mismatch is real when
# the section's text never uses the question's label, or when a sentence restating a registered
# claim carries another label or none.

#: A Markdown heading line: its level (the number of ``#``) and its text, exactly as written
#: (quiz files name sections by that text, numbering included).
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*$")
#: How much of a heading or sentence a message quotes.
QUOTE = 70


@dataclass
class Section:
    """One heading of a lesson and the evidence labels of the text under it."""

    cell: int
    level: int
    heading: str
    labels: set[str] = field(default_factory=set)


def _lesson(lesson: str) -> tuple[str, list[dict]]:
    path = next((ROOT / "notebooks").glob(f"{lesson}_*.ipynb"))
    return path.name, json.loads(path.read_text(encoding="utf-8"))["cells"]


def _printed(cell: dict) -> str:
    """The Markdown or plain text a code cell's stored outputs show (a widget's placeholder
    text carries no label; a table the cell prints, such as lesson 0's list of labels, does)."""
    return "\n".join("".join(out.get("data", {}).get(kind, ""))
                     for out in cell.get("outputs", []) for kind in ("text/markdown", "text/plain"))


def lesson_sections(cells: list[dict]) -> dict[str, Section]:
    """Each heading of a lesson -> its :class:`Section`.

    A section's text runs from its heading to the next heading of the same or a higher level,
    so the labels of a ``###`` subsection count for the ``##`` section above it too. It is the
    prose of Markdown cells (lesson navigation bars, which are HTML, excluded) and what code
    cells print in their stored outputs.
    """
    sections: dict[str, Section] = {}
    open_: list[Section] = []                       # the current heading and those above it
    for i, cell in enumerate(cells):
        text = "".join(cell["source"])
        if cell["cell_type"] == "code":
            text = _printed(cell)
        elif cell["cell_type"] != "markdown" or text.lstrip().startswith("<nav"):
            continue
        for line in text.splitlines():
            heading = HEADING.match(line) if cell["cell_type"] == "markdown" else None
            if heading:
                section = Section(i, len(heading.group(1)), heading.group(2))
                open_ = [s for s in open_ if s.level < section.level] + [section]
                sections.setdefault(section.heading, section)
            for section in open_:
                section.labels |= set(find_labels(line))
    return sections


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= QUOTE else text[:QUOTE - 1] + "…")


def label_mismatches(lesson: str, questions: list[dict], cells: list[dict] | None = None
                     ) -> list[str]:
    """Quiz questions whose evidence label the section they point back to never uses.

    Parameters
    ----------
    lesson
        The lesson id ("00" to "06").
    questions
        The lesson's quiz questions as its quiz file holds them (``section`` and ``label``).
    cells
        The notebook's cells; by default the lesson's notebook is read.

    Returns
    -------
    list of str
        One message per mismatch, naming the lesson, the cell and heading, the question and
        the label expected.
    """
    name, stored = _lesson(lesson)
    sections = lesson_sections(stored if cells is None else cells)
    found = []
    for q in questions:
        section = sections.get(q["section"])
        if section is None:
            found.append(f"lesson {lesson} ({name}): question {q['id']} points to "
                         f"{_quote(q['section'])}, which is not a heading of the lesson")
        elif q["label"] not in section.labels:
            found.append(f"lesson {lesson} ({name}) cell {section.cell}, section "
                         f"{_quote(section.heading)}: question {q['id']} is labelled "
                         f"*({q['label']})*, but the section's text uses "
                         f"{sorted(section.labels) or 'no label'}; expected a *({q['label']})* "
                         f"label there")
    return found


def claim_problems(lesson: str, cells: list[dict] | None = None) -> list[str]:
    """Sentences of a lesson's prose that restate a registered claim (``seed_claims.json``)
    with a label other than the registry's, or with no label after the restatement (judged as
    :func:`~melt_course.content.evidence.label_conflicts` judges them: the first label after
    the restatement, in the same sentence, is the one the course gives it there)."""
    name, stored = _lesson(lesson)
    found = []
    for i, cell in enumerate(stored if cells is None else cells):
        text = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and not text.lstrip().startswith("<nav"):
            found += [f"lesson {lesson} ({name}) cell {i}: claim {claim.id} carries "
                      f"{f'*({label})*' if label else 'no label'}, expected "
                      f"*({claim.label})*: {_quote(sentence)}"
                      for claim, label, sentence in label_conflicts(text, unlabelled=True)]
    return found


def _questions(lesson: str) -> list[dict]:
    return json.loads((DATA / "quizzes" / f"lesson_{lesson}.json").read_text(
        encoding="utf-8"))["questions"]


@pytest.mark.parametrize("lesson", ["00", "01", "02", "03", "04", "05", "06"])
def test_every_quiz_label_is_one_its_section_uses(lesson):
    problems = label_mismatches(lesson, _questions(lesson))
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("lesson", ["00", "01", "02", "03", "04", "05", "06"])
def test_every_registered_claim_a_lesson_restates_carries_its_label(lesson):
    problems = claim_problems(lesson)
    assert problems == [], "\n".join(problems)


def _planted(lesson: str, cell: int, old: str, new: str) -> list[dict]:
    """The lesson's cells with one replacement made in one Markdown cell (a planted defect)."""
    cells = json.loads(json.dumps(_lesson(lesson)[1]))
    text = "".join(cells[cell]["source"])
    assert text.count(old) == 1, (lesson, cell, old)
    cells[cell]["source"] = [text.replace(old, new)]
    return cells


def _cell(lesson: str, words: str) -> int:
    """The index of the lesson's Markdown cell holding ``words``."""
    return next(i for i, c in enumerate(_lesson(lesson)[1])
                if c["cell_type"] == "markdown" and words in "".join(c["source"]))


def test_a_planted_wrong_or_missing_claim_label_is_found():
    where = _cell("03", "## 4. Known against claimed")
    # Hitzmann's "worn out by stress" relabelled as MELT's teaching
    wrong = _planted("03", where, "stress, anxiety and trauma *(practitioner view)*",
                     "stress, anxiety and trauma *(MELT)*")
    [message] = claim_problems("03", wrong)
    assert message.startswith(f"lesson 03 (03_stress_and_startle.ipynb) cell {where}: claim "
                              "exhausted-by-stress carries *(MELT)*, expected "
                              "*(practitioner view)*: 'Hitzmann also holds")
    assert len(message) < 250
    # the "stores trauma" idea with its label taken away
    bare = _planted("03", where, "no study has tested it *(contested)*", "no study has tested it")
    [message] = claim_problems("03", bare)
    assert "claim psoas-stores-trauma carries no label, expected *(contested)*" in message


def test_a_planted_section_label_mismatch_is_found_in_lessons_0_to_5():
    # Lesson 5: the force-plate sentence back to *(model)*, so the section under the heading
    # a research question points to shows no research label.
    where = _cell("05", "Studies of quiet standing measure balance")
    planted = _planted("05", where, "motion capture)\n*(research)*", "motion capture)\n*(model)*")
    [message] = label_mismatches("05", _questions("05"), planted)
    heading = _cell("05", "## Log a before-and-after self-assessment")
    assert message == (f"lesson 05 (05_routines.ipynb) cell {heading}, section 'Log a "
                       "before-and-after self-assessment': question 05-what-a-comparison-shows "
                       "is labelled *(research)*, but the section's text uses ['MELT', "
                       "'course', 'model']; expected a *(research)* label there")
    # Lesson 2: numbered headings, and labels in a subsection count for the section above it.
    sections = lesson_sections(_lesson("02")[1])
    assert "model" in sections["2. Length and moment arm as the hip moves"].labels
    assert (sections["Interactive demo: the psoas model explorer"].labels
            <= sections["2. Length and moment arm as the hip moves"].labels)
    # A pointer to a heading the lesson does not have.
    lost = [dict(_questions("02")[0], section="2. Length and leverage")]
    assert label_mismatches("02", lost) == [
        "lesson 02 (02_psoas_in_motion.ipynb): question 02-moment-arm-standing points to "
        "'2. Length and leverage', which is not a heading of the lesson"]


def test_lesson_6_quiz_labels_the_boxes_as_the_prose_does():
    """The review boxes, their waits and the mastery chart are the course's own rules: the quiz,
    the lesson's prose and the label registry all say *(course)*."""
    questions = _questions("06")
    assert label_mismatches("06", questions) == []
    assert "review boxes" in load_labels()["course"].meaning
    # planted: the boxes labelled as a model again
    planted = [dict(q, label="model") if q["id"] == "06-days-after-box-3" else q
               for q in questions]
    [message] = label_mismatches("06", planted)
    assert message.startswith("lesson 06 (06_review.ipynb) cell ")
    assert message.endswith(", section 'How the boxes work': question 06-days-after-box-3 is "
                            "labelled *(model)*, but the section's text uses ['course']; "
                            "expected a *(model)* label there")
