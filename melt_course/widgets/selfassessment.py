"""The self-assessment log: rate the Rest Assess regions before and after a routine, save the
ratings to the learner's progress store, and see them over sessions on one chart (a
:class:`~melt_course.widgets.diagram.Diagram` over
:data:`~melt_course.figures.selfassessment.ASSESSMENT_LOG`)."""

from __future__ import annotations

from html import escape
from typing import Any

import anywidget
import ipywidgets as W
import traitlets

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

__all__ = ["SaveRatingsButton", "SelfAssessmentLog", "self_assessment_log"]

_SAVE_ESM = r"""
function render({ model, el }) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "jupyter-button widget-button mod-primary melt-save-ratings";
  const icon = document.createElement("i");
  icon.className = "fa fa-save";
  icon.setAttribute("aria-hidden", "true");
  button.append(icon, " " + model.get("label"));
  button.addEventListener("click", async () => {
    // The values the sliders show now (the browser's own models), sent with the click:
    // ipywidgets may still be holding back a slider's last value for the kernel.
    const ratings = {};
    for (const [region, ref] of Object.entries(model.get("sliders"))) {
      const slider = await model.widget_manager.get_model(ref.replace(/^IPY_MODEL_/, ""));
      ratings[region] = slider.get("value");
    }
    const count = (model.get("request").count || 0) + 1;
    model.set("request", { count, ratings });
    model.save_changes();
  });
  el.append(button);
}
export default { render };
"""


class SaveRatingsButton(anywidget.AnyWidget):
    """A Save button that sends, with the click, the ratings its sliders show in the browser.

    ipywidgets holds back a slider's new value while an earlier message of that slider is
    unanswered but sends a button's click at once, so on a busy kernel a plain ``Button``
    can save the value before the learner's last key press. This button reads each slider's
    value in the browser when pressed and sends them together with the press.

    Parameters
    ----------
    sliders : dict of str to ipywidgets.IntSlider
        Region -> its slider.
    label : str
        The button's text.

    Attributes
    ----------
    request : dict
        The last press: ``{"count": n, "ratings": {region: value}}`` (observe it).
    """

    _esm = traitlets.Unicode(_SAVE_ESM).tag(sync=True)
    label = traitlets.Unicode("Save").tag(sync=True)
    sliders = traitlets.Dict().tag(sync=True, **W.widget_serialization)
    request = traitlets.Dict().tag(sync=True)

    def __init__(self, sliders: dict[str, W.IntSlider], label: str = "Save") -> None:
        super().__init__(sliders=dict(sliders), label=label)

    @property
    def description(self) -> str:
        """The button's text (as a plain button names itself, for messages and tests)."""
        return self.label

    def click(self, ratings: dict[str, Any] | None = None) -> None:
        """Press the button from Python, sending ``ratings`` (default: the sliders' values)."""
        ratings = {region: s.value for region, s in self.sliders.items()} \
            if ratings is None else dict(ratings)
        self.request = {"count": self.request.get("count", 0) + 1, "ratings": ratings}

    def _melt_other_values_(self, name: str, old: Any) -> list[Any]:
        """A press, for :meth:`~melt_course.widgets.base.Connection.fire`."""
        if name != "request":
            return []
        return [{"count": old.get("count", 0) + 1,
                 "ratings": {region: s.value for region, s in self.sliders.items()}}]

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
        self.save_button = SaveRatingsButton(self.sliders, label="Save ratings")
        self.connect(self.save_button, lambda change: self.save(change["new"].get("ratings")),
                     action="saving your ratings", names="request")
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

    def save(self, ratings: dict[str, Any] | None = None) -> dict | None:
        """Save ratings for the chosen phase; returns the saved record, or None when it could
        not be saved (the reason is shown).

        Parameters
        ----------
        ratings : dict of str to int, optional
            Region -> rating, as the browser showed them when Save was pressed (the sliders
            are set to them); default the sliders' values.

        Raises
        ------
        ValueError
            For an unknown region or a rating that is not a whole number from 0 to 10.
        """
        values = {**self.ratings(), **(ratings or {})}
        bad = {region: value for region, value in values.items()
               if region not in self.sliders or isinstance(value, bool)
               or not isinstance(value, int) or not SCALE[0] <= value <= SCALE[1]}
        if bad:
            raise ValueError(f"ratings {repr(bad)[:120]} must be whole numbers from {SCALE[0]} "
                             f"to {SCALE[1]} for the regions {list(self.sliders)}")
        phase = self.phase.value
        if phase in self._saved or (phase == "before" and self._saved):
            self._session = new_session_id()  # a new before, or a second after: new session
            self._saved = set()
        routine = self.routine.value or None
        record, note = store_call(self._store, lambda s: record_assessment(
            s, phase, values, session=self._session, routine=routine))
        if record is None:
            self._say(note or "Your ratings could not be saved.")
            return None
        self._saved.add(phase)
        for region, value in values.items():  # the kernel's sliders catch up with the browser
            self.sliders[region].value = value
        self.pairs, read_note = self._read()
        self.redraw()
        done = "before" if phase == "before" else "after"
        saved = ", ".join(f"{region} {value}" for region, value in values.items())
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

