"""The review and mastery widgets over a real progress store."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from melt_course import notebook as mc
from melt_course.content import quiz as Q
from melt_course.records.store import open_store
from melt_course.widgets.review import MasteryChart, ReviewWidget

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc)


class Clock:
    """A clock the test moves by hand (used for the store and the widgets)."""

    def __init__(self, start=T0):
        self.now = start

    def __call__(self):
        return self.now


def _right(q):
    return list(q.answer) if q.type in ("multiple", "ordering") else q.answer


def _wrong(q):
    if q.type == "single":
        return (q.answer + 1) % len(q.options)
    if q.type == "multiple":
        return [i for i in range(len(q.options)) if i not in q.answer][:1] or [q.answer[0]]
    if q.type == "numeric":
        return q.answer + 10 * q.tolerance + 1
    if q.type == "ordering":
        return list(reversed(q.items))
    return next(s for s in q.structures if s != q.answer)


@pytest.fixture
def setup(tmp_path):
    clock = Clock()
    store = open_store(tmp_path / "p.json", clock=clock)
    return clock, store


def test_empty_store_nothing_due_then_new_questions(setup):
    clock, store = setup
    w = ReviewWidget(store=store, clock=clock, seed=1)
    assert w.quiz is None and "Nothing is due" in w.round_box.children[0].value
    assert "0 questions due" in w.summary.value
    quiz = w.start_round(new=3)
    assert len(quiz.cards) == 3 and quiz.mode == "review"
    assert not store.path.exists()  # nothing written until an answer is checked


def test_missed_question_comes_back_first_and_chart_follows(setup):
    clock, store = setup
    w = ReviewWidget(store=store, clock=clock, seed=2)
    quiz = w.start_round(new=2)
    first, second = quiz.cards
    png_before = w.chart.picture.png
    fig = w.chart.fig
    first.set_answer(_wrong(first.question))
    first.check()
    second.set_answer(_right(second.question))
    second.check()
    # the attempts are in the store, marked as review answers
    data = [r["data"] for r in store.records("quiz_attempt")]
    assert [(d["question"], d["correct"], d["mode"]) for d in data] == [
        (first.question.id, False, "review"), (second.question.id, True, "review")]
    # the chart redrew the same figure with the new counts
    assert w.chart.fig is fig and w.chart.picture.png != png_before
    lesson = first.question.lesson
    row = next(r for r in w.chart.rows if r.lesson == lesson)
    assert row.learning >= 1
    assert "1 question due" in w.summary.value
    # next round: only the missed one is due
    clock.now += timedelta(minutes=5)
    w.due_button.click()
    assert [c.question.id for c in w.quiz.cards] == [first.question.id]
    # a day later the right one is due too; the missed one (box 1) still comes first
    clock.now += timedelta(days=1)
    quiz = w.start_round()
    assert [c.question.id for c in quiz.cards] == [first.question.id, second.question.id]
    # answering the due box-2 question right makes it mastered
    card = quiz.card(second.question.id)
    card.set_answer(_right(card.question))
    card.check()
    row = next(r for r in w.chart.rows if r.lesson == second.question.lesson)
    assert row.mastered == 1
    assert "1 of" in w.summary.value


def test_mastery_chart_refresh_reads_the_store_again(setup):
    clock, store = setup
    chart = MasteryChart(store=store, clock=clock)
    q = Q.by_lesson("00")[0]
    assert all(r.mastered == 0 for r in chart.rows)
    png, fig = chart.picture.png, chart.fig
    renders = chart.picture.renders
    for day in (0, 1):
        clock.now = T0 + timedelta(days=day)
        store.add_record("quiz_attempt", {"question": q.id, "lesson": "00", "answer": 0,
                                          "correct": True, "attempt": 1})
    chart.refresh_button.click()
    assert chart.fig is fig and chart.picture.renders == renders + 1
    assert next(r for r in chart.rows if r.lesson == "00").mastered == 1
    assert chart.picture.png != png
    assert "1 of" in chart.picture.description


def test_example_chart_is_read_only_and_labelled(setup):
    clock, store = setup
    chart = mc.mastery(example=True, clock=clock)
    chart.picture.build()
    assert "made up" in chart.picture.artists["title"].get_text()
    assert chart.picture.alt.startswith("Example learner (made up): bar chart per lesson")
    assert any(r.mastered for r in chart.rows)
    chart.refresh()
    assert not store.path.exists()
    assert repr(chart) == repr(mc.mastery(example=True))


def test_corrupt_store_is_reported_in_the_widgets(tmp_path):
    path = tmp_path / "p.json"
    path.write_text("not json", encoding="utf-8")
    w = ReviewWidget(store=open_store(path), seed=0)
    assert "moved to" in w.chart.note.value
    assert [p.name for p in tmp_path.iterdir() if ".corrupt-" in p.name]


def test_default_store_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("MELT_COURSE_PROGRESS", str(tmp_path / "class"))
    w = mc.review(seed=0)
    quiz = w.start_round(new=1)
    card = quiz.cards[0]
    card.set_answer(_right(card.question))
    card.check()
    assert (tmp_path / "class" / "progress.json").exists()


def test_leitner_table_matches_the_model():
    from melt_course.records import review as R

    text = repr(mc.leitner_table())
    for box in range(1, R.BOXES + 1):
        assert f"| {box} |" in text
    assert f"| 3 | {R.INTERVAL_DAYS[3]} days | mastered |" in text
    assert "| 1 | the next review |" in text


def test_bad_new_is_refused():
    with pytest.raises(ValueError, match="new="):
        ReviewWidget(store=None, new=-2)
