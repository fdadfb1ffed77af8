"""The balance lab: sliders for the feedback loop, one live figure, and a text read-out."""

from __future__ import annotations

from html import escape

import ipywidgets as widgets

from melt_course.figures.balance import (
    balance_figure,
    describe_balance,
    draw_balance,
    moving_artists,
    update_balance,
)
from melt_course.figures.frames import frame_key
from melt_course.figures.style import course_style
from melt_course.models.balance import DELAY_RANGE, GAIN_RANGE, loop_stability, simulate
from melt_course.widgets.base import CourseWidget
from melt_course.widgets.live import LiveDiagramView

__all__ = ["BalanceLab", "balance_lab"]

_STYLE = {"description_width": "190px"}
_SEED_MAX = 9999


class BalanceLab(CourseWidget):
    """Quiet standing on a force plate: drive the feedback loop and watch sway and falls.

    Parameters
    ----------
    gain : float
        Feedback gain, as a multiple of m·g·h (0 to 4).
    delay_ms : int
        Neural delay, milliseconds (50 to 300, a multiple of 10).
    foot_weight : float
        Weight given to foot-sole sensing (0 to 1).
    eyes_open : bool
        Eyes open or closed.
    seed : int
        Noise seed (0 to 9999).
    """

    title = "Balance lab: an inverted pendulum on a force plate"

    def __init__(self, gain: float = 1.5, delay_ms: int = 150, foot_weight: float = 0.7,
                 eyes_open: bool = True, seed: int = 0) -> None:
        if not (isinstance(delay_ms, int) and delay_ms % 10 == 0):
            raise ValueError(f"delay_ms={delay_ms!r} must be a whole number of milliseconds, "
                             "a multiple of 10")
        if not (isinstance(seed, int) and 0 <= seed <= _SEED_MAX):
            raise ValueError(f"seed={seed!r} must be a whole number from 0 to {_SEED_MAX}")
        self.result = simulate(gain, delay_ms / 1000, foot_weight, eyes_open, seed)
        self.gain = widgets.FloatSlider(
            value=gain, min=GAIN_RANGE[0], max=GAIN_RANGE[1], step=0.05,
            description="Feedback gain (× m·g·h)", style=_STYLE, readout_format=".2f",
            continuous_update=True, layout=widgets.Layout(width="420px"))
        self.delay = widgets.IntSlider(
            value=delay_ms, min=round(DELAY_RANGE[0] * 1000), max=round(DELAY_RANGE[1] * 1000),
            step=10, description="Neural delay (ms)", style=_STYLE, continuous_update=True,
            layout=widgets.Layout(width="420px"))
        self.foot = widgets.FloatSlider(
            value=foot_weight, min=0.0, max=1.0, step=0.05,
            description="Weight on foot-sole sensing", style=_STYLE, readout_format=".2f",
            continuous_update=True, layout=widgets.Layout(width="420px"))
        self.eyes = widgets.ToggleButtons(options=[("Eyes open", True), ("Eyes closed", False)],
                                          value=bool(eyes_open), description="Vision",
                                          style=_STYLE)
        self.seed = widgets.BoundedIntText(value=seed, min=0, max=_SEED_MAX, step=1,
                                           description="Noise seed", style=_STYLE,
                                           layout=widgets.Layout(width="230px", flex="0 0 auto"))
        self.readout = widgets.HTML()
        self.readout.add_class("melt-readout")
        self._update_readout()
        self.view = LiveDiagramView(
            self._build, lambda: describe_balance(self.result), alt="Balance simulation",
            moving=lambda: moving_artists(self._artists),
            frame=frame_key("balance-lab", gain, delay_ms, foot_weight, bool(eyes_open), seed))
        for control in (self.gain, self.delay, self.foot, self.eyes, self.seed):
            control.observe(self._on_change, names="value")
        controls = widgets.VBox([self.gain, self.delay, self.foot,
                                 widgets.HBox([self.eyes, self.seed])])
        super().__init__([controls, self.readout, self.view])

    def _build(self):
        fig, axes = balance_figure()
        with course_style():
            self._artists = draw_balance(axes, self.result)
        return fig

    def _on_change(self, change: dict) -> None:
        self.result = simulate(self.gain.value, self.delay.value / 1000, self.foot.value,
                               self.eyes.value, self.seed.value)
        if not self.view.ensure_built():
            update_balance(self._artists, self.result)
        self._update_readout()
        self.view.refresh()

    def _update_readout(self) -> None:
        res = self.result
        loop = loop_stability(res.params["gain"], res.params["delay"])
        if res.fell:
            outcome = f"<b>Falls</b> at t = {res.fall_time:.1f} s"
        else:
            outcome = f"<b>Stays up</b>: sway area {res.sway_area_cm2:.1f} cm²"
        grf = res.grf
        self.readout.value = (
            f'<p role="status">{outcome}. Feedback loop: {escape(loop.summary())}. '
            f"Vertical ground reaction force: mean {grf.mean():.0f} N "
            f"(body weight {res.body.weight:.0f} N).</p>")


def balance_lab(gain: float = 1.5, delay_ms: int = 150, foot_weight: float = 0.7,
                eyes_open: bool = True, seed: int = 0) -> BalanceLab:
    """The lesson's balance simulation: sliders for gain, delay, foot-sole weight and vision.

    Parameters
    ----------
    gain : float
        Feedback gain, as a multiple of m·g·h (0 to 4).
    delay_ms : int
        Neural delay, milliseconds (50 to 300, a multiple of 10).
    foot_weight : float
        Weight given to foot-sole sensing (0 to 1).
    eyes_open : bool
        Eyes open or closed.
    seed : int
        Noise seed (0 to 9999).
    """
    return BalanceLab(gain, delay_ms, foot_weight, eyes_open, seed)
