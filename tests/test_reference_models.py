"""The course's numbers against the published models as OpenSim computes them.

``melt_course/data/opensim_reference.json`` and ``walking_trial.json`` were written by
``scripts/opensim_reference.py`` with OpenSim 4.6 from the gait2392 and Rajagopal 2016 model
files (opensim-org/opensim-models, commit 20a888b). These tests check

* the public API (``reference_length``, ``reference_moment_arm``) and its errors;
* that the course's re-typed gait2392 path reproduces OpenSim's gait2392 (it is the same path);
* that the course's own model agrees with OpenSim's gait2392 where the lesson says it does,
  with the tolerances stated here and in the lesson;
* that the stored parameters are the ones the course's model uses;
* that OpenSim, run again, gives the stored numbers (only when ``opensim`` is installed:
  marker ``reference``).
"""

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from melt_course.content.loader import load_json
from melt_course.models import biomech, gait
from melt_course.models import reference as ref

ROOT = Path(__file__).resolve().parent.parent
HIP = np.arange(-30.0, 121.0, 1.0)


# ------------------------------------------------------------------------------------------
# Public API
# ------------------------------------------------------------------------------------------

def test_public_api_lives_in_biomech_and_returns_metres():
    arm = biomech.reference_moment_arm("gait2392", "psoas", 0)
    length = biomech.reference_length("rajagopal2016", "rectus_femoris", 45, knee_flexion_deg=90)
    assert isinstance(arm, float) and 0.02 < arm < 0.06          # centimetres, not millimetres
    assert isinstance(length, float) and 0.3 < length < 0.7
    both = biomech.reference_length("gait2392", "iliacus", [0, 90])
    assert both.shape == (2,) and both[0] > both[1]              # hip flexion shortens iliacus


def test_interpolation_hits_stored_points_and_lies_between_them():
    grid, values = ref.reference_curve("gait2392", "psoas", "length")
    i = int(np.where(grid == 37)[0][0])
    assert ref.reference_length("gait2392", "psoas", 37) == pytest.approx(values[i], abs=1e-12)
    mid = ref.reference_length("gait2392", "psoas", 37.5)
    assert mid == pytest.approx((values[i] + values[i + 1]) / 2, abs=1e-12)


def test_knee_matters_only_for_muscles_that_cross_it():
    for model in ref.REFERENCE_MODELS:
        for muscle in ("psoas", "iliacus"):
            assert ref.reference_length(model, muscle, HIP, 90) == pytest.approx(
                ref.reference_length(model, muscle, HIP, 0), abs=1e-9)
        # Bending the knee stretches rectus femoris over the front of the knee.
        assert np.all(ref.reference_length(model, "rectus_femoris", HIP, 90)
                      > ref.reference_length(model, "rectus_femoris", HIP, 0) + 0.04)


@pytest.mark.parametrize("args, named", [
    (("opensim", "psoas", 0), "model='opensim'"),
    (("gait2392", "psoas_major", 0), "muscle='psoas_major'"),
    (("gait2392", "psoas", 121), "hip_flexion_deg=121.0"),
    (("gait2392", "psoas", -31), "hip_flexion_deg=-31.0"),
    (("gait2392", "psoas", [0, np.nan]), "hip_flexion_deg=nan"),
    (("gait2392", "psoas", "ninety"), "hip_flexion_deg='ninety'"),
    (("gait2392", "psoas", 0, 45), "knee_flexion_deg=45"),
    (("rajagopal2016", "x" * 500, 0), "muscle='xxxx"),
    (("gait2392", "psoas", None), "hip_flexion_deg=None is not a number"),
    (("gait2392", "psoas", "1" * 500), "hip_flexion_deg='1111"),
    (("gait2392", "psoas", float("nan")), "hip_flexion_deg=nan is not a number"),
    (("gait2392", "psoas", float("inf")), "hip_flexion_deg=inf is outside"),
    (("gait2392", "psoas", 0, float("nan")), "knee_flexion_deg=nan"),
])
def test_bad_input_names_the_value(args, named):
    for fn in (biomech.reference_length, biomech.reference_moment_arm):
        with pytest.raises(ValueError) as err:
            fn(*args)
        assert named in str(err.value)
        assert len(str(err.value)) < 200                         # bounded, even for long input
        # ... and says what was expected: the models, muscles, hip range or knee angles.
        assert re.search(r"expected .*(gait2392|iliacus|-30 to 120|\(0, 90\))",
                         str(err.value)), str(err.value)


# ------------------------------------------------------------------------------------------
# The course's numbers against OpenSim's
# ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("muscle", ["psoas", "iliacus"])
def test_retyped_gait2392_path_is_opensims_gait2392(muscle):
    """Same points, same switch: lengths agree to 0.01 mm, moment arms to 0.05 mm
    (the course's are finite differences; 44-46 degrees, the switch, is left out)."""
    osim_length = ref.reference_length("gait2392", muscle, HIP)
    assert np.max(np.abs(biomech.gait2392_length(muscle, HIP) - osim_length)) < 1e-5
    away = (HIP < 44) | (HIP > 46)
    diff = biomech.gait2392_moment_arm(muscle, HIP[away]) - ref.reference_moment_arm(
        "gait2392", muscle, HIP[away])
    assert np.max(np.abs(diff)) < 5e-5


@pytest.mark.parametrize("muscle", ["psoas", "iliacus"])
def test_course_model_agrees_with_opensim_gait2392_where_the_lesson_says(muscle):
    """Lesson 2 (optional section): below the spine the course's path is within about 1 mm of
    gait2392 from -10 to 45 degrees (tolerance 1.5 mm) and within about 4 mm down to -30
    (tolerance 5 mm); the moment arms within 2.5 mm from 15 to 40 degrees."""
    length = biomech.pelvic_length(muscle, HIP)
    osim = ref.reference_length("gait2392", muscle, HIP)
    mid = (HIP >= -10) & (HIP <= 45)
    low = HIP < -10
    assert np.max(np.abs(length - osim)[mid]) < 1.5e-3
    assert np.max(np.abs(length - osim)[low]) < 5e-3
    band = (HIP >= 15) & (HIP <= 40)
    arm = biomech.moment_arm(muscle, HIP[band]) - ref.reference_moment_arm(
        "gait2392", muscle, HIP[band])
    assert np.max(np.abs(arm)) < 2.5e-3


def test_gait2392_moment_arm_turns_negative_in_deep_flexion_and_the_course_s_does_not():
    """The trap the lesson teaches, as OpenSim computes it."""
    deep = np.arange(110.0, 121.0)
    assert np.all(ref.reference_moment_arm("gait2392", "psoas", deep) < 0)
    assert np.all(biomech.moment_arm("psoas", deep) > 0.03)


def test_the_two_published_models_disagree_on_psoas_leverage_by_more_than_a_centimetre():
    gap = (ref.reference_moment_arm("gait2392", "psoas", 0)
           - ref.reference_moment_arm("rajagopal2016", "psoas", 0))
    assert gap > 0.01


@pytest.mark.parametrize("model", ["gait2392", "rajagopal2016"])
@pytest.mark.parametrize("muscle", ["psoas", "iliacus"])
def test_course_parameters_are_the_ones_opensim_reads_from_the_model_files(model, muscle):
    ours = biomech.PUBLISHED_PARAMETERS[model][muscle]
    theirs = ref.reference_parameters(model, muscle)
    assert ours.max_isometric_force == pytest.approx(theirs.max_isometric_force, rel=1e-3)
    assert ours.optimal_fibre_length == pytest.approx(theirs.optimal_fibre_length, abs=1e-4)
    assert ours.tendon_slack_length == pytest.approx(theirs.tendon_slack_length, abs=1e-4)
    assert ours.pennation_deg == pytest.approx(theirs.pennation_deg, abs=0.01)


def test_course_rigid_tendon_fibre_length_in_sitting_matches_opensims_compliant_gait2392():
    """With gait2392's parameters the course's rigid-tendon psoas fibres at 90 degrees sit
    within 0.03 optimal lengths of OpenSim's compliant-tendon equilibrium: tendon compliance
    is not what makes the number small."""
    course = biomech.muscle_state("psoas", 90, 0).normalized_fibre_length
    osim = ref.reference_equilibrium("gait2392", "psoas", 90)["normalized_fibre_length"]
    assert abs(course - osim) < 0.03
    assert osim < 0.4 < 0.6 < ref.reference_equilibrium(
        "rajagopal2016", "psoas", 90)["normalized_fibre_length"]


def test_available_moment_is_force_times_moment_arm_and_iliopsoas_is_the_sum():
    for model in ref.REFERENCE_MODELS:
        eq = ref.reference_equilibrium(model, "rectus_femoris", 30, 90)
        arm = ref.reference_moment_arm(model, "rectus_femoris", 30, 90)
        assert ref.available_moment(model, "rectus_femoris", 30, 90) == pytest.approx(
            eq["active_fibre_force_along_tendon"] * arm)
        total = ref.available_moment(model, "iliopsoas", 60)
        assert total == pytest.approx(ref.available_moment(model, "psoas", 60)
                                      + ref.available_moment(model, "iliacus", 60))
        rows = ref.flexor_moments(model, 60)
        assert [r.moment for r in rows] == sorted((r.moment for r in rows), reverse=True)


def test_provenance_names_the_models_the_commit_and_opensim():
    prov = ref.reference_provenance()
    assert prov["source_repository"] == "opensim-org/opensim-models"
    assert prov["source_commit"] == "20a888b"
    assert prov["opensim_version"].startswith("4.")
    for key, model in prov["models"].items():
        assert (ROOT / "reference" / "opensim" / model["file"]).is_file(), key
    assert gait.trial_provenance()["source_commit"] == "20a888b"


def test_reference_data_match_their_schemas():
    load_json("opensim_reference.json", "opensim_reference")
    load_json("walking_trial.json", "walking_trial")


# ------------------------------------------------------------------------------------------
# Regenerate with OpenSim itself
# ------------------------------------------------------------------------------------------

def _max_difference(a, b, path="") -> tuple[float, str]:
    """Largest numeric difference between two JSON trees (inf on any structural mismatch)."""
    if isinstance(a, dict) and isinstance(b, dict):
        if set(a) != set(b):
            return float("inf"), f"{path}: keys differ"
        return max((_max_difference(a[k], b[k], f"{path}/{k}") for k in a),
                   default=(0.0, path))
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return float("inf"), f"{path}: lengths differ"
        return max((_max_difference(x, y, f"{path}[{i}]") for i, (x, y) in enumerate(
            zip(a, b, strict=True))), default=(0.0, path))
    if isinstance(a, bool) or isinstance(b, bool) or isinstance(a, str) or a is None:
        return (0.0, path) if a == b else (float("inf"), f"{path}: {a!r} != {b!r}")
    return abs(float(a) - float(b)), path


def test_max_difference_sees_a_changed_number():
    a = {"x": [1.0, 2.0], "y": {"z": None}}
    assert _max_difference(a, json.loads(json.dumps(a)))[0] == 0
    assert _max_difference(a, {"x": [1.0, 2.5], "y": {"z": None}}) == (0.5, "/x[1]")
    assert _max_difference(a, {"x": [1.0], "y": {"z": None}})[0] == float("inf")


@pytest.mark.reference
@pytest.mark.skipif(importlib.util.find_spec("opensim") is None,
                    reason="OpenSim is not installed (pip install -e '.[reference]')")
def test_opensim_regenerates_the_stored_numbers(tmp_path):
    """Run the script with the real OpenSim and compare every stored number (tolerance 1e-5:
    lengths in metres to 0.01 mm, forces in newtons to 0.00001 N); it leaves no log behind."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "opensim_reference.py"),
                           "--out", str(tmp_path)], capture_output=True, text=True, timeout=900,
                          cwd=cwd)
    assert done.returncode == 0, done.stderr[-2000:]
    assert list(cwd.iterdir()) == [], "the script left files (opensim.log?) where it was run"
    for name in ("opensim_reference.json", "walking_trial.json"):
        fresh = json.loads((tmp_path / name).read_text(encoding="utf-8"))
        stored = json.loads((ROOT / "melt_course" / "data" / name).read_text(encoding="utf-8"))
        fresh["provenance"].pop("opensim_version")
        version = stored["provenance"].pop("opensim_version")
        assert version.startswith("4.")
        worst, where = _max_difference(fresh, stored)
        assert worst < 1e-5, f"{name}: {where} differs by {worst}"
