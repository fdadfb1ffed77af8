"""The question bank and grading: pure Python, no widgets.

Questions live in ``melt_course/data/quizzes/lesson_NN.json`` (one file per lesson), validated
against ``schemas/quiz.schema.json`` when loaded and then cross-checked against the course map
and the bibliography. Each question type is one module here, which alone knows its fields,
checks, grading, answer text and jupyterquiz form (as jupyterquiz keeps one file per type):

``single`` (:mod:`.single`)
    One option is right. Answer: the option's index (0-based, in the file's order).
``multiple`` (:mod:`.multiple`)
    One or more options are right. Answer: a list (or set) of option indices.
``numeric`` (:mod:`.numeric`)
    A number in the question's ``units``; right within ``tolerance``. Answer: a number;
    :func:`parse_number` reads what a learner types ("36,5" is 36.5).
``ordering`` (:mod:`.ordering`)
    Put ``items`` (written in the right order in the file) in order. Answer: the items, as
    strings, in the learner's order.
``label`` (:mod:`.label`)
    Name the structure marked on a figure. Answer: one of ``structures`` (a string).

:func:`grade` checks an answer and returns a :class:`Result` with ``.correct`` and the
feedback; a malformed answer (wrong type, out of range, empty, NaN, too large) raises
``ValueError``. Option indices always refer to the file's order, so a shuffled display is
mapped back before grading (see :func:`option_order`).
"""

from __future__ import annotations

from typing import Any

from melt_course.content.quiz.bank import by_lesson, get, load_bank, question_from_entry
from melt_course.content.quiz.jupyterquiz import (
    JUPYTERQUIZ_TYPES,
    export_jupyterquiz,
    to_jupyterquiz,
)
from melt_course.content.quiz.model import Option, Question, Result
from melt_course.content.quiz.numeric import accepted_range, parse_number, units_hint
from melt_course.content.quiz.registry import QUESTION_TYPES, handler
from melt_course.content.quiz.shuffle import option_order, shuffle_questions

__all__ = ["JUPYTERQUIZ_TYPES", "QUESTION_TYPES", "Option", "Question", "Result",
           "accepted_range", "by_lesson", "export_jupyterquiz", "get", "grade", "handler",
           "load_bank", "option_order", "parse_number", "question_from_entry",
           "shuffle_questions", "to_jupyterquiz", "units_hint"]


def grade(question: Question, answer: Any) -> Result:
    """Check an answer to a question.

    Parameters
    ----------
    question : Question
        A question from :func:`load_bank`.
    answer : object
        single: an option index (int); multiple: a non-empty collection of distinct option
        indices; numeric: a finite number in ``question.units``; ordering: every item (str)
        once, in the learner's order; label: one of ``question.structures``. Indices refer
        to the file's order of options.

    Returns
    -------
    Result
        ``.correct``, ``.feedback`` (per chosen answer, plus a summary when wrong), the
        normalised answer, and the question's explanation and section.

    Raises
    ------
    ValueError
        For a malformed answer: wrong type, index out of range, empty, repeated, not a
        finite number, or not one of the choices. The message names the value.
    """
    if not isinstance(question, Question):
        raise ValueError(f"question {question!r} is not a Question; get one from load_bank()")
    correct, messages, normalised = question.handler.grade(question, answer)
    return Result(correct=correct, feedback="\n".join(messages), messages=tuple(messages),
                  answer=normalised, explanation=question.explanation,
                  section=question.section, question_id=question.id)
