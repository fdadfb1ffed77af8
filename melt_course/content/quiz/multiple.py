"""Multiple choice: one or more options are right. Answer: a collection of option indices."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from melt_course.content.quiz.base import QuestionType, option_index
from melt_course.content.quiz.model import Option, Question, shown
from melt_course.content.quiz.single import check_options

__all__ = ["MultipleChoice"]


class MultipleChoice(QuestionType):
    """Tick every right option; each chosen option gets its own feedback."""

    name = "multiple"
    fields = frozenset({"options", "answer"})
    jupyterquiz = "many_choice"

    def build(self, entry: dict) -> dict[str, Any]:
        return {"options": tuple(Option(o["text"], o["feedback"]) for o in entry["options"]),
                "answer": tuple(sorted(entry["answer"]))}

    def cross_check(self, entry: dict, fail: Callable[[str, str], None]) -> None:
        check_options(entry, entry["answer"], fail)

    def choices(self, question: Question) -> tuple[str, ...]:
        return tuple(opt.text for opt in question.options)

    def key(self, question: Question) -> Any:
        return list(question.answer)

    def describe(self, question: Question, answer: Any) -> str:
        count = len(question.options)
        return "; ".join(question.options[option_index(i, count, question.id)].text
                         for i in sorted(answer)) or "(none)"

    def grade(self, question: Question, answer: Any) -> tuple[bool, list[str], Any]:
        q = question
        if isinstance(answer, str | bytes | dict) or not isinstance(answer, Iterable):
            raise ValueError(f"answer {shown(answer)} to question {q.id!r} is not a collection "
                             "of option indices; expected e.g. [0, 2]")
        chosen = [option_index(value, len(q.options), q.id) for value in answer]
        if not chosen:
            raise ValueError(f"answer {shown(answer)} to question {q.id!r} is empty; expected "
                             "at least one option index")
        if len(set(chosen)) != len(chosen):
            raise ValueError(f"answer {shown(answer)} to question {q.id!r} names an option "
                             "twice")
        chosen.sort()
        right = set(q.answer)
        correct = set(chosen) == right
        messages = [f"“{q.options[i].text}” is {'one' if i in right else 'not one'} to tick: "
                    f"{q.options[i].feedback}" for i in chosen]
        if not correct:
            hits = len(right & set(chosen))
            wrong = len(set(chosen) - right)
            messages.append(f"You chose {hits} of the {len(right)} right options"
                            + (f" and {wrong} that {'is' if wrong == 1 else 'are'} not right."
                               if wrong else "."))
        return correct, messages, chosen

    def to_jupyterquiz(self, question: Question, explanation: str,
                       text: Callable[[str], str]) -> dict[str, Any]:
        right = set(question.answer)
        return {
            # jupyterquiz behaves as multiple choice whenever exactly one answer is correct
            "type": "many_choice" if len(right) > 1 else "multiple_choice",
            "answers": [{"answer": text(opt.text), "correct": i in right,
                         "feedback": text(opt.feedback) + (f" {explanation}" if i in right
                                                            else "")}
                        for i, opt in enumerate(question.options)]}
