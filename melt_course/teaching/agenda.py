"""Workshop agendas built from the course map and the routine data, timed to fit a slot.

An agenda for a slot of *S* minutes is, in order:

1. **Arrival** (:data:`ARRIVAL_MINUTES`): people sit down and open the app.
2. **The lessons** of the course map, in course order. Each gets a share of the teaching time
   in proportion to its self-study minutes (``course.json``), but at least
   :data:`MIN_LESSON_MINUTES`; whole minutes by largest remainders.
3. **Routine practice**, right after the first lesson whose objectives mention a routine (or
   at the end when none does): :data:`PRACTICE_SETUP_MINUTES` for the safety screen and
   equipment, then each routine at its real length from the routine data
   (``Routine.total_seconds()``, rounded up to the minute) plus
   :data:`TRANSITION_MINUTES` to get up and settle. Routine time is never compressed: a
   routine's timer runs as long as it runs. The practice counts towards that lesson: its
   weight in step 2 is its self-study minutes less the practice minutes.
4. A **break** (slots of :data:`BREAK_FROM_MINUTES` or more), at the lesson boundary nearest
   the middle of the slot.
5. **Closing** (:data:`CLOSING_MINUTES`): questions, and learners export their progress for
   the class report.

The blocks always add up to the slot exactly; a slot too short for the fixed blocks plus
:data:`MIN_LESSON_MINUTES` per lesson is refused. All constants are the course's own
conventions for running a room, not numbers from a study.

Pure Python: no plotting, no widgets.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from melt_course.content.course import Lesson, load_course

__all__ = ["ARRIVAL_MINUTES", "BREAK_FROM_MINUTES", "BREAK_MINUTES", "CLOSING_MINUTES",
           "DEFAULT_ROUTINES", "MIN_LESSON_MINUTES", "PRACTICE_SETUP_MINUTES",
           "TRANSITION_MINUTES", "Agenda", "Block", "build_agenda", "share_minutes"]

#: Minutes to sit down, connect to the app and open the first lesson.
ARRIVAL_MINUTES = 3
#: Minutes at the end for questions and for learners to export their progress.
CLOSING_MINUTES = 5
#: The shortest time a lesson gets in a workshop.
MIN_LESSON_MINUTES = 4
#: Minutes for the safety screen and getting rollers and balls out, once per practice block.
PRACTICE_SETUP_MINUTES = 3
#: Minutes per routine to get into position and settle afterwards.
TRANSITION_MINUTES = 1
#: Slots this long or longer get a break.
BREAK_FROM_MINUTES = 75
#: Length of the break.
BREAK_MINUTES = 5

#: Routines practised by default, by slot length: the longest slot not above the workshop's.
DEFAULT_ROUTINES = {0: ("Rebalance Sequence",),
                    BREAK_FROM_MINUTES: ("Rebalance Sequence", "Low Back Release Sequence")}


@dataclass(frozen=True)
class Block:
    """One block of an agenda.

    Attributes
    ----------
    kind : str
        ``"arrival"``, ``"lesson"``, ``"practice"``, ``"break"`` or ``"closing"``.
    title : str
        What it is called on the agenda.
    minutes : int
        Its length.
    start : int
        Minutes from the start of the workshop.
    detail : str
        How the length was worked out.
    lesson : str or None
        The lesson id, for lesson blocks.
    routines : tuple of str
        The routines practised, for practice blocks.
    """

    kind: str
    title: str
    minutes: int
    start: int
    detail: str
    lesson: str | None = None
    routines: tuple[str, ...] = ()

    @property
    def end(self) -> int:
        """Minutes from the start of the workshop to the end of this block."""
        return self.start + self.minutes


@dataclass(frozen=True)
class Agenda:
    """A timed workshop plan; :attr:`blocks` add up to :attr:`slot` minutes."""

    slot: int
    blocks: tuple[Block, ...]
    notes: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        """The sum of the blocks' minutes (equal to :attr:`slot`)."""
        return sum(block.minutes for block in self.blocks)

    def lesson_minutes(self) -> dict[str, int]:
        """Workshop minutes per lesson id."""
        return {b.lesson: b.minutes for b in self.blocks if b.kind == "lesson"}


def share_minutes(weights: Sequence[float], total: int, minimum: int) -> list[int]:
    """Split ``total`` whole minutes in proportion to ``weights``, each at least ``minimum``.

    The proportional shares are raised to ``minimum`` where they fall below it (the rest is
    shared again among the others), then rounded to whole minutes by largest remainders, so
    the result adds up to ``total`` exactly and keeps the order of the weights.

    Raises
    ------
    ValueError
        When a weight is not positive, or ``total`` is less than ``minimum`` per weight.
    """
    if not weights:
        raise ValueError("weights must not be empty")
    if any(not w > 0 for w in weights):
        raise ValueError(f"weights {list(weights)!r} must all be positive")
    if total < minimum * len(weights):
        raise ValueError(f"total={total!r} minutes cannot give {len(weights)} parts at least "
                         f"{minimum!r} minutes each (needs {minimum * len(weights)})")
    floor = [False] * len(weights)
    while True:  # water-filling: parts pinned at the minimum leave the rest to the others
        free = total - minimum * sum(floor)
        weight = sum(w for w, pinned in zip(weights, floor, strict=True) if not pinned)
        exact = [minimum if pinned else free * w / weight
                 for w, pinned in zip(weights, floor, strict=True)]
        newly = [not pinned and x < minimum for x, pinned in zip(exact, floor, strict=True)]
        if not any(newly):
            break
        floor = [a or b for a, b in zip(floor, newly, strict=True)]
    whole = [math.floor(x) for x in exact]
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - whole[i]), i))
    for i in order[: total - sum(whole)]:
        whole[i] += 1
    return whole


def _routine_plan(names: Sequence[str]) -> tuple[list[tuple[str, int, float]], list[str]]:
    """(name, minutes, seconds) per routine, and notes; empty when routine data is missing."""
    try:
        from melt_course.content import routines as routine_data
    except ImportError:  # the routine data lands with lesson 5
        return [], ["No routine data in this version of the course: the agenda uses lesson "
                    "minutes only."]
    plan = []
    for name in names:
        routine = routine_data.get(name)
        seconds = routine.total_seconds()
        plan.append((routine.name, math.ceil(seconds / 60.0) + TRANSITION_MINUTES, seconds))
    return plan, []


def _practice_after(lessons: Sequence[Lesson]) -> int:
    """Index of the lesson the practice block follows (the first that mentions a routine)."""
    for index, lesson in enumerate(lessons):
        if any("routine" in objective.lower() for objective in lesson.objectives):
            return index
    return len(lessons) - 1


def _default_routines(slot: int) -> tuple[str, ...]:
    return DEFAULT_ROUTINES[max(k for k in DEFAULT_ROUTINES if k <= slot)]


def build_agenda(slot: int, routines: Sequence[str] | None = None,
                 lessons: Sequence[str] | None = None) -> Agenda:
    """Build a workshop agenda that fills ``slot`` minutes exactly.

    Parameters
    ----------
    slot : int
        Length of the workshop in minutes.
    routines : sequence of str, optional
        Routine names to practise (default :data:`DEFAULT_ROUTINES` for the slot); ``()``
        for no practice block.
    lessons : sequence of str, optional
        Lesson ids to teach, in course order (default: every lesson of the course map).

    Returns
    -------
    Agenda

    Raises
    ------
    ValueError
        When ``slot`` is not a whole number of minutes, or is too short.
    KeyError
        For an unknown lesson id or routine name.
    """
    if isinstance(slot, bool) or not isinstance(slot, int) or slot <= 0:
        raise ValueError(f"slot={slot!r} must be a positive whole number of minutes")
    course = load_course()
    if lessons is None:
        chosen = list(course)
    else:
        known = {les.id: les for les in course}
        missing = [lid for lid in lessons if lid not in known]
        if missing:
            raise KeyError(f"unknown lesson(s) {missing}; expected ids from {sorted(known)}")
        chosen = [les for les in course if les.id in set(lessons)]
    if not chosen:
        raise ValueError("an agenda needs at least one lesson, got none")
    names = _default_routines(slot) if routines is None else tuple(routines)
    plan, notes = _routine_plan(names) if names else ([], [])
    practice = PRACTICE_SETUP_MINUTES + sum(m for _, m, _ in plan) if plan else 0
    pause = BREAK_MINUTES if slot >= BREAK_FROM_MINUTES else 0
    fixed = ARRIVAL_MINUTES + CLOSING_MINUTES + practice + pause
    teaching = slot - fixed
    needed = fixed + MIN_LESSON_MINUTES * len(chosen)
    if teaching < MIN_LESSON_MINUTES * len(chosen):
        raise ValueError(f"slot={slot!r} minutes is too short for {len(chosen)} lesson(s) and "
                         f"{len(plan)} routine(s): it needs at least {needed} minutes "
                         f"({fixed} fixed + {MIN_LESSON_MINUTES} per lesson); choose fewer "
                         "lessons or routines")
    after = _practice_after(chosen)
    # The practice block is part of the lesson that introduces the routines: that lesson's
    # weight is its self-study minutes less the minutes practised (at least one).
    weights = [max(les.minutes - (practice if plan and i == after else 0), 1)
               for i, les in enumerate(chosen)]
    shares = share_minutes(weights, teaching, MIN_LESSON_MINUTES)
    total_weight = sum(weights)

    items: list[tuple[str, str, int, str, str | None, tuple[str, ...]]] = [
        ("arrival", "Arrival: sit down, open the course app", ARRIVAL_MINUTES,
         "fixed (course convention)", None, ())]
    for index, (les, minutes, weight) in enumerate(zip(chosen, shares, weights, strict=True)):
        own = (f"{les.minutes} self-study minutes less {practice} practised = {weight}"
               if weight != les.minutes else f"{les.minutes} self-study minutes")
        items.append(("lesson", f"Lesson {les.id}: {les.title}", minutes,
                      f"{own}, of {total_weight}: its share of {teaching} teaching minutes "
                      f"(at least {MIN_LESSON_MINUTES})", les.id, ()))
        if plan and index == after:
            parts = ", ".join(f"{n} {s / 60:.1f} min → {m - TRANSITION_MINUTES} + "
                              f"{TRANSITION_MINUTES}" for n, m, s in plan)
            items.append(("practice", "Routine practice: " + " then ".join(n for n, _, _ in plan),
                          practice, f"{PRACTICE_SETUP_MINUTES} setup and safety screen + "
                          f"{parts} (routine data; rounded up, plus transition)", None,
                          tuple(n for n, _, _ in plan)))
    if pause:
        middle = slot / 2
        elapsed, best, best_gap = 0, 1, math.inf
        for index, item in enumerate(items):
            elapsed += item[2]
            if index + 1 < len(items) and abs(elapsed - middle) < best_gap:
                best, best_gap = index + 1, abs(elapsed - middle)
        items.insert(best, ("break", "Break", pause, "fixed (course convention)", None, ()))
    items.append(("closing", "Closing: questions; learners export their progress",
                  CLOSING_MINUTES, "fixed (course convention)", None, ()))
    blocks, start = [], 0
    for kind, title, minutes, detail, lesson_id, names_ in items:
        blocks.append(Block(kind, title, minutes, start, detail, lesson_id, names_))
        start += minutes
    if not names:
        notes.append("No routine practice: no routine was chosen.")
    return Agenda(slot, tuple(blocks), tuple(notes))
