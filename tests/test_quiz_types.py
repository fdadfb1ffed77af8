"""One handler per question type (issue 16): each type is one module for checking, grading and
export (melt_course/content/quiz/TYPE.py) and one for display (melt_course/widgets/quiz/TYPE.py),
and nothing else in the course branches on a question's type."""

from __future__ import annotations

import re
from pathlib import Path

from melt_course.content import quiz as Q
from melt_course.content.quiz.registry import HANDLERS
from melt_course.widgets.quiz.controls import CONTROLS

PACKAGE = Path(__file__).resolve().parent.parent / "melt_course"

#: Files still branching on the type, each with the reason (to be moved to the type modules).
KNOWN: set[str] = set()


def test_every_type_has_one_handler_and_one_display_in_a_module_of_its_own():
    assert tuple(HANDLERS) == tuple(CONTROLS) == Q.QUESTION_TYPES
    for name in Q.QUESTION_TYPES:
        handler, control = HANDLERS[name], CONTROLS[name]
        assert handler.name == name
        assert type(handler).__module__ == f"melt_course.content.quiz.{name}"
        assert control.__module__ == f"melt_course.widgets.quiz.{name}"


_BRANCH = re.compile(r"""\.type\s*(==|!=|in)\s*[("']|\[["']type["']\]\s*(==|!=)""")


def test_nothing_else_branches_on_a_question_type():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith(("content/quiz/", "widgets/quiz/")) or rel in KNOWN:
            continue
        text = path.read_text(encoding="utf-8")
        found += [f"{rel}:{n}" for n, line in enumerate(text.splitlines(), 1)
                  if _BRANCH.search(line)]
    assert not found, "question-type branches outside the type modules: " + ", ".join(found)


def test_a_recorded_answer_reads_as_text_through_its_type():
    for q in Q.load_bank():
        right = Q.grade(q, list(q.answer) if q.type in ("multiple", "ordering") else q.answer)
        text = q.describe_answer(right.answer)
        assert isinstance(text, str) and text
        assert q.answer_text() == text
    single = next(q for q in Q.load_bank() if q.type == "single")
    assert single.describe_answer(99) == "99"  # no longer fits the bank: shown as recorded
    assert single.describe_answer(-1) == "-1", "a negative index named the last option"
    multiple = next(q for q in Q.load_bank() if q.type == "multiple")
    assert multiple.describe_answer([0, 99]) == "[0, 99]"
    numeric = next(q for q in Q.load_bank() if q.type == "numeric")
    assert numeric.describe_answer(10 ** 400).startswith("1000")  # too big for a float
    assert numeric.describe_answer({"x": 1}) == '{"x": 1}'        # as recorded: JSON
