"""How short are psoas fibres in sitting? The answer's dependence on the model's assumptions.

The course's model, run with gait2392's psoas (10 cm fibres, a tendon that does not stretch),
puts the fibres at about a third of their optimal length when the hip is bent to 90 degrees.
That number is not a finding about people: it follows from three assumptions, and changes when
they change. This module computes psoas fibre length (as a multiple of the optimal length)
across the hip range for five *scenarios*:

* the course's path with gait2392's fibres and a rigid tendon (the course's default);
* gait2392 itself, in OpenSim (its tendon stretches under load: compliant);
* the course's path with Rajagopal 2016's fibres (11.69 cm);
* the course's path with 13.8 cm fibres (one dissection study in the course notes);
* Rajagopal 2016 itself, in OpenSim (its own path, longer fibres that sit on the long side
  of optimal when standing).

For the course-path scenarios with other fibre lengths the tendon is set so that the fibres
sit where the course's default puts them in standing (the course's choice: only fibre length
changes). Pennation is handled as in :mod:`melt_course.models.biomech` (constant thickness).

:data:`TRUST_LIMIT` is the course's line below which the force-length curves are taken to be
extrapolating (neither Thelen's nor De Groote's curve was fitted to fibres that short).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache, lru_cache
from numbers import Real
from types import MappingProxyType

import numpy as np

from melt_course.models import biomech
from melt_course.models import reference as ref

__all__ = ["SCENARIOS", "TRUST_LIMIT", "Scenario", "fibre_length_scenarios",
           "normalized_fibre_length"]

#: Below this many optimal lengths the course treats the force-length curves as extrapolating.
TRUST_LIMIT = 0.5


@dataclass(frozen=True)
class Scenario:
    """One set of assumptions for psoas fibre length.

    Attributes
    ----------
    key, name : str
        Identifier and plain-language name.
    source : str
        ``"course"`` (the course's path, computed here) or ``"opensim"`` (stored OpenSim
        equilibrium of a published model).
    optimal_fibre_length : float
        Metres.
    tendon : str
        ``"rigid"`` or ``"compliant"``.
    refs : tuple of str
        Bibliography keys.
    """

    key: str
    name: str
    source: str
    optimal_fibre_length: float
    tendon: str
    refs: tuple[str, ...]
    model: str | None = None
    pennation_deg: float = 8.0


_G = biomech.PUBLISHED_PARAMETERS["gait2392"]["psoas"]
_R = biomech.PUBLISHED_PARAMETERS["rajagopal2016"]["psoas"]

#: The five scenarios, in the order the figure draws them.
SCENARIOS = MappingProxyType({
    "course": Scenario("course", "course model, gait2392 fibres (10 cm), rigid tendon",
                       "course", _G.optimal_fibre_length, "rigid", ("delp1990",),
                       pennation_deg=_G.pennation_deg),
    "gait2392": Scenario("gait2392", "gait2392 in OpenSim (10 cm), compliant tendon",
                         "opensim", _G.optimal_fibre_length, "compliant",
                         ("delp1990", "opensim-models"), model="gait2392",
                         pennation_deg=_G.pennation_deg),
    "course_rajagopal_fibres": Scenario(
        "course_rajagopal_fibres", "course model with Rajagopal's fibres (11.7 cm)", "course",
        _R.optimal_fibre_length, "rigid", ("rajagopal2016",), pennation_deg=_R.pennation_deg),
    "course_long_fibres": Scenario(
        "course_long_fibres", "course model with 13.8 cm fibres (one dissection)", "course",
        0.138, "rigid", ("juntendo2022",), pennation_deg=_G.pennation_deg),
    "rajagopal2016": Scenario("rajagopal2016", "Rajagopal 2016 in OpenSim (11.7 cm, own path)",
                              "opensim", _R.optimal_fibre_length, "rigid",
                              ("rajagopal2016", "opensim-models"), model="rajagopal2016",
                              pennation_deg=_R.pennation_deg),
})


@cache
def _standing() -> tuple[biomech.MuscleParameters, float, float]:
    """The course's default psoas, its normalised fibre length and its musculotendon length
    in standing (fixed numbers of the model: computed once)."""
    default = biomech.muscle_parameters("psoas")
    standing = biomech.muscle_state("psoas", 0.0).normalized_fibre_length
    return default, standing, biomech.musculotendon_length("psoas", 0.0)


def _course_normalized(mt, optimal, pennation_deg):
    """Rigid-tendon fibre length / optimal on the course's path (``mt``: its musculotendon
    length at the hip angle), standing matched to the default."""
    default, standing, mt0 = _standing()
    height_default = default.optimal_fibre_length * math.sin(math.radians(default.pennation_deg))
    if optimal == default.optimal_fibre_length and pennation_deg == default.pennation_deg:
        slack = default.tendon_slack_length
        height = height_default
    else:
        height = optimal * math.sin(math.radians(pennation_deg))
        fibre0 = standing * optimal
        slack = mt0 - math.sqrt(max(fibre0**2 - height**2, 0.0))
    along = np.maximum(mt - slack, 0.0)
    return np.sqrt(along**2 + height**2) / optimal


def normalized_fibre_length(scenario: str, hip_flexion_deg):
    """Psoas fibre length as a multiple of its optimal length, in one scenario.

    Parameters
    ----------
    scenario : str
        A key of :data:`SCENARIOS`.
    hip_flexion_deg : float or array_like
        Degrees, -30 to 120 (neutral low back).

    Raises
    ------
    ValueError
        For an unknown scenario or an angle out of range (named in the message).
    """
    if not isinstance(scenario, str) or scenario not in SCENARIOS:
        shown = repr(scenario)[:40]
        raise ValueError(f"scenario={shown} is not known; expected one of {tuple(SCENARIOS)}")
    s = SCENARIOS[scenario]
    if s.source == "opensim":
        return ref.reference_equilibrium(s.model, "psoas", hip_flexion_deg)[
            "normalized_fibre_length"]
    hip = np.asarray(hip_flexion_deg, dtype=float)
    mt = biomech.musculotendon_length("psoas", hip)       # range check, named error
    out = _course_normalized(mt, s.optimal_fibre_length, s.pennation_deg)
    return float(out) if np.ndim(out) == 0 else out


def fibre_length_scenarios(hip_flexion_deg: float) -> list[tuple[Scenario, float]]:
    """Every scenario's normalised psoas fibre length at one hip angle, shortest first.

    A diagram asks for the same angle several times per slider move (its picture, its
    description, its table): the answers for the last :data:`_REMEMBERED` angles are kept,
    keyed by the angle (the scenarios and the models are fixed data).

    Raises
    ------
    ValueError
        For an angle that is not a number from -30 to 120 (named in the message).
    """
    hip = hip_flexion_deg
    if isinstance(hip, np.ndarray) and hip.ndim == 0:
        hip = hip.item()
    if isinstance(hip, bool) or not isinstance(hip, Real):
        raise ValueError(f"hip_flexion_deg={repr(hip_flexion_deg)[:40]} must be one number of "
                         "degrees, -30 to 120")
    return list(_scenarios_at(float(hip)))


#: How many hip angles :func:`fibre_length_scenarios` remembers (the sliders have 31).
_REMEMBERED = 64


@lru_cache(maxsize=_REMEMBERED)
def _scenarios_at(hip: float) -> tuple[tuple[Scenario, float], ...]:
    mt = biomech.musculotendon_length("psoas", hip)       # range check, named error
    rows = []
    for key, s in SCENARIOS.items():
        if s.source == "opensim":
            value = normalized_fibre_length(key, hip)
        else:
            value = _course_normalized(mt, s.optimal_fibre_length, s.pennation_deg)
        rows.append((s, float(value)))
    return tuple(sorted(rows, key=lambda r: r[1]))
