"""Mastery per lesson: one horizontal stacked bar per lesson (mastered, learning, not yet)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes

from melt_course.figures.drawing import Drawing
from melt_course.figures.frames import state_digest
from melt_course.figures.palette import OKABE_ITO, ROLE
from melt_course.records.review import LessonMastery

__all__ = ["MASTERY", "SEGMENTS", "describe_mastery", "draw_mastery", "update_mastery"]

#: The bar segments, left to right: (field, legend label, colour).
SEGMENTS = (("mastered", "mastered (box 3+)", OKABE_ITO["bluish_green"]),
            ("learning", "learning (box 1-2)", OKABE_ITO["orange"]),
            ("unseen", "not answered yet", ROLE["bone"]))


def _fractions(row: LessonMastery) -> list[float]:
    total = row.total or 1
    return [getattr(row, name) / total for name, _, _ in SEGMENTS]


def draw_mastery(ax: Axes, rows: Sequence[LessonMastery], title: str = "Mastery per lesson",
                 narrow: bool = False) -> dict:
    """Draw the mastery chart.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    rows : sequence of LessonMastery
        One per lesson (from :func:`melt_course.records.review.mastery`), at least one.
    title : str
        Axes title.
    narrow : bool
        Laid out for a phone: each lesson's name above its bar (not beside it), the key in
        two columns.

    Returns
    -------
    dict
        ``"bars"`` (segment name -> list of Rectangle, one per lesson), ``"values"`` (Text
        per lesson), ``"title"`` (Text), ``"lessons"`` (lesson ids); pass to
        :func:`update_mastery`.
    """
    if not rows:
        raise ValueError("rows is empty; expected one LessonMastery per lesson")
    ys = list(range(len(rows)))[::-1]
    labels = [f"{row.lesson} {row.title}" for row in rows]
    bars: dict[str, list] = {}
    for name, label, colour in SEGMENTS:
        container = ax.barh(ys, [0.0] * len(rows), left=[0.0] * len(rows),
                            height=0.45 if narrow else 0.6, color=colour, label=label,
                            edgecolor="white", linewidth=1)
        bars[name] = list(container.patches)
    values = [ax.text(1.02, y, "", va="center", ha="left", fontsize=9 if narrow else 10,
                      color=ROLE["text"]) for y in ys]
    if narrow:   # each lesson's name above its bar, from the axis: long names fit
        ax.set_yticks([])
        for y, label in zip(ys, labels, strict=True):
            ax.text(0.01, y + 0.3, label, ha="left", va="bottom", fontsize=9, color=ROLE["text"])
        ax.set_ylim(-0.45, len(rows) - 0.05)
        ax.tick_params(axis="x", labelsize=9)
        ax.set_xlabel("share of the lesson's questions", fontsize=10)
    else:
        ax.set_yticks(ys, labels)
        ax.set_ylim(-0.6, len(rows) - 0.4)
        ax.set_xlabel("share of the lesson's questions")
    ax.set_xlim(0, 1.18)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0], ["0%", "25%", "50%", "75%", "100%"])
    ax.figure.legend(loc="outside lower center", ncol=2 if narrow else 3, frameon=False,
                     fontsize=9)
    ax.spines[["top", "right"]].set_visible(False)
    heading = ax.set_title(title, loc="left", **({"fontsize": 12} if narrow else {}))
    artists = {"bars": bars, "values": values, "title": heading,
               "lessons": [row.lesson for row in rows]}
    update_mastery(artists, rows)
    return artists


def update_mastery(artists: dict, rows: Sequence[LessonMastery],
                   title: str | None = None) -> None:
    """Set the bars drawn by :func:`draw_mastery` to new counts (no new artists).

    Raises
    ------
    ValueError
        When ``rows`` are not the lessons the chart was drawn with.
    """
    lessons = [row.lesson for row in rows]
    if lessons != artists["lessons"]:
        raise ValueError(f"rows are for lessons {lessons!r}; the chart shows "
                         f"{artists['lessons']!r}")
    for i, row in enumerate(rows):
        left = 0.0
        for (name, _, _), share in zip(SEGMENTS, _fractions(row), strict=True):
            patch = artists["bars"][name][i]
            patch.set_x(left)
            patch.set_width(share)
            left += share
        artists["values"][i].set_text(f"{row.fraction:.0%}")
    if title is not None:
        artists["title"].set_text(title)


def describe_mastery(rows: Sequence[LessonMastery]) -> str:
    """Text description of the chart, for screen readers and the static fallback."""
    if not rows:
        return "Mastery per lesson: no lesson has questions yet."
    parts = [f"lesson {row.lesson} ({row.title}): {row.mastered} of {row.total} questions "
             f"mastered ({row.fraction:.0%}), {row.learning} still learning, {row.unseen} not "
             f"answered yet, {row.due} due for review"
             for row in rows]
    return ("Horizontal bars, one per lesson, split into mastered, learning and not yet "
            "answered. " + "; ".join(parts) + ".")


def _mastery_make(state: tuple) -> tuple:
    from melt_course.figures.style import new_figure

    title, rows = state
    fig, ax = new_figure(6.4, 0.9 + 0.55 * len(rows))
    return fig, draw_mastery(ax, rows, title=title)


def _mastery_make_narrow(state: tuple) -> tuple:
    from melt_course.figures.style import NARROW_WIDTH, new_figure

    title, rows = state
    fig, ax = new_figure(NARROW_WIDTH, 1.4 + 0.6 * len(rows))
    return fig, draw_mastery(ax, rows, title=title, narrow=True)


def _mastery_alt(state: tuple) -> str:
    title, rows = state
    mastered = sum(r.mastered for r in rows)
    total = sum(r.total for r in rows)
    return f"{title}: bar chart per lesson, {mastered} of {total} questions mastered"


def _mastery_update(artists: dict, state: tuple) -> None:
    update_mastery(artists, state[1])


def _mastery_describe(state: tuple) -> str:
    return describe_mastery(state[1])


def _mastery_key(state: tuple) -> tuple:
    return (state_digest(*state),)


#: The mastery chart; its state is ``(title, rows)``, rows as from
#: :func:`melt_course.records.review.mastery`. On a phone each lesson's name stands above
#: its bar (``narrow``).
MASTERY = Drawing(name="mastery", make=_mastery_make, update=_mastery_update,
                  describe=_mastery_describe, alt=_mastery_alt, key=_mastery_key,
                  narrow=Drawing(name="mastery-narrow", make=_mastery_make_narrow,
                                 update=_mastery_update, describe=_mastery_describe,
                                 alt=_mastery_alt, key=_mastery_key))
