"""One question on screen: prompt, the type's answer controls, Check and Try again, feedback.

The card is the same for every question type; what differs is its
:class:`~melt_course.widgets.quiz.control.AnswerControl` (one module per type). It never shows
the answer before the learner has checked: no evidence label in the header (for "which label
does this claim carry?" questions the label is the answer), on screen or on a printed
worksheet.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

import ipywidgets as W

from melt_course.content import quiz as Q
from melt_course.content.bibliography import citation_label
from melt_course.widgets.aria import accessible_name, describe
from melt_course.widgets.base import ErrorArea, SharedLook, connect
from melt_course.widgets.quiz.control import AnswerControl
from melt_course.widgets.quiz.controls import control_for

__all__ = ["VERDICTS", "QuestionCard"]

#: The one phrasing of the verdict, said once at the top of the feedback.
VERDICTS = {True: "✔ Right.", False: "✘ Not quite."}


def _sentence(text: str) -> str:
    """Escaped text ending with one full stop (none added after "?", "!" or ".")."""
    return escape(text) + ("" if text.rstrip().endswith((".", "?", "!")) else ".")


class QuestionCard(W.VBox):
    """One question: prompt, answer controls, Check and Try again buttons, and feedback.

    Parameters
    ----------
    question : melt_course.content.quiz.Question
        The question.
    number, total : int
        Its position in the quiz, for the header ("Question 2 of 6").
    seed : int or str
        Seed for the display order of its choices.
    on_check : callable, optional
        Called with ``(card, result)`` after every graded check; may return a note for the
        learner (e.g. that the answer could not be saved).
    look : SharedLook, optional
        Layouts and styles shared with the other cards of a quiz (a new one when None).

    Keyboard: after Check, focus stays on the card (on Try again after a wrong answer, on
    the Check button, now reading "Checked", after a right one); after Try again it returns
    to Check. An error in a button's callback is shown in the card's own :class:`ErrorArea`.
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
        self.header = look.make(
            W.HTML, f'<p class="melt-quiz-number"><b>Question {number} of {total}</b> · '
            f"lesson {question.lesson}, objective {question.objective}</p>"
            f'<p class="melt-quiz-prompt">{escape(question.prompt)}</p>')
        self.control: AnswerControl = control_for(question, self.order, look)
        for control in self.control.inputs:  # a group of options is named by its question
            if not accessible_name(control):
                describe(control, f"Question {number}: {question.prompt}")
        self.check_button = look.make(W.Button, description="Check", button_style="primary",
                                      tooltip="Check your answer", icon="check",
                                      layout={"width": "auto", "max_width": "100%"})
        self.retry_button = look.make(W.Button, description="Try again", disabled=True,
                                      tooltip="Change your answer and check again", icon="undo",
                                      layout={"width": "auto", "max_width": "100%"})
        for button in (self.check_button, self.retry_button):
            button.add_class("melt-quiz-button")
        self.error_area = ErrorArea(style=look.style(W.HTML))
        # a disabled button can still be "clicked" by a crafted widget message: ignore that
        connect(self.check_button, lambda b: None if b.disabled else self.check(),
                self.error_area, "checking your answer")
        connect(self.retry_button, lambda b: None if b.disabled else self.retry(),
                self.error_area, "resetting the question")
        self.feedback = look.make(W.HTML, "")
        self.feedback.add_class("melt-quiz-feedback")
        buttons = look.make(W.HBox, [self.check_button, self.retry_button],
                            layout={"flex_flow": "row wrap", "align_items": "center"})
        buttons.add_class("melt-quiz-buttons")
        super().__init__([self.header, self.control.widget, buttons, self.feedback,
                          self.error_area],
                         layout=look.layout(border="1px solid #BBBBBB", padding="6px 10px",
                                            margin="0 0 10px 0", max_width="100%"))
        self.add_class("melt-quiz-question")
        self.add_class(f"melt-q-{question.id}")  # lets a page (or a test) find one question

    # ---------------------------------------------------------------- answers

    @property
    def inputs(self) -> list[W.Widget]:
        """The controls the learner answers with."""
        return self.control.inputs

    def answer(self) -> Any:
        """The learner's current answer in the file's order, or None when incomplete.

        Raises
        ------
        ValueError
            When what the learner entered cannot be read (e.g. "12x" in a number box).
        """
        return self.control.answer()

    def set_answer(self, answer: Any) -> None:
        """Set the controls to an answer given in the file's order (for tests and demos).

        Raises
        ------
        ValueError
            When the answer does not fit the question's controls.
        """
        try:
            self.control.set_answer(answer)
        except Exception as exc:  # traitlets raises TraitError for a value not offered
            raise ValueError(f"answer {answer!r} does not fit question {self.question.id!r}: "
                             f"{exc}") from exc

    # ---------------------------------------------------------------- actions

    def _show(self, html: str) -> None:
        self.feedback.value = (f'<div role="status" aria-live="polite">{html}</div>'
                               if html else "")

    def check(self) -> Q.Result | None:
        """Grade the current answer and show the feedback.

        Returns
        -------
        Result or None
            None when the answer is incomplete or cannot be read (a message says what to
            fix). Checking a question already answered right shows its feedback again.
        """
        if self.correct and self.last_result is not None:
            return self.last_result
        try:
            answer = self.control.answer()
        except ValueError as exc:
            self._show(f"<b>That answer cannot be checked:</b> {escape(str(exc))}")
            return None
        if answer is None:
            self._show(f"<b>{escape(self.control.incomplete)}</b>")
            return None
        try:
            result = Q.grade(self.question, answer)
        except ValueError as exc:
            self._show(f"<b>That answer cannot be checked:</b> {escape(str(exc))}")
            return None
        self.attempts += 1
        self.last_result = result
        if result.correct:
            self.correct = True
            self.correct_first_try = self.attempts == 1
        note = self._on_check(self, result) if self._on_check else None
        self._show(self._feedback_html(result, note))
        self.control.enable(False)
        if result.correct:
            # Done: the button stays where the learner's focus is, and says so.
            self.check_button.description = "Checked"
            self.check_button.button_style = ""
            self.check_button.tooltip = "Answered right"
            self.check_button.focus()
        else:
            self.check_button.disabled = True
            self.retry_button.disabled = False
            self.retry_button.focus()
        return result

    def retry(self) -> None:
        """Clear the feedback and let the learner change the answer."""
        if self.correct:
            return
        self._show("")
        self.control.enable(True)
        self.check_button.disabled = False
        self.retry_button.disabled = True
        self.check_button.focus()

    def _feedback_html(self, result: Q.Result, note: str | None) -> str:
        q = self.question
        items = [*result.messages]
        read_as = self.control.note(result)
        if read_as:
            items.insert(0, read_as)
        lines = "".join(f"<li>{escape(m)}</li>" for m in items)
        verdict = f'<p class="melt-quiz-verdict"><b>{VERDICTS[result.correct]}</b></p>'
        if result.correct:
            refs = "; ".join(escape(citation_label(key)) for key in q.refs)
            body = (f"{verdict}<ul>{lines}</ul><p>{escape(q.explanation)}</p>"
                    f"<p><i>Read more: {_sentence(q.section)}</i> Sources: {refs}.</p>")
        else:
            body = (f"{verdict}<ul>{lines}</ul>"
                    f"<p><i>Look again at: {_sentence(q.section)}</i> "
                    "Press <b>Try again</b> to change your answer.</p>")
        if note:
            body += f'<p class="melt-quiz-note"><i>{escape(note)}</i></p>'
        return body
