"""Honest sources: routine provenance against the bibliography's verification field.

Each rule is shown to bite on planted defects in test fixtures (data built here, never the
package's files), as well as checked on the package data.
"""

from __future__ import annotations

import copy

import pytest

from melt_course.content import bibliography, routines
from melt_course.content.loader import DataError, validate
from melt_course.content.routines import build_library


def _step(name: str, **changes) -> dict:
    step = {"name": name, "side": "both", "provenance": "documented", "refs": ["gray1918"],
            "cue": f"Do the {name.lower()} slowly.",
            "dose": {"seconds": 10, "source": "course estimate"},
            "idea": {"topic": "psoas", "label": "anatomy", "refs": ["gray1918"],
                     "text": "The psoas flexes the hip."}}
    step.update(changes)
    return step


def _routine(rid: str, *steps: dict, **changes) -> dict:
    data = {"id": rid, "name": rid.title(), "standalone": True,
            "summary": "A routine made up for a test.",
            "purpose": {"text": "MELT says nothing about this test routine.", "label": "MELT",
                        "refs": ["hitzmann-psoas"]},
            "ties": [{"lesson": "01", "text": "The psoas starts on the lumbar spine.",
                      "label": "anatomy", "refs": ["gray1918"]}],
            "equipment": ["nothing at all"], "starting_position": "Standing.", "floor": False,
            "safety": ["Stop if anything hurts."], "refs": ["gray1918"],
            "steps": list(steps) or [_step("Only step")]}
    data.update(changes)
    return data


def _build(*items: dict):
    return build_library({f"routines/{item['id']}.json": item for item in items})


def test_fixture_builds():
    lib = _build(_routine("alpha"))
    assert lib["alpha"].steps()[0].provenance == "documented"


def test_documented_step_on_an_unverified_source_is_refused():
    # Planted defect: the finding (steps 'documented' by hitzmann-droz, not found).
    assert bibliography.get("hitzmann-droz").unverified
    bad = _routine("alpha", _step("Rocking", refs=["hitzmann-droz"]))
    with pytest.raises(DataError, match=r"unverified.*hitzmann-droz") as err:
        _build(bad)
    assert "steps/0/provenance" in str(err.value)
    # The honest label for the same step builds.
    fixed = _routine("alpha", _step("Rocking", refs=["hitzmann-droz"],
                                    provenance="partly documented",
                                    note="Named in a source the course could not find."))
    assert _build(fixed)["alpha"].steps()[0].provenance == "partly documented"


def test_documented_include_on_an_unverified_source_is_refused():
    inner = _routine("inner")
    outer = _routine("outer", {"routine": "inner", "provenance": "documented",
                               "refs": ["melt-ondemand"]})
    with pytest.raises(DataError, match="unverified"):
        _build(inner, outer)


def test_one_checked_source_is_enough_for_documented():
    ok = _routine("alpha", _step("Rocking", refs=["hitzmann-droz", "womensrunning-foot2017"]))
    assert _build(ok)


@pytest.mark.parametrize("change, message", [
    ({"provenance": "partly documented"}, "note"),            # must say which part is ours
    ({"provenance": "partly documented", "note": "Named only.", "cue": None}, "cue"),
    ({"provenance": "probably documented"}, "provenance"),    # only the four values
])
def test_partly_documented_needs_a_note_and_a_cue(change, message):
    step = _step("Rocking", **change)
    step = {k: v for k, v in step.items() if v is not None}
    with pytest.raises(DataError, match=message):
        validate(_routine("alpha", step), "routine", "routines/alpha.json")


def test_floor_routine_without_an_alternative_is_refused():
    bad = _routine("alpha", floor=True)
    with pytest.raises(DataError, match="alternative"):
        validate(bad, "routine", "routines/alpha.json")
    good = _routine("alpha", floor=True, alternative={
        "position": "chair", "text": "Sit on a chair and do the same, the course's own version."})
    validate(good, "routine", "routines/alpha.json")


def test_tie_without_label_or_reference_is_refused():
    for field in ("label", "refs"):
        bad = _routine("alpha")
        del bad["ties"][0][field]
        with pytest.raises(DataError, match=field):
            validate(bad, "routine", "routines/alpha.json")
    bad = _routine("alpha")
    bad["ties"][0]["refs"] = ["no-such-key"]
    with pytest.raises(DataError, match="no-such-key"):
        _build(bad)


# --- the package data ---------------------------------------------------------------------------

def _all_entries():
    for routine in routines.library().values():
        for entry in routine.entries:
            yield routine, entry


def test_no_package_step_is_documented_by_unverified_sources_only():
    for routine, entry in _all_entries():
        if entry.provenance == "documented":
            refs = [bibliography.get(k) for k in entry.refs]
            assert any(not r.unverified for r in refs), (routine.id, entry)


def test_steps_the_review_found_overclaimed_are_no_longer_documented():
    # content-review #3 and #4: Rebalance's moves, the Rest Assess checklist, Friction,
    # the standing reassess.
    names = {"Gentle Rocking", "Pelvic Tuck and Tilt", "3-D Breath Breakdown", "Friction",
             "Body Scan Reassess", "Notice your head", "Compare"}
    seen = set()
    for routine in routines.library().values():
        for step in routine.steps():
            if step.name in names:
                seen.add(step.name)
                assert step.provenance == "partly documented", (routine.id, step.name)
    assert seen == names


def test_every_floor_routine_has_the_courses_own_alternative():
    floor = [r for r in routines.library().values() if r.floor]
    assert {r.id for r in floor} >= {"rest-assess", "rebalance", "low-back-release"}
    for routine in floor:
        assert routine.alternative is not None
        assert "course's own" in routine.alternative.text, routine.id


def test_every_tie_is_labelled_and_resolves():
    for routine in routines.library().values():
        for tie in routine.ties:
            assert tie.label and tie.refs, (routine.id, tie.text)
            bibliography.resolve(tie.refs, routine.id)


def test_verification_status_is_shown_with_every_reference():
    refs = bibliography.load_bibliography()
    flagged = [r for r in refs.values() if r.status != "verified"]
    assert len(flagged) >= 10
    for ref in flagged:
        assert ref.lacks
        md = bibliography.format_reference(ref)
        html = bibliography.format_reference(ref, html=True)
        assert ref.status.capitalize() in md and ref.status.capitalize() in html
    koch = bibliography.format_reference(refs["koch2019"])
    assert "Chasing Wild Psoas" in koch and "Stalking Wild Psoas" in koch


def test_unverified_status_needs_what_it_lacks():
    bad = {"entries": [{"key": "someone2020", "authors": ["Someone A"], "year": 2020,
                        "title": "A page", "published_in": "A site", "url": "https://x.org/",
                        "verification": {"status": "unverified"}}]}
    with pytest.raises(DataError, match="lacks"):
        validate(bad, "bibliography", "bibliography/x.json")
    good = copy.deepcopy(bad)
    good["entries"][0]["verification"]["lacks"] = "The page was not found."
    validate(good, "bibliography", "bibliography/x.json")


# --- the safety screen --------------------------------------------------------------------------

def _screen_data() -> dict:
    from melt_course.content.loader import load_json
    return copy.deepcopy(load_json("safety_screen.json", "safety_screen"))


def test_safety_screen_covers_the_reviewers_gaps_one_statement_per_box():
    from melt_course.content.safety import load_safety_screen
    screen = load_safety_screen()
    text = " ".join(i.text for i in screen.items).lower()
    for sign in ("fever", "weight", "cancer", "night", "fall", "blood-thinning", "hip replaced",
                 "hernia", "dizzy", "vestibular", "fallen", "down to the floor", "eyes closed",
                 "bladder", "pregnant", "osteoporosis", "numbness"):
        assert sign in text, sign
    for item in screen.items:
        assert item.text.count(";") == 0, f"one statement per box: {item.text!r}"
    assert len(screen.stop_rules) >= 3 and "course's own" in screen.intro


def test_a_ticked_warning_is_answered_with_why_and_what_to_do_instead():
    from melt_course.content.safety import Checklist
    checklist = Checklist()
    for item_id in checklist.ids:
        checklist.tick(item_id)
    assert checklist.complete
    checklist.tick("floor")                       # adapt: still allowed, with the change said
    assert checklist.complete and "changes" in checklist.status()
    assert [i.id for i in checklist.advice()] == ["floor"]
    assert "chair version" in checklist.advice()[0].instead
    checklist.tick("fever")                       # a red flag: not today, told why and instead
    assert not checklist.complete
    assert "fever" in checklist.status() and checklist.missing() == []
    fever = next(i for i in checklist.advice() if i.id == "fever")
    assert fever.why and "doctor" in fever.instead
    checklist.tick("fever", False)
    assert checklist.complete


def test_a_warning_without_why_or_instead_is_refused():
    # Planted defect: a red flag that would only block.
    data = _screen_data()
    flag = next(i for i in data["items"] if i["kind"] == "see a clinician")
    del flag["instead"]
    with pytest.raises(DataError, match="instead"):
        validate(data, "safety_screen", "safety_screen.json")
    data = _screen_data()
    data["items"][0]["why"] = "A confirm statement is not a warning."
    with pytest.raises(DataError):
        validate(data, "safety_screen", "safety_screen.json")


def test_the_player_view_answers_a_ticked_red_flag():
    from melt_course.widgets.player import SafetyChecklistView, session_safety
    view = SafetyChecklistView(session_safety())
    view.reset()
    for box in view.boxes.values():
        box.value = True
    assert "you can start" in view.status.value
    view.flag_boxes["night-pain"].value = True
    assert "Not a routine for you today" in view.status.value
    assert "What to do instead" in view.advice.value and "physiotherapist" in view.advice.value
    view.flag_boxes["night-pain"].value = False
    view.reset()


# --- the disclaimer lists the checklist's warning signs (it is built from them) ----------------

def _screen(data: dict):
    """A SafetyScreen built from (possibly planted) checklist data, as the loader builds it."""
    from melt_course.content.safety import SafetyItem, SafetyScreen
    items = tuple(SafetyItem(i["id"], i["text"], i.get("basis"), tuple(i.get("refs", ())),
                             i["kind"], i.get("why"), i.get("instead"), i.get("short"))
                  for i in data["items"])
    return SafetyScreen(data["title"], data["intro"], items, data["stop_if"], data["footer"],
                        data["flags_intro"], tuple(data["stop_rules"]))


def test_lesson_0_disclaimer_names_every_warning_sign_and_stop_rule_of_the_checklist():
    from melt_course.content.safety import load_safety_screen
    from melt_course.notebook import disclaimer
    shown = disclaimer().markdown
    screen = load_safety_screen()
    assert len(screen.flags) >= 15
    for item in screen.flags:
        assert item.short in shown, f"disclaimer lacks the checklist's {item.id!r} ({item.short})"
    for rule in screen.stop_rules:
        assert rule in shown
    # The systemic red flags the reviewer found missing, as a learner reads them.
    for sign in ("fever", "unexplained weight loss", "cancer", "night", "fall or injury"):
        assert sign in shown, sign
    assert "education, not medical care" in shown and "no diagnosis" in shown


def test_the_disclaimer_follows_the_checklist_it_is_built_from():
    # Planted drift: a warning sign added to the checklist, one taken away.
    from melt_course.content.safety import disclaimer_text
    data = _screen_data()
    data["items"].append({"id": "planted", "kind": "see a clinician",
                          "short": "a warning sign planted by a test",
                          "text": "A statement planted by a test.", "why": "For a test.",
                          "instead": "Nothing: it is a test."})
    dropped = next(i for i in data["items"] if i["id"] == "fever")
    data["items"].remove(dropped)
    text = disclaimer_text(_screen(data))
    assert "a warning sign planted by a test" in text
    assert dropped["short"] not in text
    # Grouped under its kind's heading, in the checklist's order of kinds.
    see, ask = text.index("See a clinician"), text.index("Ask a doctor")
    assert see < text.index("a warning sign planted by a test") < ask


# --- overstatements the content review found, kept out of every text the learner meets --------

import json as _json  # noqa: E402
import re as _re  # noqa: E402
from pathlib import Path as _Path  # noqa: E402

_ROOT = _Path(__file__).resolve().parent.parent

#: (pattern, why): wording the review found overstated; each is planted once below.
OVERSTATEMENTS = [
    (r"diaphragm[^.]{0,40}\banchored\b[^.]{0,60}psoas", "the diaphragm's link to psoas is one "
     "fascial origin (the medial arcuate ligament), not an anchor"),
    (r"diaphragm arises partly from an arch over (the top of )?(the |its )?(psoas|top)",
     "the arch is of the psoas fascia: say so"),
    (r"(breathing muscle and the psoas|so the two) are physically continuous",
     "diaphragm and psoas fascia are continuous, not diaphragm and muscle"),
    (r"sympathetic trunk[^.]{0,80}carries the fast stress", "adrenaline release goes by the "
     "splanchnic nerves, not the lumbar trunk beside psoas"),
    (r"the one controlled (trial of a body-based|TRE trial|trial of (TRE|Tension and Trauma "
     r"Releasing Exercises))(?! the course found)", "one trial is all the course found, not all "
     "there is"),
    (r"\bthe sources give (an|the) order\b", "Brown 1991 was read as an abstract: say which sources"),
    (r"(only the muscles'|the muscles') small intrinsic stiffness", "that stiffness is a value of "
     "Pasma's model: attribute it"),
]


def overstatements(text: str) -> list[str]:
    """The review's overstated phrasings found in a text (case- and line-break-insensitive)."""
    flat = " ".join(text.split())
    return [why for pattern, why in OVERSTATEMENTS if _re.search(pattern, flat, _re.I)]


def _learner_texts():
    for path in sorted((_ROOT / "notebooks").glob("*.ipynb")):
        for i, cell in enumerate(_json.loads(path.read_text(encoding="utf-8"))["cells"]):
            if cell["cell_type"] == "markdown":
                yield f"{path.name} cell {i}", "".join(cell["source"])
    data = _ROOT / "melt_course" / "data"
    for path in sorted(data.rglob("*.json")):
        if "schemas" not in path.parts and "anatomy_views" not in path.parts:
            yield str(path.relative_to(data)), path.read_text(encoding="utf-8")


@pytest.mark.parametrize("planted", [
    "The diaphragm is anchored by an arch over the psoas.",
    "A startle gasp is a diaphragm event, anchored right at the top of the psoas.",
    "The diaphragm arises partly from an arch over psoas, the kidneys rest on it.",
    "So the main breathing muscle and the psoas are physically\ncontinuous at the top of psoas.",
    "Diaphragm fibres arise from it, so the two are physically continuous at the top of psoas.",
    "The sympathetic trunk, next to psoas, carries the fast stress signals.",
    "The one controlled trial of a body-based trauma method measured no muscle at all.",
    "The one controlled TRE trial found lower trauma-symptom scores.",
    "Further down the body the sources give an order rather than numbers.",
    "Only the muscles' small intrinsic stiffness is left.",
])
def test_a_planted_overstatement_is_found(planted):
    assert overstatements(planted)


def test_the_corrected_wording_passes():
    for fixed in ("Some diaphragm fibres arise from an arch of the fascia over psoas.",
                  "Diaphragm and psoas fascia are physically continuous here.",
                  "The one controlled TRE trial the course found measured no muscle.",
                  "The sources the course read give an order rather than numbers.",
                  "Only the intrinsic stiffness the model assumes is left."):
        assert overstatements(fixed) == [], fixed


def test_no_lesson_or_data_file_overstates_what_the_review_found():
    found = [f"{where}: {why}" for where, text in _learner_texts() for why in overstatements(text)]
    assert found == [], "\n".join(found)


def test_the_quiz_attributes_the_intrinsic_stiffness_to_the_model():
    # Every quiz text that gives the intrinsic stiffness says whose value it is, and the value it
    # gives ("a fifteenth" of m·g·h) is the balance model's own.
    from melt_course.models.balance import Body
    body = Body()
    assert round(body.mass * 9.81 * body.com_height / body.intrinsic_stiffness) == 15
    texts = []
    for path in (_ROOT / "melt_course" / "data" / "quizzes").glob("*.json"):
        for q in _json.loads(path.read_text(encoding="utf-8"))["questions"]:
            texts += [q["prompt"], q.get("explanation", "")]
            texts += [o.get("feedback", "") for o in q.get("options", [])]
    giving = [t for t in texts if "intrinsic stiffness" in t]
    assert giving
    for text in giving:
        assert "model" in text, text


# --- sample sizes: a research citation states its n or says it was not found --------------------

_SIZE = _re.compile(r"\bn\s*=\s*\d|\b\d+\s+(?:\w+\s+){0,2}(?:adults|men|women|people|cadavers|"
                    r"subjects|students|participants|studies|experiments|plexuses)\b", _re.I)
_NOT_FOUND = _re.compile(r"(number|size)\b[^.]*\bnot (confirmed|given|found|recorded)|"
                         r"does not give the number", _re.I)


def size_problem(entry) -> str | None:
    """Why a research entry fails the rule (design with its size, or a note that the size was
    not found), or None. Reviews and modelling studies are exempt: no participants of their own."""
    design = entry.design or ""
    if "review" in design or design.startswith("modelling study") or _SIZE.search(design):
        return None
    said = " ".join(filter(None, (design, entry.note, entry.lacks)))
    return None if _NOT_FOUND.search(said) else f"{entry.key}: no sample size and no note saying so"


def _research_keys() -> set[str]:
    keys = set()
    for where, text in _learner_texts():
        if where.endswith(".ipynb") or " cell " in where:
            for m in _re.finditer(r"\*\(research\)\*\s*(\((?:\[[^\]\n]+\]\(#ref-[\w-]+\)(?:; )?)+\))",
                                  text):
                keys |= set(_re.findall(r"\(#ref-([\w-]+)\)", m.group(1)))
    data = _ROOT / "melt_course" / "data"
    for path in sorted(data.rglob("*.json")):
        if "schemas" in path.parts:
            continue

        def walk(value):
            if isinstance(value, dict):
                if value.get("label") == "research":
                    keys.update(value.get("refs", ()))
                for item in value.values():
                    walk(item)
            elif isinstance(value, list):
                for item in value:
                    walk(item)
        walk(_json.loads(path.read_text(encoding="utf-8")))
    return keys


def test_a_planted_research_entry_without_its_size_is_found():
    entry = bibliography.get("bogduk1992")
    assert size_problem(entry) is None
    planted = copy.copy(entry)
    object.__setattr__(planted, "design", "cadaver anatomy and biomechanical modelling")
    object.__setattr__(planted, "note", None)
    assert size_problem(planted) == "bogduk1992: no sample size and no note saying so"
    object.__setattr__(planted, "note", "The number of cadavers was not confirmed by the course.")
    assert size_problem(planted) is None


def test_every_research_citation_gives_its_size_or_says_it_was_not_found():
    keys = _research_keys()
    assert len(keys) > 20
    problems = [p for k in sorted(keys) if (p := size_problem(bibliography.get(k)))]
    assert problems == [], "\n".join(problems)


# --- MELT's one outcome study: the course says what was and was not checked ---------------------

def test_sanjana_2017_says_plainly_what_was_not_verified():
    entry = bibliography.get("sanjana2017")
    assert entry.status == "partly verified" and not entry.doi     # no DOI shown that nobody read
    for missing in ("DOI", "full text", "conflict-of-interest"):
        assert missing in entry.lacks, missing
    shown = bibliography.format_reference(entry)
    assert "Partly verified" in shown and "conflict-of-interest" in shown
    lesson = "".join("".join(c["source"]) for c in _json.loads(
        (_ROOT / "notebooks" / "05_routines.ipynb").read_text(encoding="utf-8"))["cells"]
        if c["cell_type"] == "markdown")
    flat = " ".join(lesson.split())
    assert "could not read the paper's full text" in flat
    assert "conflict of interest the paper itself declares" in flat
    # the affiliation claim comes from MELT's own announcement, attributed, not from the paper
    assert "founding member *(research)* ([Sanjana et al. 2017](#ref-sanjana2017))" not in flat
    assert "*(MELT)* ([Hitzmann 2015](#ref-melt-proof2015))" in flat


def _content_words(text: str) -> set[str]:
    return {w for w in _re.findall(r"[a-z]+", text.lower()) if len(w) > 4}


def quiz_disagreements(question: dict, disclaimer: str) -> list[str]:
    """Options of a 'which are on the list' question whose key disagrees with the disclaimer: a
    keyed option sharing no word with the disclaimer, or a distractor whose words all appear."""
    shown = _content_words(disclaimer)
    keyed = set(question["answer"])
    problems = []
    for i, option in enumerate(question["options"]):
        words = _content_words(option["text"])
        if i in keyed and not words & shown:
            problems.append(f"keyed but not in the disclaimer: {option['text']}")
        if i not in keyed and words and words <= shown:
            problems.append(f"not keyed but in the disclaimer: {option['text']}")
    return problems


def _question(qid: str) -> dict:
    data = _json.loads((_ROOT / "melt_course/data/quizzes/lesson_00.json").read_text("utf-8"))
    return next(q for q in data["questions"] if q["id"] == qid)


def test_lesson_0_quiz_on_when_to_see_a_clinician_matches_the_generated_disclaimer():
    from melt_course.content.safety import disclaimer_text
    question = _question("00-when-to-see-a-clinician")
    assert quiz_disagreements(question, disclaimer_text()) == []
    # Planted drift: the checklist loses its fever and weight-loss flags.
    data = _screen_data()
    data["items"] = [i for i in data["items"] if i["id"] not in ("fever", "weight-loss")]
    assert quiz_disagreements(question, disclaimer_text(_screen(data))) == [
        "keyed but not in the disclaimer: Back pain with a fever, or with weight loss you cannot "
        "explain"]
