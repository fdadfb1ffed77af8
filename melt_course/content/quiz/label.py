"""Label: name the structure marked on a figure. Answer: one of ``structures`` (a string)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from melt_course.content.quiz.base import QuestionType
from melt_course.content.quiz.model import Question, shown

__all__ = ["Label"]


class Label(QuestionType):
    """A figure with one structure marked, and the names to choose from."""

    name = "label"
    fields = frozenset({"figure", "figure_alt", "structures", "answer", "feedback"})

    def build(self, entry: dict) -> dict[str, Any]:
        return {"figure": entry["figure"], "figure_alt": entry.get("figure_alt"),
                "structures": tuple(entry["structures"]), "answer": entry["answer"]}

    def cross_check(self, entry: dict, fail: Callable[[str, str], None]) -> None:
        structures = entry["structures"]
        if len(set(structures)) != len(structures):
            fail("a structure is listed twice", "structures")
        if entry["answer"] not in structures:
            fail(f"answer {entry['answer']!r} is not among the structures {structures}",
                 "answer")

    def choices(self, question: Question) -> tuple[str, ...]:
        return question.structures

    def grade(self, question: Question, answer: Any) -> tuple[bool, list[str], Any]:
        q = question
        if not isinstance(answer, str):
            raise ValueError(f"answer {shown(answer)} to question {q.id!r} is not a structure "
                             f"name; expected one of {list(q.structures)}")
        if answer not in q.structures:
            raise ValueError(f"answer {shown(answer)} to question {q.id!r} is not one of the "
                             f"structures {list(q.structures)}")
        correct = answer == q.answer
        return correct, [q.feedback_for("correct" if correct else "incorrect")], answer
