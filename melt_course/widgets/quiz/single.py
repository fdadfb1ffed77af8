"""Single choice: radio buttons, one per option, in a shuffled order."""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from melt_course.widgets.quiz.control import AnswerControl

__all__ = ["SingleControl"]


class SingleControl(AnswerControl):
    """Radio buttons; the value is the option's index in the file."""

    def build(self) -> W.Widget:
        labels = self.choice_labels()
        self.radio = self.look.make(W.RadioButtons, options=list(zip(labels, self.order,
                                                                     strict=True)),
                                    value=None, layout={"width": "auto", "max_width": "100%"})
        self.radio.add_class("melt-quiz-options")
        self.inputs = [self.radio]
        return self.radio

    def answer(self) -> Any:
        return self.radio.value

    def set_answer(self, answer: Any) -> None:
        self.radio.value = answer
