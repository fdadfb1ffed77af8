"""Sample questions of every type, written as JSON entries (validated against the schema)."""

from __future__ import annotations

import copy

from melt_course.content import quiz as Q
from melt_course.content.loader import validate

SINGLE = {
    "id": "00-sample-single", "type": "single", "objective": 1,
    "prompt": "Which one is right?",
    "options": [{"text": "alpha", "feedback": "fb alpha"}, {"text": "beta", "feedback": "fb beta"},
                {"text": "gamma", "feedback": "fb gamma"}],
    "answer": 1, "explanation": "Because beta.", "section": "Section A", "label": "anatomy",
    "refs": ["gray1918"],
}
MULTIPLE = {
    "id": "00-sample-multiple", "type": "multiple", "objective": 2,
    "prompt": "Which ones are right?",
    "options": [{"text": f"opt {i}", "feedback": f"fb {i}"} for i in range(5)],
    "answer": [0, 3], "explanation": "Because 0 and 3.", "section": "Section B",
    "label": "research", "refs": ["juker1998"],
}
NUMERIC = {
    "id": "00-sample-numeric", "type": "numeric", "objective": 1,
    "prompt": "How many degrees?", "answer": 90, "tolerance": 5, "units": "degrees",
    "feedback": {"correct": "fb right", "too_low": "fb low", "too_high": "fb high"},
    "explanation": "Ninety.", "section": "Section C", "label": "model", "refs": ["gray1918"],
}
ORDERING = {
    "id": "00-sample-ordering", "type": "ordering", "objective": 3,
    "prompt": "Put these in order.", "items": ["first", "second", "third", "fourth"],
    "feedback": {"correct": "fb in order", "incorrect": "fb out of order"},
    "explanation": "That order.", "section": "Section D", "label": "MELT",
    "refs": ["hitzmann-psoas"],
}
LABEL = {
    "id": "00-sample-label", "type": "label", "objective": 1,
    "prompt": "What is marked?", "figure": "labels:draw_leg_marked",
    "structures": ["the head", "the trunk", "the leg"], "answer": "the trunk",
    "feedback": {"correct": "fb label right", "incorrect": "fb label wrong"},
    "explanation": "The trunk.", "section": "Section E", "label": "anatomy",
    "refs": ["gray1918"],
}
ALL = {"single": SINGLE, "multiple": MULTIPLE, "numeric": NUMERIC, "ordering": ORDERING,
       "label": LABEL}


def entry(qtype: str, **changes) -> dict:
    """A deep copy of the sample entry of a type, with fields changed."""
    out = copy.deepcopy(ALL[qtype])
    out.update(changes)
    return out


def question(qtype: str, **changes) -> Q.Question:
    """A Question built from a schema-valid sample entry, as load_bank builds them."""
    data = entry(qtype, **changes)
    validate({"lesson": "00", "questions": [data]}, "quiz", "tests")
    return Q.question_from_entry(data, "00", "tests")
