"""Workshop agendas built from the course map and the routine data, timed to fit a slot.

An agenda for a slot of *S* minutes is, in order:

1. **Arrival** (:data:`ARRIVAL_MINUTES`): people sit down and open the app.
2. **The lessons** of the course map, in course order, less the lessons a one-off session
   skips (``data/workshop.json``: lesson 6's spaced review works across days). Each gets a
   share of the teaching time in proportion to its self-study minutes (``course.json``), but
   at least :data:`MIN_LESSON_MINUTES`; whole minutes by largest remainders.
3. **Live experiments** (``data/workshop.json``), each right after the lesson it belongs to,
   at its own length, when the slot is long enough for it.
4. **Routine practice**, right after the first lesson whose objectives mention a routine (or
   at the end when none does): :data:`PRACTICE_SETUP_MINUTES` for the safety screen and
   equipment, then each routine at its real length from the routine data
   (``Routine.total_seconds()``, rounded up to the minute) plus
   :data:`TRANSITION_MINUTES` to get up and settle. Routine time is never compressed: a
   routine's timer runs as long as it runs. The practice counts towards that lesson: its
   weight in step 2 is its self-study minutes less the practice minutes. Which routines, by
   slot length, comes from ``data/workshop.json`` (the Mini Foot Treatment first).
5. A **break** (slots of :data:`BREAK_FROM_MINUTES` or more), at the block boundary nearest
   the middle of the slot.
6. **The room's questions** (one-off sessions; minutes from ``data/workshop.json``), with the
   facilitator kit's prepared answers.
7. **Closing** (:data:`CLOSING_MINUTES`): learners export their progress for the class report.

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
from melt_course.teaching.workshop import load_workshop

__all__ = ["ARRIVAL_MINUTES", "BREAK_FROM_MINUTES", "BREAK_MINUTES", "CLOSING_MINUTES",
           "MIN_LESSON_MINUTES", "PRACTICE_SETUP_MINUTES", "TRANSITION_MINUTES", "Agenda",
           "Block", "build_agenda", "share_minutes"]

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



@dataclass(frozen=True)
class Block:
    """One block of an agenda.

    Attributes
    ----------
    kind : str
        ``"arrival"``, ``"lesson"``, ``"experiment"``, ``"practice"``, ``"break"``,
        ``"questions"`` or ``"closing"``.
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
    experiment : str or None
        The experiment's id, for experiment blocks.
    """

    kind: str
    title: str
    minutes: int
    start: int
    detail: str
    lesson: str | None = None
    routines: tuple[str, ...] = ()
    experiment: str | None = None

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


def build_agenda(slot: int, routines: Sequence[str] | None = None,
                 lessons: Sequence[str] | None = None, one_off: bool = True) -> Agenda:
    """Build a workshop agenda that fills ``slot`` minutes exactly.

    Parameters
    ----------
    slot : int
        Length of the workshop in minutes.
    routines : sequence of str, optional
        Routine names to practise (default: ``data/workshop.json``'s for the slot); ``()``
        for no practice block.
    lessons : sequence of str, optional
        Lesson ids to teach, in course order (default: every lesson of the course map, less
        those a one-off session skips).
    one_off : bool
        A single session (default): skip the lessons ``data/workshop.json`` names (spaced
        review has nothing due) and give their time to the room's questions.

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
    plan_data = load_workshop()
    skipped = dict(plan_data.skip_lessons) if one_off else {}
    if lessons is None:
        chosen = [les for les in course if les.id not in skipped]
    else:
        known = {les.id: les for les in course}
        missing = [lid for lid in lessons if lid not in known]
        if missing:
            raise KeyError(f"unknown lesson(s) {missing}; expected ids from {sorted(known)}")
        chosen = [les for les in course if les.id in set(lessons)]
    if not chosen:
        raise ValueError("an agenda needs at least one lesson, got none")
    why_routines = ""
    if routines is None:
        names, why_routines = plan_data.routines_for(slot)
    else:
        names = tuple(routines)
    plan, notes = _routine_plan(names) if names else ([], [])
    if why_routines and plan:
        notes.append(f"Routines practised: {why_routines}")
    notes += [f"Lesson {lid} is left out: {why}" for lid, why in skipped.items()
              if lessons is None]
    chosen_ids = {les.id for les in chosen}
    experiments = [e for e in plan_data.experiments_for(slot) if e.after_lesson in chosen_ids]
    questions = plan_data.answer_minutes_for(slot) if one_off else 0
    practice = PRACTICE_SETUP_MINUTES + sum(m for _, m, _ in plan) if plan else 0
    pause = BREAK_MINUTES if slot >= BREAK_FROM_MINUTES else 0
    fixed = (ARRIVAL_MINUTES + CLOSING_MINUTES + practice + pause + questions
             + sum(e.minutes for e in experiments))
    teaching = slot - fixed
    needed = fixed + MIN_LESSON_MINUTES * len(chosen)
    if teaching < MIN_LESSON_MINUTES * len(chosen):
        raise ValueError(f"slot={slot!r} minutes is too short for {len(chosen)} lesson(s) and "
                         f"{len(plan)} routine(s) and {len(experiments)} experiment(s): it "
                         f"needs at least {needed} minutes "
                         f"({fixed} fixed + {MIN_LESSON_MINUTES} per lesson); choose fewer "
                         "lessons or routines")
    after = _practice_after(chosen)
    # The practice block is part of the lesson that introduces the routines: that lesson's
    # weight is its self-study minutes less the minutes practised (at least one).
    weights = [max(les.minutes - (practice if plan and i == after else 0), 1)
               for i, les in enumerate(chosen)]
    shares = share_minutes(weights, teaching, MIN_LESSON_MINUTES)
    total_weight = sum(weights)

    items: list[tuple] = [
        ("arrival", "Arrival: sit down, open the course app", ARRIVAL_MINUTES,
         "fixed (course convention)", None, ())]
    for index, (les, minutes, weight) in enumerate(zip(chosen, shares, weights, strict=True)):
        own = (f"{les.minutes} self-study minutes less {practice} practised = {weight}"
               if weight != les.minutes else f"{les.minutes} self-study minutes")
        items.append(("lesson", f"Lesson {les.id}: {les.title}", minutes,
                      f"{own}, of {total_weight}: its share of {teaching} teaching minutes "
                      f"(at least {MIN_LESSON_MINUTES})", les.id, ()))
        for experiment in experiments:
            if experiment.after_lesson == les.id:
                items.append(("experiment", f"Try it in the body: {experiment.title}",
                              experiment.minutes, "the experiment's own length "
                              "(data/workshop.json)", None, (), experiment.id))
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
    if questions:
        items.append(("questions", "The room's questions (prepared answers in the kit)",
                      questions, "data/workshop.json (one-off session: spaced review needs "
                      "days, so its slot goes to questions)", None, ()))
    items.append(("closing", "Closing: learners export their progress",
                  CLOSING_MINUTES, "fixed (course convention)", None, ()))
    blocks, start = [], 0
    for kind, title, minutes, detail, lesson_id, names_, *rest in items:
        blocks.append(Block(kind, title, minutes, start, detail, lesson_id, names_,
                            rest[0] if rest else None))
        start += minutes
    if not names:
        notes.append("No routine practice: no routine was chosen.")
    return Agenda(slot, tuple(blocks), tuple(notes))
