"""The start notebook's widget check: a slider that moves a leg."""

from __future__ import annotations

import ipywidgets as W

from melt_course.figures.demo import LEG
from melt_course.widgets.diagram import Diagram

__all__ = ["HipDemo", "hip_demo"]


class HipDemo(Diagram):
    """A hip-flexion slider and a side-view leg that follows it."""

    title = "Hip flexion demo"
    drawing = LEG
    main = "slider"

    def __init__(self, start_deg: int = 0) -> None:
        if not -30 <= start_deg <= 120:
            raise ValueError(f"start_deg={start_deg!r} is outside the demo's range -30 to 120")
        self.slider = W.IntSlider(value=start_deg, min=-30, max=120, step=5,
                                  description="Hip flexion (°)",
                                  style={"description_width": "initial"},
                                  continuous_update=True)
        super().__init__(controls=[self.slider], action="moving the slider")

    def state_at(self, hip: int) -> int:
        return hip


def hip_demo(start_deg: int = 0) -> HipDemo:
    """Return the start notebook's demo widget (a slider that moves a leg).

    Parameters
    ----------
    start_deg : int
        Initial hip flexion in degrees, -30 to 120.
    """
    return HipDemo(start_deg)
