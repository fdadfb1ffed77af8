"""The routine player's state machine, driven by a fake clock; the safety checklist; the tone."""

from __future__ import annotations

import io
import wave

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from melt_course.content.routines import Dose, Idea, Step, get
from melt_course.content.safety import Checklist, load_safety_screen
from melt_course.models.routine_player import (
    FINISHED,
    PAUSED,
    READY,
    RUNNING,
    Event,
    Player,
    SafetyChecklistError,
    cue_tone,
)


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def _steps(*seconds: float) -> list[Step]:
    idea = Idea("psoas", "A test idea.", "anatomy", ("gray1918",))
    return [Step(name=f"step {i}", side="both", dose=Dose(seconds=s), idea=idea,
                 provenance="course", cue="Do it.", note="test") for i, s in enumerate(seconds)]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def test_start_runs_the_clock_and_pause_freezes_it(clock):
    player = Player(_steps(30, 20), clock=clock)
    assert player.state == READY and player.remaining() == 30
    clock.advance(50)  # time passing before the start does not count
    assert player.remaining() == 30
    assert player.start() == [Event("started", 0)]
    clock.advance(12)
    assert player.state == RUNNING and player.remaining() == 18
    assert player.pause() == [Event("paused", 0)]
    clock.advance(100)
    assert player.state == PAUSED and player.remaining() == 18
    player.start()
    clock.advance(3)
    assert player.remaining() == 15
    assert player.elapsed_total() == 15 and player.progress() == 15 / 50


def test_timer_expiry_advances_to_the_next_step_carrying_the_overflow(clock):
    player = Player(_steps(10, 20, 30), clock=clock)
    player.start()
    clock.advance(9.5)
    assert player.tick() == [] and player.index == 0
    clock.advance(1)
    assert player.tick() == [Event("step", 1)]
    assert player.index == 1 and player.remaining() == pytest.approx(19.5)
    clock.advance(60)  # a long gap between ticks (a throttled browser tab) loses no time
    events = player.tick()
    assert events == [Event("step", 2), Event("finished", 2)]
    assert player.state == FINISHED and player.progress() == 1


def test_next_at_the_end_finishes_and_then_does_nothing(clock):
    player = Player(_steps(10, 10), clock=clock)
    player.start()
    assert player.next() == [Event("step", 1)]
    assert player.state == RUNNING and player.remaining() == 10
    assert player.next() == [Event("finished", 1)]
    assert player.state == FINISHED
    assert player.next() == []
    assert player.tick() == [] and player.state == FINISHED
    with pytest.raises(ValueError, match="reset"):
        player.start()


def test_back_at_the_start_restarts_the_first_step(clock):
    player = Player(_steps(10, 10), clock=clock)
    player.start()
    clock.advance(6)
    assert player.back() == [Event("step", 0)]
    assert player.index == 0 and player.state == RUNNING and player.remaining() == 10
    clock.advance(4)
    assert player.remaining() == 6


def test_back_goes_to_the_previous_step_and_from_finished_to_the_last(clock):
    player = Player(_steps(10, 10, 10), clock=clock)
    player.next()
    player.next()
    assert player.back() == [Event("step", 1)] and player.state == READY
    player.next()
    player.next()
    assert player.state == FINISHED
    player.back()
    assert player.state == PAUSED and player.index == 2 and player.remaining() == 10


def test_next_while_paused_stays_paused_and_reset_goes_back_to_ready(clock):
    player = Player(_steps(10, 10), clock=clock)
    player.start()
    clock.advance(4)
    player.pause()
    player.next()
    clock.advance(5)
    assert player.state == PAUSED and player.index == 1 and player.remaining() == 10
    assert player.reset() == [Event("step", 0)]
    assert player.state == READY and player.elapsed_total() == 0


def test_pause_after_the_time_ran_out_finishes_instead(clock):
    player = Player(_steps(5), clock=clock)
    player.start()
    clock.advance(8)
    assert player.pause() == [Event("finished", 0)]
    assert player.state == FINISHED


def test_toggle_starts_and_pauses(clock):
    player = Player(_steps(5), clock=clock)
    player.toggle()
    assert player.state == RUNNING
    player.toggle()
    assert player.state == PAUSED


def test_player_follows_a_routine(clock):
    rebalance = get("Rebalance Sequence")
    player = Player(rebalance, clock=clock)
    assert player.title == "Rebalance Sequence"
    assert player.total_seconds == pytest.approx(rebalance.total_seconds())
    player.start()
    clock.advance(rebalance.steps()[0].seconds)
    player.tick()
    assert player.current.name == rebalance.steps()[1].name


def test_empty_player_is_refused():
    with pytest.raises(ValueError, match="at least one step"):
        Player([])


@settings(max_examples=60, deadline=None)
@given(durations=st.lists(st.integers(1, 120), min_size=1, max_size=12),
       gaps=st.lists(st.floats(0, 90, allow_nan=False), min_size=1, max_size=40))
def test_ticks_never_lose_or_invent_time(durations, gaps):
    clock = FakeClock()
    player = Player(_steps(*durations), clock=clock)
    player.start()
    spent = 0.0
    last_index = 0
    for gap in gaps:
        clock.advance(gap)
        spent += gap
        player.tick()
        assert player.index >= last_index
        last_index = player.index
        if player.state == FINISHED:
            assert spent >= sum(durations) - 1e-6
            break
        assert player.elapsed_total() == pytest.approx(spent)
        assert 0 < player.remaining() <= durations[player.index]


# --- safety gating ------------------------------------------------------------------------------

def test_start_is_refused_until_the_checklist_is_complete(clock):
    checklist = Checklist()
    player = Player(_steps(10), clock=clock, checklist=checklist)
    with pytest.raises(SafetyChecklistError, match="not yet ticked"):
        player.start()
    assert player.state == READY
    ids = checklist.ids
    for item_id in ids[:-1]:
        checklist.tick(item_id)
    with pytest.raises(SafetyChecklistError, match=repr(ids[-1])):
        player.start()
    checklist.tick(ids[-1])
    assert checklist.complete
    player.start()
    assert player.state == RUNNING


def test_checklist_ticks_unticks_and_refuses_unknown_items():
    checklist = Checklist()
    first = checklist.ids[0]
    checklist.tick(first)
    assert checklist.is_ticked(first) and first not in checklist.missing()
    checklist.tick(first, False)
    assert not checklist.is_ticked(first)
    with pytest.raises(KeyError, match="unknown checklist item 'nope'"):
        checklist.tick("nope")
    for item_id in checklist.ids:
        checklist.tick(item_id)
    checklist.reset()
    assert checklist.missing() == list(checklist.ids)


def test_safety_screen_is_the_courses_own_and_covers_the_documented_cautions():
    screen = load_safety_screen()
    assert "course's own" in screen.intro and "not part of MELT" in screen.intro
    text = " ".join(item.text for item in screen.items).lower()
    for caution in ("surgery", "pregnan", "osteoporosis", "clotting", "numbness", "tolerable",
                    "not medical care"):
        assert caution in text, caution


# --- the audible cue ----------------------------------------------------------------------------

def test_cue_tone_is_a_short_valid_wav():
    data = cue_tone(660.0, 0.3, rate=16000)
    with wave.open(io.BytesIO(data)) as wav:
        assert wav.getnchannels() == 1 and wav.getframerate() == 16000
        assert wav.getnframes() == int(0.3 * 16000)
        frames = wav.readframes(wav.getnframes())
    assert frames[:2] == b"\x00\x00"  # soft start, no click
    assert max(frames) > 0


@pytest.mark.parametrize("kwargs", [{"frequency": 10}, {"seconds": 5}, {"rate": 100},
                                    {"volume": 1.5}])
def test_cue_tone_rejects_bad_values(kwargs):
    name = next(iter(kwargs))
    with pytest.raises(ValueError, match=name):
        cue_tone(**kwargs)


# --- what really happened: time spent and each step's outcome --------------------------------

def test_time_spent_counts_only_running_time_and_judges_each_step(clock):
    player = Player(_steps(10, 10, 10, 10), clock=clock)
    player.start()
    clock.advance(10.5)  # step 0 runs out; 0.5 s of step 1
    player.tick()
    clock.advance(5.0)
    player.pause()
    clock.advance(1000)  # paused: not counted
    player.start()
    player.next()  # step 1 left after 5.5 of 10 s: followed (at least half)
    clock.advance(1.0)
    player.next()  # step 2 left after 1 s: skipped
    log = player.step_log()
    assert [e["outcome"] for e in log] == ["followed", "followed", "skipped", "not reached"]
    assert [e["seconds"] for e in log] == pytest.approx([10.0, 5.5, 1.0, 0.0])
    assert player.seconds_spent() == pytest.approx(16.5)
    assert not player.all_followed
    player.reset()
    assert player.seconds_spent() == 0 and {e["outcome"] for e in player.step_log()} == {
        "not reached"}


def test_a_session_knows_which_routine_each_step_belongs_to():
    from melt_course.content.routines import session

    built = session(get("Rest Assess"), get("Mini Foot Treatment"))
    player = Player(built)
    assert [p.name for p in player.parts] == ["Rest Assess", "Mini Soft Ball Foot Treatment"]
    first = len(get("Rest Assess").steps())
    assert player.part_of(first - 1)[0] == 0 and player.part_of(first)[0] == 1
    assert player.parts[-1].stop == len(player.steps)
    whole_map = Player(get("Full Body Express Map"))
    assert len(whole_map.parts) > 1 and whole_map.parts[-1].stop == len(whole_map.steps)
    assert all(a.stop == b.start for a, b in zip(whole_map.parts, whole_map.parts[1:], strict=False))
