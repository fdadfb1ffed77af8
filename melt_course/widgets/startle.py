"""Lesson 3 widgets: the startle time scrubber, the stress-hormone view, the breathing diaphragm.

Each is a :class:`~melt_course.widgets.diagram.Diagram`: its controls and the state they make
(a time, a breath); the figures are :data:`~melt_course.figures.startle.STARTLE`,
:data:`~melt_course.figures.startle.STRESS` and :data:`~melt_course.figures.startle.DIAPHRAGM`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ipywidgets as W

from melt_course.figures.startle import (
    DIAPHRAGM,
    STARTLE,
    STRESS,
    describe_diaphragm_psoas,
    format_ms,
    format_s,
)
from melt_course.models.startle import check_time_ms, check_time_s, load_startle, load_stress_model
from melt_course.widgets.aria import describe
from melt_course.widgets.diagram import Diagram

__all__ = ["DiaphragmBreath", "StartleExplorer", "StressHormones", "diaphragm_psoas",
           "nice_time", "startle_timeline", "stress_hormones"]

_STYLE = {"description_width": "initial"}
#: The time slider's range: 1 ms (the sound has just played) to 10 s.
STARTLE_MIN_MS = 1.0
_PLAY_STEPS = 80
#: Log-slider step: each arrow-key press multiplies the time by 10**0.05 (about 12%), so the
#: keyboard crosses 1 ms to 10 s in 80 presses.
_LOG_STEP = 0.05
#: Moments a teacher may want to jump to, as slider exponents ON the slider's grid (the browser
#: snaps any other value to the grid): just after the blink, just after the neck, and so on.
_MOMENT_EXPONENTS = (("Sound", 0.0), ("Blink", 1.5), ("Neck", 1.75), ("Limbs", 2.0),
                     ("Burst over", 2.2), ("Autonomic", 3.0), ("Late", 3.7))


def nice_time(value: float) -> float:
    """Round a slider time to 2 significant figures (``30.2`` -> ``30``, ``151.4`` -> ``150``).

    A log slider lives on a grid of exponents, so the browser snaps 30 ms to 30.2 ms; the
    figure, readout and description all use the rounded time so they agree with each other.
    """
    if value <= 0:
        return 0.0
    digits = 1 - math.floor(math.log10(value))
    return float(round(value, digits))


#: The jump buttons: (label with the time it shows, time in ms).
STARTLE_MOMENTS = tuple((f"{name} ({format_ms(nice_time(10 ** e))})", 10 ** e)
                        for name, e in _MOMENT_EXPONENTS)


@dataclass(frozen=True)
class _TimeScale:
    """A log-scaled time slider of lesson 3: its range, its words and how a time is shown.

    Both time widgets (startle, stress hormones) read their time the same way: the slider's
    value rounded to 2 significant figures (:func:`nice_time`), kept inside the range, shown
    in the readout and spoken as "<time> after <event>".
    """

    argument: str                   # the widget's start argument, for messages
    unit: str
    low: float
    high: Callable[[], float]       # the data's longest time (read when a widget is made)
    check: Callable[[Any], float]   # the model's own check of a time
    show: Callable[[float], str]    # format_ms or format_s
    description: str
    event: str
    css_class: str

    def controls(self, start: Any) -> tuple[W.FloatLogSlider, W.Label]:
        """The slider, named and with spoken values, and its readout, at ``start``.

        Raises
        ------
        ValueError
            When ``start`` is not a time the model takes, or lies outside the slider's range
            (naming the value and the range).
        """
        high = self.high()
        value = self.check(start)
        if not self.low <= value <= high:
            raise ValueError(f"{self.argument}={start!r} is outside the widget's range "
                             f"{self.low:g} to {high:g} {self.unit}")
        slider = W.FloatLogSlider(
            value=value, base=10, min=math.log10(self.low), max=math.log10(high),
            step=_LOG_STEP, description=self.description, readout=False,
            continuous_update=True, style=_STYLE, layout=W.Layout(width="60%"))
        slider.add_class(self.css_class)
        describe(slider, valuetext=lambda t: f"{self.show(nice_time(t))} after {self.event}")
        return slider, W.Label(value=self.show(value))

    def shown(self, value: float) -> float:
        """The time a slider value shows: to 2 significant figures, inside the range."""
        return min(max(nice_time(float(value)), self.low), self.high())


_STARTLE_TIME = _TimeScale(
    argument="start_ms", unit="ms", low=STARTLE_MIN_MS,
    high=lambda: load_startle().time_max_ms, check=check_time_ms, show=format_ms,
    description="Time after the sound", event="the sound", css_class="melt-startle-time")
_STRESS_TIME = _TimeScale(
    argument="start_s", unit="s", low=1.0,
    high=lambda: load_stress_model().time_max_s, check=check_time_s, show=format_s,
    description="Time after the stressor", event="the stressor", css_class="melt-stress-time")


class StartleExplorer(Diagram):
    """A log-scaled time slider (1 ms to 10 s) driving the curling body and the timeline.

    Parameters
    ----------
    start_ms : float
        Initial time after the sound, 1 to 10 000 ms.
    """

    title = "Startle timeline: scrub through the first 10 seconds after a loud sound"
    drawing = STARTLE
    main = "slider"

    def __init__(self, start_ms: float = 1.0) -> None:
        self.slider, self.readout = _STARTLE_TIME.controls(start_ms)
        self.play = describe(W.Play(value=0, min=0, max=_PLAY_STEPS, step=1, interval=150,
                                    description="Play the startle", show_repeat=False),
                             buttons={"stop": "Stop the startle and go back to the start"})
        self.buttons = [W.Button(description=label, tooltip=f"Jump to {label}",
                                 layout=W.Layout(width="auto")) for label, _ in STARTLE_MOMENTS]
        for button, (label, value) in zip(self.buttons, STARTLE_MOMENTS, strict=True):
            self.connect(button, lambda _b, v=value: self._jump(v), action=f"jumping to {label}")
        self.connect(self.play, self._on_play, action="playing the startle")
        controls = W.HBox([self.play, self.slider, self.readout])
        super().__init__(controls=[self.slider], action="moving the time slider", children=[
            controls, W.HBox(self.buttons, layout=W.Layout(flex_flow="row wrap")),
            self.picture])

    def state_at(self, value: float) -> float:
        """The time shown for a slider value, ms after the sound (2 significant figures)."""
        return _STARTLE_TIME.shown(value)

    @property
    def t_ms(self) -> float:
        """The time shown, ms after the sound."""
        return self.state()

    def changed(self, state: float) -> None:
        self.readout.value = _STARTLE_TIME.show(state)

    def _jump(self, value: float) -> None:
        self.slider.value = value

    def _on_play(self, change: dict) -> None:
        lo, hi = self.slider.min, self.slider.max
        self.slider.value = 10 ** (lo + (hi - lo) * change["new"] / _PLAY_STEPS)


def startle_timeline(start_ms: float = 1.0) -> StartleExplorer:
    """The lesson's startle explorer: one figure, body on the left, timeline on the right.

    Parameters
    ----------
    start_ms : float
        Initial time after the sound, 1 to 10 000 ms.
    """
    return StartleExplorer(start_ms)


class StressHormones(Diagram):
    """A log-scaled time slider (1 s to 6 h) over the illustrative adrenaline/cortisol shapes.

    Parameters
    ----------
    start_s : float
        Initial time after the stressor, 1 s to 6 h (21 600 s).
    """

    title = "Adrenaline (seconds) against cortisol (minutes to hours): an illustrative shape"
    drawing = STRESS
    main = "slider"

    def __init__(self, start_s: float = 10.0) -> None:
        self.slider, self.readout = _STRESS_TIME.controls(start_s)
        super().__init__(controls=[self.slider], action="moving the time slider",
                         children=[W.HBox([self.slider, self.readout]), self.picture])

    def state_at(self, value: float) -> float:
        """The time shown for a slider value, s after the stressor (2 significant figures)."""
        return _STRESS_TIME.shown(value)

    @property
    def t_s(self) -> float:
        """The time shown, s after the stressor."""
        return self.state()

    def changed(self, state: float) -> None:
        self.readout.value = _STRESS_TIME.show(state)


def stress_hormones(start_s: float = 10.0) -> StressHormones:
    """The adrenaline-against-cortisol view (an illustrative shape, not measured data).

    Parameters
    ----------
    start_s : float
        Initial time after the stressor, 1 to 21 600 s.
    """
    return StressHormones(start_s)


class DiaphragmBreath(Diagram):
    """A breath slider moving the diaphragm above the psoas and its medial arcuate ligament.

    Parameters
    ----------
    inhale : float
        0 (breath out) to 1 (full breath in, as in a startle gasp).
    """

    title = "The diaphragm and the psoas: the medial arcuate ligament"
    drawing = DIAPHRAGM
    main = "slider"

    def __init__(self, inhale: float = 0.0) -> None:
        describe_diaphragm_psoas(inhale)   # validates inhale before any control is made
        self.slider = W.FloatSlider(value=float(inhale), min=0.0, max=1.0, step=0.05,
                                    description="Breath in", readout_format=".0%",
                                    continuous_update=True, style=_STYLE)
        self.slider.add_class("melt-breath")
        self.gasp = W.Button(description="Gasp (full breath in)",
                             tooltip="Set the breath to a full, sudden breath in",
                             layout=W.Layout(width="auto"))
        self.connect(self.gasp, lambda _b: setattr(self.slider, "value", 1.0),
                     action="taking a full breath in")
        super().__init__(controls=[self.slider], action="moving the breath slider",
                         children=[W.HBox([self.slider, self.gasp]), self.picture])

    def state_at(self, inhale: float) -> float:
        return float(inhale)


def diaphragm_psoas(inhale: float = 0.0) -> DiaphragmBreath:
    """The diaphragm-psoas diagram with a breath slider.

    Parameters
    ----------
    inhale : float
        0 (breath out) to 1 (full breath in).
    """
    return DiaphragmBreath(inhale)
