"""The self-assessment log: model, figure and widget, saving to a real progress store on disk."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from melt_course.content.routines import get
from melt_course.figures.selfassessment import (
    describe_assessment_log,
    draw_assessment_log,
    update_assessment_log,
)
from melt_course.figures.style import new_figure
from melt_course.records.self_assessment import (
    SCALE_TEXT,
    Assessment,
    load_assessments,
    record_assessment,
    regions,
    session_pairs,
)
from melt_course.records.store import open_store
from melt_course.widgets.player import RoutinePlayer, SessionSafety
from melt_course.widgets.selfassessment import SelfAssessmentLog


class StepClock:
    """A timezone-aware clock that moves one minute per reading (ordered timestamps)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


@pytest.fixture
def store(tmp_path):
    return open_store(tmp_path / "progress.json", clock=StepClock())


def _all(value: int) -> dict[str, int]:
    return dict.fromkeys(regions(), value)


def test_regions_are_the_rest_assess_regions():
    noticed = [s.name for s in get("Rest Assess").steps() if s.name.startswith("Notice your ")]
    assert list(regions()) == [n.removeprefix("Notice your ") for n in noticed]
    assert "low back" in regions() and "head" in regions()
    assert "course's own" in SCALE_TEXT and "not MELT's" in SCALE_TEXT


def test_record_and_load_round_trip_through_the_file(store):
    record_assessment(store, "before", {"head": 3, "low back": 2}, session="s1",
                      routine="rebalance")
    record_assessment(store, "after", {"head": 6, "low back": 5}, session="s1",
                      routine="Rebalance Sequence")
    saved = json.loads(store.path.read_text(encoding="utf-8"))
    kinds = [r["kind"] for r in saved["records"]]
    assert kinds == ["self_assessment", "self_assessment"]
    assert saved["records"][0]["data"]["routine"] == "Rebalance Sequence"  # name, not alias
    loaded = load_assessments(store)
    assert [a.phase for a in loaded] == ["before", "after"]
    (pair,) = session_pairs(loaded)
    assert pair.routine == "Rebalance Sequence"
    assert pair.mean("before") == 2.5 and pair.mean("after") == 5.5
    assert pair.change() == 3.0 and pair.change("head") == 3.0
    assert pair.change("shoulders") is None  # not rated


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"phase": "during", "ratings": {"head": 3}}, "phase 'during'"),
    ({"phase": "before", "ratings": {"knee": 3}}, "region 'knee'"),
    ({"phase": "before", "ratings": {"head": 11}}, "rating 11"),
    ({"phase": "before", "ratings": {"head": -1}}, "rating -1"),
    ({"phase": "before", "ratings": {"head": True}}, "rating True"),
    ({"phase": "before", "ratings": {"head": float("nan")}}, "rating nan"),
    ({"phase": "before", "ratings": {}}, "non-empty"),
])
def test_bad_ratings_are_refused_and_nothing_is_saved(store, kwargs, message):
    with pytest.raises(ValueError, match=message):
        record_assessment(store, **kwargs)
    assert not store.path.exists()


def test_unknown_routine_suggests_a_match(store):
    with pytest.raises(KeyError, match="did you mean"):
        record_assessment(store, "before", {"head": 3}, routine="Rebalanse")


def test_sessions_pair_up_and_keep_their_order():
    items = [Assessment("2026-01-01T08:00:00Z", "before", {"head": 2}, "a"),
             Assessment("2026-01-03T08:00:00Z", "before", {"head": 4}, None),
             Assessment("2026-01-01T08:20:00Z", "after", {"head": 5}, "a"),
             Assessment("2026-01-02T08:00:00Z", "after", {"head": 6}, "b")]
    pairs = session_pairs(items)
    assert [p.session for p in pairs][:2] == ["a", "b"]
    assert pairs[0].change() == 3
    assert pairs[1].before is None and pairs[1].mean("after") == 6
    assert pairs[2].after is None and pairs[2].mean("before") == 4


def test_chart_updates_its_lines_without_new_artists():
    pairs = session_pairs([Assessment("2026-01-01T08:00:00Z", "before", _all(2), "a"),
                           Assessment("2026-01-01T08:10:00Z", "after", _all(6), "a")])
    _fig, ax = new_figure(5, 3)
    artists = draw_assessment_log(ax, [], None)
    assert artists["empty"].get_text()
    lines = len(ax.lines)
    update_assessment_log(artists, pairs, None)
    assert len(ax.lines) == lines and artists["empty"].get_text() == ""
    assert list(artists["before"].get_ydata()) == [2] and list(artists["after"].get_ydata()) == [6]
    text = describe_assessment_log(pairs, "head")
    assert "session 1: before 2.0, after 6.0" in text and "head" in text
    assert "no sessions" in describe_assessment_log([], None)


def test_widget_saves_before_and_after_to_the_store_and_charts_them(store):
    log = SelfAssessmentLog("Rebalance Sequence", store=store)
    assert "0 earlier sessions" in log.status.value
    first_png = log.picture.png
    for slider in log.sliders.values():
        slider.value = 3
    log.save_button.click()
    assert log.phase.value == "after", "after saving 'before' the log moves on to 'after'"
    # The learner reads back what was saved, region by region (the slider they moved last too).
    assert ", ".join(f"{r} 3" for r in regions()) + "." in log.status.value
    for slider in log.sliders.values():
        slider.value = 7
    log.save_button.click()
    assert "Average change: +4.0" in log.status.value
    records = store.records("self_assessment")
    assert [r["data"]["phase"] for r in records] == ["before", "after"]
    assert records[0]["data"]["session"] == records[1]["data"]["session"]
    assert log.picture.png != first_png
    assert "session 1: before 3.0, after 7.0 (Rebalance Sequence)" in log.picture.description
    log.chart_region.value = "low back"
    assert "low back" in log.picture.description
    # the next 'before' starts a new session
    log.save_button.click()
    assert len({r["data"]["session"] for r in store.records("self_assessment")}) == 2
    reopened = SelfAssessmentLog(store=store)
    assert "2 earlier sessions" in reopened.status.value


def test_save_keeps_the_ratings_the_browser_showed_at_the_press(store):
    """The browser sends the sliders' values with the press (ipywidgets may still hold back a
    slider's last value): those are saved and shown, and the kernel's sliders catch up."""
    log = SelfAssessmentLog(store=store)
    log.sliders["head"].value = 4            # the first key press reached the kernel...
    log.save_button.click({**log.ratings(), "head": 2})   # ...the last is in the press
    (record,) = store.records("self_assessment")
    assert record["data"]["ratings"]["head"] == 2
    assert "head 2, shoulders 5" in log.status.value
    assert log.sliders["head"].value == 2
    # a bad value from the page is refused by name, nothing is saved
    log.save_button.click({"head": 12})
    assert "12" in log.error_area.value and len(store.records("self_assessment")) == 1


def test_widget_reports_a_store_it_cannot_use(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    log = SelfAssessmentLog(store=open_store(blocker / "progress.json"))
    assert log.save() is None
    assert "could not be used" in log.status.value


def test_finished_routine_is_recorded_as_a_routine_session(store):
    class Clock:
        now = 0.0

        def __call__(self):
            return self.now

    clock = Clock()
    player = RoutinePlayer("Drawbridge", clock=clock, store=store, safety=SessionSafety(),
                           show_checklist=True)
    for box in player.safety.boxes.values():
        box.value = True
    player.start_button.click()
    clock.now = 10_000
    player.tick()
    (record,) = store.records("routine_session")
    assert record["data"]["routines"] == ["Drawbridge"]
    assert record["data"]["seconds"] == get("Drawbridge").total_seconds()
    assert record["data"]["completed"] is True
    assert RoutinePlayer("Drawbridge", store=None)._record_session() is None


@pytest.mark.parametrize("region", ["head", "low back"])
def test_the_first_frame_shows_the_chosen_region_not_the_stored_average(region):
    """A chart opened on one region must not show the stored first frame of the average
    (the frame key names the region): its picture is the region's chart, drawn."""
    from helpers import pixels_match

    from melt_course.figures import frames
    from melt_course.figures.selfassessment import ASSESSMENT_LOG
    from melt_course.widgets.diagram import Picture

    pairs = session_pairs([])                      # a new learner, as the lesson opens
    average = Picture(ASSESSMENT_LOG, lambda: (pairs, None))
    assert frames.load(average.frame) is not None and not average.built, \
        "the lesson's stored first frame (all regions, no sessions) is missing"
    one = Picture(ASSESSMENT_LOG, lambda: (pairs, region))
    first = one.png
    assert not pixels_match(first, average.png)[0], "the region's chart shows the average"
    ok, detail = pixels_match(first, one.live_png())
    assert ok, f"the first picture of the {region!r} chart is not that chart: {detail}"
    assert one.frame != average.frame and region.replace(" ", "-") in one.frame
