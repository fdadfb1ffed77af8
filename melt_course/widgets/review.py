"""Spaced review and the mastery chart: widgets over the review model and the progress store.

:class:`MasteryChart` is a :class:`~melt_course.widgets.diagram.Diagram` over
:data:`~melt_course.figures.progress.MASTERY`: the mastery bars, redrawn from the learner's
records on :meth:`MasteryChart.refresh`. :class:`ReviewWidget` shows the questions
that are due (a :class:`~melt_course.widgets.quiz.QuizWidget` in review mode) above a mastery
chart that updates after every checked answer.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from html import escape
from typing import Any

import ipywidgets as W

from melt_course.figures.progress import MASTERY
from melt_course.records import review as R
from melt_course.widgets.base import CourseWidget
from melt_course.widgets.diagram import Diagram
from melt_course.widgets.learner_store import LEARNER_STORE, read_records, resolve_store
from melt_course.widgets.quiz import QuizWidget
from melt_course.widgets.text import TextBlock

__all__ = ["MasteryChart", "ReviewWidget", "leitner_table", "mastery_chart", "review_widget"]


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


class MasteryChart(Diagram):
    """Mastery per lesson as stacked bars, from a progress store or the example learner.

    Parameters
    ----------
    store : object, "learner" or None
        Where the records come from (anything with ``records()``); ``"learner"`` is the
        learner's own store.
    example : bool
        Show a made-up learner's history instead (read-only), for learning to read the chart.
    clock : callable, optional
        Returns the current time (aware); for tests.
    """

    title = "Mastery chart"
    drawing = MASTERY

    def __init__(self, store: Any = LEARNER_STORE, example: bool = False,
                 clock: Callable[[], datetime] | None = None) -> None:
        self._clock = clock or _utc_now
        self.example = example
        if example:
            self._store = None
            self._example_records = R.example_records(self._clock())
        else:
            self._store = resolve_store(store)
            self._example_records = []
        self.note = W.HTML("")
        self.note.add_class("melt-progress-note")
        self.rows = self._rows()
        self.refresh_button = W.Button(description="Refresh", icon="refresh",
                                       tooltip="Read your progress file again")
        self.connect(self.refresh_button, lambda _b: self.refresh(),
                     action="reading your progress again")
        controls = [] if example else [self.refresh_button]
        super().__init__(children=[*controls, self.picture, self.note])

    def state(self) -> tuple[str, list[R.LessonMastery]]:
        return self._chart_title(), self.rows

    def _chart_title(self) -> str:
        return "Example learner (made up)" if self.example else "Your mastery per lesson"

    def _rows(self) -> list[R.LessonMastery]:
        if self.example:
            records, note = self._example_records, None
        else:
            records, note = read_records(self._store)
        self.note.value = f"<p><i>{escape(note)}</i></p>" if note else ""
        return R.mastery(records, self._clock())

    def refresh(self) -> None:
        """Re-read the records and update the bars (same figure, new bar lengths)."""
        self.rows = self._rows()
        self.redraw()


class ReviewWidget(CourseWidget):
    """The questions due for review, and the mastery chart, kept up to date.

    Parameters
    ----------
    store : object, "learner" or None
        The learner's progress store (default: their own); attempts are recorded there.
    new : int
        How many never-answered questions "Try new questions" adds.
    lessons : iterable of str, optional
        Only review these lessons.
    clock : callable, optional
        Returns the current time (aware); for tests.
    seed : int, str or None
        Shuffle seed for each round (default: a fresh one per round).
    """

    title = "Spaced review"

    def __init__(self, store: Any = LEARNER_STORE, new: int = 5, lessons: Any = None,
                 clock: Callable[[], datetime] | None = None,
                 seed: int | str | None = None) -> None:
        if isinstance(new, bool) or not isinstance(new, int) or new < 0:
            raise ValueError(f"new={new!r} must be a whole number >= 0")
        self._clock = clock or _utc_now
        self._store = resolve_store(store)
        self._new = new
        self._lessons = None if lessons is None else list(lessons)
        self._seed = seed
        self.rounds = 0
        self._started = False
        self.quiz: QuizWidget | None = None
        self.summary = W.HTML("")
        self.summary.add_class("melt-review-summary")
        self.round_box = W.VBox([])
        self.due_button = W.Button(description="Review what is due", button_style="primary",
                                   icon="repeat", tooltip="Start a round with the due questions",
                                   layout=W.Layout(width="auto"))
        self.new_button = W.Button(description="Try new questions", icon="plus",
                                   layout=W.Layout(width="auto"),
                                   tooltip=f"Start a round with up to {new} questions you "
                                           "have not answered yet")
        self.connect(self.due_button, lambda _b: self.start_round(),
                     action="starting a review round")
        self.connect(self.new_button, lambda _b: self.start_round(new=self._new),
                     action="starting a round of new questions")
        self.chart = MasteryChart(store=self._store, clock=self._clock)
        self.chart.refresh_button.layout.display = "none"  # it refreshes itself here
        super().__init__([self.summary, W.HBox([self.due_button, self.new_button]),
                          self.round_box, self.chart])
        self.start_round()

    def _records(self) -> list[dict]:
        return read_records(self._store)[0]

    def start_round(self, new: int = 0) -> QuizWidget | None:
        """Show a round of the questions due now (plus up to ``new`` unanswered ones).

        Returns
        -------
        QuizWidget or None
            The round's quiz, or None when nothing is due.
        """
        questions = R.due_questions(self._records(), self._clock(), lessons=self._lessons,
                                    new=new)
        if self._started:  # answers given elsewhere (a lesson's quiz) count too
            self.chart.refresh()
        self._started = True
        if questions:
            self.rounds += 1
            # most urgent first, so no shuffling of the order (choices are still shuffled)
            self.quiz = QuizWidget(questions, seed=self._seed, store=self._store,
                                   title=f"Review round {self.rounds}", mode="review",
                                   shuffle=False, on_check=lambda _c, _r: self._after_check())
            self.round_box.children = [self.quiz]
        else:
            self.quiz = None
            self.round_box.children = [W.HTML(
                "<p><b>Nothing is due right now.</b> Questions you miss come back at the next "
                "review; ones you get right come back after 1, 3, 7 and then 16 days. Press "
                "<b>Try new questions</b> for questions you have not answered yet.</p>")]
        self._update_summary()
        return self.quiz

    def _after_check(self) -> None:
        self.chart.refresh()
        self._update_summary()

    def _update_summary(self) -> None:
        rows = self.chart.rows
        due = sum(r.due for r in rows)
        mastered = sum(r.mastered for r in rows)
        total = sum(r.total for r in rows)
        unseen = sum(r.unseen for r in rows)
        self.summary.value = (
            f'<div role="status" aria-live="polite"><b>{due} question'
            f'{"" if due == 1 else "s"} due for review.</b> {mastered} of {total} mastered; '
            f'{unseen} not answered yet.</div>')


def mastery_chart(example: bool = False, **kwargs: Any) -> MasteryChart:
    """The mastery chart: the learner's own (default) or a made-up example learner's."""
    return MasteryChart(example=example, **kwargs)


def review_widget(**kwargs: Any) -> ReviewWidget:
    """The spaced-review widget (see :class:`ReviewWidget` for the parameters)."""
    return ReviewWidget(**kwargs)


def leitner_table() -> TextBlock:
    """The course's Leitner boxes as a table: box, when it comes back, what it means."""
    rows = ["| Box | Comes back after | Meaning |", "|---|---|---|"]
    for box in range(1, R.BOXES + 1):
        days = R.INTERVAL_DAYS[box]
        when = "the next review" if days == 0 else f"{days} day{'s' if days > 1 else ''}"
        if box == 1:
            meaning = "missed at the last try"
        elif box < R.MASTERED_BOX:
            meaning = "right, but not yet again after a wait"
        else:
            meaning = "mastered"
        rows.append(f"| {box} | {when} | {meaning} |")
    rows.append("\nA wrong answer sends a question back to box 1; a right answer to a question "
                f"that is due moves it up one box. Box {R.MASTERED_BOX} and above count as "
                "mastered.")
    return TextBlock("\n".join(rows))
