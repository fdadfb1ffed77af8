"""Lesson 2 figures: drawn from the model, updated in place, described in words."""

import numpy as np
import pytest
from matplotlib.patches import Polygon

from melt_course.figures import biomech as fb
from melt_course.figures import figure_png, new_figure
from melt_course.models import biomech as bm


def _artist_count(fig):
    return sum(len(ax.get_children()) for ax in fig.axes)


def test_side_view_draws_the_model_paths():
    _fig, ax = new_figure(5, 6)
    art = fb.draw_model(ax, 30.0, 10.0, "psoas")
    path = bm.muscle_path("psoas", 30.0, 10.0, arc_step_deg=fb._ARC_STEP_DEG)
    for line, slip in zip(art["psoas"], path["slips"], strict=True):
        np.testing.assert_allclose(np.column_stack(line.get_data()), slip)
    np.testing.assert_allclose(np.column_stack(art["iliacus"].get_data()),
                               bm.muscle_path("iliacus", 30.0, 10.0,
                                              arc_step_deg=fb._ARC_STEP_DEG)["slips"][0])
    assert len(art["vertebrae"]) == 6 and all(isinstance(p, Polygon) for p in art["vertebrae"])
    # The dotted line runs from the hip centre at right angles to the pulling segment.
    xs, ys = art["lever"].get_data()
    lever = np.array([xs[1] - xs[0], ys[1] - ys[0]])
    pull = np.diff(path["line_of_action"], axis=0)[0]
    assert abs(np.dot(lever, pull)) < 1e-12
    np.testing.assert_allclose((xs[0], ys[0]), bm.GAIT2392_HIP_CENTRE[:2])
    # Its side-view length is the moment arm before the small sideways part of the pull is
    # taken off, so it is a little longer than the model's moment arm, never shorter.
    arm = bm.moment_arm("psoas", 30.0, 10.0)
    assert arm < np.hypot(*lever) < 1.06 * arm
    assert art["lever_label"].get_text() == "moment arm\n(dotted)"


def test_the_moment_arm_panel_names_the_number_and_its_stem_meets_the_point():
    _fig, art = fb.explorer_figure(30.0, 10.0, "iliacus")
    arm = bm.moment_arm("iliacus", 30.0, 10.0) * 100
    panel = art["moment_arm"]
    assert panel["title"].get_text() == f"Iliacus moment arm: {arm:.1f} cm"
    xs, ys = panel["cursor"].get_data()
    assert list(xs) == [30.0, 30.0] and ys[-1] == pytest.approx(arm) and 0 <= ys[0] < 0.5
    assert panel["dot"].get_data()[1][0] == pytest.approx(arm)


def test_explorer_numbers_are_kept_per_whole_posture_and_bounded():
    fb._numbers.cache_clear()
    postures = [(30, 10, "psoas"), (30, 10, "iliacus"), (30, -10, "psoas"), (35, 10, "psoas")]
    for hip, back, muscle in postures + postures:        # the second round is remembered
        numbers = fb.explorer_numbers(hip, back, muscle)
        assert numbers.state == bm.muscle_state(muscle, hip, back)
        other = "iliacus" if muscle == "psoas" else "psoas"
        assert numbers.other_length == pytest.approx(bm.musculotendon_length(other, hip, back))
        assert numbers.reference_arm == pytest.approx(
            bm.reference_moment_arm("rajagopal2016", muscle, hip))
    info = fb._numbers.cache_info()
    assert (info.hits, info.misses) == (4, 4)
    for hip in range(-30, 121):                          # more postures than it keeps
        for back in (-30, 0):
            fb.explorer_numbers(hip, back, "psoas")
    assert fb._numbers.cache_info().currsize == fb.EXPLORER_MEMO_SIZE


def test_updates_move_existing_artists_and_add_none():
    fig, art = fb.explorer_figure(0.0, 0.0, "psoas")
    before = _artist_count(fig)
    slip = art["model"]["psoas"][-1]
    old_x = np.array(slip.get_xdata()).copy()
    old_png = figure_png(fig)
    fb.update_explorer(art, 90.0, -20.0, "iliacus")
    assert _artist_count(fig) == before
    assert art["model"]["psoas"][-1] is slip
    new_x = np.array(slip.get_xdata())
    assert new_x.shape != old_x.shape or not np.allclose(new_x, old_x)
    assert new_x[-1] == pytest.approx(bm.muscle_path("psoas", 90.0, -20.0)["insertion"][0])
    assert art["force_length"]["active"].get_xdata()[0] == pytest.approx(
        bm.muscle_state("iliacus", 90.0, -20.0).normalized_fibre_length)
    assert art["moment_arm"]["cursor"].get_xdata()[0] == 90.0
    assert figure_png(fig) != old_png


def test_low_back_setting_moves_the_vertebrae_but_not_the_pelvis():
    _fig, art = fb.explorer_figure(0.0, 0.0)
    top = art["model"]["vertebrae"][-1].get_xy().copy()
    fb.update_model(art["model"], 0.0, 20.0)
    assert not np.allclose(art["model"]["vertebrae"][-1].get_xy(), top)
    np.testing.assert_allclose(art["model"]["iliacus"].get_data()[0][0], -0.0674)


def test_moment_arm_panel_shows_both_models_over_the_range():
    _fig, ax = new_figure()
    art = fb.draw_moment_arm(ax, 0.0, 0.0, "psoas")
    x, y = art["course"].get_data()
    assert x[0] == bm.HIP_RANGE_DEG[0] and x[-1] == bm.HIP_RANGE_DEG[1]
    np.testing.assert_allclose(y, bm.moment_arm("psoas", x) * 100)
    _, ref = art["published"].get_data()
    assert ref.min() < 0 < y.min(), "the published curve shows its negative deep-flexion part"


def test_four_words_figure_updates_in_place():
    words, run = bm.four_words("standing"), bm.simulate_fatigue(0.2, 300, 600)
    fig, art = fb.four_words_figure(words, run)
    before, png = _artist_count(fig), figure_png(fig)
    bars = art["bars"]["bars"]
    fb.update_four_words(art, bm.four_words("lunging"), run)
    assert _artist_count(fig) == before and art["bars"]["bars"] is bars
    assert bars[0].get_width() == pytest.approx(bm.four_words("lunging").tight_passive_force / 200)
    assert figure_png(fig) != png


def test_descriptions_carry_the_models_numbers():
    text = fb.describe_explorer(90.0, -20.0, "psoas")
    st = bm.muscle_state("psoas", 90.0, -20.0)
    assert f"{st.musculotendon_length * 100:.1f} cm" in text
    assert f"{st.moment_arm * 100:.1f} cm" in text
    assert "lifted forward by 90 degrees" in text and "20 degrees flatter" in text
    words = bm.four_words("sitting")
    text = fb.describe_four_words(words, bm.simulate_fatigue(0.2, 300, 600))
    assert f"{words.short_fraction * 100:.0f}% of their optimal length" in text
    assert "Tight" in text and "Exhausted" in text
