"""The question bank's records: a question, one of its options, and the outcome of grading.

What differs between question types (which fields they use, how they are checked, graded and
exported) lives in one module per type (:mod:`.single`, :mod:`.multiple`, :mod:`.numeric`,
:mod:`.ordering`, :mod:`.label`); the methods here hand over to the question's type.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from melt_course.content.schema import brief

__all__ = ["Option", "Question", "Result", "shown"]



def shown(value: Any) -> str:
    """A learner's answer for an error message: its ``repr``, at most 80 characters (long
    strings, big containers and huge numbers abbreviated, see
    :func:`melt_course.content.schema.brief`)."""
    return brief(value, 80)


@dataclass(frozen=True)
class Option:
    """One option of a single- or multiple-choice question, with its own feedback."""

    text: str
    feedback: str


@dataclass(frozen=True)
class Question:
    """One question of the bank.

    Attributes
    ----------
    id : str
        Unique id, ``"NN-slug"`` where NN is the lesson.
    type : str
        One of :data:`melt_course.content.quiz.QUESTION_TYPES`.
    lesson : str
        Lesson id, e.g. ``"00"``.
    objective : int
        1-based index into the lesson's objectives (``course.json``).
    prompt, explanation, section : str
        The question, the explanation shown once it is answered, and the heading of the
        lesson section the explanation points to ("Look again at: ...").
    label : str
        Evidence label of the fact the question tests (for the teacher's answer key; never
        shown on the learner's card, where it could give the answer away).
    refs : tuple of str
        Bibliography keys.
    options : tuple of Option
        For ``single`` and ``multiple``.
    answer : object
        The right answer in the form :func:`~melt_course.content.quiz.grade` takes: an index
        (single), a tuple of indices (multiple), a float (numeric), the items in order
        (ordering) or a structure name (label).
    tolerance : float or None
        Numeric questions: the largest accepted distance from ``answer``.
    units : str or None
        Numeric questions: the units of the answer.
    feedback : tuple of (str, str)
        Question-level feedback (numeric: correct/too_low/too_high; ordering and label:
        correct/incorrect); read it with :meth:`feedback_for`.
    items : tuple of str
        Ordering questions: the items in the right order.
    figure : str or None
        Label questions: the drawing function, ``"module:function"`` in
        ``melt_course.figures``, called as ``function(ax, highlight=structure)``.
    figure_alt : str or None
        Label questions: text alternative saying where the marked structure is.
    structures : tuple of str
        Label questions: the names to choose from.
    source : str
        The file the question came from.
    """

    id: str
    type: str
    lesson: str
    objective: int
    prompt: str
    explanation: str
    section: str
    label: str
    refs: tuple[str, ...]
    options: tuple[Option, ...] = ()
    answer: Any = None
    tolerance: float | None = None
    units: str | None = None
    feedback: tuple[tuple[str, str], ...] = ()
    items: tuple[str, ...] = ()
    figure: str | None = None
    figure_alt: str | None = None
    structures: tuple[str, ...] = ()
    source: str = field(default="", compare=False)

    def __hash__(self) -> int:
        return hash(self.id)

    @property
    def handler(self) -> Any:
        """The question's type: the object that checks, grades and exports it."""
        from melt_course.content.quiz.registry import handler

        return handler(self.type)

    def feedback_for(self, key: str) -> str:
        """Question-level feedback text for ``key`` (e.g. ``"too_low"``).

        Raises
        ------
        KeyError
            When the question has no feedback of that kind.
        """
        for name, text in self.feedback:
            if name == key:
                return text
        raise KeyError(f"question {self.id!r} has no {key!r} feedback; "
                       f"it has {[name for name, _ in self.feedback]}")

    def choices(self) -> tuple[str, ...]:
        """What the learner chooses among: option texts, ordering items or structures."""
        return self.handler.choices(self)

    def answer_text(self) -> str:
        """The right answer as a short text, e.g. for an answer key."""
        return self.handler.describe(self, self.handler.key(self))

    def describe_answer(self, answer: Any) -> str:
        """A recorded answer (as :class:`Result` ``.answer`` holds it) as readable text.

        Option indices become option texts (each question type's ``describe``); an answer that
        no longer fits the question (the bank changed since it was recorded) is shown as
        recorded, as JSON.
        """
        try:
            return self.handler.describe(self, answer)
        except (IndexError, KeyError, TypeError, ValueError, OverflowError):
            if isinstance(answer, str):
                return answer
            try:
                return json.dumps(answer, ensure_ascii=False)
            except (TypeError, ValueError):
                return repr(answer)


@dataclass(frozen=True)
class Result:
    """The outcome of :func:`~melt_course.content.quiz.grade`.

    Attributes
    ----------
    correct : bool
        Whether the answer is right.
    feedback : str
        The feedback for this answer, one message per line. No message restates the
        verdict ("Right", "Not quite"): the quiz card says that once, above them.
    messages : tuple of str
        The same feedback as separate messages (per chosen option, then a summary).
    answer : object
        The answer in normalised, JSON-ready form (int, list of int, float, list of str, str).
    explanation : str
        The question's explanation.
    section : str
        The lesson section the explanation points to.
    question_id : str
        The question's id.
    """

    correct: bool
    feedback: str
    messages: tuple[str, ...]
    answer: Any
    explanation: str
    section: str
    question_id: str
