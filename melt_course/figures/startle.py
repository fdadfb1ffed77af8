"""Lesson 3 figures: the startle timeline, the curling body, the stress hormones, the diaphragm.

Every figure follows the course pattern: ``draw_x(ax, ...)`` draws once and returns a dict of
artists, ``update_x(artists, ...)`` changes those artists in place (no new artists), and
``describe_x(...)`` returns the text description shown under the figure. Numbers come from
:mod:`melt_course.models.startle`; nothing here invents a latency.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Text

from melt_course.figures.drawing import Drawing
from melt_course.figures.palette import OKABE_ITO, ROLE
from melt_course.figures.style import NARROW_WIDTH, course_style, new_figure
from melt_course.models.startle import (
    PHASES,
    check_time_ms,
    check_time_s,
    load_startle,
    load_stress_model,
    startle_state,
    stress_levels,
)

__all__ = [
    "DIAPHRAGM",
    "STARTLE",
    "STATE_COLOURS",
    "STRESS",
    "describe_diaphragm_psoas",
    "describe_startle",
    "describe_stress",
    "diaphragm_figure",
    "draw_diaphragm_psoas",
    "draw_startle_body",
    "draw_startle_timeline",
    "draw_stress",
    "format_ms",
    "format_s",
    "startle_figure",
    "stress_figure",
    "update_diaphragm_psoas",
    "update_startle",
    "update_startle_body",
    "update_startle_timeline",
    "update_stress",
]

#: Colour of a muscle (and the body part it drives) by its state at the current time.
STATE_COLOURS = {
    "started": ROLE["active"],            # vermillion: has started in every cited recording
    "in_window": OKABE_ITO["orange"],     # inside its uncertain onset window
    "waiting": ROLE["bone"],              # not yet
}
_AUTONOMIC = OKABE_ITO["bluish_green"]
_SAM = OKABE_ITO["vermillion"]
_HPA = OKABE_ITO["blue"]

#: Short phase names for the body panel's title.
_PHASE_TITLES = {"before": "the sound is on its way", "motor": "motor startle",
                 "pause": "EMG pause", "autonomic": "autonomic phase"}
_TIMELINE_XLIM = (5.0, 13000.0)
#: Where the time label's top stands on the timeline (row units; the first row is 0), wide
#: and narrow.
_LABEL_Y = {False: -2.0, True: -3.3}
_TICKS_MS = (10, 30, 100, 300, 1000, 3000, 10000)


# --------------------------------------------------------------------------- helpers

def format_ms(t_ms: float) -> str:
    """A time after the sound for people: ``"0 ms"``, ``"42 ms"``, ``"1.5 s"``."""
    if t_ms < 1000:
        return f"{t_ms:.3g} ms" if t_ms >= 1 else f"{t_ms:.2g} ms"
    return f"{t_ms / 1000:.3g} s"


def format_s(t_s: float) -> str:
    """A time after a stressor for people: ``"12 s"``, ``"5 min"``, ``"1.5 h"``."""
    if t_s < 60:
        return f"{t_s:.2g} s"
    if t_s < 3600:
        return f"{t_s / 60:.2g} min"
    return f"{t_s / 3600:.2g} h"


def _state_of(muscle_id: str, state) -> str:
    if muscle_id in state.started:
        return "started"
    if muscle_id in state.in_window:
        return "in_window"
    return "waiting"


def _segment_state(seg, state) -> str:
    states = {_state_of(mid, state) for mid in seg.muscles}
    for name in ("started", "in_window"):
        if name in states:
            return name
    return "waiting"


# --------------------------------------------------------------------------- timeline

def draw_startle_timeline(ax: Axes, t_ms: float = 0.0, narrow: bool = False) -> dict:
    """Draw the muscle-by-muscle startle timeline on a log time axis, with a time cursor.

    Single onset times are dots; where the sources give only a window or an order, the
    window is a bar (hatched where the window is the course's inference). The motor window,
    the EMG pause and the autonomic phase are shaded.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    t_ms : float
        Cursor time after the sound, 0 to 10 000 ms.
    narrow : bool
        For a phone: each row's name written above the row, across the panel (not beside
        it), and the key under the panel.

    Returns
    -------
    dict
        Artists for :func:`update_startle_timeline`: ``"cursor"``, ``"cursor_label"``,
        ``"muscles"`` (id -> artist), ``"autonomic"`` (list of patches).
    """
    from matplotlib.patches import Rectangle
    from matplotlib.ticker import FixedLocator, NullLocator
    from matplotlib.transforms import blended_transform_factory

    t = check_time_ms(t_ms)
    data = load_startle()
    muscles = data.muscles
    n = len(muscles)
    lo, hi = data.motor_window_ms
    q_lo, q_hi = data.quiet_gap_ms
    auto = data.autonomic
    ax.set_xscale("log")
    ax.set_xlim(*_TIMELINE_XLIM)
    y_auto = n + (1.0 if narrow else 0.6)
    # narrow: the rows' names are written above them, so the spans' names stand higher (clear
    # of the first row's name) and the time label higher still (clear of the spans' names)
    ax.set_ylim(y_auto + (1.3 if narrow else 0.9), _LABEL_Y[narrow] - 0.1)
    shade_y = -1.55 if narrow else -0.95
    ax.axvspan(lo, hi, color=OKABE_ITO["sky_blue"], alpha=0.13, lw=0)
    ax.axvspan(q_lo, q_hi, facecolor="none", edgecolor=ROLE["bone"], hatch="..", lw=0)
    box = {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.9}
    # narrow: the two shaded spans' names end and start at their edges, so they do not meet
    ax.text(hi if narrow else math.sqrt(lo * hi), shade_y, f"motor startle\n{lo:g}–{hi:g} ms",
            ha="right" if narrow else "center", va="center", fontsize=9, color=ROLE["text"],
            bbox=box)
    ax.text(q_lo if narrow else math.sqrt(q_lo * q_hi), shade_y,
            f"no EMG\n{q_lo:g}–{q_hi:g} ms", ha="left" if narrow else "center", va="center",
            fontsize=9, color=ROLE["text"], bbox=box)
    artists_m = {}
    for y, m in enumerate(muscles):
        colour = STATE_COLOURS["waiting"]
        if m.onset.is_range:
            width = m.onset.max_ms - m.onset.min_ms
            patch = Rectangle((m.onset.min_ms, y - 0.28), width, 0.56, facecolor=colour,
                              edgecolor=ROLE["text"], lw=0.8,
                              hatch="///" if m.basis == "inferred" else None)
            ax.add_patch(patch)
            artists_m[m.id] = patch
        else:
            (dot,) = ax.plot([m.onset.min_ms], [y], "o", ms=11, mfc=colour, mec=ROLE["text"],
                             mew=0.8)
            artists_m[m.id] = dot
    # autonomic phase: certain to 3 s, possibly to 10 s
    solid = Rectangle((auto.start_ms, y_auto - 0.3), auto.end_min_ms - auto.start_ms, 0.6,
                      facecolor=_AUTONOMIC, alpha=0.35, edgecolor=_AUTONOMIC, lw=1)
    faded = Rectangle((auto.end_min_ms, y_auto - 0.3), auto.end_max_ms - auto.end_min_ms, 0.6,
                      facecolor="none", edgecolor=_AUTONOMIC, hatch="//", lw=1, alpha=0.35)
    ax.add_patch(solid)
    ax.add_patch(faded)
    signals = (f"{', '.join(auto.signals)}: up to {auto.end_min_ms / 1000:g}–"
               f"{auto.end_max_ms / 1000:g} s")
    if narrow:
        ax.text(0.98, y_auto + 0.4, signals, ha="right", va="top", fontsize=9,
                color=ROLE["text"], transform=blended_transform_factory(ax.transAxes,
                                                                        ax.transData))
    else:
        ax.text(math.sqrt(auto.start_ms * auto.end_max_ms), y_auto - 0.55, signals,
                ha="center", va="bottom", fontsize=9, color=ROLE["text"])
    labels = [f"{m.short_label} ({m.onset.text().replace('about ', '≈')})" for m in muscles]
    labels.append(f"Autonomic phase (≥{auto.start_ms:g} ms)")
    ax.yaxis.set_major_locator(FixedLocator([*range(n), y_auto]))
    if narrow:   # each row's name above it, from the panel's left edge
        ax.set_yticklabels([""] * len(labels))
        across = blended_transform_factory(ax.transAxes, ax.transData)
        for y, label in zip([*range(n), y_auto], labels, strict=True):
            ax.text(0.0, y - 0.3, label, transform=across, fontsize=9, va="bottom")
    else:
        ax.set_yticklabels(labels, fontsize=9.5)
    ax.tick_params(axis="y", length=0)
    ticks = _TICKS_MS[::2] if narrow else _TICKS_MS     # narrow: every decade only
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xticklabels([format_ms(v) for v in ticks])
    ax.set_xlabel("time after the sound (log scale;\nthe sound itself is at t = 0)" if narrow
                  else "time after the sound (log scale; the sound itself is at t = 0)",
                  fontsize=10)
    ax.spines["left"].set_visible(False)
    cursor = ax.axvline(max(t, _TIMELINE_XLIM[0]), color=ROLE["text"], lw=1.6, zorder=6)
    cursor_label = ax.text(max(t, _TIMELINE_XLIM[0]), _LABEL_Y[narrow], "", ha="center",
                           va="top",
                           fontsize=10, fontweight="bold", zorder=7,
                           bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": ROLE["text"]})
    cursor_label.set_in_layout(False)     # a moving label must not move the layout
    handles = [ax.plot([], [], "o", ms=9, mfc=c, mec=ROLE["text"], ls="none")[0]
               for c in STATE_COLOURS.values()]
    handles.append(Rectangle((0, 0), 1, 1, facecolor="white", edgecolor=ROLE["text"],
                             hatch="///"))
    ax.legend(handles, ["started", "may have started\n(source gives a window)", "not yet",
                        "window inferred\nby the course"],
              **({"loc": "upper center", "bbox_to_anchor": (0.5, -0.2), "ncols": 2} if narrow
                 else {"loc": "center right", "bbox_to_anchor": (1.0, 0.42)}),
              fontsize=8, frameon=True, framealpha=0.95, borderaxespad=0.2)
    artists = {"cursor": cursor, "cursor_label": cursor_label, "muscles": artists_m,
               "autonomic": [solid, faded], "label_y": _LABEL_Y[narrow]}
    update_startle_timeline(artists, t)
    return artists


def update_startle_timeline(artists: dict, t_ms: float) -> None:
    """Move the timeline's cursor to ``t_ms`` and recolour the muscles (no new artists)."""
    from matplotlib.patches import Rectangle

    state = startle_state(t_ms)
    x = max(state.t_ms, _TIMELINE_XLIM[0])
    artists["cursor"].set_xdata([x, x])
    label = f"t = {format_ms(state.t_ms)}"
    if state.t_ms < _TIMELINE_XLIM[0]:
        label = f"◀ t = {format_ms(state.t_ms)}"
    artists["cursor_label"].set_position((x, artists["label_y"]))
    artists["cursor_label"].set_text(label)
    artists["cursor_label"].set_ha("left" if state.t_ms < 8 else
                                   "right" if state.t_ms > 6000 else "center")
    for mid, art in artists["muscles"].items():
        colour = STATE_COLOURS[_state_of(mid, state)]
        if isinstance(art, Rectangle):
            art.set_facecolor(colour)
        else:
            art.set_markerfacecolor(colour)
    on = state.phase == "autonomic"
    artists["autonomic"][0].set_alpha(0.8 if on else 0.3)
    artists["autonomic"][1].set_alpha(0.8 if on else 0.3)


# --------------------------------------------------------------------------- body

_HIP = np.array([0.0, 0.50])
_TRUNK, _NECK, _HEAD_R = 0.30, 0.075, 0.062
_UPPER_ARM, _FOREARM, _HAND = 0.17, 0.15, 0.065
_THIGH, _SHANK = 0.235, 0.235


def _unit(angle_deg: float) -> np.ndarray:
    """Unit vector at ``angle_deg`` from straight up, positive leaning forward (+x)."""
    a = math.radians(angle_deg)
    return np.array([math.sin(a), math.cos(a)])


def _body_points(curl: dict[str, float]) -> dict[str, np.ndarray]:
    """Joint positions of the side-view figure (facing right) for per-segment curl 0..1."""
    seg = {s.id: s for s in load_startle().segments}

    def amount(name: str) -> float:
        return curl.get(name, 0.0) * seg[name].pose_max

    trunk_a = amount("trunk")
    neck_base = _HIP + _unit(trunk_a) * _TRUNK
    shoulder = _HIP + _unit(trunk_a) * (_TRUNK - 0.03 + amount("shoulders"))
    neck_a = trunk_a + amount("neck")
    head = neck_base + _unit(neck_a) * (_NECK + _HEAD_R * 0.6)
    arm_a = 172 - trunk_a * 0.5 - amount("arms") * 0.35   # hangs down, swings forward
    elbow = shoulder + _unit(arm_a) * _UPPER_ARM
    fore_a = arm_a - amount("arms")
    wrist = elbow + _unit(fore_a) * _FOREARM
    hand = wrist + _unit(fore_a + amount("hands")) * _HAND
    knee = _HIP + np.array([0.0, -_THIGH])
    ankle = knee + np.array([0.0, -_SHANK])
    toe = ankle + np.array([0.09, 0.0])
    eye = head + _unit(neck_a + 70) * _HEAD_R * 0.62
    chin = head + _unit(neck_a + 150) * _HEAD_R * 0.95
    return {"hip": _HIP, "neck_base": neck_base, "shoulder": shoulder, "head": head,
            "elbow": elbow, "wrist": wrist, "hand": hand, "knee": knee, "ankle": ankle,
            "toe": toe, "eye": eye, "chin": chin, "neck_angle": np.array([neck_a])}


def draw_startle_body(ax: Axes, t_ms: float = 0.0) -> dict:
    """Draw a side-view stick figure that curls into the startle's flexion pattern.

    Each body part is coloured by the state of the muscles that drive it (started, inside
    its onset window, not yet) and bent by the drawing model's curl (see
    :func:`melt_course.models.startle.segment_curl`).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    t_ms : float
        Time after the sound, 0 to 10 000 ms.

    Returns
    -------
    dict
        Artists for :func:`update_startle_body`.
    """
    from matplotlib.patches import Arc, Circle, Ellipse

    check_time_ms(t_ms)
    ax.set_xlim(-0.44, 0.56)
    ax.set_ylim(-0.02, 1.16)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.plot([-0.4, 0.56], [0.035, 0.035], color=ROLE["bone"], lw=2)
    grey = ROLE["bone"]
    lw = 9
    (legs,) = ax.plot([], [], color=grey, lw=lw, solid_capstyle="round", solid_joinstyle="round")
    (trunk,) = ax.plot([], [], color=grey, lw=lw + 3, solid_capstyle="round")
    (neck,) = ax.plot([], [], color=grey, lw=lw - 2, solid_capstyle="round")
    head = Circle((0, 0), _HEAD_R, facecolor="white", edgecolor=grey, lw=3.5)
    ax.add_patch(head)
    eye = Ellipse((0, 0), 0.026, 0.018, facecolor=ROLE["text"], edgecolor=ROLE["text"])
    ax.add_patch(eye)
    (jaw,) = ax.plot([], [], color=grey, lw=4, solid_capstyle="round")
    (shoulder,) = ax.plot([], [], "o", ms=15, color=grey)
    (arm,) = ax.plot([], [], color=grey, lw=lw - 2, solid_capstyle="round",
                     solid_joinstyle="round")
    (hand,) = ax.plot([], [], color=grey, lw=5, solid_capstyle="round")
    for r in (0.05, 0.09, 0.13):
        ax.add_patch(Arc((-0.34, 0.90), r, r * 1.6, theta1=-50, theta2=50, color=ROLE["text"],
                         lw=1.5))
    ax.text(-0.40, 0.78, "loud sound\nat t = 0", fontsize=9, va="top", color=ROLE["text"])
    # The phase is the panel's title; the time is on the timeline's label (one text less to
    # draw at every move).
    title = ax.text(0.06, 1.15, "", ha="center", va="top", fontsize=12, fontweight="bold")
    title.set_in_layout(False)
    artists = {"legs": legs, "trunk": trunk, "neck": neck, "head": head, "eye": eye,
               "jaw": jaw, "shoulder": shoulder, "arm": arm, "hand": hand, "title": title}
    update_startle_body(artists, t_ms)
    return artists


def update_startle_body(artists: dict, t_ms: float) -> None:
    """Re-pose and recolour the stick figure for ``t_ms`` (no new artists)."""
    state = startle_state(t_ms)
    data = load_startle()
    p = _body_points(dict(state.curl))
    segs = {s.id: s for s in data.segments}
    colour = {sid: STATE_COLOURS[_segment_state(s, state)] for sid, s in segs.items()}

    def put(line, *names):
        pts = np.array([p[n] for n in names])
        line.set_data(pts[:, 0], pts[:, 1])

    put(artists["legs"], "hip", "knee", "ankle", "toe")
    artists["legs"].set_color(colour["legs"])
    put(artists["trunk"], "hip", "neck_base")
    artists["trunk"].set_color(colour["trunk"])
    neck_top = p["head"] - (p["head"] - p["neck_base"]) / np.linalg.norm(
        p["head"] - p["neck_base"]) * _HEAD_R
    artists["neck"].set_data([p["neck_base"][0], neck_top[0]], [p["neck_base"][1], neck_top[1]])
    artists["neck"].set_color(colour["neck"])
    artists["head"].set_center(tuple(p["head"]))
    artists["head"].set_edgecolor(colour["neck"])
    closure = state.curl["eyes"]
    artists["eye"].set_center(tuple(p["eye"]))
    artists["eye"].set_height(0.018 * (1 - closure) + 0.003)
    artists["eye"].set_facecolor(ROLE["text"] if closure < 0.5 else colour["eyes"])
    artists["eye"].set_edgecolor(ROLE["text"] if closure < 0.5 else colour["eyes"])
    jaw_in = p["head"] + _unit(float(p["neck_angle"][0]) + 115) * _HEAD_R * 0.9
    artists["jaw"].set_data([jaw_in[0], p["chin"][0]], [jaw_in[1], p["chin"][1]])
    artists["jaw"].set_color(colour["face"])
    artists["shoulder"].set_data([p["shoulder"][0]], [p["shoulder"][1]])
    artists["shoulder"].set_color(colour["shoulders"])
    put(artists["arm"], "shoulder", "elbow", "wrist")
    artists["arm"].set_color(colour["arms"])
    put(artists["hand"], "wrist", "hand")
    artists["hand"].set_color(colour["hands"])
    phase = _PHASE_TITLES[state.phase]
    artists["title"].set_text(phase[0].upper() + phase[1:])      # "EMG pause" keeps its case


def update_startle(artists: dict, t_ms: float) -> None:
    """Update both panels made by :func:`startle_figure` to ``t_ms``."""
    update_startle_body(artists["body"], t_ms)
    update_startle_timeline(artists["timeline"], t_ms)


def startle_figure(t_ms: float = 0.0, narrow: bool = False) -> tuple[Figure, dict]:
    """Make the lesson's startle figure: body on the left, timeline on the right.

    ``narrow``: the body on top, the timeline below (for a phone).

    Returns
    -------
    fig : matplotlib.figure.Figure
    artists : dict
        ``{"body": ..., "timeline": ...}``; pass to :func:`update_startle`.
    """
    if narrow:
        fig, (ax_body, ax_time) = new_figure(NARROW_WIDTH, 9.5, 2, 1, height_ratios=[1, 1.2])
    else:
        fig, (ax_body, ax_time) = new_figure(12.0, 5.4, 1, 2, width_ratios=[1, 1.9])
    with course_style():
        body = draw_startle_body(ax_body, t_ms)
        timeline = draw_startle_timeline(ax_time, t_ms, narrow=narrow)
    return fig, {"body": body, "timeline": timeline}


def describe_startle(t_ms: float) -> str:
    """Text description of the startle figure at ``t_ms``, for screen readers and fallbacks."""
    state = startle_state(t_ms)
    data = load_startle()
    names = {m.id: m.name for m in data.muscles}
    segs = {s.id: s for s in data.segments}
    parts = [f"{format_ms(state.t_ms)} after a loud sound: {PHASES[state.phase]}."]
    if state.started:
        parts.append("Started: " + ", ".join(names[m] for m in state.started) + ".")
    if state.in_window:
        parts.append("Inside their onset window (the sources give a window or an order, "
                     "not a single time): " + ", ".join(names[m] for m in state.in_window)
                     + ".")
    if state.waiting:
        parts.append("Not yet: " + ", ".join(names[m] for m in state.waiting) + ".")
    moving = [segs[s].movement for s, c in state.curl.items()
              if c > 0 and segs[s].pose_kind != "none"]
    if moving:
        parts.append("The figure shows: " + "; ".join(moving) + ".")
    else:
        parts.append("The figure stands at rest, eyes open.")
    if state.phase == "autonomic":
        auto = data.autonomic
        parts.append(f"The muscles' burst is over; the late response ({', '.join(auto.signals)})"
                     f" can last up to {auto.end_min_ms / 1000:g}-{auto.end_max_ms / 1000:g} s. "
                     "The figure holds the curl because the sources do not say how fast the body "
                     "unwinds.")
    return " ".join(parts)


# --------------------------------------------------------------------------- stress hormones

_STRESS_XLIM = (1.0, 21600.0)
_STRESS_TICKS = (1, 10, 60, 600, 3600, 21600)


def draw_stress(ax: Axes, t_s: float = 10.0, narrow: bool = False) -> dict:
    """Draw the illustrative adrenaline (SAM) and cortisol (HPA) shapes on a log time axis.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    t_s : float
        Cursor time after the stressor, s (1 s to 6 h shown).
    narrow : bool
        Laid out for a phone (see :func:`stress_figure`): the time read-out on three lines
        at the top of the figure, the note, the watermark and the axis label wrapped.

    Returns
    -------
    dict
        Artists for :func:`update_stress`.
    """
    from matplotlib.ticker import FixedLocator, NullLocator

    t = check_time_s(t_s)
    model = load_stress_model()
    times = np.logspace(0, math.log10(_STRESS_XLIM[1]), 400)
    levels = stress_levels(times)
    colours = {"sam": _SAM, "hpa": _HPA}
    dots = {}
    for axis in model.axes:
        colour = colours.get(axis.id, ROLE["total"])
        ax.plot(times, levels[axis.id], color=colour, lw=2.6)
        (dots[axis.id],) = ax.plot([], [], "o", ms=10, color=colour, mec="white", mew=1.5,
                                   zorder=4)
        tp = axis.peak_time_s
        ax.annotate(f"{axis.short} ({axis.id.upper()}):\n{axis.time_scale}",
                    xy=(tp, 1.0), xytext=(tp, 1.13), ha="center", fontsize=8.5 if narrow else 10,
                    color=colour, fontweight="bold")
    ax.set_xscale("log")
    ax.set_xlim(*_STRESS_XLIM)
    ax.set_ylim(0, 1.32)
    ax.xaxis.set_major_locator(FixedLocator(_STRESS_TICKS))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xticklabels([format_s(v) for v in _STRESS_TICKS])
    ax.set_yticks([0, 1])
    ax.set_yticklabels(["0", "own\npeak"])
    # the cursor and dots above every text they cross (the watermark), as the fast redraw
    # draws them; the cursor stops under the curves' names
    cursor = ax.axvline(t, ymax=1.07 / 1.32, color=ROLE["text"], lw=1.4, zorder=3.5)
    if narrow:
        ax.tick_params(labelsize=9)
        ax.set_xlabel("time after the stressor (log scale)", fontsize=10)
        ax.set_ylabel("shape only\n(each curve's own peak = 1)", fontsize=9)
        ax.text(0.5, 0.5, "ILLUSTRATIVE SHAPE,\nNOT MEASURED DATA", transform=ax.transAxes,
                ha="center", va="center", fontsize=12, color=ROLE["bone"], alpha=0.45,
                fontweight="bold")
        ax.text(0.5, 1.01, "Illustrative shapes on the time scales StatPearls\ngives "
                "('Physiology, Stress Reaction'); not\nmeasured data", transform=ax.transAxes,
                ha="center", va="bottom", fontsize=8, color=ROLE["text"])
        # the read-out's three lines stand in the strip the layout leaves free at the top
        label = ax.figure.text(0.5, 0.995, "", va="top", ha="center", fontsize=9,
                               fontweight="bold")
    else:
        ax.set_xlabel("time after the stressor (log scale)")
        ax.set_ylabel("shape only (each curve's own peak = 1)", fontsize=10)
        ax.text(0.5, 0.5, "ILLUSTRATIVE SHAPE, NOT MEASURED DATA", transform=ax.transAxes,
                ha="center", va="center", fontsize=15, color=ROLE["bone"], alpha=0.45,
                rotation=0, fontweight="bold")
        # two blank lines reserve room in the layout for the moving label above the note
        ax.text(0.5, 1.01, "\n\nIllustrative shapes on the time scales StatPearls gives "
                "('Physiology, Stress Reaction'); not measured data", transform=ax.transAxes,
                ha="center", va="bottom", fontsize=8.5, color=ROLE["text"])
        label = ax.text(0.5, 1.055, "", transform=ax.transAxes, va="bottom", ha="center",
                        fontsize=10.5, fontweight="bold")
    label.set_in_layout(False)
    artists = {"cursor": cursor, "dots": dots, "label": label, "narrow": narrow}
    update_stress(artists, t)
    return artists


def update_stress(artists: dict, t_s: float) -> None:
    """Move the stress figure's cursor and dots to ``t_s`` (no new artists)."""
    t = check_time_s(t_s)
    x = min(max(t, _STRESS_XLIM[0]), _STRESS_XLIM[1])
    artists["cursor"].set_xdata([x, x])
    levels = stress_levels(t)
    model = load_stress_model()
    parts = [f"t = {format_s(t)} after the stressor"]
    for axis in model.axes:
        artists["dots"][axis.id].set_data([x], [levels[axis.id]])
        parts.append(f"{axis.short} {levels[axis.id]:.0%} of its peak")
    artists["label"].set_text(("\n" if artists.get("narrow") else "  ·  ").join(parts))


#: The narrow stress figure's top strip, kept free of the layout for the three-line read-out
#: (a fraction of the figure's height).
_STRESS_READOUT = 0.11


def stress_figure(t_s: float = 10.0, narrow: bool = False) -> tuple[Figure, dict]:
    """Make the adrenaline-against-cortisol figure; returns ``(fig, artists)``.

    ``narrow``: for a phone (the read-out on three lines above the plot).
    """
    if narrow:
        fig, ax = new_figure(NARROW_WIDTH, 5.0)
        fig.get_layout_engine().set(rect=(0, 0, 1, 1 - _STRESS_READOUT))
    else:
        fig, ax = new_figure(8.5, 4.6)
    with course_style():
        artists = draw_stress(ax, t_s, narrow=narrow)
    return fig, artists


def _rising_or_falling(axis, t: float) -> str:
    if t < axis.peak_time_s * 0.9:
        return "still rising"
    if t <= axis.peak_time_s * 1.1:
        return "near its peak"
    return "falling"


def describe_stress(t_s: float) -> str:
    """Text description of the stress-hormone figure at ``t_s``."""
    t = check_time_s(t_s)
    model = load_stress_model()
    levels = stress_levels(t)
    parts = [f"Illustrative shapes, not measured data, {format_s(t)} after a stressor."]
    for axis in model.axes:
        parts.append(f"The {axis.name} ({', '.join(axis.messengers)}; {axis.time_scale}) is at "
                     f"{levels[axis.id]:.0%} of its own peak and {_rising_or_falling(axis, t)}.")
    parts.append("Each curve is scaled to its own peak, so the two heights cannot be compared.")
    return " ".join(parts)


# --------------------------------------------------------------------------- diaphragm & psoas

_LEVELS = ("T12", "L1", "L2", "L3", "L4", "L5")
_LEVEL_Y = dict(zip(_LEVELS, (0.55, 0.43, 0.31, 0.19, 0.07, -0.05), strict=True))
_BODY_HW, _BODY_HH = 0.10, 0.048
_TP_TIP = 0.25
_DOME_X = 0.95
_PSOAS_EDGE = ROLE["muscle"]


def _check_inhale(inhale) -> float:
    if isinstance(inhale, bool) or not isinstance(inhale, (int, float)):
        raise ValueError(f"inhale={inhale!r} is not a number; expected 0 (breath out) to 1 "
                         "(full breath in)")
    value = float(inhale)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"inhale={inhale!r} is outside the valid range 0 (breath out) to 1 "
                         "(full breath in)")
    return value


def _dome(inhale: float, n: int = 161) -> tuple[np.ndarray, np.ndarray]:
    """The diaphragm's outline (front view): two cupolas, the body's right a little higher.

    Breathing in lowers and flattens the dome (a drawing, not measured excursion).
    """
    x = np.linspace(-_DOME_X, _DOME_X, n)
    base = 0.40
    height = 0.60 - 0.22 * inhale
    cupola = np.cos(np.clip(np.abs(x) / _DOME_X, 0, 1) * math.pi / 2) ** 0.6
    dip = 0.05 * np.exp(-(x / 0.13) ** 2)             # the central tendon sits a little lower
    skew = 0.03 * (x < 0)                              # right cupola (viewer's left) higher
    return x, base + (height + skew) * cupola - dip


def draw_diaphragm_psoas(ax: Axes, inhale: float = 0.0, narrow: bool = False) -> dict:
    """Draw the diaphragm above the psoas (front view) with the medial arcuate ligament.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    inhale : float
        0 = breath out (dome high) to 1 = full breath in (dome lowered and flattened), as in
        a startle gasp.
    narrow : bool
        Laid out for a phone (see :func:`diaphragm_figure`): the long labels become numbers
        beside their structures, explained in a key under the drawing.

    Returns
    -------
    dict
        Artists for :func:`update_diaphragm_psoas`.
    """
    from matplotlib.patches import Arc, FancyBboxPatch, Polygon, Rectangle

    value = _check_inhale(inhale)
    if narrow:
        ax.set_xlim(-1.0, 1.0)
        ax.set_ylim(_KEY_BOTTOM, 1.37)
    else:
        ax.set_xlim(-1.25, 1.25)
        ax.set_ylim(-0.80, 1.12)
    ax.set_aspect("equal")
    ax.set_axis_off()
    bone, muscle = ROLE["bone"], ROLE["muscle"]
    y1 = _LEVEL_Y["L1"]
    for side in (-1, 1):
        # twelfth rib (z 1), quadratus lumborum (z 0.5) behind psoas
        ax.plot([side * 0.09, side * 0.36, side * 0.60], [0.57, 0.54, 0.42], color=bone, lw=7,
                solid_capstyle="round", zorder=1)
        ax.add_patch(Polygon([(side * _TP_TIP, y1), (side * 0.52, 0.47), (side * 0.66, -0.02),
                              (side * 0.30, -0.04)], closed=True,
                             facecolor=OKABE_ITO["orange"], alpha=0.28, edgecolor="none",
                             zorder=0.5))
        # iliac crest
        ax.add_patch(Arc((side * 0.70, -0.30), 0.80, 0.55, theta1=35 if side > 0 else 110,
                         theta2=70 if side > 0 else 145, color=bone, lw=7, zorder=1))
        # transverse processes (behind psoas; the L1 tip shows beyond its edge)
        for lev in _LEVELS[1:]:
            y = _LEVEL_Y[lev]
            ax.add_patch(Rectangle((min(side * _BODY_HW, side * _TP_TIP), y - 0.016),
                                   _TP_TIP - _BODY_HW, 0.032, facecolor=bone, edgecolor="none",
                                   zorder=1))
        # psoas major, narrow at T12, widening down to its tendon
        ax.add_patch(Polygon([(side * 0.10, 0.58), (side * 0.155, 0.59), (side * 0.20, 0.40),
                              (side * 0.27, 0.15), (side * 0.33, -0.10), (side * 0.37, -0.38),
                              (side * 0.37, -0.62), (side * 0.32, -0.62), (side * 0.24, -0.40),
                              (side * 0.13, -0.18), (side * 0.10, 0.0)], closed=True,
                             facecolor=muscle, alpha=0.85, edgecolor=_PSOAS_EDGE, lw=1,
                             zorder=2))
        # sympathetic trunk along the psoas' inner border, behind the ligament
        ax.plot([side * 0.095] * 2, [0.68, -0.12], color=OKABE_ITO["yellow"], lw=2.4,
                ls=(0, (2, 1.4)), zorder=3.5)
        # lateral arcuate ligament: L1 transverse process -> 12th rib, over quadratus lumborum
        ax.add_patch(Arc((side * (_TP_TIP + 0.52) / 2, y1 + 0.01), 0.52 - _TP_TIP, 0.12,
                         theta1=0, theta2=180, color=ROLE["highlight"], lw=2.2, ls="--",
                         zorder=4))
    for lev, y in _LEVEL_Y.items():
        ax.add_patch(FancyBboxPatch((-_BODY_HW, y - _BODY_HH), 2 * _BODY_HW, 2 * _BODY_HH,
                                    boxstyle="round,pad=0.004,rounding_size=0.02",
                                    facecolor="white", edgecolor=ROLE["bone"], lw=1, zorder=3))
        # narrow: L2 to L5 named clear of the crura, which end at L2 and L3
        x = {"L2": -0.006, "L3": 0.03, "L4": 0.03, "L5": 0.03}.get(lev, -0.02) if narrow \
            else -0.02
        ax.text(x, y, lev, ha="center", va="center", fontsize=8, color=ROLE["text"],
                zorder=3.2)
    # medial arcuate ligament: side of L1 body -> L1 transverse process, arching over psoas
    for side in (-1, 1):
        ax.add_patch(Arc((side * (_BODY_HW + _TP_TIP) / 2, y1), _TP_TIP - _BODY_HW, 0.17,
                         theta1=0, theta2=180, color=ROLE["highlight"], lw=5, zorder=5))
    x, y = _dome(value)
    (dome,) = ax.plot(x, y, color=ROLE["diaphragm"], lw=6, solid_capstyle="round", zorder=6)
    fibres = []
    for side in (-1, 1):
        for frac in (0.0, 0.5, 1.0):
            (line,) = ax.plot([], [], color=ROLE["diaphragm"], lw=2.2, alpha=0.9, zorder=5.5)
            fibres.append((line, side, frac))
    crus = 3.5 if narrow else 5     # narrow: thinner, clear of the level names
    (crus_r,) = ax.plot([], [], color=ROLE["diaphragm"], lw=crus, zorder=5.5,
                        solid_capstyle="round")
    (crus_l,) = ax.plot([], [], color=ROLE["diaphragm"], lw=crus, zorder=5.5,
                        solid_capstyle="round")
    if narrow:
        dome_label = _diaphragm_labels_narrow(ax)
        artists = {"dome": dome, "fibres": fibres, "crura": (crus_r, crus_l),
                   "label": dome_label, "narrow": True}
        update_diaphragm_psoas(artists, value)
        return artists
    # labels
    ax.annotate("medial arcuate ligament:\na thickening of the psoas\nfascia, from the L1 body\n"
                "to the L1 transverse process;\ndiaphragm fibres arise from it",
                xy=(0.20, y1 + 0.085), xytext=(0.50, -0.55), fontsize=9, color=ROLE["highlight"],
                arrowprops={"arrowstyle": "->", "color": ROLE["highlight"], "lw": 1.4},
                zorder=8)
    ax.annotate("lateral arcuate ligament", xy=(0.45, y1 + 0.06), xytext=(0.72, 0.28),
                fontsize=8, color=ROLE["highlight"],
                arrowprops={"arrowstyle": "->", "color": ROLE["highlight"], "lw": 1}, zorder=8)
    ax.annotate("psoas major", xy=(-0.30, -0.20), xytext=(-1.22, -0.36), fontsize=11,
                color=_PSOAS_EDGE, fontweight="bold",
                arrowprops={"arrowstyle": "->", "color": _PSOAS_EDGE, "lw": 1.3}, zorder=8)
    for side in (-1, 1):
        ax.text(side * 0.345, -0.64, "to the lesser\ntrochanter", fontsize=8, ha="center",
                va="top", color=_PSOAS_EDGE)
    ax.annotate("sympathetic trunk\n(passes behind the ligament)", xy=(-0.095, 0.25),
                xytext=(-1.22, -0.02), fontsize=8, color=ROLE["text"],
                arrowprops={"arrowstyle": "->", "color": ROLE["text"], "lw": 1},
                zorder=5.2)   # under the moving crura, as the fast redraw draws them
    ax.annotate("crura of the diaphragm\n(to the L1-L3 bodies)", xy=(-0.05, 0.27),
                xytext=(-1.22, 0.20), fontsize=8, color=ROLE["diaphragm"],
                arrowprops={"arrowstyle": "->", "color": ROLE["diaphragm"], "lw": 1},
                zorder=5.2)
    ax.text(0.66, 0.05, "quadratus\nlumborum", fontsize=8, color=ROLE["text"], ha="left")
    ax.text(-0.85, 0.80, "diaphragm", fontsize=11, color=ROLE["diaphragm"], fontweight="bold",
            ha="center")
    dome_label = ax.text(0.0, 1.11, "", ha="center", va="top", fontsize=10.5,
                         color=ROLE["diaphragm"], fontweight="bold")
    dome_label.set_in_layout(False)
    ax.text(-1.24, -0.79, "front view; the body's right\nis on the left of the picture",
            fontsize=8, color=ROLE["text"], ha="left", va="bottom")
    artists = {"dome": dome, "fibres": fibres, "crura": (crus_r, crus_l), "label": dome_label}
    update_diaphragm_psoas(artists, value)
    return artists


def update_diaphragm_psoas(artists: dict, inhale: float) -> None:
    """Move the diaphragm for a breath from 0 (out) to 1 (full breath in); no new artists."""
    value = _check_inhale(inhale)
    x, y = _dome(value)
    artists["dome"].set_data(x, y)
    y_arch = _LEVEL_Y["L1"] + 0.085

    def dome_y(xq: float) -> float:
        return float(np.interp(xq, x, y))

    for line, side, frac in artists["fibres"]:
        x_bot = side * (_BODY_HW + 0.02 + (_TP_TIP - _BODY_HW - 0.04) * frac)
        x_top = side * (0.22 + 0.28 * frac)
        line.set_data([x_bot, x_top], [y_arch - 0.02 * abs(frac - 0.5), dome_y(x_top)])
    crus_r, crus_l = artists["crura"]
    crus_r.set_data([-0.14, -0.045], [dome_y(-0.14), _LEVEL_Y["L3"]])
    crus_l.set_data([0.14, 0.045], [dome_y(0.14), _LEVEL_Y["L2"]])
    if value < 0.05:
        text = "Breath out: the diaphragm's dome is high"
    elif value < 0.95:
        text = f"Breathing in ({value:.0%}): the dome moves down and flattens"
    else:
        text = "Full breath in, as in a startle gasp: the dome is low and flat"
    if artists.get("narrow"):   # always two lines: after the colon
        text = text.replace(": ", ":\n", 1)
    artists["label"].set_text(text)


#: The narrow diaphragm drawing's lowest y: room for the key under the drawing.
_KEY_BOTTOM = -1.56

#: The narrow layout's numbered labels: (text, colour, number's place, arrow's tip or None).
_DIAPHRAGM_KEY = (
    ("medial arcuate ligament: a thickening of the psoas\nfascia, from the L1 body to the "
     "L1 transverse\nprocess; diaphragm fibres arise from it", ROLE["highlight"],
     (0.80, 0.47), (0.22, 0.515)),
    ("lateral arcuate ligament (over quadratus lumborum)", ROLE["highlight"], (0.80, 0.33),
     (0.52, 0.47)),
    ("crura of the diaphragm (to the L1-L3 bodies)", ROLE["diaphragm"], (-0.80, 0.40),
     (-0.075, 0.37)),
    ("sympathetic trunk (passes behind the ligament)", ROLE["text"], (-0.80, 0.10),
     (-0.095, 0.12)),
)


def _diaphragm_labels_narrow(ax: Axes) -> Text:
    """The narrow layout's labels: short names in the drawing, numbers for the long ones with
    a key under the drawing; returns the breath read-out (two lines, at the top)."""
    bold = {"fontweight": "bold"}
    ax.text(-0.98, 1.08, "diaphragm", fontsize=10, color=ROLE["diaphragm"], ha="left",
            va="center", **bold)
    ax.annotate("psoas major", xy=(-0.31, -0.32), xytext=(-0.98, -0.50), fontsize=10,
                color=_PSOAS_EDGE, va="center", arrowprops={"arrowstyle": "->",
                                                            "color": _PSOAS_EDGE, "lw": 1.3},
                zorder=8, **bold)
    ax.text(0.46, 0.16, "quadratus\nlumborum", fontsize=8, color=ROLE["text"], ha="center",
            va="center", zorder=8)
    for side in (-1, 1):
        ax.text(side * 0.345, -0.64, "to the lesser\ntrochanter", fontsize=8, ha="center",
                va="top", color=_PSOAS_EDGE)
    # the numbers and their arrows under the moving fibres, crura and dome (zorder 5.5, 6)
    marker = {"fontsize": 9, "ha": "center", "va": "center", "zorder": 5.2,
              "bbox": {"boxstyle": "circle,pad=0.2", "facecolor": "white", "lw": 1.2}, **bold}
    y = -0.86
    line = 0.075           # one line of 8 pt text, in data units at this figure's scale
    for number, (text, colour, place, tip) in enumerate(_DIAPHRAGM_KEY, 1):
        box = {**marker["bbox"], "edgecolor": colour}
        ax.annotate(str(number), xy=tip, xytext=place, color=colour,
                    arrowprops={"arrowstyle": "->", "color": colour, "lw": 1.1,
                                "shrinkA": 7, "shrinkB": 1},
                    **{**marker, "bbox": box})
        ax.text(-0.93, y - line / 2, str(number), color=colour, **{**marker, "bbox": box})
        ax.text(-0.84, y, text, fontsize=8, color=colour, ha="left", va="top",
                linespacing=1.15)
        y -= line * (text.count("\n") + 1) + 0.05
    ax.text(-0.98, y - 0.02, "Front view; the body's right is on the left of the picture.",
            fontsize=8, color=ROLE["text"], ha="left", va="top")
    dome_label = ax.text(0.0, 1.36, "", ha="center", va="top", fontsize=9,
                         color=ROLE["diaphragm"], **bold)
    dome_label.set_in_layout(False)
    return dome_label


def diaphragm_figure(inhale: float = 0.0, narrow: bool = False) -> tuple[Figure, dict]:
    """Make the diaphragm-psoas diagram; returns ``(fig, artists)``.

    ``narrow``: for a phone (numbered labels explained in a key under the drawing).
    """
    fig, ax = new_figure(NARROW_WIDTH, 5.5) if narrow else new_figure(7.6, 5.9)
    with course_style():
        artists = draw_diaphragm_psoas(ax, inhale, narrow=narrow)
    return fig, artists


def describe_diaphragm_psoas(inhale: float) -> str:
    """Text description of the diaphragm-psoas diagram for a breath state."""
    value = _check_inhale(inhale)
    breath = ("breathing out, the dome high" if value < 0.05 else
              "fully breathed in, as in a startle gasp, the dome lowered and flattened"
              if value >= 0.95 else f"part way ({value:.0%}) through a breath in, the dome "
              "moving down")
    return ("Front view of the lower thoracic and lumbar spine (T12 to L5). The psoas major runs "
            "down each side of the vertebral bodies towards the lesser trochanter of the femur. "
            "Over its upper end arches the medial arcuate ligament, a thickening of the psoas "
            "fascia from the side of the L1 body to the L1 transverse process; diaphragm fibres "
            "arise from it, and from the lateral arcuate ligament over quadratus lumborum. The "
            "diaphragm's crura attach to the front of the upper lumbar bodies. The sympathetic "
            f"trunk runs along the psoas' inner border, behind the ligament. The diaphragm is "
            f"shown {breath}.")


def _moving(artists: dict) -> list:
    from melt_course.figures.drawing import flatten_artists

    return flatten_artists(artists)


def _breath_moving(artists: dict) -> list:
    """The diaphragm's moving artists in the order a full draw stacks them (fibres and crura
    under the dome), so the fast redraw draws them as a full draw does."""
    return [*(line for line, _side, _frac in artists["fibres"]), *artists["crura"],
            artists["dome"], artists["label"]]


#: Lesson 3's startle diagram; its state is the time after the sound, in ms.
STARTLE = Drawing(
    name="startle", make=startle_figure, update=update_startle, describe=describe_startle,
    alt=lambda t_ms: (f"Startle at {format_ms(t_ms)} after a loud sound: the body curling and "
                      "the timeline of muscle onsets"),
    moving=_moving,
    narrow=Drawing(name="startle-narrow", make=lambda t_ms: startle_figure(t_ms, narrow=True),
                   update=update_startle, describe=describe_startle,
                   alt=lambda t_ms: STARTLE.short_text(t_ms), moving=_moving))

#: Lesson 3's adrenaline-against-cortisol diagram; its state is the time after the stressor, s.
STRESS = Drawing(
    name="stress", make=stress_figure, update=update_stress, describe=describe_stress,
    alt=lambda t_s: (f"Adrenaline and cortisol curves (an illustrative shape) at {format_s(t_s)} "
                     "after a stressor"),
    moving=_moving,
    narrow=Drawing(name="stress-narrow", make=lambda t_s: stress_figure(t_s, narrow=True),
                   update=update_stress, describe=describe_stress,
                   alt=lambda t_s: STRESS.short_text(t_s), moving=_moving))

#: Lesson 3's breathing diagram; its state is the breath, 0 (out) to 1 (full breath in).
DIAPHRAGM = Drawing(
    name="diaphragm", make=diaphragm_figure, update=update_diaphragm_psoas,
    describe=describe_diaphragm_psoas,
    alt=lambda inhale: (f"Front view of the diaphragm above the psoas, breath in "
                        f"{float(inhale):.0%}"),
    moving=_breath_moving,
    narrow=Drawing(name="diaphragm-narrow",
                   make=lambda inhale: diaphragm_figure(inhale, narrow=True),
                   update=update_diaphragm_psoas, describe=describe_diaphragm_psoas,
                   alt=lambda inhale: DIAPHRAGM.short_text(inhale), moving=_breath_moving))
