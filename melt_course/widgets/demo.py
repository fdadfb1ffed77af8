"""The start notebook's widget check: a slider that moves a leg."""

from __future__ import annotations

import ipywidgets as W

from melt_course.figures.demo import describe_leg, draw_leg, update_leg
from melt_course.figures.frames import frame_key
from melt_course.figures.style import course_style, new_figure
from melt_course.widgets.base import CourseWidget
from melt_course.widgets.live import LiveDiagramView

__all__ = ["HipDemo", "hip_demo"]


class HipDemo(CourseWidget):
    """A hip-flexion slider and a side-view leg that follows it."""

    title = "Hip flexion demo"

    def __init__(self, start_deg: int = 0) -> None:
        if not -30 <= start_deg <= 120:
            raise ValueError(f"start_deg={start_deg!r} is outside the demo's range -30 to 120")
        self.slider = W.IntSlider(value=start_deg, min=-30, max=120, step=5,
                                  description="Hip flexion (°)",
                                  style={"description_width": "initial"},
                                  continuous_update=True)
        # Only the leg and its label move: the trunk and head are drawn once, as background.
        self.view = LiveDiagramView(self._build, lambda: describe_leg(self.slider.value),
                                    alt="Hip flexion demo",
                                    moving=lambda: list(self._artists.values()),
                                    frame=frame_key("hip-demo", start_deg))
        self.slider.observe(self.guard(self._on_change, action="moving the slider"),
                            names="value")
        super().__init__([self.slider, self.view])

    def _build(self):
        fig, ax = new_figure(4.2, 4.2)
        with course_style():
            self._artists = draw_leg(ax, self.slider.value)
        return fig

    def _on_change(self, change: dict) -> None:
        if not self.view.ensure_built():
            update_leg(self._artists, change["new"])
        self.view.refresh()


def hip_demo(start_deg: int = 0) -> HipDemo:
    """Return the start notebook's demo widget (a slider that moves a leg).

    Parameters
    ----------
    start_deg : int
        Initial hip flexion in degrees, -30 to 120.
    """
    return HipDemo(start_deg)
