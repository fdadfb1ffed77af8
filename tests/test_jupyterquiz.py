"""export_jupyterquiz: valid jupyterquiz data that grades the way the course grades.

jupyterquiz is not installed here; the checks below follow its documented format (README,
schema/mc_schema.json, schema/num_schema.json) and re-implement the decision rules of its
js/multiple_choice.js and js/numeric.js, so the export is checked for meaning, not only shape.
"""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from quiz_samples import question

from melt_course.content import quiz as Q
from melt_course.content.loader import DataError, validate


def _documented_shape(item: dict) -> None:
    """The requirements of jupyterquiz's own published schemas, written out independently."""
    assert isinstance(item["question"], str) and item["question"]
    assert item["type"] in ("multiple_choice", "many_choice", "numeric")
    assert isinstance(item["answers"], list) and item["answers"]
    for answer in item["answers"]:
        if item["type"] == "numeric":
            if "value" in answer:
                assert isinstance(answer["value"], int | float)
                assert isinstance(answer["correct"], bool)
            elif "range" in answer:
                low, high = answer["range"]
                assert isinstance(low, int | float) and isinstance(high, int | float)
                assert low < high and math.isfinite(low) and math.isfinite(high)
                assert isinstance(answer["correct"], bool)
            else:
                assert answer["type"] == "default" and isinstance(answer["feedback"], str)
        else:
            assert isinstance(answer["answer"], str) and isinstance(answer["correct"], bool)
            assert isinstance(answer.get("feedback", ""), str)


def _jq_numeric(item: dict, submission: float) -> tuple[bool, str]:
    """jupyterquiz's numeric check: first value/range (ranges are [A, B)) that matches."""
    default = "Incorrect. Try again."
    for answer in item["answers"]:
        if "value" in answer and submission == answer["value"]:
            return answer["correct"], answer.get("feedback", "Correct")
        if "range" in answer and answer["range"][0] <= submission < answer["range"][1]:
            return answer["correct"], answer["feedback"]
        if answer.get("type") == "default":
            default = answer.get("feedback", default)
    return False, default


def test_export_whole_bank_is_valid(tmp_path):
    out = tmp_path / "quiz.json"
    summary = Q.export_jupyterquiz(out)
    data = json.loads(out.read_text(encoding="utf-8"))
    bank = {q.id: q for q in Q.load_bank()}
    assert len(data) == len(summary["written"]) > 0
    assert sorted(summary["written"] + summary["skipped"]) == sorted(bank)
    assert all(bank[i].type in ("ordering", "label") for i in summary["skipped"])
    validate(data, "jupyterquiz", str(out))
    for qid, item in zip(summary["written"], data, strict=True):
        _documented_shape(item)
        q = bank[qid]
        if q.type in ("single", "multiple"):
            right = {q.answer} if q.type == "single" else set(q.answer)
            assert [a["correct"] for a in item["answers"]] == \
                [i in right for i in range(len(q.options))]
            # jupyterquiz treats one correct answer as multiple choice, more as many choice
            assert item["type"] == ("many_choice" if len(right) > 1 else "multiple_choice")
        else:
            assert item["type"] == "numeric"


@pytest.mark.parametrize("qtype", ["single", "multiple"])
def test_choice_feedback_and_explanation(qtype):
    q = question(qtype)
    item = Q.to_jupyterquiz(q)
    for option, answer in zip(q.options, item["answers"], strict=True):
        assert answer["answer"] == option.text
        assert answer["feedback"].startswith(option.feedback)
        assert (q.explanation in answer["feedback"]) == answer["correct"]
    assert q.prompt in item["question"] and q.section in item["question"]


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9))
def test_numeric_export_grades_like_the_course(value):
    q = question("numeric")
    item = Q.to_jupyterquiz(q)
    jq_correct, jq_feedback = _jq_numeric(item, value)
    ours = Q.grade(q, value)
    assert jq_correct == ours.correct
    assert jq_feedback.startswith(ours.feedback)


def test_numeric_export_edges():
    q = question("numeric")  # 90 ± 5
    item = Q.to_jupyterquiz(q)
    for value in (85.0, 95.0, 90.0):
        assert _jq_numeric(item, value)[0] and Q.grade(q, value).correct
    for value in (84.99, 95.01, -1e300, 1e300):
        assert not _jq_numeric(item, value)[0] and not Q.grade(q, value).correct
    assert "(Answer in degrees.)" in item["question"]


def test_real_numeric_questions_grade_alike():
    for q in Q.load_bank():
        if q.type != "numeric":
            continue
        item = Q.to_jupyterquiz(q)
        for value in (q.answer, q.answer - q.tolerance * 1.01, q.answer + q.tolerance * 1.01,
                      q.answer - q.tolerance * 0.99, q.answer + q.tolerance * 0.99):
            assert _jq_numeric(item, value)[0] == Q.grade(q, value).correct, (q.id, value)


def test_text_is_escaped_for_innerhtml_and_mathjax():
    q = question("single", prompt="Is <b>bold</b> & $x$ safe?")
    text = Q.to_jupyterquiz(q)["question"]
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &#36;x&#36; safe?" in text
    assert "<b>" not in text.split("<i>")[0]


@pytest.mark.parametrize("qtype", ["ordering", "label"])
def test_types_jupyterquiz_lacks_are_refused(qtype):
    with pytest.raises(ValueError, match=qtype):
        Q.to_jupyterquiz(question(qtype))


def test_export_one_lesson_and_unknown_lesson(tmp_path):
    out = tmp_path / "l00.json"
    summary = Q.export_jupyterquiz(out, lessons=["00"])
    assert summary["written"] and all(i.startswith("00-") for i in summary["written"])
    with pytest.raises(KeyError, match="'77'"):
        Q.export_jupyterquiz(tmp_path / "x.json", lessons=["77"])


def test_multiple_with_one_right_option_exports_as_multiple_choice():
    item = Q.to_jupyterquiz(question("multiple", answer=[2]))
    assert item["type"] == "multiple_choice"
    assert [a["correct"] for a in item["answers"]] == [False, False, True, False, False]


def test_schema_rejects_what_jupyterquiz_would_misread():
    good = Q.to_jupyterquiz(question("single"))
    validate([good], "jupyterquiz", "test")
    none_right = json.loads(json.dumps(good))
    for answer in none_right["answers"]:
        answer["correct"] = False
    no_answer_text = json.loads(json.dumps(good))
    del no_answer_text["answers"][0]["answer"]
    unknown_field = {**good, "shuffle": True}
    bad_range = Q.to_jupyterquiz(question("numeric"))
    bad_range["answers"][0]["range"] = [1]
    for bad in (none_right, no_answer_text, unknown_field, bad_range, []):
        with pytest.raises(DataError):
            validate(bad if bad == [] else [bad], "jupyterquiz", "test")
