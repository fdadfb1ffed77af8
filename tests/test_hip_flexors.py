"""Hip-flexor comparison, sitting fibre length, gait and EMG: models, figures, widgets, and
the numbers lesson 2 states in its prose."""

import json
import re
from pathlib import Path

import numpy as np
import pytest

from melt_course.content import emg
from melt_course.figures import hip_flexors as fh
from melt_course.models import biomech, fibres, gait
from melt_course.models import reference as ref
from melt_course.widgets import hip_flexors as wh

ROOT = Path(__file__).resolve().parent.parent
LESSON2 = "".join("".join(c["source"]) + "\n" for c in json.loads(
    (ROOT / "notebooks" / "02_psoas_in_motion.ipynb").read_text(encoding="utf-8"))["cells"]
    if c["cell_type"] == "markdown")
PROSE = re.sub(r"\s+", " ", LESSON2)


# ------------------------------------------------------------------------------------------
# The verdicts lesson 2 states, against the models
# ------------------------------------------------------------------------------------------

def test_iliopsoas_leads_in_most_positions_in_both_models():
    for model in ref.REFERENCE_MODELS:
        hips = np.arange(-30, 91, 5)
        top = [ref.flexor_moments(model, h)[0].muscle for h in hips]
        assert sum(t == "iliopsoas" for t in top) > len(hips) / 2, model
    assert "iliopsoas, psoas and iliacus together, is the biggest hip flexor in most" in PROSE \
        or "together, the iliopsoas, make the largest hip-flexion moment in most" in PROSE


def test_psoas_alone_is_model_dependent_as_the_lesson_says():
    for model in ref.REFERENCE_MODELS:      # near standing rectus femoris beats psoas alone
        assert ref.available_moment(model, "rectus_femoris", 0) > ref.available_moment(
            model, "psoas", 0)
    assert ref.strongest_flexor("rajagopal2016", 45) == "psoas"
    assert ref.strongest_flexor("rajagopal2016", 90) == "psoas"
    g = {m: ref.available_moment("gait2392", m, 45) for m in ("psoas", "iliacus",
                                                              "rectus_femoris")}
    assert max(g.values()) - min(g.values()) < 3          # "close at 45°"
    assert ref.available_moment("rajagopal2016", "rectus_femoris", 45, 90) > \
        ref.available_moment("rajagopal2016", "iliopsoas", 45, 90)
    assert ref.available_moment("gait2392", "psoas", 110) < 0


def test_sitting_fibre_numbers_in_the_prose_are_the_models():
    at90 = {s.key: v for s, v in fibres.fibre_length_scenarios(90)}
    assert at90["course"] == pytest.approx(1 / 3, abs=0.04)          # "about a third"
    assert 0.45 <= at90["course_rajagopal_fibres"] <= 0.55            # "about half"
    assert 0.45 <= at90["course_long_fibres"] <= 0.55
    assert at90["rajagopal2016"] == pytest.approx(0.75, abs=0.03)     # "about three quarters"
    assert "about a third of the optimal length" in PROSE and "about three quarters" in PROSE
    # "A stretchy tendon changes little": compliant gait2392 within 0.03 of the rigid course.
    assert abs(at90["gait2392"] - at90["course"]) < 0.03


def test_models_predict_falling_capacity_into_deep_flexion():
    """Lesson: both models' capacity falls from its peak at 30-60° toward 105°."""
    five = ("psoas", "iliacus", "rectus_femoris", "sartorius", "tfl")
    for model in ref.REFERENCE_MODELS:
        total = {h: sum(ref.available_moment(model, m, h) for m in five)
                 for h in (0, 30, 45, 60, 90, 105)}
        peak = max(total, key=total.get)
        assert 30 <= peak <= 60, (model, total)
        assert total[105] < total[peak] / 2


def test_gait_numbers_in_the_prose_are_the_trials():
    c = gait.gait_cycle()
    assert c.hip_flexion_deg[0] == pytest.approx(20, abs=3)          # "flexed about 20°"
    assert c.hip_flexion_deg.min() == pytest.approx(-20, abs=3)      # "about 20° behind"
    change = {k: v.max() - v[0] for k, v in c.psoas_length.items()}
    assert change["course"] == pytest.approx(0.03, abs=0.004)        # "about 3 cm"
    assert change["gait2392"] == pytest.approx(0.03, abs=0.004)
    assert change["rajagopal2016"] < 0.02                            # "less than 2 cm"
    for length in c.psoas_length.values():                           # longest before toe-off
        assert c.percent[int(np.argmax(length))] < c.toe_off_percent


def test_stated_model_numbers_in_sections_2_and_4():
    arm = {h: biomech.moment_arm("psoas", h) * 100 for h in (0, 45, 90)}
    assert f"about {arm[0]:.1f} cm in standing, {arm[45]:.1f} cm at 45° and {arm[90]:.1f} cm" \
        in PROSE
    short = (biomech.musculotendon_length("psoas", 0) - biomech.musculotendon_length("psoas", 90))
    assert f"by about {short * 100:.1f} cm" in PROSE
    assert f"about {biomech.muscle_state('psoas', 0).normalized_fibre_length:.2f} optimal" in PROSE
    gap = (ref.reference_moment_arm("gait2392", "psoas", 0),
           ref.reference_moment_arm("rajagopal2016", "psoas", 0))
    assert f"about {gap[0] * 100:.1f} cm in gait2392 and about {gap[1] * 100:.1f} cm" in PROSE


def test_the_artefact_is_gone_from_the_summary():
    summary = PROSE[PROSE.index("## Summary"):]
    assert "roughly a third of their optimal length" not in summary
    assert "depends on the model's assumptions" in summary


# ------------------------------------------------------------------------------------------
# Figures and widgets: a control changes the picture and its description
# ------------------------------------------------------------------------------------------

def _moves(widget, control, value):
    before, text = widget.picture.png, widget.picture.description
    control.value = value
    assert widget.error_area.errors == 0
    return before != widget.picture.png, text != widget.picture.description


@pytest.mark.parametrize("make, control, value", [
    (lambda: wh.hip_flexor_comparison(), "hip", 90),
    (lambda: wh.hip_flexor_comparison(), "model", "rajagopal2016"),
    (lambda: wh.hip_flexor_comparison(), "knee", 90),
    (lambda: wh.fibre_length_widget(), "hip", 30),
    (lambda: wh.gait_cycle_widget(), "percent", 60),
    (lambda: wh.emg_panel(), "task", "lifting"),
])
def test_each_control_changes_image_and_description(make, control, value):
    w = make()
    image_changed, text_changed = _moves(w, getattr(w, control), value)
    assert image_changed and text_changed


def test_comparison_readout_lists_the_model_numbers():
    w = wh.hip_flexor_comparison("rajagopal2016", 0, 45)
    first = ref.flexor_moments("rajagopal2016", 45)[0]
    assert f"{first.moment:.1f} N m" in w.readout.value
    assert "psoas major" in fh.describe_flexors("rajagopal2016", 0, 45)


def test_emg_description_gives_design_and_numbers_without_added_precision():
    text = fh.describe_emg("sit-ups")
    assert "8 people" in text and "15 to 35% of maximum" in text
    assert "no percentage" in emg.amount(emg.task("max-hip-flexion"))
    unsourced = [a for a in emg.actions() if not a.refs]
    assert unsourced and all("no primary" in a.statement for a in unsourced)
    assert all(a.label == "contested" for a in unsourced)
    assert "no primary source found" in wh.psoas_actions().markdown


@pytest.mark.parametrize("call, named", [
    (lambda: wh.hip_flexor_comparison("opensim"), "model='opensim'"),
    (lambda: wh.hip_flexor_comparison(knee_flexion_deg=45), "knee_flexion_deg=45"),
    (lambda: wh.fibre_length_widget(150), "hip_flexion_deg=150"),
    (lambda: wh.gait_cycle_widget(120), "percent=120"),
    (lambda: wh.emg_panel("yoga"), "task='yoga'"),
    (lambda: fibres.normalized_fibre_length("mine", 0), "scenario='mine'"),
])
def test_bad_starting_values_name_the_value(call, named):
    with pytest.raises(ValueError, match=re.escape(named)):
        call()


# ------------------------------------------------------------------------------------------
# Lesson 2's main line stays plain: the modellers' detail sits in optional parts
# ------------------------------------------------------------------------------------------

#: Calls and passages for modellers: parameter tables, the gait2392 check and its traps, the
#: fatigue-rate fit.
MODELLER_CALLS = ("mc.model_parameters()", "mc.gait2392_check()")
MODELLER_PROSE = ("runs through fixed points", "Two traps in the published path", "F = ")


def optional_parts(cells) -> list[tuple[bool, dict]]:
    """Each cell with whether it is optional: under a heading that says "Optional", a paragraph
    that opens with "**Optional, for modellers.**", or a code cell right after one."""
    out, section, previous = [], False, False
    for cell in cells:
        text = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            if text.startswith("#"):
                section = "Optional" in text.splitlines()[0]
            previous = section or text.startswith("**Optional, for modellers.**")
            out.append((previous, cell))
        else:
            out.append((section or previous, cell))
    return out


def main_line_problems(cells) -> list[str]:
    problems = []
    for optional, cell in optional_parts(cells):
        text = "".join(cell["source"])
        found = [m for m in (*MODELLER_CALLS, *MODELLER_PROSE) if m in text]
        if found and not optional:
            problems.append(f"{found[0]!r} in the main line: {text[:60]!r}")
    return problems


def test_modellers_detail_is_in_optional_parts_of_lesson_2():
    cells = json.loads((ROOT / "notebooks" / "02_psoas_in_motion.ipynb").read_text(
        encoding="utf-8"))["cells"]
    assert main_line_problems(cells) == []
    assert sum(optional for optional, _ in optional_parts(cells)) >= 5
    # Planted: the parameter table back in the main line, before its optional paragraph.
    i = next(i for i, c in enumerate(cells) if "mc.model_parameters()" in "".join(c["source"]))
    planted = [*cells[:i - 1], cells[i], cells[i - 1], *cells[i + 1:]]
    assert main_line_problems(planted) == [
        "'mc.model_parameters()' in the main line: 'mc.model_parameters()'"]
