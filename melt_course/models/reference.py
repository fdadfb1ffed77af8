"""Hip-flexor numbers from two published OpenSim models, computed with OpenSim itself.

The data (``data/opensim_reference.json``, schema ``opensim_reference``) were written by
``scripts/opensim_reference.py`` with the OpenSim 4.6 API from the model files of
opensim-org/opensim-models (commit 20a888b): gait2392 (Delp et al. 1990 paths, Thelen 2003
muscles) and Rajagopal et al. 2016. For psoas, iliacus, rectus femoris, sartorius and TFL of the
right leg they hold, from -30 to 120 degrees of hip flexion in 1-degree steps, with the knee
straight (0) and bent to 90 degrees:

* musculotendon length and hip-flexion moment arm (metres);
* at full activation and zero speed, OpenSim's own fibre-tendon equilibrium: normalised fibre
  length and the force along the tendon (active and passive parts), with each model's tendons
  as published (gait2392's compliant, most of Rajagopal's rigid);
* each muscle's maximum isometric force, optimal fibre length, tendon slack length and pennation.

This module only reads and interpolates those numbers (linearly in hip angle); it never needs
OpenSim. Everything it returns is a *model* output: two published pictures of a typical adult,
not a measurement of anybody.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from types import MappingProxyType

import numpy as np

from melt_course.content.loader import load_json

__all__ = [
    "REFERENCE_KNEE_DEG", "REFERENCE_MODELS", "REFERENCE_MUSCLES", "FlexorMoment",
    "ReferenceParameters", "available_moment", "flexor_moments", "reference_curve",
    "reference_equilibrium", "reference_hip_range", "reference_length", "reference_moment_arm",
    "reference_parameters", "reference_provenance", "strongest_flexor",
]

#: The published models the course compares itself with.
REFERENCE_MODELS = ("gait2392", "rajagopal2016")
#: The hip flexors stored for each model.
REFERENCE_MUSCLES = ("psoas", "iliacus", "rectus_femoris", "sartorius", "tfl")
#: Knee flexion angles (degrees) at which the curves were computed.
REFERENCE_KNEE_DEG = (0.0, 90.0)

#: Plain names for the muscles and models.
MUSCLE_NAMES = MappingProxyType({
    "psoas": "psoas major", "iliacus": "iliacus", "iliopsoas": "iliopsoas (psoas + iliacus)",
    "rectus_femoris": "rectus femoris", "sartorius": "sartorius",
    "tfl": "tensor fasciae latae (TFL)"})
MODEL_NAMES = MappingProxyType({"gait2392": "gait2392 (Delp 1990)",
                                "rajagopal2016": "Rajagopal 2016"})

_MAX_SHOWN = 60


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN - 3] + "..."


@cache
def _data() -> dict:
    return load_json("opensim_reference.json", "opensim_reference")


def _check_model(model) -> str:
    if not isinstance(model, str) or model not in REFERENCE_MODELS:
        raise ValueError(f"model={_short(model)} is not a reference model; expected one of "
                         f"{REFERENCE_MODELS}")
    return model


def _check_muscle(muscle, allowed=REFERENCE_MUSCLES) -> str:
    if not isinstance(muscle, str) or muscle not in allowed:
        raise ValueError(f"muscle={_short(muscle)} is not stored; expected one of {allowed}")
    return muscle


def reference_hip_range() -> tuple[float, float]:
    """Hip flexion range (degrees) the stored curves cover: (-30, 120)."""
    hip = _data()["hip_flexion_deg"]
    return float(hip[0]), float(hip[-1])


def _check_hip(hip_flexion_deg):
    lo, hi = reference_hip_range()
    expected = f"expected degrees of hip flexion from {lo:g} to {hi:g}"
    try:
        if hip_flexion_deg is None or isinstance(hip_flexion_deg, (str, bytes)):
            raise TypeError
        arr = np.asarray(hip_flexion_deg, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"hip_flexion_deg={_short(hip_flexion_deg)} is not a number; "
                         f"{expected}") from None
    bad = ~np.isfinite(arr) | (arr < lo) | (arr > hi)
    if np.any(bad):
        value = float(arr[bad].flat[0]) if arr.ndim else float(arr)
        what = "is not a number" if np.isnan(value) else "is outside the stored range"
        raise ValueError(f"hip_flexion_deg={value!r} {what}; {expected}")
    return arr


def _check_knee(knee_flexion_deg) -> str:
    try:
        knee = float(knee_flexion_deg)
    except (TypeError, ValueError):
        knee = None
    if knee is None or knee not in REFERENCE_KNEE_DEG:
        raise ValueError(f"knee_flexion_deg={_short(knee_flexion_deg)} was not computed; "
                         f"expected one of {tuple(int(k) for k in REFERENCE_KNEE_DEG)} "
                         "(knee straight or bent to a right angle)")
    return str(int(knee))


def reference_curve(model: str, muscle: str, quantity: str, knee_flexion_deg=0):
    """The stored curve of one quantity over the hip range.

    Parameters
    ----------
    model : {"gait2392", "rajagopal2016"}
    muscle : {"psoas", "iliacus", "rectus_femoris", "sartorius", "tfl"}
    quantity : str
        ``"length"``, ``"moment_arm"`` (m), ``"normalized_fibre_length"``, ``"tendon_force"``,
        ``"active_fibre_force_along_tendon"`` or ``"passive_fibre_force_along_tendon"`` (N).
    knee_flexion_deg : {0, 90}

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Hip flexion angles (degrees) and values (NaN where OpenSim found no equilibrium).
    """
    _check_model(model)
    _check_muscle(muscle)
    knee = _check_knee(knee_flexion_deg)
    curves = _data()["models"][model]["muscles"][muscle]["curves"][knee]
    if quantity not in curves:
        raise ValueError(f"quantity={_short(quantity)} is not stored; expected one of "
                         f"{tuple(curves)}")
    values = np.array([np.nan if v is None else v for v in curves[quantity]], dtype=float)
    return np.asarray(_data()["hip_flexion_deg"], dtype=float), values


def _interp(model, muscle, quantity, hip_flexion_deg, knee_flexion_deg):
    hip = _check_hip(hip_flexion_deg)
    grid, values = reference_curve(model, muscle, quantity, knee_flexion_deg)
    out = np.interp(hip, grid, values)
    return float(out) if np.ndim(out) == 0 else out


def reference_length(model: str, muscle: str, hip_flexion_deg, knee_flexion_deg=0):
    """Musculotendon length of a hip flexor in a published model, metres (OpenSim-computed).

    Parameters
    ----------
    model : {"gait2392", "rajagopal2016"}
    muscle : {"psoas", "iliacus", "rectus_femoris", "sartorius", "tfl"}
    hip_flexion_deg : float or array_like
        Hip flexion, degrees, -30 (extension) to 120; interpolated linearly between the stored
        1-degree steps.
    knee_flexion_deg : {0, 90}, optional
        Knee straight (default) or bent to 90 degrees (matters for rectus femoris, sartorius
        and TFL, which cross the knee).

    Returns
    -------
    float or numpy.ndarray

    Raises
    ------
    ValueError
        For an unknown model or muscle, a hip angle outside -30 to 120, or a knee angle that was
        not computed; the message names the value.
    """
    return _interp(model, muscle, "length", hip_flexion_deg, knee_flexion_deg)


def reference_moment_arm(model: str, muscle: str, hip_flexion_deg, knee_flexion_deg=0):
    """Hip-flexion moment arm of a hip flexor in a published model, metres (OpenSim-computed).

    Positive means the muscle flexes the hip. Parameters, returns and errors as for
    :func:`reference_length`.
    """
    return _interp(model, muscle, "moment_arm", hip_flexion_deg, knee_flexion_deg)


def reference_equilibrium(model: str, muscle: str, hip_flexion_deg, knee_flexion_deg=0) -> dict:
    """OpenSim's fibre-tendon equilibrium at full activation in one posture.

    Returns
    -------
    dict
        ``normalized_fibre_length`` (fibre length / optimal fibre length), ``tendon_force``,
        ``active_fibre_force_along_tendon`` and ``passive_fibre_force_along_tendon`` (N).
    """
    keys = ("normalized_fibre_length", "tendon_force", "active_fibre_force_along_tendon",
            "passive_fibre_force_along_tendon")
    return {k: _interp(model, muscle, k, hip_flexion_deg, knee_flexion_deg) for k in keys}


@dataclass(frozen=True)
class ReferenceParameters:
    """A muscle's parameters in a published model, read from the model file by OpenSim."""

    model: str
    muscle: str
    opensim_name: str
    opensim_class: str
    max_isometric_force: float
    optimal_fibre_length: float
    tendon_slack_length: float
    pennation_deg: float
    compliant_tendon: bool


def reference_parameters(model: str, muscle: str) -> ReferenceParameters:
    """Max isometric force (N), optimal fibre and tendon slack length (m), pennation (deg)."""
    _check_model(model)
    _check_muscle(muscle)
    m = _data()["models"][model]["muscles"][muscle]
    return ReferenceParameters(model=model, muscle=muscle, opensim_name=m["opensim_name"],
                               opensim_class=m["opensim_class"],
                               max_isometric_force=m["max_isometric_force"],
                               optimal_fibre_length=m["optimal_fibre_length"],
                               tendon_slack_length=m["tendon_slack_length"],
                               pennation_deg=m["pennation_deg"],
                               compliant_tendon=m["compliant_tendon"])


def reference_provenance() -> dict:
    """Where the numbers come from: source repository and commit, OpenSim version, method,
    and per model its file and bibliography keys."""
    d = _data()
    out = dict(d["provenance"])
    out["models"] = {k: {"file": v["file"], "path_in_source": v["path_in_source"],
                         "refs": list(v["refs"])} for k, v in d["models"].items()}
    return out


# --------------------------------------------------------------------------------------------
# Which hip flexor is strongest?
# --------------------------------------------------------------------------------------------

#: The rows of the hip-flexor comparison: stored muscles plus iliopsoas (psoas + iliacus).
FLEXORS = ("psoas", "iliacus", "iliopsoas", "rectus_femoris", "sartorius", "tfl")


def available_moment(model: str, muscle: str, hip_flexion_deg, knee_flexion_deg=0,
                     include_passive: bool = False):
    """Hip-flexion moment a muscle can make at full effort, N m (model).

    Active force along the tendon at full activation (OpenSim's equilibrium: maximum force x
    force-length factor at that angle x cos pennation) times the hip-flexion moment arm. With
    ``include_passive`` the passive force is added. ``muscle="iliopsoas"`` sums psoas and
    iliacus. Parameters and errors as for :func:`reference_length`.
    """
    _check_muscle(muscle, FLEXORS)
    if muscle == "iliopsoas":
        return (available_moment(model, "psoas", hip_flexion_deg, knee_flexion_deg,
                                 include_passive)
                + available_moment(model, "iliacus", hip_flexion_deg, knee_flexion_deg,
                                   include_passive))
    force = _interp(model, muscle, "active_fibre_force_along_tendon", hip_flexion_deg,
                    knee_flexion_deg)
    if include_passive:
        force = force + _interp(model, muscle, "passive_fibre_force_along_tendon",
                                hip_flexion_deg, knee_flexion_deg)
    return force * reference_moment_arm(model, muscle, hip_flexion_deg, knee_flexion_deg)


@dataclass(frozen=True)
class FlexorMoment:
    """One row of the hip-flexor comparison (one model, muscle and posture)."""

    model: str
    muscle: str
    hip_flexion_deg: float
    knee_flexion_deg: float
    active_force: float
    moment_arm: float
    normalized_fibre_length: float
    moment: float


def flexor_moments(model: str, hip_flexion_deg: float, knee_flexion_deg=0,
                   muscles=FLEXORS) -> list[FlexorMoment]:
    """Available hip-flexion moment of each hip flexor in one posture, strongest first.

    For iliopsoas, force is the sum of both muscles, the moment arm their force-weighted
    mean and the fibre length NaN (two muscles). A diagram asks for the same posture several
    times per slider move (picture, description, table): the rows of the last
    :data:`_REMEMBERED` postures are kept, keyed by model, hip, knee and muscles.
    """
    _check_model(model)
    hip = float(_check_hip(hip_flexion_deg))
    _check_knee(knee_flexion_deg)
    if isinstance(muscles, str):
        muscles = (muscles,)
    muscles = tuple(muscles)
    for m in muscles:
        _check_muscle(m, FLEXORS)
    return list(_flexor_rows(model, hip, float(knee_flexion_deg), muscles))


#: How many postures :func:`flexor_moments` remembers (2 models x 2 knees x 31 hip steps).
_REMEMBERED = 256


@lru_cache(maxsize=_REMEMBERED)
def _flexor_rows(model: str, hip: float, knee: float,
                 muscles: tuple[str, ...]) -> tuple[FlexorMoment, ...]:
    rows = []
    for m in muscles:
        if m == "iliopsoas":
            parts = [_flexor_rows(model, hip, knee, (p,))[0] for p in ("psoas", "iliacus")]
            force = sum(p.active_force for p in parts)
            moment = sum(p.moment for p in parts)
            rows.append(FlexorMoment(model, m, hip, knee, force,
                                     moment / force if force else float("nan"), float("nan"),
                                     moment))
            continue
        force = _interp(model, m, "active_fibre_force_along_tendon", hip, knee)
        arm = reference_moment_arm(model, m, hip, knee)
        lm = _interp(model, m, "normalized_fibre_length", hip, knee)
        rows.append(FlexorMoment(model, m, hip, knee, force, arm, lm, force * arm))
    return tuple(sorted(rows, key=lambda r: -r.moment))


def strongest_flexor(model: str, hip_flexion_deg: float, knee_flexion_deg=0,
                     single_muscles_only: bool = True) -> str:
    """The muscle with the largest available hip-flexion moment in that posture (model).

    With ``single_muscles_only`` (default) iliopsoas is left out, so psoas competes with
    iliacus and rectus femoris as a muscle of its own.
    """
    muscles = tuple(m for m in FLEXORS if not (single_muscles_only and m == "iliopsoas"))
    return flexor_moments(model, hip_flexion_deg, knee_flexion_deg, muscles)[0].muscle
