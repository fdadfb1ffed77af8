"""LiveFigure: only the moving artists are redrawn, and the picture is the full draw's."""

from __future__ import annotations

import numpy as np
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


def test_the_psoas_explorer_after_a_move_is_the_full_picture_of_that_posture():
    explorer = mc.psoas_explorer()
    for hip, back, muscle in ((45, 10, "psoas"), (-20, 15, "iliacus")):
        explorer.hip.value, explorer.lordosis.value, explorer.muscle.value = hip, back, muscle
        fig, _ = fb.explorer_figure(hip, back, muscle)
        assert np.array_equal(pixels(explorer.picture.png), pixels(figure_png(fig)))
    assert explorer.picture.background_draws == 1
