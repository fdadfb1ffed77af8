"""CourseWidget.guard / guarded: an exception in a widget callback is shown to the learner in
the widget, logged with its traceback, and cleared by the next call that works."""

import logging

import ipywidgets as W
import pytest

import melt_course.content.quiz as Q
import melt_course.widgets.demo as demo_module
from melt_course.widgets.base import CourseWidget, ErrorArea, guarded
from melt_course.widgets.demo import hip_demo
from melt_course.widgets.quiz import quiz_for


def test_demo_slider_error_is_shown_logged_and_cleared(monkeypatch, caplog):
    widget = hip_demo()
    widget.view.ensure_built()   # past the stored first frame: moves now update artists
    assert widget.children[-1] is widget.error_area and not widget.error_area.showing
    assert widget.error_area.layout.display == "none"
    real_update = demo_module.update_leg

    def broken(artists, angle):
        raise RuntimeError(f"cannot draw {angle}°")

    monkeypatch.setattr(demo_module, "update_leg", broken)
    with caplog.at_level(logging.ERROR, logger="melt_course.widgets"):
        widget.slider.value = 45  # must not raise: ipywidgets would swallow it
    area = widget.error_area
    assert area.showing and area.layout.display != "none"
    assert "while moving the slider" in area.value
    assert "RuntimeError: cannot draw 45°" in area.value
    assert 'role="alert"' in area.value and "Traceback" not in area.value
    [record] = [r for r in caplog.records if r.name == "melt_course.widgets"]
    assert "HipDemo._on_change" in record.getMessage() and record.exc_info is not None
    monkeypatch.setattr(demo_module, "update_leg", real_update)
    widget.slider.value = 50
    assert not area.showing and area.layout.display == "none"
    assert "50 degrees" in widget.view.text.value


def test_error_text_is_escaped():
    area = ErrorArea()
    area.show(ValueError("<script>alert(1)</script>"), "checking <b>")
    assert "<script>" not in area.value and "&lt;script&gt;" in area.value
    assert "checking &lt;b&gt;" in area.value


def test_quiz_check_error_is_shown_on_the_question_card(monkeypatch):
    quiz = quiz_for("00", store=None)
    card = quiz.cards[0]
    card.set_answer(card.question.answer if card.question.type != "multiple"
                    else list(card.question.answer))

    def broken(question, answer):
        raise KeyError("feedback table missing")

    monkeypatch.setattr(Q, "grade", broken)
    card.check_button.click()  # the learner presses Check
    assert card.error_area.showing
    assert "while checking your answer" in card.error_area.value
    assert "KeyError: &#x27;feedback table missing&#x27;" in card.error_area.value
    assert card.attempts == 0 and quiz.score_counts()["answered"] == 0
    monkeypatch.undo()
    card.check_button.click()
    assert not card.error_area.showing and card.attempts == 1


def test_guard_returns_the_result_and_none_after_an_error():
    widget = CourseWidget([W.Label("x")])
    assert widget.guard(lambda a, b=1: a + b)(2, b=3) == 5
    assert widget.guard(lambda: [][1])() is None
    assert "IndexError" in widget.error_area.value


def test_guard_puts_the_error_area_back_when_children_were_replaced():
    widget = CourseWidget([W.Label("x")])
    widget.children = (W.Label("replaced"),)
    widget.guard(lambda: 1 / 0, action="replacing")()
    assert widget.children[-1] is widget.error_area
    assert "while replacing" in widget.error_area.value


def test_guard_does_not_hide_keyboard_interrupts():
    widget = CourseWidget()

    def stop():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        widget.guard(stop)()


def test_guarded_refuses_bad_arguments():
    with pytest.raises(ValueError, match=r"callback 42 is not callable"):
        guarded(42, ErrorArea())
    with pytest.raises(ValueError, match=r"area 'here' is not an ErrorArea"):
        guarded(print, "here")
