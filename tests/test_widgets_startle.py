"""Lesson 3 widgets: one live figure, artists updated in place, the image changes."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import pixels

from melt_course import notebook as mc
from melt_course.figures import startle as figs
from melt_course.figures.drawing import Drawing, flatten_artists
from melt_course.figures.style import figure_png
from melt_course.widgets.diagram import Picture


def _counts(fig):
    return [len(ax.get_children()) for ax in fig.axes]


def test_time_slider_updates_the_one_live_figure():
    w = mc.startle_timeline()
    fig = w.fig
    counts = _counts(fig)
    cursor = w.picture.artists["timeline"]["cursor"]
    head = w.picture.artists["body"]["head"]
    image0, renders0 = w.picture.png, w.picture.renders
    w.slider.value = 120
    assert w.fig is fig                       # the same figure
    assert _counts(fig) == counts                  # no new artists
    assert w.picture.artists["timeline"]["cursor"] is cursor
    assert cursor.get_xdata()[0] == pytest.approx(120)
    assert head.get_center()[0] > 0.05             # the body has curled forward
    assert w.picture.png != image0            # a new image was shown
    assert w.picture.renders == renders0 + 1
    assert w.picture.background_draws == 1                  # static layer drawn once only
    assert w.readout.value == "120 ms"
    assert "120 ms after a loud sound" in w.picture.text.value


def test_live_image_matches_a_fresh_full_render():
    # the live (background-cached) image must show exactly what the full figure shows
    w = mc.startle_timeline(1)
    for t in (1, 60, 140, 2500):
        w.slider.value = t
        fig, _ = figs.startle_figure(t)
        diff = np.abs(pixels(w.picture.png) - pixels(figure_png(fig)))
        assert diff.mean() < 0.5, t


def test_play_and_jump_buttons_drive_the_slider():
    w = mc.startle_timeline()
    w.play.value = w.play.max
    assert w.t_ms == pytest.approx(10000)
    labels = [b.description for b in w.buttons]
    w.buttons[labels.index("Blink (32 ms)")].click()
    assert w.t_ms == 32
    assert "Orbicularis oculi" in w.picture.text.value


def test_slider_is_log_scaled_over_1_ms_to_10_s():
    w = mc.startle_timeline()
    assert type(w.slider).__name__ == "FloatLogSlider"
    assert 10 ** w.slider.min == pytest.approx(1)
    assert 10 ** w.slider.max == pytest.approx(10000)


@pytest.mark.parametrize("bad", [0, -3, 20000, "x"])
def test_bad_start_time_raises(bad):
    with pytest.raises(ValueError, match=r"start_ms|t_ms"):
        mc.startle_timeline(bad)


def test_stress_widget_moves_its_cursor_and_keeps_one_figure():
    w = mc.stress_hormones(10)
    fig, counts, image0 = w.fig, _counts(w.fig), w.picture.png
    w.slider.value = 3600
    assert w.fig is fig and _counts(fig) == counts
    assert w.picture.artists["cursor"].get_xdata()[0] == pytest.approx(3600)
    assert w.picture.png != image0
    assert w.readout.value == "1 h"
    assert "not measured data" in w.picture.text.value
    with pytest.raises(ValueError):
        mc.stress_hormones(0.5)


def test_breath_widget_gasp_lowers_the_dome():
    w = mc.diaphragm_psoas()
    w.picture.build()
    top0 = max(w.picture.artists["dome"].get_ydata())
    image0 = w.picture.png
    w.gasp.click()
    assert w.slider.value == 1.0
    assert max(w.picture.artists["dome"].get_ydata()) < top0
    assert w.picture.png != image0
    assert "startle gasp" in w.picture.text.value
    with pytest.raises(ValueError):
        mc.diaphragm_psoas(2)


def test_widget_text_form_is_stable():
    a, b = mc.startle_timeline(), mc.startle_timeline(500)
    assert repr(a) == repr(b)
    assert "interactive widget" in repr(mc.stress_hormones())


def test_live_view_needs_moving_artists(monkeypatch):
    monkeypatch.setenv("MELT_COURSE_FRAMES", "off")
    _fig, artists = figs.stress_figure(5)
    drawing = Drawing(name="empty-moving", make=figs.stress_figure, describe=str, alt="x",
                      moving=lambda artists: [])
    with pytest.raises(ValueError, match="moving"):
        Picture(drawing, lambda: 5.0)
    assert len(flatten_artists({"a": [artists["cursor"], (artists["label"], 3)]})) == 2


def test_tables_render_from_data():
    onsets = mc.startle_onsets().markdown
    assert "| 1 | Orbicularis oculi" in onsets and "about 30 ms" in onsets
    assert "order only: no onset times in what the course read" in onsets
    claims = mc.known_vs_claimed().markdown
    assert claims.count("\n| ") >= 5
    assert "*(contested)*" in claims and "Parker et al. 2024" in claims
    assert "not measured data" in mc.stress_model_note().markdown


def test_browser_snapped_log_values_show_as_round_times():
    # the browser snaps a log slider to a grid of exponents: 30 ms arrives as 10**1.48
    from melt_course.widgets.startle import nice_time

    w = mc.startle_timeline()
    w.slider.value = 10 ** 1.48
    assert w.t_ms == 30 and w.readout.value == "30 ms"
    assert "30 ms after a loud sound" in w.picture.text.value
    assert [nice_time(v) for v in (151.4, 54.95, 1.02, 9772.0)] == [150, 55, 1.0, 9800]
    s = mc.stress_hormones()
    s.slider.value = 10 ** 3.56     # 3631 s
    assert s.readout.value == "1 h"


@pytest.mark.parametrize(("make", "message"), [
    (mc.startle_timeline, r"start_ms=0\.5 is outside the widget's range 1 to 10000 ms"),
    (mc.stress_hormones, r"start_s=0\.5 is outside the widget's range 1 to 21600 s"),
])
def test_a_start_below_the_time_slider_names_the_value_and_the_range(make, message):
    with pytest.raises(ValueError, match=message):
        make(0.5)


def test_the_stress_slider_rounds_and_stays_inside_the_models_6_hours():
    # 21 590 s to 2 significant figures is 22 000 s, past the model's end: the widget shows 6 h
    stress = mc.stress_hormones()
    stress.slider.value = 21590
    assert stress.t_s == 21600 and stress.readout.value == "6 h"
    assert "6 h" in stress.picture.text.value
