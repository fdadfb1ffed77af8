"""Numeric: a text box that starts empty, read with a decimal point or a decimal comma.

ipywidgets' FloatText cannot be empty (it starts at 0, which could be checked as an answer,
and snaps back to the last number when cleared) and silently drops a decimal comma ("36,5"
became 365). A Text box keeps exactly what the learner typed; :func:`melt_course.content.quiz.
parse_number` reads it when Check is pressed, and says what is wrong when it cannot.
"""

from __future__ import annotations

from html import escape
from typing import Any

import ipywidgets as W

from melt_course.content import quiz as Q
from melt_course.widgets.quiz.control import AnswerControl

__all__ = ["NumericControl"]


class NumericControl(AnswerControl):
    """A text box for a number, with the units (and what they mean) beside it."""

    incomplete = "Type a number first."

    def build(self) -> W.Widget:
        q = self.question
        # continuous_update=False: the box sends its text once, when the learner leaves it
        # (Tab to Check) or presses Enter, so a quick Check never grades a half-typed number.
        self.number = self.look.make(W.Text, value="", description="Answer",
                                     placeholder="e.g. 12.5 or 12,5",
                                     continuous_update=False,
                                     layout={"width": "16em", "max_width": "100%"})
        self.inputs = [self.number]
        units = self.look.make(W.HTML, f'<span class="melt-quiz-units">'
                                       f"{escape(Q.units_hint(q))}</span>")
        box = self.look.make(W.HBox, [self.number, units],
                             layout={"flex_flow": "row wrap", "align_items": "center"})
        return box

    def answer(self) -> Any:
        text = self.number.value
        if not text.strip():
            return None
        return Q.parse_number(text, self.question)

    def set_answer(self, answer: Any) -> None:
        self.number.value = answer if isinstance(answer, str) else f"{answer:g}"

    def note(self, result: Q.Result) -> str | None:
        typed = self.number.value.strip()
        read = f"{result.answer:g}"
        if typed == read:
            return None
        return f"Your answer “{typed}” was read as {read} {self.question.units or ''}".rstrip() \
            + "."
