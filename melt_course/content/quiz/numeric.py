"""Numeric: a number in the question's ``units``, right within ``tolerance``.

Answer: a number. What a learner types is read by :func:`parse_number`, which accepts a decimal
comma ("36,5" is 36.5) as well as a decimal point, and the question's units after the number
("90 degrees", "68 %").
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Callable
from typing import Any

from melt_course.content.quiz.base import QuestionType
from melt_course.content.quiz.model import Question, shown

__all__ = ["Numeric", "accepted_range", "parse_number", "units_hint"]

_FAR = 1e308  # jupyterquiz ranges are numbers: stand-ins for -inf and +inf
_NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")
_MINUS = str.maketrans({"\u2212": "-", "\u2013": "-"})
_SPACES = re.compile(r"(?<=[0-9])[ \u00a0\u202f\u2009](?=[0-9]{3}\b)")  # 1 000 -> 1000


def accepted_range(question: Question) -> tuple[float, float]:
    """The closed interval of answers a numeric question accepts.

    ``answer ± tolerance``, widened by a hair (1e-9 relative) so that a value typed exactly
    at the edge is not lost to floating-point rounding.

    Raises
    ------
    ValueError
        When the question is not numeric.
    """
    if question.type != "numeric":
        raise ValueError(f"question {question.id!r} is {question.type!r}, not numeric")
    slack = question.tolerance + 1e-9 * max(1.0, abs(question.answer))
    return question.answer - slack, question.answer + slack


def units_hint(question: Question) -> str:
    """What the number in the box means, said once next to it (e.g. for ``%``)."""
    units = question.units or ""
    if units == "%":
        return "% (a percentage: type 50 for 50 %, not 0.5)"
    return units


def parse_number(text: str, question: Question | None = None) -> float:
    """Read a number as a learner types it.

    Accepts a decimal point or a decimal comma (``"36.5"``, ``"36,5"``), a leading ``+`` or
    ``-`` (also the typographic minus), spaces between thousands (``"1 000"``), and the
    question's units written after the number (``"90 degrees"``, ``"68%"``).

    Parameters
    ----------
    text : str
        What the learner typed.
    question : Question, optional
        The numeric question, whose units may follow the number.

    Returns
    -------
    float
        The number, finite.

    Raises
    ------
    ValueError
        With a message for the learner when the text is empty, is not one number, uses both
        a decimal point and a decimal comma, or names other units.
    """
    if not isinstance(text, str):
        raise ValueError(f"answer {shown(text)} is not text; expected what the learner typed")
    raw = text.strip()
    if not raw:
        raise ValueError("The box is empty: type a number first.")
    body = raw.translate(_MINUS)
    units = (question.units or "").strip() if question is not None else ""
    if units and body.lower().endswith(units.lower()):
        body = body[:-len(units)].rstrip()
    elif body.endswith("%"):
        raise ValueError(f"{shown(raw)} is a percentage, but this answer is in "
                         f"{units or 'plain numbers'}: type the number only.")
    body = _SPACES.sub("", body)
    if "," in body and "." in body:
        raise ValueError(f"{shown(raw)} has both a decimal point and a comma: use one, for "
                         "example 36.5 or 36,5.")
    if body.count(",") == 1:
        body = body.replace(",", ".")
    if not _NUMBER.match(body):
        raise ValueError(f"{shown(raw)} is not a number. Type digits with a decimal point or "
                         "comma, for example 36.5 or 36,5.")
    value = float(body)
    if not math.isfinite(value):
        raise ValueError(f"{shown(raw)} is too large a number.")
    return value


class Numeric(QuestionType):
    """A typed number, with feedback for too low, too high and right."""

    name = "numeric"
    fields = frozenset({"answer", "tolerance", "units", "feedback"})
    jupyterquiz = "numeric"

    def build(self, entry: dict) -> dict[str, Any]:
        return {"answer": float(entry["answer"]), "tolerance": float(entry["tolerance"]),
                "units": entry["units"]}

    def cross_check(self, entry: dict, fail: Callable[[str, str], None]) -> None:
        if not math.isfinite(entry["answer"]):
            fail(f"answer {entry['answer']!r} is not a finite number", "answer")
        if not math.isfinite(entry["tolerance"]):
            fail(f"tolerance {entry['tolerance']!r} is not a finite number", "tolerance")

    def describe(self, question: Question, answer: Any) -> str:
        return f"{float(answer):g} {question.units or ''}".strip()

    def grade(self, question: Question, answer: Any) -> tuple[bool, list[str], Any]:
        q = question
        if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
            raise ValueError(f"answer {shown(answer)} to question {q.id!r} is not a number; "
                             f"expected a number in {q.units or 'the given units'}")
        try:
            value = float(answer)
        except OverflowError:  # a huge int or Fraction: no finite float
            value = math.inf
        if not math.isfinite(value):
            raise ValueError(f"answer {shown(answer)} to question {q.id!r} is not a finite "
                             "number of a sensible size; expected a number in "
                             f"{q.units or 'the given units'}")
        low, high = accepted_range(q)
        if low <= value <= high:
            return True, [q.feedback_for("correct")], value
        return False, [q.feedback_for("too_low" if value < q.answer else "too_high")], value

    def to_jupyterquiz(self, question: Question, explanation: str,
                       text: Callable[[str], str]) -> dict[str, Any]:
        q = question
        low, high = accepted_range(q)
        return {"type": self.jupyterquiz,
                "prompt_suffix": f" (Answer in {text(q.units)}.)" if q.units else "",
                "answers": [
                    # ranges are [A, B): the first that contains the answer decides
                    {"type": "range", "range": [low, math.nextafter(high, math.inf)],
                     "correct": True,
                     "feedback": f"{text(q.feedback_for('correct'))} {explanation}"},
                    {"type": "range", "range": [-_FAR, low], "correct": False,
                     "feedback": text(q.feedback_for("too_low"))},
                    {"type": "range", "range": [math.nextafter(high, math.inf), _FAR],
                     "correct": False, "feedback": text(q.feedback_for("too_high"))},
                    {"type": "default",
                     "feedback": "That is not a number this question can check."}]}
