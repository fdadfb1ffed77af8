"""The balance figure: artists drawn once and moved, the text description, the live renderer."""


import numpy as np
import pytest
from helpers import pixels

from melt_course.figures.balance import (
    balance_figure,
    describe_balance,
    draw_balance,
    foot_outline,
    moving_artists,
    update_balance,
)
from melt_course.figures.live import LiveFigure, png_from_rgb
from melt_course.figures.style import course_style, figure_png
from melt_course.models.balance import DEFAULT_BODY, Body, simulate


@pytest.fixture
def drawn():
    fig, axes = balance_figure()
    result = simulate(seed=0)
    with course_style():
        artists = draw_balance(axes, result)
    return fig, axes, artists, result


def test_draw_shows_the_result_and_update_moves_the_same_artists(drawn):
    _fig, axes, artists, result = drawn
    x, y = artists["ap"].get_data()
    assert x[-1] == pytest.approx(result.t[-1])
    assert y.max() == pytest.approx((result.angle_ap_deg - DEFAULT_BODY.lean_deg).max(), abs=0.05)
    counts = [len(ax.get_children()) for ax in axes]
    ids = {name: id(a) for name, a in artists.items()}
    other = simulate(seed=5, eyes_open=False)
    update_balance(artists, other)
    assert [len(ax.get_children()) for ax in axes] == counts, "update added artists"
    assert {name: id(a) for name, a in artists.items()} == ids
    _cop_x, cop_y = artists["cop"].get_data()
    assert cop_y.max() == pytest.approx(other.cop_ap.max() * 100, abs=0.2)
    assert "sway area" in artists["title"].get_text()


def test_a_fall_is_marked(drawn):
    _, _axes, artists, _ = drawn
    fallen = simulate(gain=0.0, seed=0)
    update_balance(artists, fallen)
    assert artists["fall_line"].get_visible()
    assert artists["fall_line"].get_xdata()[0] == pytest.approx(fallen.fall_time)
    assert artists["title"].get_text() == f"Falls at t = {fallen.fall_time:.1f} s"
    assert len(artists["cop_end"].get_xdata()) == 1
    assert len(artists["ellipse"].get_xdata()) == 0
    update_balance(artists, simulate(seed=0))
    assert not artists["fall_line"].get_visible()


def test_description_says_stays_up_or_falls():
    up = simulate(seed=1)
    text = describe_balance(up)
    assert f"stays up, sway area {up.sway_area_cm2:.1f} cm²" in text
    assert f"body weight of {up.body.weight:.0f} N" in text
    assert "eyes open" in text and "150 ms" in text
    down = simulate(gain=1.5, delay=0.3, seed=1)
    text = describe_balance(down)
    assert f"falls at t = {down.fall_time:.1f} s" in text
    assert "stays up" not in text


def test_update_refuses_a_result_it_cannot_show(drawn):
    _, _, artists, _ = drawn
    with pytest.raises(ValueError, match="duration"):
        update_balance(artists, simulate(duration=10.0))
    with pytest.raises(ValueError, match=r"axes must hold 3 Axes"):
        draw_balance([], simulate())


def test_foot_outline_sits_inside_the_base_of_support():
    for side in (-1, 1):
        pts = foot_outline(DEFAULT_BODY, side)
        assert pts[:, 1].min() == pytest.approx(-DEFAULT_BODY.heel * 100)
        assert pts[:, 1].max() == pytest.approx(DEFAULT_BODY.toe * 100)
        assert np.abs(pts[:, 0]).max() <= DEFAULT_BODY.half_width * 100 + 1e-9
        assert np.sign(pts[:, 0].mean()) == side
    with pytest.raises(ValueError, match=r"side=0"):
        foot_outline(Body(), 0)


def test_live_render_matches_a_full_render_and_reuses_the_background(drawn):
    fig, _, artists, _ = drawn
    live = LiveFigure(fig, moving_artists(artists))
    first = live.render()
    update_balance(artists, simulate(seed=3))
    second = live.render()
    assert second != first
    assert live.background_draws == 1, "limits did not change, background must be reused"
    full = pixels(figure_png(fig))
    fast = pixels(second)
    assert full.shape == fast.shape
    assert np.mean(np.abs(full - fast)) < 0.05
    update_balance(artists, simulate(gain=0.0))    # a fall rescales the sway axis
    live.render()
    assert live.background_draws == 2


def test_live_figure_rejects_foreign_or_no_artists(drawn):
    fig, _, _artists, _ = drawn
    _other_fig, other_axes = balance_figure()
    with course_style():
        other = draw_balance(other_axes, simulate())
    with pytest.raises(ValueError, match="does not belong"):
        LiveFigure(fig, [other["ap"]])
    with pytest.raises(ValueError, match="at least one"):
        LiveFigure(fig, [])


def test_png_writer_round_tripspixels():
    rng = np.random.default_rng(2)
    rgba = rng.integers(0, 256, (23, 41, 4), dtype=np.uint8)
    assert np.array_equal(pixels(png_from_rgb(rgba)), rgba[..., :3])
    assert np.array_equal(pixels(png_from_rgb(rgba[..., :3], level=9)), rgba[..., :3])
    assert png_from_rgb(rgba) == png_from_rgb(rgba.copy())
    with pytest.raises(ValueError, match="uint8"):
        png_from_rgb(rgba.astype(float))
    with pytest.raises(ValueError, match="level=12"):
        png_from_rgb(rgba, level=12)


@pytest.mark.parametrize("settings, says", [
    ({}, "stays up, sway area"),
    ({"gain": 0.0}, "falls at t ="),
    ({"delay": 0.3}, "falls at t ="),
    ({"eyes_open": False, "foot_weight": 0.2}, "eyes closed"),
])
def test_the_description_says_what_the_settings_make_the_model_do(settings, says):
    assert says in describe_balance(simulate(**settings))
