"""Ordering: one menu per place, each offering every item."""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from melt_course.widgets.quiz.control import CHOOSE, AnswerControl

__all__ = ["OrderingControl"]


class OrderingControl(AnswerControl):
    """Menus 1., 2., ... each choosing one item; the answer is the items in that order."""

    incomplete = "Choose an item for every place first."

    def build(self) -> W.Widget:
        options = [(CHOOSE, None)] + [(label, label) for label in self.choice_labels()]
        self.dropdowns = [self.look.make(W.Dropdown, options=options, value=None,
                                         description=f"{pos}.",
                                         layout={"width": "auto", "max_width": "100%"})
                          for pos in range(1, len(options))]
        self.inputs = list(self.dropdowns)
        hint = self.look.make(W.HTML, "<i>Choose the items in order, first to last.</i>")
        return self.look.make(W.VBox, [hint, *self.dropdowns])

    def answer(self) -> Any:
        values = [d.value for d in self.dropdowns]
        if None in values:
            return None
        if len(set(values)) != len(values):
            raise ValueError("Use each item exactly once.")
        return values

    def set_answer(self, answer: Any) -> None:
        if len(answer) != len(self.dropdowns):
            raise ValueError(f"expected {len(self.dropdowns)} items")
        for dropdown, value in zip(self.dropdowns, answer, strict=True):
            dropdown.value = value
