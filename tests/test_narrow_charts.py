"""Lesson 3's stress and diaphragm diagrams, the prevalence, mastery and self-assessment charts
on a phone: each has a narrow layout (``Drawing.narrow``) whose every label is readable, no two
labels drawn over each other, nothing outside the picture.

Which words a figure draws, and where, is recorded while matplotlib draws it (each text's box
on the canvas as it is drawn: tick labels, legend entries, annotations, titles), so a label
that a layout moves onto another is found whatever made it move. The browser half is
tests/test_browser_layout.py (no sideways scroll at 390x844).
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

import numpy as np
import pytest
from helpers import pixels

from melt_course import notebook as mc
from melt_course.figures import frames
from melt_course.figures.anatomy import PREVALENCE
from melt_course.figures.progress import MASTERY
from melt_course.figures.selfassessment import ASSESSMENT_LOG
from melt_course.figures.startle import DIAPHRAGM, STRESS
from melt_course.figures.style import NARROW_WIDTH, course_style, figure_png, smallest_text_px
from melt_course.records import review as R
from melt_course.records.self_assessment import Assessment, regions, session_pairs
from melt_course.widgets.diagram import Picture
from melt_course.widgets.fit import READABLE_PX, readable_width

#: The CSS width a 390 px phone leaves a picture, less a margin (JupyterLab gives a little
#: less than the app): every narrow layout must be readable at this width without scrolling.
PHONE_PX = 330


def drawn_texts(fig) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Every non-empty text matplotlib draws in ``fig`` (a full draw, as ``savefig`` makes),
    with its box on the canvas ``(x0, y0, x1, y1)`` in pixels (where the last draw put it:
    a layout may draw twice; an annotation's arrow is not part of its box)."""
    from matplotlib.text import Text

    seen: dict = {}
    original = Text.draw

    def record(self, renderer):
        original(self, renderer)
        if self.get_visible() and self.get_text().strip():
            box = Text.get_window_extent(self, renderer)   # an annotation's words only
            seen[id(self)] = (self.get_text(), (box.x0, box.y0, box.x1, box.y1))

    Text.draw = record
    try:
        figure_png(fig)
    finally:
        Text.draw = original
    return list(seen.values())


def label_problems(fig, slack: float = 0.5) -> list[str]:
    """Labels drawn over each other (boxes sharing more than ``slack`` px each way) or
    reaching past the picture's edge, each said in words; empty when there are none."""
    width, height = fig.bbox.width, fig.bbox.height
    texts = drawn_texts(fig)
    found = []
    for text, (x0, y0, x1, y1) in texts:
        if x0 < -slack or y0 < -slack or x1 > width + slack or y1 > height + slack:
            found.append(f"{text!r} reaches past the picture ({x0:.0f}, {y0:.0f}, {x1:.0f}, "
                         f"{y1:.0f} in {width:.0f}x{height:.0f})")
    for i, (a, box_a) in enumerate(texts):
        for b, box_b in texts[i + 1:]:
            across = min(box_a[2], box_b[2]) - max(box_a[0], box_b[0])
            up = min(box_a[3], box_b[3]) - max(box_a[1], box_b[1])
            if across > slack and up > slack:
                found.append(f"{a!r} and {b!r} overlap by {across:.0f}x{up:.0f} px")
    return found


def _pairs(sessions: int) -> list:
    """``sessions`` made-up sessions, before and after, all regions rated."""
    items = []
    for n in range(sessions):
        day = f"2026-0{1 + n // 28}-{1 + n % 28:02d}T08:"
        items.append(Assessment(day + "00:00Z", "before", dict.fromkeys(regions(), n % 11),
                                f"s{n}"))
        items.append(Assessment(day + "20:00Z", "after",
                                dict.fromkeys(regions(), min(10, n % 11 + 2)), f"s{n}"))
    return session_pairs(items)


_NOW = datetime(2026, 3, 1, 12, tzinfo=timezone.utc)
_EXAMPLE = R.mastery(R.example_records(_NOW), _NOW)
_NEW = R.mastery([], _NOW)

#: (drawing, states a learner can reach): each narrow layout is checked in every one.
CASES = {
    "stress": (STRESS, [1.0, 3.0, 10.0, 30.0, 60.0, 600.0, 2000.0, 3600.0, 21600.0]),
    "diaphragm": (DIAPHRAGM, [0.0, 0.05, 0.5, 0.95, 1.0]),
    "prevalence": (PREVALENCE, ["psoas_minor"]),
    "mastery": (MASTERY, [("Example learner (made up)", _EXAMPLE),
                          ("Your mastery per lesson", _NEW)]),
    "assessment-log": (ASSESSMENT_LOG, [(_pairs(0), None), (_pairs(1), None),
                                        (_pairs(3), "head"), (_pairs(12), None),
                                        (_pairs(40), regions()[-1])]),
}


def _make(drawing, state):
    with course_style():
        fig, artists = drawing.make(state)
    return fig, artists


def test_the_overlap_check_finds_a_planted_overlap_and_a_label_cut_off():
    from melt_course.figures.style import new_figure

    fig, ax = new_figure(NARROW_WIDTH, 2.0)
    with course_style():
        ax.text(0.1, 0.5, "first label", fontsize=9)
        ax.text(0.15, 0.5, "second label", fontsize=9)    # drawn over the first
        ax.text(0.1, 0.1, "apart", fontsize=9)
    problems = label_problems(fig)
    assert len(problems) == 1 and "'first label' and 'second label' overlap" in problems[0]
    with course_style():   # (out of the layout, which would make room for it)
        ax.text(0.9, 0.9, "a label running off the picture", fontsize=9).set_in_layout(False)
    assert any("reaches past the picture" in p for p in label_problems(fig))


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_narrow_label_is_readable_and_none_overlap(name):
    drawing, states = CASES[name]
    narrow = drawing.narrow
    assert narrow is not None, f"{drawing.name} has no narrow layout"
    for state in states:
        fig, _ = _make(narrow, state)
        where = f"{narrow.name} at {narrow.frame(state)}"
        assert fig.bbox.width == pytest.approx(NARROW_WIDTH * fig.dpi), where
        assert label_problems(fig) == [], where
        text_px = smallest_text_px(fig)
        assert readable_width(round(fig.bbox.width), text_px) <= PHONE_PX, (where, text_px)
        # the same words for a screen reader as the wide layout's
        assert narrow.short_text(state) == drawing.short_text(state)
        assert narrow.describe(state) == drawing.describe(state)


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_wide_layout_needs_more_than_a_phone_gives(name):
    """Why the narrow layout exists: the wide one's text is too small at a phone's width."""
    drawing, states = CASES[name]
    fig, _ = _make(drawing, states[0])
    figure_png(fig)
    assert readable_width(round(fig.bbox.width), smallest_text_px(fig)) > 360


@pytest.mark.parametrize("name, layout, moves", [
    ("stress", "narrow", [10.0, 1.0, 60.0, 3600.0, 21600.0, 30.0]),
    ("stress", "wide", [10.0, 1.0, 60.0, 3600.0, 30.0]),
    ("diaphragm", "narrow", [0.0, 0.3, 1.0, 0.05, 0.0]),
    ("diaphragm", "wide", [0.0, 0.3, 1.0, 0.0]),
    ("mastery", "narrow", [("Your mastery per lesson", _NEW),
                           ("Your mastery per lesson", _EXAMPLE)]),
    ("assessment-log", "narrow", [(_pairs(0), None), (_pairs(2), None), (_pairs(2), "head"),
                                  (_pairs(14), None)]),
])
def test_each_redraw_is_the_full_picture_of_that_state(name, layout, moves, monkeypatch):
    """A picture that follows the controls (the fast redraw over a kept background, or a
    redraw with the first layout kept) shows what a fresh figure of each state shows, pixel
    for pixel (lesson 3's wide layouts too: their cursor and dome now stack as a full draw
    does)."""
    monkeypatch.setenv(frames.FRAMES_ENV, "off")
    drawing = CASES[name][0] if layout == "wide" else CASES[name][0].narrow
    current = [moves[0]]
    picture = Picture(drawing, lambda: current[0])
    wrong = []
    for state in moves[1:]:
        current[0] = state
        picture.redraw()
        fig, _ = _make(drawing, state)
        if not np.array_equal(pixels(picture.png), pixels(figure_png(fig))):
            wrong.append(drawing.frame(state))
    assert not wrong, f"the redraw differs from a full draw at {wrong}"


def _img(picture) -> dict:
    tag = re.search(r"<img [^>]*>", picture.image.value).group(0)
    return dict(re.findall(r'([\w-]+)="([^"]*)"', tag))


@pytest.mark.parametrize("make", [mc.stress_hormones, mc.diaphragm_psoas, mc.psoas_minor_chart,
                                  lambda: mc.mastery(example=True),
                                  lambda: mc.self_assessment_log("Rebalance Sequence")],
                         ids=["stress", "diaphragm", "prevalence", "mastery", "self-assessment"])
def test_the_lessons_charts_switch_to_their_narrow_layout_on_a_phone(make, figures_made,
                                                                       tmp_path, monkeypatch):
    """As the lessons open them: at a phone's width the picture shows its narrow layout from a
    stored frame (no matplotlib), readable at that width; on a wide screen the wide one."""
    monkeypatch.setenv("MELT_COURSE_PROGRESS", str(tmp_path))
    picture = make().picture
    wide_alt, wide_text = picture.alt, picture.description
    assert picture.fit_to(350) is True and picture.narrow
    assert figures_made == [], f"no stored frame for {picture.frame}"
    img = _img(picture)
    assert img["data-layout"] == "narrow"
    assert float(img["data-min-font-px"]) * min(1.0, 350 / int(img["width"])) >= READABLE_PX
    assert picture.alt == wide_alt and picture.description == wide_text
    assert picture.fit_to(1100) is True and not picture.narrow
