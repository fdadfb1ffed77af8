"""The self-assessment log: rate the Rest Assess regions before and after a routine, save the
ratings to the learner's progress store, and see them over sessions on one chart (a
:class:`~melt_course.widgets.diagram.Diagram` over
:data:`~melt_course.figures.selfassessment.ASSESSMENT_LOG`)."""

from __future__ import annotations

from html import escape
from typing import Any

import ipywidgets as W

from melt_course.content.routines import get, library
from melt_course.figures.selfassessment import ASSESSMENT_LOG
from melt_course.records.self_assessment import (
    PHASES,
    SCALE,
    SCALE_TEXT,
    SessionPair,
    load_assessments,
    new_session_id,
    record_assessment,
    regions,
    session_pairs,
)
from melt_course.widgets.aria import describe
from melt_course.widgets.diagram import Diagram
from melt_course.widgets.learner_store import LEARNER_STORE, store_call

__all__ = ["SelfAssessmentLog", "self_assessment_log"]

class SelfAssessmentLog(Diagram):
    """Rate each Rest Assess region from 0 to 10, before and after a routine; save; compare.

    Parameters
    ----------
    routine : str, optional
        The routine the ratings are about (name, alias or id); the learner can change it.
    store : ProgressStore or "learner"
        Where ratings are saved; default the learner's own progress store.
    """

    title = "Self-assessment log"
    drawing = ASSESSMENT_LOG

    def __init__(self, routine: str | None = None, store: Any = LEARNER_STORE) -> None:
        self._store = store
        self._session = new_session_id()
        self._saved: set[str] = set()
        choices = [("(no particular routine)", "")] + [
            (r.name, r.name) for r in library().values() if r.standalone]
        self.routine = W.Dropdown(options=choices, value=get(routine).name if routine else "",
                                  description="Routine", layout=W.Layout(width="min(100%, 34em)"))
        self.phase = W.ToggleButtons(options=[(f"{p.capitalize()} the routine", p)
                                              for p in PHASES],
                                     value=PHASES[0], description="When")
        self.sliders = {
            region: describe(W.IntSlider(value=5, min=SCALE[0], max=SCALE[1], step=1,
                                         description=region.capitalize(),
                                         continuous_update=False,
                                         style={"description_width": "9em"},
                                         layout=W.Layout(width="min(100%, 30em)")),
                             valuetext=lambda v: f"{v} of {SCALE[1]}")
            for region in regions()}
        self.save_button = W.Button(description="Save ratings", icon="save",
                                    button_style="primary")
        self.save_button.add_class("melt-save-ratings")
        self.connect(self.save_button, lambda _b: self.save(), action="saving your ratings")
        self.status = W.HTML()
        self.status.add_class("melt-log-status")
        self.chart_region = W.Dropdown(options=[("All regions (average)", "")]
                                       + [(r.capitalize(), r) for r in regions()],
                                       value="", description="Chart")
        self.pairs, note = self._read()
        intro = W.HTML(f"<p><b>Rate how each part feels as you lie in the Rest Assess.</b> "
                       f"{escape(SCALE_TEXT)}</p>")
        super().__init__(controls=[self.chart_region], action="changing the chart", children=[
            intro, self.routine, self.phase, *self.sliders.values(), self.save_button,
            self.status, self.chart_region, self.picture])
        self.add_class("melt-selfassessment")
        self._say(note or f"{len(self.pairs)} earlier session"
                  f"{'s' if len(self.pairs) != 1 else ''} in your progress file.")

    # --- public ----------------------------------------------------------------------------
    def ratings(self) -> dict[str, int]:
        """The ratings set on the sliders, region -> 0..10."""
        return {region: slider.value for region, slider in self.sliders.items()}

    def save(self) -> dict | None:
        """Save the current ratings for the chosen phase; returns the saved record, or None
        when it could not be saved (the reason is shown)."""
        phase = self.phase.value
        if phase in self._saved or (phase == "before" and self._saved):
            self._session = new_session_id()  # a new before, or a second after: new session
            self._saved = set()
        routine = self.routine.value or None
        record, note = store_call(self._store, lambda s: record_assessment(
            s, phase, self.ratings(), session=self._session, routine=routine))
        if record is None:
            self._say(note or "Your ratings could not be saved.")
            return None
        self._saved.add(phase)
        self.pairs, read_note = self._read()
        self.redraw()
        done = "before" if phase == "before" else "after"
        saved = ", ".join(f"{region} {value}" for region, value in self.ratings().items())
        text = (f"Saved your ratings {done} the routine (session {len(self.pairs)}): "
                f"{saved}.")
        if phase == "before":
            text += " Do the routine, then rate again with 'After the routine'."
            self.phase.value = "after"
        else:
            pair = self.pairs[-1]
            change = pair.change()
            if change is not None:
                text += f" Average change: {change:+.1f} points."
            self.phase.value = "before"
        self._say(" ".join(filter(None, [text, note, read_note])))
        return record

    # --- helpers ---------------------------------------------------------------------------
    def _read(self) -> tuple[list[SessionPair], str | None]:
        found, note = store_call(self._store, load_assessments)
        return session_pairs(found or []), note

    def state(self) -> tuple[list[SessionPair], str | None]:
        return self.pairs, self.chart_region.value or None

    def _say(self, text: str) -> None:
        self.status.value = f'<p role="status" aria-live="polite">{escape(text)}</p>'


def self_assessment_log(routine: str | None = None) -> SelfAssessmentLog:
    """The before-and-after self-assessment log, saving to the learner's progress file.

    Parameters
    ----------
    routine : str, optional
        The routine the ratings are about, e.g. ``"Rebalance Sequence"``.
    """
    return SelfAssessmentLog(routine)

