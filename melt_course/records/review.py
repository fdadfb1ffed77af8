"""Spaced review with Leitner boxes, and mastery per lesson, from the learner's quiz attempts.

The course's model (after Leitner 1972; spacing and testing effects: Cepeda et al. 2006,
Roediger & Karpicke 2006):

- Every question starts outside the boxes (box 0, "not yet answered").
- Only the *first* check of a question in a quiz or review round counts as recall
  (``attempt == 1``); checking again after "Try again" is learning from feedback, not
  recall, and moves nothing.
- A wrong answer sends the question to box 1, which is due again at the next review.
- A right answer moves it up one box (to at most box 5) **if it was due**; a right answer
  before the question is due again leaves the box as it is (no credit for cramming).
- Box ``b`` is due :data:`INTERVAL_DAYS` ``[b]`` days after the last counted answer.
- A question is *mastered* in box :data:`MASTERED_BOX` or higher: answered right from memory
  on at least two separate occasions, the second after a wait. This is the course's one
  definition of mastery (:func:`mastered_ids`): the learner's mastery chart counts it per
  lesson, and the class report counts a learner as having mastered a lesson when every
  question of it is mastered by it.

Pure Python: records in, states out. Times are timezone-aware UTC datetimes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from melt_course.content import quiz as Q
from melt_course.content.course import load_course

__all__ = ["BOXES", "INTERVAL_DAYS", "MASTERED_BOX", "CardState", "LessonMastery",
           "due_questions", "example_records", "leitner_states", "mastered_ids", "mastery",
           "parse_time"]

#: Number of Leitner boxes.
BOXES = 5
#: Days until a question in box 1..5 is due again (index 0 unused: never answered).
INTERVAL_DAYS = (0, 0, 1, 3, 7, 16)
#: Lowest box that counts as mastered.
MASTERED_BOX = 3


def parse_time(text: str) -> datetime:
    """Parse a progress record's time (``2024-05-01T09:00:00.000000Z``) as aware UTC.

    Raises
    ------
    ValueError
        Naming the text, when it is not such a time.
    """
    if not isinstance(text, str) or not text.endswith("Z"):
        raise ValueError(f"time {text!r} is not an ISO 8601 UTC time ending in 'Z'")
    try:
        return datetime.fromisoformat(text[:-1]).replace(tzinfo=timezone.utc)
    except ValueError:
        raise ValueError(f"time {text!r} is not an ISO 8601 UTC time") from None


def _check_now(now: datetime) -> datetime:
    if not isinstance(now, datetime) or now.tzinfo is None:
        raise ValueError(f"now={now!r} must be a timezone-aware datetime")
    return now


@dataclass(frozen=True)
class CardState:
    """Where one question stands in the Leitner boxes.

    Attributes
    ----------
    question_id, lesson : str
        The question and its lesson.
    box : int
        0 (never answered) to :data:`BOXES`.
    due : datetime or None
        When it is due again (None when never answered).
    last : datetime or None
        Time of the last counted answer.
    answers, right : int
        Counted answers (first checks) and how many of them were right.
    """

    question_id: str
    lesson: str
    box: int = 0
    due: datetime | None = None
    last: datetime | None = None
    answers: int = 0
    right: int = 0

    def is_due(self, now: datetime) -> bool:
        """Whether the question has been answered and is due for review at ``now``."""
        return self.due is not None and self.due <= _check_now(now)

    @property
    def mastered(self) -> bool:
        """In box :data:`MASTERED_BOX` or higher."""
        return self.box >= MASTERED_BOX


def _step(state: CardState, correct: bool, when: datetime) -> CardState:
    if not correct:
        box = 1
    elif state.box == 0:
        box = 2  # right the first time it was ever asked: known already
    elif state.due is not None and when >= state.due:
        box = min(state.box + 1, BOXES)
    else:
        # right, but early: keep the box and the due date; only a due recall promotes
        return CardState(state.question_id, state.lesson, state.box, state.due, when,
                         state.answers + 1, state.right + 1)
    return CardState(state.question_id, state.lesson, box,
                     when + timedelta(days=INTERVAL_DAYS[box]), when, state.answers + 1,
                     state.right + int(correct))


def leitner_states(records: Iterable[dict],
                   questions: Iterable[Q.Question] | None = None) -> dict[str, CardState]:
    """Replay quiz attempts into one Leitner state per question.

    Parameters
    ----------
    records : iterable of dict
        Progress records (any kinds; only ``quiz_attempt`` ones are used), e.g.
        ``store.records()``.
    questions : iterable of Question, optional
        The questions to track (default: the whole bank). Attempts at other questions
        (e.g. ones removed from the bank) are ignored.

    Returns
    -------
    dict of str to CardState
        Every tracked question, in bank order; unanswered ones in box 0.

    Raises
    ------
    ValueError
        When a quiz attempt has no valid time.
    """
    tracked = list(Q.load_bank() if questions is None else questions)
    states = {q.id: CardState(q.id, q.lesson) for q in tracked}
    attempts = []
    for order, rec in enumerate(records):
        if rec.get("kind") != "quiz_attempt":
            continue
        data = rec["data"]
        if data.get("question") not in states or data.get("attempt", 1) != 1:
            continue
        attempts.append((parse_time(rec["time"]), order, data["question"],
                         bool(data["correct"])))
    for when, _order, qid, correct in sorted(attempts):
        states[qid] = _step(states[qid], correct, when)
    return states


def mastered_ids(records: Iterable[dict],
                 questions: Iterable[Q.Question] | None = None) -> set[str]:
    """The ids of the questions a learner has mastered: the course's one definition.

    A question is mastered in Leitner box :data:`MASTERED_BOX` or higher (see the module's
    description): right from memory at a first check, and right again when it came back
    due after a wait. Answering everything right in one sitting masters nothing yet.

    Parameters
    ----------
    records : iterable of dict
        One learner's progress records.
    questions : iterable of Question, optional
        The questions to consider (default: the whole bank).
    """
    return {qid for qid, state in leitner_states(records, questions).items() if state.mastered}


def due_questions(records: Iterable[dict], now: datetime, lessons: Iterable[str] | None = None,
                  new: int = 0) -> list[Q.Question]:
    """The questions due for review at ``now``, most urgent first.

    Parameters
    ----------
    records : iterable of dict
        Progress records.
    now : datetime
        Timezone-aware current time.
    lessons : iterable of str, optional
        Only questions of these lessons.
    new : int
        Also add up to this many never-answered questions (in bank order) at the end.

    Returns
    -------
    list of Question
        Due questions ordered by box (lowest first), then by how long they have been due,
        then by id; then the new ones.
    """
    _check_now(now)
    if isinstance(new, bool) or not isinstance(new, int) or new < 0:
        raise ValueError(f"new={new!r} must be a whole number >= 0")
    wanted = None if lessons is None else set(lessons)
    bank = [q for q in Q.load_bank() if wanted is None or q.lesson in wanted]
    states = leitner_states(records, bank)
    by_id = {q.id: q for q in bank}
    due = sorted((s for s in states.values() if s.is_due(now)),
                 key=lambda s: (s.box, s.due, s.question_id))
    fresh = [s for s in states.values() if s.box == 0][:new]
    return [by_id[s.question_id] for s in [*due, *fresh]]


@dataclass(frozen=True)
class LessonMastery:
    """Counts for one lesson's questions."""

    lesson: str
    title: str
    total: int
    mastered: int
    learning: int
    unseen: int
    due: int

    @property
    def fraction(self) -> float:
        """Mastered share of the lesson's questions, 0 to 1."""
        return self.mastered / self.total if self.total else 0.0


def mastery(records: Iterable[dict], now: datetime) -> list[LessonMastery]:
    """Mastery per lesson, for every lesson that has questions, in course order.

    Parameters
    ----------
    records : iterable of dict
        Progress records.
    now : datetime
        Timezone-aware current time (for the ``due`` counts).
    """
    _check_now(now)
    states = leitner_states(records)
    rows = []
    for les in load_course():
        mine = [s for s in states.values() if s.lesson == les.id]
        if not mine:
            continue
        mastered = sum(s.mastered for s in mine)  # the one definition: CardState.mastered
        unseen = sum(s.box == 0 for s in mine)
        rows.append(LessonMastery(les.id, les.title, len(mine), mastered,
                                  len(mine) - mastered - unseen, unseen,
                                  sum(s.is_due(now) for s in mine)))
    return rows


def example_records(now: datetime) -> list[dict]:
    """A made-up learner's history, for showing how to read the chart (never saved).

    Over three weeks the example learner answers every question of the first lessons that
    have questions: most right at the first try and again a few days later, some wrong
    once. Deterministic for a given ``now``.
    """
    _check_now(now)
    bank = Q.load_bank()
    lessons = sorted({q.lesson for q in bank})
    records = []
    start = now - timedelta(days=21)
    for li, lesson_id in enumerate(lessons[:3]):
        qs = [q for q in bank if q.lesson == lesson_id]
        for qi, q in enumerate(qs):
            first_right = (qi + li) % 4 != 3
            schedule = [(start + timedelta(days=li * 2, minutes=qi), first_right)]
            if li == 0:  # the first lesson was reviewed twice more
                schedule += [(start + timedelta(days=4, minutes=qi), True),
                             (start + timedelta(days=12, minutes=qi), qi % 5 != 4)]
            elif li == 1 and qi % 2 == 0:
                schedule.append((start + timedelta(days=8, minutes=qi), True))
            for when, correct in schedule:
                records.append({"kind": "quiz_attempt",
                                "time": when.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                                "data": {"question": q.id, "lesson": q.lesson,
                                         "answer": "example", "correct": correct,
                                         "attempt": 1}})
    return records
