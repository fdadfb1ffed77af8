"""The balance lab widget: every control re-runs the model and moves the one live figure."""

import ipywidgets as W
import pytest

from melt_course import notebook as mc
from melt_course.models.balance import simulate
from melt_course.widgets import aria
from melt_course.widgets.balance import MODELLERS_TITLE, BalanceLab, balance_lab


@pytest.fixture
def lab():
    return balance_lab()


def test_slider_move_updates_existing_artists_in_one_figure(lab, request):
    lab.picture.build()   # the lab opens on its stored first frame; make the live figure
    made = request.getfixturevalue("figures_made")   # counting starts now, not before the build
    fig = lab.fig
    line = lab.picture.artists["ap"]
    before_data = line.get_ydata().copy()
    before_png = lab.picture.png
    lab.gain.value = 2.5
    assert made == [], "a slider move made a new figure"
    assert lab.fig is fig and lab.picture.artists["ap"] is line
    assert line.get_ydata().shape != before_data.shape or (line.get_ydata() != before_data).any()
    assert lab.picture.png != before_png
    assert lab.picture.png[:8] == b"\x89PNG\r\n\x1a\n"
    assert lab.picture.renders == 2   # the stored first frame, then the move
    assert lab.result.params["gain"] == 2.5


@pytest.mark.parametrize("control, value, check", [
    ("delay", 300, lambda r: r.params["delay"] == 0.3 and r.fell),
    ("foot", 0.2, lambda r: r.weights["foot"] == 0.2),
    ("eyes", False, lambda r: r.weights["vision"] == 0.0),
    ("seed", 42, lambda r: r.params["seed"] == 42),
])
def test_every_control_reruns_the_model(lab, control, value, check):
    before_png, before_text = lab.picture.png, lab.picture.text.value
    getattr(lab, control).value = value
    assert check(lab.result)
    assert lab.picture.png != before_png
    assert lab.picture.text.value != before_text


def test_readout_and_description_follow_the_outcome(lab):
    assert "Stays up" in lab.readout.value and "stable" in lab.readout.value
    assert "stays up, sway area" in lab.picture.text.value
    lab.gain.value = 0.0
    assert "Falls" in lab.readout.value and "unstable" in lab.readout.value
    assert "falls at t =" in lab.picture.text.value
    expected = simulate(gain=0.0)
    assert f"{expected.fall_time:.1f} s" in lab.readout.value


def test_text_form_is_stable_and_the_facade_exports_it():
    assert repr(balance_lab()) == repr(balance_lab(gain=3.0, seed=9))
    assert isinstance(mc.balance_lab(), BalanceLab)


@pytest.mark.parametrize("kwargs, pattern", [
    ({"gain": 9.0}, r"gain=9\.0"),
    ({"delay_ms": 155}, r"delay_ms=155"),
    ({"delay_ms": 400}, r"delay=0\.4"),
    ({"foot_weight": -0.5}, r"foot_weight=-0\.5"),
    ({"seed": -3}, r"seed=-3"),
])
def test_bad_start_values_are_rejected(kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        balance_lab(**kwargs)


def test_noise_seed_is_folded_in_an_optional_modellers_section(lab):
    """The seed is modellers' detail: in a closed, clearly optional section (the course's one
    kind of disclosure, which the front end makes a keyboard and screen-reader button), and
    it still reruns the model from there."""
    assert isinstance(lab.modellers, W.Accordion)
    assert lab.modellers.titles == (MODELLERS_TITLE,) and "modellers" in MODELLERS_TITLE
    assert lab.modellers.children == (lab.modellers_box,) and lab.seed in lab.modellers_box.children
    assert not lab.modellers_open and lab.modellers.selected_index is None
    disclosure = aria.spec(lab.modellers)
    assert disclosure == {"id": lab.modellers.model_id, "name": MODELLERS_TITLE,
                          "kind": "disclosure"}
    assert disclosure in lab.aria.specs, "the front end is not told to make it a disclosure"
    assert f"melt-aria-{lab.modellers.model_id}" in lab.modellers._dom_classes
    lab.modellers.selected_index = 0           # what the browser sends when it is opened
    assert lab.modellers_open
    before = lab.picture.png
    lab.seed.value = 42
    assert lab.result.params["seed"] == 42 and lab.picture.png != before
    lab.modellers.selected_index = None
    assert not lab.modellers_open
    assert balance_lab(seed=7).modellers_open  # a set seed is shown


def test_the_figure_description_is_a_disclosure_too(lab):
    """Both of the lab's open-and-close parts go through the same front-end disclosure."""
    details = lab.picture.details
    assert aria.spec(details)["kind"] == "disclosure"
    kinds = {s["id"]: s["kind"] for s in lab.aria.specs}
    assert kinds[details.model_id] == kinds[lab.modellers.model_id] == "disclosure"
