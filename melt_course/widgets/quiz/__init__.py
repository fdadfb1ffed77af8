"""The quiz widget: one question or a set, shuffled with a seed; check, feedback, retry, score.

- :mod:`.widget`: :class:`QuizWidget` and :func:`quiz_for` (what lessons call, as
  ``mc.quiz_for("01")``);
- :mod:`.card`: :class:`QuestionCard`, one question, the same for every type;
- one module per question type (:mod:`.single`, :mod:`.multiple`, :mod:`.numeric`,
  :mod:`.ordering`, :mod:`.label`), each the display of that type, listed in :mod:`.controls`.
"""

from __future__ import annotations

from melt_course.widgets.learner_store import LEARNER_STORE
from melt_course.widgets.quiz.card import VERDICTS, QuestionCard
from melt_course.widgets.quiz.widget import QuizWidget, quiz_for, quiz_widget

__all__ = ["LEARNER_STORE", "VERDICTS", "QuestionCard", "QuizWidget", "quiz_for", "quiz_widget"]
