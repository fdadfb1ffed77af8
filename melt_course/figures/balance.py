"""The balance simulation's figure: sway over time, the centre of pressure on the feet, and a
side view of the pendulum on its force plate.

``draw_balance(axes, result)`` draws everything once and returns the artists;
``update_balance(artists, result)`` moves them to a new result (no new artists, so a widget
can keep one figure alive); ``describe_balance(result)`` is the text description.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

from melt_course.figures.drawing import Drawing
from melt_course.figures.palette import OKABE_ITO, ROLE
from melt_course.figures.style import NARROW_WIDTH, new_figure
from melt_course.models.balance import ANGLE_LIMIT_DEG, BalanceResult, Body

__all__ = ["BALANCE", "balance_figure", "describe_balance", "draw_balance", "foot_outline",
           "moving_artists", "update_balance"]

_AP_COLOUR = OKABE_ITO["blue"]
_ML_COLOUR = OKABE_ITO["orange"]
_COP_COLOUR = OKABE_ITO["blue"]
_ELLIPSE_COLOUR = OKABE_ITO["bluish_green"]
_FALL_COLOUR = OKABE_ITO["vermillion"]
_FOOT_COLOUR = ROLE["bone"]
_FORCE_COLOUR = OKABE_ITO["reddish_purple"]

#: Most points drawn per line; longer traces are thinned evenly (the data are not changed).
MAX_POINTS = 1500

#: Tick label size, set on the axes so that ticks created later (when an update changes the
#: limits) look the same whether or not the course style is active at render time.
_TICK_SIZE = 11

_BODY_HEIGHT = 1.75          # height of the drawn figure, m (drawing only)
_REASONS = {
    "toes": "the centre of pressure reached the tips of the toes: the body tipped forward",
    "heel": "the centre of pressure reached the heels: the body tipped backward",
    "side": "the centre of pressure reached the outer edge of a foot: the body tipped sideways",
    "angle": f"the lean passed {ANGLE_LIMIT_DEG:.0f} degrees: the body toppled",
}


def balance_figure(width: float = 9.6, height: float = 4.0) -> tuple[Figure, list[Axes]]:
    """A figure in the course style with the three panels :func:`draw_balance` expects.

    Returns
    -------
    fig : matplotlib.figure.Figure
    axes : list of Axes
        ``[sway, cop, body]``.
    """
    fig, axes = new_figure(width, height, 1, 3)
    axes[0].get_gridspec().set_width_ratios([2.3, 1.25, 0.75])
    return fig, list(axes)


def foot_outline(body: Body, side: int) -> np.ndarray:
    """Outline of one foot seen from above, in cm: columns (side-to-side, front-back).

    Parameters
    ----------
    body : Body
        Gives the heel and toe distances from the ankle, the foot width and the stance.
    side : int
        -1 for the left foot, +1 for the right foot.
    """
    if side not in (-1, 1):
        raise ValueError(f"side={side!r} must be -1 (left) or 1 (right)")
    heel, toe = -body.heel * 100, body.toe * 100
    half = body.foot_width * 50
    centre = side * (body.half_width * 100 - half)
    s = np.linspace(0.0, 1.0, 40)
    # Half-width along the foot, heel (s=0) to toes (s=1): narrower heel, widest at the ball.
    profile = np.interp(s, [0.0, 0.08, 0.3, 0.55, 0.72, 0.9, 1.0],
                        [0.0, 0.62, 0.7, 0.85, 1.0, 0.85, 0.0]) ** 0.6
    y = heel + s * (toe - heel)
    inner = centre - side * half * profile * 0.9     # the arch side is a little straighter
    outer = centre + side * half * profile
    xs = np.concatenate([outer, inner[::-1]])
    ys = np.concatenate([y, y[::-1]])
    return np.column_stack([xs, ys])


def _thin(n: int) -> np.ndarray:
    """Indices of at most about MAX_POINTS evenly spaced samples, always with the last one."""
    index = np.arange(0, n, max(1, math.ceil(n / MAX_POINTS)))
    if n and index[-1] != n - 1:
        index = np.append(index, n - 1)
    return index


def _ellipse_points(result: BalanceResult) -> np.ndarray:
    """The 95% ellipse of the COP (after the settling time), cm: (side, front) columns."""
    keep = result.t >= 2.0
    if keep.sum() < 3:
        return np.empty((0, 2))
    pts = np.column_stack([result.cop_ml[keep], result.cop_ap[keep]]) * 100
    centre = pts.mean(axis=0)
    cov = np.cov(pts.T)
    vals, vecs = np.linalg.eigh(cov)
    radii = np.sqrt(np.clip(vals, 0, None) * -2.0 * math.log(0.05))
    angle = np.linspace(0, 2 * math.pi, 73)
    circle = np.column_stack([np.cos(angle) * radii[0], np.sin(angle) * radii[1]])
    return centre + circle @ vecs.T


def _sway_limit(result: BalanceResult) -> float:
    peak = float(max(np.abs(result.angle_ap_deg - result.body.lean_deg).max(initial=0.0),
                     np.abs(result.angle_ml_deg).max(initial=0.0)))
    for limit in (0.5, 1.0, 2.0, 5.0, 10.0):
        if peak <= limit * 0.95:
            return limit
    return ANGLE_LIMIT_DEG + 2


def _headline(result: BalanceResult) -> str:
    if result.fell:
        return f"Falls at t = {result.fall_time:.1f} s"
    return f"Stays up: sway area {result.sway_area_cm2:.1f} cm²"


def draw_balance(axes: list[Axes], result: BalanceResult) -> dict:
    """Draw the sway, centre-of-pressure and pendulum panels for one simulated stand.

    Parameters
    ----------
    axes : sequence of three Axes
        ``[sway, cop, body]``, e.g. from :func:`balance_figure`.
    result : BalanceResult
        From :func:`melt_course.models.balance.simulate`.

    Returns
    -------
    dict
        The artists that :func:`update_balance` changes.
    """
    from matplotlib.patches import FancyArrowPatch, Polygon, Rectangle

    if len(axes) != 3:
        raise ValueError(f"axes must hold 3 Axes (sway, cop, body), got {len(axes)!r}")
    ax_sway, ax_cop, ax_body = axes
    for ax in axes:
        ax.tick_params(labelsize=_TICK_SIZE)
    body = result.body
    art: dict = {"body": body, "duration": result.duration}

    # Sway over time.
    ax_sway.axhline(0.0, color=ROLE["bone"], lw=0.8)
    (art["ap"],) = ax_sway.plot([], [], color=_AP_COLOUR, lw=1.4,
                                label="front-back (forward +)")
    (art["ml"],) = ax_sway.plot([], [], color=_ML_COLOUR, lw=1.4,
                                label="side-to-side (right +)")
    art["fall_line"] = ax_sway.axvline(0.0, color=_FALL_COLOUR, lw=2, ls="--", visible=False)
    ax_sway.set_xlim(0, result.duration)
    ax_sway.set_xlabel("time (s)")
    ax_sway.set_ylabel("sway about the usual lean (°)")
    ax_sway.legend(loc="upper left", frameon=False, fontsize=9, ncol=2)
    art["title"] = ax_sway.set_title("", loc="left", fontsize=13)

    # Centre of pressure on the feet, seen from above.
    for side in (-1, 1):
        ax_cop.add_patch(Polygon(foot_outline(body, side), closed=True, fc="#EEEEEE",
                                 ec=_FOOT_COLOUR, lw=1.5))
    ax_cop.add_patch(Rectangle((-body.half_width * 100, -body.heel * 100),
                               body.half_width * 200, (body.heel + body.toe) * 100,
                               fill=False, ls=":", lw=1, ec=ROLE["text"]))
    ax_cop.plot([-body.half_width * 100, body.half_width * 100], [0, 0], color=_FOOT_COLOUR,
                lw=0.8, ls="--")
    ax_cop.text(-body.half_width * 100 + 0.6, 0.6, "ankles", ha="left", va="bottom",
                fontsize=8, color=ROLE["text"])
    (art["cop"],) = ax_cop.plot([], [], color=_COP_COLOUR, lw=0.8)
    (art["ellipse"],) = ax_cop.plot([], [], color=_ELLIPSE_COLOUR, lw=2.2, ls="--", zorder=3)
    (art["cop_end"],) = ax_cop.plot([], [], "o", ms=6, color=_FALL_COLOUR)
    ax_cop.set_xlim(-body.half_width * 100 - 2, body.half_width * 100 + 2)
    ax_cop.set_ylim(-body.heel * 100 - 4, body.toe * 100 + 2)
    ax_cop.set_aspect("equal")
    ax_cop.set_xlabel("left – right (cm)")
    ax_cop.set_ylabel("heel – toe (cm from ankle)")
    ax_cop.set_title("Centre of pressure", fontsize=11)

    # Side view of the pendulum on the force plate.
    toe, heel = body.toe, body.heel
    ax_body.add_patch(Rectangle((-0.3, -0.06), 0.75, 0.06, fc="#DDDDDD", ec=_FOOT_COLOUR))
    ax_body.plot([-heel, toe], [0.0, 0.0], color=ROLE["text"], lw=4, solid_capstyle="round")
    (art["link"],) = ax_body.plot([], [], color=_FOOT_COLOUR, lw=7, solid_capstyle="round")
    (art["head"],) = ax_body.plot([], [], "o", ms=13, color=_FOOT_COLOUR)
    (art["com"],) = ax_body.plot([], [], "o", ms=7, color=ROLE["text"])
    (art["plumb"],) = ax_body.plot([], [], color=ROLE["text"], lw=0.8, ls=":")
    art["grf"] = FancyArrowPatch((0, -0.45), (0, 0), arrowstyle="-|>", mutation_scale=12,
                                 color=_FORCE_COLOUR, lw=2)
    ax_body.add_patch(art["grf"])
    art["grf_label"] = ax_body.text(0.0, -0.5, "", ha="center", va="top", fontsize=8,
                                    color=_FORCE_COLOUR)
    ax_body.set_xlim(-0.4, 0.5)
    ax_body.set_ylim(-0.62, _BODY_HEIGHT + 0.15)
    ax_body.set_aspect("equal")
    ax_body.set_axis_off()
    ax_body.set_title("On the force plate", fontsize=11)

    update_balance(art, result)
    return art


def update_balance(artists: dict, result: BalanceResult) -> None:
    """Move the artists of :func:`draw_balance` to a new result (creates no artists).

    Raises
    ------
    ValueError
        If the result's body or duration differ from the drawn one (the static parts would
        be wrong).
    """
    if result.body != artists["body"] or result.duration != artists["duration"]:
        raise ValueError("update_balance needs a result with the same body and duration as "
                         f"the drawing (duration {artists['duration']!r} s), got duration "
                         f"{result.duration!r} s")
    body = result.body
    every = _thin(result.t.size)
    t = result.t[every]
    artists["ap"].set_data(t, result.angle_ap_deg[every] - body.lean_deg)
    artists["ml"].set_data(t, result.angle_ml_deg[every])
    limit = _sway_limit(result)
    low_high = (-limit, limit * 1.35)                  # headroom for the legend
    if artists["ap"].axes.get_ylim() != low_high:      # (the same limits set again would
        artists["ap"].axes.set_ylim(*low_high)         # redraw the still background)
    artists["fall_line"].set_visible(result.fell)
    if result.fell:
        artists["fall_line"].set_xdata([result.fall_time, result.fall_time])
    artists["title"].set_text(_headline(result))
    artists["title"].set_color(_FALL_COLOUR if result.fell else ROLE["text"])

    artists["cop"].set_data(result.cop_ml[every] * 100, result.cop_ap[every] * 100)
    ellipse = _ellipse_points(result) if not result.fell else np.empty((0, 2))
    artists["ellipse"].set_data(ellipse[:, 0], ellipse[:, 1])
    if result.fell:
        end_ml = float(np.clip(result.cop_ml[-1], -body.half_width, body.half_width))
        end_ap = float(np.clip(result.cop_ap[-1], -body.heel, body.toe))
        artists["cop_end"].set_data([end_ml * 100], [end_ap * 100])
    else:
        artists["cop_end"].set_data([], [])

    theta = math.radians(float(result.angle_ap_deg[-1]))
    top = (_BODY_HEIGHT * math.sin(theta), _BODY_HEIGHT * math.cos(theta))
    com = (body.com_height * math.sin(theta), body.com_height * math.cos(theta))
    artists["link"].set_data([0.0, top[0]], [0.0, top[1]])
    artists["head"].set_data([top[0]], [top[1]])
    artists["com"].set_data([com[0]], [com[1]])
    artists["plumb"].set_data([com[0], com[0]], [com[1], 0.0])
    cop_x = float(np.clip(result.cop_ap[-1], -body.heel, body.toe))
    artists["grf"].set_positions((cop_x, -0.42), (cop_x, -0.01))
    colour = _FALL_COLOUR if result.fell else _FORCE_COLOUR
    artists["link"].set_color(colour if result.fell else _FOOT_COLOUR)
    artists["head"].set_color(colour if result.fell else _FOOT_COLOUR)
    artists["grf"].set_color(_FORCE_COLOUR)
    artists["grf_label"].set_position((cop_x, -0.47))
    artists["grf_label"].set_text(f"GRF {result.grf[-1]:.0f} N")


def moving_artists(artists: dict) -> list[Artist]:
    """The artists of :func:`draw_balance` that :func:`update_balance` changes."""
    from matplotlib.artist import Artist

    return [value for value in artists.values() if isinstance(value, Artist)]


def describe_balance(result: BalanceResult) -> str:
    """Text description of the balance figure, for screen readers and the static fallback.

    Parameters
    ----------
    result : BalanceResult
        The simulated stand shown.

    Returns
    -------
    str
        E.g. "... The model stays up: sway area 1.6 cm² ..." or "... falls at t = 2.5 s ...".
    """
    p = result.params
    eyes = "open" if p["eyes_open"] else "closed"
    w = result.weights
    setup = (f"Simulated standing for {result.duration:.0f} s with feedback gain "
             f"{p['gain']:.2f} times m·g·h, neural delay {p['delay'] * 1000:.0f} ms, eyes {eyes}; "
             f"sensory weights: feet {w['foot']:.2f}, vision {w['vision']:.2f}, vestibular "
             f"{w['vestibular']:.2f} (seed {p['seed']}).")
    weight = result.body.weight
    grf = result.grf
    if result.fell:
        outcome = (f" The model falls at t = {result.fall_time:.1f} s: "
                   f"{_REASONS[result.fall_reason]}.")
    else:
        ap, ml = result.cop_range_cm
        outcome = (f" The model stays up, sway area {result.sway_area_cm2:.1f} cm² (95% ellipse "
                   f"of the centre of pressure); the centre of pressure moves over {ap:.1f} cm "
                   f"front to back and {ml:.1f} cm side to side, and the front-back sway is "
                   f"{result.sway_rms_deg:.2f}° root mean square.")
    force = (f" The vertical ground reaction force averages {grf.mean():.0f} N against a body "
             f"weight of {weight:.0f} N (it varies by at most {np.abs(grf - weight).max():.1f} N).")
    return setup + outcome + force


def make_balance(result: BalanceResult) -> tuple[Figure, dict]:
    """A new three-panel figure of one simulated stand: ``(figure, artists)``."""
    fig, axes = balance_figure()
    return fig, draw_balance(axes, result)


def make_balance_narrow(result: BalanceResult) -> tuple[Figure, dict]:
    """:func:`make_balance` for a phone: the sway over time, the centre of pressure and the
    standing body in one column."""
    fig, axes = new_figure(NARROW_WIDTH, 10.5, 3, 1, height_ratios=[1.0, 1.0, 1.0])
    artists = draw_balance(list(axes), result)
    axes[0].legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), frameon=False, fontsize=9,
                   ncol=2, columnspacing=1.0, handlelength=1.5)   # under the plot: it fits
    return fig, artists


def _balance_alt(result: BalanceResult) -> str:
    outcome = (f"falls at {result.fall_time:.1f} s" if result.fell else
               f"stays up, sway area {result.sway_area_cm2:.1f} cm²")
    return ("Balance simulation: body sway over time, the centre of pressure under the feet "
            f"and the standing body; the model {outcome}")


def _balance_key(result: BalanceResult) -> tuple:
    p = result.params
    return (p["gain"], round(p["delay"] * 1000), p["foot_weight"], p["eyes_open"], p["seed"])


#: Lesson 4's balance lab; its state is a :class:`~melt_course.models.balance.BalanceResult`.
BALANCE = Drawing(name="balance-lab", make=make_balance, update=update_balance,
                  describe=describe_balance, alt=_balance_alt, moving=moving_artists,
                  key=_balance_key,
                  narrow=Drawing(name="balance-lab-narrow", make=make_balance_narrow,
                                 update=update_balance, describe=describe_balance,
                                 alt=_balance_alt, moving=moving_artists, key=_balance_key))
