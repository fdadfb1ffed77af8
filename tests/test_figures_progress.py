"""The mastery chart figure: bars drawn once, updated in place, described in words."""

from __future__ import annotations

import pytest

from melt_course.figures.palette import OKABE_ITO, ROLE
from melt_course.figures.progress import (
    SEGMENTS,
    describe_mastery,
    draw_mastery,
    update_mastery,
)
from melt_course.figures.style import figure_png, new_figure
from melt_course.records.review import LessonMastery

ROWS = [LessonMastery("00", "Start here", 9, 3, 2, 4, 1),
        LessonMastery("06", "Review and progress", 8, 0, 0, 8, 0)]


def _draw(rows=ROWS):
    fig, ax = new_figure(6, 2)
    return fig, draw_mastery(ax, rows)


def _segments(artists, i):
    return {name: (artists["bars"][name][i].get_x(), artists["bars"][name][i].get_width())
            for name, _, _ in SEGMENTS}


def test_bars_show_the_shares_side_by_side():
    _, artists = _draw()
    seg = _segments(artists, 0)
    assert seg["mastered"] == pytest.approx((0, 3 / 9))
    assert seg["learning"] == pytest.approx((3 / 9, 2 / 9))
    assert seg["unseen"] == pytest.approx((5 / 9, 4 / 9))
    assert artists["values"][0].get_text() == "33%"
    assert _segments(artists, 1)["unseen"] == pytest.approx((0, 1))
    assert artists["values"][1].get_text() == "0%"


def test_colours_come_from_the_palette():
    _, artists = _draw()
    allowed = {c.lower() for c in (*OKABE_ITO.values(), *ROLE.values())}
    from matplotlib.colors import to_hex

    for name, _, _ in SEGMENTS:
        assert to_hex(artists["bars"][name][0].get_facecolor()) in allowed


def test_update_changes_the_same_artists_and_the_picture():
    fig, artists = _draw()
    before_png = figure_png(fig)
    patches = {name: list(bars) for name, bars in artists["bars"].items()}
    n_children = len(fig.axes[0].get_children())
    newer = [LessonMastery("00", "Start here", 9, 9, 0, 0, 0), ROWS[1]]
    update_mastery(artists, newer, title="After a week")
    assert {name: list(bars) for name, bars in artists["bars"].items()} == patches
    assert len(fig.axes[0].get_children()) == n_children
    assert _segments(artists, 0)["mastered"] == pytest.approx((0, 1))
    assert artists["values"][0].get_text() == "100%"
    assert artists["title"].get_text() == "After a week"
    assert figure_png(fig) != before_png


def test_update_with_other_lessons_is_refused():
    _, artists = _draw()
    with pytest.raises(ValueError, match="'06'"):
        update_mastery(artists, [ROWS[0], LessonMastery("05", "R", 2, 0, 0, 2, 0)])


def test_empty_rows_refused_and_described():
    _fig, ax = new_figure()
    with pytest.raises(ValueError, match="empty"):
        draw_mastery(ax, [])
    assert "no lesson" in describe_mastery([])


def test_description_gives_every_lessons_numbers():
    text = describe_mastery(ROWS)
    assert "lesson 00 (Start here): 3 of 9 questions mastered (33%), 2 still learning, " \
           "4 not answered yet, 1 due for review" in text
    assert "lesson 06 (Review and progress): 0 of 8" in text
