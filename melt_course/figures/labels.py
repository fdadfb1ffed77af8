"""Figures for "label the diagram" questions: a drawing with one structure marked.

A label question names its figure as ``"module:function"``, a function in
``melt_course.figures.<module>`` called as ``function(ax, highlight=structure)``. It draws the
diagram, marks the structure named ``highlight`` with :func:`draw_marker` (an arrow and a
question mark, never the name) and returns its artists. :func:`resolve_figure` finds the
function; the quiz widget calls it once per question.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes

from melt_course.figures.demo import draw_leg, leg_points
from melt_course.figures.drawing import Drawing
from melt_course.figures.palette import ROLE

__all__ = ["LABEL_QUESTION", "LEG_STRUCTURES", "draw_leg_marked", "draw_marker",
           "resolve_figure"]

#: The parts of the start notebook's demo figure that a label question can mark.
LEG_STRUCTURES = ("the head", "the trunk", "the leg")


def draw_marker(ax: Axes, xy: tuple[float, float], xytext: tuple[float, float]) -> dict:
    """Mark a point with an arrow from a circled question mark.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    xy : (float, float)
        The point marked (data coordinates).
    xytext : (float, float)
        Where the question mark sits (data coordinates).

    Returns
    -------
    dict
        ``{"marker": Annotation}``.
    """
    marker = ax.annotate(
        "?", xy=xy, xytext=xytext, fontsize=16, fontweight="bold", color="white",
        ha="center", va="center",
        bbox={"boxstyle": "circle", "fc": ROLE["highlight"], "ec": ROLE["highlight"]},
        arrowprops={"arrowstyle": "-|>", "color": ROLE["highlight"], "lw": 2.5},
    )
    return {"marker": marker}


def draw_leg_marked(ax: Axes, highlight: str, hip_flexion_deg: float = 30.0) -> dict:
    """The start notebook's demo figure with one part marked.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    highlight : str
        One of :data:`LEG_STRUCTURES`.
    hip_flexion_deg : float
        Pose of the leg.

    Returns
    -------
    dict
        The demo's artists plus ``"marker"``.
    """
    targets = {"the head": ((0.1, 0.72), (0.6, 0.75)),
               "the trunk": ((0.02, 0.3), (0.6, 0.35))}
    if highlight not in LEG_STRUCTURES:
        raise ValueError(f"highlight={highlight!r} is not a part of this figure; expected one "
                         f"of {list(LEG_STRUCTURES)}")
    artists = draw_leg(ax, hip_flexion_deg)
    artists["label"].set_text("")
    if highlight == "the leg":
        (hx, hy), (kx, ky), _ = leg_points(hip_flexion_deg)
        target = ((hx + kx) / 2, (hy + ky) / 2)
        artists.update(draw_marker(ax, target, (target[0] - 0.55, target[1] - 0.2)))
    else:
        artists.update(draw_marker(ax, *targets[highlight]))
    return artists


def resolve_figure(spec: str) -> Callable[..., dict]:
    """Return the drawing function a label question names.

    Parameters
    ----------
    spec : str
        ``"module:function"``, e.g. ``"labels:draw_leg_marked"``, looked up in
        ``melt_course.figures``.

    Raises
    ------
    ValueError
        When the spec is malformed, or the module or function does not exist.
    """
    module_name, sep, func_name = spec.partition(":")
    if not sep or not module_name.isidentifier() or not func_name.isidentifier():
        raise ValueError(f"figure {spec!r} is not of the form 'module:function'")
    try:
        module = importlib.import_module(f"melt_course.figures.{module_name}")
    except ModuleNotFoundError:
        raise ValueError(f"figure {spec!r}: there is no module "
                         f"melt_course.figures.{module_name}") from None
    func = getattr(module, func_name, None)
    if not callable(func):
        raise ValueError(f"figure {spec!r}: melt_course.figures.{module_name} has no function "
                         f"{func_name!r}")
    return func


def _label_make(state: tuple) -> tuple:
    from melt_course.figures.style import new_figure

    spec, structure, _ = state
    fig, ax = new_figure(4.0, 3.6)
    return fig, resolve_figure(spec)(ax, highlight=structure)


def _label_make_narrow(state: tuple) -> tuple:
    """The same figure, :data:`~melt_course.figures.style.NARROW_WIDTH` wide (its height in
    proportion): the drawing has no names, so it only needs to be smaller to fit a phone."""
    from melt_course.figures.style import NARROW_WIDTH

    fig, artists = _label_make(state)
    width, height = fig.get_size_inches()
    if width > NARROW_WIDTH:
        fig.set_size_inches(NARROW_WIDTH, height * NARROW_WIDTH / width)
    return fig, artists


_LABEL_ALT = "Figure for this question: one structure is marked with a question mark"

#: A label question's figure; its state is ``(figure spec, marked structure, description)``
#: (the description is the question's ``figure_alt``, which never names the structure).
#: Its narrow layout (a phone) is the same drawing, smaller.
LABEL_QUESTION = Drawing(
    name="quiz-label", make=_label_make, describe=lambda state: state[2], alt=_LABEL_ALT,
    key=lambda state: state[:2],
    narrow=Drawing(name="quiz-label-narrow", make=_label_make_narrow,
                   describe=lambda state: state[2], alt=_LABEL_ALT,
                   key=lambda state: state[:2]))
