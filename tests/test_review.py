"""Leitner boxes, due questions and mastery per lesson, from quiz-attempt records."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from melt_course.content import quiz as Q
from melt_course.content.course import load_course
from melt_course.content.loader import load_schema
from melt_course.content.schema import iter_issues
from melt_course.records import review as R

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc)
QID = Q.by_lesson("00")[0].id


def _attempt(qid, when, correct, attempt=1, lesson=None):
    return {"id": "0" * 32, "kind": "quiz_attempt",
            "time": when.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "data": {"question": qid, "lesson": lesson or qid[:2], "answer": 0,
                     "correct": correct, "attempt": attempt}}


def _state(records, qid=QID):
    return R.leitner_states(records)[qid]


def test_unanswered_question_is_in_box_0_and_not_due():
    state = _state([])
    assert (state.box, state.due, state.answers) == (0, None, 0)
    assert not state.is_due(T0) and not state.mastered


def test_a_miss_goes_to_box_1_and_is_due_at_once():
    state = _state([_attempt(QID, T0, False)])
    assert state.box == 1 and state.due == T0 and state.is_due(T0)


def test_right_answers_climb_only_when_due():
    recs = [_attempt(QID, T0, True)]                                   # box 2, due +1 day
    assert _state(recs).box == 2 and _state(recs).due == T0 + timedelta(days=1)
    recs.append(_attempt(QID, T0 + timedelta(hours=6), True))          # early: stays
    assert _state(recs).box == 2 and _state(recs).due == T0 + timedelta(days=1)
    assert _state(recs).answers == 2 and _state(recs).right == 2
    recs.append(_attempt(QID, T0 + timedelta(days=1), True))           # due: box 3
    state = _state(recs)
    assert state.box == 3 and state.mastered
    assert state.due == T0 + timedelta(days=1 + R.INTERVAL_DAYS[3])
    t = state.due
    for box in (4, 5, 5):                                              # capped at 5
        recs.append(_attempt(QID, t, True))
        state = _state(recs)
        assert state.box == box
        t = state.due
    recs.append(_attempt(QID, t + timedelta(days=40), False))          # a miss: box 1
    assert _state(recs).box == 1 and not _state(recs).mastered


def test_retries_after_feedback_do_not_count():
    recs = [_attempt(QID, T0, False), _attempt(QID, T0 + timedelta(seconds=30), True, 2)]
    state = _state(recs)
    assert state.box == 1 and state.answers == 1


def test_order_of_records_does_not_matter_only_their_times():
    recs = [_attempt(QID, T0, True), _attempt(QID, T0 + timedelta(days=2), False)]
    assert _state(recs) == _state(list(reversed(recs)))
    assert _state(recs).box == 1


def test_other_kinds_and_unknown_questions_are_ignored():
    recs = [{"kind": "routine_session", "time": "2025-03-01T09:00:00Z",
             "data": {"routines": ["x"], "seconds": 1}},
            _attempt("00-removed-question", T0, True)]
    states = R.leitner_states(recs)
    assert set(states) == {q.id for q in Q.load_bank()}
    assert all(s.box == 0 for s in states.values())


_events = st.lists(st.tuples(st.integers(0, 40 * 24), st.booleans()), max_size=25)


@given(_events)
def test_box_invariants_for_any_history(events):
    t, recs = T0, []
    for hours, correct in events:
        t += timedelta(hours=hours)
        recs.append(_attempt(QID, t, correct))
    state = _state(recs)
    assert 0 <= state.box <= R.BOXES
    assert state.answers == len(events) and state.right == sum(c for _, c in events)
    if events:
        assert (state.box == 1) == (not events[-1][1])
        assert state.due >= state.last - timedelta(0)
    if state.mastered:
        assert state.right >= 2
    if events and not events[-1][1]:
        assert state.is_due(t)


def test_due_questions_most_urgent_first_then_new():
    qs = Q.by_lesson("00")
    recs = [_attempt(qs[0].id, T0, True),                        # box 2, due T0+1d
            _attempt(qs[1].id, T0, False),                       # box 1, due now
            _attempt(qs[2].id, T0 - timedelta(days=3), True)]    # box 2, due T0-2d
    now = T0 + timedelta(hours=1)
    assert [q.id for q in R.due_questions(recs, now)] == [qs[1].id, qs[2].id]
    later = T0 + timedelta(days=2)
    assert [q.id for q in R.due_questions(recs, later)] == [qs[1].id, qs[2].id, qs[0].id]
    with_new = R.due_questions(recs, now, new=2)
    answered = {qs[0].id, qs[1].id, qs[2].id}
    assert len(with_new) == 4 and not {q.id for q in with_new[2:]} & answered
    assert R.due_questions(recs, now, lessons=["06"]) == []
    assert len(R.due_questions([], now, lessons=["06"], new=100)) == len(Q.by_lesson("06"))


@pytest.mark.parametrize("bad", [-1, 1.5, True, "3"])
def test_due_questions_rejects_bad_new(bad):
    with pytest.raises(ValueError, match="new="):
        R.due_questions([], T0, new=bad)


def test_naive_now_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        R.due_questions([], datetime(2025, 1, 1))
    with pytest.raises(ValueError, match="timezone-aware"):
        R.mastery([], datetime(2025, 1, 1))


def test_mastery_counts_per_lesson():
    qs = Q.by_lesson("00")
    recs = [_attempt(qs[0].id, T0, True), _attempt(qs[0].id, T0 + timedelta(days=1), True),
            _attempt(qs[1].id, T0, False), _attempt(qs[2].id, T0, True)]
    rows = {r.lesson: r for r in R.mastery(recs, T0 + timedelta(days=1))}
    with_questions = [les.id for les in load_course() if any(q.lesson == les.id
                                                            for q in Q.load_bank())]
    assert list(rows) == with_questions
    r = rows["00"]
    assert (r.total, r.mastered, r.learning, r.unseen) == (len(qs), 1, 2, len(qs) - 3)
    assert r.due == 2  # the miss, and the box-2 question due after one day
    assert r.fraction == pytest.approx(1 / len(qs))
    assert rows["06"].unseen == rows["06"].total


def test_parse_time():
    assert R.parse_time("2025-03-01T09:00:00.000000Z") == T0
    for bad in ("2025-03-01T09:00:00", "yesterday", 5, "2025-13-01T00:00:00Z"):
        with pytest.raises(ValueError, match="time"):
            R.parse_time(bad)


def test_example_records_are_valid_and_deterministic():
    recs = R.example_records(T0)
    assert recs == R.example_records(T0)
    schema = load_schema("progress")
    for rec in recs:
        full = {**rec, "id": "0" * 32}
        assert next(iter_issues(full, schema["$defs"]["record"], root=schema), None) is None
    rows = R.mastery(recs, T0)
    assert any(r.mastered for r in rows) and any(r.learning for r in rows)
