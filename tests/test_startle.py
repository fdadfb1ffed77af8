"""Lesson 3 data and models: startle onsets, the curl model, phases, stress shapes, claims."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from melt_course.content.bibliography import get
from melt_course.content.loader import DataError
from melt_course.models import startle


@pytest.fixture(scope="module")
def data():
    return startle.load_startle()


def _m(muscle_id):
    return startle.muscle(muscle_id)


# --------------------------------------------------------------------------- cited latencies

def test_blink_is_about_30_ms_as_bisdorff_reports():
    blink = _m("orbicularis_oculi")
    assert blink.onset.kind == "approx"
    assert blink.onset.min_ms == blink.onset.max_ms == 30
    assert "bisdorff1994" in blink.refs


@pytest.mark.parametrize("muscle_id", ["mentalis", "sternocleidomastoid", "trapezius"])
def test_mentalis_neck_and_trapezius_start_together_at_about_55_ms(muscle_id):
    m = _m(muscle_id)
    assert (m.onset.kind, m.onset.min_ms) == ("approx", 55)
    assert "bisdorff1994" in m.refs


def test_masseter_is_stored_as_the_range_the_source_gives():
    # Bisdorff 1994: with the neck muscles (55 ms) or 10-20 ms after them.
    m = _m("masseter")
    assert m.onset.is_range
    assert (m.onset.min_ms, m.onset.max_ms) == (55, 55 + 20)
    assert m.basis == "measured range"


def test_muscles_without_a_published_number_are_ranges_not_invented_points(data):
    for m in data.muscles:
        if m.basis in ("order only", "inferred", "measured range"):
            assert m.onset.is_range, m.id
            assert m.onset.max_ms > m.onset.min_ms, m.id
        else:
            assert not m.onset.is_range, m.id
    trunk = _m("rectus_abdominis")
    assert trunk.basis == "inferred" and trunk.label == "model"


def test_every_onset_lies_in_the_reviews_20_to_150_ms_window(data):
    assert data.motor_window_ms == (20, 150)
    for m in data.muscles:
        assert 20 <= m.onset.min_ms <= m.onset.max_ms <= 150, m.id


def test_onset_order_follows_the_sources(data):
    groups = startle.onset_order()
    position = {mid: i for i, group in enumerate(groups) for mid in group}
    # the blink first, alone
    assert groups[0] == ("orbicularis_oculi",)
    # the neck group next; the masseter no earlier than the neck
    assert position["sternocleidomastoid"] == position["mentalis"] == position["trapezius"] == 1
    assert position["masseter"] >= position["sternocleidomastoid"]
    # limbs and trunk after the neck; hand and leg muscles the slowest (Brown 1991)
    for late in ("biceps_brachii", "rectus_abdominis", "abductor_pollicis_brevis", "quadriceps"):
        assert position[late] > position["sternocleidomastoid"]
    assert set(groups[-1]) == {"abductor_pollicis_brevis", "quadriceps"}
    # and a later group never starts before an earlier one's earliest onset
    for m in data.muscles:
        for other in data.muscles:
            if other.order_group < m.order_group:
                assert m.onset.min_ms >= other.onset.min_ms, (m.id, other.id)


def test_autonomic_phase_follows_the_motor_onsets_and_lasts_3_to_10_s(data):
    auto = data.autonomic
    latest_motor = max(m.onset.max_ms for m in data.muscles)
    assert auto.start_ms > latest_motor
    assert auto.start_ms >= data.quiet_gap_ms[0] > data.motor_window_ms[1] - 1
    assert (auto.end_min_ms, auto.end_max_ms) == (3000, 10000)
    assert set(auto.signals) == {"heart rate", "skin conductance"}
    assert startle.phase_at(latest_motor) == "motor"
    assert startle.phase_at(auto.start_ms) == "autonomic"


def test_all_references_resolve(data):
    keys = {k for m in data.muscles for k in m.refs}
    keys |= set(data.pattern_refs) | set(data.window_refs) | set(data.autonomic.refs)
    keys |= set(startle.load_stress_model().refs)
    for claim in startle.load_claims():
        keys |= set(claim.claim_refs) | set(claim.measured_refs)
    for key in keys:
        assert get(key).key == key


# --------------------------------------------------------------------------- state and curl

def test_state_partitions_the_muscles_at_every_time(data):
    ids = set(startle.muscle_ids())
    for t in (0, 25, 30, 45, 55, 60, 80, 149, 150, 400, 10000):
        s = startle.startle_state(t)
        parts = [set(s.started), set(s.in_window), set(s.waiting)]
        assert set.union(*parts) == ids
        assert sum(len(p) for p in parts) == len(ids)


def test_who_has_started_matches_the_cited_onsets():
    assert startle.startle_state(20).started == ()
    assert startle.startle_state(40).started == ("orbicularis_oculi",)
    s = startle.startle_state(60)
    assert {"mentalis", "sternocleidomastoid", "trapezius"} <= set(s.started)
    assert "masseter" in s.in_window and "quadriceps" in s.in_window
    late = startle.startle_state(151)
    assert late.waiting == () and late.in_window == ()


def test_phases_in_time_order():
    assert [startle.phase_at(t) for t in (0, 19, 20, 150, 151, 399, 400, 10000)] == [
        "before", "before", "motor", "motor", "pause", "pause", "autonomic", "autonomic"]


def test_curl_is_zero_before_the_first_onset_and_full_after_the_motor_burst(data):
    assert all(v == 0 for v in startle.segment_curl(29).values())
    done = startle.segment_curl(data.motor_window_ms[1] + data.curl_rise_ms)
    assert all(v == 1 for v in done.values())


def test_curl_grows_in_onset_order():
    c = startle.segment_curl(50)
    assert c["eyes"] > 0 and c["neck"] == 0 and c["arms"] == 0
    c = startle.segment_curl(70)
    assert c["neck"] > c["arms"] > 0


@settings(max_examples=150, deadline=None)
@given(st.floats(0, 10000), st.floats(0, 10000))
def test_curl_never_decreases_with_time(a, b):
    t1, t2 = sorted((a, b))
    c1, c2 = startle.segment_curl(t1), startle.segment_curl(t2)
    for seg in c1:
        assert 0 <= c1[seg] <= c2[seg] <= 1


def test_activation_of_a_range_muscle_spreads_over_its_window():
    # inside the window the value is strictly between 0 and 1 and rises
    values = [startle.activation("quadriceps", t) for t in (56, 100, 149)]
    assert 0 < values[0] < values[1] < values[2] < 1


# --------------------------------------------------------------------------- bad input

@pytest.mark.parametrize("bad", [-1, -0.001, float("nan"), float("inf"), 10000.5, 1e9])
def test_bad_times_raise_naming_value_and_range(bad):
    with pytest.raises(ValueError) as exc:
        startle.startle_state(bad)
    assert repr(bad) in str(exc.value)
    assert "0 to 10000" in str(exc.value)


@pytest.mark.parametrize("bad", ["50", None, True, [50], object()])
def test_non_numeric_times_raise(bad):
    with pytest.raises(ValueError, match="not a number"):
        startle.segment_curl(bad)


def test_unknown_muscle_raises_naming_it_and_the_valid_ids():
    with pytest.raises(ValueError) as exc:
        startle.activation("psoas_major", 50)
    assert "'psoas_major'" in str(exc.value)
    assert "orbicularis_oculi" in str(exc.value)


def test_numpy_scalars_are_accepted():
    assert startle.startle_state(np.float64(40)).started == ("orbicularis_oculi",)


# --------------------------------------------------------------------------- data checks

def test_cross_checks_reject_an_onset_outside_the_motor_window(data):
    bad = dataclasses.replace(data.muscles[0], onset=startle.Onset("approx", 10, 10))
    broken = dataclasses.replace(data, muscles=(bad, *data.muscles[1:]))
    with pytest.raises(DataError, match=r"orbicularis_oculi.*outside the motor window"):
        startle._check_startle(broken, "data/startle/startle.json")


def test_cross_checks_reject_an_order_that_contradicts_the_onsets(data):
    first = dataclasses.replace(data.muscles[0], order_group=9)
    broken = dataclasses.replace(data, muscles=(first, *data.muscles[1:]))
    with pytest.raises(DataError, match="order_group"):
        startle._check_startle(broken, "data/startle/startle.json")


def _with_data(monkeypatch, relpath, edit):
    """Make the package read an edited copy of one data file (and clear the caches)."""
    from melt_course.content import loader

    real_read = loader._read
    raw = real_read(relpath)
    edit(raw)
    monkeypatch.setattr(loader, "_read",
                        lambda path: raw if path == relpath else real_read(path))
    for fn in (startle.load_startle, startle.load_stress_model, startle.load_claims):
        fn.cache_clear()


@pytest.fixture
def clear_caches():
    yield
    for fn in (startle.load_startle, startle.load_stress_model, startle.load_claims):
        fn.cache_clear()


def test_a_muscle_without_references_is_refused_by_name(monkeypatch, clear_caches):
    _with_data(monkeypatch, "startle/startle.json",
               lambda raw: raw["muscles"][2].update(refs=[]))
    with pytest.raises(DataError) as exc:
        startle.load_startle()
    assert exc.value.entry == "sternocleidomastoid"
    assert exc.value.field == "refs"
    assert "data/startle/startle.json" in str(exc.value)


def test_an_unknown_reference_is_refused_naming_muscle_and_key(monkeypatch, clear_caches):
    _with_data(monkeypatch, "startle/startle.json",
               lambda raw: raw["muscles"][1].update(refs=["nobody2099"]))
    with pytest.raises(DataError, match=r"startle\.json, muscle '\w+'.*'nobody2099'"):
        startle.load_startle()


def test_a_claim_labelled_research_is_refused(monkeypatch, clear_caches):
    _with_data(monkeypatch, "startle_claims.json",
               lambda raw: raw["claims"][0].update(label="research"))
    with pytest.raises(DataError) as exc:
        startle.load_claims()
    assert exc.value.entry == "psoas-in-the-reflex" and exc.value.field == "label"


def test_a_slow_axis_faster_than_it_rises_is_refused(monkeypatch, clear_caches):
    _with_data(monkeypatch, "startle/startle.json",
               lambda raw: raw["stress_response_model"]["axes"][1].update(rise_s=9999.0))
    with pytest.raises(DataError, match="rise_s"):
        startle.load_stress_model()


# --------------------------------------------------------------------------- stress model

def test_adrenaline_acts_in_seconds_and_cortisol_in_minutes_to_hours():
    axes = {a.id: a for a in startle.load_stress_model().axes}
    assert axes["sam"].peak_time_s < 60
    assert 60 <= axes["hpa"].peak_time_s <= 6 * 3600
    assert "cortisol" in axes["hpa"].messengers and "adrenaline" in axes["sam"].messengers
    levels = startle.stress_levels(3600)
    assert levels["hpa"] > 0.3 > levels["sam"]
    levels = startle.stress_levels(10)
    assert levels["sam"] > 0.9 > 0.1 > levels["hpa"]


def test_stress_shapes_peak_at_one_and_start_at_zero():
    model = startle.load_stress_model()
    t = np.logspace(-1, math.log10(model.time_max_s), 2000)
    curves = startle.stress_levels(t)
    for axis in model.axes:
        assert curves[axis.id].max() == pytest.approx(1.0, abs=1e-3)
        assert curves[axis.id].min() >= 0
        assert startle.stress_levels(0)[axis.id] == 0
        assert float(axis.level(axis.peak_time_s)) == pytest.approx(1.0)


def test_stress_model_says_it_is_a_shape_not_data_and_cites_statpearls():
    model = startle.load_stress_model()
    assert "not measured data" in model.statement
    assert model.refs == ("statpearls-stress",)


@pytest.mark.parametrize("bad", [-1, float("nan"), 1e6, "10", None])
def test_stress_levels_reject_bad_times(bad):
    with pytest.raises(ValueError, match="t_s"):
        startle.stress_levels(bad)


def test_stress_levels_reject_bad_arrays():
    with pytest.raises(ValueError, match=r"-5\.0"):
        startle.stress_levels(np.array([1.0, -5.0]))
    with pytest.raises(ValueError, match="not numeric"):
        startle.stress_levels(np.array(["a", "b"]))


# --------------------------------------------------------------------------- claims

def test_claims_are_attributed_and_never_labelled_as_research():
    claims = startle.load_claims()
    assert len(claims) >= 4
    for c in claims:
        assert c.label in {"MELT", "practitioner view", "contested"}
        assert c.measured_refs and c.why_not


def test_the_psoas_rows_say_what_was_not_measured():
    claims = {c.id: c for c in startle.load_claims()}
    assert "psoas EMG" in claims["psoas-in-the-reflex"].why_not
    assert "hitzmann-psoas" in claims["psoas-in-the-reflex"].claim_refs
    tre = claims["trauma-exercises-work-through-psoas"]
    assert "parker2024" in tre.measured_refs and "did not measure the psoas" in tre.why_not
    assert claims["psoas-stores-trauma"].label == "contested"
