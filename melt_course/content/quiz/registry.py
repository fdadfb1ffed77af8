"""The question types, by name: the one place that lists them."""

from __future__ import annotations

from melt_course.content.quiz.base import QuestionType
from melt_course.content.quiz.label import Label
from melt_course.content.quiz.multiple import MultipleChoice
from melt_course.content.quiz.numeric import Numeric
from melt_course.content.quiz.ordering import Ordering
from melt_course.content.quiz.single import SingleChoice

__all__ = ["HANDLERS", "QUESTION_TYPES", "handler"]

#: Every question type, in the order the course introduces them.
HANDLERS: dict[str, QuestionType] = {h.name: h for h in (
    SingleChoice(), MultipleChoice(), Numeric(), Ordering(), Label())}

#: The question types' names.
QUESTION_TYPES = tuple(HANDLERS)


def handler(name: str) -> QuestionType:
    """The question type called ``name``.

    Raises
    ------
    KeyError
        Naming the type and the known ones.
    """
    try:
        return HANDLERS[name]
    except KeyError:
        raise KeyError(f"unknown question type {name!r}; expected one of "
                       f"{list(QUESTION_TYPES)}") from None
