"""Lesson 3 figures: artists move with time, nothing is added on update, descriptions follow."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from helpers import pixels
from matplotlib.patches import Rectangle

from melt_course.figures import startle as figs
from melt_course.figures.palette import OKABE_ITO, ROLE
from melt_course.figures.style import figure_png


def _children(fig):
    return [len(ax.get_children()) for ax in fig.axes]


def test_startle_update_changes_existing_artists_only():
    fig, artists = figs.startle_figure(1)
    before = _children(fig)
    cursor = artists["timeline"]["cursor"]
    blink = artists["timeline"]["muscles"]["orbicularis_oculi"]
    x0 = cursor.get_xdata()[0]
    colour0 = blink.get_markerfacecolor()
    figs.update_startle(artists, 80)
    assert _children(fig) == before
    assert artists["timeline"]["cursor"] is cursor
    assert cursor.get_xdata()[0] == 80 != x0
    assert blink.get_markerfacecolor() != colour0
    assert blink.get_markerfacecolor() == figs.STATE_COLOURS["started"]


def test_range_bars_show_may_have_started_inside_their_window():
    _, artists = figs.startle_figure(100)
    bar = artists["timeline"]["muscles"]["quadriceps"]
    assert isinstance(bar, Rectangle)
    assert bar.get_x() == 55 and bar.get_x() + bar.get_width() == 150
    from matplotlib.colors import to_hex
    assert to_hex(bar.get_facecolor()) == to_hex(figs.STATE_COLOURS["in_window"])
    figs.update_startle(artists, 200)
    assert to_hex(bar.get_facecolor()) == to_hex(figs.STATE_COLOURS["started"])


def test_body_curls_forward_and_closes_its_eyes_over_time():
    _, artists = figs.startle_figure(1)
    body = artists["body"]
    head0 = np.array(body["head"].get_center())
    eye0 = body["eye"].get_height()
    wrist0 = np.array(body["arm"].get_data())[:, -1]
    figs.update_startle(artists, 200)
    head1 = np.array(body["head"].get_center())
    wrist1 = np.array(body["arm"].get_data())[:, -1]
    assert head1[0] > head0[0] + 0.05      # head and trunk flex forward
    assert head1[1] < head0[1]             # and down
    assert body["eye"].get_height() < eye0 / 3   # eyes closed
    assert wrist1[1] > wrist0[1] + 0.05    # elbows bent: the wrist rises
    assert body["title"].get_text() == "EMG pause"
    assert artists["timeline"]["cursor_label"].get_text() == "t = 200 ms"


def test_body_pose_changes_monotonically_with_time():
    _, artists = figs.startle_figure(1)
    xs = []
    for t in (1, 40, 60, 80, 110, 150, 200, 5000):
        figs.update_startle(artists, t)
        xs.append(artists["body"]["head"].get_center()[0])
    assert xs == sorted(xs)


def test_rendered_image_changes_with_time_and_is_deterministic():
    fig, artists = figs.startle_figure(1)
    a = figure_png(fig)
    figs.update_startle(artists, 120)
    b = figure_png(fig)
    assert a != b
    # constrained layout settles on its second pass, so compare second renders
    fig2, _ = figs.startle_figure(120)
    figure_png(fig2)
    assert figure_png(fig2) == b


def test_describe_startle_names_started_window_and_waiting_muscles():
    early = figs.describe_startle(10)
    assert "Not yet" in early and "Started" not in early and "at rest" in early
    mid = figs.describe_startle(60)
    assert "Started: Orbicularis oculi, Mentalis, Sternocleidomastoid, Trapezius" in mid
    assert "Masseter" in mid.split("onset window")[1].split("Not yet")[0]
    late = figs.describe_startle(3000)
    assert "autonomic" in late and "3-10 s" in late


def test_stress_figure_cursor_and_dots_follow_the_model():
    from melt_course.models.startle import stress_levels

    fig, artists = figs.stress_figure(10)
    before = _children(fig)
    figs.update_stress(artists, 3600)
    assert _children(fig) == before
    assert artists["cursor"].get_xdata()[0] == 3600
    for axis_id, dot in artists["dots"].items():
        assert dot.get_ydata()[0] == pytest.approx(stress_levels(3600)[axis_id])
    assert "1 h" in artists["label"].get_text()


def test_stress_description_says_shape_not_data():
    text = figs.describe_stress(30)
    assert "not measured data" in text and "cannot be compared" in text
    assert "falling" in text.split("cortisol")[0]     # adrenaline past its peak at 30 s
    assert "still rising" in text.split("cortisol")[1]


def test_diaphragm_dome_descends_when_breathing_in():
    fig, artists = figs.diaphragm_figure(0.0)
    before = _children(fig)
    top_out = max(artists["dome"].get_ydata())
    figs.update_diaphragm_psoas(artists, 1.0)
    assert _children(fig) == before
    assert max(artists["dome"].get_ydata()) < top_out - 0.1
    assert "gasp" in artists["label"].get_text()
    assert "medial arcuate ligament" in figs.describe_diaphragm_psoas(1.0)


@pytest.mark.parametrize("bad", [-0.1, 1.5, "full", None, True, float("nan")])
def test_diaphragm_rejects_bad_breath(bad):
    with pytest.raises(ValueError, match="inhale"):
        figs.diaphragm_figure(bad)


@pytest.mark.parametrize("bad", [-5, "soon", 20000])
def test_figures_reject_bad_times(bad):
    with pytest.raises(ValueError):
        figs.startle_figure(bad)
    with pytest.raises(ValueError):
        figs.stress_figure(bad if bad != 20000 else 1e6)


def test_state_colours_come_from_the_palette():
    allowed = set(OKABE_ITO.values()) | set(ROLE.values())
    assert set(figs.STATE_COLOURS.values()) <= allowed


@pytest.mark.parametrize("name, state", [("STARTLE", 100.0), ("STARTLE", 2000.0),
                                         ("STRESS", 60.0), ("DIAPHRAGM", 0.0),
                                         ("DIAPHRAGM", 1.0)])
def test_printed_pictures_are_drawn_and_described(name, state):
    """What a printed handout shows for each lesson 3 diagram: a real picture and its words."""
    from melt_course.figures.style import course_style

    drawing = getattr(figs, name)
    with course_style():
        fig, _ = drawing.make(state)
    img = pixels(figure_png(fig))
    assert img.shape[0] > 300 and img.shape[1] > 500
    assert img.std() > 20           # not a blank image
    assert len(drawing.describe(state)) > 100


def test_figures_module_imports_no_widgets_or_pyplot():
    code = ("import sys, melt_course.figures.startle; "
            "bad = [m for m in ('ipywidgets', 'matplotlib.pyplot', 'IPython') if m in sys.modules];"
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_model_module_imports_no_plotting():
    code = ("import sys, melt_course.models.startle; "
            "bad = [m for m in ('matplotlib', 'ipywidgets', 'IPython') if m in sys.modules];"
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _colours(fig):
    from matplotlib.colors import to_hex

    found = set()
    for ax in fig.axes:
        for artist in [ax, *ax.get_children(), *ax.texts, *ax.lines, *ax.patches]:
            for getter in ("get_color", "get_facecolor", "get_edgecolor", "get_markerfacecolor"):
                value = getattr(artist, getter, lambda: None)()
                if value is None or (isinstance(value, str) and value == "none"):
                    continue
                try:
                    arr = np.atleast_2d(np.asarray(value, dtype=float)) if not isinstance(
                        value, str) else None
                except (TypeError, ValueError):
                    arr = None
                if arr is not None and arr.shape[-1] == 4:
                    found |= {to_hex(c[:3]) for c in arr if c[3] > 0}
                elif arr is None:
                    found.add(to_hex(value))
    return found


@pytest.mark.parametrize("make", [lambda: figs.startle_figure(80), lambda: figs.stress_figure(30),
                                  lambda: figs.diaphragm_figure(0.5)])
def test_figures_use_only_palette_colours(make):
    fig, _ = make()
    allowed = {c.lower() for c in (*OKABE_ITO.values(), *ROLE.values())} | {"#ffffff"}
    used = _colours(fig)
    assert used, "no colours found"
    assert used <= allowed, sorted(used - allowed)


def test_narrow_timeline_keeps_the_span_names_clear_of_the_row_names_and_the_time():
    # On a phone each row's name stands above its row; the names of the shaded spans
    # ("motor startle 20-150 ms", "no EMG 200-400 ms") must not touch the first row's name,
    # nor the time label above them while the cursor is inside the motor window.
    fig, artists = figs.startle_figure(60, narrow=True)
    figure_png(fig)
    renderer = fig.canvas.get_renderer()
    timeline = artists["timeline"]["cursor"].axes
    texts = {t.get_text().split("\n")[0]: t.get_window_extent(renderer) for t in timeline.texts}
    first_row = next(box for name, box in texts.items() if name.startswith("Blink"))
    time = artists["timeline"]["cursor_label"].get_window_extent(renderer)
    for span in ("motor startle", "no EMG"):
        box = texts[span]
        assert box.y0 - first_row.y1 >= 4, f"{span!r} is {box.y0 - first_row.y1:.1f} px above"
        assert time.y0 - box.y1 >= 4, f"the time label is {time.y0 - box.y1:.1f} px above {span!r}"
