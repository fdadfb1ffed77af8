"""Multiple choice: one tick box per option, in a shuffled order."""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from melt_course.widgets.quiz.control import AnswerControl

__all__ = ["MultipleControl"]


class MultipleControl(AnswerControl):
    """Tick boxes; the answer is the ticked options' indices in the file."""

    incomplete = "Tick at least one option first."

    def build(self) -> W.Widget:
        self.boxes = [self.look.make(W.Checkbox, value=False, description=label, indent=False,
                                     layout={"width": "auto", "max_width": "100%"})
                      for label in self.choice_labels()]
        for box in self.boxes:
            box.add_class("melt-quiz-option")
        self.inputs = list(self.boxes)
        hint = self.look.make(W.HTML, "<i>Tick every option that is right.</i>")
        return self.look.make(W.VBox, [hint, *self.boxes])

    def answer(self) -> Any:
        picked = sorted(i for i, box in zip(self.order, self.boxes, strict=True) if box.value)
        return picked or None

    def set_answer(self, answer: Any) -> None:
        chosen = set(answer)
        for index, box in zip(self.order, self.boxes, strict=True):
            box.value = index in chosen
