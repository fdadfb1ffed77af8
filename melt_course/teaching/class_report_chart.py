"""The class report's chart: % right per question, and quiz completion per lesson."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

from melt_course.figures.palette import OKABE_ITO, ROLE
from melt_course.figures.style import course_style, new_figure
from melt_course.teaching.class_report import ClassReport, LessonSummary, QuestionSummary

__all__ = ["class_report_figure", "describe_class_report", "draw_lesson_completion",
           "draw_question_scores"]

_FIRST_TRY = OKABE_ITO["blue"]
_EVENTUALLY = OKABE_ITO["sky_blue"]
_LESSON_COLOURS = (OKABE_ITO["sky_blue"], OKABE_ITO["blue"], OKABE_ITO["bluish_green"])


def _value(pct: float) -> float:
    return 0.0 if math.isnan(pct) else pct


#: Width (in %) drawn for a 0 % bar, so that "nobody" shows as a sliver, not as nothing.
ZERO_BAR = 0.8


def _shown(pct: float) -> float:
    return max(pct, ZERO_BAR)


def _legend_below(ax: Axes, ncols: int) -> None:
    """The legend under the axis label (never over the title, the bars or the labels)."""
    from matplotlib.transforms import ScaledTranslation

    below = ax.transAxes + ScaledTranslation(0.0, -0.62, ax.figure.dpi_scale_trans)
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, 0.0), bbox_transform=below,
              fontsize="small", ncols=ncols, frameon=False, borderaxespad=0.0)


def draw_question_scores(ax: Axes, questions: Sequence[QuestionSummary]) -> dict:
    """Horizontal bars per question: % right in the end (light) and at the first try (dark).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    questions : sequence of QuestionSummary
        In the order to show them, top to bottom.

    Returns
    -------
    dict
        ``"eventually"`` and ``"first_try"`` (BarContainer), ``"labels"`` (list of str).
    """
    labels = [q.question for q in questions]
    ys = list(range(len(questions)))[::-1]
    ends = [_value(q.correct_eventually_pct) for q in questions]
    firsts = [_value(q.first_try_pct) for q in questions]
    eventually = ax.barh(ys, [_shown(v) for v in ends], height=0.7, color=_EVENTUALLY,
                         edgecolor=_EVENTUALLY, label="right in the end")
    first = ax.barh(ys, [_shown(v) for v in firsts], height=0.4, color=_FIRST_TRY,
                    edgecolor=_FIRST_TRY, label="right at the first try")
    for y, end, at_first in zip(ys, ends, firsts, strict=True):
        # the numbers, so that 0 % is seen as 0 % and not as a missing bar
        ax.text(max(end, at_first) + 1.5, y, f"{at_first:.0f} % / {end:.0f} %", va="center",
                fontsize="x-small", color=ROLE["text"])
    ax.set_yticks(ys, labels)
    ax.set_xlim(0, 115)
    ax.set_xticks(range(0, 101, 20))
    ax.set_xlabel("% of the learners who answered the question (first try / in the end)")
    ax.set_title("Quiz questions", loc="left")
    _legend_below(ax, ncols=2)
    if not questions:
        ax.text(50, 0, "no quiz answers in these exports", ha="center", va="center",
                color=ROLE["text"])
    return {"eventually": eventually, "first_try": first, "labels": labels}


def draw_lesson_completion(ax: Axes, lessons: Sequence[LessonSummary]) -> dict:
    """Grouped bars per lesson: % of the class that started, completed and mastered its quiz.

    Returns
    -------
    dict
        ``"started"``, ``"completed"``, ``"mastered"`` (BarContainer), ``"labels"``.
    """
    labels = [f"{le.lesson}" if le.questions else f"{le.lesson}\n(no quiz)" for le in lessons]
    xs = range(len(lessons))
    width = 0.27
    artists: dict = {"labels": labels}
    series = (("started", "started"), ("completed", "completed"), ("mastered", "mastered"))
    for offset, ((key, text), colour) in enumerate(zip(series, _LESSON_COLOURS, strict=True)):
        values = [_value(getattr(le, f"{key}_pct")) for le in lessons]
        artists[key] = ax.bar([x + (offset - 1) * width for x in xs],
                              [_shown(v) if le.questions else 0.0
                               for v, le in zip(values, lessons, strict=True)],
                              width=width, color=colour, edgecolor=colour, label=text)
    ax.set_xticks(list(xs), labels)
    ax.set_ylim(0, 100)
    ax.set_ylabel("% of the class")
    ax.set_xlabel("Lesson")
    ax.set_title("Quiz completion per lesson", loc="left")
    _legend_below(ax, ncols=3)
    return artists


def describe_class_report(report: ClassReport) -> str:
    """Text description of the chart (for screen readers and the summary)."""
    parts = [f"Class report for {len(report.learners)} learners."]
    if report.questions:
        hardest = min(report.questions, key=lambda q: (q.first_try_pct, q.question))
        easiest = max(report.questions, key=lambda q: (q.first_try_pct, q.question))
        parts.append(f"{len(report.questions)} questions answered; the hardest at the first "
                     f"try was {hardest.question} ({hardest.first_try_pct:.0f}% right), the "
                     f"easiest {easiest.question} ({easiest.first_try_pct:.0f}% right).")
    else:
        parts.append("No quiz answers.")
    with_quiz = [le for le in report.lessons if le.questions]
    if with_quiz:
        parts.append("Quiz completion per lesson: " + "; ".join(
            f"lesson {le.lesson} {le.completed_pct:.0f}% completed, "
            f"{le.mastered_pct:.0f}% mastered" for le in with_quiz) + ".")
    return " ".join(parts)


def class_report_figure(report: ClassReport) -> tuple[Figure, dict]:
    """The whole chart: question scores above, lesson completion below.

    Returns
    -------
    fig : matplotlib.figure.Figure
    artists : dict
        ``"questions"`` and ``"lessons"``: the dicts returned by the two draw functions.
    """
    q_height = 1.2 + 0.28 * max(len(report.questions), 4)
    fig, first = new_figure(9.0, q_height + 3.2)
    with course_style():
        first.remove()
        grid = fig.add_gridspec(2, 1, height_ratios=[q_height, 3.2])
        top, bottom = fig.add_subplot(grid[0]), fig.add_subplot(grid[1])
        artists = {"questions": draw_question_scores(top, report.questions),
                   "lessons": draw_lesson_completion(bottom, report.lessons)}
    return fig, artists
