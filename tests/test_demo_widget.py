"""The start notebook's demo: figure geometry, text description, and widget wiring."""

import math

import pytest

from melt_course.figures import new_figure
from melt_course.figures.demo import THIGH_LENGTH, describe_leg, draw_leg, leg_points, update_leg
from melt_course.widgets.demo import hip_demo


@pytest.mark.parametrize("angle", [-30, 0, 45, 90, 120])
def test_thigh_keeps_its_length_and_points_the_right_way(angle):
    hip, knee, _ = leg_points(angle)
    assert math.dist(hip, knee) == pytest.approx(THIGH_LENGTH)
    assert math.copysign(1, knee[0]) == math.copysign(1, angle) or angle == 0
    assert knee[1] <= 0 or angle > 90


def test_update_moves_the_same_artist():
    _, ax = new_figure()
    artists = draw_leg(ax, 0)
    n_lines = len(ax.lines)
    update_leg(artists, 90)
    assert len(ax.lines) == n_lines
    xs, ys = artists["leg"].get_data()
    assert xs[1] == pytest.approx(THIGH_LENGTH) and ys[1] == pytest.approx(0, abs=1e-12)
    assert artists["label"].get_text() == "Hip flexion: 90°"


def test_description_follows_the_angle():
    assert "lifted forward" in describe_leg(60) and "60 degrees" in describe_leg(60)
    assert "behind" in describe_leg(-20)


def test_slider_move_updates_the_live_figure_and_image():
    widget = hip_demo()
    fig, before = widget.fig, widget.picture.image.value
    widget.slider.value = 60
    assert widget.fig is fig, "a new figure was made"
    assert widget.picture.image.value != before
    assert widget.picture.renders == 2
    assert "60 degrees" in widget.picture.text.value
    assert repr(widget) == repr(hip_demo(30)), "text form must not depend on state"


def test_bad_start_angle_names_value_and_range():
    with pytest.raises(ValueError, match=r"start_deg=200 .* -30 to 120"):
        hip_demo(200)
