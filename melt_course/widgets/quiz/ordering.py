"""Ordering: the items listed with letters (A, B, ...), and one menu of letters per place.

The items are shown in full, where they wrap on a narrow screen; the menus offer only their
letters, so a closed menu never cuts an item's text off.
"""

from __future__ import annotations

from html import escape
from string import ascii_uppercase
from typing import Any

import ipywidgets as W

from melt_course.widgets.quiz.control import CHOOSE, AnswerControl

__all__ = ["OrderingControl"]


class OrderingControl(AnswerControl):
    """Menus 1., 2., ... each choosing one item by its letter; the answer is the items."""

    incomplete = "Choose an item for every place first."

    def build(self) -> W.Widget:
        labels = self.choice_labels()
        self.letters = dict(zip(ascii_uppercase, labels, strict=False))
        items = "".join(f"<li><b>{letter}.</b> {escape(text)}</li>"
                        for letter, text in self.letters.items())
        listing = self.look.make(
            W.HTML, '<p><i>Put these in order, first to last: choose a letter for each '
                    f'place.</i></p><ul class="melt-quiz-items">{items}</ul>')
        options = [(CHOOSE, None)] + [(letter, text) for letter, text in self.letters.items()]
        self.dropdowns = [self.look.make(W.Dropdown, options=options, index=0,
                                         description=f"{pos}.",
                                         layout={"width": "auto", "max_width": "100%"})
                          for pos in range(1, len(options))]
        self.inputs = list(self.dropdowns)
        return self.look.make(W.VBox, [listing, *self.dropdowns])

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
