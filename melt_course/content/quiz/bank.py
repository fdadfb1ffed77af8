"""Loading the question bank: one file per lesson, validated, cross-checked, cached."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from melt_course.content.bibliography import resolve
from melt_course.content.course import load_course
from melt_course.content.loader import DataError, data_files, load_json, lookup, unique_by
from melt_course.content.quiz.model import Question
from melt_course.content.quiz.registry import handler

__all__ = ["by_lesson", "get", "load_bank", "question_from_entry"]

_FILE_PATTERN = re.compile(r"^quizzes/lesson_([0-9]{2})\.json$")

#: Fields every question has, whatever its type.
COMMON_FIELDS = frozenset({"id", "type", "objective", "prompt", "explanation", "section",
                           "label", "refs"})


def question_from_entry(entry: dict, lesson_id: str, source: str) -> Question:
    """A :class:`Question` from a schema-valid entry of a question file (not cross-checked)."""
    kind = handler(entry["type"])
    kwargs: dict[str, Any] = {
        "id": entry["id"], "type": entry["type"], "lesson": lesson_id,
        "objective": entry["objective"], "prompt": entry["prompt"],
        "explanation": entry["explanation"], "section": entry["section"],
        "label": entry["label"], "refs": tuple(entry["refs"]), "source": source,
        **kind.build(entry)}
    if "feedback" in entry:
        kwargs["feedback"] = tuple(sorted(entry["feedback"].items()))
    return Question(**kwargs)


def _cross_check(entry: dict, lesson_id: str, objectives: int, source: str) -> None:
    """Checks the schema cannot express; raise DataError naming file, question and field."""
    qid = entry["id"]
    kind = handler(entry["type"])

    def fail(message: str, fld: str) -> None:
        raise DataError(source, message, entry=qid, field=fld)

    if not qid.startswith(f"{lesson_id}-"):
        fail(f"id must start with the lesson id {lesson_id!r} and a hyphen", "id")
    extra = set(entry) - COMMON_FIELDS - kind.fields
    if extra:
        fail(f"field not used by {kind.name!r} questions (allowed: {sorted(kind.fields)})",
             sorted(extra)[0])
    if entry["objective"] > objectives:
        fail(f"objective {entry['objective']!r} does not exist: lesson {lesson_id} has "
             f"{objectives} objective(s) in course.json", "objective")
    if len(set(entry["refs"])) != len(entry["refs"]):
        fail("a reference is listed twice", "refs")
    try:
        resolve(entry["refs"], source)
    except DataError as exc:
        fail(str(exc).split(": ", 1)[-1], "refs")
    kind.cross_check(entry, fail)


@cache
def _load_file(path: str) -> tuple[tuple[tuple[str, dict], ...], tuple[Question, ...]]:
    """Load, validate and cross-check one question file (``quizzes/lesson_NN.json``)."""
    lessons = {les.id: les for les in load_course()}
    source = f"data/{path}"
    match = _FILE_PATTERN.match(path)
    if not match:
        raise DataError(source, "question files must be named lesson_NN.json")
    data = load_json(path, "quiz")
    lesson_id = data["lesson"]
    if lesson_id != match.group(1):
        raise DataError(source, f"lesson {lesson_id!r} does not match the file name",
                        field="lesson")
    if lesson_id not in lessons:
        raise DataError(source, f"lesson {lesson_id!r} is not in course.json "
                        f"(lessons: {sorted(lessons)})", field="lesson")
    objectives = len(lessons[lesson_id].objectives)
    seen, questions = [], []
    for entry in data["questions"]:
        _cross_check(entry, lesson_id, objectives, source)
        seen.append((source, entry))
        questions.append(question_from_entry(entry, lesson_id, source))
    unique_by(seen, "id")
    return tuple(seen), tuple(questions)


@cache
def load_bank() -> tuple[Question, ...]:
    """Load, validate and cross-check every question file.

    Returns
    -------
    tuple of Question
        All questions, lesson by lesson, in file order.

    Raises
    ------
    DataError
        Naming file, question and field, when a file does not match the schema, its name
        and ``lesson`` disagree, the lesson is not in ``course.json``, an objective number
        is out of range, an answer index is out of range, a label answer is not among the
        structures, a reference is not in the bibliography, or an id repeats.
    """
    questions: list[Question] = []
    seen: list[tuple[str, dict]] = []
    for path in data_files("quizzes"):
        file_seen, file_questions = _load_file(path)
        seen.extend(file_seen)
        questions.extend(file_questions)
    unique_by(seen, "id")
    return tuple(questions)


def clear_cache() -> None:
    """Forget the loaded question files (for tests that swap the files)."""
    load_bank.cache_clear()
    _load_file.cache_clear()


def by_lesson(lesson_id: str) -> tuple[Question, ...]:
    """The questions of one lesson, in file order.

    Raises
    ------
    KeyError
        When the lesson is not in the course map, or has no questions yet.
    """
    valid = [les.id for les in load_course()]
    if lesson_id not in valid:
        raise KeyError(f"unknown lesson {lesson_id!r}; expected one of {valid}")
    path = f"quizzes/lesson_{lesson_id}.json"
    # One lesson's file is enough to show its quiz (the whole bank, with ids unique across
    # files, is checked by load_bank and the tests).
    found = _load_file(path)[1] if path in data_files("quizzes") else ()
    if not found:
        have = sorted({q.lesson for q in load_bank()})
        raise KeyError(f"lesson {lesson_id!r} has no questions yet; lessons with questions: "
                       f"{have}")
    return found


def get(question_id: str) -> Question:
    """Return one question by id.

    Raises
    ------
    KeyError
        Naming the id and the closest known ids.
    """
    return lookup({q.id: q for q in load_bank()}, question_id, "question")
