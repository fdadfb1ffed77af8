"""Label: a figure with one structure marked, and a menu of names."""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from melt_course.figures.labels import LABEL_QUESTION
from melt_course.widgets.diagram import Still
from melt_course.widgets.quiz.control import CHOOSE, AnswerControl

__all__ = ["LabelControl"]


class LabelControl(AnswerControl):
    """The marked figure (a stored frame until drawn live) above a menu of structures."""

    def build(self) -> W.Widget:
        q = self.question
        options = [(CHOOSE, None)] + [(label, label) for label in self.choice_labels()]
        self.dropdown = self.look.make(W.Dropdown, options=options, index=0,
                                       description="Marked:",
                                       layout={"width": "auto", "max_width": "100%"})
        self.inputs = [self.dropdown]
        alt = q.figure_alt or "One structure on the figure is marked with an arrow."
        self.view = Still(LABEL_QUESTION, (q.figure, q.answer, alt))
        return self.look.make(W.VBox, [self.view, self.dropdown])

    def answer(self) -> Any:
        return self.dropdown.value

    def set_answer(self, answer: Any) -> None:
        self.dropdown.value = answer
