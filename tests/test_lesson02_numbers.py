"""Every number lesson 2 states in its prose is checked, so prose and model cannot drift apart.

Each entry of ``CLAIMS`` is a phrase copied from the lesson's markdown and the check that makes
it true: the course's model or the published models (``reference``) computed now, the control a
"Try this" sentence sends the learner to, or the cited study's own entry in the bibliography
(its design and size). ``test_every_number_in_the_prose_is_checked`` finds every number in the
prose and fails for one that no phrase here covers, so a number added to the lesson needs a
check here; ``test_claim_holds`` fails when the model or the prose changes under a phrase.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest

from melt_course.content import bibliography, course, timing
from melt_course.models import biomech as bm
from melt_course.models import fibres, gait
from melt_course.models import reference as ref

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "02_psoas_in_motion.ipynb"
HIP = np.arange(-30.0, 121.0, 1.0)

_TERM = re.compile(r"\[([^\]]*)\]\(#term-[\w-]+(?: \"[^\"]*\")?\)")
_CITE = re.compile(r"\[[^\]]*\]\(#ref-([\w-]+)\)")
#: A number as a reader sees one: not part of a word or key (gait2392, T12, 02-Q4).
_NUMBER = re.compile(r"(?<![\w.@\-−])[−-]?\d+(?:\.\d+)?")
#: Numbers that are structure, not claims: heading and list numbers, "section 4", "lesson 3".
_STRUCTURE = re.compile(r"^#+ \d+\.|(?:^|\s)\d\. (?=[A-Z])|\b(?:[Ss]ection|[Ll]esson) \d\b")


def lesson_cells(path: Path = NOTEBOOK) -> list[str]:
    """The lesson's markdown cells as a reader sees them: term links as their words, citations
    as ``[@key]``, whitespace collapsed; the navigation bars left out."""
    out = []
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        text = "".join(cell["source"])
        if cell["cell_type"] != "markdown" or "melt-lesson-nav" in text:
            continue
        text = _CITE.sub(r"[@\1]", _TERM.sub(r"\1", text))
        out.append(re.sub(r"\s+", " ", text).strip())
    return out


def _code(path: Path = NOTEBOOK) -> str:
    return "\n".join("".join(c["source"]) for c in json.loads(
        path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code")


# ------------------------------------------------------------------------------------------
# The checks
# ------------------------------------------------------------------------------------------

def _cm(x) -> float:
    return float(x) * 100


def _mm(x) -> float:
    return float(x) * 1000


def _source_says(key: str, *tokens: str):
    """A sourced number: the cited entry's year, design or note gives it."""
    def check(cell: str) -> bool:
        entry = bibliography.get(key)
        said = " ".join(filter(None, (str(entry.year), entry.design, entry.note)))
        assert f"[@{key}]" in cell, f"the sentence's cell does not cite {key}"
        missing = [t for t in tokens if not re.search(rf"(?<![\d.]){re.escape(t)}(?![\d])",
                                                      said)]
        assert not missing, f"{key}'s entry does not give {missing}: {said!r}"
        return True
    return check


def _reaches(slider, *values) -> bool:
    """A learner can set each value on this slider."""
    return all(slider.min <= v <= slider.max and (v - slider.min) % slider.step == 0
               for v in values)


def _explorer():
    from melt_course.widgets import biomech as wb
    return wb.psoas_explorer(hip_flexion_deg=90, lumbar_lordosis_deg=-20)


def _comparison():
    from melt_course.widgets import hip_flexors as wh
    return wh.hip_flexor_comparison()


def _four_words():
    from melt_course.widgets import biomech as wb
    return wb.four_words()


def _length_gap(muscle, band) -> float:
    """Largest gap (mm) between the course's path below the spine and OpenSim's gait2392."""
    return _mm(np.max(np.abs(bm.pelvic_length(muscle, HIP[band])
                             - ref.reference_length("gait2392", muscle, HIP[band]))))


def _arms():
    return {h: _cm(bm.moment_arm("psoas", h)) for h in (0, 45, 90)}


def _shortening_cm() -> float:
    sit, stand = bm.POSES["sitting"].hip_flexion_deg, bm.POSES["standing"].hip_flexion_deg
    return _cm(bm.musculotendon_length("psoas", stand) - bm.musculotendon_length("psoas", sit))


def _fatigue_phrases() -> tuple[str, str]:
    a, s = bm.FATIGUE_PARAMETERS["ankle"], bm.FATIGUE_PARAMETERS["shoulder"]
    return (f"(F = {a.F:g} per second, R = {a.R:g} per second)",
            f"(F = {s.F:g}, R = {s.R:g})")


def _gait2392_step_mm(muscle) -> float:
    """Length step (mm) where gait2392 switches its brim point off at 45 degrees."""
    return _mm(bm.gait2392_length(muscle, 45.0) - bm.gait2392_length(muscle, 45.0 + 1e-6))


def _tendon_stretch_mm(hip) -> float:
    """gait2392's tendon stretch beyond slack at full effort, OpenSim's equilibrium (mm)."""
    p = ref.reference_parameters("gait2392", "psoas")
    lm = ref.reference_equilibrium("gait2392", "psoas", hip)["normalized_fibre_length"]
    fibre = lm * p.optimal_fibre_length
    height = p.optimal_fibre_length * math.sin(math.radians(p.pennation_deg))
    along = math.sqrt(fibre**2 - height**2)
    return _mm(ref.reference_length("gait2392", "psoas", hip) - along - p.tendon_slack_length)


def _cycle():
    return gait.gait_cycle()


def _gait_change(model) -> float:
    c = _cycle()
    return _cm(c.psoas_length[model].max() - c.psoas_length[model][0])


def _first_negative_gait2392_arm() -> float:
    arm = ref.reference_moment_arm("gait2392", "psoas", HIP)
    return float(HIP[np.argmax(arm < 0)])


def _fibre_scenario(key) -> float:
    return fibres.normalized_fibre_length(key, bm.POSES["sitting"].hip_flexion_deg)


def _flexor_close_at_45() -> bool:
    g = [ref.available_moment("gait2392", m, 45) for m in ("psoas", "iliacus", "rectus_femoris")]
    return max(g) - min(g) < 3 and ref.available_moment(
        "rajagopal2016", "rectus_femoris", 45, 90) > ref.available_moment(
        "rajagopal2016", "iliopsoas", 45, 90)


def _capacity(rest_s) -> float:
    return bm.capacity_after(0.2, 300.0, rest_s, "ankle") * 100


#: phrase in the prose -> check (a callable taking the phrase's cell text, or none).
CLAIMS: dict[str, object] = {
    # Overview
    "**Estimated time:** 60 minutes": lambda c: (
        course.lesson("02").minutes == timing.estimate(NOTEBOOK).minutes == 60),
    # 1. A model you can check
    "Delp and colleagues' 1990 lower-limb model": _source_says("delp1990", "1990"),
    "in 2016 from 21 cadavers and MRI scans of 24 people": _source_says(
        "rajagopal2016", "2016", "21", "24"),
    "(dissection of 3 cadavers and modelling on X-rays of 10 men)": _source_says(
        "bogduk1992", "3 cadavers", "10 adult men"),
    # 2. Length and moment arm
    "every radian (57°)": lambda c: round(math.degrees(1)) == 57,
    "Move the hip from −30° to 120°": lambda c: (
        (_explorer().hip.min, _explorer().hip.max) == (-30, 120) == bm.HIP_RANGE_DEG),
    "Read the moment arm at 0°, 45° and 90°": lambda c: _reaches(_explorer().hip, 0, 45, 90),
    "the dashed gait2392 curve above 90°": lambda c: bool(
        np.any(ref.reference_moment_arm("gait2392", "psoas", HIP[HIP > 90]) < 0)),
    "about {:.1f} cm in standing, {:.1f} cm at 45° and {:.1f} cm at 90°".format(
        *_arms().values()): None,
    "sitting down (hip from 0° to 90°) shortens psoas by about {:.1f} cm, from about {:.1f} cm "
    "to {:.1f} cm".format(_shortening_cm(), _cm(bm.musculotendon_length("psoas", 0)),
                         _cm(bm.musculotendon_length("psoas", 90))): lambda c: (
        bm.POSES["sitting"].hip_flexion_deg == 90 and bm.POSES["standing"].hip_flexion_deg == 0),
    "Arching it 20° more than neutral lengthens psoas by about 2 mm": lambda c: (
        bm.LORDOSIS_RANGE_DEG[1] == 20
        and round(_mm(bm.musculotendon_length("psoas", 0, 20) - bm.musculotendon_length(
            "psoas", 0))) == 2),
    "flattening it by 30° shortens psoas by about 3 mm, and iliacus does not change at all": (
        lambda c: bm.LORDOSIS_RANGE_DEG[0] == -30
        and round(_mm(bm.musculotendon_length("psoas", 0) - bm.musculotendon_length(
            "psoas", 0, -30))) == 3
        and bm.musculotendon_length("iliacus", 0, -30) == bm.musculotendon_length("iliacus", 0)),
    # 3. Optional: checking against the published models
    "for hip angles up to 45°": lambda c: bm.GAIT2392_SWITCH_RANGE_DEG[1] == 45,
    "matches OpenSim's own gait2392 numbers within 0.01 mm": lambda c: all(
        _mm(np.max(np.abs(bm.gait2392_length(m, HIP) - ref.reference_length("gait2392", m,
                                                                            HIP)))) < 0.01
        for m in bm.MUSCLES),
    "From −10° to 45° the two lengths agree within about 1 mm, and within about 4 mm down to "
    "−30°": lambda c: all(
        round(_length_gap(m, (HIP >= -10) & (HIP <= 45))) <= 1
        and 3.5 <= _length_gap(m, HIP < -10) < 4.5 for m in bm.MUSCLES),
    "The moment arms agree within 2.5 mm from 15° to 40°": lambda c: all(
        _mm(np.max(np.abs(bm.moment_arm(m, HIP[(HIP >= 15) & (HIP <= 40)])
                          - ref.reference_moment_arm("gait2392", m,
                                                     HIP[(HIP >= 15) & (HIP <= 40)])))) < 2.5
        for m in bm.MUSCLES),
    "gait2392's moment arm falls to about {:.0f} cm at −30°, while the course's, sliding over "
    "the brim, stays near {:.1f} cm".format(_cm(ref.reference_moment_arm("gait2392", "psoas", -30)),
                                           _cm(bm.moment_arm("psoas", -30))): None,
    "psoas' moment arm is about {:.1f} cm in gait2392 and about {:.1f} cm in Rajagopal's".format(
        _cm(ref.reference_moment_arm("gait2392", "psoas", 0)),
        _cm(ref.reference_moment_arm("rajagopal2016", "psoas", 0))): None,
    "At 45°, switching the brim point off": lambda c: bm.GAIT2392_SWITCH_RANGE_DEG[1] == 45,
    "(about {:.2f} mm for psoas, {:.1f} mm for iliacus)".format(
        _gait2392_step_mm("psoas"), _gait2392_step_mm("iliacus")): None,
    "Above about 100°": lambda c: 95 <= _first_negative_gait2392_arm() <= 105,
    # The course's stated trust limit, as its model's documentation states it.
    "Beyond 90°, though, it is extrapolating": lambda c: (
        "Beyond about 90 degrees of hip flexion the model extrapolates"
        in " ".join(bm.__doc__.split())),
    # 4. Force-length
    "hip at 90°, low back 20° flatter than neutral": lambda c: (
        (bm.POSES["sitting"].hip_flexion_deg, bm.POSES["sitting"].lumbar_lordosis_deg)
        == (90, -20) and "mc.psoas_explorer(hip_flexion_deg=90, lumbar_lordosis_deg=-20)"
        in _code()),
    "Read the fibre length in sitting (90°), standing (0°) and the back leg of a lunge (−20°)": (
        lambda c: [bm.POSES[p].hip_flexion_deg for p in ("sitting", "standing", "lunging")]
        == [90, 0, -20] and _reaches(_explorer().hip, 90, 0, -20)),
    "At −30°, how big is the passive force": lambda c: _explorer().hip.min == -30,
    "(about {:.2f} optimal lengths)".format(
        bm.muscle_state("psoas", 0).normalized_fibre_length): None,
    "(about {:.2f} with a neutral low back)".format(
        bm.muscle_state("psoas", -20, 0).normalized_fibre_length): None,
    "roughly 40 to 50 N": lambda c: all(
        40 <= bm.muscle_state("psoas", -20, lordosis).passive_force <= 50
        for lordosis in (0, bm.POSES["lunging"].lumbar_lordosis_deg)),
    "Thelen's curve leaves about {:.0f}% of the maximum active force in sitting, De Groote's "
    "about {:.0f}%".format(
        100 * bm.muscle_state("psoas", 90, -20).active_multiplier,
        100 * bm.muscle_state("psoas", 90, -20, curves="degroote2016").active_multiplier): None,
    "(fine-wire EMG, n=7)": _source_says("andersson1995", "n=7"),
    # 5. Four words
    _fatigue_phrases()[0]: None,
    _fatigue_phrases()[1]: None,
    "10 minutes of rest. The pose angles": lambda c: _four_words().current[2].rest_s == 600,
    "Hold 20% for 5 minutes, then for 20 minutes": lambda c: (
        _reaches(_four_words().effort, 20) and _reaches(_four_words().hold, 5, 20)),
    "How long can 30% be held": lambda c: (
        _reaches(_four_words().effort, 30)
        and bm.endurance_time(0.3, "shoulder") <= 60 * _four_words().hold.max),
    f"after holding 20% of maximum for 5 minutes about {_capacity(0):.0f}% of fresh strength is "
    f"left, and 10 minutes of rest bring it back to about {_capacity(600):.0f}%": None,
    # 6. Hip flexors
    "At 0° (standing)": lambda c: _reaches(_comparison().hip, 0),
    "Move to 45° and 90°": lambda c: _reaches(_comparison().hip, 45, 90),
    "Bend the knee to 90°": lambda c: 90 in dict(_comparison().knee.options).values(),
    "close at 45°": lambda c: _flexor_close_at_45(),
    "even beats iliopsoas at 45°": lambda c: _flexor_close_at_45(),
    # 7. Sitting
    "With gait2392's 10 cm fibres the answer is about a third": lambda c: (
        _cm(ref.reference_parameters("gait2392", "psoas").optimal_fibre_length) == 10
        and abs(_fibre_scenario("course") - 1 / 3) < 0.04),
    "from one dissection (13.8 cm) give about half": lambda c: (
        fibres.SCENARIOS["course_long_fibres"].optimal_fibre_length == 0.138
        and "13.76" in bibliography.get("juntendo2022").note
        and 0.45 <= _fibre_scenario("course_long_fibres") <= 0.55
        and 0.45 <= _fibre_scenario("course_rajagopal_fibres") <= 0.55),
    "gives about three quarters": lambda c: abs(_fibre_scenario("rajagopal2016") - 0.75) < 0.03,
    "stretches only a few millimetres at full effort": lambda c: all(
        1 <= _tendon_stretch_mm(h) <= 9 for h in (0, 45, 90)),
    "Below about half the optimal length (the grey band)": lambda c: fibres.TRUST_LIMIT == 0.5,
    "in 195 adults": _source_says("ito2024", "n=195"),
    "highest at 105° of flexion, the deepest angle tested": _source_says("ito2024", "105"),
    "from its peak at 30 to 60° toward 105°": lambda c: all(
        30 <= max((0, 30, 45, 60, 90, 105), key=lambda h: sum(
            ref.available_moment(model, m, h) for m in ref.REFERENCE_MUSCLES)) <= 60
        for model in ref.REFERENCE_MODELS),
    # 8. Gait
    "the hip is flexed about 20° at heel strike, extends to about 20° behind the body": (
        lambda c: round(_cycle().hip_flexion_deg[0] / 5) * 5 == 20
        and round(_cycle().hip_flexion_deg.min() / 5) * 5 == -20),
    "about 3 cm longer than at heel strike in the course's model and in gait2392, and less than "
    "2 cm longer in Rajagopal's": lambda c: (
        round(_gait_change("course")) == 3 == round(_gait_change("gait2392"))
        and _gait_change("rajagopal2016") < 2),
    "In 9 men walking normally": _source_says("simonsen2012", "n=9 men"),
    # Summary
    "within about 1 mm from −10° to 45°": lambda c: all(
        round(_length_gap(m, (HIP >= -10) & (HIP <= 45))) <= 1 for m in bm.MUSCLES),
    f"moment arm is about {_arms()[0]:.0f} cm in the course's model; sitting shortens the muscle "
    f"by about {_shortening_cm():.0f} cm": None,
    "(195 adults;": _source_says("ito2024", "n=195"),
    "fine-wire EMG in 9 men": _source_says("simonsen2012", "n=9 men"),
}


def _spans(cells: list[str], claims: dict):
    for i, cell in enumerate(cells):
        for phrase in claims:
            start = cell.find(phrase)
            while start >= 0:
                yield i, start, start + len(phrase)
                start = cell.find(phrase, start + 1)


def unchecked_numbers(cells: list[str], claims: dict | None = None) -> list[str]:
    """Numbers in the prose that no phrase of ``claims`` (default ``CLAIMS``) covers, each with
    its context."""
    covered = list(_spans(cells, CLAIMS if claims is None else claims))
    out = []
    for i, cell in enumerate(cells):
        blank = _STRUCTURE.sub(lambda m: " " * len(m.group()), cell)
        blank = re.sub(r"\[@[\w-]+\]", lambda m: " " * len(m.group()), blank)
        for m in _NUMBER.finditer(blank):
            if not any(j == i and a <= m.start() and m.end() <= b for j, a, b in covered):
                out.append(f"cell {i}: ...{cell[max(0, m.start() - 40):m.end() + 20]}...")
    return out


CELLS = lesson_cells()


def test_every_number_in_the_prose_is_checked():
    missing = unchecked_numbers(CELLS)
    assert missing == [], "numbers in lesson 2 with no check in CLAIMS:\n" + "\n".join(missing)


def _holds(texts: list[str], claims: dict, phrase: str, where: str) -> None:
    """The first text saying ``phrase`` passes its check (``None``: the phrase is all)."""
    found = [t for t in texts if phrase in t]
    assert found, f"{where} no longer say {phrase!r} (the model or the text changed)"
    check = claims[phrase]
    if check is not None:
        assert check(found[0]), phrase


@pytest.mark.parametrize("phrase", list(CLAIMS))
def test_claim_holds(phrase):
    _holds(CELLS, CLAIMS, phrase, "lesson 2 does")


def test_a_planted_drift_is_caught():
    """Prose that says 5 mm where the model says 2, and a new unchecked number, both fail."""
    phrase = "Arching it 20° more than neutral lengthens psoas by about 2 mm"
    drifted = [c.replace(phrase, phrase.replace("2 mm", "5 mm")) for c in CELLS]
    assert not any(phrase in c for c in drifted)
    assert any("about 5 mm" in m for m in unchecked_numbers(drifted))
    planted = [*CELLS, "Psoas is about 12 cm thick *(model)*."]
    assert unchecked_numbers(planted) == [
        f"cell {len(CELLS)}: ...Psoas is about 12 cm thick *(model)*...."]
    # Structure is not a claim: headings, list numbers, section and lesson pointers.
    assert unchecked_numbers(["## 3. Title", "1. First objective", "see section 4 and lesson 3"]
                             ) == []


# ------------------------------------------------------------------------------------------
# The facilitator notes for lesson 2 state model numbers too
# ------------------------------------------------------------------------------------------

def facilitator_texts() -> list[str]:
    """Every text of ``data/facilitator/lesson_02.json`` (what the teacher's notes say)."""
    def walk(value):
        if isinstance(value, str):
            yield re.sub(r"\s+", " ", value)
        elif isinstance(value, dict):
            for key, item in value.items():
                if key != "lesson":
                    yield from walk(item)
        elif isinstance(value, list):
            for item in value:
                yield from walk(item)
    path = ROOT / "melt_course" / "data" / "facilitator" / "lesson_02.json"
    return list(walk(json.loads(path.read_text(encoding="utf-8"))))


FACILITATOR_CLAIMS: dict[str, object] = {
    f"move the hip from 0° to 90° and read how much psoas shortens (about "
    f"{_shortening_cm():.0f} cm in the model) and its moment arm (about {_arms()[0]:.0f} cm)": (
        lambda c: _reaches(_explorer().hip, 0, 90)),
    "at 0° and 45°, read which muscle": lambda c: _reaches(_comparison().hip, 0, 45),
    "EMG in 9 men": lambda c: _source_says("simonsen2012", "n=9 men")("[@simonsen2012]"),
    "hold 20% for 5 and then 20 minutes": lambda c: (
        _reaches(_four_words().effort, 20) and _reaches(_four_words().hold, 5, 20)),
    "(about {:.0f}% versus about {:.0f}% of maximum)".format(
        100 * bm.muscle_state("psoas", 90, -20).active_multiplier,
        100 * bm.muscle_state("psoas", 90, -20, curves="degroote2016").active_multiplier): None,
    "Each radian (57°)": lambda c: round(math.degrees(1)) == 57,
}

FACILITATOR = facilitator_texts()


def test_every_number_in_the_facilitator_notes_is_checked():
    missing = unchecked_numbers(FACILITATOR, FACILITATOR_CLAIMS)
    assert missing == [], "numbers in the lesson 2 notes with no check:\n" + "\n".join(missing)


@pytest.mark.parametrize("phrase", list(FACILITATOR_CLAIMS))
def test_facilitator_claim_holds(phrase):
    _holds(FACILITATOR, FACILITATOR_CLAIMS, phrase, "the lesson 2 notes")
