"""Diagrams readable on a phone (widgets/fit.py, widgets/diagram.py, Drawing.narrow).

A picture is told the width it is shown at (what the browser's ResizeObserver reports through
:class:`PictureWidth`); where the wide layout's smallest text would be shown under
``READABLE_PX``, a drawing with a narrow layout switches to it, from its stored first frame,
with the description saying where its panels now are. Every ``<img>`` carries its smallest
text size and a readable minimum width. The browser half is tests/test_browser_layout.py.
"""

from __future__ import annotations

import re

import pytest

from melt_course import notebook as mc
from melt_course.figures import frames
from melt_course.figures.biomech import EXPLORER
from melt_course.figures.demo import LEG
from melt_course.figures.drawing import Drawing, in_a_column
from melt_course.widgets.fit import READABLE_PX, PictureWidth, readable_width


def _img(picture) -> dict:
    tag = re.search(r"<img [^>]*>", picture.image.value).group(0)
    return dict(re.findall(r'([\w-]+)="([^"]*)"', tag))


def test_the_image_says_its_smallest_text_and_keeps_a_readable_width():
    w = mc.four_words()
    img = _img(w.picture)
    width = int(img["width"])
    text_px = float(img["data-min-font-px"])
    assert text_px == pytest.approx(frames.smallest_text_px(w.picture.png), abs=0.01)
    least = int(re.search(r"min-width: (\d+)px", img["style"]).group(1))
    # at that width the smallest text is shown at READABLE_PX, not less
    assert text_px * least / width >= READABLE_PX - 0.01
    assert text_px * (least - 2) / width < READABLE_PX
    assert img["data-layout"] == "wide"


def test_a_live_figure_measures_its_own_text(figures_made, monkeypatch):
    monkeypatch.setenv(frames.FRAMES_ENV, "off")
    w = mc.hip_demo(20)
    assert len(figures_made) == 1
    # hip-demo's smallest text is 13 pt at 100 dpi
    assert w.picture.text_px == pytest.approx(13 * 100 / 72, abs=0.01)
    assert f'data-min-font-px="{13 * 100 / 72:.2f}"' in w.picture.image.value


def test_a_phone_width_switches_to_the_narrow_layout_from_its_stored_frame(figures_made):
    w = mc.psoas_explorer(90, -20)
    picture = w.picture
    wide_readable = readable_width(frames.png_size(picture.png)[0],
                                   frames.smallest_text_px(picture.png))
    assert picture.fit_to(wide_readable) is False, "readable at that width: stays wide"
    assert picture.fit_to(360) is True
    assert picture.narrow and figures_made == [], "a stored narrow frame needs no figure"
    assert picture.frame == "psoas-explorer-narrow_90_-20_psoas"
    assert picture.png == frames.load(picture.frame)
    img = _img(picture)
    assert img["data-layout"] == "narrow"
    shown = float(img["data-min-font-px"]) * min(1.0, 360 / int(img["width"]))
    assert shown >= READABLE_PX
    assert picture.description.startswith("Top: side view")
    assert "Bottom: force-length" in picture.description
    assert picture.alt == EXPLORER.short_text((90, -20, "psoas"))
    # a move draws the narrow layout live; back on a wide screen the wide layout returns
    w.hip.value = 45
    assert picture.narrow and len(figures_made) == 1
    assert frames.png_size(picture.png)[0] < 400
    assert picture.fit_to(1100) is True and not picture.narrow
    assert frames.png_size(picture.png)[0] == 1100 and "Left: side view" in picture.description


def test_the_browser_report_goes_through_the_guarded_path():
    w = mc.four_words()
    assert isinstance(w.picture.fit, PictureWidth)
    w.picture.fit.width = 350
    assert w.picture.narrow
    w.picture.fit.width = 0                     # hidden: nothing changes
    assert w.picture.narrow
    w.picture.fit.width = 1150
    assert not w.picture.narrow


def test_a_drawing_without_a_narrow_layout_stays_and_scrolls():
    w = mc.hip_demo(0)
    assert w.picture.fit_to(200) is False
    assert not w.picture.narrow


@pytest.mark.parametrize("bad", [-1, 3.5, "360", True])
def test_fit_to_refuses_a_width_that_is_not_whole_pixels(bad):
    with pytest.raises(ValueError, match="width="):
        mc.hip_demo(0).picture.fit_to(bad)


def test_readable_width_rule_and_its_errors():
    assert readable_width(1200, 12.0) == 900
    assert readable_width(400, None) == 0
    with pytest.raises(ValueError, match="image_width=0"):
        readable_width(0, 12.0)
    with pytest.raises(ValueError, match="text_px=-1"):
        readable_width(100, -1)


def test_a_narrow_layout_must_be_another_drawing():
    with pytest.raises(ValueError, match="narrow="):
        Drawing(name="hip-demo", make=LEG.make, describe=LEG.describe, alt="x", narrow=LEG)
    with pytest.raises(ValueError, match="narrow="):
        Drawing(name="x", make=LEG.make, describe=LEG.describe, alt="x", narrow="small")


def test_in_a_column_names_a_missing_panel_place():
    assert in_a_column("Left: a. Right: b.", {"Left:": "Top:", "Right:": "Bottom:"}) == \
        "Top: a. Bottom: b."
    with pytest.raises(ValueError, match="'Middle:'"):
        in_a_column("Left: a.", {"Middle:": "Centre:"})


def test_stored_frames_record_their_smallest_text():
    for key in frames.stored_keys():
        px = frames.smallest_text_px(frames.load(key))
        assert px is not None and px >= READABLE_PX, (key, px)
    png = frames.load("hip-demo_0")
    assert frames.smallest_text_px(frames.with_smallest_text(png, 12.5)) == 12.5
    with pytest.raises(ValueError, match="px=0"):
        frames.with_smallest_text(png, 0)
    with pytest.raises(ValueError, match="not a PNG"):
        frames.smallest_text_px(b"GIF89a" + bytes(30))


def test_every_narrow_layout_is_readable_on_a_phone():
    """A phone at 390 px gives a picture about 350 CSS px (JupyterLab a little less): every
    stored narrow frame's smallest text is readable at 330 px without scrolling."""
    narrow = [k for k in frames.stored_keys() if k.split("_")[0].endswith("-narrow")]
    assert {k.split("_")[0] for k in narrow} >= {
        "psoas-explorer-narrow", "four-words-narrow", "startle-narrow", "balance-lab-narrow",
        "hip-flexors-narrow", "fibre-length-narrow", "gait-cycle-narrow", "psoas-emg-narrow",
        "stress-narrow", "diaphragm-narrow", "prevalence-narrow", "mastery-narrow",
        "assessment-log-narrow", "anatomy-explorer-narrow", "anatomy-picture-narrow",
        "quiz-label-narrow"}
    for key in narrow:
        png = frames.load(key)
        assert readable_width(frames.png_size(png)[0], frames.smallest_text_px(png)) <= 330, key
