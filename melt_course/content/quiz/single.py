"""Single choice: one option is right. Answer: the option's index (0-based, in file order)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from melt_course.content.quiz.base import QuestionType, option_index
from melt_course.content.quiz.model import Option, Question

__all__ = ["SingleChoice", "check_options"]


def check_options(entry: dict, indices: list[int], fail: Callable[[str, str], None]) -> None:
    """Options with distinct texts, and answer indices in range (single and multiple)."""
    texts = [o["text"] for o in entry["options"]]
    if len(set(texts)) != len(texts):
        fail("two options have the same text", "options")
    for index in indices:
        if index >= len(texts):
            fail(f"answer index {index!r} is out of range: there are {len(texts)} options "
                 f"(indices 0 to {len(texts) - 1})", "answer")


class SingleChoice(QuestionType):
    """One right option among several; each option has its own feedback."""

    name = "single"
    fields = frozenset({"options", "answer"})
    jupyterquiz = "multiple_choice"

    def build(self, entry: dict) -> dict[str, Any]:
        return {"options": tuple(Option(o["text"], o["feedback"]) for o in entry["options"]),
                "answer": entry["answer"]}

    def cross_check(self, entry: dict, fail: Callable[[str, str], None]) -> None:
        check_options(entry, [entry["answer"]], fail)

    def choices(self, question: Question) -> tuple[str, ...]:
        return tuple(opt.text for opt in question.options)

    def describe(self, question: Question, answer: Any) -> str:
        return question.options[option_index(answer, len(question.options), question.id)].text

    def grade(self, question: Question, answer: Any) -> tuple[bool, list[str], Any]:
        index = option_index(answer, len(question.options), question.id)
        return index == question.answer, [question.options[index].feedback], index

    def to_jupyterquiz(self, question: Question, explanation: str,
                       text: Callable[[str], str]) -> dict[str, Any]:
        return {"type": self.jupyterquiz, "answers": [
            {"answer": text(opt.text), "correct": i == question.answer,
             "feedback": text(opt.feedback) + (f" {explanation}" if i == question.answer
                                                else "")}
            for i, opt in enumerate(question.options)]}
