"""A quiz: a set of question cards, shuffled with a seed, with a running score.

Grading is done by :func:`melt_course.content.quiz.grade`; the cards collect the answers and
map the shuffled display back to the file's order; the quiz records each checked attempt in
the learner's progress store (through :mod:`melt_course.widgets.learner_store`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
from typing import Any

import ipywidgets as W

from melt_course.content import quiz as Q
from melt_course.widgets.base import CourseWidget, SharedLook
from melt_course.widgets.learner_store import LEARNER_STORE, resolve_store, store_call
from melt_course.widgets.quiz.card import QuestionCard
from melt_course.widgets.quiz.radio_group import RadioGroups

__all__ = ["QuizWidget", "quiz_for", "quiz_widget"]


class QuizWidget(CourseWidget):
    """A set of questions with a running score; records attempts in a progress store.

    Parameters
    ----------
    questions : sequence of Question
        The questions (at least one).
    seed : int, str or None
        Seed for the question order and each question's choice order; None picks a fresh
        random seed. The same seed gives the same quiz on every run.
    store : object, "learner" or None
        Where checked attempts are recorded: an object with ``add_record(kind, data)``
        (a :class:`melt_course.records.store.ProgressStore`), ``"learner"`` for the learner's own
        store (opened at the first check), or None to record nothing.
    title : str
        Shown above the quiz and used as the widget's stable text form.
    shuffle : bool
        Shuffle the question order (choices are always shuffled).
    mode : str
        Recorded with each attempt: ``"quiz"`` or ``"review"``.
    on_check : callable, optional
        Called as ``on_check(card, result)`` after each graded check has been recorded.
    """

    def __init__(self, questions: Sequence[Q.Question], seed: int | str | None = 0,
                 store: Any = LEARNER_STORE, title: str = "Quiz", shuffle: bool = True,
                 mode: str = "quiz",
                 on_check: Callable[[QuestionCard, Q.Result], None] | None = None) -> None:
        questions = list(questions)
        if not questions:
            raise ValueError("a quiz needs at least one question, got none")
        if mode not in ("quiz", "review"):
            raise ValueError(f"mode={mode!r} must be 'quiz' or 'review'")
        if seed is None:
            import secrets

            seed = secrets.randbelow(2**31)
        self.seed = seed
        self.mode = mode
        self._after_check = on_check
        self._store = store
        self.title = f"{title} ({len(questions)} question{'s' if len(questions) > 1 else ''})"
        ordered = Q.shuffle_questions(questions, seed) if shuffle else questions
        total = len(ordered)
        look = SharedLook()
        self.cards = [QuestionCard(q, n, total, seed, on_check=self._on_card_checked, look=look)
                      for n, q in enumerate(ordered, 1)]
        self.heading = W.HTML(f"<h3>{escape(title)}</h3>")
        self.score = W.HTML("")
        self.score.add_class("melt-quiz-score")
        self.score.add_class("melt-static-skip")  # a running score means nothing on paper
        self._update_score()
        # one Tab stop per single-choice question, arrow keys move the choice (front end)
        single = any(q.type == "single" for q in ordered)
        self.radio_groups = RadioGroups(layout=look.layout()) if single else None
        extra = [self.radio_groups] if self.radio_groups is not None else []
        super().__init__([self.heading, *self.cards, self.score, *extra])
        self.add_class("melt-quiz")

    @property
    def store(self) -> Any:
        """The progress store in use (opened on first use for ``"learner"``), or None."""
        self._store = resolve_store(self._store)
        return self._store

    @property
    def questions(self) -> list[Q.Question]:
        """The questions in display order."""
        return [card.question for card in self.cards]

    def card(self, question_id: str) -> QuestionCard:
        """The card showing a question, by id.

        Raises
        ------
        KeyError
            When the question is not in this quiz.
        """
        for card in self.cards:
            if card.question.id == question_id:
                return card
        raise KeyError(f"question {question_id!r} is not in this quiz; it has "
                       f"{[c.question.id for c in self.cards]}")

    def score_counts(self) -> dict[str, int]:
        """``{"right": ..., "first_try": ..., "answered": ..., "total": ...}``."""
        return {"right": sum(c.correct for c in self.cards),
                "first_try": sum(c.correct_first_try for c in self.cards),
                "answered": sum(c.attempts > 0 for c in self.cards),
                "total": len(self.cards)}

    def _update_score(self) -> None:
        s = self.score_counts()
        self.score.value = (f'<div role="status" aria-live="polite"><b>Score: {s["right"]} of '
                            f'{s["total"]} right</b> ({s["first_try"]} at the first try; '
                            f'{s["answered"]} answered).</div>')

    def _on_card_checked(self, card: QuestionCard, result: Q.Result) -> str | None:
        note = self._record(card, result)
        self._update_score()
        if self._after_check is not None:
            self._after_check(card, result)
        return note

    def _record(self, card: QuestionCard, result: Q.Result) -> str | None:
        """Record one attempt; return a note for the learner when it could not be saved."""
        if self._store is None:
            return None
        q = card.question
        data = {"question": q.id, "lesson": q.lesson, "type": q.type, "answer": result.answer,
                "correct": result.correct, "attempt": card.attempts, "mode": self.mode,
                "answer_text": q.describe_answer(result.answer)}

        def add(store: Any) -> None:
            self._store = store  # opened once, kept
            store.add_record("quiz_attempt", data)

        _done, note = store_call(self._store, add,
                                 failed="Your answer was checked but not saved to your "
                                        "progress file")
        return note


def quiz_widget(questions: Sequence[Q.Question], **kwargs: Any) -> QuizWidget:
    """Return a :class:`QuizWidget` for the given questions (see its parameters)."""
    return QuizWidget(questions, **kwargs)


def quiz_for(what: str | Sequence[str], seed: int | str | None = 0,
             store: Any = LEARNER_STORE, shuffle: bool = True) -> QuizWidget:
    """A quiz for a lesson (``"01"``), one question (``"01-origin"``) or a list of question ids.

    Parameters
    ----------
    what : str or sequence of str
        A lesson id, a question id, or question ids.
    seed, store, shuffle
        As for :class:`QuizWidget`.

    Raises
    ------
    KeyError
        For an unknown lesson or question id (with close matches).
    ValueError
        For an empty list.
    """
    if isinstance(what, str):
        if what.isdigit() and len(what) == 2:
            questions = Q.by_lesson(what)
            title = f"Quiz: lesson {what}"
        else:
            questions = (Q.get(what),)
            title = "Quiz question"
    else:
        ids = list(what)
        if not ids:
            raise ValueError("quiz_for() needs a lesson id or at least one question id, got []")
        questions = tuple(Q.get(qid) for qid in ids)
        title = "Quiz"
    return QuizWidget(questions, seed=seed, store=store, title=title, shuffle=shuffle)
