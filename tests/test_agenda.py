"""Workshop agendas: the blocks add up to the slot, lessons share the teaching time in
proportion to their minutes, routines keep their real length, bad input is refused."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from melt_course.content import routines as R
from melt_course.content.course import load_course
from melt_course.teaching import agenda as A
from melt_course.teaching.workshop import load_workshop


@pytest.mark.parametrize("slot", [60, 90])
def test_standard_agendas_add_up_to_the_slot_and_run_without_gaps(slot):
    agenda = A.build_agenda(slot)
    assert agenda.total == slot == sum(b.minutes for b in agenda.blocks)
    assert agenda.blocks[0].start == 0 and agenda.blocks[-1].end == slot
    for before, after in zip(agenda.blocks, agenda.blocks[1:], strict=False):
        assert after.start == before.end
    assert all(b.minutes > 0 for b in agenda.blocks)
    assert [b.lesson for b in agenda.blocks if b.kind == "lesson"] == \
        [les.id for les in load_course() if les.id != "06"]  # no spaced review in one session
    assert [b.kind for b in agenda.blocks].count("break") == (1 if slot >= 75 else 0)


@pytest.mark.parametrize("slot", [60, 90])
def test_routine_practice_lasts_at_least_as_long_as_the_routines(slot):
    agenda = A.build_agenda(slot)
    [practice] = [b for b in agenda.blocks if b.kind == "practice"]
    assert practice.routines == load_workshop().routines_for(slot)[0]
    seconds = sum(R.get(name).total_seconds() for name in practice.routines)
    assert practice.minutes * 60 >= seconds + A.PRACTICE_SETUP_MINUTES * 60
    expected = A.PRACTICE_SETUP_MINUTES + sum(
        math.ceil(R.get(n).total_seconds() / 60) + A.TRANSITION_MINUTES
        for n in practice.routines)
    assert practice.minutes == expected


def test_practice_follows_the_lesson_that_introduces_routines():
    agenda = A.build_agenda(90)
    kinds = [(b.kind, b.lesson) for b in agenda.blocks]
    index = kinds.index(("practice", None))
    lesson = next(les for les in load_course() if any("routine" in o.lower()
                                                       for o in les.objectives))
    assert kinds[index - 1] == ("lesson", lesson.id)


def test_break_sits_near_the_middle():
    agenda = A.build_agenda(90)
    [pause] = [b for b in agenda.blocks if b.kind == "break"]
    boundaries = [b.end for b in agenda.blocks[:-1] if b.kind != "break"]
    assert abs(pause.start - 45) <= min(abs(x - 45) for x in boundaries) + pause.minutes


@given(slot=st.integers(min_value=60, max_value=480))
@settings(max_examples=60, deadline=None)
def test_any_long_enough_slot_is_filled_exactly(slot):
    agenda = A.build_agenda(slot)
    assert agenda.total == slot
    minutes = agenda.lesson_minutes()
    assert min(minutes.values()) >= A.MIN_LESSON_MINUTES


@given(weights=st.lists(st.integers(min_value=1, max_value=90), min_size=1, max_size=12),
       extra=st.integers(min_value=0, max_value=400), minimum=st.integers(0, 10))
@settings(max_examples=200, deadline=None)
def test_share_minutes_adds_up_keeps_the_minimum_and_the_order(weights, extra, minimum):
    total = minimum * len(weights) + extra
    shares = A.share_minutes(weights, total, minimum)
    assert sum(shares) == total and min(shares) >= minimum
    pairs = list(zip(weights, shares, strict=True))
    for w1, s1 in pairs:
        for w2, s2 in pairs:
            if w1 > w2:
                assert s1 >= s2  # more self-study minutes never means fewer workshop minutes
            elif w1 == w2:
                assert abs(s1 - s2) <= 1


def test_share_minutes_is_proportional_when_no_minimum_binds():
    assert A.share_minutes([1, 2, 3, 4], 50, 0) == [5, 10, 15, 20]
    assert A.share_minutes([1, 1, 1], 10, 0) == [4, 3, 3]  # largest remainder, first wins
    assert A.share_minutes([1, 100], 20, 5) == [5, 15]  # the minimum binds


def test_share_minutes_refuses_bad_input():
    with pytest.raises(ValueError, match=r"total=7 minutes cannot give 2 parts at least 4"):
        A.share_minutes([1, 1], 7, 4)
    with pytest.raises(ValueError, match=r"weights \[1, 0\] must all be positive"):
        A.share_minutes([1, 0], 10, 0)
    with pytest.raises(ValueError, match=r"must not be empty"):
        A.share_minutes([], 10, 0)


def test_too_short_a_slot_is_refused_with_what_it_needs():
    with pytest.raises(ValueError, match=r"slot=30 minutes is too short .* at least \d+ "
                                         r"minutes"):
        A.build_agenda(30)
    fits = A.build_agenda(30, routines=(), lessons=[les.id for les in load_course()][:2])
    assert fits.total == 30 and "No routine practice" in fits.notes[0]


@pytest.mark.parametrize("slot", [0, -5, 60.5, "60", True])
def test_bad_slot_is_refused(slot):
    with pytest.raises(ValueError, match=r"slot=.* must be a positive whole number"):
        A.build_agenda(slot)


def test_unknown_lesson_and_routine_are_refused():
    with pytest.raises(KeyError, match=r"unknown lesson\(s\) \['42'\]"):
        A.build_agenda(60, lessons=["00", "42"])
    with pytest.raises(KeyError, match=r"Rebalance"):
        A.build_agenda(60, routines=["Rebalanse Sequence"])


def test_without_routine_data_the_agenda_uses_lesson_minutes_and_says_so(monkeypatch):
    monkeypatch.setattr(A, "_routine_plan", lambda names: ([], ["No routine data here."]))
    agenda = A.build_agenda(60)
    assert agenda.total == 60 and "practice" not in [b.kind for b in agenda.blocks]
    assert agenda.notes[0] == "No routine data here."


# --- the one-off workshop (issue 15): what is practised, experiments, questions ----------------

@pytest.mark.parametrize("slot", [60, 90])
def test_a_workshop_practises_the_mini_foot_treatment_not_the_low_back_release(slot):
    agenda = A.build_agenda(slot)
    [practice] = [b for b in agenda.blocks if b.kind == "practice"]
    assert practice.routines[0] == "Mini Soft Ball Foot Treatment"
    assert "Low Back Release Sequence" not in practice.routines
    assert any("best-documented" in note for note in agenda.notes)


@pytest.mark.parametrize("slot", [60, 90])
def test_a_one_off_session_gives_review_time_to_the_rooms_questions(slot):
    agenda = A.build_agenda(slot)
    assert "06" not in agenda.lesson_minutes()
    assert not any("review" in b.title.lower() for b in agenda.blocks)
    [questions] = [b for b in agenda.blocks if b.kind == "questions"]
    assert questions.minutes == load_workshop().answer_minutes_for(slot)
    assert agenda.blocks[-1].kind == "closing" and agenda.blocks[-2] is questions
    assert any("Lesson 06 is left out" in note for note in agenda.notes)
    course = A.build_agenda(slot + 15, one_off=False)  # a course run over weeks keeps it
    assert "06" in course.lesson_minutes()


def test_live_experiments_follow_their_lessons_in_the_body():
    agenda = A.build_agenda(90)
    blocks = list(agenda.blocks)
    found = {b.experiment: i for i, b in enumerate(blocks) if b.kind == "experiment"}
    assert set(found) == {"hip-flexion-landmarks", "single-leg-stance"}
    assert blocks[found["hip-flexion-landmarks"] - 1].lesson == "01"
    assert blocks[found["single-leg-stance"] - 1].lesson == "04"
    short = A.build_agenda(60)
    assert [b.experiment for b in short.blocks if b.kind == "experiment"] == [
        "single-leg-stance"]
    # People are on their feet before minute 48 (the old agenda sat them at screens till then).
    first_move = min(b.start for b in agenda.blocks if b.kind in ("experiment", "practice"))
    assert first_move < 20
