"""How a one-off workshop is run, from ``data/workshop.json``: routines practised, live
experiments, prepared answers to the room's questions, logistics and when to see a clinician.

The agendas (:mod:`melt_course.teaching.agenda`) take their routines, experiments and question
time from here; the facilitator kit prints the rest. Every claim carries an evidence label and
references that resolve in the bibliography (checked when the file loads).

Pure Python: no widgets, no plotting.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from melt_course.content.course import load_course
from melt_course.content.evidence import Claim
from melt_course.content.loader import DataError, load_json, record, records
from melt_course.content.routines import get as get_routine

__all__ = ["Answer", "Experiment", "Logistic", "Workshop", "load_workshop"]

_SOURCE = "data/workshop.json"


@dataclass(frozen=True)
class Experiment:
    """A live, in-the-body experiment the room does after a lesson."""

    id: str
    after_lesson: str
    from_slot: int
    minutes: int
    title: str
    equipment: tuple[str, ...]
    steps: tuple[str, ...]
    notice: Claim
    do_not_claim: str
    do_not_claim_refs: tuple[str, ...]
    safety: str


@dataclass(frozen=True)
class Answer:
    """A prepared answer to a question a room will ask, with its evidence label."""

    question: str
    answer: str
    label: str
    refs: tuple[str, ...]
    model_table: bool = False


@dataclass(frozen=True)
class Logistic:
    """One practical matter; ``status`` is ``"known"`` or ``"not known"``."""

    topic: str
    status: str
    text: str
    refs: tuple[str, ...]


@dataclass(frozen=True)
class Workshop:
    """Everything ``data/workshop.json`` holds, validated."""

    practice: tuple[tuple[int, tuple[str, ...], str], ...]
    skip_lessons: tuple[tuple[str, str], ...]
    answers_minutes: tuple[tuple[int, int], ...]
    experiments: tuple[Experiment, ...]
    answers: tuple[Answer, ...]
    logistics: tuple[Logistic, ...]
    clinician_intro: str
    clinician: tuple[str, ...]
    clinician_note: str

    def routines_for(self, slot: int) -> tuple[tuple[str, ...], str]:
        """The routines practised in a slot of ``slot`` minutes, and why."""
        _from, names, why = max((p for p in self.practice if p[0] <= slot),
                                key=lambda p: p[0])
        return names, why

    def answer_minutes_for(self, slot: int) -> int:
        """Minutes for the room's questions in a slot of ``slot`` minutes."""
        return max((a for a in self.answers_minutes if a[0] <= slot), key=lambda a: a[0])[1]

    def experiments_for(self, slot: int) -> tuple[Experiment, ...]:
        """The experiments that fit a slot of ``slot`` minutes."""
        return tuple(e for e in self.experiments if e.from_slot <= slot)


@cache
def load_workshop() -> Workshop:
    """Load and check ``data/workshop.json``.

    Raises
    ------
    DataError
        When the file does not match its schema, names an unknown lesson or routine, or
        cites a reference that is not in the bibliography.
    """
    data = load_json("workshop.json", "workshop")
    lessons = {les.id for les in load_course()}

    def lesson(lid: str, where: str) -> str:
        if lid not in lessons:
            raise DataError(_SOURCE, f"unknown lesson {lid!r} in {where}; expected one of "
                            f"{sorted(lessons)}", field="lesson")
        return lid

    practice = []
    for entry in data["practice"]:
        names = tuple(get_routine(n).name for n in entry["routines"])  # KeyError if unknown
        practice.append((entry["from_slot"], names, entry["why"]))
    if not any(p[0] == 0 for p in practice):
        raise DataError(_SOURCE, "practice needs an entry with from_slot 0", field="practice")
    experiments = records(Experiment, data["experiments"], _SOURCE, kind="experiment",
                          refs=("do_not_claim_refs",), build=lambda e, where: {
                              "after_lesson": lesson(e["after_lesson"], where),
                              "notice": record(Claim, e["notice"], f"{where}, notice",
                                               refs=("refs",))})
    answers = records(Answer, data["answers"], _SOURCE, kind="answer to", key="question")
    logistics = records(Logistic, data["logistics"], _SOURCE, kind="logistics", key="topic")
    one_off = data["one_off"]
    if not any(a["from_slot"] == 0 for a in one_off["answers_minutes"]):
        raise DataError(_SOURCE, "answers_minutes needs an entry with from_slot 0",
                        field="answers_minutes")
    return Workshop(
        practice=tuple(practice),
        skip_lessons=tuple((lesson(s["lesson"], "one_off.skip_lessons"), s["why"])
                           for s in one_off["skip_lessons"]),
        answers_minutes=tuple((a["from_slot"], a["minutes"]) for a in one_off["answers_minutes"]),
        experiments=tuple(experiments), answers=tuple(answers), logistics=tuple(logistics),
        clinician_intro=data["clinician"]["intro"], clinician=tuple(data["clinician"]["items"]),
        clinician_note=data["clinician"]["note"])
