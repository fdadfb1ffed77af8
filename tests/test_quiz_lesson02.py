"""Lesson 2's question bank: every objective asked twice, numbers still what the model says."""

import pytest

from melt_course.content import course
from melt_course.content import quiz as Q
from melt_course.models import biomech as bm
from melt_course.models import fibres, gait
from melt_course.models import reference as ref

QUESTIONS = {q.id: q for q in Q.by_lesson("02")}

# How each numeric answer is computed from the model now.
MODEL_ANSWERS = {
    "02-moment-arm-standing": lambda: bm.moment_arm("psoas", 0.0) * 100,
    "02-length-standing-to-sitting": lambda: (bm.musculotendon_length("psoas", 0.0)
                                              - bm.musculotendon_length("psoas", 90.0)) * 100,
    "02-gait-toe-off": lambda: gait.gait_cycle().toe_off_percent,
    "02-capacity-after-hold": lambda: bm.capacity_after(0.2, 300.0, 0.0, "ankle") * 100,
}


def test_every_objective_has_at_least_two_questions():
    objectives = course.lesson("02").objectives
    for number in range(1, len(objectives) + 1):
        assert sum(q.objective == number for q in QUESTIONS.values()) >= 2, number


def test_every_numeric_question_is_computed_from_the_model():
    numeric = {qid for qid, q in QUESTIONS.items() if q.type == "numeric"}
    assert numeric == set(MODEL_ANSWERS)


@pytest.mark.parametrize("qid", sorted(MODEL_ANSWERS))
def test_numeric_answers_still_agree_with_the_model(qid):
    q = QUESTIONS[qid]
    value = MODEL_ANSWERS[qid]()
    # The stored answer must sit well inside its own tolerance of the model's value.
    assert abs(q.answer - value) <= q.tolerance / 2, (qid, q.answer, value)
    assert Q.grade(q, value).correct


def test_ordering_of_fibre_lengths_matches_the_model():
    q = QUESTIONS["02-order-fibre-lengths"]
    poses = [item.replace(" (back leg)", "") for item in q.items]
    lengths = [bm.four_words(p).short_fraction for p in poses]
    assert lengths == sorted(lengths)


def test_low_back_question_matches_the_model():
    change = bm.musculotendon_length("psoas", 0.0, 20.0) - bm.musculotendon_length("psoas", 0.0)
    assert 0.001 < change < 0.004   # "about 2 mm"
    assert bm.musculotendon_length("iliacus", 0.0, 20.0) == bm.musculotendon_length("iliacus", 0)


def test_curve_disagreement_question_matches_the_model():
    thelen = bm.muscle_state("psoas", 90.0, -20.0).active_multiplier
    degroote = bm.muscle_state("psoas", 90.0, -20.0, curves="degroote2016").active_multiplier
    assert thelen == pytest.approx(0.42, abs=0.01) and degroote == pytest.approx(0.02, abs=0.01)


def test_ordering_of_fibre_lengths_holds_in_every_fibre_length_scenario():
    """The explanation says the order is the same whatever the model's assumptions."""
    q = QUESTIONS["02-order-fibre-lengths"]
    angles = [bm.POSES[item.replace(" (back leg)", "")].hip_flexion_deg for item in q.items]
    for key in fibres.SCENARIOS:
        values = [fibres.normalized_fibre_length(key, a) for a in angles]
        assert values == sorted(values), key


def test_rectus_femoris_question_matches_the_model():
    straight = ref.available_moment("rajagopal2016", "rectus_femoris", 45, 0)
    bent = ref.available_moment("rajagopal2016", "rectus_femoris", 45, 90)
    assert bent > 2 * straight
    assert ref.reference_moment_arm("rajagopal2016", "rectus_femoris", 45, 90) == pytest.approx(
        ref.reference_moment_arm("rajagopal2016", "rectus_femoris", 45, 0), abs=0.002)
