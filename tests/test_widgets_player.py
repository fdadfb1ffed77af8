"""The player and session-builder widgets, driven without a browser and with a fake clock."""

from __future__ import annotations

import re

import pytest

from melt_course import notebook as mc
from melt_course.content.routines import format_duration, get
from melt_course.models.routine_player import FINISHED, READY, RUNNING
from melt_course.widgets.player import RoutinePlayer, SessionBuilder


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _tick_all(widget: RoutinePlayer) -> None:
    for box in widget.safety.boxes.values():
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


def test_loading_a_new_routine_needs_a_fresh_checklist(clock):
    widget = RoutinePlayer("Rest Assess", clock=clock)
    _tick_all(widget)
    widget.start_button.click()
    widget.load("Drawbridge")
    assert widget.model.title == "Drawbridge" and widget.model.state == READY
    assert widget.start_button.disabled
    assert widget.safety.layout.display is None
    assert not any(box.value for box in widget.safety.boxes.values())


def test_bad_arguments_are_refused(clock):
    with pytest.raises(KeyError, match="did you mean"):
        RoutinePlayer("Rebalanse", clock=clock)
    with pytest.raises(ValueError, match="tick_ms"):
        RoutinePlayer("Rest Assess", clock=clock, tick_ms=10)


def test_text_form_is_stable_for_nbval(clock):
    one, two = RoutinePlayer("Rest Assess", clock=clock), mc.player("Drawbridge")
    assert repr(one) == repr(two) == (
        "<interactive widget, open in JupyterLab or the course app: Routine player>")
    assert "Session builder" in repr(mc.session_builder())


# --- session builder ----------------------------------------------------------------------------

def test_session_builder_adds_up_and_follows(clock):
    builder = SessionBuilder(clock=clock)
    assert builder.follow_button.disabled and "empty" in builder.listing.value
    builder.choice.value = "rest-assess"
    builder.add_button.click()
    builder.add("Mini Foot Treatment")
    builder.add("rest-reassess")
    expected = sum(get(n).total_seconds() for n in ("Rest Assess", "Mini Foot Treatment",
                                                    "Rest Reassess"))
    assert f"Total: {format_duration(expected)}" in builder.total.value
    assert builder.listing.value.count("<li>") == 3
    builder.remove_button.click()
    assert builder.listing.value.count("<li>") == 2
    builder.follow_button.click()
    player = builder.player
    assert player is not None
    assert player.model.title == "Rest Assess + Mini Soft Ball Foot Treatment"
    assert player.start_button.disabled  # the safety checklist comes first
    _tick_all(player)
    player.start_button.click()
    builder.add("Drawbridge")
    assert builder.follow() is player  # the same player takes the new session ...
    assert player.model.title.endswith("Drawbridge") and player.start_button.disabled  # fresh
    builder.clear_button.click()
    assert builder.session is None and "Total: 0 s" in builder.total.value


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
    assert "*(MELT)* [@hitzmann-psoas]" in overview
    assert "Soft Ball Foot Techniques" not in overview
    detail = repr(mc.routine_steps("Drawbridge"))
    assert "**not documented**" in detail and "No description" in detail
    steps = repr(mc.routine_steps("Mini Foot Treatment"))
    for step in get("Mini Foot Treatment").steps():
        assert step.name in steps
    checklist = repr(mc.safety_checklist())
    assert checklist.count("- [ ]") >= 3
    assert "seconds" in repr(mc.timing_note())
