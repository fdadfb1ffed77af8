"""The routine player's state machine: steps, a timer, start/pause/next/back. No widgets.

:class:`Player` follows a list of steps (a routine's or a session's) against a clock. The clock is
injectable: the widget passes :func:`time.monotonic`, tests pass a fake clock they move by hand.
Nothing here loops or sleeps: :meth:`Player.tick` is called now and then (the widget calls it
from a browser-driven timer) and advances past every step whose time has run out, so a late or
missed tick never loses time.

States: ``"ready"`` (not started), ``"running"``, ``"paused"``, ``"finished"``.

The player also keeps what really happened, for the learner's progress record
(:meth:`Player.step_log`, :meth:`Player.seconds_spent`): the seconds the timer actually ran in
each step (paused time does not count), and whether each step was *followed* (its timer ran
out, or the learner moved on with Next after at least :data:`FOLLOWED_FRACTION` of its time),
*skipped* (left with Next sooner) or *not reached*. Pressing Next through a routine in a few
seconds therefore records a few seconds and skipped steps, never the routine's nominal length.

A player made from a :class:`~melt_course.content.routines.Session` (or a routine that includes
others) knows its *parts* (:attr:`Player.parts`, :meth:`Player.part_of`), so a step card can
say which routine of the session the current step belongs to.

The module also makes the short tone used as the optional audible cue (:func:`cue_tone`), as WAV
bytes from the standard library.
"""

from __future__ import annotations

import io
import math
import struct
import time
import wave
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from melt_course.content.routines import Routine, Session, Step
from melt_course.content.safety import Checklist

__all__ = ["FINISHED", "FOLLOWED", "FOLLOWED_FRACTION", "NOT_REACHED", "PAUSED", "READY",
           "RUNNING", "SKIPPED", "Event", "Part", "Player", "SafetyChecklistError", "cue_tone"]

READY, RUNNING, PAUSED, FINISHED = "ready", "running", "paused", "finished"

#: What happened to a step, as the progress record says it.
FOLLOWED, SKIPPED, NOT_REACHED = "followed", "skipped", "not reached"

#: A step left with Next counts as followed when the timer ran for at least this fraction of
#: its length (the learner may move on when ready; the course's convention, not MELT's).
FOLLOWED_FRACTION = 0.5


class SafetyChecklistError(RuntimeError):
    """Raised by :meth:`Player.start` while the session's safety checklist is not complete."""


@dataclass(frozen=True)
class Event:
    """Something that happened in the player: ``kind`` is ``"started"``, ``"paused"``,
    ``"step"`` (a new current step, ``index``) or ``"finished"``."""

    kind: str
    index: int


@dataclass(frozen=True)
class Part:
    """A run of steps that belong to one routine of a session: ``steps[start:stop]``."""

    name: str
    start: int
    stop: int


def _parts(target: Sequence[Step] | Routine | Session, count: int) -> tuple[Part, ...]:
    """The routines a list of steps is made of: a session's routines, or a routine's
    includes (with the routine's own steps between them as parts named after the routine)."""
    if isinstance(target, Session):
        sizes = [(routine.name, len(routine.steps())) for routine in target.routines]
    elif isinstance(target, Routine) and target.includes():
        sizes = []
        for entry in target.entries:  # each entry alone, expanded as the routine expands it
            size = len(replace(target, entries=(entry,)).steps())
            name = target.name if isinstance(entry, Step) else target._library[entry.routine].name
            if sizes and isinstance(entry, Step) and sizes[-1][0] == name:
                sizes[-1] = (name, sizes[-1][1] + size)
            else:
                sizes.append((name, size))
    else:
        sizes = [(target.name if isinstance(target, Routine) else "", count)]
    parts, start = [], 0
    for name, size in sizes:
        parts.append(Part(name, start, start + size))
        start += size
    if start != count:  # cannot happen for data the loader accepted; never mislabel a step
        return (Part(getattr(target, "name", ""), 0, count),)
    return tuple(parts)


class Player:
    """Follow a list of steps with a timer.

    Parameters
    ----------
    steps : sequence of Step, or a Routine or Session
        What to follow.
    clock : callable, optional
        Returns the current time in seconds; default :func:`time.monotonic`.
    checklist : Checklist, optional
        A safety checklist that must be complete before the first start.

    Raises
    ------
    ValueError
        When there are no steps.
    """

    def __init__(self, steps: Sequence[Step] | Routine | Session,
                 clock: Callable[[], float] = time.monotonic,
                 checklist: Checklist | None = None) -> None:
        target = steps
        if isinstance(steps, Routine | Session):
            self.title = steps.name
            steps = steps.steps()
        else:
            self.title = ""
        self.steps: tuple[Step, ...] = tuple(steps)
        if not self.steps:
            raise ValueError("a player needs at least one step, got none")
        #: The routines the steps come from, in order (one part for a plain routine).
        self.parts: tuple[Part, ...] = _parts(target, len(self.steps))
        #: What a part is called on a card: a session's "routine", a routine's "part".
        self.part_word = "routine" if isinstance(target, Session) else "part"
        self._clock = clock
        self.checklist = checklist
        self._starts = [0.0]
        for step in self.steps:
            self._starts.append(self._starts[-1] + step.seconds)
        self.state = READY
        self.index = 0
        self._elapsed = 0.0        # time spent in the current step up to self._since
        self._since: float | None = None  # clock reading when running time was last counted
        self._spent = [0.0] * len(self.steps)  # seconds the timer really ran, per step
        self._outcome: list[str] = [NOT_REACHED] * len(self.steps)

    # --- reading the state ---------------------------------------------------------------
    @property
    def current(self) -> Step:
        """The current step."""
        return self.steps[self.index]

    @property
    def upcoming(self) -> Step | None:
        """The step after the current one, or None at the last step."""
        return self.steps[self.index + 1] if self.index + 1 < len(self.steps) else None

    @property
    def total_seconds(self) -> float:
        """The length of all steps together."""
        return self._starts[-1]

    def elapsed_in_step(self) -> float:
        """Seconds spent in the current step (clamped to its length)."""
        if self.state == FINISHED:
            return self.current.seconds
        running = self._clock() - self._since if self._since is not None else 0.0
        return min(self._elapsed + running, self.current.seconds)

    def remaining(self) -> float:
        """Seconds left in the current step."""
        return self.current.seconds - self.elapsed_in_step()

    def elapsed_total(self) -> float:
        """Seconds of the whole list done so far (steps skipped with next count as done)."""
        return self._starts[self.index] + self.elapsed_in_step()

    def progress(self) -> float:
        """Fraction of the whole list done, 0 to 1."""
        return self.elapsed_total() / self.total_seconds

    def part_of(self, index: int | None = None) -> tuple[int, Part]:
        """The part (routine of the session) a step belongs to, and its number from 0.

        Parameters
        ----------
        index : int, optional
            A step's index; default the current step.
        """
        index = self.index if index is None else index
        for number, part in enumerate(self.parts):
            if part.start <= index < part.stop:
                return number, part
        raise IndexError(f"step index {index!r} is outside 0 to {len(self.steps) - 1}")

    def seconds_spent(self) -> float:
        """Seconds the timer has really run so far, over every step (pauses not counted)."""
        running = self._clock() - self._since if self._since is not None else 0.0
        return sum(self._spent) + max(running, 0.0)

    def step_log(self) -> list[dict]:
        """What happened to each step: name, routine, side, planned and spent seconds, outcome.

        ``outcome`` is :data:`FOLLOWED`, :data:`SKIPPED` or :data:`NOT_REACHED` (see the module
        notes); ``seconds`` is the time the timer really ran in the step, rounded to 0.01 s.
        """
        self._fold()
        return [{"name": step.name, "routine": self.part_of(number)[1].name or step.routine,
                 "side": step.side, "planned_seconds": round(step.seconds, 1),
                 "seconds": round(self._spent[number], 2), "outcome": self._outcome_of(number)}
                for number, step in enumerate(self.steps)]

    @property
    def all_followed(self) -> bool:
        """True when every step was followed (the routine was done, not skipped through)."""
        self._fold()
        return all(self._outcome_of(i) == FOLLOWED for i in range(len(self.steps)))

    def _outcome_of(self, index: int) -> str:
        """A step's outcome; one not yet left with Next or the timer (the current step, or one
        left with Back) is judged by the time spent in it, like Next judges it."""
        outcome = self._outcome[index]
        if outcome == NOT_REACHED and self._spent[index] > 0:
            enough = self._spent[index] >= FOLLOWED_FRACTION * self.steps[index].seconds
            return FOLLOWED if enough else SKIPPED
        return outcome

    # --- changing the state --------------------------------------------------------------
    def start(self) -> list[Event]:
        """Start (or resume) the timer.

        Raises
        ------
        SafetyChecklistError
            While the safety checklist has unticked items.
        """
        if self.state == RUNNING:
            return []
        if self.state == FINISHED:
            raise ValueError("the routine is finished; call reset() to start it again")
        if self.checklist is not None and not self.checklist.complete:
            raise SafetyChecklistError(
                "complete the safety checklist first: " + self.checklist.status())
        self.state = RUNNING
        self._since = self._clock()
        return [Event("started", self.index)]

    def pause(self) -> list[Event]:
        """Pause the timer (no effect unless running)."""
        if self.state != RUNNING:
            return []
        events = self.tick()
        if self.state != RUNNING:  # the tick finished the routine
            return events
        self._fold()
        self._since = None
        self.state = PAUSED
        return [*events, Event("paused", self.index)]

    def toggle(self) -> list[Event]:
        """Start when not running, pause when running."""
        return self.pause() if self.state == RUNNING else self.start()

    def next(self) -> list[Event]:
        """Skip to the next step; at the last step, finish. No effect when finished."""
        if self.state == FINISHED:
            return []
        self._fold()
        self._judge(self.index)
        if self.index + 1 == len(self.steps):
            return self._finish()
        return self._go(self.index + 1)

    def back(self) -> list[Event]:
        """Go back one step; at the first step, restart it. When finished, go back to the last
        step, paused."""
        if self.state == FINISHED:
            self.state = PAUSED
            return self._go(len(self.steps) - 1)
        return self._go(max(self.index - 1, 0))

    def reset(self) -> list[Event]:
        """Back to the first step, not started (the safety checklist stays as it is)."""
        self.state = READY
        self._since = None
        self._spent = [0.0] * len(self.steps)
        self._outcome = [NOT_REACHED] * len(self.steps)
        return self._go(0)

    def tick(self) -> list[Event]:
        """Count the time passed since the last call; move past every step that ran out.

        Returns
        -------
        list of Event
            A ``"step"`` event per step entered, and ``"finished"`` after the last one.
        """
        if self.state != RUNNING:
            return []
        self._fold()
        events = []
        while self._elapsed >= self.current.seconds:
            overflow = self._elapsed - self.current.seconds
            self._spent[self.index] -= overflow  # the time past the end belongs to what follows
            self._outcome[self.index] = FOLLOWED
            if self.index + 1 == len(self.steps):
                return [*events, *self._finish()]
            self._elapsed = overflow
            self.index += 1
            self._spent[self.index] += overflow
            events.append(Event("step", self.index))
        return events

    # --- helpers -------------------------------------------------------------------------
    def _fold(self) -> None:
        """Add the running time since ``_since`` to ``_elapsed``."""
        if self._since is not None:
            now = self._clock()
            passed = max(now - self._since, 0.0)
            self._elapsed += passed
            self._spent[self.index] += passed
            self._since = now

    def _judge(self, index: int) -> None:
        """Mark a step left with Next: followed when enough of its time was spent."""
        if self._outcome[index] != FOLLOWED:
            enough = self._spent[index] >= FOLLOWED_FRACTION * self.steps[index].seconds
            self._outcome[index] = FOLLOWED if enough else SKIPPED

    def _go(self, index: int) -> list[Event]:
        self._fold()
        self.index = index
        self._elapsed = 0.0
        self._since = self._clock() if self.state == RUNNING else None
        return [Event("step", index)]

    def _finish(self) -> list[Event]:
        self._fold()
        self.index = len(self.steps) - 1
        self.state = FINISHED
        self._elapsed = self.current.seconds
        self._since = None
        return [Event("finished", self.index)]


def cue_tone(frequency: float = 880.0, seconds: float = 0.25, rate: int = 22050,
             volume: float = 0.4) -> bytes:
    """A short sine tone as WAV bytes, with soft edges (no click), for the audible step cue.

    Parameters
    ----------
    frequency : float
        Pitch in Hz, 50 to 5000.
    seconds : float
        Length, 0.05 to 2.
    rate : int
        Samples per second, 8000 to 48000.
    volume : float
        Peak amplitude, 0 to 1.
    """
    checks = [("frequency", frequency, 50, 5000), ("seconds", seconds, 0.05, 2),
              ("rate", rate, 8000, 48000), ("volume", volume, 0, 1)]
    for name, value, low, high in checks:
        if not low <= value <= high:
            raise ValueError(f"{name}={value!r} is outside {low} to {high}")
    count = int(seconds * rate)
    edge = max(1, int(0.02 * rate))
    frames = bytearray()
    for i in range(count):
        envelope = min(1.0, i / edge, (count - 1 - i) / edge)
        sample = volume * envelope * math.sin(2 * math.pi * frequency * i / rate)
        frames += struct.pack("<h", int(sample * 32767))
    buf = io.BytesIO()
    with wave.open(buf, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(frames))
    return buf.getvalue()
