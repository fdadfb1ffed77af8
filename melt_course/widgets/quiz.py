"""The quiz widget: one question or a set, shuffled with a seed; check, feedback, retry, score.

Every control is a standard ipywidgets control (RadioButtons, Checkbox, FloatText, Dropdown,
Button), so the quiz works from the keyboard: Tab moves between controls, arrow keys choose a
radio option, Space ticks a box, Enter presses a button.

Grading is done by :func:`melt_course.content.quiz.grade`; the widget only collects the answer, maps
the shuffled display back to the file's order, shows the result and, when given a progress
store, records each checked attempt.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from html import escape
from typing import Any

import ipywidgets as W

from melt_course.content import quiz as Q
from melt_course.content.bibliography import get as get_reference
from melt_course.figures.frames import frame_key
from melt_course.figures.labels import resolve_figure
from melt_course.figures.style import course_style, new_figure
from melt_course.widgets.base import CourseWidget, DiagramView, ErrorArea, SharedLook, guarded

__all__ = ["LEARNER_STORE", "QuestionCard", "QuizWidget", "quiz_for", "quiz_widget"]

#: Default for ``store``: the learner's own progress store (see melt_course.records.store).
LEARNER_STORE = "learner"

_CHOOSE = "— choose —"


def _learner_store() -> Any:
    from melt_course.records.store import open_store

    return open_store()


class QuestionCard(W.VBox):
    """One question: prompt, answer control, Check and Try again buttons, and feedback.

    Parameters
    ----------
    question : melt_course.content.quiz.Question
        The question.
    number, total : int
        Its position in the quiz, for the header ("Question 2 of 6").
    seed : int or str
        Seed for the display order of its choices.
    on_check : callable, optional
        Called with ``(card, result)`` after every graded check.
    look : SharedLook, optional
        Layouts and styles shared with the other cards of a quiz (a new one when None).

    An error in a button's callback is shown in the card's own :class:`ErrorArea`, right under
    the question (see :func:`melt_course.widgets.base.guarded`).
    """

    def __init__(self, question: Q.Question, number: int, total: int, seed: int | str,
                 on_check: Callable[[QuestionCard, Q.Result], str | None] | None = None,
                 look: SharedLook | None = None) -> None:
        self._look = look = look or SharedLook()
        self.question = question
        self.order = Q.option_order(question, seed)
        self.attempts = 0
        self.correct = False
        self.correct_first_try = False
        self.last_result: Q.Result | None = None
        self._on_check = on_check
        self.view: DiagramView | None = None
        label = f"<i>({escape(question.label)})</i>"
        self.header = look.make(
            W.HTML, f"<b>Question {number} of {total}</b> · lesson {question.lesson}, objective "
            f"{question.objective} · {label}"
            f'<p class="melt-quiz-prompt">{escape(question.prompt)}</p>')
        self.inputs: list[W.Widget] = []
        control = self._build_control()
        self.check_button = look.make(W.Button, description="Check", button_style="primary",
                                      tooltip="Check your answer", icon="check")
        self.retry_button = look.make(W.Button, description="Try again", disabled=True,
                                      tooltip="Change your answer and check again", icon="undo")
        self.error_area = ErrorArea(style=look.style(W.HTML))
        self.check_button.on_click(guarded(lambda _b: self.check(), self.error_area,
                                           "checking your answer"))
        self.retry_button.on_click(guarded(lambda _b: self.retry(), self.error_area,
                                           "resetting the question"))
        self.feedback = look.make(W.HTML, "")
        self.feedback.add_class("melt-quiz-feedback")
        buttons = look.make(W.HBox, [self.check_button, self.retry_button])
        super().__init__([self.header, control, buttons, self.feedback, self.error_area],
                         layout=look.layout(border="1px solid #BBBBBB", padding="6px 10px",
                                            margin="0 0 10px 0"))
        self.add_class("melt-quiz-question")
        self.add_class(f"melt-q-{question.id}")  # lets a page (or a test) find one question

    # ---------------------------------------------------------------- controls

    def _build_control(self) -> W.Widget:
        q = self.question
        look = self._look
        auto = {"width": "auto"}
        choices = q.choices()
        if q.type == "single":
            self.radio = look.make(W.RadioButtons, options=[(choices[i], i) for i in self.order],
                                   value=None, layout=auto)
            self.inputs = [self.radio]
            return self.radio
        if q.type == "multiple":
            self.boxes = [look.make(W.Checkbox, value=False, description=choices[i],
                                    indent=False, layout=auto) for i in self.order]
            self.inputs = list(self.boxes)
            hint = look.make(W.HTML, "<i>Tick every option that is right.</i>")
            return look.make(W.VBox, [hint, *self.boxes])
        if q.type == "numeric":
            self.number = look.make(W.FloatText, value=0.0, description="Answer",
                                    layout={"width": "16em"})
            self.inputs = [self.number]
            return look.make(W.HBox, [self.number, look.make(W.Label, q.units or "")])
        options = [(_CHOOSE, None)] + [(choices[i], choices[i]) for i in self.order]
        if q.type == "ordering":
            self.dropdowns = [look.make(W.Dropdown, options=options, value=None,
                                        description=f"{pos}.", layout=auto)
                              for pos in range(1, len(choices) + 1)]
            self.inputs = list(self.dropdowns)
            hint = look.make(W.HTML, "<i>Choose the items in order, first to last.</i>")
            return look.make(W.VBox, [hint, *self.dropdowns])
        # label
        self.dropdown = look.make(W.Dropdown, options=options, value=None,
                                  description="Marked:", layout=auto)
        self.inputs = [self.dropdown]
        alt = q.figure_alt or "One structure on the figure is marked with an arrow."
        self.view = DiagramView(self._label_figure, lambda: alt, alt=f"Figure for question {q.id}",
                                frame=frame_key("quiz-label", q.figure, q.answer))
        return look.make(W.VBox, [self.view, self.dropdown])

    def _label_figure(self):
        fig, ax = new_figure(4.0, 3.6)
        with course_style():
            resolve_figure(self.question.figure)(ax, highlight=self.question.answer)
        return fig

    # ---------------------------------------------------------------- answers

    def answer(self) -> Any:
        """The learner's current answer in the file's order, or None when incomplete."""
        q = self.question
        if q.type == "single":
            return self.radio.value
        if q.type == "multiple":
            picked = sorted(i for i, box in zip(self.order, self.boxes, strict=True)
                            if box.value)
            return picked or None
        if q.type == "numeric":
            return self.number.value
        if q.type == "ordering":
            values = [d.value for d in self.dropdowns]
            return None if None in values else values
        return self.dropdown.value

    def set_answer(self, answer: Any) -> None:
        """Set the controls to an answer given in the file's order (for tests and demos).

        Raises
        ------
        ValueError
            When the answer does not fit the question's controls.
        """
        q = self.question
        try:
            if q.type == "single":
                self.radio.value = answer
            elif q.type == "multiple":
                chosen = set(answer)
                for index, box in zip(self.order, self.boxes, strict=True):
                    box.value = index in chosen
            elif q.type == "numeric":
                self.number.value = answer
            elif q.type == "ordering":
                if len(answer) != len(self.dropdowns):
                    raise ValueError(f"expected {len(self.dropdowns)} items")
                for dropdown, value in zip(self.dropdowns, answer, strict=True):
                    dropdown.value = value
            else:
                self.dropdown.value = answer
        except Exception as exc:  # traitlets raises TraitError for a value not offered
            raise ValueError(f"answer {answer!r} does not fit question {q.id!r}: {exc}") from exc

    # ---------------------------------------------------------------- actions

    def _show(self, html: str) -> None:
        self.feedback.value = (f'<div role="status" aria-live="polite">{html}</div>'
                               if html else "")

    def _enable(self, enabled: bool) -> None:
        for widget in self.inputs:
            widget.disabled = not enabled
        self.check_button.disabled = not enabled

    def check(self) -> Q.Result | None:
        """Grade the current answer and show the feedback.

        Returns
        -------
        Result or None
            None when the answer is incomplete or malformed (a message says what to fix).
        """
        answer = self.answer()
        if answer is None:
            self._show("<b>Choose an answer first.</b>" if self.question.type != "ordering"
                       else "<b>Choose an item for every place first.</b>")
            return None
        try:
            result = Q.grade(self.question, answer)
        except ValueError as exc:
            message = str(exc)
            if self.question.type == "ordering":
                message = "Use each item exactly once."
            self._show(f"<b>That answer cannot be checked:</b> {escape(message)}")
            return None
        self.attempts += 1
        self.last_result = result
        if result.correct:
            self.correct = True
            self.correct_first_try = self.attempts == 1
        note = self._on_check(self, result) if self._on_check else None
        self._show(self._feedback_html(result, note))
        self._enable(False)
        self.retry_button.disabled = result.correct
        return result

    def retry(self) -> None:
        """Clear the feedback and let the learner change the answer."""
        if self.correct:
            return
        self._show("")
        self._enable(True)
        self.retry_button.disabled = True

    def _feedback_html(self, result: Q.Result, note: str | None) -> str:
        q = self.question
        lines = "".join(f"<li>{escape(m)}</li>" for m in result.messages)
        if result.correct:
            refs = "; ".join(escape(get_reference(key).short) for key in q.refs)
            body = (f'<p class="melt-quiz-verdict"><b>✔ Right.</b></p><ul>{lines}</ul>'
                    f"<p>{escape(q.explanation)}</p>"
                    f"<p><i>Read more: {escape(q.section)}.</i> Sources: {refs}.</p>")
        else:
            body = (f'<p class="melt-quiz-verdict"><b>✘ Not quite.</b></p><ul>{lines}</ul>'
                    f"<p><i>Look again at: {escape(q.section)}.</i> "
                    "Press <b>Try again</b> to change your answer.</p>")
        if note:
            body += f'<p class="melt-quiz-note"><i>{escape(note)}</i></p>'
        return body


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
        super().__init__([self.heading, *self.cards, self.score])
        self.add_class("melt-quiz")

    @property
    def store(self) -> Any:
        """The progress store in use (opened on first use for ``"learner"``), or None."""
        if isinstance(self._store, str) and self._store == LEARNER_STORE:
            self._store = _learner_store()
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
                "correct": result.correct, "attempt": card.attempts, "mode": self.mode}
        if q.type == "single":
            data["answer_text"] = q.options[result.answer].text
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                store = self.store
                if store is not None:
                    store.add_record("quiz_attempt", data)
        except Exception as exc:  # the quiz must keep working when the disk does not
            return f"Your answer was checked but not saved to your progress file: {exc}"
        notes = [str(w.message) for w in caught]
        return " ".join(notes) or None


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
