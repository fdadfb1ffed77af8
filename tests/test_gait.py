"""The measured walking trial, its gait events and the psoas along one gait cycle."""

import numpy as np
import pytest

from melt_course.models import biomech, gait
from melt_course.models import reference as ref


def test_events_come_from_the_right_foot_force():
    trial = gait.load_trial()
    events = gait.gait_events()
    start, toe_off, end = events.cycle
    assert start < toe_off < end
    # The force under the right foot is above the threshold through stance, below it in swing.
    stance = (trial.time_s > start + 0.02) & (trial.time_s < toe_off - 0.02)
    swing = (trial.time_s > toe_off + 0.02) & (trial.time_s < end - 0.02)
    assert np.all(trial.grf_right_n[stance] > events.threshold_n)
    assert np.all(trial.grf_right_n[swing] < events.threshold_n)
    # Heel strike lands with the hip flexed; toe-off leaves it extended or near neutral.
    assert np.interp(start, trial.time_s, trial.hip_flexion_deg) > 10
    assert np.interp(toe_off, trial.time_s, trial.hip_flexion_deg) < 0


def test_a_higher_threshold_finds_contact_later():
    low, high = gait.gait_events(10).cycle, gait.gait_events(100).cycle
    assert high[0] > low[0] and high[1] < low[1]


def test_cycle_is_a_normal_walking_shape():
    c = gait.gait_cycle()
    assert 55 < c.toe_off_percent < 70          # stance about 60% of the cycle in walking
    assert 0.8 < c.duration_s < 1.6
    # Most extended late in stance, flexing again through swing.
    i = int(np.argmin(c.hip_flexion_deg))
    assert 35 < c.percent[i] < c.toe_off_percent
    assert c.hip_flexion_deg[i] < -5
    assert c.at(85)["hip_flexion_deg"] > 15 and c.at(85)["phase"] == "swing"
    assert c.at(10)["phase"] == "stance"


def test_psoas_is_longest_when_the_hip_is_most_extended_in_every_model():
    c = gait.gait_cycle()
    i = int(np.argmin(c.hip_flexion_deg))
    for model, length in c.psoas_length.items():
        assert abs(int(np.argmax(length)) - i) <= 3, model


def test_course_psoas_along_the_cycle_is_its_model_at_the_trial_angles():
    c = gait.gait_cycle()
    assert c.psoas_length["course"] == pytest.approx(
        biomech.musculotendon_length("psoas", c.hip_flexion_deg))
    # The stored OpenSim numbers along the trial agree with the stored hip-range curves
    # (both computed by OpenSim; the trial's knee angle does not change psoas).
    for model in ref.REFERENCE_MODELS:
        expect = ref.reference_length(model, "psoas", c.hip_flexion_deg)
        assert np.max(np.abs(c.psoas_length[model] - expect)) < 2e-4, model


@pytest.mark.parametrize("bad, named", [(5, "points=5"), (2.5, "points=2.5")])
def test_bad_points(bad, named):
    with pytest.raises(ValueError, match=named):
        gait.gait_cycle(bad)


@pytest.mark.parametrize("bad", [101, -1, "half", float("nan")])
def test_bad_percent(bad):
    with pytest.raises(ValueError, match="percent="):
        gait.gait_cycle().at(bad)


@pytest.mark.parametrize("bad", [1, 1000, "x"])
def test_bad_threshold(bad):
    with pytest.raises(ValueError, match="threshold_n="):
        gait.gait_events(bad)
