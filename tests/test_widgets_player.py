"""The player and session-builder widgets, driven without a browser and with a fake clock."""

from __future__ import annotations

import re

import pytest

from melt_course import notebook as mc
from melt_course.content.routines import format_duration, get
from melt_course.models.routine_player import FINISHED, READY, RUNNING
from melt_course.records.store import open_store
from melt_course.widgets import player as player_module
from melt_course.widgets.player import RoutinePlayer, SafetyChecklistView, SessionBuilder


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _tick_all(widget: RoutinePlayer | SafetyChecklistView) -> None:
    view = widget if isinstance(widget, SafetyChecklistView) else widget.safety
    for box in view.boxes.values():
        box.value = True


def _browser_tick(widget: RoutinePlayer) -> None:
    """What the browser's hidden Play widget does: bump the counter, which syncs to the kernel."""
    widget.ticker.value += 1


def _time_shown(widget: RoutinePlayer) -> str:
    return re.search(r'class="melt-step-time"[^>]*>([0-9:]+)<', widget.card.value).group(1)


def _font_size(html: str, css_class: str) -> float:
    return float(re.search(rf'class="{css_class}"[^>]*?font-size:([0-9.]+)em', html).group(1))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(autouse=True)
def fresh_session(monkeypatch):
    """Each test is a new session: its own shared safety checklist."""
    monkeypatch.setattr(player_module, "_SESSION", {})


@pytest.fixture
def store(tmp_path):
    return open_store(tmp_path / "progress.json")


def test_start_is_disabled_until_the_safety_checklist_is_complete(clock):
    widget = RoutinePlayer("Rest Assess", clock=clock)
    assert widget.start_button.disabled
    assert "safety checklist" in widget.start_button.tooltip
    widget.start_button.click()  # even a forced click does not start
    assert widget.model.state == READY and not widget.ticker.playing
    boxes = list(widget.safety.boxes.values())
    for box in boxes[:-1]:
        box.value = True
    assert widget.start_button.disabled
    boxes[-1].value = True
    assert not widget.start_button.disabled
    assert "complete" in widget.safety.status.value


def test_start_runs_the_browser_timer_and_hides_the_checklist(clock):
    widget = RoutinePlayer("Rest Assess", clock=clock)
    _tick_all(widget)
    widget.start_button.click()
    assert widget.model.state == RUNNING
    assert widget.ticker.playing, "the browser-side ticker must run while the routine runs"
    assert widget.start_button.description == "Pause"
    assert widget.safety.layout.display == "none"
    assert widget.safety_done.layout.display is None
    widget.start_button.click()
    assert not widget.ticker.playing and widget.start_button.description == "Resume"


def test_ticks_advance_the_card_and_show_a_visible_cue(clock):
    widget = RoutinePlayer("Rest Assess", clock=clock)
    steps = get("Rest Assess").steps()
    _tick_all(widget)
    widget.start_button.click()
    first = _time_shown(widget)
    clock.now = 5.0
    _browser_tick(widget)
    assert _time_shown(widget) != first
    assert steps[0].name in widget.card.value
    clock.now = steps[0].seconds + 0.5
    _browser_tick(widget)
    assert steps[1].name in widget.card.value
    assert f"Now: step 2 of {len(steps)}" in widget.banner.value
    classes = re.findall(r"melt-cue-[ab]", widget.banner.value)
    clock.now += steps[1].seconds
    _browser_tick(widget)
    assert re.findall(r"melt-cue-[ab]", widget.banner.value) != classes  # the flash restarts
    assert widget.progress.value == pytest.approx(widget.model.progress())


def test_sound_is_off_by_default_and_beeps_when_chosen(clock):
    widget = RoutinePlayer("Rest Assess", clock=clock)
    _tick_all(widget)
    widget.start_button.click()
    widget.next_button.click()
    assert widget.audio.value == b""
    widget.sound.value = True
    widget.next_button.click()
    first = widget.audio.value
    assert first[:4] == b"RIFF" and first[8:12] == b"WAVE"
    widget.next_button.click()
    assert widget.audio.value[:4] == b"RIFF" and widget.audio.value != first


def test_finishing_stops_the_timer_and_disables_start(clock):
    widget = RoutinePlayer("Core Challenge", clock=clock)
    _tick_all(widget)
    widget.start_button.click()
    clock.now = 10_000
    _browser_tick(widget)
    assert widget.model.state == FINISHED
    assert not widget.ticker.playing
    assert widget.start_button.disabled and widget.next_button.disabled
    assert "Finished" in widget.banner.value and "Routine finished" in widget.card.value
    widget.reset_button.click()
    assert widget.model.state == READY and not widget.start_button.disabled


def test_back_and_next_buttons_move_between_steps(clock):
    widget = RoutinePlayer("Rebalance Sequence", clock=clock)
    steps = get("Rebalance Sequence").steps()
    widget.back_button.click()
    assert widget.model.index == 0
    widget.next_button.click()
    widget.next_button.click()
    assert widget.model.index == 2 and steps[2].name in widget.card.value
    widget.back_button.click()
    assert widget.model.index == 1


def test_not_documented_and_course_steps_say_so_on_the_card(clock):
    widget = RoutinePlayer("Core Challenge", clock=clock)
    assert "not documented" in widget.card.value
    assert "official MELT On Demand video" in widget.card.value
    widget = RoutinePlayer("Rebalance Sequence", clock=clock)
    course = [i for i, s in enumerate(widget.model.steps) if s.provenance == "course"]
    for _ in range(course[0]):
        widget.next_button.click()
    assert "The course's own addition" in widget.card.value


def test_projector_view_uses_large_text(clock):
    widget = RoutinePlayer("Rest Assess", clock=clock)
    normal = widget.card.value
    widget.projector.value = True
    big = widget.card.value
    assert _font_size(big, "melt-step-name") >= 2 * _font_size(normal, "melt-step-name")
    assert _font_size(big, "melt-step-time") >= 2 * _font_size(normal, "melt-step-time")
    assert get("Rest Assess").steps()[0].name in big


def test_the_checklist_is_asked_once_per_session(clock):
    widget = RoutinePlayer("Rest Assess", clock=clock)
    _tick_all(widget)
    widget.start_button.click()
    widget.load("Drawbridge")
    assert widget.model.title == "Drawbridge" and widget.model.state == READY
    assert not widget.start_button.disabled  # no second checklist for the next routine
    other = RoutinePlayer("Rebalance Sequence", clock=clock)  # another player, same session
    assert not other.start_button.disabled and other.safety.layout.display == "none"
    assert "completed" in other.safety_done.value and other.safety_done.layout.display is None


def test_lesson_checklist_above_the_players_is_the_one_working_list(clock):
    listed = mc.safety_checklist()
    boxes = list(listed.boxes.values())
    assert boxes and not any(box.disabled for box in boxes)
    first, second = RoutinePlayer("Rest Assess", clock=clock), RoutinePlayer("Drawbridge",
                                                                            clock=clock)
    for widget in (first, second):  # they point to the list instead of showing a copy
        assert widget.safety is None and "safety checklist above" in widget.safety_pointer.value
        assert widget.start_button.disabled
    for box in boxes[:-1]:
        box.value = True
    assert first.start_button.disabled and "1 statement still" in first.safety_pointer.value
    boxes[-1].value = True
    assert not first.start_button.disabled and not second.start_button.disabled
    assert first.safety_pointer.value == "" and "complete" in listed.status.value
    boxes[0].value = False  # unticking before anyone started blocks again
    assert first.start_button.disabled


def test_views_of_the_session_checklist_stay_in_step(clock):
    widget = RoutinePlayer("Rest Assess", clock=clock)
    listed = SafetyChecklistView(widget.shared_safety)
    first = next(iter(listed.boxes))
    listed.boxes[first].value = True
    assert widget.safety.boxes[first].value is True
    widget.safety.boxes[first].value = False
    assert listed.boxes[first].value is False


def test_skipping_through_records_real_seconds_and_skipped_steps(clock, store):
    widget = RoutinePlayer("Rebalance Sequence", clock=clock, store=store)
    _tick_all(widget)
    widget.start_button.click()
    steps = len(widget.model.steps)
    for _ in range(steps):  # Next through the whole routine in a few seconds
        clock.now += 6.0 / steps
        widget.next_button.click()
    assert widget.model.state == FINISHED
    [record] = store.records("routine_session")
    data = record["data"]
    assert data["seconds"] == pytest.approx(6.0, abs=0.2)
    assert data["completed"] is False and data["steps_completed"] == 0
    assert data["steps_total"] == steps == len(data["steps"])
    assert {s["outcome"] for s in data["steps"]} == {"skipped"}
    assert sum(s["seconds"] for s in data["steps"]) == pytest.approx(6.0, abs=0.2)
    assert "skipped" in widget.banner.value


def test_following_a_routine_records_its_time_and_followed_steps(clock, store):
    widget = RoutinePlayer("Rest Assess", clock=clock, store=store)
    _tick_all(widget)
    widget.start_button.click()
    clock.now += 30.0
    widget.start_button.click()  # pause: the next 100 s do not count
    clock.now += 100.0
    widget.start_button.click()
    total = widget.model.total_seconds
    clock.now += total
    _browser_tick(widget)
    assert widget.model.state == FINISHED
    [record] = store.records("routine_session")
    data = record["data"]
    assert data["seconds"] == pytest.approx(total, abs=0.2)
    assert data["completed"] is True and data["steps_completed"] == data["steps_total"]
    planned = [s.seconds for s in get("Rest Assess").steps()]
    assert [s["seconds"] for s in data["steps"]] == pytest.approx(planned, abs=0.2)
    widget.back_button.click()
    widget.next_button.click()  # finishing again does not record the routine twice
    assert len(store.records("routine_session")) == 1


def test_starting_over_records_the_unfinished_part(clock, store):
    widget = RoutinePlayer("Rest Assess", clock=clock, store=store)
    widget.reset_button.click()  # nothing done yet: nothing recorded
    assert store.records("routine_session") == []
    _tick_all(widget)
    widget.start_button.click()
    first = widget.model.steps[0].seconds
    clock.now += first + 2.0  # the first step ran out, 2 s into the second
    _browser_tick(widget)
    widget.reset_button.click()
    [record] = store.records("routine_session")
    data = record["data"]
    assert data["seconds"] == pytest.approx(first + 2.0)
    assert data["completed"] is False and data["steps_completed"] == 1
    assert [s["outcome"] for s in data["steps"][:3]] == ["followed", "skipped", "not reached"]


def test_the_card_says_which_routine_of_the_session_you_are_in(clock):
    builder = SessionBuilder(["Rest Assess", "Mini Foot Treatment", "Rest Reassess"],
                             clock=clock)
    widget = builder.follow()
    first = len(get("Rest Assess").steps())
    assert "Rest Assess (routine 1 of 3, step 1 of" in widget.card.value
    for _ in range(first - 1):
        widget.next_button.click()
    assert "the start of Mini Soft Ball Foot Treatment" in widget.card.value
    widget.next_button.click()
    assert "Mini Soft Ball Foot Treatment (routine 2 of 3, step 1 of" in widget.card.value
    assert "start of Mini Soft Ball Foot Treatment, routine 2 of 3" in widget.banner.value


def test_bad_arguments_are_refused(clock):
    with pytest.raises(KeyError, match="did you mean"):
        RoutinePlayer("Rebalanse", clock=clock)
    with pytest.raises(ValueError, match="tick_ms"):
        RoutinePlayer("Rest Assess", clock=clock, tick_ms=10)


def test_text_form_is_stable_for_nbval(clock):
    one, two = RoutinePlayer("Rest Assess", clock=clock), mc.player("Drawbridge")
    assert repr(one) == repr(two) == (
        "<interactive widget: run the cells to see it (Run → Run All Cells): Routine player>")
    assert "Session builder" in repr(mc.session_builder())


# --- session builder ----------------------------------------------------------------------------

def _names(builder: SessionBuilder) -> list[str]:
    return [re.search(r"<b>(.*?)</b>", row.children[0].value).group(1)
            for row in builder.listing.children]


def test_session_builder_adds_up_and_follows(clock):
    builder = SessionBuilder(clock=clock)
    assert builder.follow_button.disabled and "empty" in builder.empty.value
    builder.choice.value = "rest-assess"
    builder.add_button.click()
    builder.add("Mini Foot Treatment")
    builder.add("rest-reassess")
    expected = sum(get(n).total_seconds() for n in ("Rest Assess", "Mini Foot Treatment",
                                                    "Rest Reassess"))
    assert f"Total: {format_duration(expected)}" in builder.total.value
    assert len(builder.listing.children) == 3
    builder.follow_button.click()
    player = builder.player
    assert player is not None
    assert player.model.title == "Rest Assess + Mini Soft Ball Foot Treatment + Rest Reassess"
    assert player.start_button.disabled  # the safety checklist comes first
    _tick_all(player)
    player.start_button.click()
    builder.add("Drawbridge")
    assert builder.follow() is player  # the same player takes the new session ...
    assert player.model.title.endswith("Drawbridge")
    assert not player.start_button.disabled  # ... and does not ask for the checklist again
    builder.clear_button.click()
    assert builder.session is None and "Total: 0 s" in builder.total.value


def test_session_builder_reorders_and_removes_with_buttons(clock):
    builder = SessionBuilder(["Rest Assess", "Mini Foot Treatment", "Rest Reassess"],
                             clock=clock)
    builder.add("Rebalance Sequence")  # lands last, after the reassess ...
    rows = builder.listing.children
    up = rows[3].children[1]
    assert up.description == "Up" and rows[0].children[1].disabled  # the first cannot go up
    assert rows[3].children[2].disabled  # the last cannot go down
    up.click()  # ... and moves up before it
    assert _names(builder) == ["Rest Assess", "Mini Soft Ball Foot Treatment",
                               "Rebalance Sequence", "Rest Reassess"]
    assert "Moved Rebalance Sequence to position 3 of 4" in builder.announce.value
    assert 'aria-live="polite"' in builder.announce.value
    builder.listing.children[0].children[2].click()  # Rest Assess down
    assert _names(builder)[:2] == ["Mini Soft Ball Foot Treatment", "Rest Assess"]
    builder.listing.children[0].children[3].click()  # remove the foot treatment
    assert _names(builder) == ["Rest Assess", "Rebalance Sequence", "Rest Reassess"]
    assert "Removed Mini Soft Ball Foot Treatment" in builder.announce.value
    assert builder.follow().model.title == "Rest Assess + Rebalance Sequence + Rest Reassess"
    with pytest.raises(IndexError, match="cannot move routine 1 by -1"):
        builder.move(0, -1)
    with pytest.raises(IndexError, match="no routine 9"):
        builder.remove(8)


def test_session_builder_buttons_are_labelled_and_not_cut_off(clock):
    builder = SessionBuilder(["Rest Assess"], clock=clock)
    row = builder.listing.children[0]
    for button in row.children[1:]:
        assert button.description and button.tooltip and "Rest Assess" in button.tooltip
    for button in (builder.follow_button, builder.add_button, builder.clear_button):
        assert button.layout.width == "auto", f"{button.description!r} has a fixed width"
    player = builder.follow()
    for button in (player.reset_button, player.start_button, player.projector):
        assert button.layout.width == "auto", f"{button.description!r} has a fixed width"


def test_session_builder_offers_only_standalone_routines(clock):
    builder = SessionBuilder(clock=clock)
    offered = {value for _label, value in builder.choice.options}
    assert "rebalance" in offered and "foot-techniques" not in offered
    with pytest.raises(KeyError, match="did you mean"):
        builder.add("Drawbrige")


# --- text blocks ------------------------------------------------------------------------------

def test_routine_text_blocks_carry_labels_and_provenance():
    overview = repr(mc.routine_overview())
    for name in ("Rebalance Sequence", "Mini Soft Ball Foot Treatment", "Full Body Express Map"):
        assert name in overview
    assert "*(MELT)* ([Hitzmann 2018a](#ref-hitzmann-psoas))" in overview and "[@" not in overview
    assert "Soft Ball Foot Techniques" not in overview
    detail = repr(mc.routine_steps("Drawbridge"))
    assert "**not documented**" in detail and "No description" in detail
    steps = repr(mc.routine_steps("Mini Foot Treatment"))
    for step in get("Mini Foot Treatment").steps():
        assert step.name in steps
    checklist = mc.safety_checklist()
    assert len(checklist.boxes) >= 3 and not any(b.disabled for b in checklist.boxes.values())
    assert "seconds" in repr(mc.timing_note())


def test_projector_keys_move_pause_and_leave_and_each_change_is_announced(clock):
    widget = RoutinePlayer("rebalance", clock=clock)
    keys = widget.shortcuts
    widget.shortcuts.pressed = "space 1"  # before the checklist: nothing starts, and it says why
    assert widget.model.state == READY and "safety checklist" in keys.announce
    _tick_all(widget)
    widget.fullscreen.value = True
    assert "melt-projector" in widget._dom_classes and keys.projector
    assert "Projector mode on" in keys.announce
    keys.pressed = "space 2"
    assert widget.model.state == RUNNING and keys.announce.startswith("Running. Step 1 of")
    keys.pressed = "next 3"
    second = widget.model.steps[1].name
    assert widget.model.index == 1 and f"Step 2 of {len(widget.model.steps)}: {second}" \
        in keys.announce
    keys.pressed = "back 4"
    assert widget.model.index == 0
    keys.pressed = "space 5"
    assert widget.model.state != RUNNING and keys.announce.startswith("Paused. Step 1")
    keys.pressed = "escape 6"
    assert not widget.fullscreen.value and "melt-projector" not in widget._dom_classes
    assert keys.announce == "Projector mode off." and not keys.projector
    keys.pressed = "jump 7"  # an unknown key is an error shown in the widget, not a crash
    assert "jump" in widget.error_area.value
