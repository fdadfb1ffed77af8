"""The question bank and grading: pure Python, no widgets.

Questions live in ``melt_course/data/quizzes/lesson_NN.json`` (one file per lesson), validated
against ``schemas/quiz.schema.json`` when loaded and then cross-checked against the course map
and the bibliography. Five question types:

``single``
    One option is right. Answer: the option's index (0-based, in the file's order).
``multiple``
    One or more options are right. Answer: a list (or set) of option indices.
``numeric``
    A number in the question's ``units``; right within ``tolerance``. Answer: a number.
``ordering``
    Put ``items`` (written in the right order in the file) in order. Answer: the items, as
    strings, in the learner's order.
``label``
    Name the structure marked on a figure. Answer: one of ``structures`` (a string).

:func:`grade` checks an answer and returns a :class:`Result` with ``.correct`` and the
feedback; a malformed answer (wrong type, out of range, empty, NaN) raises ``ValueError``.
Option indices always refer to the file's order, so a shuffled display is mapped back before
grading (see :func:`option_order`).
"""

from __future__ import annotations

import difflib
import json
import math
import numbers
import os
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from melt_course.content.bibliography import resolve
from melt_course.content.course import load_course
from melt_course.content.loader import DataError, data_files, load_json, unique_by, validate
from melt_course.content.schema import brief

__all__ = ["JUPYTERQUIZ_TYPES", "QUESTION_TYPES", "Option", "Question", "Result",
           "accepted_range", "by_lesson", "export_jupyterquiz", "get", "grade", "load_bank",
           "option_order", "shuffle_questions", "to_jupyterquiz"]

#: The question types, in the order the course introduces them.
QUESTION_TYPES = ("single", "multiple", "numeric", "ordering", "label")

_FILE_PATTERN = re.compile(r"^quizzes/lesson_([0-9]{2})\.json$")

#: Fields each type may use besides the common ones (id, type, objective, prompt, ...).
_TYPE_FIELDS = {
    "single": {"options", "answer"},
    "multiple": {"options", "answer"},
    "numeric": {"answer", "tolerance", "units", "feedback"},
    "ordering": {"items", "feedback"},
    "label": {"figure", "figure_alt", "structures", "answer", "feedback"},
}
_COMMON_FIELDS = {"id", "type", "objective", "prompt", "explanation", "section", "label", "refs"}


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
        One of :data:`QUESTION_TYPES`.
    lesson : str
        Lesson id, e.g. ``"00"``.
    objective : int
        1-based index into the lesson's objectives (``course.json``).
    prompt, explanation, section : str
        The question, the explanation shown once it is answered, and the lesson section the
        explanation points to.
    label : str
        Evidence label of the fact the question tests.
    refs : tuple of str
        Bibliography keys.
    options : tuple of Option
        For ``single`` and ``multiple``.
    answer : object
        The right answer in the form :func:`grade` takes: an index (single), a tuple of
        indices (multiple), a float (numeric), the items in order (ordering) or a structure
        name (label).
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
        if self.type in ("single", "multiple"):
            return tuple(opt.text for opt in self.options)
        if self.type == "ordering":
            return self.items
        if self.type == "label":
            return self.structures
        return ()

    def answer_text(self) -> str:
        """The right answer as a short text, e.g. for a "show answer" line."""
        if self.type == "single":
            return self.options[self.answer].text
        if self.type == "multiple":
            return "; ".join(self.options[i].text for i in self.answer)
        if self.type == "numeric":
            return f"{self.answer:g} {self.units} (± {self.tolerance:g})".strip()
        if self.type == "ordering":
            return " → ".join(self.items)
        return str(self.answer)


@dataclass(frozen=True)
class Result:
    """The outcome of :func:`grade`.

    Attributes
    ----------
    correct : bool
        Whether the answer is right.
    feedback : str
        The feedback for this answer, one message per line.
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


# --------------------------------------------------------------------------- loading


def _question_from(entry: dict, lesson_id: str, source: str) -> Question:
    qtype = entry["type"]
    kwargs: dict[str, Any] = {
        "id": entry["id"], "type": qtype, "lesson": lesson_id, "objective": entry["objective"],
        "prompt": entry["prompt"], "explanation": entry["explanation"],
        "section": entry["section"], "label": entry["label"], "refs": tuple(entry["refs"]),
        "source": source,
    }
    if qtype in ("single", "multiple"):
        kwargs["options"] = tuple(Option(o["text"], o["feedback"]) for o in entry["options"])
        answer = entry["answer"]
        kwargs["answer"] = answer if qtype == "single" else tuple(sorted(answer))
    elif qtype == "numeric":
        kwargs.update(answer=float(entry["answer"]), tolerance=float(entry["tolerance"]),
                      units=entry["units"])
    elif qtype == "ordering":
        kwargs["items"] = tuple(entry["items"])
        kwargs["answer"] = tuple(entry["items"])
    else:  # label
        kwargs.update(figure=entry["figure"], figure_alt=entry.get("figure_alt"),
                      structures=tuple(entry["structures"]), answer=entry["answer"])
    if "feedback" in entry:
        kwargs["feedback"] = tuple(sorted(entry["feedback"].items()))
    return Question(**kwargs)


def _cross_check(entry: dict, lesson_id: str, objectives: int, source: str) -> None:
    """Checks the schema cannot express; raise DataError naming file, question and field."""
    qid, qtype = entry["id"], entry["type"]

    def fail(message: str, fld: str) -> None:
        raise DataError(source, message, entry=qid, field=fld)

    if not qid.startswith(f"{lesson_id}-"):
        fail(f"id must start with the lesson id {lesson_id!r} and a hyphen", "id")
    extra = set(entry) - _COMMON_FIELDS - _TYPE_FIELDS[qtype]
    if extra:
        fail(f"field not used by {qtype!r} questions (allowed: "
             f"{sorted(_TYPE_FIELDS[qtype])})", sorted(extra)[0])
    if entry["objective"] > objectives:
        fail(f"objective {entry['objective']!r} does not exist: lesson {lesson_id} has "
             f"{objectives} objective(s) in course.json", "objective")
    if len(set(entry["refs"])) != len(entry["refs"]):
        fail("a reference is listed twice", "refs")
    try:
        resolve(entry["refs"], source)
    except DataError as exc:
        fail(str(exc).split(": ", 1)[-1], "refs")
    if qtype in ("single", "multiple"):
        texts = [o["text"] for o in entry["options"]]
        if len(set(texts)) != len(texts):
            fail("two options have the same text", "options")
        indices = [entry["answer"]] if qtype == "single" else entry["answer"]
        for index in indices:
            if index >= len(texts):
                fail(f"answer index {index!r} is out of range: there are {len(texts)} options "
                     f"(indices 0 to {len(texts) - 1})", "answer")
    elif qtype == "numeric":
        if not math.isfinite(entry["answer"]):
            fail(f"answer {entry['answer']!r} is not a finite number", "answer")
        if not math.isfinite(entry["tolerance"]):
            fail(f"tolerance {entry['tolerance']!r} is not a finite number", "tolerance")
    elif qtype == "ordering":
        if len(set(entry["items"])) != len(entry["items"]):
            fail("two items have the same text, so the order would be ambiguous", "items")
    else:
        structures = entry["structures"]
        if len(set(structures)) != len(structures):
            fail("a structure is listed twice", "structures")
        if entry["answer"] not in structures:
            fail(f"answer {entry['answer']!r} is not among the structures {structures}",
                 "answer")


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
        questions.append(_question_from(entry, lesson_id, source))
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
    bank = {q.id: q for q in load_bank()}
    if question_id not in bank:
        close = difflib.get_close_matches(str(question_id), list(bank), n=3)
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        raise KeyError(f"unknown question {question_id!r}{hint}")
    return bank[question_id]


# --------------------------------------------------------------------------- shuffling


def _rng(seed: int | str, salt: str = "") -> random.Random:
    if isinstance(seed, bool) or not isinstance(seed, int | str):
        raise ValueError(f"seed {seed!r} must be an int or a str")
    # A str seed is hashed with SHA-512 by random.Random: stable across runs and machines.
    return random.Random(f"{seed}|{salt}")


def shuffle_questions(questions: Iterable[Question], seed: int | str) -> list[Question]:
    """Return the questions in a shuffled order that depends only on ``seed``.

    Parameters
    ----------
    questions : iterable of Question
        The questions (their order in, and ids, determine the result).
    seed : int or str
        The same seed gives the same order on every run and machine.
    """
    out = list(questions)
    _rng(seed, "order").shuffle(out)
    return out


def option_order(question: Question, seed: int | str) -> tuple[int, ...]:
    """A reproducible display order for a question's choices.

    Returns
    -------
    tuple of int
        A permutation of ``range(len(question.choices()))``: display position -> index in
        the file. Numeric questions have no choices and give ``()``.
    """
    order = list(range(len(question.choices())))
    _rng(seed, question.id).shuffle(order)
    return tuple(order)


# --------------------------------------------------------------------------- grading


def _index(value: Any, count: int, qid: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"answer {value!r} to question {qid!r} is not an option index; "
                         f"expected an integer from 0 to {count - 1}")
    if not 0 <= value < count:
        raise ValueError(f"answer {value!r} to question {qid!r} is out of range; expected an "
                         f"option index from 0 to {count - 1}")
    return int(value)


def _grade_single(q: Question, answer: Any) -> tuple[bool, list[str], Any]:
    index = _index(answer, len(q.options), q.id)
    return index == q.answer, [q.options[index].feedback], index


def _grade_multiple(q: Question, answer: Any) -> tuple[bool, list[str], Any]:
    if isinstance(answer, str | bytes | dict) or not isinstance(answer, Iterable):
        raise ValueError(f"answer {answer!r} to question {q.id!r} is not a collection of "
                         f"option indices; expected e.g. [0, 2]")
    chosen = [_index(value, len(q.options), q.id) for value in answer]
    if not chosen:
        raise ValueError(f"answer {answer!r} to question {q.id!r} is empty; expected at "
                         "least one option index")
    if len(set(chosen)) != len(chosen):
        raise ValueError(f"answer {answer!r} to question {q.id!r} names an option twice")
    chosen.sort()
    right = set(q.answer)
    correct = set(chosen) == right
    messages = [f"“{q.options[i].text}”: {q.options[i].feedback}" for i in chosen]
    if not correct:
        hits = len(right & set(chosen))
        wrong = len(set(chosen) - right)
        messages.append(f"You chose {hits} of the {len(right)} right options"
                        + (f" and {wrong} that {'is' if wrong == 1 else 'are'} not right."
                           if wrong else "."))
    return correct, messages, chosen


def _grade_numeric(q: Question, answer: Any) -> tuple[bool, list[str], Any]:
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        raise ValueError(f"answer {brief(answer, 300)} to question {q.id!r} is not a number; "
                         f"expected a number in {q.units or 'the given units'}")
    try:
        value = float(answer)
    except OverflowError:  # a huge int or Fraction: not a finite float
        value = math.inf
    if not math.isfinite(value):
        raise ValueError(f"answer {brief(answer)} to question {q.id!r} is not a finite number "
                         f"of a sensible size; expected a number in "
                         f"{q.units or 'the given units'}")
    low, high = accepted_range(q)
    if low <= value <= high:
        return True, [q.feedback_for("correct")], value
    key = "too_low" if value < q.answer else "too_high"
    return False, [q.feedback_for(key)], value


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


def _grade_ordering(q: Question, answer: Any) -> tuple[bool, list[str], Any]:
    if isinstance(answer, str | bytes) or not isinstance(answer, Sequence):
        raise ValueError(f"answer {answer!r} to question {q.id!r} is not a list of the items "
                         "in order")
    given = list(answer)
    if not given:
        raise ValueError(f"answer {answer!r} to question {q.id!r} is empty; expected all "
                         f"{len(q.items)} items in order")
    for value in given:
        if not isinstance(value, str):
            raise ValueError(f"item {value!r} in the answer to question {q.id!r} is not a "
                             "string; expected the items' texts")
        if value not in q.items:
            raise ValueError(f"item {value!r} in the answer to question {q.id!r} is not one "
                             f"of the items {list(q.items)}")
    if len(set(given)) != len(given):
        twice = next(v for v in given if given.count(v) > 1)
        raise ValueError(f"answer {answer!r} to question {q.id!r} uses {twice!r} twice; "
                         "expected each item once")
    if len(given) != len(q.items):
        raise ValueError(f"answer {answer!r} to question {q.id!r} has {len(given)} items; "
                         f"expected all {len(q.items)}")
    placed = sum(a == b for a, b in zip(given, q.items, strict=True))
    correct = placed == len(q.items)
    messages = [q.feedback_for("correct" if correct else "incorrect")]
    if not correct:
        messages.append(f"{placed} of {len(q.items)} are in the right place.")
    return correct, messages, given


def _grade_label(q: Question, answer: Any) -> tuple[bool, list[str], Any]:
    if not isinstance(answer, str):
        raise ValueError(f"answer {answer!r} to question {q.id!r} is not a structure name; "
                         f"expected one of {list(q.structures)}")
    if answer not in q.structures:
        raise ValueError(f"answer {answer!r} to question {q.id!r} is not one of the "
                         f"structures {list(q.structures)}")
    correct = answer == q.answer
    return correct, [q.feedback_for("correct" if correct else "incorrect")], answer


_GRADERS = {"single": _grade_single, "multiple": _grade_multiple, "numeric": _grade_numeric,
            "ordering": _grade_ordering, "label": _grade_label}


def grade(question: Question, answer: Any) -> Result:
    """Check an answer to a question.

    Parameters
    ----------
    question : Question
        A question from :func:`load_bank`.
    answer : object
        single: an option index (int); multiple: a non-empty collection of distinct option
        indices; numeric: a finite number in ``question.units``; ordering: every item (str)
        once, in the learner's order; label: one of ``question.structures``. Indices refer
        to the file's order of options.

    Returns
    -------
    Result
        ``.correct``, ``.feedback`` (per chosen answer, plus a summary when wrong), the
        normalised answer, and the question's explanation and section.

    Raises
    ------
    ValueError
        For a malformed answer: wrong type, index out of range, empty, repeated, not a
        finite number, or not one of the choices. The message names the value.
    """
    if not isinstance(question, Question):
        raise ValueError(f"question {question!r} is not a Question; get one from load_bank()")
    correct, messages, normalised = _GRADERS[question.type](question, answer)
    return Result(correct=correct, feedback="\n".join(messages), messages=tuple(messages),
                  answer=normalised, explanation=question.explanation,
                  section=question.section, question_id=question.id)


# --------------------------------------------------------------------------- jupyterquiz

#: How each exportable type maps to jupyterquiz's question types.
JUPYTERQUIZ_TYPES = {"single": "multiple_choice", "multiple": "many_choice",
                     "numeric": "numeric"}

_FAR = 1e308  # jupyterquiz ranges are numbers: stand-ins for -inf and +inf


def _jq_text(text: str) -> str:
    from html import escape

    # jupyterquiz puts texts into innerHTML and runs MathJax over them: escape HTML, and
    # keep a literal dollar sign from opening a formula.
    return escape(text, quote=False).replace("$", "&#36;")


def to_jupyterquiz(question: Question) -> dict:
    """One question in jupyterquiz's JSON format.

    ``single`` becomes ``multiple_choice``, ``multiple`` becomes ``many_choice`` (or
    ``multiple_choice`` when only one option is right; each option with ``answer``,
    ``correct`` and ``feedback``), ``numeric`` becomes ``numeric`` with a
    correct ``range`` for ``answer ± tolerance`` and incorrect ranges below and above it
    carrying the too-low and too-high feedback. The explanation is added to the feedback of
    the right answer(s); the evidence label, section and references are appended to the
    question text.

    Raises
    ------
    ValueError
        For an ordering or label question (jupyterquiz has no such type).
    """
    if question.type not in JUPYTERQUIZ_TYPES:
        raise ValueError(f"question {question.id!r} is of type {question.type!r}, which "
                         f"jupyterquiz cannot show; exportable: {sorted(JUPYTERQUIZ_TYPES)}")
    q = question
    source = (f" <i>(Evidence: {_jq_text(q.label)}. Lesson {q.lesson}, {_jq_text(q.section)}. "
              f"References: {_jq_text(', '.join(q.refs))}.)</i>")
    prompt = _jq_text(q.prompt)
    if q.type == "numeric":
        prompt += f" (Answer in {_jq_text(q.units)}.)" if q.units else ""
    out: dict[str, Any] = {"question": prompt + source, "type": JUPYTERQUIZ_TYPES[q.type]}
    explanation = _jq_text(q.explanation)
    if q.type in ("single", "multiple"):
        right = {q.answer} if q.type == "single" else set(q.answer)
        # jupyterquiz behaves as multiple choice whenever exactly one answer is correct
        out["type"] = "many_choice" if len(right) > 1 else "multiple_choice"
        out["answers"] = [
            {"answer": _jq_text(opt.text), "correct": i in right,
             "feedback": _jq_text(opt.feedback) + (f" {explanation}" if i in right else "")}
            for i, opt in enumerate(q.options)]
    else:
        low, high = accepted_range(q)
        out["answers"] = [
            # ranges are [A, B): the first that contains the answer decides
            {"type": "range", "range": [low, math.nextafter(high, math.inf)], "correct": True,
             "feedback": f"{_jq_text(q.feedback_for('correct'))} {explanation}"},
            {"type": "range", "range": [-_FAR, low], "correct": False,
             "feedback": _jq_text(q.feedback_for("too_low"))},
            {"type": "range", "range": [math.nextafter(high, math.inf), _FAR],
             "correct": False, "feedback": _jq_text(q.feedback_for("too_high"))},
            {"type": "default", "feedback": "That is not a number this question can check."},
        ]
    return out


def export_jupyterquiz(path: str | os.PathLike, lessons: Iterable[str] | None = None
                       ) -> dict[str, list[str]]:
    """Write the single, multiple-choice and numeric questions as a jupyterquiz JSON file.

    A teacher can then show them in Jupyter Book with
    ``from jupyterquiz import display_quiz; display_quiz("file.json")``.

    Parameters
    ----------
    path : str or path-like
        The JSON file to write (a list of questions).
    lessons : iterable of str, optional
        Only these lessons (default: every lesson with questions).

    Returns
    -------
    dict
        ``{"written": [ids], "skipped": [ids]}`` (skipped: ordering and label questions).

    Raises
    ------
    KeyError
        For an unknown lesson id.
    """
    if lessons is None:
        chosen = list(load_bank())
    else:
        chosen = [q for lesson_id in lessons for q in by_lesson(lesson_id)]
    exported = [q for q in chosen if q.type in JUPYTERQUIZ_TYPES]
    data = [to_jupyterquiz(q) for q in exported]
    validate(data, "jupyterquiz", str(path))
    for item in data:  # what the schema cannot say: jupyterquiz decides by the count
        count = sum(answer.get("correct", False) for answer in item["answers"]
                    if "answer" in answer)
        if (item["type"] == "multiple_choice") != (count == 1) and item["type"] != "numeric":
            raise DataError(str(path), f"{item['type']} question with {count} correct answers",
                            entry=item["question"][:40])
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=2, allow_nan=False)
        handle.write("\n")
    return {"written": [q.id for q in exported],
            "skipped": [q.id for q in chosen if q.type not in JUPYTERQUIZ_TYPES]}
