"""What every question type's display provides: :class:`AnswerControl`.

Each question type has one module here (``single.py``, ``multiple.py``, ...) with one
:class:`AnswerControl` subclass: the controls a learner answers with, reading the answer back
in the file's order, and setting it (for tests and demos). The card around it
(:class:`~melt_course.widgets.quiz.card.QuestionCard`) is the same for every type; grading is
the type's module in :mod:`melt_course.content.quiz`.

Every control is a standard ipywidgets control (RadioButtons, Checkbox, Text, Dropdown), so a
question works from the keyboard: Tab moves between controls, arrow keys move in a menu, Space
ticks a box, Enter presses a button. A single-choice question's options are one radio group
(one Tab stop; the arrow keys move the choice): :mod:`melt_course.widgets.quiz.radio_group`.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from melt_course.content import quiz as Q
from melt_course.widgets.base import SharedLook

__all__ = ["CHOOSE", "AnswerControl"]

#: The empty first entry of a menu.
CHOOSE = "— choose —"


class AnswerControl:
    """The answer part of one question's card.

    Parameters
    ----------
    question : melt_course.content.quiz.Question
        The question.
    order : tuple of int
        Display position -> index in the file, for the question's choices.
    look : SharedLook
        Layouts and styles shared with the other cards of the quiz.

    Attributes
    ----------
    widget : ipywidgets.Widget
        What the card shows between the prompt and the buttons.
    inputs : list of ipywidgets.Widget
        The controls the learner changes (disabled after a check).
    """

    #: Shown when Check is pressed before the answer is complete.
    incomplete = "Choose an answer first."

    def __init__(self, question: Q.Question, order: tuple[int, ...], look: SharedLook) -> None:
        self.question = question
        self.order = order
        self.look = look
        self.inputs: list[W.Widget] = []
        self.widget = self.build()

    def build(self) -> W.Widget:
        """Make the controls; set :attr:`inputs`; return the widget to show."""
        raise NotImplementedError

    def answer(self) -> Any:
        """The learner's answer in the file's order, or None when it is not complete yet.

        Raises
        ------
        ValueError
            With a message for the learner, when what they entered cannot be read.
        """
        raise NotImplementedError

    def set_answer(self, answer: Any) -> None:
        """Set the controls to an answer given in the file's order."""
        raise NotImplementedError

    def note(self, result: Q.Result) -> str | None:
        """A line for the feedback saying how the answer was read (None: nothing to say)."""
        return None

    def enable(self, enabled: bool) -> None:
        """Let the learner change the answer, or not."""
        for widget in self.inputs:
            widget.disabled = not enabled

    def choice_labels(self) -> list[str]:
        """The choices in display order."""
        choices = self.question.choices()
        return [choices[i] for i in self.order]
