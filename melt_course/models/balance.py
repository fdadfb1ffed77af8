"""Quiet standing as a delayed feedback loop on an inverted pendulum (pure numpy).

The model
---------
The body above the ankles is one rigid link (an inverted pendulum) of mass ``m``, centre of
mass ``h`` above the ankle and moment of inertia ``J`` about the ankle, standing on a force
plate. Gravity tips it over; the ankle torque ``T`` holds it up::

    J * theta'' = m * g * h * sin(theta) - T

The ankle torque has three parts:

* a steady (tonic) torque that holds a small forward lean, so the centre of pressure sits a
  few centimetres in front of the ankle;
* intrinsic stiffness and damping of the muscles and tendons, acting at once (optional);
* a neural proportional-derivative (PD) torque that acts on the *sensed* lean after a
  neural delay ``tau``: ``Kp * sensed_angle(t - tau) + Kd * sensed_velocity(t - tau)``.

The sensed lean is a weighted sum of three sensory channels (vision, vestibular, and the
foot soles: proprioception and touch), each adding its own slowly varying noise; the
weights sum to 1. With eyes closed the visual weight is 0 and the vestibular channel takes
the rest. A small motor noise is added to the torque.

``gain`` is the normalised proportional gain ``Kp / (m g h)``: above about 1 the feedback
is stiff enough to beat gravity; ``Kd = derivative_time * Kp``.

The same pendulum is run twice with independent noise: front-to-back (AP, over the length of
the feet) and side-to-side (ML, over the width of both feet). That gives a two-dimensional
centre-of-pressure (COP) trace and a sway area. Real side-to-side balance also uses the hips
(loading and unloading each leg); this model ignores that.

Forces on the plate (massless feet, ankle ``h_a`` above the ground):

* vertical ground reaction force ``Fv = (m + m_feet) * g + m * a_vertical``: standing still it
  equals body weight; it changes only while the centre of mass accelerates up or down;
* horizontal force ``Fh = m * a_horizontal``;
* centre of pressure (from the foot's moment balance) ``COP = (T - h_a * Fh) / Fv``.

The body *falls* (in this model: a step would be needed) when the COP the ankles ask for
leaves the foot (past the toes or heel, or past the outer edge of a foot) or the lean
exceeds :data:`ANGLE_LIMIT_DEG`.

Numerics: the dynamics are linearised about the lean (small angles: below the 15 degree
limit ``sin`` differs from the angle by at most 1.2%) and discretised exactly for a torque
held constant over each time step (zero-order hold). Because the neural torque only uses
states at least one delay old, a whole delay's worth of steps is advanced at once with one
matrix product, which makes a 30 s run take a few milliseconds. Noise is generated once per
seed (FFT-shaped Gaussian noise from a :class:`numpy.random.Generator`) and cached, so the
same seed always gives the same result.

Parameter sources: body mass, centre-of-mass height, inertia, intrinsic stiffness and
damping, and the derivative time are the default values of the independent-channel model
tabulated by Pasma et al. (2017); vestibular noise about ten times foot-sole noise follows
van der Kooij & Peterka (2011). The foot dimensions, lean, noise sizes and the vision share
are round illustrative values, labelled as such where they are defined.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from types import MappingProxyType
from typing import Any

import numpy as np

__all__ = [
    "ANGLE_LIMIT_DEG",
    "DEFAULT_BODY",
    "DELAY_RANGE",
    "GAIN_RANGE",
    "GRAVITY",
    "NOISE_DEG",
    "PUSH_RANGE",
    "BalanceResult",
    "Body",
    "LoopStability",
    "loop_stability",
    "sensory_weights",
    "simulate",
    "simulate_many",
    "simulate_shared",
    "sway_area_cm2",
    "vertical_grf",
]

#: Gravitational acceleration, m/s².
GRAVITY = 9.81

#: The body counts as fallen beyond this lean (degrees).
ANGLE_LIMIT_DEG = 15.0

#: Valid range of the normalised proportional gain Kp / (m g h).
GAIN_RANGE = (0.0, 4.0)

#: Valid range of the neural delay, seconds.
DELAY_RANGE = (0.05, 0.30)

#: Valid range of the run length, seconds.
DURATION_RANGE = (2.0, 120.0)

#: Valid range of the initial push (lean held before release), degrees.
PUSH_RANGE = (-5.0, 5.0)

#: Valid range of the time step, seconds.
DT_RANGE = (0.0005, 0.01)

#: Standard deviation of each sensory channel's noise, degrees of lean. Illustrative values,
#: chosen so that the default standing sway is a few square centimetres; the vestibular
#: channel is about ten times noisier than the foot soles, as van der Kooij & Peterka (2011)
#: estimated for graviceptive against proprioceptive noise.
NOISE_DEG = MappingProxyType({"vision": 0.1, "vestibular": 0.3, "foot": 0.03})

#: Share of the non-foot weight that goes to vision when the eyes are open (illustrative).
VISION_SHARE = 0.6

#: Motor noise added to the ankle torque, N·m standard deviation (illustrative).
MOTOR_NOISE_NM = 0.5

#: Noise is smoothed to below about this frequency, Hz (illustrative).
NOISE_CORNER_HZ = 0.5

#: Sway statistics ignore the first seconds while sway builds up from rest.
SETTLE_S = 2.0

#: Chi-square value with 2 degrees of freedom at 95%: the 95% ellipse scale.
_CHI2_95_2DOF = -2.0 * math.log(0.05)

_CHANNELS = ("vision", "vestibular", "foot")


@dataclass(frozen=True)
class Body:
    """Body and foot parameters of the model (SI units).

    The defaults: ``mass``, ``com_height``, ``inertia``, ``intrinsic_stiffness`` and
    ``intrinsic_damping`` are the default values tabulated by Pasma et al. (2017) for the
    independent-channel balance model. The rest are round illustrative values.

    Attributes
    ----------
    mass : float
        Body mass above the ankles (without the feet), kg.
    com_height : float
        Height of the centre of mass above the ankle joint, m.
    inertia : float
        Moment of inertia of the body about the ankle axis, kg·m².
    feet_mass : float
        Mass of both feet, kg (illustrative).
    ankle_height : float
        Height of the ankle joint above the ground, m (illustrative).
    heel : float
        Distance from the ankle back to the heel, m (illustrative).
    toe : float
        Distance from the ankle forward to the tip of the toes, m (illustrative).
    half_width : float
        Distance from the midline to the outer edge of each foot, feet hip-width apart, m
        (illustrative).
    foot_width : float
        Width of one foot, m (illustrative; used for drawing).
    lean_deg : float
        Forward lean held by the steady ankle torque, degrees (illustrative).
    intrinsic_stiffness : float
        Intrinsic ankle stiffness, N·m/rad.
    intrinsic_damping : float
        Intrinsic ankle damping, N·m·s/rad.
    """

    mass: float = 75.0
    com_height: float = 0.83
    inertia: float = 66.0
    feet_mass: float = 2.0
    ankle_height: float = 0.08
    heel: float = 0.05
    toe: float = 0.20
    half_width: float = 0.15
    foot_width: float = 0.09
    lean_deg: float = 2.5
    intrinsic_stiffness: float = 40.5
    intrinsic_damping: float = 68.8

    def __post_init__(self) -> None:
        positive = ("mass", "com_height", "inertia", "heel", "toe", "half_width",
                    "foot_width")
        for name in positive:
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and math.isfinite(value) and value > 0):
                raise ValueError(f"Body.{name}={value!r} must be a finite number above 0")
        for name in ("feet_mass", "ankle_height", "intrinsic_stiffness", "intrinsic_damping"):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and math.isfinite(value) and value >= 0):
                raise ValueError(f"Body.{name}={value!r} must be a finite number, 0 or more")
        if not -5.0 <= self.lean_deg <= 5.0:
            raise ValueError(f"Body.lean_deg={self.lean_deg!r} must be between -5 and 5 degrees")
        if self.inertia < self.mass * self.com_height**2 * 0.99:
            raise ValueError(f"Body.inertia={self.inertia!r} must be at least mass*com_height² "
                             f"({self.mass * self.com_height**2:.1f} kg·m²)")

    @property
    def weight(self) -> float:
        """Whole-body weight including the feet, N."""
        return (self.mass + self.feet_mass) * GRAVITY

    @property
    def mgh(self) -> float:
        """Gravity's toppling stiffness ``m g h``, N·m/rad."""
        return self.mass * GRAVITY * self.com_height


#: The model's default body.
DEFAULT_BODY = Body()


@dataclass(frozen=True)
class BalanceResult:
    """One simulated stand on the force plate.

    Arrays share the time axis ``t`` (seconds). After a fall the arrays end at the fall.

    Attributes
    ----------
    t : ndarray
        Time, s.
    angle_ap_deg, angle_ml_deg : ndarray
        Lean forward (+) / back, and to the right (+) / left, degrees.
    cop_ap, cop_ml : ndarray
        Centre of pressure, metres from the ankle (forward +) and from the midline (right +).
    grf : ndarray
        Vertical ground reaction force, N.
    torque_ap : ndarray
        Total front-back ankle torque, N·m (positive pulls the body back).
    fell : bool
        Whether the body fell (a step would have been needed).
    fall_time : float or None
        Time of the fall, s.
    fall_reason : str or None
        ``"toes"``, ``"heel"``, ``"side"`` (COP left the foot) or ``"angle"``.
    weights : dict
        Sensory weights used (vision, vestibular, foot); they sum to 1.
    params : dict
        The inputs of the run.
    body : Body
        The body parameters.
    duration : float
        The requested run length, s.
    """

    t: np.ndarray
    angle_ap_deg: np.ndarray
    angle_ml_deg: np.ndarray
    cop_ap: np.ndarray
    cop_ml: np.ndarray
    grf: np.ndarray
    torque_ap: np.ndarray
    fell: bool
    fall_time: float | None
    fall_reason: str | None
    weights: dict
    params: dict
    body: Body
    duration: float

    # The summaries are worked out once per result (a slider move asks for the sway area in
    # the picture's title, its alt text, its description and the read-out).
    @cached_property
    def sway_area_cm2(self) -> float:
        """Area of the 95% ellipse of the COP after the first 2 s, cm² (NaN if too short)."""
        keep = self.t >= SETTLE_S
        return sway_area_cm2(self.cop_ap[keep], self.cop_ml[keep])

    @cached_property
    def cop_range_cm(self) -> tuple[float, float]:
        """Front-back and side-to-side range of the COP after the first 2 s, cm."""
        keep = self.t >= SETTLE_S
        if keep.sum() < 2:
            return (math.nan, math.nan)
        ap, ml = self.cop_ap[keep], self.cop_ml[keep]
        return (float(np.ptp(ap) * 100), float(np.ptp(ml) * 100))

    @cached_property
    def sway_rms_deg(self) -> float:
        """Root-mean-square front-back sway about its mean after the first 2 s, degrees."""
        keep = self.t >= SETTLE_S
        if keep.sum() < 2:
            return math.nan
        a = self.angle_ap_deg[keep]
        return float(np.sqrt(np.mean((a - a.mean()) ** 2)))


def sway_area_cm2(cop_ap: np.ndarray, cop_ml: np.ndarray) -> float:
    """Area of the 95% prediction ellipse of a COP trace, in cm².

    The ellipse that would hold 95% of the points if they were normally distributed:
    ``area = pi * chi2(0.95, 2 dof) * sqrt(det(cov))`` with ``chi2 = -2 ln 0.05 = 5.99``.

    Parameters
    ----------
    cop_ap, cop_ml : array_like
        COP coordinates in metres, same length (at least 3 points).

    Returns
    -------
    float
        Area in cm², or NaN for fewer than 3 points.
    """
    ap = np.asarray(cop_ap, dtype=float) * 100.0
    ml = np.asarray(cop_ml, dtype=float) * 100.0
    if ap.shape != ml.shape:
        raise ValueError(f"cop_ap and cop_ml must have the same shape, got {ap.shape!r} "
                         f"and {ml.shape!r}")
    if ap.size < 3:
        return math.nan
    cov = np.cov(np.vstack([ap, ml]))
    det = max(float(np.linalg.det(cov)), 0.0)
    return float(math.pi * _CHI2_95_2DOF * math.sqrt(det))


def vertical_grf(mass: float, vertical_acceleration: float = 0.0) -> float:
    """Vertical ground reaction force on a body of ``mass`` kg: ``m * (g + a)``, in newtons.

    Standing still (``a = 0``) it equals body weight; it is larger only while the centre of
    mass accelerates upward and smaller while it accelerates downward.

    Parameters
    ----------
    mass : float
        Whole-body mass, kg (1 to 300).
    vertical_acceleration : float
        Upward acceleration of the centre of mass, m/s² (-9.81 to 50; -g is free fall).
    """
    if not (isinstance(mass, (int, float)) and 1.0 <= mass <= 300.0):
        raise ValueError(f"mass={mass!r} must be a number of kilograms from 1 to 300")
    if not (isinstance(vertical_acceleration, (int, float))
            and -GRAVITY <= vertical_acceleration <= 50.0):
        raise ValueError(f"vertical_acceleration={vertical_acceleration!r} must be between "
                         f"{-GRAVITY} (free fall) and 50 m/s²")
    return float(mass * (GRAVITY + vertical_acceleration))


def sensory_weights(foot_weight: float, eyes_open: bool) -> dict[str, float]:
    """The weights of the three sensory channels; they sum to 1.

    The foot soles get ``foot_weight``; the rest goes to vision and the vestibular organs
    (``VISION_SHARE`` of it to vision with the eyes open), or all to the vestibular organs
    with the eyes closed.

    Parameters
    ----------
    foot_weight : float
        Weight given to foot-sole sensing, 0 to 1.
    eyes_open : bool
        Whether vision is available.
    """
    _check_number("foot_weight", foot_weight, 0.0, 1.0)
    if not isinstance(eyes_open, (bool, np.bool_)):
        raise ValueError(f"eyes_open={eyes_open!r} must be True or False")
    rest = 1.0 - float(foot_weight)
    vision = rest * VISION_SHARE if eyes_open else 0.0
    return {"vision": vision, "vestibular": rest - vision, "foot": float(foot_weight)}


def _check_number(name: str, value: object, low: float, high: float) -> None:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
        raise ValueError(f"{name}={value!r} must be a number from {low} to {high}")
    if not (math.isfinite(float(value)) and low <= float(value) <= high):
        raise ValueError(f"{name}={value!r} is outside the valid range {low} to {high}")


def _expm(a: np.ndarray) -> np.ndarray:
    """Matrix exponential of a small matrix (scaling and squaring with a Taylor series)."""
    norm = float(np.abs(a).sum(axis=1).max())
    squarings = max(0, math.ceil(math.log2(norm)) + 2) if norm > 0.25 else 0
    scaled = a / 2.0**squarings
    result = np.eye(a.shape[0])
    term = np.eye(a.shape[0])
    for k in range(1, 20):
        term = term @ scaled / k
        result = result + term
    for _ in range(squarings):
        result = result @ result
    return result


@lru_cache(maxsize=32)
def _propagators(body: Body, intrinsic: bool, dt: float, steps: int) -> tuple[np.ndarray, ...]:
    """Exact zero-order-hold propagators for ``steps`` steps of the linearised pendulum.

    Returns ``(powers, impulse)``: ``powers[j] = A^(j+1)`` (shape ``(steps, 2, 2)``) carries
    the state (angle, rate) at a block's start ``j + 1`` steps on; ``impulse[j, c, i]`` is
    component ``c`` of ``A^(j-i) b`` for ``i <= j`` and 0 otherwise (shape
    ``(steps, 2, steps)``), mapping the block's neural torques to the states.
    """
    k_int = body.intrinsic_stiffness if intrinsic else 0.0
    b_int = body.intrinsic_damping if intrinsic else 0.0
    j = body.inertia
    cont = np.zeros((3, 3))
    cont[0, 1] = 1.0
    cont[1, 0] = (body.mgh - k_int) / j
    cont[1, 1] = -b_int / j
    cont[1, 2] = -1.0 / j
    disc = _expm(cont * dt)
    a, b = disc[:2, :2], disc[:2, 2]
    powers = np.empty((steps + 1, 2, 2))
    powers[0] = np.eye(2)
    for n in range(1, steps + 1):
        powers[n] = powers[n - 1] @ a
    kernel = powers[:steps] @ b                       # A^n b, n = 0 .. steps-1: (steps, 2)
    lag = np.arange(steps)[:, None] - np.arange(steps)[None, :]
    impulse = np.where((lag >= 0)[:, None, :], kernel[lag.clip(0)].transpose(0, 2, 1), 0.0)
    for arr in (powers, impulse):
        arr.flags.writeable = False
    return powers[1:], impulse


@lru_cache(maxsize=32)
def _block_matrix(body: Body, intrinsic: bool, dt: float, steps: int) -> np.ndarray:
    """One matrix that advances a block of ``steps`` steps: shape ``(2 * steps, 2 + steps)``.

    Row ``2 j + c`` gives component ``c`` (angle, rate) of the state ``j + 1`` steps after the
    block start, from ``[state at the start (angle row, rate row); torque of each step]``.
    """
    powers, impulse = _propagators(body, intrinsic, dt, steps)
    matrix = np.concatenate([powers, impulse], axis=2).reshape(2 * steps, 2 + steps)
    matrix.flags.writeable = False
    return matrix


@lru_cache(maxsize=8)
def _unit_noise(seed: int, n: int, dt: float) -> tuple[np.ndarray, np.ndarray]:
    """Smooth Gaussian noise with unit standard deviation, and its time derivative.

    Shape ``(8, n)``: rows 0-5 are the three sensory channels for the two planes
    (AP vision, vestibular, foot; ML vision, vestibular, foot), rows 6-7 motor noise.
    The spectrum is shaped by ``1 / (1 + (f / fc)^2)`` with ``fc = NOISE_CORNER_HZ``.
    """
    rng = np.random.default_rng(seed)
    n_fft = 1 << (2 * n - 1).bit_length()
    white = rng.standard_normal((8, n_fft))
    freqs = np.fft.rfftfreq(n_fft, dt)
    shape = 1.0 / (1.0 + (freqs / NOISE_CORNER_HZ) ** 2)
    full_power = shape[0] ** 2 + shape[-1] ** 2 + 2.0 * np.sum(shape[1:-1] ** 2)
    scale = math.sqrt(n_fft / full_power)
    spectrum = np.fft.rfft(white, axis=1) * (shape * scale)
    noise = np.fft.irfft(spectrum, n_fft, axis=1)[:, :n]
    rate = np.fft.irfft(spectrum * (2j * math.pi * freqs), n_fft, axis=1)[:, :n]
    noise.flags.writeable = False
    rate.flags.writeable = False
    return noise, rate


def simulate(gain: float = 1.5, delay: float = 0.15, foot_weight: float = 0.7,
             eyes_open: bool = True, seed: int = 0, duration: float = 30.0, *,
             intrinsic: bool = True, noise_scale: float = 1.0, derivative_time: float = 0.33,
             push_deg: float = 0.0, body: Body = DEFAULT_BODY,
             dt: float = 0.002) -> BalanceResult:
    """Simulate quiet standing on a force plate.

    Parameters
    ----------
    gain : float
        Normalised proportional feedback gain ``Kp / (m g h)``, 0 to 4. 0 switches the
        neural feedback off.
    delay : float
        Neural delay of the feedback loop, seconds, 0.05 to 0.30.
    foot_weight : float
        Weight given to foot-sole sensing, 0 to 1 (see :func:`sensory_weights`).
    eyes_open : bool
        With the eyes closed, vision's weight moves to the vestibular channel.
    seed : int
        Seed of the noise (0 to 2**32 - 1); the same inputs and seed give identical output.
    duration : float
        Length of the stand, seconds, 2 to 120.
    intrinsic : bool
        Include the intrinsic (instant) ankle stiffness and damping.
    noise_scale : float
        Multiplies every noise source, 0 to 10 (0: no noise at all).
    derivative_time : float
        ``Kd / Kp`` in seconds, 0 to 1.
    push_deg : float
        Extra forward lean held before the start and released at t = 0, degrees, -5 to 5
        (for watching the loop recover, or not, without noise).
    body : Body
        Body and foot parameters.
    dt : float
        Time step, seconds, 0.0005 to 0.01.

    Returns
    -------
    BalanceResult
        Sway, centre of pressure, ground reaction force, and whether and when it fell.

    Raises
    ------
    ValueError
        For a value outside its range, naming the value and the range.
    """
    return simulate_many([{
        "gain": gain, "delay": delay, "foot_weight": foot_weight, "eyes_open": eyes_open,
        "seed": seed, "duration": duration, "intrinsic": intrinsic, "noise_scale": noise_scale,
        "derivative_time": derivative_time, "push_deg": push_deg, "body": body, "dt": dt}])[0]


@lru_cache(maxsize=64)
def simulate_shared(gain: float, delay: float, foot_weight: float, eyes_open: bool,
                    seed: int) -> BalanceResult:
    """:func:`simulate` with the balance lab's five settings, remembered: the same settings
    give the same result object (its arrays read-only, since it is shared).

    The lab moves back and forth over the same settings; each run takes about 10 ms.

    Parameters
    ----------
    gain, delay, foot_weight, eyes_open, seed
        As for :func:`simulate`.

    Returns
    -------
    BalanceResult
        The stand; do not change it.
    """
    result = simulate(gain, delay, foot_weight, eyes_open, seed)
    for value in vars(result).values():
        if isinstance(value, np.ndarray):
            value.flags.writeable = False
    return result


def simulate_many(runs: Iterable[Mapping[str, Any]]) -> list[BalanceResult]:
    """Simulate several stands at once: the same results as :func:`simulate` for each.

    Stands that share the body, the time step, the delay and the duration are advanced
    together, one matrix product per delay for all of them, so a table of 40 runs costs
    little more than a few single runs. A stand that falls leaves the batch at its fall.

    Parameters
    ----------
    runs : iterable of mappings
        Keyword arguments of :func:`simulate`, one mapping per stand (missing keys take
        :func:`simulate`'s defaults).

    Returns
    -------
    list of BalanceResult
        One per stand, in the order given.

    Raises
    ------
    ValueError
        For an unknown argument name or a value outside its range, naming the stand.
    """
    prepared = []
    for number, run in enumerate(runs):
        if not isinstance(run, Mapping):
            raise ValueError(f"run {number} is {run!r}; expected a mapping of simulate()'s "
                             "keyword arguments")
        unknown = sorted(set(run) - set(_SIMULATE_DEFAULTS))
        if unknown:
            raise ValueError(f"run {number} has unknown argument(s) {unknown!r}; expected "
                             f"some of {sorted(_SIMULATE_DEFAULTS)!r}")
        prepared.append(_prepare({**_SIMULATE_DEFAULTS, **run}))
    groups: dict[tuple, list[int]] = {}
    for index, run in enumerate(prepared):
        key = (run.body, run.intrinsic, run.dt, run.delay_steps, run.steps)
        groups.setdefault(key, []).append(index)
    results: list[BalanceResult | None] = [None] * len(prepared)
    for members in groups.values():
        for index, result in zip(members, _advance([prepared[i] for i in members]), strict=True):
            results[index] = result
    return results  # type: ignore[return-value]


_SIMULATE_DEFAULTS = MappingProxyType({
    name: p.default for name, p in inspect.signature(simulate).parameters.items()})


@dataclass(frozen=True)
class _Run:
    """One stand's checked inputs and the torque its noise adds, ready to advance."""

    params: dict
    weights: dict
    body: Body
    intrinsic: bool
    dt: float
    steps: int
    delay_steps: int
    kp: float
    kd: float
    noise_torque: np.ndarray     # (steps, 2): AP, ML


def _prepare(args: Mapping[str, Any]) -> _Run:
    """Check one stand's arguments and work out the torque noise adds (see simulate)."""
    gain, delay, foot_weight = args["gain"], args["delay"], args["foot_weight"]
    eyes_open, seed, duration = args["eyes_open"], args["seed"], args["duration"]
    intrinsic, noise_scale, body, dt = (args["intrinsic"], args["noise_scale"], args["body"],
                                        args["dt"])
    derivative_time, push_deg = args["derivative_time"], args["push_deg"]
    _check_number("gain", gain, *GAIN_RANGE)
    _check_number("delay", delay, *DELAY_RANGE)
    weights = sensory_weights(foot_weight, eyes_open)
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)) \
            or not 0 <= seed < 2**32:
        raise ValueError(f"seed={seed!r} must be a whole number from 0 to 2**32 - 1")
    _check_number("duration", duration, *DURATION_RANGE)
    if not isinstance(intrinsic, (bool, np.bool_)):
        raise ValueError(f"intrinsic={intrinsic!r} must be True or False")
    _check_number("noise_scale", noise_scale, 0.0, 10.0)
    _check_number("derivative_time", derivative_time, 0.0, 1.0)
    _check_number("push_deg", push_deg, *PUSH_RANGE)
    if not isinstance(body, Body):
        raise ValueError(f"body={body!r} must be a melt_course.models.balance.Body")
    _check_number("dt", dt, *DT_RANGE)

    dt = float(dt)
    n = round(float(duration) / dt)
    d = max(1, round(float(delay) / dt))
    d_max = round(DELAY_RANGE[1] / dt) + 1
    kp = float(gain) * body.mgh
    kd = float(derivative_time) * kp

    # Noise: sensed-angle error and its rate per plane, and motor torque noise, turned into
    # the torque they add: kp * angle error + kd * rate error + motor noise (n, 2).
    unit, unit_rate = _unit_noise(int(seed), n + d_max, dt)
    sig = {c: math.radians(NOISE_DEG[c]) * weights[c] * noise_scale for c in _CHANNELS}
    mix = np.array([sig["vision"], sig["vestibular"], sig["foot"]])
    lag = slice(d_max - d, d_max - d + n)          # noise of time (k - d) for step k
    noise_torque = np.stack([kp * (mix @ unit[0:3, lag]) + kd * (mix @ unit_rate[0:3, lag]),
                             kp * (mix @ unit[3:6, lag]) + kd * (mix @ unit_rate[3:6, lag])],
                            axis=1)
    noise_torque += (MOTOR_NOISE_NM * noise_scale) * unit[6:8, d_max:d_max + n].T
    params = {"gain": float(gain), "delay": float(delay), "foot_weight": float(foot_weight),
              "eyes_open": bool(eyes_open), "seed": int(seed), "intrinsic": bool(intrinsic),
              "noise_scale": float(noise_scale), "derivative_time": float(derivative_time),
              "push_deg": float(push_deg), "dt": dt}
    return _Run(params, weights, body, bool(intrinsic), dt, n, d, kp, kd, noise_torque)


def _advance(runs: list[_Run]) -> list[BalanceResult]:
    """Advance stands that share body, time step, delay and length, a delay's steps at once."""
    first = runs[0]
    body, n, d = first.body, first.steps, first.delay_steps
    step_matrix = _block_matrix(body, first.intrinsic, first.dt, d)
    count = len(runs)
    # x[d + k, c, p, r] = state c (deviation from the held lean, its rate) in plane p (AP, ML)
    # of stand r at step k; u[k, p, r] the neural torque. With the stands last, a block's
    # input and output are views of x, with no copying, for one stand or many.
    x = np.zeros((n + d + 1, 2, 2, count))
    x[:d + 1, 0, 0, :] = np.radians([run.params["push_deg"] for run in runs])
    u = np.zeros((n, 2, count))
    noise = np.stack([run.noise_torque for run in runs], axis=-1)
    kp = np.array([run.kp for run in runs])
    kd = np.array([run.kd for run in runs])
    limit = math.radians(ANGLE_LIMIT_DEG) + 0.05
    held = np.array([[math.radians(body.lean_deg)], [0.0]])   # the held lean, per plane
    done = np.full(count, n)
    active = np.arange(count)
    stands: slice | np.ndarray = slice(None)     # the stands still up (a slice while all are)
    k0 = 0
    while k0 < n and active.size:
        length = min(d, n - k0)
        width = 2 * active.size
        states = x[k0:k0 + length, :, :, stands]                   # (length, c, p, A)
        torque = (kp * states[:, 0] + kd * states[:, 1]
                  + noise[k0:k0 + length, :, stands])              # (length, p, A)
        u[k0:k0 + length, :, stands] = torque
        block_in = np.concatenate([x[d + k0][..., stands].reshape(2, width),
                                   torque.reshape(length, width)])
        x[d + k0 + 1:d + k0 + length + 1, :, :, stands] = (
            step_matrix[:2 * length, :2 + length] @ block_in).reshape(length, 2, 2, -1)
        k0 += length
        lean_now = np.abs(x[d + k0, 0][:, stands] + held)            # (p, A)
        if lean_now.max() > limit:
            fell = lean_now.max(axis=0) > limit
            done[active[fell]] = k0
            active = stands = active[~fell]
            kp, kd = kp[~fell], kd[~fell]
    # Plate values for every stand at once, then each stand's result.
    # One copy puts each stand's trace in a contiguous row: (c, p, stand, step).
    states = np.ascontiguousarray(x[d:d + n].transpose(1, 2, 3, 0))
    plate = _plate(body, states[0], states[1], np.ascontiguousarray(u.transpose(1, 2, 0)),
                   first.intrinsic)
    return [_result(body, plate, r, stop, run.dt, n, run.weights, run.params)
            for r, (run, stop) in enumerate(zip(runs, done.tolist(), strict=True))]


@dataclass(frozen=True)
class LoopStability:
    """How the noise-free feedback loop's slowest-dying motion behaves.

    Attributes
    ----------
    growth_rate : float
        Per second: negative, every sway dies away (stable); positive, sway grows until the
        body falls.
    frequency_hz : float
        0 for a steady (non-oscillating) drift, else the frequency of the oscillation.
    """

    growth_rate: float
    frequency_hz: float

    @property
    def stable(self) -> bool:
        """True when every sway dies away."""
        return self.growth_rate < 0

    def summary(self) -> str:
        """One sentence on what the loop does without noise."""
        if self.stable:
            return ("without noise the loop is stable: a sway dies away "
                    f"(by {1 - np.exp(self.growth_rate):.0%} each second)")
        kind = (f"an oscillation at {self.frequency_hz:.1f} Hz grows"
                if self.frequency_hz > 0 else "the body drifts over without swinging back")
        return (f"without noise the loop is unstable: {kind} "
                f"(×{np.exp(self.growth_rate):.2f} each second)")


def loop_stability(gain: float = 1.5, delay: float = 0.15, *, intrinsic: bool = True,
                   derivative_time: float = 0.33, body: Body = DEFAULT_BODY,
                   dt: float = 0.005) -> LoopStability:
    """Whether the noise-free feedback loop damps sway out or lets it grow.

    The linearised loop (pendulum, intrinsic stiffness, delayed PD feedback) is written as a
    discrete-time system whose state holds one delay of history. Its eigenvalue of largest
    magnitude ``z`` gives the growth rate ``ln|z| / dt`` and the frequency
    ``angle(z) / (2 pi dt)``.

    Parameters
    ----------
    gain, delay, intrinsic, derivative_time, body
        As for :func:`simulate`.
    dt : float
        Time step of the discrete-time system, seconds, 0.001 to 0.01.

    Returns
    -------
    LoopStability
    """
    _check_number("gain", gain, *GAIN_RANGE)
    _check_number("delay", delay, *DELAY_RANGE)
    _check_number("derivative_time", derivative_time, 0.0, 1.0)
    _check_number("dt", dt, 0.001, 0.01)
    if not isinstance(body, Body):
        raise ValueError(f"body={body!r} must be a melt_course.models.balance.Body")
    d = max(1, round(float(delay) / dt))
    powers, impulse = _propagators(body, bool(intrinsic), float(dt), 1)
    a, b = powers[0], impulse[0, :, 0]
    kp = float(gain) * body.mgh
    kd = float(derivative_time) * kp
    size = 2 * (d + 1)
    big = np.zeros((size, size))
    # State: (e, w) now, then the same one step older, ... down to d steps old.
    big[0:2, 0:2] = a
    big[0:2, size - 2] += b * kp
    big[0:2, size - 1] += b * kd
    big[2:, :-2] = np.eye(size - 2)
    eig = np.linalg.eigvals(big)
    top = eig[np.argmax(np.abs(eig))]
    radius = float(abs(top))
    rate = math.log(radius) / dt if radius > 0 else -math.inf
    freq = abs(float(np.angle(top))) / (2 * math.pi * dt)
    return LoopStability(rate, freq if freq > 1e-6 else 0.0)


def _plate(body: Body, e: np.ndarray, w: np.ndarray, u: np.ndarray,
           intrinsic: bool) -> dict[str, np.ndarray]:
    """Lean, vertical force, ankle torque and COP from the simulated states.

    ``e``, ``w`` and ``u`` (deviation from the held lean, its rate, neural torque) have the
    shape ``(2, stands, steps)``, planes (AP, ML) first. Returns arrays of shape
    ``(stands, steps)``: ``theta_ap``, ``theta_ml``, ``grf``, ``torque_ap``, ``cop_ap``,
    ``cop_ml``. Each plane is worked out on its own contiguous rows.
    """
    k_int = body.intrinsic_stiffness if intrinsic else 0.0
    b_int = body.intrinsic_damping if intrinsic else 0.0
    lean = math.radians(body.lean_deg)
    h = body.com_height
    steady = (body.mgh * math.sin(lean), 0.0)
    plane: dict[str, tuple[np.ndarray, ...]] = {}
    for index, name in enumerate(("ap", "ml")):
        angle, rate = e[index], w[index]
        # Torque from the ankle muscles (beyond the steady torque), the angular acceleration.
        dev_torque = k_int * angle + b_int * rate + u[index]
        alpha = (body.mgh * angle - dev_torque) / body.inertia
        theta = angle + lean if index == 0 else angle.copy()
        plane[name] = (theta, alpha, rate, dev_torque + steady[index])
    (theta_ap, alpha_ap, w_ap, torque_ap), (theta_ml, alpha_ml, w_ml, torque_ml) = (
        plane["ap"], plane["ml"])
    a_vertical = -h * ((theta_ap * alpha_ap + w_ap * w_ap) + (theta_ml * alpha_ml + w_ml * w_ml))
    grf = body.weight + body.mass * a_vertical
    return {"theta_ap": theta_ap, "theta_ml": theta_ml, "grf": grf, "torque_ap": torque_ap,
            "cop_ap": (torque_ap - body.ankle_height * body.mass * h * alpha_ap) / grf,
            "cop_ml": (torque_ml - body.ankle_height * body.mass * h * alpha_ml) / grf}


def _result(body: Body, plate: dict[str, np.ndarray], stand: int, steps: int, dt: float,
            n: int, weights: dict, params: dict) -> BalanceResult:
    """One stand's result from the plate values (see :func:`_plate`), with the fall check."""
    v = {name: values[stand, :steps] for name, values in plate.items()}
    # The fall: the first sample where the COP leaves the feet or the lean passes the limit.
    limit = math.radians(ANGLE_LIMIT_DEG)
    checks = {
        "toes": v["cop_ap"] > body.toe,
        "heel": v["cop_ap"] < -body.heel,
        "side": np.abs(v["cop_ml"]) > body.half_width,
        "angle": np.maximum(np.abs(v["theta_ap"]), np.abs(v["theta_ml"])) > limit,
    }
    first = {name: int(np.argmax(mask)) for name, mask in checks.items() if mask.any()}
    fell = bool(first)
    if fell:
        reason = min(first, key=lambda name: (first[name], list(checks).index(name)))
        stop = first[reason] + 1
    else:
        reason, stop = None, steps
    t = np.arange(stop) * dt
    return BalanceResult(
        t=t,
        angle_ap_deg=np.degrees(v["theta_ap"][:stop]),
        angle_ml_deg=np.degrees(v["theta_ml"][:stop]),
        cop_ap=v["cop_ap"][:stop].copy(),
        cop_ml=v["cop_ml"][:stop].copy(),
        grf=v["grf"][:stop].copy(),
        torque_ap=v["torque_ap"][:stop].copy(),
        fell=fell,
        fall_time=float(t[-1]) if fell else None,
        fall_reason=reason,
        weights=dict(weights),
        params=params,
        body=body,
        duration=n * dt,
    )
