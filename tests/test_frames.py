"""Stored first frames: fresh, all used, and shown without drawing until a control moves."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import load_script, pixels_match

from melt_course import notebook as mc
from melt_course.figures import frames

ROOT = Path(__file__).resolve().parent.parent


make_frames = load_script("make_frames")


@pytest.fixture(scope="module")
def lesson_views():
    return make_frames.lesson_views()


def test_every_lesson_diagram_has_a_fresh_stored_frame(lesson_views):
    assert len(lesson_views) >= 15, sorted(lesson_views)
    stale = {}
    for key, view in lesson_views.items():
        stored = frames.load(key)
        if stored is None:
            stale[key] = "missing"
            continue
        ok, detail = pixels_match(stored, view.live_png())
        if not ok:
            stale[key] = detail
    assert not stale, f"run scripts/make_frames.py: {stale}"


def test_no_stored_frame_is_unused(lesson_views):
    unused = set(frames.stored_keys()) - set(lesson_views)
    assert not unused, f"no lesson shows these (run scripts/make_frames.py): {sorted(unused)}"


def test_a_view_opens_on_its_stored_frame_without_drawing(figures_made):
    w = mc.psoas_explorer(90, -20)
    assert figures_made == [], "opening on a stored frame made a matplotlib figure"
    assert not w.picture.built
    assert w.picture.png == frames.load(w.picture.frame)
    assert "90" in w.picture.text.value
    width, height = frames.png_size(frames.load(w.picture.frame))
    assert f'width="{width}" height="{height}"' in w.picture.image.value


def test_first_move_builds_the_figure_once_in_the_new_state(figures_made, monkeypatch):
    lazy = mc.psoas_explorer(0, 0)
    first = lazy.picture.png
    lazy.hip.value = 45
    assert len(figures_made) == 1 and lazy.picture.built
    lazy.hip.value = 50
    assert len(figures_made) == 1, "a later move made another figure"
    # The same state drawn without stored frames gives the same picture.
    monkeypatch.setenv(frames.FRAMES_ENV, "off")
    eager = mc.psoas_explorer(50, 0)
    assert eager.picture.built
    ok, detail = pixels_match(eager.picture.png, lazy.picture.png)
    assert ok, detail
    assert lazy.picture.png != first
    assert lazy.picture.description == eager.picture.description


def _view(widget):
    return widget.picture


def _desc(view) -> str:
    return view.description


def _png(view) -> bytes:
    return view.png


@pytest.mark.parametrize("make, move, make_moved", [
    (mc.startle_timeline, lambda w: setattr(w.slider, "value", 300.0),
     lambda: mc.startle_timeline(300.0)),
    (mc.diaphragm_psoas, lambda w: w.gasp.click(), lambda: mc.diaphragm_psoas(1.0)),
    (mc.balance_lab, lambda w: setattr(w.delay, "value", 300), lambda: mc.balance_lab(delay_ms=300)),
    (mc.anatomy_explorer, lambda w: w.select("psoas_minor"),
     lambda: mc.anatomy_explorer(highlight="psoas_minor")),
    (mc.hip_demo, lambda w: setattr(w.slider, "value", 90), lambda: mc.hip_demo(90)),
    (mc.hip_flexor_comparison, lambda w: setattr(w.hip, "value", 45),
     lambda: mc.hip_flexor_comparison(hip_flexion_deg=45)),
    (mc.fibre_length_widget, lambda w: setattr(w.hip, "value", 60),
     lambda: mc.fibre_length_widget(60)),
    (mc.gait_cycle, lambda w: setattr(w.percent, "value", 60), lambda: mc.gait_cycle(60)),
    (mc.emg_panel, lambda w: setattr(w.task, "value", "lifting"),
     lambda: mc.emg_panel("lifting")),
])
def test_first_move_shows_what_opening_in_that_state_shows(make, move, make_moved, monkeypatch):
    """A view built lazily at its first move draws what a view opened in that state draws.

    (The layout is fixed at a figure's first live render, so the comparison is with a view
    opened in the moved-to state, without stored frames.)
    """
    lazy = make()
    assert not _view(lazy).built
    move(lazy)
    assert _view(lazy).built
    monkeypatch.setenv(frames.FRAMES_ENV, "off")
    eager = make_moved()
    ok, detail = pixels_match(_png(_view(eager)), _png(_view(lazy)))
    assert ok, detail
    assert _desc(_view(lazy)) == _desc(_view(eager))


def test_a_state_without_a_stored_frame_is_drawn_at_once(figures_made):
    w = mc.psoas_explorer(45, 10)
    assert frames.load(w.picture.frame) is None
    assert w.picture.built and len(figures_made) == 1
    assert w.picture.png[:8] == b"\x89PNG\r\n\x1a\n"


def test_still_pictures_use_stored_frames(figures_made):
    chart = mc.psoas_minor_chart()
    picture = mc.anatomy_picture("front")
    assert figures_made == []
    assert chart.picture.png == frames.load("prevalence_psoas-minor")
    assert picture.picture.png == frames.load(picture.picture.frame)


def test_frame_keys_are_readable_and_distinct():
    assert frames.frame_key("psoas-explorer", 90.0, -20, "psoas") == "psoas-explorer_90_-20_psoas"
    assert frames.frame_key("x", 20) != frames.frame_key("x", -20)
    assert frames.frame_key("x", 0.7, True, None) == "x_0.7_true_none"
    assert frames.frame_key("Anatomy", ["bones", "muscles"], "Psoas minor") == \
        "anatomy_bones+muscles_psoas-minor"
    assert frames.state_digest(1, "a") == frames.state_digest(1, "a")
    assert frames.state_digest(1, "a") != frames.state_digest(1, "b")


@pytest.mark.parametrize("bad", ["", "???", "Upper_case", "a/../b", "a_"])
def test_load_refuses_malformed_keys(bad):
    with pytest.raises(ValueError, match="frame key"):
        frames.load(bad)


def test_frame_name_must_give_a_key():
    with pytest.raises(ValueError, match="'!!'"):
        frames.frame_key("!!")


def test_png_size_reads_the_header_and_refuses_other_data():
    png = frames.load("hip-demo_0")
    assert frames.png_size(png) == (420, 420)
    with pytest.raises(ValueError, match="not a PNG"):
        frames.png_size(b"GIF89a" + bytes(30))


def test_frames_can_be_switched_off(monkeypatch):
    monkeypatch.setenv(frames.FRAMES_ENV, "off")
    assert frames.load("hip-demo_0") is None
    monkeypatch.setenv(frames.FRAMES_ENV, "on")
    assert frames.load("hip-demo_0") is not None


def test_a_picture_refuses_a_drawing_that_makes_no_figure():
    from melt_course.figures.drawing import Drawing
    from melt_course.widgets.diagram import Picture

    with pytest.raises(ValueError, match=r"is not a melt_course\.figures\.drawing\.Drawing"):
        Picture(42, lambda: 0)
    # the hip demo's stored frame is shown; the bad make() is found at the first build
    bad = Drawing(name="hip-demo", make=lambda state: "not a figure", describe=str, alt="x")
    picture = Picture(bad, lambda: 0)
    with pytest.raises(ValueError, match=r"make\(\) returned 'not a figure', expected"):
        picture.build()


def test_make_frames_rewrites_a_frame_only_when_its_picture_changes(tmp_path):
    """The same pixels compressed again (other bytes) leave the stored file alone; other
    pixels or another recorded text size replace it."""
    import io

    import numpy as np
    from PIL import Image

    def png(rgb, level, text_px=9.5):
        buf = io.BytesIO()
        Image.fromarray(rgb).save(buf, format="PNG", compress_level=level)
        return frames.with_smallest_text(buf.getvalue(), text_px)

    rgb = np.random.default_rng(0).integers(0, 256, (20, 30, 3), dtype=np.uint8)
    path = tmp_path / "demo_0.png"
    assert make_frames.write_frame(path, png(rgb, 9))
    stored = path.read_bytes()
    again = png(rgb, 1)
    assert again != stored, "the test needs other bytes for the same pixels"
    assert not make_frames.write_frame(path, again) and path.read_bytes() == stored
    assert make_frames.write_frame(path, png(rgb, 9, text_px=10.0))
    assert frames.smallest_text_px(path.read_bytes()) == 10.0
    changed = rgb.copy()
    changed[3, 4] = 255 - changed[3, 4]
    assert make_frames.write_frame(path, png(changed, 9, text_px=10.0))
    assert np.array_equal(np.asarray(Image.open(path).convert("RGB")), changed)
