"""The display of each question type, by name: the one place that lists them."""

from __future__ import annotations

from melt_course.widgets.quiz.control import AnswerControl
from melt_course.widgets.quiz.label import LabelControl
from melt_course.widgets.quiz.multiple import MultipleControl
from melt_course.widgets.quiz.numeric import NumericControl
from melt_course.widgets.quiz.ordering import OrderingControl
from melt_course.widgets.quiz.single import SingleControl

__all__ = ["CONTROLS", "control_for"]

#: Question type -> the class that shows it.
CONTROLS: dict[str, type[AnswerControl]] = {
    "single": SingleControl, "multiple": MultipleControl, "numeric": NumericControl,
    "ordering": OrderingControl, "label": LabelControl}


def control_for(question, order, look) -> AnswerControl:
    """The answer controls for ``question`` (see :class:`AnswerControl`).

    Raises
    ------
    KeyError
        For a question type with no display.
    """
    try:
        kind = CONTROLS[question.type]
    except KeyError:
        raise KeyError(f"question type {question.type!r} has no display; known: "
                       f"{sorted(CONTROLS)}") from None
    return kind(question, order, look)
