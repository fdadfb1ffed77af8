"""Figures for the hip-flexor comparison, the sitting fibre-length question, gait and EMG.

Pure drawing: ``x_figure(...)`` makes a figure and returns it with a dict of artists,
``update_x(artists, ...)`` changes them for a new control value, ``describe_x(...)`` says in
words what the figure shows (the long description for screen readers). Every number comes from
:mod:`melt_course.models.reference` (OpenSim-computed published models),
:mod:`melt_course.models.fibres`, :mod:`melt_course.models.gait` or the EMG data
(:mod:`melt_course.content.emg`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from matplotlib.figure import Figure

from melt_course.content import emg
from melt_course.figures.drawing import Drawing, flatten_artists, in_a_column
from melt_course.figures.palette import OKABE_ITO, ROLE
from melt_course.figures.style import NARROW_WIDTH, course_style, new_figure
from melt_course.models import fibres, gait
from melt_course.models import reference as ref

__all__ = [
    "EMG", "FIBRES", "FLEXORS", "GAIT",
    "describe_emg", "describe_fibres", "describe_flexors", "describe_gait", "emg_figure",
    "fibres_figure", "flexors_figure", "gait_figure", "update_emg", "update_fibres",
    "update_flexors", "update_gait",
]

_HIP = np.arange(-30.0, 121.0, 1.0)
#: One colour and line style per hip flexor (Okabe-Ito; iliopsoas black, drawn thick).
FLEXOR_STYLE = {
    "iliopsoas": (OKABE_ITO["black"], "-", 2.6),
    "psoas": (ROLE["muscle"], "-", 2.0),
    "iliacus": (ROLE["muscle_alt"], (0, (5, 2)), 2.0),
    "rectus_femoris": (OKABE_ITO["blue"], "-", 2.0),
    "sartorius": (OKABE_ITO["bluish_green"], (0, (2, 2)), 1.6),
    "tfl": (OKABE_ITO["reddish_purple"], (0, (6, 2, 1, 2)), 1.6),
}
#: The comparison's cursor: a dark grey no muscle uses (the six take every Okabe-Ito colour
#: with 3:1 contrast on white; the zero line is a lighter grey), 8.5:1 on white, and dashed
#: (:data:`FLEXOR_CURSOR_STYLE`) so it is not read as a curve.
FLEXOR_CURSOR = "#4d4d4d"
#: The cursor's line style and width, in the plot and in the key alike.
FLEXOR_CURSOR_STYLE = {"ls": (0, (4, 2)), "lw": 1.6}
#: The fibre-length figure's cursor: an Okabe-Ito colour none of its five curves uses, with
#: at least 3:1 contrast on white and on the grey band (a thin line stays visible).
FIBRE_CURSOR = OKABE_ITO["vermillion"]
#: The gait figure's cursors and hip dot: an Okabe-Ito colour none of its curves uses, with
#: at least 3:1 contrast on white and on the swing shading.
GAIT_CURSOR = OKABE_ITO["vermillion"]
_SHORT = {"iliopsoas": "iliopsoas", "psoas": "psoas", "iliacus": "iliacus",
          "rectus_femoris": "rectus fem.", "sartorius": "sartorius", "tfl": "TFL"}


def _figure(width: float, height: float, nrows: int = 1, ncols: int = 1, **kw):
    """A course-style figure with a grid of axes (``kw`` as for ``Figure.subplots``)."""
    fig, ax = new_figure(width, height)
    if nrows == 1 and ncols == 1 and not kw:
        return fig, ax
    ax.remove()
    return fig, fig.subplots(nrows, ncols, **kw)


def _check_model_knee(model: str, knee: float) -> None:
    ref.reference_curve(model, "psoas", "length", knee)      # named ValueError if bad


# --------------------------------------------------------------------------------------------
# Which hip flexor is strongest?
# --------------------------------------------------------------------------------------------

def flexors_figure(model: str = "gait2392", knee_flexion_deg: float = 0,
                   hip_flexion_deg: float = 0, narrow: bool = False) -> tuple[Figure, dict]:
    """Available hip-flexion moment of each hip flexor over the hip range, and at one angle.

    Left: moment (N m) against hip flexion for the six rows of
    :data:`melt_course.models.reference.FLEXORS`, with a cursor (dashed dark grey: no muscle's
    colour). Right: bars at the cursor, largest first. The model and knee are said in the
    figure's title, the key sits under the curves: a slider move redraws only the cursor, the
    curves it crosses, the bars and their numbers (and a muscle's name when the order
    changes), never the key. ``narrow``: the curves on top, the bars below (for a phone).
    """
    from matplotlib.lines import Line2D

    _check_model_knee(model, knee_flexion_deg)
    with course_style():
        if narrow:
            fig, (ax, bars) = _figure(NARROW_WIDTH, 9.6, 2, 1, height_ratios=[1.5, 1.0])
        else:
            fig, (ax, bars) = _figure(9.0, 4.8, 1, 2, width_ratios=[1.6, 1.0])
        lines = {}
        for m in ref.FLEXORS:
            colour, ls, lw = FLEXOR_STYLE[m]
            (lines[m],) = ax.plot([], [], color=colour, ls=ls, lw=lw, label=_SHORT[m])
        ax.axhline(0, color="#999999", lw=0.8)
        cursor = ax.axvline(hip_flexion_deg, color=FLEXOR_CURSOR, **FLEXOR_CURSOR_STYLE,
                            zorder=2.1)
        ax.set_xlim(-30, 120)
        ax.set_ylim(-45, 215)
        ax.set_xlabel("Hip flexion (°)")
        ax.set_ylabel("Hip-flexion moment at full effort (N m)")
        handles, labels = ax.get_legend_handles_labels()
        # The key under the curves (wide) or under the bars (narrow: there it would sit just
        # above the bars' title, within reach of its repaint).
        (bars if narrow else ax).legend(
            [*handles, Line2D([], [], color=FLEXOR_CURSOR, **FLEXOR_CURSOR_STYLE)],
            [*labels, "cursor (the bars' angle)"], loc="upper center", fontsize=8,
            frameon=False, ncol=2 if narrow else 4,
            bbox_to_anchor=(0.5, -0.25 if narrow else -0.15))
        title = fig.suptitle("", fontsize=10)      # fits a phone; unwrapped: not re-set
        # A still title, under every moving artist (nothing is drawn over it: no change to
        # the picture), so it stays in the background and keeps the changing title above
        # out of the cursor's reach.
        ax.set_title("Over the hip range", fontsize=10, zorder=1)
        y = np.arange(len(ref.FLEXORS))
        # Bars above the axis (nothing of it is under them): it stays in the background.
        rects = bars.barh(y, np.zeros(len(y)), color="#cccccc", zorder=1.6)
        labels = [bars.text(0, yy, "", va="center", fontsize=8) for yy in y]
        names = [bars.text(-0.03, yy, "", va="center", ha="right", fontsize=9,
                           transform=bars.get_yaxis_transform()) for yy in y]
        bars.set_yticks([])
        bars.set_ylim(len(y) - 0.5, -0.5)
        bars.set_xlim(-45, 215)
        bars.axvline(0, color="#999999", lw=0.8)
        bars.set_xlabel("N m")
        bar_title = bars.set_title("", fontsize=10)
    artists = {"lines": lines, "cursor": cursor, "title": title, "rects": rects,
               "labels": labels, "names": names, "bar_title": bar_title, "state": {}}
    update_flexors(artists, model, knee_flexion_deg, hip_flexion_deg)
    return fig, artists


def update_flexors(artists: dict, model: str, knee_flexion_deg: float,
                   hip_flexion_deg: float) -> None:
    """Redraw curves for a new model or knee angle; move the cursor and bars.

    Only what differs is set (matplotlib marks what is set as changed, and the fast redraw
    repaints what changed): a bar's name when the order changes, its colour with it.
    """
    _check_model_knee(model, knee_flexion_deg)
    key = (model, float(knee_flexion_deg))
    if artists["state"].get("key") != key:
        for m, line in artists["lines"].items():
            line.set_data(_HIP, ref.available_moment(model, m, _HIP, knee_flexion_deg))
        artists["title"].set_text(f"{ref.MODEL_NAMES[model]}, knee "
                                  f"{'straight' if not knee_flexion_deg else 'bent 90°'} (model)")
        artists["state"]["key"] = key
    artists["cursor"].set_xdata([hip_flexion_deg, hip_flexion_deg])
    rows = ref.flexor_moments(model, hip_flexion_deg, knee_flexion_deg)
    for rect, label, name, row in zip(artists["rects"], artists["labels"], artists["names"],
                                      rows, strict=True):
        if name.get_text() != _SHORT[row.muscle]:
            name.set_text(_SHORT[row.muscle])
            rect.set_color(FLEXOR_STYLE[row.muscle][0])
        rect.set_width(row.moment)
        label.set_text(f" {row.moment:.0f}")
        label.set_x(max(row.moment, 0.0))
    artists["bar_title"].set_text(f"At {hip_flexion_deg:g}° hip flexion")


def describe_flexors(model: str, knee_flexion_deg: float, hip_flexion_deg: float) -> str:
    """What the comparison shows, in words."""
    rows = ref.flexor_moments(model, hip_flexion_deg, knee_flexion_deg)
    single = [r for r in rows if r.muscle != "iliopsoas"]
    order = ", ".join(f"{ref.MUSCLE_NAMES[r.muscle]} {r.moment:.0f} N m" for r in rows)
    knee = "straight" if not knee_flexion_deg else "bent to 90 degrees"
    return (f"Model output from {ref.MODEL_NAMES[model]}, computed with OpenSim, knee {knee}. "
            f"Left: the hip-flexion moment each hip flexor can make at full effort, from 30 "
            f"degrees of extension to 120 degrees of flexion. Right, at {hip_flexion_deg:g} "
            f"degrees of hip flexion, largest first: {order}. The strongest single muscle "
            f"here is {ref.MUSCLE_NAMES[single[0].muscle]}.")


# --------------------------------------------------------------------------------------------
# How short are psoas fibres in sitting?
# --------------------------------------------------------------------------------------------

_SCENARIO_STYLE = {
    "course": (ROLE["model"], "-", 2.4),
    "gait2392": (OKABE_ITO["black"], (0, (4, 2)), 1.6),
    "course_rajagopal_fibres": (OKABE_ITO["orange"], "-", 2.0),
    "course_long_fibres": (OKABE_ITO["sky_blue"], "-", 2.0),
    "rajagopal2016": (OKABE_ITO["blue"], (0, (1, 1.5)), 2.2),
}


#: The grey band below half the optimal length.
_BAND = "#eeeeee"


def fibres_figure(hip_flexion_deg: float = 90, narrow: bool = False) -> tuple[Figure, dict]:
    """Psoas fibre length (multiples of optimal) over the hip range in the five scenarios.

    The cursor at the slider's angle is vermillion (:data:`FIBRE_CURSOR`: no curve's colour).
    The key (with the cursor, the grey band and the optimal line) sits under the plot, where
    the moving cursor never passes, so a slider move redraws only the cursor, the dots and the
    title. ``narrow``: for a phone (taller, the key in one column).
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    with course_style():
        fig, ax = new_figure(NARROW_WIDTH, 7.4) if narrow else new_figure(8.0, 5.0)
        ax.axhspan(0.0, fibres.TRUST_LIMIT, color=_BAND, zorder=0)
        ax.axhline(1.0, color="#999999", lw=0.8)
        dots = {}
        for key, s in fibres.SCENARIOS.items():
            colour, ls, lw = _SCENARIO_STYLE[key]
            ax.plot(_HIP, fibres.normalized_fibre_length(key, _HIP), color=colour, ls=ls,
                    lw=lw, label=s.name)
            (dots[key],) = ax.plot([], [], "o", color=colour, ms=6, zorder=5)
        # Just above the curves (drawn after them, as before): they stay in the background.
        cursor = ax.axvline(hip_flexion_deg, color=FIBRE_CURSOR, lw=1.4, zorder=2.1)
        ax.set_xlim(-30, 120)
        ax.set_ylim(0.0, 1.4)
        ax.set_xlabel("Hip flexion (°)")
        ax.set_ylabel("Psoas fibre length (× optimal)")
        handles, labels = ax.get_legend_handles_labels()
        handles += [Line2D([], [], color=FIBRE_CURSOR, lw=1.4),
                    Line2D([], [], color="#999999", lw=0.8),
                    Patch(facecolor=_BAND, edgecolor="#bbbbbb", lw=0.6)]
        labels += ["cursor (the slider's hip angle)", "optimal length (1 × optimal)",
                   "grey band: below half the optimal length, where the\nforce-length "
                   "curves are extrapolating (the model is not\ntrustworthy here)" if narrow
                   else "grey band: below half the optimal length, where the force-length\n"
                   "curves are extrapolating (the model is not trustworthy here)"]
        ax.legend(handles, labels, loc="upper center", fontsize=8, frameon=False,
                  ncol=1 if narrow else 2, bbox_to_anchor=(0.5, -0.13 if narrow else -0.14))
        title = ax.set_title("", fontsize=10, wrap=narrow)
    artists = {"dots": dots, "cursor": cursor, "title": title}
    update_fibres(artists, hip_flexion_deg)
    return fig, artists


def update_fibres(artists: dict, hip_flexion_deg: float) -> None:
    """Move the cursor and the dots to a new hip angle."""
    values = {s.key: v for s, v in fibres.fibre_length_scenarios(hip_flexion_deg)}
    for key, dot in artists["dots"].items():
        dot.set_data([hip_flexion_deg], [values[key]])
    artists["cursor"].set_xdata([hip_flexion_deg, hip_flexion_deg])
    lo, hi = min(values.values()), max(values.values())
    artists["title"].set_text(f"At {hip_flexion_deg:g}°: {lo:.2f} to {hi:.2f} × optimal, "
                              "depending on the assumptions (model)")


def describe_fibres(hip_flexion_deg: float) -> str:
    """What the fibre-length figure shows, in words."""
    rows = fibres.fibre_length_scenarios(hip_flexion_deg)
    listing = "; ".join(f"{s.name}: {v:.2f}" for s, v in rows)
    below = [s.name for s, v in rows if v < fibres.TRUST_LIMIT]
    trust = (f" {len(below)} of the {len(rows)} fall below half the optimal length, where the "
             "course treats the force-length curves as extrapolating." if below else
             " None falls below half the optimal length.")
    return (f"Model output. Psoas fibre length, as a multiple of its optimal length, from 30 "
            f"degrees of hip extension to 120 degrees of flexion, in five sets of assumptions. "
            f"At {hip_flexion_deg:g} degrees, shortest first: {listing}.{trust}")


# --------------------------------------------------------------------------------------------
# Gait
# --------------------------------------------------------------------------------------------

_GAIT_STYLE = {"course": (ROLE["model"], "-", 2.4),
               "gait2392": (OKABE_ITO["black"], (0, (4, 2)), 1.6),
               "rajagopal2016": (OKABE_ITO["blue"], (0, (1, 1.5)), 2.2)}
#: The gait cursors' z-order: above the curves (2), so those stay in the background, and
#: above the phase labels (``_UNDER_CURSOR``), which stay there too.
_CURSOR = 2.2
_UNDER_CURSOR = 2.1
_GAIT_NAMES = {"course": "course model", "gait2392": "gait2392 (OpenSim)",
               "rajagopal2016": "Rajagopal 2016 (OpenSim)"}


def gait_figure(percent: float = 0, narrow: bool = False) -> tuple[Figure, dict]:
    """One measured gait cycle: hip angle, foot force and psoas length change, with a cursor.

    ``narrow``: the same two panels for a phone (narrower, taller, the title wrapped).
    The cursors and the dot on the hip curve are vermillion (:data:`GAIT_CURSOR`: no curve's
    colour) and named in the key.

    The cursors sit just above the curves and the phase labels just below the cursors (a
    cursor passing a label is drawn over it), and the key is under the plot: a slider move
    redraws only the cursors, the hip dot, the title and the foot-force curve drawn over
    them, never a label or the key.
    """
    from matplotlib.lines import Line2D

    c = gait.gait_cycle()
    with course_style():
        fig, (top, bottom) = _figure(NARROW_WIDTH if narrow else 8.0, 7.2 if narrow else 5.6,
                                     2, 1, sharex=True)
        for ax in (top, bottom):
            ax.axvspan(c.toe_off_percent, 100, color="#eef5fb", zorder=0)
        top.plot(c.percent, c.hip_flexion_deg, color=OKABE_ITO["black"], lw=2.2)
        top.axhline(0, color="#999999", lw=0.8)
        top.set_ylabel("Hip flexion (°)")
        top.set_ylim(-30, 35)
        force = top.twinx()
        force.plot(c.percent, c.grf_right_n, color=OKABE_ITO["orange"], lw=1.2, ls=(0, (3, 2)))
        force.set_ylabel("Force under the foot (N)", color=OKABE_ITO["orange"], fontsize=8)
        force.set_ylim(0, 1600)
        if narrow:   # two lines: the swing label fits beside it
            top.text(2, 27.5, "stance\n(foot on the ground)", fontsize=8, va="bottom",
                     zorder=_UNDER_CURSOR)
        else:
            top.text(2, 29, "stance (foot on the ground)", fontsize=8, zorder=_UNDER_CURSOR)
        top.text(c.toe_off_percent + 2, 29, "swing", fontsize=8, zorder=_UNDER_CURSOR)
        for x, name in ((0, "heel strike"), (c.toe_off_percent, "toe-off"),
                        (100, "heel strike")):
            top.axvline(x, color="#777777", lw=0.8, ls=":")
            low = -22 if narrow and 0 < x < 100 else -28    # narrow: toe-off a line higher
            top.text(x + (1.0 if x == 0 else 0.0), low, name, fontsize=8, zorder=_UNDER_CURSOR,
                     ha="center" if 0 < x < 100 else ("left" if x == 0 else "right"))
        for key, length in c.psoas_length.items():
            colour, ls, lw = _GAIT_STYLE[key]
            bottom.plot(c.percent, (length - length[0]) * 100, color=colour, ls=ls, lw=lw,
                        label=_GAIT_NAMES[key])
        bottom.axhline(0, color="#999999", lw=0.8)
        bottom.set_xlim(0, 100)
        bottom.set_ylim(-1.0, 3.8)
        bottom.set_xlabel("Gait cycle (%), right leg")
        bottom.set_ylabel("Psoas length change\nfrom heel strike (cm)")
        handles, labels = bottom.get_legend_handles_labels()
        bottom.legend([*handles, Line2D([], [], color=GAIT_CURSOR, lw=1.4)],
                      [*labels, "cursor (the slider's point in the cycle)"], loc="upper center",
                      fontsize=8, frameon=False, ncol=1 if narrow else 2,
                      bbox_to_anchor=(0.5, -0.2 if narrow else -0.25))
        cursors = [ax.axvline(percent, color=GAIT_CURSOR, lw=1.4, zorder=_CURSOR)
                   for ax in (top, bottom)]
        (hip_dot,) = top.plot([], [], "o", color=GAIT_CURSOR, ms=7, zorder=5)
        title = top.set_title("", fontsize=10, wrap=narrow)
    artists = {"cursors": cursors, "hip_dot": hip_dot, "title": title}
    update_gait(artists, percent)
    return fig, artists


def update_gait(artists: dict, percent: float) -> None:
    """Move the cursor to a new point of the gait cycle."""
    at = gait.gait_cycle().at(percent)
    for cursor in artists["cursors"]:
        cursor.set_xdata([percent, percent])
    artists["hip_dot"].set_data([percent], [at["hip_flexion_deg"]])
    artists["title"].set_text(f"{percent:g}% of the cycle: {at['phase']}, hip "
                              f"{at['hip_flexion_deg']:.0f}°")


def describe_gait(percent: float) -> str:
    """What the gait figure shows, in words."""
    c = gait.gait_cycle()
    at = c.at(percent)
    i = int(np.argmin(c.hip_flexion_deg))
    change = {k: (v.max() - v.min()) * 100 for k, v in c.psoas_length.items()}
    return (f"One measured walking cycle of the right leg ({c.duration_s:.2f} s): heel strike at "
            f"0%, toe-off at {c.toe_off_percent:.0f}%, next heel strike at 100%. Top: hip angle, "
            f"{c.hip_flexion_deg[0]:.0f} degrees of flexion at heel strike, most extended "
            f"({c.hip_flexion_deg[i]:.0f} degrees) at {c.percent[i]:.0f}% late in stance, "
            f"flexing again through swing; the dashed line is the force under the foot. Bottom: "
            f"how much longer psoas is than at heel strike, in three models (model output); over "
            f"the cycle it lengthens and shortens by {change['course']:.1f} cm in the course's "
            f"model, {change['gait2392']:.1f} cm in gait2392 and {change['rajagopal2016']:.1f} cm "
            f"in Rajagopal 2016. At {percent:g}% the leg is in {at['phase']} and the hip at "
            f"{at['hip_flexion_deg']:.0f} degrees.")


# --------------------------------------------------------------------------------------------
# What EMG shows psoas doing (Juker 1998)
# --------------------------------------------------------------------------------------------

def emg_figure(task: str = "sit-ups", narrow: bool = False) -> tuple[Figure, dict]:
    """Psoas activity (% of maximum) in Juker 1998's tasks, one task highlighted.

    ``narrow``: for a phone, each task's name above its bar instead of beside it.
    """
    data = emg.load_emg()
    rows = data.tasks.rows
    emg.task(task)                                           # named ValueError if unknown
    with course_style():
        fig, ax = new_figure(NARROW_WIDTH, 5.2) if narrow else new_figure(7.6, 3.4)
        bar = {"height": 0.45} if narrow else {}
        patches = {}
        for i, row in enumerate(rows):
            if row.kind == "highest":
                patches[row.id] = ax.barh(i, 100, color="#dddddd", hatch="//",
                                          edgecolor="#888888", **bar)[0]
                ax.text(50, i, "highest of all tasks (no % given)", va="center", ha="center",
                        fontsize=8)
            elif row.kind == "range":
                patches[row.id] = ax.barh(i, row.high - row.low, left=row.low,
                                          color="#dddddd", **bar)[0]
                ax.text(row.high + 1, i, f"{row.low:g}–{row.high:g}%", va="center", fontsize=8)
            elif row.kind == "about":
                patches[row.id] = ax.barh(i, row.high, color="#dddddd", **bar)[0]
                ax.text(row.high + 1, i, f"about {row.high:g}%", va="center", fontsize=8)
            else:
                word = "up to" if row.kind == "up_to" else "below"
                patches[row.id] = ax.barh(i, row.high, color="#dddddd", **bar)[0]
                ax.text(row.high + 1, i, f"{word} {row.high:g}%", va="center", fontsize=8)
        ax.set_yticks(range(len(rows)))
        if narrow:
            ax.set_yticklabels([""] * len(rows))
            ax.tick_params(axis="y", length=0)
            for i, row in enumerate(rows):
                ax.text(0, i - 0.27, row.task, fontsize=9, va="bottom")
            ax.set_ylim(len(rows) - 0.5, -0.85)
        else:
            ax.set_yticklabels([r.task for r in rows], fontsize=8.5)
            ax.invert_yaxis()
        ax.set_xlim(0, 105)
        ax.set_xlabel("Psoas activity (% of its maximum)")
        ax.set_title(f"Fine-wire EMG of psoas, n={data.tasks.n} (Juker et al. 1998) (research)",
                     fontsize=10, wrap=narrow)
    artists = {"patches": patches}
    update_emg(artists, task)
    return fig, artists


def update_emg(artists: dict, task: str) -> None:
    """Highlight one task's bar."""
    emg.task(task)
    for tid, patch in artists["patches"].items():
        patch.set_facecolor(ROLE["muscle"] if tid == task else "#dddddd")


def describe_emg(task: str) -> str:
    """What the EMG chart shows, in words."""
    data = emg.load_emg()
    row = emg.task(task)
    listing = "; ".join(f"{r.task}: {emg.amount(r)}" for r in data.tasks.rows)
    return (f"Bar chart of psoas activity as a percentage of its maximum, measured with fine "
            f"wires in {data.tasks.n} people ({data.tasks.sample}) by Juker and colleagues in "
            f"1998: {listing}. Highlighted: {row.task}. {row.reading}")


# --------------------------------------------------------------------------------------------
# The lesson's diagrams (see melt_course.widgets.diagram)
# --------------------------------------------------------------------------------------------

def _knee_words(knee_flexion_deg: float) -> str:
    return "straight" if not knee_flexion_deg else "bent 90 degrees"


def _flexors_moving(artists: dict) -> list:
    """What a hip-angle move of :func:`flexors_figure` changes (the bar panel's names
    reorder). The curves and the figure title change only with the model or the knee: they
    stay in the still background, drawn again when they change."""
    return [artists["cursor"], *artists["rects"], *artists["labels"], *artists["names"],
            artists["bar_title"]]


#: The hip-flexor comparison; its state is ``(model, knee flexion, hip flexion)`` in degrees.
#: The bar panel's names change order, never their set, so the first layout holds (tested).
FLEXORS = Drawing(
    name="hip-flexors", make=lambda state: flexors_figure(*state),
    update=lambda artists, state: update_flexors(artists, *state),
    describe=lambda state: describe_flexors(*state),
    alt=lambda state: (f"Hip-flexion moment of six hip flexors in {ref.MODEL_NAMES[state[0]]}, "
                       f"knee {_knee_words(state[1])}, cursor at {state[2]:g} degrees"),
    moving=_flexors_moving, keep_stacking=True,
    narrow=Drawing(
        name="hip-flexors-narrow", make=lambda state: flexors_figure(*state, narrow=True),
        update=lambda artists, state: update_flexors(artists, *state),
        describe=lambda state: in_a_column(describe_flexors(*state),
                                           {"Left: the": "Top: the", "Right, at": "Below, at"}),
        alt=lambda state: FLEXORS.short_text(state), moving=_flexors_moving,
        keep_stacking=True))

#: Psoas fibre length in five sets of assumptions; its state is the hip flexion in degrees.
FIBRES = Drawing(
    name="fibre-length", make=fibres_figure, update=update_fibres, describe=describe_fibres,
    alt=lambda hip: (f"Psoas fibre length under five sets of assumptions, cursor at {hip:g} "
                     "degrees of hip flexion"),
    moving=flatten_artists, keep_stacking=True,
    narrow=Drawing(name="fibre-length-narrow", make=lambda hip: fibres_figure(hip, narrow=True),
                   update=update_fibres, describe=describe_fibres,
                   alt=lambda hip: FIBRES.short_text(hip), moving=flatten_artists,
                   keep_stacking=True))

#: One measured gait cycle; its state is the percent of the cycle.
GAIT = Drawing(
    name="gait-cycle", make=gait_figure, update=update_gait, describe=describe_gait,
    alt=lambda percent: (f"Hip angle, foot force and psoas length through one walking step, "
                         f"cursor at {percent:g}% of the cycle"),
    moving=flatten_artists, keep_stacking=True,
    narrow=Drawing(name="gait-cycle-narrow",
                   make=lambda percent: gait_figure(percent, narrow=True), update=update_gait,
                   describe=describe_gait, alt=lambda percent: GAIT.short_text(percent),
                   moving=flatten_artists, keep_stacking=True))

#: Juker 1998's psoas EMG by task; its state is the highlighted task's id.
EMG = Drawing(
    name="psoas-emg", make=emg_figure, update=update_emg, describe=describe_emg,
    alt=lambda task: (f"Bar chart of psoas activity by task (Juker 1998), "
                      f"{emg.task(task).task} highlighted"),
    narrow=Drawing(name="psoas-emg-narrow", make=lambda task: emg_figure(task, narrow=True),
                   update=update_emg, describe=describe_emg,
                   alt=lambda task: EMG.short_text(task)))
