"""What every question type provides: :class:`QuestionType`, and helpers the types share.

A question type is one module (``single.py``, ``multiple.py``, ...) with one
:class:`QuestionType` subclass. It alone knows its fields, the checks the schema cannot express,
how an answer is graded, how a recorded answer reads as text, and how the question is written
for jupyterquiz; nothing else in the course branches on ``question.type``. The widget layer
has the matching one-module-per-type for showing a question
(:mod:`melt_course.widgets.quiz`).
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any

from melt_course.content.quiz.model import Question, shown

__all__ = ["QuestionType", "count_phrase", "option_index", "text_for_html"]


class QuestionType:
    """One kind of question. Subclasses set the class attributes and override the methods.

    Attributes
    ----------
    name : str
        The ``type`` value in the question files.
    fields : frozenset of str
        Fields this type uses besides the common ones (id, type, objective, prompt, ...).
    jupyterquiz : str or None
        The jupyterquiz question type it exports to, or None when jupyterquiz has none.
    """

    name: str = ""
    fields: frozenset[str] = frozenset()
    jupyterquiz: str | None = None

    def build(self, entry: dict) -> dict[str, Any]:
        """The :class:`Question` fields of this type from a schema-valid file entry."""
        raise NotImplementedError

    def cross_check(self, entry: dict, fail: Callable[[str, str], None]) -> None:
        """Checks the schema cannot express; call ``fail(message, field)`` for a problem."""

    def choices(self, question: Question) -> tuple[str, ...]:
        """What the learner chooses among (none for a typed answer)."""
        return ()

    def key(self, question: Question) -> Any:
        """The right answer in the form :meth:`grade` takes."""
        return question.answer

    def describe(self, question: Question, answer: Any) -> str:
        """An answer in :meth:`grade`'s normalised form, as a short readable text."""
        return str(answer)

    def grade(self, question: Question, answer: Any) -> tuple[bool, list[str], Any]:
        """``(correct, messages, normalised answer)``; ``ValueError`` for a malformed answer.

        The messages never restate the verdict: the card says "Right." or "Not quite." once.
        """
        raise NotImplementedError

    def to_jupyterquiz(self, question: Question, explanation: str,
                       text: Callable[[str], str]) -> dict[str, Any]:
        """jupyterquiz's ``type`` and ``answers`` (and an optional ``prompt_suffix``).

        ``explanation`` is the escaped explanation, to add to the right answer's feedback;
        ``text`` escapes a string for jupyterquiz.
        """
        raise ValueError(f"question {question.id!r} is of type {self.name!r}, which "
                         "jupyterquiz cannot show")


def option_index(value: Any, count: int, qid: str) -> int:
    """An option index from a learner's answer, or ``ValueError`` naming the value."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"answer {shown(value)} to question {qid!r} is not an option index; "
                         f"expected an integer from 0 to {count - 1}")
    if not 0 <= value < count:
        raise ValueError(f"answer {shown(value)} to question {qid!r} is out of range; expected "
                         f"an option index from 0 to {count - 1}")
    return int(value)


def count_phrase(count: int, total: int, what: str) -> str:
    """``"1 of 5 is in the right place"`` / ``"2 of 5 are ..."``: the verb agrees with count."""
    return f"{count} of {total} {'is' if count == 1 else 'are'} {what}"


def text_for_html(text: str) -> str:
    """Text escaped for jupyterquiz, which puts it into innerHTML and runs MathJax over it."""
    from html import escape

    return escape(text, quote=False).replace("$", "&#36;")
