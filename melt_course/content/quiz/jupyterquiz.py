"""Export to jupyterquiz's JSON format, for teachers who show questions in Jupyter Book.

Each question type writes its own answers (see the type modules); this module adds what all
share: the prompt with its lesson section and references, and the whole-file checks.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from typing import Any

from melt_course.content.loader import DataError, validate
from melt_course.content.quiz.bank import by_lesson, load_bank
from melt_course.content.quiz.base import text_for_html
from melt_course.content.quiz.model import Question
from melt_course.content.quiz.registry import HANDLERS

__all__ = ["JUPYTERQUIZ_TYPES", "export_jupyterquiz", "to_jupyterquiz"]

#: How each exportable type maps to jupyterquiz's question types.
JUPYTERQUIZ_TYPES = {name: h.jupyterquiz for name, h in HANDLERS.items() if h.jupyterquiz}


def to_jupyterquiz(question: Question) -> dict:
    """One question in jupyterquiz's JSON format.

    ``single`` becomes ``multiple_choice``, ``multiple`` becomes ``many_choice`` (or
    ``multiple_choice`` when only one option is right; each option with ``answer``,
    ``correct`` and ``feedback``), ``numeric`` becomes ``numeric`` with a
    correct ``range`` for ``answer ± tolerance`` and incorrect ranges below and above it
    carrying the too-low and too-high feedback. The explanation is added to the feedback of
    the right answer(s); the lesson section and references are appended to the question
    text (the evidence label is not: for "which label?" questions it is the answer).

    Raises
    ------
    ValueError
        For an ordering or label question (jupyterquiz has no such type).
    """
    q = question
    if q.type not in JUPYTERQUIZ_TYPES:
        raise ValueError(f"question {q.id!r} is of type {q.type!r}, which jupyterquiz cannot "
                         f"show; exportable: {sorted(JUPYTERQUIZ_TYPES)}")
    text = text_for_html
    parts = q.handler.to_jupyterquiz(q, text(q.explanation), text)
    source = (f" <i>(Lesson {q.lesson}, {text(q.section)}. "
              f"References: {text(', '.join(q.refs))}.)</i>")
    prompt = text(q.prompt) + parts.pop("prompt_suffix", "")
    return {"question": prompt + source, **parts}


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
    data: list[dict[str, Any]] = [to_jupyterquiz(q) for q in exported]
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
