"""Figures for lesson 2: the side-view psoas model, its curves, and the four words.

Pure drawing on the model in :mod:`melt_course.models.biomech`: ``draw_x(ax, ...)`` returns a
dict of
artists, ``update_x(artists, ...)`` moves them, ``describe_x(...)`` says in words what the
figure shows. The pelvis, sacrum, femur outline and the stick figures are schematic drawings;
the muscle paths, the lumbar column, the hip centre and the brim circle are the model's own
coordinates.
"""

from __future__ import annotations

import functools
import math
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

from melt_course.figures.drawing import Drawing, flatten_artists, in_a_column
from melt_course.figures.palette import OKABE_ITO, ROLE
from melt_course.figures.style import NARROW_WIDTH, course_style, new_figure
from melt_course.models import biomech as bm

__all__ = [
    "EXPLORER",
    "FOUR_WORDS",
    "ExplorerNumbers",
    "FourWordsState",
    "describe_explorer",
    "describe_four_words",
    "draw_fatigue",
    "draw_force_length",
    "draw_model",
    "draw_moment_arm",
    "draw_pose",
    "draw_word_bars",
    "explorer_figure",
    "explorer_numbers",
    "four_words_figure",
    "update_explorer",
    "update_fatigue",
    "update_force_length",
    "update_four_words",
    "update_model",
    "update_moment_arm",
    "update_pose",
    "update_word_bars",
]

_MUSCLE_COLOUR = {"psoas": ROLE["muscle"], "iliacus": ROLE["muscle_alt"]}
_BONE_EDGE = "#777777"
_FEMUR_DRAWN_LENGTH = 0.24   # metres of femur shown (schematic)
_FEMUR_HEAD_RADIUS = 0.024   # schematic
_BODY_BACK, _BODY_FRONT, _DISC = -0.013, 0.022, 0.008   # vertebral body outline (schematic)

# Schematic outlines in the pelvis frame (metres): drawing only, not model data.
_ILIUM = np.array([   # lateral view of the right hip bone, ASIS at about (0, 0)
    (0.000, 0.000), (-0.020, 0.045), (-0.050, 0.072), (-0.090, 0.080), (-0.130, 0.065),
    (-0.158, 0.025), (-0.162, 0.000), (-0.135, -0.030), (-0.122, -0.060), (-0.126, -0.082),
    (-0.114, -0.108), (-0.110, -0.140), (-0.090, -0.160), (-0.050, -0.150), (-0.005, -0.125),
    (0.005, -0.100), (-0.020, -0.075), (-0.030, -0.058), (-0.012, -0.035), (-0.003, -0.028),
    (-0.004, -0.012),
])
_OBTURATOR = np.array([(-0.088, -0.104), (-0.062, -0.094), (-0.036, -0.104), (-0.034, -0.124),
                       (-0.060, -0.140), (-0.086, -0.130)])
_SACRUM = np.array([(-0.066, 0.074), (-0.105, 0.088), (-0.150, 0.045), (-0.162, -0.020),
                    (-0.150, -0.070), (-0.135, -0.100), (-0.124, -0.086), (-0.114, -0.030),
                    (-0.094, 0.022)])


def _femur_outline(hip_flexion_deg: float) -> np.ndarray:
    """Schematic proximal femur (neck and shaft) as a polyline, rotated with the thigh."""
    local = np.array([(0.0, 0.0), (-0.012, -0.040), (-0.020, -0.080), (-0.015, -0.140),
                      (-0.008, -_FEMUR_DRAWN_LENGTH)])
    a = math.radians(hip_flexion_deg)
    c, s = math.cos(a), math.sin(a)
    hip = np.array(bm.GAIT2392_HIP_CENTRE[:2])
    return hip + local @ np.array([[c, s], [-s, c]])


def _vertebra_polygons(lumbar_lordosis_deg: float) -> list[np.ndarray]:
    col = bm.lumbar_column(lumbar_lordosis_deg)
    polys = []
    for k, tilt in enumerate(np.radians(col["tilts_deg"])):
        up = np.array([-math.sin(tilt), math.cos(tilt)])
        fwd = np.array([math.cos(tilt), math.sin(tilt)])
        lo = col["joints"][k] + _DISC / 2 * up
        hi = col["joints"][k + 1] - _DISC / 2 * up
        polys.append(np.array([lo + _BODY_BACK * fwd, lo + _BODY_FRONT * fwd,
                               hi + _BODY_FRONT * fwd, hi + _BODY_BACK * fwd]))
    return polys


def _freeze_layout(fig: Figure) -> None:
    """Lay the figure out once, then keep those positions (faster re-renders per move)."""
    with course_style():
        fig.draw_without_rendering()
        fig.set_layout_engine("none")


def _foot_of_perpendicular(point, segment):
    a, b = np.asarray(segment[0]), np.asarray(segment[1])
    d = b - a
    t = float(np.dot(np.asarray(point) - a, d) / np.dot(d, d))
    return a + t * d


# --------------------------------------------------------------------------------------------
# The model's numbers for one posture, shared by the panels, the read-out and the description
# --------------------------------------------------------------------------------------------

#: How many postures :func:`explorer_numbers` keeps (a slider's whole range is 31 hip angles).
EXPLORER_MEMO_SIZE = 128
#: The muscle paths' arcs over the brim are drawn through points at multiples of this angle,
#: so the path above the brim stays the same when only the hip moves (a fast redraw leaves it
#: and the labels beside it alone).
_ARC_STEP_DEG = 3.0


class ExplorerNumbers(NamedTuple):
    """What the model says about one posture of the explorer (see :func:`explorer_numbers`)."""

    state: bm.MuscleState      #: the shown muscle in this posture
    reference_arm: float       #: Rajagopal 2016's moment arm at this hip angle, m
    other_length: float        #: the other muscle's musculotendon length, m


@functools.lru_cache(maxsize=EXPLORER_MEMO_SIZE)
def _numbers(hip_flexion_deg: float, lumbar_lordosis_deg: float, muscle: str) -> ExplorerNumbers:
    other = "iliacus" if muscle == "psoas" else "psoas"
    return ExplorerNumbers(
        bm.muscle_state(muscle, hip_flexion_deg, lumbar_lordosis_deg),
        float(bm.reference_moment_arm("rajagopal2016", muscle, hip_flexion_deg)),
        float(bm.musculotendon_length(other, hip_flexion_deg, lumbar_lordosis_deg)))


def explorer_numbers(hip_flexion_deg: float, lumbar_lordosis_deg: float = bm.NEUTRAL_LORDOSIS_DEG,
                     muscle: str = "psoas") -> ExplorerNumbers:
    """The model's numbers for one posture, computed once and shared by every panel, the
    read-out and the description of a slider move.

    The last :data:`EXPLORER_MEMO_SIZE` postures are kept, each under its whole state
    (hip flexion, low-back curve, muscle).

    Parameters
    ----------
    hip_flexion_deg, lumbar_lordosis_deg : float
        Posture, within the model's ranges.
    muscle : {"psoas", "iliacus"}

    Returns
    -------
    ExplorerNumbers
    """
    return _numbers(float(hip_flexion_deg), float(lumbar_lordosis_deg), muscle)


# --------------------------------------------------------------------------------------------
# The side-view model
# --------------------------------------------------------------------------------------------


def draw_model(ax: Axes, hip_flexion_deg: float = 0.0,
               lumbar_lordosis_deg: float = bm.NEUTRAL_LORDOSIS_DEG,
               muscle: str = "psoas") -> dict:
    """Draw the side view: lumbar spine, pelvis, brim circle, femur, psoas and iliacus.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw (equal aspect is set).
    hip_flexion_deg, lumbar_lordosis_deg : float
        Posture, degrees, within the model's ranges.
    muscle : {"psoas", "iliacus"}
        The muscle whose moment arm is drawn and which is drawn bold.

    Returns
    -------
    dict
        Artists, for :func:`update_model`.
    """
    from matplotlib.patches import Circle, Polygon

    hip = np.array(bm.GAIT2392_HIP_CENTRE[:2])
    ax.add_patch(Polygon(_SACRUM, closed=True, facecolor=ROLE["bone"], edgecolor=_BONE_EDGE,
                         alpha=0.8, lw=1, zorder=1))
    ax.add_patch(Polygon(_ILIUM, closed=True, facecolor=ROLE["bone"], edgecolor=_BONE_EDGE,
                         alpha=0.55, lw=1, zorder=1))
    ax.add_patch(Polygon(_OBTURATOR, closed=True, facecolor="white", edgecolor=_BONE_EDGE,
                         lw=0.8, zorder=1))
    ax.add_patch(Circle(bm.BRIM_CENTRE, bm.BRIM_RADIUS, fill=False, ls=(0, (4, 3)),
                        edgecolor=OKABE_ITO["bluish_green"], lw=1.4, zorder=2))
    # Labels stand where the femur and the muscle paths never pass, so a hip move does not
    # draw them again (the hip centre and the insertion are named in the key at the top).
    ax.text(-0.199, 0.004, "pelvic brim\n(wrap circle)",
            fontsize=9, color=OKABE_ITO["bluish_green"], zorder=6)
    vertebrae = [ax.add_patch(Polygon(p, closed=True, facecolor=ROLE["bone"],
                                      edgecolor=_BONE_EDGE, lw=1, zorder=2))
                 for p in _vertebra_polygons(lumbar_lordosis_deg)]
    level_labels = [ax.text(0, 0, name, fontsize=8, ha="right", va="center",
                            color=ROLE["text"], zorder=6) for name in bm.LUMBAR_LEVELS]
    (femur,) = ax.plot([], [], color=_BONE_EDGE, lw=9, solid_capstyle="round", zorder=3,
                       alpha=0.8)
    ax.add_patch(Circle(hip, _FEMUR_HEAD_RADIUS, facecolor=ROLE["bone"], edgecolor=_BONE_EDGE,
                        zorder=3))
    ax.plot(*hip, "+", color=ROLE["text"], ms=9, mew=2, zorder=8)
    psoas_lines = [ax.plot([], [], color=_MUSCLE_COLOUR["psoas"], lw=2.2, zorder=5,
                           solid_capstyle="round")[0] for _ in bm.PSOAS_SLIPS]
    (iliacus_line,) = ax.plot([], [], color=_MUSCLE_COLOUR["iliacus"], lw=3, zorder=4,
                              solid_capstyle="round")
    (origins,) = ax.plot([], [], "o", color=_MUSCLE_COLOUR["psoas"], ms=4, zorder=6)
    (insertion,) = ax.plot([], [], "o", color=ROLE["text"], ms=5, zorder=7)
    (lever,) = ax.plot([], [], color=ROLE["highlight"], lw=3, ls=(0, (1.5, 1)), zorder=7)
    lever_label = ax.text(0.03, -0.25, "moment arm\n(dotted)", fontsize=10,
                          color=ROLE["highlight"], zorder=8, fontweight="bold")
    ax.text(0.0, 0.13, "psoas", color=_MUSCLE_COLOUR["psoas"], fontsize=11,
            fontweight="bold", zorder=8)
    ax.text(-0.045, 0.045, "iliacus", color=_MUSCLE_COLOUR["iliacus"], fontsize=11,
            fontweight="bold", zorder=8)
    title = ax.set_title("", fontsize=12)
    ax.set_xlim(-0.2, 0.2)
    ax.set_ylim(-0.29, 0.31)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.text(1.0, 0.955, "facing →\n+ hip centre\n● lesser trochanter\n"
            "(schematic bones; model paths)",
            transform=ax.transAxes, fontsize=8, color="#555555", ha="right", va="top")
    artists = {"vertebrae": vertebrae, "level_labels": level_labels, "femur": femur,
               "psoas": psoas_lines, "iliacus": iliacus_line, "origins": origins,
               "insertion": insertion, "lever": lever,
               "lever_label": lever_label, "title": title}
    update_model(artists, hip_flexion_deg, lumbar_lordosis_deg, muscle)
    return artists


def update_model(artists: dict, hip_flexion_deg: float,
                 lumbar_lordosis_deg: float = bm.NEUTRAL_LORDOSIS_DEG,
                 muscle: str = "psoas") -> None:
    """Move the side view drawn by :func:`draw_model` to a new posture (no new artists).

    The lumbar column and its labels are set only when the low-back curve changes, so a
    fast redraw (:class:`melt_course.figures.live.LiveFigure`) leaves them alone at a hip move.
    """
    if artists.get("lordosis") != lumbar_lordosis_deg:
        for patch, poly in zip(artists["vertebrae"], _vertebra_polygons(lumbar_lordosis_deg),
                               strict=True):
            patch.set_xy(poly)
        col = bm.lumbar_column(lumbar_lordosis_deg)
        for k, label in enumerate(artists["level_labels"]):
            mid = 0.5 * (col["joints"][k] + col["joints"][k + 1])
            label.set_position((mid[0] + _BODY_BACK - 0.004, mid[1]))
        artists["lordosis"] = lumbar_lordosis_deg
    artists["femur"].set_data(*_femur_outline(hip_flexion_deg).T)
    psoas = bm.muscle_path("psoas", hip_flexion_deg, lumbar_lordosis_deg,
                           arc_step_deg=_ARC_STEP_DEG)
    iliacus = bm.muscle_path("iliacus", hip_flexion_deg, lumbar_lordosis_deg,
                             arc_step_deg=_ARC_STEP_DEG)
    for line, slip in zip(artists["psoas"], psoas["slips"], strict=True):
        line.set_data(*slip.T)
    artists["iliacus"].set_data(*iliacus["slips"][0].T)
    if artists.get("muscle") != muscle:       # the line styles change only with the muscle
        bold = {"psoas": 2.6, "iliacus": 3.4}
        thin = {"psoas": 1.4, "iliacus": 2.0}
        for line in artists["psoas"]:
            line.set_linewidth(bold["psoas"] if muscle == "psoas" else thin["psoas"])
            line.set_alpha(1.0 if muscle == "psoas" else 0.45)
        artists["iliacus"].set_linewidth(bold["iliacus"] if muscle == "iliacus"
                                         else thin["iliacus"])
        artists["iliacus"].set_alpha(1.0 if muscle == "iliacus" else 0.5)
        artists["muscle"] = muscle
    if artists.get("origins_at") != lumbar_lordosis_deg:
        artists["origins"].set_data(*psoas["origin"].T)
        artists["origins_at"] = lumbar_lordosis_deg
    ins = (psoas if muscle == "psoas" else iliacus)["insertion"]
    artists["insertion"].set_data([ins[0]], [ins[1]])
    path = psoas if muscle == "psoas" else iliacus
    hip = np.array(bm.GAIT2392_HIP_CENTRE[:2])
    foot = _foot_of_perpendicular(hip, path["line_of_action"])
    artists["lever"].set_data([hip[0], foot[0]], [hip[1], foot[1]])
    # The hip angle is where the moment-arm panel's stem stands (and on the slider): the
    # title changes only with the low-back curve, so a hip move does not draw it again.
    title = f"Side view, low-back curve {lumbar_lordosis_deg:+.0f}°"
    if artists["title"].get_text() != title:
        artists["title"].set_text(title)


# --------------------------------------------------------------------------------------------
# Moment arm against hip angle: the course's model and gait2392
# --------------------------------------------------------------------------------------------

_CURVE_ANGLES = np.linspace(*bm.HIP_RANGE_DEG, 301)
_ARM_YLIM = (-5.0, 8.0)
#: Where the cursor's stem ends, cm: just above the zero line, clear of the legend below it.
_STEM_FOOT = 0.3


def draw_moment_arm(ax: Axes, hip_flexion_deg: float = 0.0,
                    lumbar_lordosis_deg: float = bm.NEUTRAL_LORDOSIS_DEG,
                    muscle: str = "psoas") -> dict:
    """Plot the hip flexion moment arm over the hip range: course model and gait2392.

    Returns the artists for :func:`update_moment_arm`.
    """
    ax.axhline(0, color="#999999", lw=0.8)
    ax.axvspan(bm.GAIT2392_SWITCH_RANGE_DEG[1], bm.HIP_RANGE_DEG[1], color="#eeeeee", zorder=0)
    (course,) = ax.plot([], [], color=ROLE["model"], lw=2.4, label="course model")
    (published,) = ax.plot([], [], color=ROLE["total"], lw=1.4, ls=(0, (4, 2)),
                           label="gait2392 (published path)")
    (rajagopal,) = ax.plot([], [], color=OKABE_ITO["blue"], lw=1.8, ls=(0, (1, 1.5)),
                           label="Rajagopal 2016 (OpenSim)")
    # The cursor is a stem from the point down to the zero line: it never crosses the legend
    # under the curves or the note above them, so a move does not draw them again.
    (cursor,) = ax.plot([], [], color=ROLE["highlight"], lw=1.2)
    (dot,) = ax.plot([], [], "o", color=ROLE["model"], ms=8, zorder=5)
    ax.set_xlim(*bm.HIP_RANGE_DEG)
    ax.set_ylim(*_ARM_YLIM)
    ax.set_xlabel("Hip flexion (°)")
    ax.set_ylabel("Moment arm (cm)")
    ax.legend(loc="lower left", fontsize=9, frameon=False, labelspacing=0.3)
    ax.text(48, -0.8, "gait2392's switched\npoint is off here", fontsize=8, va="top",
            color="#555555")
    title = ax.set_title("", fontsize=11)
    artists = {"course": course, "published": published, "rajagopal": rajagopal,
               "cursor": cursor, "dot": dot, "title": title, "state": {}}
    update_moment_arm(artists, hip_flexion_deg, lumbar_lordosis_deg, muscle)
    return artists


def update_moment_arm(artists: dict, hip_flexion_deg: float,
                      lumbar_lordosis_deg: float = bm.NEUTRAL_LORDOSIS_DEG,
                      muscle: str = "psoas") -> None:
    """Move the cursor; recompute the curves only when muscle or low-back curve change."""
    key = (muscle, float(lumbar_lordosis_deg))
    if artists["state"].get("key") != key:
        arm = bm.moment_arm(muscle, _CURVE_ANGLES, lumbar_lordosis_deg) * 100
        ref = bm.gait2392_moment_arm(muscle, _CURVE_ANGLES, step_deg=0.25) * 100
        artists["course"].set_data(_CURVE_ANGLES, arm)
        artists["published"].set_data(_CURVE_ANGLES, np.clip(ref, -5.0, 8.0))
        # The other published model, as OpenSim computes it (no low-back change: it has none).
        raj = bm.reference_moment_arm("rajagopal2016", muscle, _CURVE_ANGLES) * 100
        artists["rajagopal"].set_data(_CURVE_ANGLES, raj)
        artists["state"]["key"] = key
    value = explorer_numbers(hip_flexion_deg, lumbar_lordosis_deg, muscle).state.moment_arm * 100
    artists["cursor"].set_data([hip_flexion_deg, hip_flexion_deg], [_STEM_FOOT, value])
    artists["dot"].set_data([hip_flexion_deg], [value])
    title = f"{muscle.capitalize()} moment arm: {value:.1f} cm"
    if artists["title"].get_text() != title:
        artists["title"].set_text(title)


# --------------------------------------------------------------------------------------------
# Force-length curves with the operating point
# --------------------------------------------------------------------------------------------

_LENGTHS = np.linspace(0.1, 1.8, 341)


def draw_force_length(ax: Axes, state: bm.MuscleState, narrow: bool = False) -> dict:
    """Thelen 2003 active and passive force-length curves with the fibres' operating point.

    De Groote et al. 2016's active curve is drawn thin for comparison.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    state : melt_course.models.biomech.MuscleState
        The muscle in its current posture (from :func:`melt_course.models.biomech.muscle_state`).
    narrow : bool
        For a phone: the note on the shaded part starts at its left edge (it would not fit
        centred).
    """
    ax.axvspan(0.1, 0.5, color="#f0f0f0", zorder=0)
    # Above the operating point's reach and below the read-out: a move does not redraw it.
    if narrow:
        ax.text(0.11, 1.02, "the active\ncurves disagree\nstrongly", fontsize=8, ha="left",
                va="top", color="#555555")
    else:
        ax.text(0.3, 1.02, "the active curves\ndisagree strongly", fontsize=8, ha="center",
                va="top", color="#555555")
    ax.plot(_LENGTHS, bm.active_force_length(_LENGTHS), color=ROLE["active"],
            label="active (Thelen 2003)")
    ax.plot(_LENGTHS, bm.passive_force_length(_LENGTHS), color=ROLE["passive"],
            label="passive (Thelen 2003)")
    ax.plot(_LENGTHS, bm.active_force_length(_LENGTHS, "degroote2016"), color=ROLE["active"],
            lw=1.0, ls=(0, (3, 2)), label="active (De Groote 2016)")
    # The marker rises from the axis to the operating point only: it never crosses the
    # legend or the note, so a move does not draw them again.
    (marker_line,) = ax.plot([], [], color="#777777", lw=1.0, ls=":")
    (active_pt,) = ax.plot([], [], "o", color=ROLE["active"], ms=10, mec="white", mew=1.5,
                           zorder=5)
    (passive_pt,) = ax.plot([], [], "s", color=ROLE["passive"], ms=9, mec="white", mew=1.5,
                            zorder=5)
    readout = ax.text(0.02, 0.97, "", transform=ax.transAxes, fontsize=9, va="top",
                      bbox={"boxstyle": "round,pad=0.3", "fc": "white", "ec": "#cccccc"})
    ax.set_xlim(0.1, 1.8)
    ax.set_ylim(0, 1.25)
    ax.set_xlabel("Fibre length / optimal length")
    ax.set_ylabel("Force / max isometric force")
    ax.legend(loc="upper right", fontsize=8, frameon=False)
    artists = {"marker": marker_line, "active": active_pt, "passive": passive_pt,
               "readout": readout}
    update_force_length(artists, state)
    return artists


def update_force_length(artists: dict, state: bm.MuscleState) -> None:
    """Move the operating point drawn by :func:`draw_force_length`."""
    lm = state.normalized_fibre_length
    shown = min(max(lm, 0.1), 1.8)
    artists["marker"].set_data([shown, shown],
                               [0.0, max(state.active_multiplier, state.passive_multiplier)])
    artists["active"].set_data([shown], [state.active_multiplier])
    artists["passive"].set_data([shown], [state.passive_multiplier])
    # One line (each line drawn costs time at every move); the forces are in the read-out
    # under the figure and where the two points sit on the curves.
    artists["readout"].set_text(f"{state.muscle} fibres at {lm:.2f} × optimal length")


# --------------------------------------------------------------------------------------------
# The explorer: all three panels in one figure
# --------------------------------------------------------------------------------------------


def explorer_figure(hip_flexion_deg: float = 0.0,
                    lumbar_lordosis_deg: float = bm.NEUTRAL_LORDOSIS_DEG,
                    muscle: str = "psoas", narrow: bool = False) -> tuple[Figure, dict]:
    """Make the explorer's figure (side view, moment arm plot, force-length plot).

    ``narrow``: the three panels in one column (side view on top), for a phone.

    Returns
    -------
    fig : matplotlib.figure.Figure
    artists : dict
        ``{"model": ..., "moment_arm": ..., "force_length": ...}`` for :func:`update_explorer`.
    """
    if narrow:
        fig, (side, arm, length) = new_figure(NARROW_WIDTH, 12.5, nrows=3, ncols=1,
                                              height_ratios=[1.25, 1.0, 1.1])
    else:
        fig, axes = new_figure(11.0, 6.0, nrows=2, ncols=2)
        with course_style():
            grid = axes[0, 0].get_gridspec()
            for ax in axes[:, 0]:
                ax.remove()
            grid.set_width_ratios([1.15, 1.0])
            side = fig.add_subplot(grid[:, 0])
        arm, length = axes[0, 1], axes[1, 1]
    with course_style():
        artists = {
            "model": draw_model(side, hip_flexion_deg, lumbar_lordosis_deg, muscle),
            "moment_arm": draw_moment_arm(arm, hip_flexion_deg, lumbar_lordosis_deg, muscle),
            "force_length": draw_force_length(
                length, explorer_numbers(hip_flexion_deg, lumbar_lordosis_deg, muscle).state,
                narrow=narrow),
        }
        if narrow:   # room for the moment arm's label; the legend under the plot
            side.set_xlim(-0.2, 0.27)
            length.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), fontsize=8,
                          frameon=False)
    _freeze_layout(fig)
    return fig, artists


def update_explorer(artists: dict, hip_flexion_deg: float,
                    lumbar_lordosis_deg: float = bm.NEUTRAL_LORDOSIS_DEG,
                    muscle: str = "psoas") -> None:
    """Update every panel of :func:`explorer_figure` to a new posture or muscle."""
    update_model(artists["model"], hip_flexion_deg, lumbar_lordosis_deg, muscle)
    update_moment_arm(artists["moment_arm"], hip_flexion_deg, lumbar_lordosis_deg, muscle)
    update_force_length(artists["force_length"],
                        explorer_numbers(hip_flexion_deg, lumbar_lordosis_deg, muscle).state)


def describe_explorer(hip_flexion_deg: float,
                      lumbar_lordosis_deg: float = bm.NEUTRAL_LORDOSIS_DEG,
                      muscle: str = "psoas") -> str:
    """Text description of the explorer figure, with the model's numbers."""
    numbers = explorer_numbers(hip_flexion_deg, lumbar_lordosis_deg, muscle)
    st = numbers.state
    if hip_flexion_deg > 0:
        leg = f"the thigh is lifted forward by {hip_flexion_deg:.0f} degrees"
    elif hip_flexion_deg < 0:
        leg = f"the thigh is taken back {abs(hip_flexion_deg):.0f} degrees behind the body"
    else:
        leg = "the thigh hangs straight down as in standing"
    if lumbar_lordosis_deg > 0:
        back = f"the low back is {lumbar_lordosis_deg:.0f} degrees more arched than neutral"
    elif lumbar_lordosis_deg < 0:
        back = f"the low back is {abs(lumbar_lordosis_deg):.0f} degrees flatter than neutral"
    else:
        back = "the low back has its neutral curve"
    where = ("on the short, rising side of" if st.normalized_fibre_length < 0.95 else
             "on the long side of" if st.normalized_fibre_length > 1.05 else "near the top of")
    return (
        f"Left: side view of the lumbar spine (T12 to L5), pelvis and upper thigh, facing right; "
        f"{leg} and {back}. Psoas runs from six slips on the lumbar spine over the pelvic brim "
        f"circle to the lesser trochanter; iliacus runs from the inside of the pelvis over the "
        f"same brim. {muscle.capitalize()}: musculotendon length "
        f"{st.musculotendon_length * 100:.1f} cm, hip flexion moment arm "
        f"{st.moment_arm * 100:.1f} cm (the dotted line from the hip centre shows it in the side "
        f"view; a little of the pull runs sideways, out of the picture). Top right: the moment "
        f"arm over the whole hip range for the course's model, the published gait2392 path and "
        f"Rajagopal 2016 as OpenSim computes it ("
        f"{numbers.reference_arm * 100:.1f} cm "
        f"here). Bottom right: force-length curves; the fibres sit at "
        f"{st.normalized_fibre_length:.2f} times their optimal length, {where} the active curve, "
        f"so full effort gives {st.active_force:.0f} N and a hip flexion moment of "
        f"{st.active_moment:.0f} N m; passive force {st.passive_force:.0f} N.")


# --------------------------------------------------------------------------------------------
# The four words
# --------------------------------------------------------------------------------------------

_THIGH, _SHANK, _TRUNK, _HEAD = 0.45, 0.43, 0.52, 0.10

# Schematic poses: pelvis position, trunk direction (pelvis to head, degrees from +x), facing
# (+1: front of body is counter-clockwise from the trunk direction... see _unit), the other
# leg's hip angle and both shank directions (world, degrees). Drawing only.
_POSE_DRAWING = {
    "standing": {"pelvis": (0.0, 0.88), "trunk": 90.0, "front": 0.0, "other_hip": 0.0,
                 "shank": -90.0, "other_shank": -90.0, "floor": 0.0},
    "sitting": {"pelvis": (0.0, 0.47), "trunk": 90.0, "front": 0.0, "other_hip": 90.0,
                "shank": -90.0, "other_shank": -90.0, "floor": 0.0, "chair": True},
    "lunging": {"pelvis": (0.0, 0.43), "trunk": 90.0, "front": 0.0, "other_hip": 90.0,
                "shank": 180.0, "other_shank": -90.0, "floor": 0.0},
    "lying with knees bent": {"pelvis": (0.0, 0.10), "trunk": 180.0, "front": 90.0,
                              "other_hip": 45.0, "shank": -76.0, "other_shank": -76.0,
                              "floor": 0.0},
}


def _unit(deg: float) -> np.ndarray:
    return np.array([math.cos(math.radians(deg)), math.sin(math.radians(deg))])


def _pose_points(pose: bm.Pose) -> dict:
    d = _POSE_DRAWING.get(pose.name, _POSE_DRAWING["standing"])
    pelvis = np.array(d["pelvis"])
    trunk, front = _unit(d["trunk"]), _unit(d["front"])

    def leg(hip_deg, shank_deg):
        a = math.radians(hip_deg)
        thigh = math.cos(a) * (-trunk) + math.sin(a) * front
        knee = pelvis + _THIGH * thigh
        return np.array([pelvis, knee, knee + _SHANK * _unit(shank_deg)]), thigh

    model_leg, thigh = leg(pose.hip_flexion_deg, d["shank"])
    other_leg, _ = leg(d["other_hip"], d["other_shank"])
    shoulder = pelvis + _TRUNK * trunk
    head = pelvis + (_TRUNK + _HEAD + 0.02) * trunk
    lumbar = pelvis + 0.2 * trunk + 0.03 * front
    psoas = np.array([lumbar, pelvis + 0.05 * front, pelvis + 0.07 * thigh + 0.02 * front])
    return {"model_leg": model_leg, "other_leg": other_leg, "trunk": np.array([pelvis, shoulder]),
            "head": head, "psoas": psoas, "chair": d.get("chair", False)}


def draw_pose(ax: Axes, pose: bm.Pose) -> dict:
    """A schematic stick figure in one of the four poses, with the psoas drawn on it."""
    from matplotlib.patches import Circle, Rectangle

    ax.axhline(0.0, color="#999999", lw=1.5)
    chair = ax.add_patch(Rectangle((-0.22, 0.0), 0.5, 0.42, facecolor="#e8e8e8",
                                   edgecolor="#bbbbbb", zorder=0))
    (other,) = ax.plot([], [], color="#bbbbbb", lw=7, solid_capstyle="round", zorder=1)
    (trunk,) = ax.plot([], [], color="#999999", lw=10, solid_capstyle="round", zorder=2)
    (leg,) = ax.plot([], [], color="#888888", lw=7, solid_capstyle="round", zorder=3)
    head = ax.add_patch(Circle((0, 0), _HEAD, facecolor="#bbbbbb", edgecolor="none", zorder=2))
    (psoas,) = ax.plot([], [], color=ROLE["muscle"], lw=4, solid_capstyle="round", zorder=4)
    title = ax.set_title("", fontsize=11)
    ax.set_xlim(-0.75, 0.95)
    ax.set_ylim(-0.05, 1.65)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.text(0.0, 0.0, "schematic", transform=ax.transAxes, fontsize=8, color="#777777")
    artists = {"other": other, "trunk": trunk, "leg": leg, "head": head, "psoas": psoas,
               "chair": chair, "title": title}
    update_pose(artists, pose)
    return artists


def update_pose(artists: dict, pose: bm.Pose) -> None:
    """Re-pose the stick figure drawn by :func:`draw_pose`."""
    pts = _pose_points(pose)
    artists["other"].set_data(*pts["other_leg"].T)
    artists["trunk"].set_data(*pts["trunk"].T)
    artists["leg"].set_data(*pts["model_leg"].T)
    artists["head"].set_center(tuple(pts["head"]))
    artists["psoas"].set_data(*pts["psoas"].T)
    artists["chair"].set_visible(bool(pts["chair"]))
    artists["title"].set_text(f"{pose.name.capitalize()}\nhip {pose.hip_flexion_deg:+.0f}°, "
                              f"low back {pose.lumbar_lordosis_deg:+.0f}°")


_WORD_ROWS = ("tight", "short", "weak", "exhausted")
_WORD_COLOURS = (ROLE["passive"], OKABE_ITO["bluish_green"], ROLE["active"],
                 OKABE_ITO["reddish_purple"])


def _word_values(words: bm.FourWords) -> list[tuple[float, float, str]]:
    """(value, full scale, text) for each word's bar."""
    fmax = bm.muscle_parameters(words.muscle).max_isometric_force
    return [
        (words.tight_passive_force, 200.0,
         f"passive force {words.tight_passive_force:.0f} N"),
        (words.short_fraction, 1.5,
         f"fibres at {words.short_fraction * 100:.0f}% of optimal length"),
        (words.weak_force_available, fmax,
         f"{words.weak_force_available:.0f} N available ({words.weak_moment_available:.0f} N m)"),
        (words.exhausted_capacity, 1.0,
         f"{words.exhausted_capacity * 100:.0f}% left after {words.hold_s / 60:.0f} min at "
         f"{words.effort * 100:.0f}% ({words.exhausted_force_available:.0f} N)"),
    ]


def draw_word_bars(ax: Axes, words: bm.FourWords) -> dict:
    """Four bars, one per word, each on its own scale (full scale written at the right)."""
    from matplotlib.patches import Rectangle

    fmax = bm.muscle_parameters(words.muscle).max_isometric_force
    scales = ("200 N", "150%", f"{fmax:.0f} N", "100%")
    bars, texts = [], []
    for i, (word, colour, scale) in enumerate(zip(_WORD_ROWS, _WORD_COLOURS, scales,
                                                  strict=True)):
        y = 3 - i
        ax.add_patch(Rectangle((0, y - 0.18), 1.0, 0.36, facecolor="#eeeeee", edgecolor="none"))
        bars.append(ax.add_patch(Rectangle((0, y - 0.18), 0.0, 0.36, facecolor=colour)))
        ax.text(-0.03, y, word.capitalize(), ha="right", va="center", fontsize=12,
                fontweight="bold")
        texts.append(ax.text(0.0, y + 0.24, "", fontsize=9, va="bottom"))
        ax.text(1.0, y - 0.24, scale, ha="right", va="top", fontsize=8, color="#777777")
    ax.plot([1.0 / 1.5] * 2, [1.75, 2.2], color="#555555", lw=1, ls=":")
    ax.text(1.0 / 1.5 + 0.01, 1.75, "optimal", fontsize=8, color="#555555", va="bottom")
    ax.set_xlim(-0.45, 1.05)
    ax.set_ylim(-0.6, 3.7)
    ax.set_axis_off()
    title = ax.set_title("", fontsize=11)
    artists = {"bars": bars, "texts": texts, "title": title}
    update_word_bars(artists, words)
    return artists


def update_word_bars(artists: dict, words: bm.FourWords) -> None:
    """Set the four bars drawn by :func:`draw_word_bars`."""
    for bar, text, (value, full, label) in zip(artists["bars"], artists["texts"],
                                               _word_values(words), strict=True):
        bar.set_width(min(max(value / full, 0.0), 1.0))
        text.set_text(label)
    artists["title"].set_text(f"Four words, four numbers ({words.muscle})")


def draw_fatigue(ax: Axes, run: bm.FatigueRun) -> dict:
    """Force capacity during a hold and the rest after it (three-compartment model)."""
    span = ax.axvspan(0, 1, color="#f2e6ee", zorder=0)
    (capacity,) = ax.plot([], [], color=ROLE["total"], label="force capacity")
    (target,) = ax.plot([], [], color=ROLE["active"], ls=(0, (4, 2)), label="effort held")
    (end,) = ax.plot([], [], "o", color=OKABE_ITO["reddish_purple"], ms=8, zorder=5)
    (fail,) = ax.plot([], [], "x", color=ROLE["text"], ms=10, mew=2, zorder=6)
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("Time (min)")
    ax.set_ylabel("Fraction of fresh maximum")
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    title = ax.set_title("Hold, then rest", fontsize=11)
    artists = {"span": span, "capacity": capacity, "target": target, "end": end, "fail": fail,
               "title": title}
    update_fatigue(artists, run)
    return artists


def update_fatigue(artists: dict, run: bm.FatigueRun) -> None:
    """Redraw the time course of :func:`draw_fatigue` for a new run."""
    minutes = run.time / 60
    hold_min = run.hold_s / 60
    artists["span"].set_x(0.0)
    artists["span"].set_width(hold_min)
    artists["capacity"].set_data(minutes, run.capacity)
    artists["target"].set_data(minutes, run.target)
    i_end = int(np.searchsorted(run.time, run.hold_s - 1e-9))
    artists["end"].set_data([minutes[i_end]], [run.capacity[i_end]])
    failure = run.failure_s
    if failure is None:
        artists["fail"].set_data([], [])
    else:
        artists["fail"].set_data([failure / 60], [run.target[0]])
    ax = artists["capacity"].axes
    ax.set_xlim(0, max(minutes[-1], 1.0))
    artists["title"].set_text("Hold (shaded), then rest" if run.rest_s else "Hold")


def four_words_figure(words: bm.FourWords, run: bm.FatigueRun,
                      narrow: bool = False) -> tuple[Figure, dict]:
    """Make the four-words figure: pose, four bars and the fatigue time course.

    ``narrow``: the three panels in one column, for a phone.
    """
    if narrow:
        fig, axes = new_figure(NARROW_WIDTH, 11.0, nrows=3, ncols=1,
                               height_ratios=[1.1, 1.0, 0.9])
    else:
        fig, axes = new_figure(12.0, 4.2, nrows=1, ncols=3, width_ratios=[0.85, 1.3, 1.0])
    with course_style():
        artists = {"pose": draw_pose(axes[0], words.pose),
                   "bars": draw_word_bars(axes[1], words),
                   "fatigue": draw_fatigue(axes[2], run)}
        if narrow:   # each bar's numbers start at the panel's left edge: they fit
            for text in artists["bars"]["texts"]:
                text.set_x(axes[1].get_xlim()[0])
    _freeze_layout(fig)
    return fig, artists


def update_four_words(artists: dict, words: bm.FourWords, run: bm.FatigueRun) -> None:
    """Update every panel of :func:`four_words_figure`."""
    update_pose(artists["pose"], words.pose)
    update_word_bars(artists["bars"], words)
    update_fatigue(artists["fatigue"], run)


def describe_four_words(words: bm.FourWords, run: bm.FatigueRun) -> str:
    """Text description of the four-words figure, with the four numbers."""
    failure = run.failure_s
    fail_text = (f" The effort could no longer be held after {failure / 60:.1f} minutes."
                 if failure is not None else "")
    rest = (f" After {run.rest_s / 60:.0f} minutes of rest capacity is back to "
            f"{run.capacity[-1] * 100:.0f}%." if run.rest_s else "")
    return (
        f"Left: a schematic figure {words.pose.description} (hip "
        f"{words.pose.hip_flexion_deg:+.0f} degrees, low back "
        f"{words.pose.lumbar_lordosis_deg:+.0f} degrees), {words.muscle} drawn in colour. "
        f"Middle: four bars. Tight: passive force {words.tight_passive_force:.0f} N. "
        f"Short: fibres at {words.short_fraction * 100:.0f}% of their optimal length. "
        f"Weak: {words.weak_force_available:.0f} N available at full effort, a hip flexion "
        f"moment of {words.weak_moment_available:.0f} N m. Exhausted: after holding "
        f"{words.effort * 100:.0f}% effort for {words.hold_s / 60:.0f} minutes, "
        f"{words.exhausted_capacity * 100:.0f}% of fresh strength is left "
        f"({words.exhausted_force_available:.0f} N). Right: force capacity falling during the "
        f"hold and rising again in the rest.{fail_text}{rest}")


# ------------------------------------------------------------------ the lesson's two diagrams

def _explorer_make(posture: tuple) -> tuple[Figure, dict]:
    return explorer_figure(*posture)


def _explorer_update(artists: dict, posture: tuple) -> None:
    update_explorer(artists, *posture)


def _explorer_describe(posture: tuple) -> str:
    return describe_explorer(*posture)


def _explorer_alt(posture: tuple) -> str:
    hip, lam, muscle = posture
    return (f"Psoas model, side view with the {muscle} at {hip:.0f}° hip flexion and the low "
            f"back curve {lam:+.0f}°, beside its moment-arm and force-length curves")


_EXPLORER_COLUMN = {"Left: side view": "Top: side view", "Top right: the moment arm":
                    "Middle: the moment arm", "Bottom right: force-length":
                    "Bottom: force-length"}


def _explorer_make_narrow(posture: tuple) -> tuple[Figure, dict]:
    return explorer_figure(*posture, narrow=True)


#: Lesson 2's model explorer; its state is ``(hip flexion °, low-back curve °, muscle)``. Axes,
#: ticks and the fixed anatomy are drawn once; a move redraws what the updates change and,
#: so bones, muscle paths and labels stack as in a full draw, the still artists above them.
#: On a phone the three panels stand in one column (``narrow``).
EXPLORER = Drawing(name="psoas-explorer", make=_explorer_make, update=_explorer_update,
                   describe=_explorer_describe, alt=_explorer_alt, moving=flatten_artists,
                   keep_stacking=True,
                   narrow=Drawing(name="psoas-explorer-narrow", make=_explorer_make_narrow,
                                  update=_explorer_update, alt=_explorer_alt,
                                  describe=lambda posture: in_a_column(
                                      _explorer_describe(posture), _EXPLORER_COLUMN),
                                  moving=flatten_artists, keep_stacking=True))


class FourWordsState(NamedTuple):
    """What the four-words figure shows: the settings, and the model's numbers for them."""

    settings: tuple   #: (pose, muscle, effort %, hold minutes, fatigue rates)
    words: bm.FourWords
    run: bm.FatigueRun


def _four_make(state: FourWordsState) -> tuple[Figure, dict]:
    return four_words_figure(state.words, state.run)


def _four_update(artists: dict, state: FourWordsState) -> None:
    update_four_words(artists, state.words, state.run)


def _four_describe(state: FourWordsState) -> str:
    return describe_four_words(state.words, state.run)


def _four_alt(state: FourWordsState) -> str:
    pose, muscle, effort, hold, _ = state.settings
    return (f"Four words as four numbers for the {muscle}, {pose}: a posed figure, four bars "
            f"and the force capacity during a {hold}-minute hold at {effort}% effort")


_FOUR_COLUMN = {"Left: a schematic": "Top: a schematic",
                "Right: force capacity": "Bottom: force capacity"}


def _four_make_narrow(state: FourWordsState) -> tuple[Figure, dict]:
    return four_words_figure(state.words, state.run, narrow=True)


#: Lesson 2's "four words" diagram; its state is a :class:`FourWordsState`. On a phone the
#: three panels stand in one column (``narrow``).
FOUR_WORDS = Drawing(name="four-words", make=_four_make, update=_four_update,
                     describe=_four_describe, alt=_four_alt,
                     key=lambda state: state.settings,
                     narrow=Drawing(name="four-words-narrow", make=_four_make_narrow,
                                    update=_four_update, alt=_four_alt,
                                    describe=lambda state: in_a_column(
                                        _four_describe(state), _FOUR_COLUMN),
                                    key=lambda state: state.settings))
