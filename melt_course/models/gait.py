"""One measured walking trial, its gait events, and the psoas along it (lesson 2, gait).

The trial is OpenSim's example ``subject01_walk1`` (one adult walking over force plates):
joint angles from inverse kinematics and the vertical ground reaction force under each foot,
stored in ``data/walking_trial.json`` (schema ``walking_trial``) by
``scripts/opensim_reference.py``, which also computed, with OpenSim, psoas and iliacus length
and hip-flexion moment arm along the trial in gait2392 and Rajagopal 2016.

From the force under the right foot this module finds the right leg's gait events: **heel
strike** (the force rises through a threshold: the foot lands) and **toe-off** (it falls back:
the foot leaves). One gait cycle runs from a heel strike to the next one of the same foot:
**stance** while the foot is on the ground, **swing** while it travels forward. The course's own
model is evaluated along the trial too (:func:`gait_cycle`).

Everything here is one person's trial and model outputs: not a norm, and not a diagnosis.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from melt_course.content.loader import load_json
from melt_course.models import biomech

__all__ = ["GaitCycle", "GaitEvents", "WalkingTrial", "gait_cycle", "gait_events",
           "load_trial", "trial_provenance"]

#: Default force threshold for foot contact, N (a common choice of 10-50 N; the course's).
CONTACT_THRESHOLD_N = 20.0


@dataclass(frozen=True)
class WalkingTrial:
    """The measured trial (degrees, seconds, newtons) and OpenSim's psoas/iliacus numbers.

    ``models[model][muscle]["length" | "moment_arm"]`` are arrays along the trial (metres).
    Force arrays hold NaN where the force file has ended.
    """

    time_s: np.ndarray
    hip_flexion_deg: np.ndarray
    knee_flexion_deg: np.ndarray
    pelvis_tilt_deg: np.ndarray
    lumbar_extension_deg: np.ndarray
    grf_right_n: np.ndarray
    grf_left_n: np.ndarray
    models: dict


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _arr(values) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


@cache
def _raw() -> dict:
    return load_json("walking_trial.json", "walking_trial")


@cache
def load_trial() -> WalkingTrial:
    """The walking trial, validated against its schema."""
    d = _raw()
    models = {m: {mu: {k: _arr(v) for k, v in q.items()} for mu, q in per.items()}
              for m, per in d["models"].items()}
    return WalkingTrial(time_s=_arr(d["time_s"]), hip_flexion_deg=_arr(d["hip_flexion_deg"]),
                        knee_flexion_deg=_arr(d["knee_flexion_deg"]),
                        pelvis_tilt_deg=_arr(d["pelvis_tilt_deg"]),
                        lumbar_extension_deg=_arr(d["lumbar_extension_deg"]),
                        grf_right_n=_arr(d["grf_vertical_right_n"]),
                        grf_left_n=_arr(d["grf_vertical_left_n"]), models=models)


def trial_provenance() -> dict:
    """Source files, repository commit, OpenSim version and method of the stored trial."""
    d = _raw()
    return {**d["provenance"], "source_files": list(d["source_files"])}


@dataclass(frozen=True)
class GaitEvents:
    """Right-leg gait events found in the trial (seconds)."""

    heel_strikes: tuple[float, ...]
    toe_offs: tuple[float, ...]
    threshold_n: float

    @property
    def cycle(self) -> tuple[float, float, float]:
        """(heel strike, toe-off, next heel strike) of the first complete cycle."""
        for start, end in zip(self.heel_strikes, self.heel_strikes[1:], strict=False):
            offs = [t for t in self.toe_offs if start < t < end]
            if offs:
                return start, offs[0], end
        raise ValueError("the trial holds no complete right-leg gait cycle with a toe-off")


def _crossings(time, force, threshold, rising: bool) -> tuple[float, ...]:
    out = []
    for i in range(1, len(force)):
        a, b = force[i - 1], force[i]
        if not (np.isfinite(a) and np.isfinite(b)):
            continue
        if (rising and a < threshold <= b) or (not rising and a >= threshold > b):
            # Linear interpolation between the two frames.
            out.append(float(time[i - 1] + (threshold - a) / (b - a) * (time[i] - time[i - 1])))
    return tuple(out)


def gait_events(threshold_n: float = CONTACT_THRESHOLD_N) -> GaitEvents:
    """Heel strikes and toe-offs of the right foot from its vertical ground reaction force.

    Parameters
    ----------
    threshold_n : float
        Force (N) above which the foot counts as on the ground; 5 to 200.

    Raises
    ------
    ValueError
        For a threshold outside 5 to 200 N (named in the message).
    """
    try:
        thr = float(threshold_n)
    except (TypeError, ValueError):
        thr = float("nan")
    if not 5.0 <= thr <= 200.0:
        raise ValueError(f"threshold_n={_shown(threshold_n)} is outside 5 to 200 newtons")
    trial = load_trial()
    return GaitEvents(_crossings(trial.time_s, trial.grf_right_n, thr, True),
                      _crossings(trial.time_s, trial.grf_right_n, thr, False), thr)


@dataclass(frozen=True)
class GaitCycle:
    """One right-leg gait cycle resampled to percent of the cycle (0 = heel strike, 100 = next).

    Attributes
    ----------
    percent : numpy.ndarray
    toe_off_percent : float
        Where stance ends and swing begins.
    hip_flexion_deg, knee_flexion_deg, grf_right_n : numpy.ndarray
    psoas_length, psoas_moment_arm : dict
        Per model (``"course"``, ``"gait2392"``, ``"rajagopal2016"``), metres. The course's
        model is evaluated at the trial's hip angles with its neutral low back (the trial's
        lumbar angles are measured from gait2392's own zero, not the course's neutral curve).
    events : GaitEvents
    duration_s : float
    """

    percent: np.ndarray
    toe_off_percent: float
    hip_flexion_deg: np.ndarray
    knee_flexion_deg: np.ndarray
    grf_right_n: np.ndarray
    psoas_length: dict
    psoas_moment_arm: dict
    events: GaitEvents
    duration_s: float

    def at(self, percent: float) -> dict:
        """Values at one point of the cycle (linear interpolation); percent 0 to 100."""
        try:
            p = float(percent)
        except (TypeError, ValueError):
            p = float("nan")
        if not 0.0 <= p <= 100.0:
            raise ValueError(f"percent={_shown(percent)} is outside 0 to 100 (% of the "
                             "gait cycle)")

        def f(y):
            return float(np.interp(p, self.percent, y))

        return {"percent": p, "phase": "stance" if p < self.toe_off_percent else "swing",
                "hip_flexion_deg": f(self.hip_flexion_deg),
                "knee_flexion_deg": f(self.knee_flexion_deg),
                "grf_right_n": f(self.grf_right_n),
                "psoas_length": {k: f(v) for k, v in self.psoas_length.items()},
                "psoas_moment_arm": {k: f(v) for k, v in self.psoas_moment_arm.items()}}


@cache
def _cycle(points: int) -> GaitCycle:
    trial = load_trial()
    events = gait_events()
    start, toe_off, end = events.cycle
    percent = np.linspace(0.0, 100.0, points)
    t = start + percent / 100.0 * (end - start)

    def res(y):
        return np.interp(t, trial.time_s, y)

    hip = res(trial.hip_flexion_deg)
    lengths = {"course": biomech.musculotendon_length("psoas", hip)}
    arms = {"course": biomech.moment_arm("psoas", hip)}
    for model, per in trial.models.items():
        lengths[model] = res(per["psoas"]["length"])
        arms[model] = res(per["psoas"]["moment_arm"])
    return GaitCycle(percent=percent, toe_off_percent=100.0 * (toe_off - start) / (end - start),
                     hip_flexion_deg=hip, knee_flexion_deg=res(trial.knee_flexion_deg),
                     grf_right_n=res(np.nan_to_num(trial.grf_right_n)), psoas_length=lengths,
                     psoas_moment_arm=arms, events=events, duration_s=end - start)


def gait_cycle(points: int = 101) -> GaitCycle:
    """The first complete right-leg gait cycle of the trial, resampled to ``points`` points.

    Raises
    ------
    ValueError
        For ``points`` outside 11 to 1001.
    """
    if not isinstance(points, int) or not 11 <= points <= 1001:
        raise ValueError(f"points={_shown(points)} must be a whole number from 11 to 1001")
    return _cycle(points)
