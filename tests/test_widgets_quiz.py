"""The quiz widget: shuffled display mapped back to answers, check, feedback, retry, score."""

from __future__ import annotations

import json
import re

import ipywidgets as W
import pytest
from quiz_samples import question

from melt_course import notebook as mc
from melt_course.content import quiz as Q
from melt_course.widgets.base import ErrorArea
from melt_course.widgets.quiz import QuizWidget, quiz_for


def _samples():
    return [question(t) for t in Q.QUESTION_TYPES]


def _displayed_labels(card):
    q = card.question
    if q.type == "single":
        return [label for label, _ in card.control.radio.options]
    if q.type == "multiple":
        return [box.description for box in card.control.boxes]
    if q.type == "ordering":  # listed with letters; the menus offer the letters
        menu = [value for _label, value in card.control.dropdowns[0].options if value]
        assert menu == list(card.control.letters.values())
        return menu
    if q.type == "label":
        return [label for label, value in card.control.dropdown.options if value is not None]
    return []


def _wrong_answer(q):
    return {"single": 0, "multiple": [0], "numeric": 10.0,
            "ordering": ["second", "first", "third", "fourth"], "label": "the leg"}[q.type]


def _right_answer(q):
    return list(q.answer) if q.type in ("multiple", "ordering") else q.answer


def test_quiz_for_lesson_has_every_question_and_a_stable_repr():
    w = mc.quiz_for("00", store=None)
    assert sorted(q.id for q in w.questions) == sorted(q.id for q in Q.by_lesson("00"))
    other = mc.quiz_for("00", seed=99, store=None)
    assert repr(w) == repr(other)
    assert "lesson 00" in repr(w) and "0x" not in repr(w)
    assert isinstance(w, W.VBox)


def test_same_seed_same_display_and_other_seeds_differ():
    def layout(seed):
        w = QuizWidget(_samples(), seed=seed, store=None)
        return [(c.question.id, tuple(_displayed_labels(c))) for c in w.cards]

    assert layout("class-a") == layout("class-a")
    assert len({tuple(layout(s)) for s in range(8)}) > 1


@pytest.mark.parametrize("qtype", Q.QUESTION_TYPES)
def test_display_is_a_shuffle_of_the_choices(qtype):
    q = question(qtype)
    card = QuizWidget([q], seed=3, store=None).cards[0]
    assert sorted(_displayed_labels(card)) == sorted(q.choices())


@pytest.mark.parametrize("qtype", Q.QUESTION_TYPES)
def test_wrong_then_retry_then_right(qtype):
    q = question(qtype)
    w = QuizWidget([q, question("single", id="00-other")], seed=1, store=None)
    card = w.card(q.id)
    card.set_answer(_wrong_answer(q))
    result = card.check()
    assert result is not None and not result.correct
    assert "Not quite" in card.feedback.value
    assert card.check_button.disabled and not card.retry_button.disabled
    assert all(widget.disabled for widget in card.inputs)
    assert "0 of 2 right" in w.score.value and "1 answered" in w.score.value

    card.retry_button.click()
    assert card.feedback.value == "" and not card.check_button.disabled
    assert not any(widget.disabled for widget in card.inputs)

    card.set_answer(_right_answer(q))
    card.check_button.click()
    assert card.correct and not card.correct_first_try and card.attempts == 2
    assert "Right" in card.feedback.value and q.explanation in card.feedback.value
    # Done: Try again is off; Check keeps the learner's focus and says it is done.
    assert card.retry_button.disabled and card.check_button.description == "Checked"
    assert all(widget.disabled for widget in card.inputs)
    assert "1 of 2 right" in w.score.value and "(0 at the first try" in w.score.value
    card.check_button.click()  # pressing it again changes nothing and records nothing
    assert card.attempts == 2 and "1 of 2 right" in w.score.value


def test_clicking_the_displayed_option_grades_the_right_index():
    """The learner picks by label in a shuffled list; grading must see the file's index."""
    q = question("single")
    for seed in range(6):
        card = QuizWidget([q], seed=seed, store=None).cards[0]
        card.control.radio.label = "beta"  # what a click on the option "beta" does
        assert card.check().correct
    q = question("multiple")
    card = QuizWidget([q], seed=2, store=None).cards[0]
    for box in card.control.boxes:
        box.value = box.description in ("opt 0", "opt 3")
    assert card.check().correct


def test_right_first_time_counts_first_try():
    w = QuizWidget([question("numeric")], seed=0, store=None)
    card = w.cards[0]
    card.control.number.value = "88"
    card.check_button.click()
    assert card.correct_first_try
    assert w.score_counts() == {"right": 1, "first_try": 1, "answered": 1, "total": 1}


def test_incomplete_answer_asks_first_and_counts_nothing():
    for qtype in ("single", "multiple", "ordering", "label"):
        w = QuizWidget([question(qtype)], seed=0, store=None)
        card = w.cards[0]
        assert card.check() is None
        assert "first" in card.feedback.value
        assert card.attempts == 0 and not card.check_button.disabled


def test_ordering_lists_every_item_in_full_and_menus_offer_letters():
    q = question("ordering")
    card = QuizWidget([q], seed=4, store=None).cards[0]
    listing = card.control.widget.children[0].value
    for letter, item in card.control.letters.items():
        assert f"<b>{letter}.</b> {item}" in listing
    assert [label for label, _v in card.control.dropdowns[0].options] == \
        ["— choose —", "A", "B", "C", "D"]
    assert all(d.label == "— choose —" for d in card.control.dropdowns)  # not blank


def test_ordering_with_a_repeated_item_is_explained_not_graded():
    card = QuizWidget([question("ordering")], seed=0, store=None).cards[0]
    for dropdown in card.control.dropdowns:
        dropdown.value = "first"
    assert card.check() is None
    assert "each item exactly once" in card.feedback.value
    assert card.attempts == 0


def test_label_question_shows_a_figure_with_a_description():
    q = question("label")
    card = QuizWidget([q], seed=0, store=None).cards[0]
    assert card.control.view.picture.png[:8] == b"\x89PNG\r\n\x1a\n"
    assert "marked" in card.control.view.picture.text.value


def test_set_answer_that_does_not_fit_is_refused():
    card = QuizWidget([question("label")], seed=0, store=None).cards[0]
    with pytest.raises(ValueError, match="the foot"):
        card.set_answer("the foot")


def test_quiz_for_one_question_and_a_list():
    qid = Q.by_lesson("00")[0].id
    assert [q.id for q in quiz_for(qid, store=None).questions] == [qid]
    ids = [q.id for q in Q.by_lesson("00")[:3]]
    assert sorted(q.id for q in quiz_for(ids, store=None).questions) == sorted(ids)
    assert [q.id for q in quiz_for(ids, store=None, shuffle=False).questions] == ids
    with pytest.raises(KeyError, match="did you mean"):
        quiz_for(qid + "z", store=None)
    with pytest.raises(ValueError, match="at least one"):
        quiz_for([], store=None)
    with pytest.raises(KeyError, match="'98'"):
        quiz_for("98", store=None)


def test_bad_arguments():
    with pytest.raises(ValueError, match="at least one question"):
        QuizWidget([], store=None)
    with pytest.raises(ValueError, match="mode"):
        QuizWidget([question("single")], store=None, mode="exam")


class _BrokenStore:
    def add_record(self, kind, data):
        raise OSError("disk full")


def test_a_failing_store_does_not_break_the_quiz():
    card = QuizWidget([question("single")], seed=0, store=_BrokenStore()).cards[0]
    card.set_answer(1)
    result = card.check()
    assert result.correct
    assert "not saved" in card.feedback.value and "disk full" in card.feedback.value


def test_attempts_are_recorded_in_the_given_store(tmp_path):
    from melt_course.records.store import load_export, open_store

    store = open_store(tmp_path / "p.json")
    q = question("single")
    card = QuizWidget([q], seed=5, store=store).cards[0]
    card.set_answer(2)
    card.check()
    card.retry()
    card.set_answer(1)
    card.check()
    data = [r["data"] for r in store.records("quiz_attempt")]
    assert data == [
        {"question": q.id, "lesson": "00", "type": "single", "answer": 2, "answer_text": "gamma",
         "correct": False, "attempt": 1, "mode": "quiz"},
        {"question": q.id, "lesson": "00", "type": "single", "answer": 1, "answer_text": "beta",
         "correct": True, "attempt": 2, "mode": "quiz"}]
    load_export(store.path)


def test_every_type_records_a_valid_attempt(tmp_path):
    from melt_course.records.store import open_store

    store = open_store(tmp_path / "p.json")
    w = QuizWidget(_samples(), seed=0, store=store)
    for card in w.cards:
        card.set_answer(_right_answer(card.question))
        card.check()
        assert "not saved" not in card.feedback.value
    got = {r["data"]["question"]: r["data"] for r in store.records()}
    assert set(got) == {c.question.id for c in w.cards}
    assert all(d["correct"] for d in got.values())


def test_default_store_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("MELT_COURSE_PROGRESS", str(tmp_path / "student-7"))
    w = mc.quiz_for("00")
    card = w.cards[0]
    card.set_answer(_right_answer(card.question))
    card.check()
    saved = json.loads((tmp_path / "student-7" / "progress.json").read_text(encoding="utf-8"))
    assert [r["data"]["question"] for r in saved["records"]] == [card.question.id]


def test_a_recovered_store_is_reported_to_the_learner(tmp_path):
    from melt_course.records.store import open_store

    path = tmp_path / "p.json"
    path.write_text("{broken", encoding="utf-8")
    card = QuizWidget([question("single")], seed=0, store=open_store(path)).cards[0]
    card.set_answer(1)
    card.check()
    assert "could not be read" in card.feedback.value and "moved to" in card.feedback.value


def _tree(widget):
    """Every widget under ``widget`` (children, layouts and styles), each once."""
    seen, stack = {}, [widget]
    while stack:
        w = stack.pop()
        if w.model_id in seen:
            continue
        seen[w.model_id] = w
        stack.extend(getattr(w, "children", ()))
        for name in ("layout", "style"):
            part = getattr(w, name, None)
            if isinstance(part, W.Widget):
                stack.append(part)
    return list(seen.values())


def test_cards_share_layouts_and_styles_but_errors_stay_in_their_card():
    quiz = QuizWidget(_samples(), store=None)
    widgets = _tree(quiz)
    layouts = [w for w in widgets if isinstance(w, W.Layout)]
    own = {w.layout.model_id for w in widgets if isinstance(w, ErrorArea)}
    # One layout per error area (each shows and hides itself); a handful shared by the rest,
    # however many cards there are.
    assert len(layouts) - len(own) <= 12
    cards = quiz.cards
    assert len({c.layout.model_id for c in cards}) == 1
    assert len({c.check_button.style.model_id for c in cards}) == 1
    cards[0].error_area.show(ValueError("boom"), "checking your answer")
    assert cards[0].error_area.layout.display is None
    assert all(c.error_area.layout.display == "none" for c in cards[1:])
    assert all(c.layout.border == "1px solid #BBBBBB" for c in cards)


# --------------------------------------------------------------------------- typed numbers


def _numeric_card():
    return QuizWidget([question("numeric")], seed=0, store=None).cards[0]  # 90 ± 5 degrees


def test_a_number_box_starts_empty_and_an_empty_box_is_not_an_answer():
    card = _numeric_card()
    assert card.control.number.value == ""
    assert card.check() is None and "Type a number first" in card.feedback.value
    card.control.number.value = "88"
    card.control.number.value = ""  # cleared: stays empty, nothing to check
    assert card.control.number.value == "" and card.check() is None and card.attempts == 0


@pytest.mark.parametrize(("typed", "read"), [
    ("88,5", 88.5), ("88.5", 88.5), (" 91 ", 91.0), ("90 degrees", 90.0), ("+87,0", 87.0),
    ("\u221290", -90.0), ("9e1", 90.0)])
def test_typed_numbers_are_read_with_a_decimal_point_or_comma(typed, read):
    card = _numeric_card()
    card.control.number.value = typed
    result = card.check()
    assert result is not None and result.answer == read
    assert result.correct is (85 <= read <= 95)


def test_what_was_read_is_said_when_it_differs_from_what_was_typed():
    card = _numeric_card()
    card.control.number.value = "88,5"
    card.check()
    assert "“88,5” was read as 88.5 degrees" in card.feedback.value
    card = _numeric_card()
    card.control.number.value = "88"
    card.check()
    assert "was read as" not in card.feedback.value


@pytest.mark.parametrize(("typed", "words"), [
    ("36,5.2", "both a decimal point and a comma"), ("12x", "is not a number"),
    ("1,2,3", "is not a number"), ("nan", "is not a number"), ("inf", "is not a number"),
    ("68%", "percentage"), ("1e999", "too large")])
def test_text_that_is_not_one_number_is_explained_and_not_counted(typed, words):
    card = _numeric_card()
    card.control.number.value = typed
    assert card.check() is None
    assert words in card.feedback.value and card.attempts == 0
    assert not card.check_button.disabled  # the learner can fix it and check again


def test_a_percentage_question_says_what_its_number_means_and_takes_a_percent_sign():
    q = question("numeric", units="%", answer=68, tolerance=3)
    card = QuizWidget([q], seed=0, store=None).cards[0]
    assert "type 50 for 50 %" in card.control.widget.children[1].value
    card.control.number.value = "68 %"
    assert card.check().correct


def test_feedback_says_the_verdict_once():
    for qtype in Q.QUESTION_TYPES:
        q = question(qtype)
        for answer, verdict in ((_wrong_answer(q), "Not quite."), (_right_answer(q), "Right.")):
            card = QuizWidget([q], seed=0, store=None).cards[0]
            card.set_answer(answer)
            card.check()
            text = re.sub(r"<[^>]+>", " ", card.feedback.value)
            assert text.count("Right") + text.count("Not quite") == 1, (qtype, text)
            assert verdict in text


def test_a_multiple_choice_feedback_says_which_ticked_options_are_right():
    card = QuizWidget([question("multiple")], seed=0, store=None).cards[0]
    card.set_answer([0, 1])
    card.check()
    assert "“opt 0” is one to tick: fb 0" in card.feedback.value
    assert "“opt 1” is not one to tick: fb 1" in card.feedback.value
    assert "You chose 1 of the 2 right options and 1 that is not right." in card.feedback.value


def test_a_quiz_with_single_choices_carries_one_radio_group_helper_left_off_paper():
    from melt_course.widgets.quiz.radio_group import RadioGroups
    from melt_course.widgets.static import SKIP_CLASS, static_html

    quiz = QuizWidget([question("single"), question("multiple")], store=None)
    helpers = [w for w in quiz.children if isinstance(w, RadioGroups)]
    assert helpers == [quiz.radio_groups]  # one per quiz, not one per card
    # its selectors name what the cards really carry
    card = quiz.cards[0]
    assert quiz.radio_groups.root_selector == ".melt-quiz" and "melt-quiz" in quiz._dom_classes
    assert quiz.radio_groups.card_selector == ".melt-quiz-question" \
        and "melt-quiz-question" in card._dom_classes
    radio = next(c for c in quiz.cards if c.question.type == "single").control.radio
    assert quiz.radio_groups.group_selector == ".melt-quiz-options" \
        and "melt-quiz-options" in radio._dom_classes
    assert 'class="melt-quiz-prompt"' in card.header.value
    assert SKIP_CLASS in quiz.radio_groups._dom_classes and "Radio groups" not in static_html(quiz)
    without = QuizWidget([question("multiple")], store=None)
    assert without.radio_groups is None
    assert not any(isinstance(w, RadioGroups) for w in without.children)
