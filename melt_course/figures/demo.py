"""A small side-view leg used by the start notebook's "do widgets work?" demo."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes

from melt_course.figures.drawing import Drawing
from melt_course.figures.palette import ROLE

__all__ = ["LEG", "THIGH_LENGTH", "describe_leg", "draw_leg", "leg_points", "make_leg",
           "update_leg"]

#: Thigh length used by the demo, in metres (a round, typical adult value; illustrative).
THIGH_LENGTH = 0.45
_SHANK_LENGTH = 0.43


def leg_points(hip_flexion_deg: float) -> list[tuple[float, float]]:
    """Hip, knee and ankle positions (metres, x forward, y up) for a hip angle.

    The knee stays straight; 0 degrees is standing, positive is flexion (thigh forward).
    """
    a = math.radians(hip_flexion_deg)
    knee = (THIGH_LENGTH * math.sin(a), -THIGH_LENGTH * math.cos(a))
    ankle = (knee[0] + _SHANK_LENGTH * math.sin(a), knee[1] - _SHANK_LENGTH * math.cos(a))
    return [(0.0, 0.0), knee, ankle]


def draw_leg(ax: Axes, hip_flexion_deg: float = 0.0) -> dict:
    """Draw the trunk and one straight leg, side view, facing right.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    hip_flexion_deg : float
        Hip flexion angle in degrees.

    Returns
    -------
    dict
        The artists: ``"leg"`` (Line2D), ``"label"`` (Text); pass it to :func:`update_leg`.
    """
    ax.plot([0, 0], [0, 0.55], color=ROLE["bone"], lw=10, solid_capstyle="round")
    ax.plot([0], [0.68], "o", ms=28, color=ROLE["bone"])
    xs, ys = zip(*leg_points(hip_flexion_deg), strict=True)
    (leg,) = ax.plot(xs, ys, color=ROLE["muscle"], lw=8, solid_capstyle="round")
    label = ax.text(-0.85, 0.75, "", fontsize=13, color=ROLE["text"])
    ax.set_xlim(-0.9, 0.95)
    ax.set_ylim(-0.95, 0.9)
    ax.set_aspect("equal")
    ax.set_axis_off()
    artists = {"leg": leg, "label": label}
    update_leg(artists, hip_flexion_deg)
    return artists


def update_leg(artists: dict, hip_flexion_deg: float) -> None:
    """Move the leg drawn by :func:`draw_leg` to a new hip angle (no new artists)."""
    xs, ys = zip(*leg_points(hip_flexion_deg), strict=True)
    artists["leg"].set_data(xs, ys)
    artists["label"].set_text(f"Hip flexion: {hip_flexion_deg:.0f}°")


def describe_leg(hip_flexion_deg: float) -> str:
    """Text description of the demo figure, for screen readers and the static fallback."""
    if hip_flexion_deg > 0:
        pose = "lifted forward"
    elif hip_flexion_deg < 0:
        pose = "reaching back behind the body"
    else:
        pose = "hanging straight down, as in standing"
    return (f"Side view of a standing figure facing right. The leg is {pose}: "
            f"the hip is at {hip_flexion_deg:.0f} degrees of flexion.")


def make_leg(hip_flexion_deg: float) -> tuple:
    """A new figure of the demo leg at ``hip_flexion_deg``: ``(figure, artists)``."""
    from melt_course.figures.style import new_figure

    fig, ax = new_figure(4.2, 4.2)
    return fig, draw_leg(ax, hip_flexion_deg)


#: The start notebook's demo diagram; its state is the hip flexion angle in degrees. Only the
#: leg and its label move: the trunk and head are drawn once, as background.
LEG = Drawing(
    name="hip-demo", make=make_leg, update=update_leg, describe=describe_leg,
    alt=lambda deg: f"Side view of a standing figure with one leg at {deg:.0f}° hip flexion",
    moving=lambda artists: list(artists.values()))
