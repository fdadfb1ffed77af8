"""Ordering: put the items (written in the right order in the file) in order.

Answer: the items, as strings, in the learner's order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from melt_course.content.quiz.base import QuestionType, count_phrase
from melt_course.content.quiz.model import Question, shown

__all__ = ["Ordering"]


class Ordering(QuestionType):
    """Items to put in order; feedback for right and wrong, and how many are in place."""

    name = "ordering"
    fields = frozenset({"items", "feedback"})

    def build(self, entry: dict) -> dict[str, Any]:
        return {"items": tuple(entry["items"]), "answer": tuple(entry["items"])}

    def cross_check(self, entry: dict, fail: Callable[[str, str], None]) -> None:
        if len(set(entry["items"])) != len(entry["items"]):
            fail("two items have the same text, so the order would be ambiguous", "items")

    def choices(self, question: Question) -> tuple[str, ...]:
        return question.items

    def key(self, question: Question) -> Any:
        return list(question.items)

    def describe(self, question: Question, answer: Any) -> str:
        return " → ".join(map(str, answer))

    def grade(self, question: Question, answer: Any) -> tuple[bool, list[str], Any]:
        q = question
        if isinstance(answer, str | bytes) or not isinstance(answer, Sequence):
            raise ValueError(f"answer {shown(answer)} to question {q.id!r} is not a list of "
                             "the items in order")
        given = list(answer)
        if not given:
            raise ValueError(f"answer {shown(answer)} to question {q.id!r} is empty; expected "
                             f"all {len(q.items)} items in order")
        for value in given:
            if not isinstance(value, str):
                raise ValueError(f"item {shown(value)} in the answer to question {q.id!r} is "
                                 "not a string; expected the items' texts")
            if value not in q.items:
                raise ValueError(f"item {shown(value)} in the answer to question {q.id!r} is "
                                 f"not one of the items {list(q.items)}")
        if len(set(given)) != len(given):
            twice = next(v for v in given if given.count(v) > 1)
            raise ValueError(f"answer {shown(answer)} to question {q.id!r} uses {twice!r} "
                             "twice; expected each item once")
        if len(given) != len(q.items):
            raise ValueError(f"answer {shown(answer)} to question {q.id!r} has {len(given)} "
                             f"items; expected all {len(q.items)}")
        placed = sum(a == b for a, b in zip(given, q.items, strict=True))
        correct = placed == len(q.items)
        messages = [q.feedback_for("correct" if correct else "incorrect")]
        if not correct:
            messages.append(count_phrase(placed, len(q.items), "in the right place") + ".")
        return correct, messages, given
