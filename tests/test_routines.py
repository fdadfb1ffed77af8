"""Routine data and the routines API: schema, provenance, references, composition, time."""

from __future__ import annotations

import copy
import json
import math
import re
from importlib import resources

import pytest

from melt_course.content import bibliography, routines
from melt_course.content.loader import DataError, data_files, validate
from melt_course.content.routines import (
    DEFAULT_SECONDS_PER_REP,
    SECONDS_PER_BREATH,
    VIDEO_KEY,
    Dose,
    build_library,
    clock_text,
    format_duration,
    get,
    load,
    session,
)

#: The routines issue 5 asks for, by the names the source article uses.
REQUIRED = ["Rest Assess", "Rest Reassess", "Rebalance Sequence", "Mini Soft Ball Foot Treatment",
            "Low Back Release Sequence", "Core Challenge", "Drawbridge", "Full Body Express Map"]


def _raw_files() -> dict[str, dict]:
    root = resources.files("melt_course").joinpath("data")
    return {f"data/{path}": json.loads(root.joinpath(path).read_text(encoding="utf-8"))
            for path in data_files("routines")}


# --- the package data ---------------------------------------------------------------------------

def test_every_routine_file_is_valid_against_the_schema():
    files = _raw_files()
    assert len(files) >= len(REQUIRED)
    for source, data in files.items():
        validate(data, "routine", source)  # raises DataError naming file, entry, field


def test_required_routines_are_present_by_name():
    names = load()
    for name in REQUIRED:
        assert name in names, f"missing routine {name!r}"
        assert names[name].name == name
        assert names[name].standalone


@pytest.mark.parametrize("routine", list(routines.library().values()), ids=lambda r: r.id)
def test_every_step_states_where_it_comes_from(routine):
    for step in routine.steps():
        assert step.provenance in routines.PROVENANCES
        assert step.side in ("left", "right", "both"), f"{step.name}: side {step.side!r}"
        assert step.seconds > 0
        if step.provenance == "documented":
            assert step.refs and step.cue, f"{step.name}: documented step needs cue and refs"
            assert step.purpose is None
        elif step.provenance == "partly documented":
            assert step.refs and step.cue and step.note, f"{step.name}: says which part is ours"
        elif step.provenance == "not documented":
            assert step.cue is None, f"{step.name}: a not-documented step must not have a cue"
            assert step.purpose and VIDEO_KEY in step.refs
            assert "official MELT On Demand video" in step.instruction
        else:
            assert step.cue and step.note, f"{step.name}: the course's own step says why"
        assert step.idea.topic in ("psoas", "NeuroCore")
        assert step.idea.refs


@pytest.mark.parametrize("routine", list(routines.library().values()), ids=lambda r: r.id)
def test_every_reference_resolves(routine):
    keys = routine.all_refs()
    assert keys
    for key in keys:
        assert bibliography.get(key).key == key
    assert routine.purpose.label == "MELT"
    assert routine.purpose.refs


def test_bibliography_entries_that_could_not_be_checked_say_so():
    refs = bibliography.load_bibliography()
    for key in ("hitzmann-droz", "melt-ondemand", "dietsadvise-foot"):
        assert refs[key].unverified, key
    assert refs["edenpilates-melt"].status == "partly verified"
    for key in ("hitzmann-droz", "edenpilates-melt", "melt-ondemand"):
        assert re.search(r"not found|placeholder|has not seen", refs[key].lacks), key
        shown = bibliography.format_reference(refs[key])
        assert refs[key].lacks in shown and refs[key].status.capitalize() in shown


def test_core_challenge_and_drawbridge_carry_no_invented_choreography():
    for name in ("Core Challenge", "Drawbridge"):
        routine = get(name)
        steps = routine.steps()
        assert steps and all(s.provenance == "not documented" for s in steps)
        assert all(s.cue is None for s in steps)
        assert all(s.dose.source == "course estimate" for s in steps)
        assert "No description" in routine.gaps


def test_low_back_release_says_its_official_steps_and_timings_were_not_found():
    routine = get("Low Back Release Sequence")
    assert "not found" in routine.gaps
    assert all(s.dose.source == "course estimate" for s in routine.steps())
    assert "Pelvic Tuck and Tilt Challenge" in [s.name for s in routine.steps()]


def test_rebalance_follows_the_documented_order():
    # melt-method.md: Rest Assess -> Gentle Rocking -> Pelvic Tuck and Tilt ->
    # 3-D Breath Breakdown -> Rest Reassess.
    steps = get("Rebalance Sequence").steps()
    melt = [s for s in steps if s.provenance != "course"]
    names = [s.name for s in melt]
    assessed = len(get("Rest Assess").steps())
    assert [s.routine for s in melt[:assessed]] == ["rest-assess"] * assessed
    assert names[assessed:assessed + 3] == ["Gentle Rocking", "Pelvic Tuck and Tilt",
                                            "3-D Breath Breakdown"]
    assert names[-1] == "Compare"
    assert {s.routine for s in melt[assessed + 3:]} == {"rest-assess", "rest-reassess"}


def test_mini_foot_treatment_does_one_foot_then_the_other():
    steps = get("Mini Foot Treatment").steps()
    techniques = ["Position Point Pressing", "Glide", "Direct Shear", "Rinse", "Friction"]
    sided = [(s.name, s.side) for s in steps if s.side != "both"]
    assert sided == [(n, "right") for n in techniques] + [(n, "left") for n in techniques]
    names = [s.name for s in steps]
    assert names[:2] == ["Body Scan Assess", "Autopilot Assess"]
    assert names.count("Body Scan Reassess") == 2
    documented = {s.name: s.dose for s in steps if s.dose.source == "documented"}
    assert "Friction" not in documented  # its 10-15 s rest on a repost not found again
    friction = next(s for s in steps if s.name == "Friction")
    assert friction.provenance == "partly documented" and friction.seconds == 15
    assert documented["Direct Shear"].breaths == 2


def test_express_map_is_composed_by_reference_not_by_copies():
    express = get("Full Body Express Map")
    assert all(isinstance(e, routines.Include) for e in express.entries)
    parts = [get(n) for n in ("Rebalance Sequence", "Mini Soft Ball Foot Treatment",
                              "Low Back Release Sequence", "Core Challenge", "Drawbridge")]
    assert express.includes() == parts
    expected = [(s.name, s.side, s.seconds) for p in parts for s in p.steps()]
    assert [(s.name, s.side, s.seconds) for s in express.steps()] == expected
    # its order is not documented, so every step says its placement is the course's choice
    assert all(s.placement == "not documented" for s in express.steps())
    assert math.isclose(express.total_seconds(), sum(p.total_seconds() for p in parts))


def test_no_step_is_copied_between_routine_files():
    cues: dict[str, str] = {}
    for source, data in _raw_files().items():
        for entry in data["steps"]:
            if "cue" in entry:
                assert entry["cue"] not in cues, f"{source} copies a step of {cues[entry['cue']]}"
                cues[entry["cue"]] = source


def test_durations_add_up():
    for routine in routines.library().values():
        steps = routine.steps()
        assert math.isclose(routine.total_seconds(), sum(s.seconds for s in steps))
        for step in steps:
            dose = step.dose
            if dose.breaths:
                assert step.seconds == dose.breaths * SECONDS_PER_BREATH
            elif dose.reps:
                assert step.seconds == dose.reps * (dose.seconds_per_rep or DEFAULT_SECONDS_PER_REP)
            else:
                assert step.seconds == dose.seconds
    both = session("Rest Assess", "Rebalance Sequence")
    assert math.isclose(both.total_seconds(), get("Rest Assess").total_seconds()
                        + get("Rebalance Sequence").total_seconds())
    assert len(both.steps()) == len(get("Rest Assess").steps()) + len(get("Rebalance").steps())


def test_totals_agree_with_lengths_the_sources_give():
    # The Rebalance Sequence is described as about ten minutes: the course's estimates for its
    # steps should add up to something close, or the timer misleads.
    for routine in routines.library().values():
        if routine.about_minutes:
            minutes = routine.total_seconds() / 60
            assert 0.75 * routine.about_minutes <= minutes <= 1.25 * routine.about_minutes


def test_each_side_steps_expand_right_then_left():
    steps = get("Low Back Release").steps()
    hugs = [s.side for s in steps if s.name == "Single knee hug"]
    assert hugs == ["right", "left"]


# --- the API ------------------------------------------------------------------------------------

def test_get_accepts_names_aliases_and_ids_in_any_case():
    rebalance = get("Rebalance Sequence")
    assert get("rebalance sequence") is rebalance
    assert get("  Rebalance  ") is rebalance
    assert get("rebalance") is rebalance
    assert get("Mini Foot Treatment") is get("mini-foot")


@pytest.mark.parametrize(("typo", "suggestion"), [
    ("Rebalanse Sequence", "Rebalance Sequence"),
    ("Mini Fot Treatment", "Mini Soft Ball Foot Treatment"),
    ("Draw bridge", "Drawbridge"),
    ("Low Back Relase", "Low Back Release Sequence"),
])
def test_misspelt_name_suggests_close_matches(typo, suggestion):
    with pytest.raises(KeyError) as info:
        get(typo)
    message = str(info.value)
    assert repr(typo) in message
    assert "did you mean" in message and repr(suggestion) in message


def test_unknown_name_lists_the_routines():
    with pytest.raises(KeyError, match="Known routines") as info:
        get("Zumba")
    assert "did you mean" not in str(info.value)
    assert "'Rebalance Sequence'" in str(info.value)


def test_bad_input_errors():
    with pytest.raises(ValueError, match="must be a string"):
        get(3)
    with pytest.raises(ValueError, match="at least one routine"):
        session()
    with pytest.raises(KeyError):
        session("Rebalance", "Nope")
    with pytest.raises(ValueError, match="exactly one"):
        Dose(seconds=3, breaths=2)
    with pytest.raises(ValueError, match="exactly one"):
        Dose()
    with pytest.raises(ValueError, match="positive"):
        Dose(breaths=0)
    with pytest.raises(ValueError, match="seconds_per_rep"):
        Dose(seconds=5, seconds_per_rep=2)


def test_dose_conversions_and_words():
    assert Dose(breaths=2).total_seconds == 2 * SECONDS_PER_BREATH
    assert Dose(reps=3, seconds_per_rep=10).total_seconds == 30
    assert Dose(reps=4).total_seconds == 4 * DEFAULT_SECONDS_PER_REP
    assert Dose(breaths=1).describe().startswith("1 breath (")
    assert Dose(seconds=90).describe() == "1 min 30 s"
    assert str(int(SECONDS_PER_BREATH)) in routines.timing_conventions()


def test_format_duration_and_clock_text():
    assert format_duration(0) == "0 s"
    assert format_duration(59.6) == "1 min"
    assert format_duration(584) == "9 min 44 s"
    assert clock_text(65) == "1:05"
    assert clock_text(0.2) == "0:01"  # a countdown never shows 0:00 before it ends
    assert clock_text(0) == "0:00"
    for bad in (-1, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="seconds"):
            format_duration(bad)
        with pytest.raises(ValueError, match="seconds"):
            clock_text(bad)


# --- broken data must fail with clear errors ----------------------------------------------------

def _routine(rid: str, *entries: dict) -> dict:
    return {
        "id": rid, "name": rid.replace("-", " ").title(), "standalone": True,
        "summary": "A routine made up for a test.",
        "purpose": {"text": "MELT says nothing about this test routine.", "label": "MELT",
                    "refs": ["hitzmann-psoas"]},
        "ties": [], "equipment": ["nothing at all"], "starting_position": "Lying down.",
        "floor": False,
        "safety": ["Stop if anything hurts."], "refs": ["hitzmann-psoas"],
        "steps": list(entries) or [_step("Only step")],
    }


def _step(name: str, **changes) -> dict:
    step = {"name": name, "side": "both", "provenance": "documented", "refs": ["hitzmann-psoas"],
            "cue": f"Do the {name.lower()} slowly.",
            "dose": {"seconds": 10, "source": "documented"},
            "idea": {"topic": "psoas", "label": "anatomy", "refs": ["gray1918"],
                     "text": "The psoas flexes the hip."}}
    step.update(changes)
    return step


def _include(rid: str, **changes) -> dict:
    return {"routine": rid, "provenance": "documented", "refs": ["hitzmann-psoas"], **changes}


def _files(*items: dict) -> dict[str, dict]:
    return {f"routines/{item['id']}.json": item for item in items}


def test_valid_test_data_builds():
    lib = build_library(_files(_routine("alpha"), _routine("beta", _include("alpha"),
                                                           _step("Extra"))))
    assert [s.name for s in lib["beta"].steps()] == ["Only step", "Extra"]
    assert lib["beta"].total_seconds() == 20


def test_cycle_is_refused_naming_the_cycle():
    files = _files(_routine("alpha", _include("beta")), _routine("beta", _include("alpha")))
    with pytest.raises(DataError, match=r"composition cycle: alpha -> beta -> alpha") as info:
        build_library(files)
    assert "routines/alpha.json" in str(info.value)


def test_self_inclusion_is_a_cycle():
    with pytest.raises(DataError, match=r"cycle: alpha -> alpha"):
        build_library(_files(_routine("alpha", _step("One"), _include("alpha"))))


def test_missing_routine_is_refused_with_a_suggestion():
    files = _files(_routine("alpha"), _routine("beta", _include("alpah")))
    with pytest.raises(DataError, match=r"unknown routine 'alpah'; did you mean 'alpha'") as info:
        build_library(files)
    assert info.value.source == "routines/beta.json"
    assert info.value.field == "steps/0/routine"


def test_unknown_reference_is_refused_naming_file_and_field():
    files = _files(_routine("alpha", _step("One", refs=["no-such-key"])))
    with pytest.raises(DataError, match="unknown reference 'no-such-key'") as info:
        build_library(files)
    assert "routines/alpha.json" in str(info.value) and "steps/0/refs" in str(info.value)


@pytest.mark.parametrize(("change", "field"), [
    ({"refs": None}, "refs"),                       # documented without a reference
    ({"cue": None}, "cue"),                         # documented without a cue
    ({"side": "middle"}, "side"),
    ({"dose": {"seconds": 5, "breaths": 2, "source": "documented"}}, "dose"),
    ({"dose": {"seconds": 5}}, "dose/source"),
    ({"provenance": "course"}, "note"),             # the course's own step must say why
    ({"dose": {"seconds": 5, "seconds_per_rep": 2, "source": "documented"}}, "reps"),
])
def test_schema_errors_name_the_step_and_field(change, field):
    step = _step("Broken step")
    for key, value in change.items():
        if value is None:
            del step[key]
        else:
            step[key] = value
    with pytest.raises(DataError) as info:
        build_library(_files(_routine("alpha", step)))
    assert info.value.source == "routines/alpha.json"
    assert info.value.entry == "Broken step"
    assert field in (info.value.field or "") or field in str(info.value)


def test_not_documented_step_may_not_carry_a_cue_and_must_point_to_the_video():
    bad = _step("Secret move", provenance="not documented", purpose="MELT says it helps.")
    with pytest.raises(DataError, match="Secret move"):
        build_library(_files(_routine("alpha", bad)))  # still has a cue
    del bad["cue"]
    with pytest.raises(DataError, match="official video") as info:
        build_library(_files(_routine("alpha", bad)))
    assert info.value.entry == "Secret move"
    bad["refs"] = ["hitzmann-psoas", VIDEO_KEY]
    assert build_library(_files(_routine("alpha", bad)))["alpha"].steps()[0].cue is None


def test_id_must_match_the_file_name():
    data = _routine("alpha")
    with pytest.raises(DataError, match="must match the file name 'beta'"):
        build_library({"routines/beta.json": data})


def test_names_and_aliases_must_be_unique():
    one, two = _routine("alpha"), _routine("beta")
    two["aliases"] = ["Alpha"]
    with pytest.raises(DataError, match="already used by routine 'alpha'"):
        build_library(_files(one, two))


def test_package_data_round_trip_through_build_library():
    lib = build_library(_raw_files())
    assert set(lib) == set(routines.library())
    broken = copy.deepcopy(_raw_files())
    express = broken["data/routines/full-body-express-map.json"]
    express["steps"][0]["routine"] = "rebalanse"
    with pytest.raises(DataError, match="did you mean 'rebalance'"):
        build_library(broken)


def test_standalone_routines_come_in_a_stated_teaching_order():
    standalone = [r for r in routines.library().values() if r.standalone]
    orders = [r.order for r in standalone]
    assert orders == sorted(orders) and len(set(orders)) == len(orders)
    assert standalone[0].name == "Rest Assess"
    assert standalone[-1].name == "Full Body Express Map"  # it is built from the others
