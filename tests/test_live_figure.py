"""LiveFigure: only the moving artists are redrawn, and the picture is the full draw's."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from helpers import pixels

from melt_course import notebook as mc
from melt_course.figures import biomech as fb
from melt_course.figures.live import LiveFigure
from melt_course.figures.style import course_style, figure_png, new_figure


def _crossing():
    """A moving thick line that crosses a still label and a still marker drawn above it."""
    fig, ax = new_figure(3, 2)
    with course_style():
        ax.plot([0, 1], [0.5, 0.5], color="0.7", lw=1, zorder=1)          # still, below
        (moving,) = ax.plot([0, 1], [0, 1], lw=12, zorder=2)
        ax.text(0.5, 0.5, "LABEL", fontsize=14, ha="center", zorder=3)  # still, above
        ax.plot([0.3], [0.3], "+", ms=20, mew=3, color="k", zorder=4)   # still, above
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_axis_off()
    return fig, moving


def test_moving_artists_given_in_any_order_are_painted_as_a_full_draw_paints_them():
    fig, ax = new_figure(3, 2)
    with course_style():
        (low,) = ax.plot([0, 1], [0, 1], lw=14, color="#E69F00", zorder=2)
        (high,) = ax.plot([0, 1], [1, 0], lw=14, color="#0072B2", zorder=5)
        label = fig.text(0.5, 0.5, "CROSSING", fontsize=16, ha="center", zorder=6)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_axis_off()                  # nothing still between them
    live = LiveFigure(fig, [label, high, low])       # given top first
    live.render()
    low.set_ydata([0.1, 0.9])
    high.set_ydata([0.9, 0.1])
    assert live.animated == [low, high, label]
    assert np.array_equal(pixels(live.render()), pixels(figure_png(fig)))


def test_keep_stacking_gives_the_full_draw_pixel_for_pixel():
    fig, moving = _crossing()
    live = LiveFigure(fig, [moving], keep_stacking=True)
    live.render()
    moving.set_ydata([0.2, 0.9])
    fast = pixels(live.render())
    assert live.background_draws == 1
    assert np.array_equal(fast, pixels(figure_png(fig)))
    # The still artists above the line are redrawn with it; the one below is not.
    assert len(live.animated) == 3


def test_without_keep_stacking_the_moving_line_covers_what_is_above_it():
    fig, moving = _crossing()
    live = LiveFigure(fig, [moving])
    live.render()
    moving.set_ydata([0.2, 0.9])
    fast = pixels(live.render())
    assert live.animated == [moving]
    assert not np.array_equal(fast, pixels(figure_png(fig)))


def test_the_psoas_explorer_after_each_move_is_the_full_picture_of_that_posture():
    # Hip steps sweep the cursor over the moment-arm legend and the femur past the labels;
    # then the low-back curve and the muscle change (the still column and curves move).
    explorer = mc.psoas_explorer()
    states = [(hip, 0, "psoas") for hip in range(-30, 121, 15)]
    states += [(45, 10, "psoas"), (50, 10, "psoas"), (-20, 15, "iliacus"), (-15, 15, "iliacus"),
               (-15, -10, "psoas")]
    wrong = []
    for hip, back, muscle in states:
        explorer.hip.value, explorer.lordosis.value, explorer.muscle.value = hip, back, muscle
        fig, _ = fb.explorer_figure(hip, back, muscle)
        if not np.array_equal(pixels(explorer.picture.png), pixels(figure_png(fig))):
            wrong.append((hip, back, muscle))
    assert not wrong, f"the fast redraw differs from a full draw at {wrong}"
    assert explorer.picture.background_draws == 1


def _label_and_line():
    """A still label above a moving line that is far from it, then over it."""
    fig, ax = new_figure(4, 2)
    with course_style():
        (moving,) = ax.plot([0.05, 0.15], [0.2, 0.3], lw=6, zorder=2)
        label = ax.text(0.8, 0.5, "LABEL", fontsize=14, ha="center", zorder=3)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_axis_off()
    return fig, moving, label


def test_a_still_label_is_redrawn_only_when_a_changed_artist_comes_near_it():
    fig, moving, label = _label_and_line()
    live = LiveFigure(fig, [moving], keep_stacking=True)
    live.render()
    assert live.animated == [moving, label]
    moving.set_xdata([0.1, 0.2])                    # far from the label
    far = live.render()
    assert live.last_drawn == 1
    assert np.array_equal(pixels(far), pixels(figure_png(fig)))
    moving.set_data([0.6, 1.0], [0.45, 0.6])        # across the label
    near = live.render()
    assert live.last_drawn == 2
    assert np.array_equal(pixels(near), pixels(figure_png(fig)))


def test_a_change_of_colour_alone_is_repainted():
    fig, moving = _crossing()
    live = LiveFigure(fig, [moving], keep_stacking=True)
    live.render()
    moving.set_color("#d55e00")                     # same points, another colour
    fast = pixels(live.render())
    assert np.array_equal(fast, pixels(figure_png(fig)))


def test_a_line_moved_piece_by_piece_and_a_dashed_one_give_the_full_draw():
    fig, ax = new_figure(4, 3)
    with course_style():
        (path,) = ax.plot([0.1, 0.3, 0.5, 0.7, 0.9], [0.1, 0.5, 0.3, 0.6, 0.2], lw=4, zorder=2)
        (dashed,) = ax.plot([0.1, 0.9], [0.8, 0.7], lw=2, ls="--", zorder=2)
        ax.text(0.2, 0.28, "near the fixed end", fontsize=10, zorder=3)
        ax.legend([path, dashed], ["path", "dashed"], loc="lower right")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
    live = LiveFigure(fig, [path, dashed], keep_stacking=True)
    live.render()
    for end in (0.25, 0.05, 0.9):
        path.set_ydata([0.1, 0.5, 0.3, 0.6, end])  # only the last piece moves
        dashed.set_xdata([0.1, 0.9 - end / 4])
        fast = pixels(live.render())
        assert np.array_equal(fast, pixels(figure_png(fig))), end
    # A sharp turn: the inner corner of the stroke reaches far back along the long first
    # segment, which did not move, when only the turn's next vertex does.
    for tip in (0.52, 0.6, 0.55):
        path.set_data([0.1, 0.5, 0.53, tip, tip + 0.01], [0.1, 0.9, 0.35, 0.3, 0.3])
        fast = pixels(live.render())
        assert np.array_equal(fast, pixels(figure_png(fig))), tip


def test_a_draw_by_anything_else_starts_again_from_a_fresh_background():
    fig, moving = _crossing()
    live = LiveFigure(fig, [moving], keep_stacking=True)
    live.render()
    moving.set_ydata([0.2, 0.9])
    saved = figure_png(fig)         # a save draws every artist and clears the stale marks
    fast = pixels(live.render())
    assert np.array_equal(fast, pixels(saved))
    assert live.background_draws == 2


def test_a_still_artist_that_changes_brings_a_fresh_background_and_a_moving_one_does_not():
    """An artist that changes now and then (a curve that follows a model choice) stays in
    the still background: when it changes, the next picture shows it; drawing the moving
    artists (which touches axis ticks when a spine is redrawn) does not count as a change."""
    fig, moving = _crossing()
    ax = moving.axes
    with course_style():
        (curve,) = ax.plot([0, 1], [0.8, 0.2], lw=3, color="#009E73", zorder=1.5)   # still
        ax.set_axis_on()                           # spines and ticks, drawn with the line
    live = LiveFigure(fig, [moving, ax.spines["left"]], keep_stacking=True)
    live.render()
    for end in (0.3, 0.7):
        moving.set_ydata([0.1, end])
        fast = pixels(live.render())
        assert np.array_equal(fast, pixels(figure_png(fig)))
    assert live.background_draws == 2              # the first, and again after figure_png
    live.render()
    moving.set_ydata([0.2, 0.6])
    live.render()
    assert live.background_draws == 3              # (figure_png drew the figure itself)
    curve.set_ydata([0.2, 0.8])
    fast = pixels(live.render())
    assert live.background_draws == 4
    assert np.array_equal(fast, pixels(figure_png(fig)))


def _set(widget, **values):
    with widget.quietly():
        for name, value in values.items():
            getattr(widget, name).value = value
    widget.redraw()


def test_the_hip_flexor_diagrams_after_each_move_are_the_full_pictures_of_those_states():
    # Each redraws only what moved over a kept background (and the comparison keeps its first
    # layout); each picture must still be a fresh figure's, pixel for pixel.
    from melt_course.figures import hip_flexors as fh

    wrong = []
    comparison = mc.hip_flexor_comparison()
    for model, knee, hip in (("gait2392", 0, 5), ("gait2392", 0, 60), ("gait2392", 90, 60),
                             ("rajagopal2016", 90, -30), ("rajagopal2016", 0, 120)):
        _set(comparison, model=model, knee=knee, hip=hip)
        fig, _ = fh.flexors_figure(model, knee, hip)
        if not np.array_equal(pixels(comparison.picture.png), pixels(figure_png(fig))):
            wrong.append(("comparison", model, knee, hip))
    fibres = mc.fibre_length_widget()
    for hip in (-30, -25, 0, 40, 45, 120):
        _set(fibres, hip=hip)
        fig, _ = fh.fibres_figure(hip)
        if not np.array_equal(pixels(fibres.picture.png), pixels(figure_png(fig))):
            wrong.append(("fibres", hip))
    gait = mc.gait_cycle()
    for percent in (2, 4, 50, 62, 100):
        _set(gait, percent=percent)
        fig, _ = fh.gait_figure(percent)
        if not np.array_equal(pixels(gait.picture.png), pixels(figure_png(fig))):
            wrong.append(("gait", percent))
    assert not wrong, f"the fast redraw differs from a full draw at {wrong}"
    # The comparison's curves and title change only with the model or the knee (three times
    # here): its still background is drawn again then, never for a hip move.
    assert [d.picture.background_draws for d in (comparison, fibres, gait)] == [4, 1, 1]


def test_a_hip_move_draws_again_only_the_explorer_texts_that_change():
    # Text is the costly part of a move (issue 16): the still labels, legends and notes stand
    # where the femur, the muscle paths, the stem and the points do not pass, and the side
    # view's title names only the low-back curve, so a move over the usual hip range
    # repaints only the texts whose words change (and the "moment arm" label when the femur
    # sweeps under it).
    from matplotlib.legend import Legend
    from matplotlib.text import Text

    explorer = mc.psoas_explorer(hip_flexion_deg=10)
    explorer.picture.warm()
    fig, artists = explorer.picture.fig, explorer.picture.artists
    changing = {id(artists["moment_arm"]["title"]),
                id(artists["force_length"]["readout"]), id(artists["model"]["lever_label"])}
    drawn = []
    draw = fig.draw_artist

    def record(artist):
        if isinstance(artist, (Text, Legend)) and id(artist) not in changing:
            drawn.append((explorer.hip.value, getattr(artist, "get_text", lambda: "legend")()))
        return draw(artist)

    fig.draw_artist = record
    for hip in range(15, 81, 5):
        explorer.hip.value = hip
    assert not drawn, f"still texts drawn again: {drawn}"


#: Every live diagram of the course with the slider a learner moves most (its description).
_SLIDER_DIAGRAMS = {
    "hip demo": (lambda: mc.hip_demo(), "hip"),
    "startle": (lambda: mc.startle_timeline(), ""),
    "stress": (lambda: mc.stress_hormones(), ""),
    "diaphragm": (lambda: mc.diaphragm_psoas(), ""),
    "balance": (lambda: mc.balance_lab(), "gain"),
    "explorer": (lambda: mc.psoas_explorer(), "hip"),
    "comparison": (lambda: mc.hip_flexor_comparison(), "hip"),
    "fibres": (lambda: mc.fibre_length_widget(hip_flexion_deg=-30), "hip"),
    "gait": (lambda: mc.gait_cycle(), ""),
}


@pytest.mark.parametrize("name", list(_SLIDER_DIAGRAMS))
def test_a_slider_move_draws_the_still_background_again_only_when_axis_limits_change(name):
    """The still background is kept while only moving artists change; an update that sets
    a still artist at every move (even to the same value) would make every move a full draw
    (the balance lab's y limits once did)."""
    import ipywidgets as W

    from melt_course.widgets.diagram import _descendants

    make, word = _SLIDER_DIAGRAMS[name]
    widget = make()
    picture = widget.picture
    picture.warm()
    sliders = [d for d in _descendants(widget)
               if isinstance(d, (W.IntSlider, W.FloatSlider, W.FloatLogSlider))]
    slider = ([s for s in sliders if word in s.description.lower()] or sliders)[0]
    keys, draws = [picture.live._key], picture.background_draws
    for _ in range(6):
        if isinstance(slider, W.FloatLogSlider):
            slider.value = min(slider.value * slider.base ** slider.step,
                               slider.base ** slider.max)
        else:
            slider.value = min(slider.value + slider.step, slider.max)
        keys.append(picture.live._key)
    new_limits = sum(a != b for a, b in itertools.pairwise(keys))
    drawn = picture.background_draws - draws
    assert drawn == new_limits, (f"{name}: {drawn} background draws in six moves, "
                                 f"{new_limits} of them with new axis limits")
