"""The course's own sagittal-plane model of psoas major and iliacus (pure numpy).

What the model is
-----------------
A side view of the right hip in the pelvis frame of the OpenSim gait2392 model (x forward,
y up, metres; the femur turns about the hip centre, positive angles = hip flexion).

* **Psoas major** starts from six slips on the lumbar spine: the L5 body and the discs L4-L5,
  L3-L4, L2-L3, L1-L2 and T12-L1. Each slip runs down the front-side of the lumbar column to
  the point where the muscle leaves the spine at L5, then over the pelvic brim to the lesser
  trochanter. The muscle's musculotendon length is the mean of its slips' lengths.
* **Iliacus** starts in the iliac fossa (fixed on the pelvis) and runs over the same brim.
* **The brim** is a circle the muscles wrap over smoothly (the tangent-arc-tangent path of a
  string over a cylinder), not a via point that is switched on and off. When the thigh is
  lifted far enough, the path leaves the circle and becomes a straight line; length and
  moment arm stay continuous through that change.
* **Lumbar posture** (``lumbar_lordosis_deg``) bends the lumbar column: the change of the
  L1-to-sacrum angle from the model's neutral standing curve, shared equally by the five joints
  L5-S1 to L1-L2. It moves the psoas slips and so changes psoas length (a little); it cannot
  change iliacus length, because iliacus never touches the spine.

Where the numbers come from
---------------------------
Taken from published models (via the course notes ``biomechanics.md``):

* gait2392 (Delp et al. 1990; OpenSim model library): hip centre; psoas origin on the pelvis
  (used as the point where the course's psoas leaves the spine at L5, in neutral posture);
  iliacus origin; the lesser-trochanter insertions (femur frame); the mediolateral (z)
  coordinates of those points; muscle parameters (max isometric force, optimal fibre length,
  tendon slack length, pennation) and Thelen 2003 curve constants.
* Rajagopal et al. 2016: the brim wrapping cylinder (radius 0.05 m at x = -0.074,
  y = -0.060 in the pelvis frame). The gait2392 brim via points lie on this circle to within
  1.5 mm, which is why the smooth wrap reproduces gait2392's path where gait2392 is valid.

The course's own choices (assumptions, not published values):

* The lumbar column above L5: 0.036 m per level, a neutral lordotic curve with each
  joint 10 degrees more extended than the one below (L5 tilted 20 degrees forward), and
  offsets of the psoas slips from the joint axes of +10, +6, +2, -2 and -6 mm from L4-L5 up to
  T12-L1 (slips in front of the axes at the lower levels, behind at the upper levels, as
  Bogduk et al. 1992 found qualitatively: psoas tends to flex the lower and extend the upper
  lumbar spine, with very small moments).
* Tendon slack length of psoas: gait2392's 0.160 m plus the mean length of the slips above L5
  in neutral posture, so that the course's longer path keeps gait2392's fibre operating point
  in neutral standing (Bogduk: the fascicles are of similar length, so extra path length above
  L5 is taken up by tendon, not fibre).
* The mediolateral offset: the model is drawn and moved in the sagittal plane; the change in z
  from the point where the muscle leaves the spine (or the iliac fossa) to the insertion, taken
  from gait2392, is added as a constant out-of-plane component (exact for a path wrapping a
  cylinder whose axis is mediolateral).

The published models themselves, as OpenSim computes them, are available through
:func:`reference_length` and :func:`reference_moment_arm` (from
:mod:`melt_course.models.reference`): psoas, iliacus, rectus femoris, sartorius and TFL in
gait2392 and Rajagopal 2016. Tests compare this model with them.

Muscle curves: Thelen 2003 (as parameterised in gait2392) by default, De Groote et al. 2016 as
an alternative. Fatigue: the three-compartment model of Xia & Frey Law 2008 with fatigue and
recovery rates F and R from the range fitted by Frey-Law et al. 2012 (for other joints; see
:data:`FATIGUE_PARAMETERS`).

The model's valid ranges: hip flexion -30 to 120 degrees (:data:`HIP_RANGE_DEG`), lumbar
lordosis change -30 to +20 degrees (:data:`LORDOSIS_RANGE_DEG`). Beyond about 90 degrees of
hip flexion the model extrapolates: it was compared with gait2392 only from -30 to 45 degrees,
and there its fibres become shorter than real fibres probably can.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

# The published models as computed by OpenSim (public API: reference_length and
# reference_moment_arm are documented here as melt_course.models.biomech functions).
from melt_course.models.reference import (
    REFERENCE_MODELS,
    REFERENCE_MUSCLES,
    reference_length,
    reference_moment_arm,
)

__all__ = [
    "BRIM_CENTRE",
    "BRIM_RADIUS",
    "CURVES",
    "FATIGUE_PARAMETERS",
    "GAIT2392_HIP_CENTRE",
    "GAIT2392_SWITCH_RANGE_DEG",
    "HIP_RANGE_DEG",
    "LORDOSIS_RANGE_DEG",
    "LUMBAR_LEVELS",
    "MUSCLES",
    "NEUTRAL_LORDOSIS_DEG",
    "POSES",
    "PSOAS_SLIPS",
    "PUBLISHED_PARAMETERS",
    "REFERENCE_MODELS",
    "REFERENCE_MUSCLES",
    "FatigueParameters",
    "FatigueRun",
    "FourWords",
    "MuscleParameters",
    "MuscleState",
    "Pose",
    "active_force_length",
    "capacity_after",
    "endurance_time",
    "fibre_length",
    "four_words",
    "gait2392_length",
    "gait2392_moment_arm",
    "hip_flexion_moment",
    "lumbar_column",
    "moment_arm",
    "muscle_parameters",
    "muscle_path",
    "muscle_state",
    "musculotendon_length",
    "passive_force_length",
    "pelvic_length",
    "reference_length",
    "reference_moment_arm",
    "simulate_fatigue",
]

# --------------------------------------------------------------------------------------------
# Ranges
# --------------------------------------------------------------------------------------------

#: Hip flexion range of the model, degrees (negative = extension).
HIP_RANGE_DEG = (-30.0, 120.0)
#: Lumbar lordosis change from the neutral standing curve, degrees (negative = flatter back,
#: positive = more arched). The course's choice: roughly from a flattened, slumped low back to
#: a clearly arched one; not a clinical norm.
LORDOSIS_RANGE_DEG = (-30.0, 20.0)
#: The neutral (standing) lumbar posture of the model.
NEUTRAL_LORDOSIS_DEG = 0.0
#: Muscles the model knows.
MUSCLES = ("psoas", "iliacus")

# --------------------------------------------------------------------------------------------
# Published geometry (gait2392, Rajagopal 2016), pelvis frame, metres
# --------------------------------------------------------------------------------------------

#: gait2392 hip centre in the pelvis frame (x, y, z).
GAIT2392_HIP_CENTRE = (-0.0707, -0.0661, 0.0835)
#: Hip flexion range (degrees) in which gait2392 switches its second brim point on.
GAIT2392_SWITCH_RANGE_DEG = (-90.0, 45.0)

_GAIT2392_PATHS = MappingProxyType({
    "psoas": {"pelvis": ((-0.0647, 0.0887, 0.0289), (-0.0238, -0.0570, 0.0759)),
              "switched": (-0.0288, -0.0805, 0.0816),
              "femur": ((0.0016, -0.0507, 0.0038), (-0.0188, -0.0597, 0.0104))},
    "iliacus": {"pelvis": ((-0.0674, 0.0365, 0.0854), (-0.0258, -0.0550, 0.0811)),
                "switched": (-0.0288, -0.0805, 0.0816),
                "femur": ((0.0017, -0.0543, 0.0057), (-0.0193, -0.0621, 0.0129))},
})

#: Centre (x, y) of the pelvic-brim wrapping circle: Rajagopal 2016's psoas wrap cylinder.
BRIM_CENTRE = (-0.074, -0.060)
#: Radius of the brim circle, metres (Rajagopal 2016).
BRIM_RADIUS = 0.05

_HIP = np.array(GAIT2392_HIP_CENTRE[:2])
_BRIM = np.array(BRIM_CENTRE)

# Start of the pelvic part of each path (x, y, z) and the insertion in the femur frame.
_START = {"psoas": _GAIT2392_PATHS["psoas"]["pelvis"][0],
          "iliacus": _GAIT2392_PATHS["iliacus"]["pelvis"][0]}
_INSERTION = {m: _GAIT2392_PATHS[m]["femur"][1] for m in MUSCLES}
# Out-of-plane change from start to insertion (insertion z is in the femur frame).
_DZ = {m: GAIT2392_HIP_CENTRE[2] + _INSERTION[m][2] - _START[m][2] for m in MUSCLES}

# --------------------------------------------------------------------------------------------
# The course's lumbar column (assumptions, see the module docstring)
# --------------------------------------------------------------------------------------------

#: Lumbar vertebrae of the model, bottom to top.
LUMBAR_LEVELS = ("L5", "L4", "L3", "L2", "L1", "T12")
#: Where each psoas slip starts, bottom to top.
PSOAS_SLIPS = ("L5 body", "L4-L5 disc", "L3-L4 disc", "L2-L3 disc", "L1-L2 disc",
               "T12-L1 disc")
_LEVEL_SPACING = 0.036
_NEUTRAL_TILT = np.radians([-20.0, -10.0, 0.0, 10.0, 20.0, 20.0])
# Share of the lordosis change taken up below each vertebra (L5-S1 ... L1-L2; T12 follows L1).
_TILT_SHARE = np.array([1, 2, 3, 4, 5, 5]) / 5.0
# Offset of the slip points in front (+) of / behind (-) the column's axis line.
_SLIP_OFFSET = np.array([0.015, 0.010, 0.006, 0.002, -0.002, -0.006])


def _up(tilt):
    """Unit vector along a vertebra (tilt in radians, positive = top tipped backward)."""
    return np.stack([-np.sin(tilt), np.cos(tilt)], axis=-1)


def _forward(tilt):
    """Unit vector pointing forward, perpendicular to a vertebra."""
    return np.stack([np.cos(tilt), np.sin(tilt)], axis=-1)


# The L5-S1 joint centre, placed so that the L5 slip point is gait2392's psoas origin.
_L5_EXIT = np.array(_START["psoas"][:2])
_L5S1 = (_L5_EXIT - 0.5 * _LEVEL_SPACING * _up(_NEUTRAL_TILT[0])
         - _SLIP_OFFSET[0] * _forward(_NEUTRAL_TILT[0]))

# --------------------------------------------------------------------------------------------
# Muscle parameters
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MuscleParameters:
    """Hill-type muscle parameters of one muscle.

    Attributes
    ----------
    max_isometric_force : float
        Newtons.
    optimal_fibre_length, tendon_slack_length : float
        Metres.
    pennation_deg : float
        Pennation angle at optimal fibre length, degrees.
    source : str
        Where the numbers come from (bibliography key and file).
    """

    max_isometric_force: float
    optimal_fibre_length: float
    tendon_slack_length: float
    pennation_deg: float
    source: str


#: Published parameter sets (biomechanics.md): gait2392 and Rajagopal 2016.
PUBLISHED_PARAMETERS = MappingProxyType({
    "gait2392": MappingProxyType({
        "psoas": MuscleParameters(1113.0, 0.100, 0.160, 8.0,
                                  "delp1990 / opensim-models gait2392_thelen2003muscle.osim"),
        "iliacus": MuscleParameters(1073.0, 0.100, 0.100, 7.0,
                                    "delp1990 / opensim-models gait2392_thelen2003muscle.osim"),
    }),
    "rajagopal2016": MappingProxyType({
        "psoas": MuscleParameters(1426.79, 0.1169, 0.0995, 12.35,
                                  "rajagopal2016 / opensim-models Rajagopal2016.osim"),
        "iliacus": MuscleParameters(1021.14, 0.1066, 0.0961, 16.04,
                                    "rajagopal2016 / opensim-models Rajagopal2016.osim"),
    }),
})

#: Force-length curve families the model offers.
CURVES = ("thelen2003", "degroote2016")

# Thelen 2003 constants as gait2392 sets them (biomechanics.md).
_THELEN_GAMMA = 0.5
_THELEN_KPE = 4.0
_THELEN_E0 = 0.6
# De Groote et al. 2016 active force-length: three Gaussians (b1, b2, b3, b4).
_DEGROOTE_B = ((0.8150671, 1.055033, 0.162385, 0.063303),
               (0.433005, 0.716775, -0.029947, 0.200357),
               (0.1, 1.0, 0.353553, 0.0))
_DEGROOTE_KPE = 4.0
_DEGROOTE_E0 = 0.6
# OpenSim's DeGrooteFregly2016Muscle shifts the passive curve to pass through zero at the
# minimum normalised fibre length, 0.2 (its source comments say so).
_DEGROOTE_MIN_LENGTH = 0.2


# --------------------------------------------------------------------------------------------
# Input checking
# --------------------------------------------------------------------------------------------


def _check_muscle(muscle: str) -> str:
    if muscle not in MUSCLES:
        raise ValueError(f"muscle={muscle!r} is not in the model; expected one of {MUSCLES}")
    return muscle


def _check_range(name: str, values, valid: tuple[float, float], unit: str = "degrees"):
    arr = np.asarray(values, dtype=float)
    bad = ~np.isfinite(arr) | (arr < valid[0]) | (arr > valid[1])
    if np.any(bad):
        value = float(arr[bad].flat[0]) if arr.ndim else float(arr)
        raise ValueError(f"{name}={value!r} is outside the model's range "
                         f"{valid[0]:g} to {valid[1]:g} {unit}")
    return arr


def _angles(hip_flexion_deg, lumbar_lordosis_deg):
    hip = _check_range("hip_flexion_deg", hip_flexion_deg, HIP_RANGE_DEG)
    lam = _check_range("lumbar_lordosis_deg", lumbar_lordosis_deg, LORDOSIS_RANGE_DEG)
    scalar = hip.ndim == 0 and lam.ndim == 0
    hip, lam = np.broadcast_arrays(hip, lam)
    return hip, lam, scalar


def _out(value, scalar: bool):
    return float(value) if scalar else np.asarray(value, dtype=float)


# --------------------------------------------------------------------------------------------
# Geometry
# --------------------------------------------------------------------------------------------


def _tilts(lam_rad):
    """Tilt of each lumbar vertebra (radians), shape lam.shape + (6,)."""
    lam_rad = np.asarray(lam_rad, dtype=float)
    return _NEUTRAL_TILT + lam_rad[..., None] * _TILT_SHARE


def _column(lam_rad):
    """Joint centres L5-S1 ... T11-T12 (shape + (7, 2)) and vertebra tilts (shape + (6,))."""
    tilts = _tilts(lam_rad)
    steps = _LEVEL_SPACING * _up(tilts)                       # (..., 6, 2)
    start = np.broadcast_to(_L5S1, (*tilts.shape[:-1], 1, 2))
    joints = np.concatenate([start, start + np.cumsum(steps, axis=-2)], axis=-2)
    return joints, tilts


def _slip_points(lam_rad):
    """Psoas slip points on the lumbar column, L5 body first (shape + (6, 2))."""
    joints, tilts = _column(lam_rad)
    l5 = (joints[..., 0, :] + 0.5 * _LEVEL_SPACING * _up(tilts[..., 0])
          + _SLIP_OFFSET[0] * _forward(tilts[..., 0]))
    # The disc above vertebra k-1 carries slip k; it moves with the vertebra below it.
    discs = joints[..., 1:6, :] + _SLIP_OFFSET[1:, None] * _forward(tilts[..., 0:5])
    return np.concatenate([l5[..., None, :], discs], axis=-2)


def _rot(theta, point):
    """Rotate femur-frame points (x, y) by hip flexion theta (radians) and place at the hip."""
    c, s = np.cos(theta), np.sin(theta)
    x, y = point[0], point[1]
    return np.stack([_HIP[0] + c * x - s * y, _HIP[1] + s * x + c * y], axis=-1)


def _wrap(a, b):
    """Shortest path from a over the front of the brim circle to b (arrays (..., 2)).

    Returns the in-plane length, the two tangent points and the wrapped arc angle (zero when
    the straight line a-b clears the circle, in which case both tangent points are None-like
    copies of the ends).
    """
    r = BRIM_RADIUS
    va, vb = a - _BRIM, b - _BRIM
    da, db = np.hypot(va[..., 0], va[..., 1]), np.hypot(vb[..., 0], vb[..., 1])
    ta = np.arctan2(va[..., 1], va[..., 0]) - np.arccos(r / da)
    tb = np.arctan2(vb[..., 1], vb[..., 0]) + np.arccos(r / db)
    arc = np.angle(np.exp(1j * (ta - tb)))                    # wrapped into (-pi, pi]
    wrapped = arc > 0
    arc = np.where(wrapped, arc, 0.0)
    pa = _BRIM + r * np.stack([np.cos(ta), np.sin(ta)], axis=-1)
    pb = _BRIM + r * np.stack([np.cos(tb), np.sin(tb)], axis=-1)
    straight = np.linalg.norm(a - b, axis=-1)
    length = np.where(wrapped, np.sqrt(da**2 - r**2) + r * arc + np.sqrt(db**2 - r**2),
                      straight)
    pa = np.where(wrapped[..., None], pa, b)
    pb = np.where(wrapped[..., None], pb, a)
    return length, pa, pb, arc, wrapped


def _pelvic_part(muscle, hip_rad, lam_rad):
    """Length, moment arm and key points of the path from the start point to the insertion."""
    if muscle == "psoas":
        start = _slip_points(lam_rad)[..., 0, :]
    else:
        start = np.broadcast_to(np.array(_START["iliacus"][:2]), (*np.shape(hip_rad), 2))
    insertion = _rot(hip_rad, _INSERTION[muscle])
    length_xy, tan_a, tan_b, arc, wrapped = _wrap(start, insertion)
    # Force on the femur acts from the insertion toward the last contact (tangent point or,
    # when unwrapped, the start); its moment about the hip centre is the moment arm.
    toward = np.where(wrapped[..., None], tan_b, start) - insertion
    unit = toward / np.linalg.norm(toward, axis=-1, keepdims=True)
    lever = insertion - _HIP
    arm_xy = lever[..., 0] * unit[..., 1] - lever[..., 1] * unit[..., 0]
    dz = _DZ[muscle]
    length = np.sqrt(length_xy**2 + dz**2)
    arm = arm_xy * length_xy / length
    return {"length": length, "moment_arm": arm, "start": start, "insertion": insertion,
            "tangent_start": tan_a, "tangent_end": tan_b, "arc": arc, "wrapped": wrapped}


def _lumbar_lengths(lam_rad):
    """Length of each psoas slip from its origin down to the L5 exit point (shape + (6,))."""
    pts = _slip_points(lam_rad)
    links = np.linalg.norm(np.diff(pts, axis=-2), axis=-1)    # (..., 5)
    zero = np.zeros((*links.shape[:-1], 1))
    return np.concatenate([zero, np.cumsum(links, axis=-1)], axis=-1)


_NEUTRAL_LUMBAR_MEAN = float(_lumbar_lengths(np.radians(NEUTRAL_LORDOSIS_DEG)).mean())


def musculotendon_length(muscle: str, hip_flexion_deg, lumbar_lordosis_deg=NEUTRAL_LORDOSIS_DEG):
    """Musculotendon length of psoas or iliacus in the course's model.

    Parameters
    ----------
    muscle : {"psoas", "iliacus"}
        The muscle. Psoas length is the mean of its six slips (L5 body to T12-L1 disc).
    hip_flexion_deg : float or array_like
        Hip flexion in degrees, -30 (extension) to 120.
    lumbar_lordosis_deg : float or array_like, optional
        Change of lumbar lordosis from the neutral standing curve, degrees, -30 (flatter) to
        +20 (more arched). Default 0 (neutral). Broadcast against ``hip_flexion_deg``.

    Returns
    -------
    float or numpy.ndarray
        Length in metres (a float for scalar input).

    Raises
    ------
    ValueError
        For an unknown muscle or an angle outside the model's range (message names the value
        and the range).
    """
    _check_muscle(muscle)
    hip, lam, scalar = _angles(hip_flexion_deg, lumbar_lordosis_deg)
    part = _pelvic_part(muscle, np.radians(hip), np.radians(lam))
    length = part["length"]
    if muscle == "psoas":
        length = length + _lumbar_lengths(np.radians(lam)).mean(axis=-1)
    return _out(length, scalar)


def pelvic_length(muscle: str, hip_flexion_deg, lumbar_lordosis_deg=NEUTRAL_LORDOSIS_DEG):
    """Length of the part of the path that gait2392 also models, metres.

    For psoas: from the point where the muscle leaves the spine at L5 (gait2392's psoas origin
    in neutral posture) to the insertion; for iliacus, the whole path. This is what the
    agreement with gait2392 is measured on. Parameters and errors as for
    :func:`musculotendon_length`.
    """
    _check_muscle(muscle)
    hip, lam, scalar = _angles(hip_flexion_deg, lumbar_lordosis_deg)
    return _out(_pelvic_part(muscle, np.radians(hip), np.radians(lam))["length"], scalar)


def moment_arm(muscle: str, hip_flexion_deg, lumbar_lordosis_deg=NEUTRAL_LORDOSIS_DEG):
    """Hip flexion moment arm of psoas or iliacus, metres (positive = flexor).

    Computed geometrically: the moment about the hip centre of a unit force pulling the
    insertion along the last segment of the path. By the principle of virtual work this equals
    ``-dL/dθ`` (tests check that against a numerical derivative).

    Parameters and errors as for :func:`musculotendon_length`.
    """
    _check_muscle(muscle)
    hip, lam, scalar = _angles(hip_flexion_deg, lumbar_lordosis_deg)
    return _out(_pelvic_part(muscle, np.radians(hip), np.radians(lam))["moment_arm"], scalar)


def muscle_path(muscle: str, hip_flexion_deg: float,
                lumbar_lordosis_deg: float = NEUTRAL_LORDOSIS_DEG, arc_points: int = 24,
                arc_step_deg: float | None = None) -> dict:
    """Points of a muscle's path for drawing (one posture; scalars only).

    Parameters
    ----------
    muscle : {"psoas", "iliacus"}
    hip_flexion_deg, lumbar_lordosis_deg : float
        Posture, as for :func:`musculotendon_length`.
    arc_points : int
        Number of points along the wrapped arc (when ``arc_step_deg`` is None).
    arc_step_deg : float, optional
        Instead, points along the arc at every multiple of this angle (degrees, around the
        brim circle's centre) between its two tangent points, which are kept. The points do
        not depend on where the arc ends, so a drawing redrawn for a new hip angle finds
        the path above the brim unchanged.

    Returns
    -------
    dict
        ``"slips"``: list of (n, 2) arrays, one polyline per slip from origin to insertion
        (one for iliacus); ``"line_of_action"``: the (2, 2) segment that pulls on the femur;
        ``"insertion"``, ``"origin"`` (array (2,) or (6, 2)), ``"wrapped"`` (bool).
    """
    _check_muscle(muscle)
    hip, lam, scalar = _angles(hip_flexion_deg, lumbar_lordosis_deg)
    if not scalar:
        raise ValueError(f"muscle_path draws one posture; got arrays of shape {hip.shape!r}")
    part = _pelvic_part(muscle, math.radians(float(hip)), math.radians(float(lam)))
    start, ins = part["start"], part["insertion"]
    if part["wrapped"]:
        a0 = math.atan2(*(part["tangent_start"] - _BRIM)[::-1])
        a1 = a0 - float(part["arc"])
        if arc_step_deg is None:
            angles = np.linspace(a0, a1, arc_points)
        else:
            if not (isinstance(arc_step_deg, (int, float)) and 0.1 <= arc_step_deg <= 45):
                raise ValueError(f"arc_step_deg={arc_step_deg!r} must be a number of degrees "
                                 "from 0.1 to 45")
            step = math.radians(arc_step_deg)
            grid = step * np.arange(math.floor(a0 / step), math.ceil(a1 / step) - 1, -1)
            inside = grid[(grid < a0 - step * 1e-6) & (grid > a1 + step * 1e-6)]
            angles = np.concatenate([[a0], inside, [a1]])
        arc = _BRIM + BRIM_RADIUS * np.column_stack([np.cos(angles), np.sin(angles)])
        pelvic = np.vstack([start, arc, ins])
        action = np.array([part["tangent_end"], ins])
    else:
        pelvic = np.vstack([start, ins])
        action = np.array([start, ins])
    if muscle == "psoas":
        pts = _slip_points(math.radians(float(lam)))
        slips = [np.vstack([pts[k::-1], pelvic[1:]]) for k in range(len(PSOAS_SLIPS))]
        origin = pts
    else:
        slips, origin = [pelvic], start
    return {"slips": slips, "line_of_action": action, "insertion": ins, "origin": origin,
            "wrapped": bool(part["wrapped"])}


def lumbar_column(lumbar_lordosis_deg: float = NEUTRAL_LORDOSIS_DEG) -> dict:
    """Lumbar joint centres and vertebra tilts for drawing (one posture).

    Returns
    -------
    dict
        ``"joints"``: (7, 2) joint centres from L5-S1 up to T11-T12; ``"tilts_deg"``: (6,)
        tilt of L5 ... T12 (positive = top tipped backward); ``"levels"``: names;
        ``"spacing"``: metres per level.
    """
    lam = _check_range("lumbar_lordosis_deg", lumbar_lordosis_deg, LORDOSIS_RANGE_DEG)
    if lam.ndim:
        raise ValueError(f"lumbar_column draws one posture; got an array of shape {lam.shape!r}")
    joints, tilts = _column(math.radians(float(lam)))
    return {"joints": joints, "tilts_deg": np.degrees(tilts), "levels": LUMBAR_LEVELS,
            "spacing": _LEVEL_SPACING}


# --------------------------------------------------------------------------------------------
# The published gait2392 path, as a reference
# --------------------------------------------------------------------------------------------


def gait2392_length(muscle: str, hip_flexion_deg):
    """Musculotendon length of the published gait2392 path (3-D, with its switched point).

    The path runs through the gait2392 points of biomechanics.md: two pelvis points, the
    second brim point only while hip flexion is between -90 and +45 degrees, and two femur
    points. No wrapping surface. This is the reference the course's model is tested against.

    Parameters
    ----------
    muscle : {"psoas", "iliacus"}
    hip_flexion_deg : float or array_like
        Degrees, -30 to 120 (the course's range).

    Returns
    -------
    float or numpy.ndarray
        Metres.
    """
    _check_muscle(muscle)
    hip = _check_range("hip_flexion_deg", hip_flexion_deg, HIP_RANGE_DEG)
    scalar = hip.ndim == 0
    flat = np.atleast_1d(hip).ravel()
    th = np.radians(flat)
    path = _GAIT2392_PATHS[muscle]
    cx, cy, cz = GAIT2392_HIP_CENTRE
    c, s = np.cos(th), np.sin(th)

    def femur(point):
        x, y, z = point
        return np.column_stack([cx + c * x - s * y, cy + s * x + c * y, np.full_like(c, cz + z)])

    p1, p2 = (np.array(p) for p in path["pelvis"])
    f1, f2 = femur(path["femur"][0]), femur(path["femur"][1])
    switched = np.array(path["switched"])
    on = (flat >= GAIT2392_SWITCH_RANGE_DEG[0]) & (flat <= GAIT2392_SWITCH_RANGE_DEG[1])
    via_switched = np.linalg.norm(switched - p2) + np.linalg.norm(f1 - switched, axis=1)
    via_direct = np.linalg.norm(f1 - p2, axis=1)
    length = (np.linalg.norm(p2 - p1) + np.where(on, via_switched, via_direct)
              + np.linalg.norm(f2 - f1, axis=1))
    return float(length[0]) if scalar else length.reshape(hip.shape)


def gait2392_moment_arm(muscle: str, hip_flexion_deg, side: str = "centre", step_deg=0.01):
    """Moment arm of the gait2392 path as -dL/dθ by finite differences, metres.

    Parameters
    ----------
    muscle : {"psoas", "iliacus"}
    hip_flexion_deg : float or array_like
    side : {"centre", "left", "right"}
        Central difference, or one-sided from below / above (to show the jump at 45 degrees).
    step_deg : float
        Finite-difference step in degrees.
    """
    hip = np.asarray(hip_flexion_deg, dtype=float)
    lo, hi = {"centre": (hip - step_deg, hip + step_deg), "left": (hip - step_deg, hip),
              "right": (hip, hip + step_deg)}.get(side, (None, None))
    if lo is None:
        raise ValueError(f"side={side!r} must be 'centre', 'left' or 'right'")
    lo = np.clip(lo, *HIP_RANGE_DEG)
    hi = np.clip(hi, *HIP_RANGE_DEG)
    dl = gait2392_length(muscle, hi) - gait2392_length(muscle, lo)
    value = -dl / np.radians(hi - lo)
    return float(value) if np.ndim(value) == 0 else value


# --------------------------------------------------------------------------------------------
# Hill-type muscle
# --------------------------------------------------------------------------------------------


def _check_curves(curves: str) -> str:
    if curves not in CURVES:
        raise ValueError(f"curves={curves!r} is not known; expected one of {CURVES}")
    return curves


def active_force_length(normalized_length, curves: str = "thelen2003"):
    """Active force-length multiplier (1 at the optimum) of a normalised fibre length.

    Parameters
    ----------
    normalized_length : float or array_like
        Fibre length / optimal fibre length (positive).
    curves : {"thelen2003", "degroote2016"}
        Thelen 2003 with gait2392's width (gamma = 0.5): ``exp(-(l - 1)^2 / gamma)``; or De
        Groote et al. 2016's sum of three Gaussians.
    """
    _check_curves(curves)
    lm = _check_range("normalized_length", normalized_length, (1e-6, 10.0), unit="")
    if curves == "thelen2003":
        out = np.exp(-((lm - 1.0) ** 2) / _THELEN_GAMMA)
    else:
        out = sum(b1 * np.exp(-0.5 * (lm - b2) ** 2 / (b3 + b4 * lm) ** 2)
                  for b1, b2, b3, b4 in _DEGROOTE_B)
    return float(out) if np.ndim(out) == 0 else out


def passive_force_length(normalized_length, curves: str = "thelen2003"):
    """Passive force-length multiplier of a normalised fibre length (1 at 1.6 optima).

    Thelen 2003: ``(exp(kPE (l - 1) / e0) - 1) / (exp(kPE) - 1)`` above the optimum, zero
    at or below it (gait2392: kPE = 4, e0 = 0.6). De Groote 2016 (as OpenSim implements it):
    the same exponential shifted to pass through zero at 0.2 optimal lengths, so it is small
    but not zero just below the optimum.
    """
    _check_curves(curves)
    lm = _check_range("normalized_length", normalized_length, (1e-6, 10.0), unit="")
    if curves == "thelen2003":
        raw = (np.exp(_THELEN_KPE * (lm - 1.0) / _THELEN_E0) - 1.0) / (np.exp(_THELEN_KPE) - 1.0)
        out = np.where(lm > 1.0, raw, 0.0)
    else:
        offset = math.exp(_DEGROOTE_KPE * (_DEGROOTE_MIN_LENGTH - 1.0) / _DEGROOTE_E0)
        raw = ((np.exp(_DEGROOTE_KPE * (lm - 1.0) / _DEGROOTE_E0) - offset)
               / (math.exp(_DEGROOTE_KPE) - offset))
        out = np.maximum(raw, 0.0)
    return float(out) if np.ndim(out) == 0 else out


def muscle_parameters(muscle: str) -> MuscleParameters:
    """The parameters the course's model uses for a muscle.

    gait2392's values, except psoas' tendon slack length, which adds the mean neutral length
    of the slips above L5 (see the module docstring).
    """
    _check_muscle(muscle)
    base = PUBLISHED_PARAMETERS["gait2392"][muscle]
    if muscle == "iliacus":
        return base
    return MuscleParameters(base.max_isometric_force, base.optimal_fibre_length,
                            base.tendon_slack_length + _NEUTRAL_LUMBAR_MEAN, base.pennation_deg,
                            base.source + "; tendon slack length adapted by the course")


def _fibre(muscle, mt_length):
    """Fibre length and cos(pennation) from musculotendon length (rigid tendon)."""
    p = muscle_parameters(muscle)
    height = p.optimal_fibre_length * math.sin(math.radians(p.pennation_deg))
    along = np.maximum(mt_length - p.tendon_slack_length, 0.0)
    fibre = np.sqrt(along**2 + height**2)
    return fibre, along / fibre


def fibre_length(muscle: str, hip_flexion_deg, lumbar_lordosis_deg=NEUTRAL_LORDOSIS_DEG):
    """Fibre length, metres, with a rigid tendon and constant-thickness pennation.

    ``l_fibre * cos(alpha) = L_mt - L_tendon_slack`` and ``l_fibre * sin(alpha) =
    l_opt * sin(alpha_opt)`` (the muscle keeps its thickness as fibres shorten).
    """
    mt = musculotendon_length(muscle, hip_flexion_deg, lumbar_lordosis_deg)
    fibre, _ = _fibre(muscle, mt)
    return float(fibre) if np.ndim(fibre) == 0 else fibre


@dataclass(frozen=True)
class MuscleState:
    """Everything the model says about one muscle in one posture (SI units).

    Forces are along the tendon (fibre force times cos pennation); moments are hip flexion
    moments (N m) about the hip centre.
    """

    muscle: str
    hip_flexion_deg: float
    lumbar_lordosis_deg: float
    activation: float
    curves: str
    musculotendon_length: float
    moment_arm: float
    fibre_length: float
    normalized_fibre_length: float
    pennation_deg: float
    active_multiplier: float
    passive_multiplier: float
    active_force: float
    passive_force: float
    parameters: MuscleParameters = field(repr=False)

    @property
    def total_force(self) -> float:
        """Active plus passive force along the tendon, N."""
        return self.active_force + self.passive_force

    @property
    def active_moment(self) -> float:
        """Hip flexion moment from the active force, N m."""
        return self.active_force * self.moment_arm

    @property
    def passive_moment(self) -> float:
        """Hip flexion moment from the passive force, N m."""
        return self.passive_force * self.moment_arm

    @property
    def hip_flexion_moment(self) -> float:
        """Total hip flexion moment, N m."""
        return self.total_force * self.moment_arm


def muscle_state(muscle: str, hip_flexion_deg: float,
                 lumbar_lordosis_deg: float = NEUTRAL_LORDOSIS_DEG, activation: float = 1.0,
                 curves: str = "thelen2003") -> MuscleState:
    """Length, moment arm, fibre operating point and forces of one muscle in one posture.

    Parameters
    ----------
    muscle : {"psoas", "iliacus"}
    hip_flexion_deg, lumbar_lordosis_deg : float
        Posture (degrees), as for :func:`musculotendon_length`.
    activation : float
        0 (relaxed) to 1 (full effort).
    curves : {"thelen2003", "degroote2016"}
        Force-length curves.

    Returns
    -------
    MuscleState
    """
    _check_curves(curves)
    act = float(_check_range("activation", activation, (0.0, 1.0), unit="(fraction)"))
    hip = float(_check_range("hip_flexion_deg", hip_flexion_deg, HIP_RANGE_DEG))
    lam = float(_check_range("lumbar_lordosis_deg", lumbar_lordosis_deg, LORDOSIS_RANGE_DEG))
    p = muscle_parameters(muscle)
    mt = musculotendon_length(muscle, hip, lam)
    arm = moment_arm(muscle, hip, lam)
    fibre, cos_a = _fibre(muscle, mt)
    fibre, cos_a = float(fibre), float(cos_a)
    lm = fibre / p.optimal_fibre_length
    fa = active_force_length(lm, curves)
    fp = passive_force_length(lm, curves)
    return MuscleState(
        muscle=muscle, hip_flexion_deg=hip, lumbar_lordosis_deg=lam, activation=act,
        curves=curves, musculotendon_length=mt, moment_arm=arm, fibre_length=fibre,
        normalized_fibre_length=lm, pennation_deg=math.degrees(math.acos(min(cos_a, 1.0))),
        active_multiplier=fa, passive_multiplier=fp,
        active_force=act * fa * p.max_isometric_force * cos_a,
        passive_force=fp * p.max_isometric_force * cos_a, parameters=p)


def hip_flexion_moment(muscle: str, hip_flexion_deg: float,
                       lumbar_lordosis_deg: float = NEUTRAL_LORDOSIS_DEG,
                       activation: float = 1.0, curves: str = "thelen2003") -> float:
    """Hip flexion moment (N m) the muscle produces: (active + passive force) x moment arm."""
    return muscle_state(muscle, hip_flexion_deg, lumbar_lordosis_deg, activation,
                        curves).hip_flexion_moment


# --------------------------------------------------------------------------------------------
# Fatigue: Xia & Frey Law 2008 three-compartment model
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FatigueParameters:
    """Rates of the three-compartment fatigue model.

    Attributes
    ----------
    F : float
        Fatigue rate, 1/s (active -> fatigued).
    R : float
        Recovery rate, 1/s (fatigued -> resting).
    LD, LR : float
        Controller gains for recruiting and relaxing motor units, 1/s.
    label : str
        Plain-language name.
    source : str
        Where the numbers come from, and how sure we are.
    """

    F: float
    R: float
    LD: float
    LR: float
    label: str
    source: str


_FREY_LAW_NOTE = (
    "Frey-Law et al. 2012 fitted F and R to endurance times of six joints (not the hip). Their "
    "abstract gives the ends of the fitted range, F 0.00589 to 0.0182 /s and R 0.00058 to "
    "0.00168 /s, naming the ankle and shoulder; the course pairs them as ankle (F 0.00589, "
    "R 0.00058) and shoulder (F 0.0182, R 0.00168) but could not check that pairing against "
    "the paper's table. LD = LR = 10 /s follow common implementations of Xia & Frey Law 2008 "
    "(not confirmed in the paper); they only set how fast effort follows the target. No F and "
    "R have been published for the hip flexors or the psoas.")

#: Fatigue parameter sets the course offers (both from the published range; see ``source``).
FATIGUE_PARAMETERS = MappingProxyType({
    "ankle": FatigueParameters(0.00589, 0.00058, 10.0, 10.0,
                               "slow to tire (ankle values)", _FREY_LAW_NOTE),
    "shoulder": FatigueParameters(0.0182, 0.00168, 10.0, 10.0,
                                  "quick to tire (shoulder values)", _FREY_LAW_NOTE),
})


def _fatigue_params(parameters) -> FatigueParameters:
    if isinstance(parameters, FatigueParameters):
        return parameters
    if parameters not in FATIGUE_PARAMETERS:
        raise ValueError(f"fatigue parameters {parameters!r} are not known; expected one of "
                         f"{tuple(FATIGUE_PARAMETERS)} or a FatigueParameters")
    return FATIGUE_PARAMETERS[parameters]


@dataclass(frozen=True)
class FatigueRun:
    """A simulated hold (and rest) in the three-compartment model.

    Attributes
    ----------
    time : numpy.ndarray
        Seconds.
    active, resting, fatigued : numpy.ndarray
        Fractions of the motor-unit pool in each compartment (they sum to 1).
    target : numpy.ndarray
        The effort asked for (fraction of fresh maximum) at each time.
    hold_s, rest_s : float
        Length of the hold and of the rest after it.
    """

    time: np.ndarray
    active: np.ndarray
    resting: np.ndarray
    fatigued: np.ndarray
    target: np.ndarray
    hold_s: float
    rest_s: float

    @property
    def capacity(self) -> np.ndarray:
        """Force capacity: the fraction of fresh maximum force still available (1 - fatigued)."""
        return self.active + self.resting

    @property
    def failure_s(self) -> float | None:
        """First time in the hold at which capacity fell below the target, or None."""
        fail = (self.capacity < self.target - 1e-9) & (self.time <= self.hold_s)
        return float(self.time[np.argmax(fail)]) if fail.any() else None


def simulate_fatigue(effort: float, hold_s: float, rest_s: float = 0.0,
                     parameters="ankle", dt: float = 0.1) -> FatigueRun:
    """Simulate holding a steady effort, then resting, with Xia & Frey Law 2008's model.

    Compartments: active (M_A), resting (M_R), fatigued (M_F), fractions of the motor-unit
    pool. dM_A/dt = C - F M_A; dM_F/dt = F M_A - R M_F; dM_R/dt = -C + R M_F. The controller C
    recruits resting units (gain LD) until M_A meets the target, or relaxes active ones (gain
    LR) when M_A exceeds it; when too few resting units are left it recruits all of them.

    Parameters
    ----------
    effort : float
        Target load during the hold, fraction of the fresh maximum (0 to 1).
    hold_s, rest_s : float
        Seconds of holding, then of rest (target 0). Each 0 to 7200.
    parameters : str or FatigueParameters
        ``"ankle"`` (slow to tire, default), ``"shoulder"`` (quick to tire), or your own.
    dt : float
        Time step, s (explicit Euler; LD*dt must stay below 2 for stability).

    Returns
    -------
    FatigueRun
    """
    p = _fatigue_params(parameters)
    effort = float(_check_range("effort", effort, (0.0, 1.0), unit="(fraction of maximum)"))
    hold_s = float(_check_range("hold_s", hold_s, (0.0, 7200.0), unit="seconds"))
    rest_s = float(_check_range("rest_s", rest_s, (0.0, 7200.0), unit="seconds"))
    if not 0 < dt * max(p.LD, p.LR) < 2:
        raise ValueError(f"dt={dt!r} is unstable for gains LD={p.LD}, LR={p.LR}; "
                         f"expected 0 < dt < {2 / max(p.LD, p.LR):g}")
    n_hold = round(hold_s / dt)
    n = n_hold + round(rest_s / dt) + 1
    time = np.arange(n) * dt
    target = np.where(np.arange(n) < n_hold, effort, 0.0)
    ma, mr, mf = np.zeros(n), np.ones(n), np.zeros(n)
    a, r, f = 0.0, 1.0, 0.0
    for i in range(n):
        ma[i], mr[i], mf[i] = a, r, f
        tl = target[i]
        # Recruit resting units towards the target (all that are left, if too few), or relax.
        c = p.LD * min(tl - a, r) if a < tl else p.LR * (tl - a)
        da = c - p.F * a
        df = p.F * a - p.R * f
        a, f = a + dt * da, f + dt * df
        r = 1.0 - a - f
    return FatigueRun(time, ma, mr, mf, target, n_hold * dt, (n - 1 - n_hold) * dt)


def capacity_after(effort: float, hold_s: float, rest_s: float = 0.0,
                   parameters="ankle") -> float:
    """Force capacity (fraction of fresh maximum) at the end of a hold and rest."""
    return float(simulate_fatigue(effort, hold_s, rest_s, parameters).capacity[-1])


def endurance_time(effort: float, parameters="ankle", limit_s: float = 7200.0) -> float:
    """Seconds a steady effort can be held before capacity drops below it.

    Returns ``math.inf`` when the model never fails at that effort (capacity settles above it:
    effort < R / (F + R)), or when failure comes after ``limit_s``.
    """
    p = _fatigue_params(parameters)
    effort = float(_check_range("effort", effort, (0.0, 1.0), unit="(fraction of maximum)"))
    if effort <= p.R / (p.F + p.R):
        return math.inf
    fail = simulate_fatigue(effort, limit_s, 0.0, p).failure_s
    return math.inf if fail is None else fail


# --------------------------------------------------------------------------------------------
# Tight, short, weak, exhausted
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pose:
    """A body position, as the model's two angles (illustrative settings, not measurements)."""

    name: str
    hip_flexion_deg: float
    lumbar_lordosis_deg: float
    description: str


#: The four poses of the "four words" widget. The angles are the course's illustrative settings.
POSES = MappingProxyType({
    "standing": Pose("standing", 0.0, 0.0, "standing upright: hip straight, neutral low back"),
    "sitting": Pose("sitting", 90.0, -20.0,
                    "sitting on a chair: hip bent to a right angle, low back flatter"),
    "lunging": Pose("lunging", -20.0, 10.0,
                    "the back leg of a lunge: hip extended, low back a little more arched"),
    "lying with knees bent": Pose("lying with knees bent", 45.0, -10.0,
                                  "lying on the back, knees bent, feet on the floor: hip half "
                                  "bent, low back flatter"),
})


@dataclass(frozen=True)
class FourWords:
    """The four words as four numbers, for one muscle in one pose.

    Attributes
    ----------
    tight_passive_force : float
        *Tight*: passive (unstimulated) force along the tendon in this pose, N.
    short_fibre_length : float
        *Short*: fibre length in this pose, m; see ``short_fraction``.
    short_fraction : float
        Fibre length as a fraction of the optimal fibre length.
    weak_force_available : float
        *Weak*: active force available at full effort in this pose, fresh muscle, N.
    weak_moment_available : float
        The hip flexion moment that force makes, N m.
    exhausted_capacity : float
        *Exhausted*: fraction of the fresh maximum still available after the hold.
    exhausted_force_available : float
        Force available after the hold, N (capacity x weak_force_available).
    """

    pose: Pose
    muscle: str
    effort: float
    hold_s: float
    fatigue: str
    tight_passive_force: float
    short_fibre_length: float
    short_fraction: float
    weak_force_available: float
    weak_moment_available: float
    exhausted_capacity: float
    exhausted_force_available: float


def four_words(pose="standing", muscle: str = "psoas", effort: float = 0.2,
               hold_s: float = 300.0, fatigue: str = "ankle") -> FourWords:
    """Turn "tight, short, weak, exhausted" into four numbers for one pose.

    Parameters
    ----------
    pose : str or Pose
        A key of :data:`POSES` or your own :class:`Pose`.
    muscle : {"psoas", "iliacus"}
    effort : float
        Effort held for the *exhausted* number, fraction of the fresh maximum (0 to 1).
    hold_s : float
        How long that effort is held, seconds.
    fatigue : str
        A key of :data:`FATIGUE_PARAMETERS`.

    Returns
    -------
    FourWords
    """
    if isinstance(pose, str):
        if pose not in POSES:
            raise ValueError(f"pose={pose!r} is not known; expected one of {tuple(POSES)}")
        pose = POSES[pose]
    relaxed = muscle_state(muscle, pose.hip_flexion_deg, pose.lumbar_lordosis_deg, 0.0)
    full = muscle_state(muscle, pose.hip_flexion_deg, pose.lumbar_lordosis_deg, 1.0)
    capacity = capacity_after(effort, hold_s, 0.0, fatigue)
    return FourWords(
        pose=pose, muscle=muscle, effort=float(effort), hold_s=float(hold_s), fatigue=fatigue,
        tight_passive_force=relaxed.passive_force, short_fibre_length=full.fibre_length,
        short_fraction=full.normalized_fibre_length, weak_force_available=full.active_force,
        weak_moment_available=full.active_moment, exhausted_capacity=capacity,
        exhausted_force_available=capacity * full.active_force)
