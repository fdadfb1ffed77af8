"""The question bank (schema, cross-checks, coverage), grading of every type, and shuffling."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st
from quiz_samples import ALL, entry, question

from melt_course.content import quiz as Q
from melt_course.content.course import load_course
from melt_course.content.loader import DataError, validate
from melt_course.content.quiz import bank as quiz_bank
from melt_course.content.quiz.model import shown
from melt_course.figures.labels import resolve_figure
from melt_course.figures.style import new_figure

# --------------------------------------------------------------------------- the real bank


def test_bank_loads_with_every_field():
    bank = Q.load_bank()
    assert bank, "the bank is empty"
    lessons = {les.id: les for les in load_course()}
    for q in bank:
        assert q.type in Q.QUESTION_TYPES
        assert q.lesson in lessons
        assert q.id.startswith(f"{q.lesson}-")
        assert 1 <= q.objective <= len(lessons[q.lesson].objectives)
        assert q.prompt and q.explanation and q.section and q.refs
        # the stored right answer grades as right
        assert Q.grade(q, list(q.answer) if q.type in ("multiple", "ordering") else q.answer
                       ).correct, q.id


def test_bank_files_match_schema_and_ids_are_unique():
    from importlib import resources

    folder = resources.files("melt_course").joinpath("data/quizzes")
    ids = []
    for item in folder.iterdir():
        if item.name.endswith(".json"):
            data = json.loads(item.read_text(encoding="utf-8"))
            validate(data, "quiz", item.name)
            assert item.name == f"lesson_{data['lesson']}.json"
            ids += [q["id"] for q in data["questions"]]
    repeated = [i for i, n in Counter(ids).items() if n > 1]
    assert not repeated


def test_every_objective_of_every_available_lesson_has_two_questions():
    """Iterates over course.json, so it enforces coverage as lessons become available."""
    per_objective = Counter((q.lesson, q.objective) for q in Q.load_bank())
    available = [les for les in load_course() if les.status == "available"]
    assert available
    missing = [f"lesson {les.id} objective {n} ({per_objective[(les.id, n)]} question(s))"
               for les in available for n in range(1, len(les.objectives) + 1)
               if per_objective[(les.id, n)] < 2]
    assert not missing, "objectives with fewer than two questions: " + "; ".join(missing)


def test_every_label_question_figure_draws_its_answer():
    for q in Q.load_bank():
        if q.type != "label":
            continue
        draw = resolve_figure(q.figure)
        for structure in q.structures:
            _fig, ax = new_figure(3, 3)
            artists = draw(ax, highlight=structure)
            assert isinstance(artists, dict) and artists, q.id


def test_by_lesson_and_get():
    qs = Q.by_lesson("00")
    assert qs and all(q.lesson == "00" for q in qs)
    assert Q.get(qs[0].id) is qs[0]
    with pytest.raises(KeyError, match="'99'"):
        Q.by_lesson("99")
    with pytest.raises(KeyError, match="did you mean"):
        Q.get(qs[0].id + "x")


# --------------------------------------------------------------------------- cross-checks


def _clear_bank():
    """Forget loaded question files (the bank and each file are cached)."""
    quiz_bank.clear_cache()


@pytest.fixture
def fake_bank(monkeypatch):
    """Load the bank from given files instead of the package's (validation path unchanged)."""
    files: dict[str, dict] = {}

    def load_json(path, schema):
        return validate(files[path], schema, f"data/{path}")

    monkeypatch.setattr(quiz_bank, "data_files", lambda subdir: sorted(files))
    monkeypatch.setattr(quiz_bank, "load_json", load_json)
    _clear_bank()
    yield files
    _clear_bank()


def _file(*entries, lesson="00"):
    return {"lesson": lesson, "questions": list(entries)}


def test_fake_bank_loads_every_sample_type(fake_bank):
    fake_bank["quizzes/lesson_00.json"] = _file(*ALL.values())
    assert sorted(q.type for q in Q.load_bank()) == sorted(Q.QUESTION_TYPES)


@pytest.mark.parametrize(("bad", "field", "words"), [
    (entry("single", answer=3), "answer", "out of range"),
    (entry("multiple", answer=[0, 5]), "answer", "out of range"),
    (entry("single", objective=4), "objective", "does not exist"),
    (entry("single", refs=["no-such-key"]), "refs", "no-such-key"),
    (entry("single", refs=["gray1918", "gray1918"]), "refs", "twice"),
    (entry("label", answer="the foot"), "answer", "not among the structures"),
    (entry("label", structures=["the head", "the head", "the trunk"]), "structures", "twice"),
    (entry("ordering", items=["a", "b", "a"]), "items", "same text"),
    (entry("single", options=[{"text": "x", "feedback": "f"}, {"text": "x", "feedback": "g"}],
           answer=0), "options", "same text"),
    (entry("single", id="01-wrong-lesson"), "id", "start with the lesson id"),
    (entry("single", tolerance=3), "tolerance", "not used by 'single'"),
    (entry("numeric", answer=math.nan), "answer", "finite"),
])
def test_cross_checks_name_file_question_and_field(fake_bank, bad, field, words):
    fake_bank["quizzes/lesson_00.json"] = _file(bad)
    with pytest.raises(DataError, match=words) as info:
        Q.load_bank()
    err = info.value
    assert err.source == "data/quizzes/lesson_00.json"
    assert err.entry == bad["id"]
    assert err.field == field


def test_schema_violation_names_entry_and_field(fake_bank):
    bad = entry("numeric")
    del bad["units"]
    fake_bank["quizzes/lesson_00.json"] = _file(bad)
    with pytest.raises(DataError) as info:
        Q.load_bank()
    assert info.value.entry == bad["id"] and info.value.field == "units"


def test_duplicate_id_across_files(fake_bank):
    fake_bank["quizzes/lesson_00.json"] = _file(entry("single"))
    fake_bank["quizzes/lesson_01.json"] = _file(entry("single", id="01-sample-single"),
                                                lesson="01")
    Q.load_bank()
    fake_bank["quizzes/lesson_01.json"] = _file(entry("single"), lesson="01")
    _clear_bank()
    with pytest.raises(DataError, match=r"duplicate id|start with the lesson id"):
        Q.load_bank()
    fake_bank["quizzes/lesson_00.json"] = _file(entry("single"), entry("single"))
    del fake_bank["quizzes/lesson_01.json"]
    _clear_bank()
    with pytest.raises(DataError, match="duplicate id"):
        Q.load_bank()


def test_file_name_and_lesson_must_agree(fake_bank):
    fake_bank["quizzes/lesson_01.json"] = _file(entry("single"), lesson="00")
    with pytest.raises(DataError, match="does not match the file name"):
        Q.load_bank()


def test_unknown_lesson_is_refused(fake_bank):
    fake_bank["quizzes/lesson_42.json"] = _file(entry("single", id="42-x"), lesson="42")
    with pytest.raises(DataError, match=r"not in course\.json"):
        Q.load_bank()


def test_badly_named_file_is_refused(fake_bank):
    fake_bank["quizzes/extra.json"] = _file(entry("single"))
    with pytest.raises(DataError, match=r"lesson_NN\.json"):
        Q.load_bank()


# --------------------------------------------------------------------------- grading


@given(st.integers(0, 2))
def test_single_grades_by_index(index):
    q = question("single")
    result = Q.grade(q, index)
    assert result.correct is (index == 1)
    assert result.feedback == ALL["single"]["options"][index]["feedback"]
    assert result.answer == index and result.explanation == "Because beta."


@given(st.sets(st.integers(0, 4), min_size=1))
def test_multiple_grades_by_set(chosen):
    q = question("multiple")
    result = Q.grade(q, chosen)
    assert result.correct is (chosen == {0, 3})
    for i in chosen:
        assert f"fb {i}" in result.feedback
    for i in set(range(5)) - chosen:
        assert f"fb {i}" not in result.feedback
    if not result.correct:
        hits = len(chosen & {0, 3})
        assert f"You chose {hits} of the 2 right options" in result.feedback
    assert result.answer == sorted(chosen)


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6))
def test_numeric_uses_tolerance_and_says_too_low_or_high(value):
    q = question("numeric")
    result = Q.grade(q, value)
    if 85 <= value <= 95:
        assert result.correct and result.feedback == "fb right"
    elif value < 85:
        assert not result.correct and result.feedback == "fb low"
    else:
        assert not result.correct and result.feedback == "fb high"


@given(st.integers(-1000, 1000))
def test_numeric_accepts_integers(value):
    assert Q.grade(question("numeric"), value).correct is (85 <= value <= 95)


@given(st.permutations(["first", "second", "third", "fourth"]))
def test_ordering_grades_by_position(order):
    q = question("ordering")
    result = Q.grade(q, order)
    right = list(order) == ["first", "second", "third", "fourth"]
    assert result.correct is right
    if not right:
        placed = sum(a == b for a, b in zip(order, ["first", "second", "third", "fourth"],
                                            strict=True))
        verb = "is" if placed == 1 else "are"  # "1 of 4 is", "2 of 4 are"
        assert result.messages == ("fb out of order", f"{placed} of 4 {verb} in the right place.")
    else:
        assert result.feedback == "fb in order"


@given(st.sampled_from(["the head", "the trunk", "the leg"]))
def test_label_grades_by_name(name):
    result = Q.grade(question("label"), name)
    assert result.correct is (name == "the trunk")
    assert result.feedback == ("fb label right" if result.correct else "fb label wrong")


# ---- malformed answers: ValueError naming the value

_not_an_index = st.one_of(st.text(max_size=5), st.none(), st.booleans(),
                          st.floats(allow_nan=True), st.lists(st.integers(), max_size=2),
                          st.dictionaries(st.text(max_size=2), st.integers(), max_size=2))


def _raises_naming(q, answer, value=None):
    """A ValueError naming the value (cut to 80 characters) and the question."""
    with pytest.raises(ValueError) as info:
        Q.grade(q, answer)
    # the value is named, quoted in full when short and abbreviated when long (issue 18)
    assert shown(answer if value is None else value) in str(info.value)
    assert q.id in str(info.value)


@given(_not_an_index)
def test_single_rejects_non_index(answer):
    _raises_naming(question("single"), answer)


@given(st.one_of(st.integers(max_value=-1), st.integers(min_value=3)))
def test_single_rejects_out_of_range(answer):
    _raises_naming(question("single"), answer)


@given(st.one_of(st.text(max_size=5), st.none(), st.integers(), st.floats(),
                 st.just([]), st.just(set()), st.just(()),
                 st.lists(st.integers(0, 4), min_size=2).filter(lambda v: len(set(v)) < len(v)),
                 st.lists(st.integers(5, 99), min_size=1, max_size=3),
                 st.lists(st.sampled_from(["0", 1.0, True, None]), min_size=1, max_size=3)))
def test_multiple_rejects_malformed(answer):
    with pytest.raises(ValueError) as info:
        Q.grade(question("multiple"), answer)
    message = str(info.value)
    assert shown(answer) in message or any(shown(v) in message for v in answer)


@given(st.one_of(st.text(max_size=5), st.none(), st.booleans(), st.lists(st.floats()),
                 st.just(math.nan), st.just(math.inf), st.just(-math.inf)))
def test_numeric_rejects_non_numbers_and_nan(answer):
    _raises_naming(question("numeric"), answer)


@given(st.one_of(st.text(max_size=5), st.none(), st.integers(), st.just([]),
                 st.lists(st.sampled_from(["first", "second", "third", "fourth"]),
                          min_size=1, max_size=6).filter(
                     lambda v: len(set(v)) < len(v) or len(v) < 4)))
def test_ordering_rejects_malformed(answer):
    with pytest.raises(ValueError) as info:
        Q.grade(question("ordering"), answer)
    assert shown(answer) in str(info.value)


def test_ordering_rejects_unknown_and_non_string_items():
    q = question("ordering")
    _raises_naming(q, ["first", "second", "third", "fifth"], "fifth")
    _raises_naming(q, ["first", "second", "third", 4], 4)


@given(st.one_of(st.text(max_size=8).filter(lambda s: s not in ("the head", "the trunk",
                                                                  "the leg")),
                 st.none(), st.integers(), st.lists(st.text(), max_size=2)))
def test_label_rejects_non_structure(answer):
    _raises_naming(question("label"), answer)


def test_huge_and_long_answers_are_named_in_bounded_messages():
    """Every type names a bad answer in a short message (huge numbers in numeric questions:
    tests/test_hardening.py)."""
    for qtype, answer in (("single", 10**400), ("label", "x" * 5000),
                          ("multiple", [10**400]), ("ordering", ["y" * 5000])):
        with pytest.raises(ValueError) as info:
            Q.grade(question(qtype), answer)
        assert len(str(info.value)) < 300, (qtype, len(str(info.value)))


def test_grade_refuses_non_question():
    with pytest.raises(ValueError, match="not a Question"):
        Q.grade({"type": "single"}, 0)


# --------------------------------------------------------------------------- shuffling


@given(st.one_of(st.integers(), st.text(max_size=10)))
def test_option_order_is_a_reproducible_permutation(seed):
    for qtype in ("single", "multiple", "ordering", "label"):
        q = question(qtype)
        order = Q.option_order(q, seed)
        assert sorted(order) == list(range(len(q.choices())))
        assert Q.option_order(q, seed) == order
    assert Q.option_order(question("numeric"), seed) == ()


def test_shuffles_depend_on_the_seed():
    q = question("multiple")
    orders = {Q.option_order(q, seed) for seed in range(40)}
    assert len(orders) > 10
    bank = list(Q.load_bank())
    sequences = {tuple(x.id for x in Q.shuffle_questions(bank, seed)) for seed in range(20)}
    assert len(sequences) > 5
    assert [x.id for x in Q.shuffle_questions(bank, 7)] == \
        [x.id for x in Q.shuffle_questions(bank, 7)]
    assert sorted(x.id for x in Q.shuffle_questions(bank, 7)) == sorted(x.id for x in bank)


def test_shuffle_is_the_same_in_another_process_with_another_hash_seed():
    code = ("from melt_course.content import quiz as Q; "
            "print([q.id for q in Q.shuffle_questions(Q.load_bank(), 'room-3')]); "
            "print([Q.option_order(q, 'room-3') for q in Q.load_bank()])")
    outputs = set()
    for hashseed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hashseed}
        run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                             text=True, check=True)
        outputs.add(run.stdout)
    assert len(outputs) == 1
    here = [q.id for q in Q.shuffle_questions(Q.load_bank(), "room-3")]
    assert outputs.pop().splitlines()[0] == repr(here)


@pytest.mark.parametrize("seed", [None, 1.5, True, [1]])
def test_bad_seed_is_refused(seed):
    with pytest.raises(ValueError, match="seed"):
        Q.option_order(question("single"), seed)


def test_answer_text_and_feedback_for():
    assert question("single").answer_text() == "beta"
    assert question("ordering").answer_text() == "first → second → third → fourth"
    with pytest.raises(KeyError, match="too_low"):
        question("label").feedback_for("too_low")
