"""The balance model: physics of standing, falling, sway, determinism, forces and bad input."""

import math

import numpy as np
import pytest

from melt_course.models import balance as B
from melt_course.models.balance import Body, loop_stability, simulate, sway_area_cm2, vertical_grf

SEEDS = range(4)


def _peaks(signal: np.ndarray) -> np.ndarray:
    """Absolute values of the local extrema of a signal (its swing amplitudes)."""
    d = np.diff(signal)
    turning = np.where(np.sign(d[1:]) != np.sign(d[:-1]))[0] + 1
    return np.abs(signal[turning])


# --------------------------------------------------------------------------- the physics


def test_without_feedback_it_falls():
    for seed in SEEDS:
        res = simulate(gain=0.0, seed=seed)
        assert res.fell and res.fall_time < 5.0, seed
    # Noise-free: released from a small lean, gravity alone tips it over, in that direction.
    forward = simulate(gain=0.0, noise_scale=0.0, push_deg=1.0)
    backward = simulate(gain=0.0, noise_scale=0.0, push_deg=-1.0)
    assert forward.fell and backward.fell
    assert forward.angle_ap_deg[-1] > B.ANGLE_LIMIT_DEG * 0.9
    assert backward.angle_ap_deg[-1] < -B.ANGLE_LIMIT_DEG * 0.9
    assert abs(forward.angle_ml_deg).max() == 0.0


def test_gain_below_gravity_stiffness_falls_and_above_holds():
    # The loop needs more corrective stiffness than m*g*h (gain 1) minus the small intrinsic part.
    assert not loop_stability(gain=0.8).stable
    assert simulate(gain=0.8, noise_scale=0.0, push_deg=1.0).fell
    assert loop_stability(gain=1.2).stable
    assert not simulate(gain=1.2, noise_scale=0.0, push_deg=1.0).fell


def test_adequate_gain_stays_up_and_recovers_from_a_push():
    for seed in SEEDS:
        res = simulate(gain=1.5, delay=0.15, seed=seed)
        assert not res.fell, seed
        assert res.t[-1] == pytest.approx(30.0 - 0.002)
        assert 0 < res.sway_area_cm2 < 20
    res = simulate(gain=1.5, delay=0.15, noise_scale=0.0, push_deg=2.0)
    deviation = res.angle_ap_deg - res.body.lean_deg
    assert not res.fell
    assert abs(deviation[0]) == pytest.approx(2.0)
    assert np.abs(deviation[res.t > 10]).max() < 0.01


def test_a_long_delay_makes_the_oscillation_grow_and_it_falls():
    slow = simulate(gain=1.5, delay=0.30, noise_scale=0.0, push_deg=1.0)
    quick = simulate(gain=1.5, delay=0.15, noise_scale=0.0, push_deg=1.0)
    slow_peaks = _peaks(slow.angle_ap_deg - slow.body.lean_deg)
    quick_peaks = _peaks(quick.angle_ap_deg - quick.body.lean_deg)
    assert slow.fell
    assert len(slow_peaks) >= 6 and np.all(np.diff(slow_peaks[1:]) > 0), slow_peaks[:8]
    assert not quick.fell
    assert quick_peaks.size == 0 or quick_peaks.max() < 1.0
    loop = loop_stability(gain=1.5, delay=0.30)
    assert not loop.stable and loop.frequency_hz > 0.2      # an oscillation that grows
    for seed in SEEDS:                                       # with noise it falls as well
        assert simulate(gain=1.5, delay=0.30, seed=seed).fell


def test_too_much_gain_for_the_delay_oscillates():
    assert loop_stability(gain=4.0, delay=0.15).frequency_hz > 0.5
    assert not loop_stability(gain=4.0, delay=0.15).stable
    assert loop_stability(gain=4.0, delay=0.05).stable


def test_stability_edge_for_the_quiz():
    # The lesson's quiz says: at gain 1.5 the loop turns unstable at a delay of about 300 ms.
    assert loop_stability(gain=1.5, delay=0.28).stable
    assert not loop_stability(gain=1.5, delay=0.30).stable


def test_more_sensory_noise_means_more_sway():
    for seed in SEEDS:
        base = simulate(seed=seed)
        closed = simulate(seed=seed, eyes_open=False)
        low_feet = simulate(seed=seed, foot_weight=0.2, eyes_open=False)
        noisier = simulate(seed=seed, noise_scale=2.0)
        assert not (base.fell or closed.fell or low_feet.fell or noisier.fell)
        assert base.sway_area_cm2 < closed.sway_area_cm2 < low_feet.sway_area_cm2, seed
        assert noisier.sway_area_cm2 > 2 * base.sway_area_cm2
        assert low_feet.sway_rms_deg > base.sway_rms_deg


def test_a_shorter_delay_means_less_sway():
    for seed in SEEDS:
        assert (simulate(seed=seed, delay=0.05).sway_area_cm2
                < simulate(seed=seed, delay=0.25).sway_area_cm2)


def test_block_solver_matches_plain_step_by_step_integration():
    """The fast exact-discretisation solver against a naive small-step integration."""
    body = B.DEFAULT_BODY
    gain, delay, push = 1.5, 0.15, 1.0
    fast = simulate(gain=gain, delay=delay, noise_scale=0.0, push_deg=push)
    dt = 0.0001
    d = round(delay / dt)
    kp = gain * body.mgh
    kd = 0.33 * kp
    n = round(3.0 / dt)
    e = np.full(n + d + 1, math.radians(push))
    w = np.zeros(n + d + 1)
    for k in range(n):
        i = d + k
        torque = (body.intrinsic_stiffness * e[i] + body.intrinsic_damping * w[i]
                  + kp * e[i - d] + kd * w[i - d])
        alpha = (body.mgh * e[i] - torque) / body.inertia
        w[i + 1] = w[i] + alpha * dt
        e[i + 1] = e[i] + w[i + 1] * dt
    for t in (0.3, 0.8, 1.5, 2.5):
        slow_value = math.degrees(e[d + round(t / dt)])
        fast_value = fast.angle_ap_deg[round(t / 0.002)] - body.lean_deg
        assert fast_value == pytest.approx(slow_value, abs=0.02 * push), t


# --------------------------------------------------------------------------- forces on the plate


def test_ground_reaction_force_equals_body_weight_at_rest():
    body = B.DEFAULT_BODY
    still = simulate(noise_scale=0.0)
    assert body.weight == pytest.approx((75.0 + 2.0) * 9.81)
    np.testing.assert_allclose(still.grf, body.weight, rtol=0, atol=1e-9)
    # The steady lean puts the centre of pressure ahead of the ankle by h*sin(lean)*m/(m+feet).
    expected_cop = (body.mgh * math.sin(math.radians(body.lean_deg))) / body.weight
    np.testing.assert_allclose(still.cop_ap, expected_cop, atol=1e-12)
    np.testing.assert_allclose(still.cop_ml, 0.0, atol=1e-12)
    swaying = simulate(seed=1)
    assert swaying.grf.mean() == pytest.approx(body.weight, abs=0.05)
    assert np.abs(swaying.grf - body.weight).max() < 2.0


def test_centre_of_pressure_follows_the_torque():
    res = simulate(seed=2)
    body = res.body
    # Standing still on average: mean torque balances gravity at the mean lean.
    mean_lean = math.radians(res.angle_ap_deg.mean())
    assert res.torque_ap.mean() == pytest.approx(body.mgh * math.sin(mean_lean), rel=0.02)
    # COP * F = T - h_a * F_h, so with the small horizontal term the COP tracks T / F.
    approx = res.torque_ap / res.grf
    assert np.abs(res.cop_ap - approx).max() < 0.01
    assert np.corrcoef(res.cop_ap, approx)[0, 1] > 0.95


def test_vertical_grf_is_m_times_g_plus_a():
    assert vertical_grf(70.0) == pytest.approx(70 * 9.81)
    assert vertical_grf(70.0, 2.0) == pytest.approx(70 * 11.81)
    assert vertical_grf(70.0, -9.81) == pytest.approx(0.0)
    for bad in ({"mass": 0.5}, {"mass": "70"}, {"mass": 70.0, "vertical_acceleration": -10.0},
                {"mass": 70.0, "vertical_acceleration": 80.0}):
        with pytest.raises(ValueError, match="must be"):
            vertical_grf(**bad)


def test_falls_are_reported_with_time_and_reason():
    res = simulate(gain=4.0, seed=0)
    assert res.fell and res.fall_reason in ("toes", "heel", "side", "angle")
    assert res.fall_time == pytest.approx(res.t[-1])
    body = res.body
    out = {"toes": res.cop_ap[-1] > body.toe, "heel": res.cop_ap[-1] < -body.heel,
           "side": abs(res.cop_ml[-1]) > body.half_width,
           "angle": max(abs(res.angle_ap_deg[-1]), abs(res.angle_ml_deg[-1]))
           > B.ANGLE_LIMIT_DEG}
    assert out[res.fall_reason]
    # Before the fall the centre of pressure stayed on the feet.
    assert np.all(res.cop_ap[:-1] <= body.toe) and np.all(res.cop_ap[:-1] >= -body.heel)
    up = simulate(seed=0)
    assert not up.fell and up.fall_time is None and up.fall_reason is None


# --------------------------------------------------------------------------- determinism


def test_same_seed_same_output_and_different_seed_different_output():
    a, b = simulate(seed=7), simulate(seed=7)
    B._unit_noise.cache_clear()
    c = simulate(seed=7)                                   # recomputed noise, same answer
    other = simulate(seed=8)
    for field in ("angle_ap_deg", "angle_ml_deg", "cop_ap", "cop_ml", "grf"):
        assert np.array_equal(getattr(a, field), getattr(b, field))
        assert np.array_equal(getattr(a, field), getattr(c, field))
        assert not np.allclose(getattr(a, field), getattr(other, field))
    assert a.sway_area_cm2 != other.sway_area_cm2


# --------------------------------------------------------------------------- sway area, weights


def test_sway_area_is_the_95_percent_ellipse():
    rng = np.random.default_rng(0)
    ap = rng.normal(0, 0.01, 200_000)    # 1 cm and 0.5 cm standard deviations
    ml = rng.normal(0, 0.005, 200_000)
    assert sway_area_cm2(ap, ml) == pytest.approx(math.pi * 5.991 * 1.0 * 0.5, rel=0.01)
    inside = (ap / 0.01) ** 2 + (ml / 0.005) ** 2 <= -2 * math.log(0.05)
    assert inside.mean() == pytest.approx(0.95, abs=0.005)
    assert math.isnan(sway_area_cm2([0.0, 0.1], [0.0, 0.1]))
    with pytest.raises(ValueError, match="same shape"):
        sway_area_cm2([0.0, 0.1, 0.2], [0.0, 0.1])


def test_sensory_weights_sum_to_one_and_eyes_closed_drop_vision():
    for foot in (0.0, 0.3, 1.0):
        for eyes in (True, False):
            weights = B.sensory_weights(foot, eyes)
            assert sum(weights.values()) == pytest.approx(1.0)
            assert weights["foot"] == foot
            assert (weights["vision"] > 0) == (eyes and foot < 1.0)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("kwargs, pattern", [
    ({"gain": -0.1}, r"gain=-0\.1 .*0\.0 to 4\.0"),
    ({"gain": 5}, r"gain=5 "),
    ({"gain": "high"}, r"gain='high' must be a number"),
    ({"gain": True}, r"gain=True must be a number"),
    ({"delay": 0.01}, r"delay=0\.01 .*0\.05 to 0\.3"),
    ({"delay": float("nan")}, r"delay=nan"),
    ({"foot_weight": 1.5}, r"foot_weight=1\.5 .*0\.0 to 1\.0"),
    ({"eyes_open": "yes"}, r"eyes_open='yes' must be True or False"),
    ({"seed": -1}, r"seed=-1 must be a whole number"),
    ({"seed": 1.5}, r"seed=1\.5 must be a whole number"),
    ({"duration": 1.0}, r"duration=1\.0 .*2\.0 to 120\.0"),
    ({"noise_scale": -1.0}, r"noise_scale=-1\.0"),
    ({"push_deg": 10.0}, r"push_deg=10\.0 .*-5\.0 to 5\.0"),
    ({"dt": 0.1}, r"dt=0\.1 "),
    ({"intrinsic": 1}, r"intrinsic=1 must be True or False"),
    ({"body": "tall"}, r"body='tall' must be"),
])
def test_bad_input_names_the_value_and_the_range(kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        simulate(**kwargs)


def test_bad_body_parameters_are_rejected():
    with pytest.raises(ValueError, match=r"Body\.mass=-70"):
        Body(mass=-70)
    with pytest.raises(ValueError, match=r"Body\.lean_deg=9"):
        Body(lean_deg=9)
    with pytest.raises(ValueError, match=r"Body\.inertia=10"):
        Body(inertia=10)
    with pytest.raises(ValueError, match=r"delay=0\.5"):
        loop_stability(delay=0.5)


def test_a_different_body_changes_the_physics():
    heavy = Body(mass=100.0, com_height=1.0, inertia=110.0)
    light = simulate(noise_scale=0.0)
    big = simulate(noise_scale=0.0, body=heavy)
    assert big.grf[0] == pytest.approx((100 + 2) * 9.81)
    assert big.grf[0] > light.grf[0]


# --------------------------------------------------------------------------- many at once


def test_simulate_many_gives_each_stand_what_simulate_gives():
    # Stands that fall at different moments leave the batch one by one; two delays and a
    # different duration make three batches. Each must match its own single run.
    runs = [{"gain": 0.0, "seed": 1}, {"gain": 1.5, "seed": 2}, {"gain": 0.8, "seed": 3},
            {"gain": 1.5, "foot_weight": 0.1, "eyes_open": False, "seed": 4},
            {"gain": 3.5, "delay": 0.3, "seed": 5}, {"gain": 1.5, "delay": 0.1},
            {"push_deg": 2.0, "noise_scale": 0.0, "duration": 10.0}, {"gain": 0.0, "seed": 6}]
    batch = B.simulate_many(runs)
    assert len(batch) == len(runs)
    assert {r.fell for r in batch} == {True, False}
    assert len({r.fall_time for r in batch if r.fell}) > 1
    for run, got in zip(runs, batch, strict=True):
        alone = simulate(**run)
        assert got.params == alone.params
        assert (got.fell, got.fall_reason, got.fall_time) == (
            alone.fell, alone.fall_reason, alone.fall_time), run
        for name in ("t", "angle_ap_deg", "angle_ml_deg", "cop_ap", "cop_ml", "grf",
                     "torque_ap"):
            np.testing.assert_allclose(getattr(got, name), getattr(alone, name),
                                       rtol=1e-12, atol=1e-12, err_msg=f"{name} of {run}")


def test_simulate_many_names_the_bad_stand():
    with pytest.raises(ValueError, match=r"run 1 has unknown argument\(s\) \['gian'\]"):
        B.simulate_many([{"gain": 1.0}, {"gian": 1.0}])
    with pytest.raises(ValueError, match=r"run 0 is 1\.5; expected a mapping"):
        B.simulate_many([1.5])
    with pytest.raises(ValueError, match=r"delay=0\.9"):
        B.simulate_many([{"delay": 0.9}])
    assert B.simulate_many([]) == []


def test_a_results_summaries_are_worked_out_once_and_belong_to_it(monkeypatch):
    # A slider move asks for the sway area four times (title, alt text, description,
    # read-out); it is computed once per result, and each result keeps its own.
    from melt_course.models import balance as mb

    real, calls = mb.sway_area_cm2, []
    monkeypatch.setattr(mb, "sway_area_cm2", lambda ap, ml: calls.append(1) or real(ap, ml))
    first, second = mb.simulate(seed=5), mb.simulate(seed=6)
    calls.clear()
    areas = [first.sway_area_cm2 for _ in range(4)]
    keep = first.t >= mb.SETTLE_S
    assert areas == [real(first.cop_ap[keep], first.cop_ml[keep])] * 4
    assert len(calls) == 1
    assert second.sway_area_cm2 == real(second.cop_ap[second.t >= mb.SETTLE_S],
                                        second.cop_ml[second.t >= mb.SETTLE_S]) != areas[0]
    assert len(calls) == 2
    assert first.cop_range_cm is first.cop_range_cm


def test_the_shared_run_is_the_same_stand_remembered_and_cannot_be_changed():
    """The lab remembers each setting's stand (a learner goes back and forth): the same
    object for the same settings, the same numbers as a fresh run, and read-only, since
    every lab with those settings shares it."""
    B.simulate_shared.cache_clear()
    first = B.simulate_shared(1.5, 0.15, 0.7, True, 3)
    assert B.simulate_shared(1.5, 0.15, 0.7, True, 3) is first
    fresh = simulate(1.5, 0.15, 0.7, True, 3)
    assert np.array_equal(first.angle_ap_deg, fresh.angle_ap_deg)
    assert first.fell == fresh.fell
    with pytest.raises(ValueError, match="read-only"):
        first.cop_ap[0] = 1.0
    assert B.simulate_shared(1.55, 0.15, 0.7, True, 3) is not first
