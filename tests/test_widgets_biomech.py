"""Lesson 2 widgets: one live figure, artists updated per move, readouts follow the model."""

import pytest

from melt_course import notebook as mc
from melt_course.models import biomech as bm


def test_hip_slider_updates_the_same_figure_and_its_artists():
    w = mc.psoas_explorer()
    fig = w.fig
    slip = w.picture.artists["model"]["psoas"][0]
    renders, png = w.picture.renders, w.picture.png
    axes_before = list(fig.axes)
    w.hip.value = 60
    assert w.fig is fig and list(fig.axes) == axes_before
    assert w.picture.artists["model"]["psoas"][0] is slip
    assert slip.get_data()[0][-1] == pytest.approx(bm.muscle_path("psoas", 60)["insertion"][0])
    assert w.picture.renders == renders + 1
    assert w.picture.png != png
    assert "lifted forward by 60 degrees" in w.picture.text.value
    length = bm.musculotendon_length("psoas", 60) * 100
    assert f"{length:.1f} cm" in w.readout.value


def test_low_back_slider_changes_psoas_readout_not_iliacus():
    w = mc.psoas_explorer(muscle="iliacus")
    before = w.readout.value
    w.lordosis.value = 20
    after = w.readout.value
    iliacus = f"{bm.musculotendon_length('iliacus', 0) * 100:.1f} cm"
    assert iliacus in before and iliacus in after
    psoas_old = f"{bm.musculotendon_length('psoas', 0, 0) * 100:.1f} cm"
    psoas_new = f"{bm.musculotendon_length('psoas', 0, 20) * 100:.1f} cm"
    assert psoas_old in before and psoas_new in after and psoas_old != psoas_new


def test_muscle_toggle_switches_the_numbers():
    w = mc.psoas_explorer(hip_flexion_deg=30)
    w.muscle.value = "iliacus"
    assert w.picture.artists["moment_arm"]["title"].get_text().startswith("Iliacus")
    assert f"{bm.moment_arm('iliacus', 30) * 100:.1f} cm" in w.readout.value


def test_four_words_widget_poses_the_body_and_reads_four_numbers():
    w = mc.four_words()
    fig, png = w.fig, w.picture.png
    w.pose.value = "lunging"
    words = bm.four_words("lunging")
    assert w.fig is fig and w.picture.png != png
    for text in (f"{words.tight_passive_force:.0f} N", f"{words.short_fraction * 100:.0f}%",
                 f"{words.weak_force_available:.0f} N", f"{words.exhausted_capacity * 100:.0f}%"):
        assert text in w.readout.value
    w.hold.value = 20
    longer = bm.four_words("lunging", hold_s=1200)
    assert f"{longer.exhausted_capacity * 100:.0f}%" in w.readout.value
    assert "practitioner view" in w.koch.value and "Koch" in w.koch.value


def test_widgets_have_stable_text_and_refuse_bad_starts():
    assert repr(mc.psoas_explorer()) == repr(mc.psoas_explorer(hip_flexion_deg=40))
    assert "0x" not in repr(mc.four_words())
    with pytest.raises(ValueError, match=r"hip_flexion_deg=130.*-30 to 120"):
        mc.psoas_explorer(hip_flexion_deg=130)
    with pytest.raises(ValueError, match="'gluteus'"):
        mc.psoas_explorer(muscle="gluteus")
    with pytest.raises(ValueError, match="pose='running'"):
        mc.four_words(pose="running")
    with pytest.raises(ValueError, match=r"hold_minutes=0"):
        mc.four_words(hold_minutes=0)


def test_tables_are_computed_from_the_model():
    table = mc.gait2392_check().markdown
    assert f"{bm.gait2392_length('psoas', 90) * 100:.1f} cm" in table
    assert f"{bm.pelvic_length('psoas', -30) * 100:.1f} cm" in table
    params = mc.model_parameters().markdown
    assert "1113" in params and "0.00589" in params
