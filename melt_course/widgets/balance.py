"""The balance lab: sliders for the feedback loop, one live figure, and a text read-out."""

from __future__ import annotations

from html import escape

import ipywidgets as widgets

from melt_course.figures.balance import BALANCE
from melt_course.models.balance import (
    DELAY_RANGE,
    GAIN_RANGE,
    BalanceResult,
    loop_stability,
    sensory_weights,
    simulate_shared,
)
from melt_course.widgets.diagram import Diagram

__all__ = ["BalanceLab", "balance_lab"]

_STYLE = {"description_width": "190px"}
_SEED_MAX = 9999
#: The title of the optional section that holds the noise seed.
MODELLERS_TITLE = "Optional, for modellers: noise seed"


class BalanceLab(Diagram):
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
        Noise seed (0 to 9999), set in the optional "for modellers" section (shown open
        when the seed is not 0).
    """

    title = "Balance lab: an inverted pendulum on a force plate"
    drawing = BALANCE
    main = "gain"

    def __init__(self, gain: float = 1.5, delay_ms: int = 150, foot_weight: float = 0.7,
                 eyes_open: bool = True, seed: int = 0) -> None:
        if not (isinstance(delay_ms, int) and delay_ms % 10 == 0):
            raise ValueError(f"delay_ms={delay_ms!r} must be a whole number of milliseconds, "
                             "a multiple of 10")
        if not (isinstance(seed, int) and 0 <= seed <= _SEED_MAX):
            raise ValueError(f"seed={seed!r} must be a whole number from 0 to {_SEED_MAX}")
        # checked before the sliders are made (a slider would clamp a bad value silently)
        loop_stability(gain, delay_ms / 1000)
        sensory_weights(foot_weight, eyes_open)
        self.gain = widgets.FloatSlider(
            value=gain, min=GAIN_RANGE[0], max=GAIN_RANGE[1], step=0.05,
            description="Feedback gain (× m·g·h)", style=_STYLE, readout_format=".2f",
            continuous_update=True, layout=widgets.Layout(width="520px"))
        self.delay = widgets.IntSlider(
            value=delay_ms, min=round(DELAY_RANGE[0] * 1000), max=round(DELAY_RANGE[1] * 1000),
            step=10, description="Neural delay (ms)", style=_STYLE, continuous_update=True,
            layout=widgets.Layout(width="520px"))
        self.foot = widgets.FloatSlider(
            value=foot_weight, min=0.0, max=1.0, step=0.05,
            description="Weight on foot-sole sensing", style=_STYLE, readout_format=".2f",
            continuous_update=True, layout=widgets.Layout(width="520px"))
        self.eyes = widgets.ToggleButtons(options=[("Eyes open", True), ("Eyes closed", False)],
                                          value=bool(eyes_open), description="Vision",
                                          style=_STYLE)
        self.seed = widgets.BoundedIntText(value=seed, min=0, max=_SEED_MAX, step=1,
                                           description="Noise seed",
                                           style={"description_width": "initial"},
                                           layout=widgets.Layout(width="12em", flex="0 0 auto"))
        # The seed is modellers' detail: folded away in an optional, clearly named section
        # (an Accordion: the course's one disclosure, a keyboard and screen-reader button
        # through widgets/aria.py).
        self.modellers_box = widgets.VBox([
            widgets.HTML("<p>The model's senses and muscles get small random errors "
                         "(noise). The seed picks one repeatable pattern of them: the same "
                         "seed gives the same run.</p>"),
            self.seed])
        self.modellers = widgets.Accordion(
            [self.modellers_box], titles=(MODELLERS_TITLE,),
            selected_index=0 if seed != 0 else None)
        self.modellers.add_class("melt-modellers")
        self.readout = widgets.HTML()
        self.readout.add_class("melt-readout")
        controls = widgets.VBox([self.gain, self.delay, self.foot, self.eyes, self.modellers])
        super().__init__(controls=[self.gain, self.delay, self.foot, self.eyes, self.seed],
                         children=[controls, self.readout, self.picture],
                         action="changing the balance settings")

    def state_at(self, gain: float) -> BalanceResult:
        """The stand simulated with feedback gain ``gain`` and the other controls' settings."""
        return simulate_shared(gain, self.delay.value / 1000, self.foot.value,
                               self.eyes.value, self.seed.value)

    @property
    def result(self) -> BalanceResult:
        """The stand shown now."""
        return self.current

    @property
    def modellers_open(self) -> bool:
        """Whether the optional modellers' section (the noise seed) is open."""
        return self.modellers.selected_index == 0

    def changed(self, state: BalanceResult) -> None:
        self._update_readout()

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
    """The lesson's balance simulation: sliders for gain, delay, foot-sole weight and vision
    (see :class:`BalanceLab` for the parameters and their ranges)."""
    return BalanceLab(gain, delay_ms, foot_weight, eyes_open, seed)
