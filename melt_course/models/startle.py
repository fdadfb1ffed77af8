"""The startle reflex and the two stress systems, as data and small models (lesson 3).

Pure Python and numpy: no matplotlib, no widgets. Everything numeric comes from
``data/startle/startle.json`` (validated against ``schemas/startle.schema.json``), where each
muscle carries its onset after a loud sound at t = 0, the kind of evidence behind it and its
references. Where the sources give only a range or an order, the data store the range and say
so; nothing here adds precision the sources do not have.

Three things are computed from the data:

* :func:`startle_state` - for a time after the sound, which muscles have started, which are
  inside their uncertain onset window, the phase of the response, and a "curl" amount from 0 to
  1 per body segment for the body figure (a drawing model, labelled as such in the data);
* :func:`stress_levels` - an explicitly illustrative rise-and-fall shape for the fast adrenaline
  (SAM) response and the slower cortisol (HPA) response, on the time scales StatPearls names;
* :func:`load_claims` - the "known against claimed" table about the psoas and stress.

Bad input raises :class:`ValueError` naming the value and the valid range.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

import numpy as np

from melt_course.content.bibliography import resolve
from melt_course.content.loader import DataError, load_json, record, records

__all__ = [
    "PHASES",
    "AutonomicPhase",
    "Claim",
    "Muscle",
    "Onset",
    "Segment",
    "StartleData",
    "StartleState",
    "StressAxis",
    "StressModel",
    "activation",
    "check_time_ms",
    "check_time_s",
    "load_claims",
    "load_startle",
    "load_stress_model",
    "muscle",
    "muscle_ids",
    "onset_order",
    "phase_at",
    "segment_curl",
    "startle_state",
    "stress_levels",
]

_DATA = "startle/startle.json"
_CLAIMS = "startle_claims.json"

#: Phases of the response in time order, with a short plain-language description.
PHASES = MappingProxyType({
    "before": "the sound is on its way; no muscle has responded yet",
    "motor": "the motor startle: muscles switch on one after another",
    "pause": "the motor burst is over; the EMG is quiet",
    "autonomic": "the late, autonomic response (heart rate, skin conductance)",
})


@dataclass(frozen=True)
class Onset:
    """When a muscle starts after the sound, in ms.

    For a single value (``kind == "approx"``) ``min_ms == max_ms``; for a range the sources
    only bound the onset (``kind == "range"``).
    """

    kind: str
    min_ms: float
    max_ms: float

    @property
    def is_range(self) -> bool:
        """True when the sources give a window rather than one number."""
        return self.kind == "range"

    def text(self) -> str:
        """The onset as people read it: ``"about 30 ms"`` or ``"55-150 ms"``."""
        if self.is_range:
            return f"{self.min_ms:g}-{self.max_ms:g} ms"
        return f"about {self.min_ms:g} ms"


@dataclass(frozen=True)
class Muscle:
    """One muscle of the startle timeline, with its evidence."""

    id: str
    short_label: str
    name: str
    plain_name: str
    segment: str
    action: str
    onset: Onset
    order_group: int
    basis: str
    label: str
    refs: tuple[str, ...]
    source_says: str
    note: str | None = None


@dataclass(frozen=True)
class Segment:
    """A body part of the stick figure and the drawing scale of its movement."""

    id: str
    name: str
    movement: str
    pose_kind: str
    pose_max: float
    muscles: tuple[str, ...]


@dataclass(frozen=True)
class AutonomicPhase:
    """The late response: starts after the EMG pause, lasts up to ``end_min_ms``-``end_max_ms``."""

    name: str
    signals: tuple[str, ...]
    start_ms: float
    end_min_ms: float
    end_max_ms: float
    label: str
    refs: tuple[str, ...]
    source_says: str


@dataclass(frozen=True)
class StartleData:
    """The whole startle data file, validated and cross-checked."""

    stimulus: str
    time_max_ms: float
    motor_window_ms: tuple[float, float]
    quiet_gap_ms: tuple[float, float]
    autonomic: AutonomicPhase
    curl_rise_ms: float
    muscles: tuple[Muscle, ...]
    segments: tuple[Segment, ...]
    pattern_refs: tuple[str, ...]
    pattern_text: str
    curl_model_text: str
    window_refs: tuple[str, ...]


@dataclass(frozen=True)
class StartleState:
    """What the startle looks like at one moment.

    Attributes
    ----------
    t_ms : float
        Time after the sound, ms.
    phase : str
        One of :data:`PHASES`.
    started : tuple of str
        Muscles whose onset has passed in every cited recording (for a range: past its end).
    in_window : tuple of str
        Muscles inside their uncertain onset window: they may or may not have started.
    waiting : tuple of str
        Muscles that have not started yet.
    curl : Mapping of str to float
        Per body segment, 0 (at rest) to 1 (full drawn curl).
    """

    t_ms: float
    phase: str
    started: tuple[str, ...]
    in_window: tuple[str, ...]
    waiting: tuple[str, ...]
    curl: Mapping[str, float]


@dataclass(frozen=True)
class StressAxis:
    """One stress system of the illustrative hormone model."""

    id: str
    name: str
    short: str
    messengers: tuple[str, ...]
    time_scale: str
    rise_s: float
    fall_s: float

    @property
    def peak_time_s(self) -> float:
        """Time of the curve's peak, s (analytic, for the rise-and-fall shape)."""
        r, f = self.rise_s, self.fall_s
        return math.log(f / r) * r * f / (f - r)

    def level(self, t_s) -> np.ndarray:
        """The shape's height (peak = 1) at times ``t_s`` (s); 0 before the stressor."""
        t = np.asarray(t_s, dtype=float)
        raw = np.exp(-t / self.fall_s) - np.exp(-t / self.rise_s)
        tp = self.peak_time_s
        peak = math.exp(-tp / self.fall_s) - math.exp(-tp / self.rise_s)
        return np.where(t > 0, raw / peak, 0.0)


@dataclass(frozen=True)
class StressModel:
    """The two-axis illustrative model: its statement, references and axes."""

    statement: str
    refs: tuple[str, ...]
    axes: tuple[StressAxis, ...]
    time_max_s: float


@dataclass(frozen=True)
class Claim:
    """One row of the "known against claimed" table."""

    id: str
    claim: str
    who: str
    label: str
    claim_refs: tuple[str, ...]
    measured: str
    measured_refs: tuple[str, ...]
    why_not: str


# --------------------------------------------------------------------------- loading

def _onset(raw: dict) -> Onset:
    if raw["kind"] == "approx":
        return Onset("approx", float(raw["value"]), float(raw["value"]))
    return Onset("range", float(raw["min"]), float(raw["max"]))


def _check_startle(data: StartleData, source: str) -> None:
    """Cross-checks the schema cannot express; raise DataError naming the entry."""
    lo, hi = data.motor_window_ms
    if lo >= hi:
        raise DataError(source, f"window min {lo!r} must be below max {hi!r}",
                        field="motor_window_ms")
    q_lo, q_hi = data.quiet_gap_ms
    if not hi <= q_lo < q_hi:
        raise DataError(source, f"quiet gap {q_lo!r}-{q_hi!r} ms must follow the motor window "
                        f"(ends {hi!r} ms) and have min < max", field="quiet_gap_ms")
    auto = data.autonomic
    if not q_lo < auto.start_ms < auto.end_min_ms <= auto.end_max_ms <= data.time_max_ms:
        raise DataError(source, "autonomic phase must start after the quiet gap begins and end "
                        "(min <= max) within time_max_ms", field="autonomic_phase")
    seg_ids = [s.id for s in data.segments]   # ids unique and references resolved: records()
    for m in data.muscles:
        if m.segment not in seg_ids:
            raise DataError(source, f"segment {m.segment!r} is not one of {seg_ids}",
                            entry=m.id, field="segment")
        if m.onset.min_ms > m.onset.max_ms:
            raise DataError(source, "onset min is above max", entry=m.id, field="onset_ms")
        if m.onset.max_ms > hi or m.onset.min_ms < lo:
            raise DataError(source, f"onset {m.onset.text()} lies outside the motor window "
                            f"{lo:g}-{hi:g} ms", entry=m.id, field="onset_ms")
        if m.onset.is_range != (m.basis != "measured value"):
            raise DataError(source, f"basis {m.basis!r} does not match onset kind "
                            f"{m.onset.kind!r}", entry=m.id, field="basis")
    # A later order group never starts before an earlier group's earliest possible onset.
    for m in data.muscles:
        for other in data.muscles:
            if other.order_group < m.order_group and m.onset.min_ms < other.onset.min_ms:
                raise DataError(source, f"order group {m.order_group} starts before "
                                f"{other.id!r} (group {other.order_group})",
                                entry=m.id, field="order_group")
    for seg in data.segments:
        if not seg.muscles:
            raise DataError(source, "no muscle drives this segment", entry=seg.id)
    resolve(data.pattern_refs, f"{source}, pattern")
    resolve(data.window_refs, f"{source}, windows")


@cache
def load_startle() -> StartleData:
    """Load, validate and cross-check the startle data.

    Returns
    -------
    StartleData

    Raises
    ------
    DataError
        When the file breaks its schema, a reference does not resolve, a muscle names an
        unknown segment, an onset falls outside the motor window or the order groups
        contradict the onsets.
    """
    raw = load_json(_DATA, "startle")
    source = f"data/{_DATA}"
    muscles = records(Muscle, raw["muscles"], source, kind="muscle", build=lambda m, _: {
        "onset": _onset(m["onset_ms"])})
    segments = records(Segment, raw["segments"], source, kind="segment", build=lambda s, _: {
        "pose_kind": s["pose"]["kind"], "pose_max": float(s["pose"]["max"]),
        "muscles": tuple(m.id for m in muscles if m.segment == s["id"])})
    auto = raw["autonomic_phase"]
    data = StartleData(
        stimulus=raw["stimulus"], time_max_ms=float(raw["time_max_ms"]),
        motor_window_ms=(float(raw["motor_window_ms"]["min"]),
                         float(raw["motor_window_ms"]["max"])),
        quiet_gap_ms=(float(raw["quiet_gap_ms"]["min"]), float(raw["quiet_gap_ms"]["max"])),
        autonomic=record(AutonomicPhase, auto, f"{source}, autonomic_phase", refs=("refs",),
                         computed={"start_ms": float(auto["start_ms"]),
                                   "end_min_ms": float(auto["end_ms"]["min"]),
                                   "end_max_ms": float(auto["end_ms"]["max"])}),
        curl_rise_ms=float(raw["curl_rise_ms"]),
        muscles=muscles, segments=segments,
        pattern_refs=tuple(raw["pattern"]["refs"]), pattern_text=raw["pattern"]["source_says"],
        curl_model_text=raw["curl_model"]["statement"],
        window_refs=tuple(dict.fromkeys(raw["motor_window_ms"]["refs"]
                                        + raw["quiet_gap_ms"]["refs"])),
    )
    _check_startle(data, source)
    return data


@cache
def load_stress_model() -> StressModel:
    """Load the illustrative SAM/HPA model (a shape on stated time scales, not data).

    Raises
    ------
    DataError
        When the references do not resolve or the slow axis is not slower than the fast one.
    """
    raw = load_json(_DATA, "startle")["stress_response_model"]
    source = f"data/{_DATA}"
    axes = records(StressAxis, raw["axes"], f"{source}, stress_response_model", kind="axis",
                   build=lambda a, _: {"rise_s": float(a["rise_s"]), "fall_s": float(a["fall_s"])})
    for axis in axes:
        if axis.rise_s >= axis.fall_s:
            raise DataError(source, f"rise_s {axis.rise_s!r} must be shorter than fall_s "
                            f"{axis.fall_s!r}", entry=axis.id, field="stress_response_model")
    resolve(raw["refs"], f"{source}, stress_response_model")
    return StressModel(statement=raw["statement"], refs=tuple(raw["refs"]), axes=axes,
                       time_max_s=float(raw["time_max_s"]))


@cache
def load_claims() -> tuple[Claim, ...]:
    """Load the "known against claimed" rows, with every reference resolved.

    Raises
    ------
    DataError
        When the file breaks its schema, an id repeats or a reference does not resolve.
    """
    raw = load_json(_CLAIMS, "startle_claims")
    return records(Claim, raw["claims"], f"data/{_CLAIMS}", kind="claim",
                   refs=("claim_refs", "measured_refs"))


# --------------------------------------------------------------------------- checks

def _check_number(value, name: str, unit: str, upper: float) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name}={value!r} is not a number; expected a time in {unit} "
                         f"from 0 to {upper:g}")
    out = float(value)
    if not math.isfinite(out) or out < 0 or out > upper:
        raise ValueError(f"{name}={value!r} is outside the valid range 0 to {upper:g} {unit}")
    return out


def check_time_ms(t_ms) -> float:
    """Return ``t_ms`` as a float if it is a valid time after the sound.

    Raises
    ------
    ValueError
        For a non-number (including bool), NaN, a negative time or one beyond the data's
        ``time_max_ms`` (10 000 ms), naming the value and the valid range.
    """
    return _check_number(t_ms, "t_ms", "ms", load_startle().time_max_ms)


def check_time_s(t_s) -> float:
    """Return ``t_s`` as a float if it is a valid time for the stress-hormone model.

    Raises
    ------
    ValueError
        For a non-number, NaN, a negative time or one beyond the model's ``time_max_s``.
    """
    return _check_number(t_s, "t_s", "s", load_stress_model().time_max_s)


# --------------------------------------------------------------------------- startle model

def muscle_ids() -> tuple[str, ...]:
    """Ids of the timeline's muscles, in data (time) order."""
    return tuple(m.id for m in load_startle().muscles)


def muscle(muscle_id: str) -> Muscle:
    """Return one muscle by id.

    Raises
    ------
    ValueError
        Naming the unknown id and the valid ids.
    """
    for m in load_startle().muscles:
        if m.id == muscle_id:
            return m
    raise ValueError(f"unknown muscle {muscle_id!r}; expected one of {list(muscle_ids())}")


def onset_order() -> tuple[tuple[str, ...], ...]:
    """Muscles grouped by the order the sources support, earliest group first.

    Within a group the sources do not order the muscles (they start together, or only
    their shared window is known).
    """
    groups: dict[int, list[str]] = {}
    for m in load_startle().muscles:
        groups.setdefault(m.order_group, []).append(m.id)
    return tuple(tuple(groups[g]) for g in sorted(groups))


def activation(muscle_id: str, t_ms) -> float:
    """How far the drawn curl driven by one muscle has gone at ``t_ms``, 0 to 1 (model).

    For a single onset time the curl rises linearly over ``curl_rise_ms`` from the onset; for
    a window it rises across the whole window (plus the same rise), which shows that the onset
    lies somewhere in it. Never decreases with time.

    Raises
    ------
    ValueError
        For an unknown muscle or an invalid time.
    """
    m = muscle(muscle_id)
    t = check_time_ms(t_ms)
    return _activation(m, t, load_startle().curl_rise_ms)


def _activation(m: Muscle, t: float, rise: float) -> float:
    span = m.onset.max_ms - m.onset.min_ms + rise
    return min(1.0, max(0.0, (t - m.onset.min_ms) / span))


def segment_curl(t_ms) -> dict[str, float]:
    """Curl per body segment at ``t_ms`` (0 at rest, 1 full): the largest of its muscles'.

    Raises
    ------
    ValueError
        For an invalid time.
    """
    t = check_time_ms(t_ms)
    data = load_startle()
    by_id = {m.id: m for m in data.muscles}
    return {seg.id: max(_activation(by_id[mid], t, data.curl_rise_ms) for mid in seg.muscles)
            for seg in data.segments}


def phase_at(t_ms) -> str:
    """The phase of the response at ``t_ms``: a key of :data:`PHASES`.

    Raises
    ------
    ValueError
        For an invalid time.
    """
    t = check_time_ms(t_ms)
    data = load_startle()
    lo, hi = data.motor_window_ms
    if t < lo:
        return "before"
    if t <= hi:
        return "motor"
    if t < data.autonomic.start_ms:
        return "pause"
    return "autonomic"


def startle_state(t_ms) -> StartleState:
    """Everything the figures need at one time after the sound.

    Parameters
    ----------
    t_ms : float
        Milliseconds after the sound, 0 to 10 000.

    Returns
    -------
    StartleState

    Raises
    ------
    ValueError
        For a non-number, a negative time or one past 10 000 ms.

    Examples
    --------
    >>> startle_state(40).started
    ('orbicularis_oculi',)
    """
    t = check_time_ms(t_ms)
    data = load_startle()
    started, window, waiting = [], [], []
    for m in data.muscles:
        if t >= m.onset.max_ms:
            started.append(m.id)
        elif t >= m.onset.min_ms:
            window.append(m.id)
        else:
            waiting.append(m.id)
    return StartleState(t_ms=t, phase=phase_at(t), started=tuple(started),
                        in_window=tuple(window), waiting=tuple(waiting),
                        curl=MappingProxyType(segment_curl(t)))


# --------------------------------------------------------------------------- stress model

def stress_levels(t_s) -> dict[str, float | np.ndarray]:
    """The illustrative SAM (adrenaline) and HPA (cortisol) shapes at time(s) ``t_s``.

    A shape on the time scales StatPearls names (seconds; minutes to hours), not measured
    data: each curve peaks at 1 and the two heights are not comparable.

    Parameters
    ----------
    t_s : float or array of float
        Seconds after the stressor, 0 to the model's ``time_max_s`` (6 hours).

    Returns
    -------
    dict
        Axis id (``"sam"``, ``"hpa"``) -> level(s) from 0 to 1.

    Raises
    ------
    ValueError
        For a non-number, NaN, a negative time or one past ``time_max_s``.
    """
    model = load_stress_model()
    if np.ndim(t_s) == 0:
        t = check_time_s(t_s)
        return {axis.id: float(axis.level(t)) for axis in model.axes}
    arr = np.asarray(t_s)
    if arr.dtype.kind not in "iuf":
        raise ValueError(f"t_s={t_s!r} is not numeric; expected times in s from 0 to "
                         f"{model.time_max_s:g}")
    arr = arr.astype(float)
    bad = ~np.isfinite(arr) | (arr < 0) | (arr > model.time_max_s)
    if bad.any():
        raise ValueError(f"t_s contains {arr[bad][0]!r}, outside the valid range 0 to "
                         f"{model.time_max_s:g} s")
    return {axis.id: axis.level(arr) for axis in model.axes}
