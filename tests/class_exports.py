"""Generate learners' progress exports the way the course writes them (real store, real grading),
for the class-report tests and the class-report demo."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from melt_course.content import quiz as Q
from melt_course.records.store import open_store


class Clock:
    """A clock that moves one minute per call (so records have distinct, ordered times)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


def answer(store, question_id: str, given, mode: str = "quiz", attempt: int = 1) -> bool:
    """Grade ``given`` and record it as the quiz widget does; return whether it was right."""
    question = Q.get(question_id)
    result = Q.grade(question, given)
    data = {"question": question.id, "lesson": question.lesson, "type": question.type,
            "answer": result.answer, "correct": result.correct, "attempt": attempt,
            "mode": mode}
    if question.type == "single":
        data["answer_text"] = question.options[result.answer].text
    store.add_record("quiz_attempt", data)
    return result.correct


def make_export(folder: Path, name: str, answers: dict[str, list], routines=()) -> Path:
    """A learner who gave ``answers[qid]`` (tries in order) and logged ``routines``
    (``(names, seconds, completed)``); returns the export file."""
    store = open_store(folder / f"store-{name}.json", learner=name, clock=Clock())
    for qid, tries in answers.items():
        for n, given in enumerate(tries, 1):
            answer(store, qid, given, attempt=n)
    for names, seconds, completed in routines:
        store.add_record("routine_session", {"routines": list(names), "seconds": seconds,
                                             "completed": completed})
    return store.export(folder / f"export-{name}.json")


def right_answer(question_id: str):
    question = Q.get(question_id)
    return list(question.answer) if question.type in ("multiple", "ordering") \
        else question.answer
