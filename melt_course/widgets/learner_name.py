"""The name a learner chooses for the facilitator's class report (saved in the progress file).

The same as ``melt-course progress name NAME`` on the command line, for learners in the app or
on a hub, where there is no command line. Optional: a learner who gives no name is listed as
"Learner N" in the class report.
"""

from __future__ import annotations

from html import escape
from typing import Any

import ipywidgets as W

from melt_course.widgets.base import CourseWidget
from melt_course.widgets.learner_store import LEARNER_STORE, store_call

__all__ = ["LearnerNameBox", "learner_name_box"]

_MAX = 100


class LearnerNameBox(CourseWidget):
    """A text box and a Save button for the learner's class-report name.

    Parameters
    ----------
    store : object, "learner" or None
        Where the name is saved (see :mod:`melt_course.widgets.learner_store`).
    """

    title = "your name for the class report"

    def __init__(self, store: Any = LEARNER_STORE) -> None:
        self._store = store
        look = self.look
        current, _note = store_call(store, lambda s: s.learner.get("name"))
        self.text = look.make(W.Text, value=current or "", placeholder="e.g. Ada L.",
                              description="Your name for the class report",
                              style={"description_width": "initial"})
        self.save_button = look.make(W.Button, description="Save name", icon="save",
                                     tooltip="Save this name in your progress file")
        self.status = look.make(W.HTML, "")
        self.connect(self.save_button, lambda _b: self.save(), "saving your name")
        super().__init__([look.make(W.HBox, [self.text, self.save_button]), self.status])

    def save(self) -> str | None:
        """Save the name in the box; return it (None when it was empty or not saved)."""
        name = self.text.value.strip()
        if not name:
            self._say("Type a name first (or leave it: the report then shows a number).")
            return None
        if len(name) > _MAX:
            self._say(f"Use at most {_MAX} characters (this name has {len(name)}).")
            return None
        _result, note = store_call(self._store, lambda s: s.set_learner_name(name),
                                   failed="Your name could not be saved")
        if note:
            self._say(escape(note))
            return None
        self._say(f"Saved: the class report will show you as <b>{escape(name)}</b> in the "
                  "next export you hand in.")
        return name

    def _say(self, html: str) -> None:
        self.status.value = f'<div role="status" aria-live="polite">{html}</div>'


def learner_name_box(store: Any = LEARNER_STORE) -> LearnerNameBox:
    """A small form to set the name the facilitator's class report shows for you."""
    return LearnerNameBox(store)
