"""Reproducible shuffles: the order of a quiz's questions and of each question's choices."""

from __future__ import annotations

import random
from collections.abc import Iterable

from melt_course.content.quiz.model import Question

__all__ = ["option_order", "shuffle_questions"]


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
