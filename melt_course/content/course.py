"""The course map: lessons in order, with objectives and estimated minutes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from melt_course.content.loader import DataError, load_json, record

__all__ = ["NAV_TAG", "Lesson", "LessonNeighbours", "lesson", "load_course",
           "neighbours", "total_minutes"]

#: Metadata tag of a lesson's navigation cells, its first and last cell (written from this
#: course map by scripts/lesson_nav.py; not reading matter for the timing rule).
NAV_TAG = "lesson-nav"


@dataclass(frozen=True)
class Lesson:
    """One lesson of the course map."""

    id: str
    title: str
    notebook: str
    minutes: int
    objectives: tuple[str, ...]
    status: str

    @property
    def available(self) -> bool:
        """Whether learners can open the lesson (``status == "available"``)."""
        return self.status == "available"


@cache
def load_course() -> tuple[Lesson, ...]:
    """Load the course map, validated, in lesson order.

    Raises
    ------
    DataError
        When the file is malformed, ids repeat or are out of order, or a notebook name does
        not start with its lesson id.
    """
    data = load_json("course.json", "course")
    lessons = []
    for item in data["lessons"]:
        if not item["notebook"].startswith(f"{item['id']}_"):
            raise DataError("data/course.json", "notebook name must start with the lesson id",
                            entry=item["id"], field="notebook")
        lessons.append(record(Lesson, item, "data/course.json", entry=item["id"], refs=()))
    ids = [les.id for les in lessons]
    if ids != sorted(set(ids)):
        raise DataError("data/course.json", f"lesson ids must be unique and in order, got {ids}")
    return tuple(lessons)


def lesson(lesson_id: str) -> Lesson:
    """Return one lesson by id (``"00"`` ... ).

    Raises
    ------
    KeyError
        Naming the id and the valid ids.
    """
    for item in load_course():
        if item.id == lesson_id:
            return item
    valid = [item.id for item in load_course()]
    raise KeyError(f"unknown lesson {lesson_id!r}; expected one of {valid}")


def total_minutes(status: str | None = None) -> int:
    """Sum of the lessons' minutes, optionally only those with a given status."""
    return sum(item.minutes for item in load_course() if status in (None, item.status))


@dataclass(frozen=True)
class LessonNeighbours:
    """Where a learner can go from one lesson: the lessons before and after it in the course
    map (None at either end) and the first lesson, which holds the course map."""

    current: Lesson
    previous: Lesson | None
    next: Lesson | None
    start: Lesson


def neighbours(lesson_id: str) -> LessonNeighbours:
    """The lessons before and after ``lesson_id`` in the course map, and the start lesson.

    Lessons that are not available are returned too (a navigation bar names them without a
    link: see :attr:`Lesson.available`).

    Raises
    ------
    KeyError
        For an unknown lesson id, naming the valid ids (see :func:`lesson`).
    """
    lessons = load_course()
    index = lessons.index(lesson(lesson_id))
    return LessonNeighbours(current=lessons[index],
                            previous=lessons[index - 1] if index > 0 else None,
                            next=lessons[index + 1] if index + 1 < len(lessons) else None,
                            start=lessons[0])
