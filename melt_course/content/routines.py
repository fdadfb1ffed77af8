"""MELT routines as data: load, validate, look up, expand compositions and add up time.

Each routine is one file in ``melt_course/data/routines/`` validated against
``schemas/routine.schema.json``. A routine is a list of steps; an entry of that list may instead
*include* another routine by reference (so the Full Body Express Map is built from the other
routines, never from copies of their steps). Every step says where it comes from:

``documented``
    A source the course could check describes the step; its references say which. An entry
    flagged ``unverified`` in the bibliography never makes a step documented.
``partly documented``
    A source names the step, but not these cues or timings; the step's note says which part is
    the course's.
``not documented``
    MELT has the step, but no source the course found describes it: the course gives its name
    and purpose only and points to the official MELT On Demand video (:data:`VIDEO_KEY`).
``course``
    The course's own addition (for example, time to get onto the roller), said so to the learner.

A routine done on the floor (``floor``) carries an ``alternative``: the course's own chair or
standing version for someone who cannot get down to the floor and up again.

Times: a step's dose is seconds, breaths or repetitions. Breaths and repetitions become seconds
by the course's own conventions, :data:`SECONDS_PER_BREATH` and :data:`DEFAULT_SECONDS_PER_REP`
(a step may give its own seconds per repetition); :func:`timing_conventions` says so in words.

Pure Python: no numpy, no matplotlib, no widgets.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import PurePosixPath
from types import MappingProxyType
from typing import Any

from melt_course.content.bibliography import resolve
from melt_course.content.evidence import Claim
from melt_course.content.loader import DataError, load_json_dir, record, validate
from melt_course.content.schema import brief

__all__ = ["DEFAULT_SECONDS_PER_REP", "PROVENANCES", "SECONDS_PER_BREATH", "VIDEO_KEY",
           "Alternative", "Claim", "Dose", "Idea", "Include", "Routine", "Session", "Step", "Tie",
           "build_library", "clock_text", "format_duration", "get", "library", "load", "session",
           "timing_conventions"]

#: Seconds the course counts for one slow, focused breath (10 breaths a minute). The course's
#: convention for the timer, not MELT's.
SECONDS_PER_BREATH = 6.0

#: Seconds the course counts for one repetition when a step does not give its own.
DEFAULT_SECONDS_PER_REP = 5.0

#: Where a step comes from, from best to least documented.
PROVENANCES = ("documented", "partly documented", "not documented", "course")

#: The bibliography key of the official video that every not-documented step points to.
VIDEO_KEY = "melt-ondemand"

_SIDES = ("left", "right", "both")


@dataclass(frozen=True)
class Tie:
    """How a routine ties to one of lessons 1-4: a claim with its evidence label and references."""

    lesson: str
    text: str
    label: str = ""
    refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Alternative:
    """The course's own chair or standing version of a floor routine (not MELT's)."""

    position: str
    text: str


@dataclass(frozen=True)
class Idea:
    """The psoas or NeuroCore idea a step relates to, with its evidence label."""

    topic: str
    text: str
    label: str
    refs: tuple[str, ...]


@dataclass(frozen=True)
class Dose:
    """How much of a step to do: seconds, breaths or repetitions (exactly one).

    Attributes
    ----------
    source : str
        ``"documented"`` when a source gives the number, else ``"course estimate"``.
    """

    seconds: float | None = None
    breaths: int | None = None
    reps: int | None = None
    seconds_per_rep: float | None = None
    source: str = "course estimate"

    def __post_init__(self) -> None:
        given = [name for name in ("seconds", "breaths", "reps") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(f"a dose needs exactly one of seconds, breaths or reps, got {given!r}")
        value = getattr(self, given[0])
        if not value > 0:
            raise ValueError(f"{given[0]}={value!r} must be positive")
        if self.seconds_per_rep is not None and (self.reps is None or not self.seconds_per_rep > 0):
            raise ValueError(f"seconds_per_rep={self.seconds_per_rep!r} needs reps and must be "
                             "positive")

    @property
    def total_seconds(self) -> float:
        """The dose in seconds, by the course's conventions for breaths and repetitions."""
        if self.seconds is not None:
            return float(self.seconds)
        if self.breaths is not None:
            return self.breaths * SECONDS_PER_BREATH
        return float(self.reps * (self.seconds_per_rep or DEFAULT_SECONDS_PER_REP))

    def describe(self) -> str:
        """The dose in words, e.g. ``"2 breaths (about 12 s)"`` or ``"15 s"``."""
        if self.seconds is not None:
            return format_duration(self.seconds)
        if self.breaths is not None:
            count = f"{self.breaths} breath{'s' if self.breaths != 1 else ''}"
        else:
            count = f"{self.reps} time{'s' if self.reps != 1 else ''}"
        return f"{count} (about {format_duration(self.total_seconds)})"


@dataclass(frozen=True)
class Step:
    """One step of a routine, as the learner follows it.

    Attributes
    ----------
    routine : str
        Id of the routine whose file defines the step.
    placement : str
        Where the step's *position* comes from: ``"documented"`` when every routine that
        includes it on the way down is documented there, else the least documented placement.
    placement_notes : tuple of str
        The include notes on the way down (e.g. "order not found in the video").
    """

    name: str
    side: str
    dose: Dose
    idea: Idea
    provenance: str
    refs: tuple[str, ...] = ()
    cue: str | None = None
    purpose: str | None = None
    note: str | None = None
    routine: str = ""
    placement: str = "documented"
    placement_notes: tuple[str, ...] = ()

    @property
    def seconds(self) -> float:
        """The step's length in seconds."""
        return self.dose.total_seconds

    @property
    def instruction(self) -> str:
        """What the learner is told to do: the cue, or for a not-documented step its purpose
        and a pointer to the official video."""
        if self.provenance == "not documented":
            return (f"Not documented: {self.purpose} The course does not describe this step; "
                    "follow the official MELT On Demand video.")
        return self.cue or ""


@dataclass(frozen=True)
class Include:
    """An entry of a routine that includes another routine's steps by reference."""

    routine: str
    provenance: str
    refs: tuple[str, ...] = ()
    note: str | None = None
    side: str | None = None


@dataclass(frozen=True)
class Routine:
    """A MELT routine: its description and its entries (steps and includes).

    Use :meth:`steps` for the flat list the learner follows (includes expanded, one-sided steps
    given their side) and :meth:`total_seconds` for its length.
    """

    id: str
    name: str
    aliases: tuple[str, ...]
    standalone: bool
    summary: str
    purpose: Claim
    ties: tuple[Tie, ...]
    equipment: tuple[str, ...]
    starting_position: str
    safety: tuple[str, ...]
    refs: tuple[str, ...]
    entries: tuple[Step | Include, ...]
    notes: tuple[str, ...] = ()
    gaps: str | None = None
    about_minutes: float | None = None
    about_minutes_refs: tuple[str, ...] = ()
    order: int = 999
    floor: bool = False
    alternative: Alternative | None = None
    source: str = ""
    _library: Mapping[str, Routine] = field(default_factory=dict, repr=False, compare=False)

    def steps(self) -> list[Step]:
        """The flat list of steps, with included routines expanded in place.

        A step whose side is ``"each"`` becomes two steps, right then left; an include with a
        ``side`` sets the side of every one-sided step it brings in.
        """
        return list(_expand(self, self._library, side=None, placement="documented", notes=()))

    def total_seconds(self) -> float:
        """Total length in seconds: the sum of :meth:`steps`' seconds."""
        return sum(step.seconds for step in self.steps())

    def includes(self) -> list[Routine]:
        """The routines this one includes directly, in order (repeats kept)."""
        return [self._library[e.routine] for e in self.entries if isinstance(e, Include)]

    def all_refs(self) -> list[str]:
        """Every citation key the routine uses (its own, its steps', its includes'), in order
        of first use, without repeats."""
        keys = [*self.refs, *self.purpose.refs, *self.about_minutes_refs]
        keys += [k for tie in self.ties for k in tie.refs]
        for entry in self.entries:
            keys += entry.refs
            if isinstance(entry, Step):
                keys += entry.idea.refs
            else:
                keys += self._library[entry.routine].all_refs()
        return list(dict.fromkeys(keys))


@dataclass(frozen=True)
class Session:
    """Routines done one after the other, e.g. built with the session builder."""

    routines: tuple[Routine, ...]

    def __post_init__(self) -> None:
        if not self.routines:
            raise ValueError("a session needs at least one routine, got none")

    @property
    def name(self) -> str:
        """The routines' names joined with ' + '."""
        return " + ".join(r.name for r in self.routines)

    def steps(self) -> list[Step]:
        """Every routine's steps, in order."""
        return [step for routine in self.routines for step in routine.steps()]

    def total_seconds(self) -> float:
        """Total length in seconds."""
        return sum(r.total_seconds() for r in self.routines)


def _rank(provenance: str) -> int:
    return PROVENANCES.index(provenance)


def _expand(routine: Routine, lib: Mapping[str, Routine], side: str | None, placement: str,
            notes: tuple[str, ...]) -> Iterator[Step]:
    for entry in routine.entries:
        if isinstance(entry, Include):
            inner = max(placement, entry.provenance, key=_rank)
            more = (*notes, entry.note) if entry.note and entry.provenance != "documented" \
                else notes
            yield from _expand(lib[entry.routine], lib, entry.side or side, inner, more)
            continue
        step = replace(entry, placement=placement, placement_notes=notes)
        if step.side == "both":
            yield step
        elif side is not None:
            yield replace(step, side=side)
        elif step.side == "each":
            yield replace(step, side="right")
            yield replace(step, side="left")
        else:
            yield step


def format_duration(seconds: float) -> str:
    """A duration in words: ``"45 s"``, ``"2 min"``, ``"9 min 44 s"``.

    Raises
    ------
    ValueError
        For a negative or non-finite duration.
    """
    if not 0 <= seconds < float("inf"):
        raise ValueError(f"seconds={seconds!r} must be a finite number >= 0")
    total = round(seconds)
    minutes, secs = divmod(total, 60)
    if not minutes:
        return f"{secs} s"
    return f"{minutes} min" + (f" {secs} s" if secs else "")


def clock_text(seconds: float) -> str:
    """A countdown as a clock shows it: ``"1:05"``; rounds up, so 0.2 s left shows ``"0:01"``."""
    if not 0 <= seconds < float("inf"):
        raise ValueError(f"seconds={seconds!r} must be a finite number >= 0")
    whole = int(-(-seconds // 1))
    return f"{whole // 60}:{whole % 60:02d}"


def timing_conventions() -> str:
    """How the course turns breaths and repetitions into time, in words for the learner."""
    return (f"The timer counts one slow, focused breath as {SECONDS_PER_BREATH:g} seconds "
            f"(about {60 / SECONDS_PER_BREATH:g} breaths a minute) and one repetition as "
            f"{DEFAULT_SECONDS_PER_REP:g} seconds unless a step says otherwise. These are the "
            "course's conventions, not MELT's: breathe at your own pace and move on when you "
            "are ready, or pause the timer.")


# --- loading and validation -------------------------------------------------------------------

def _routine(data: Mapping, source: str, lib: Mapping[str, Routine]) -> Routine:
    """One routine from its validated JSON (references are checked later, by _check_refs)."""
    rid = data["id"]
    where = f"{source}, routine {brief(rid)}"

    def entry(item: Mapping, i: int) -> Step | Include:
        at = f"{where}, step {i}"
        if "routine" in item:
            return record(Include, item, at, refs=())
        return record(Step, item, at, refs=(), computed={
            "dose": record(Dose, item["dose"], f"{at}, dose", refs=()),
            "idea": record(Idea, item["idea"], f"{at}, idea", refs=()),
            "routine": rid})

    about = data.get("about_minutes") or {}
    alternative = data.get("alternative")
    return record(Routine, data, source, entry=rid, refs=(), computed={
        "aliases": tuple(data.get("aliases", ())),
        "purpose": record(Claim, data["purpose"], f"{where}, purpose", refs=()),
        "ties": tuple(record(Tie, t, f"{where}, tie {i}", refs=())
                      for i, t in enumerate(data["ties"])),
        "alternative": None if alternative is None else record(
            Alternative, alternative, f"{where}, alternative", refs=()),
        "entries": tuple(entry(e, i) for i, e in enumerate(data["steps"])),
        "about_minutes": about.get("value"), "about_minutes_refs": tuple(about.get("refs", ())),
        "source": source, "_library": lib})


def _check_refs(routine: Routine) -> None:
    where = f"{routine.source}, routine {routine.id!r}"
    resolve(routine.refs, f"{where}, field 'refs'")
    resolve(routine.purpose.refs, f"{where}, field 'purpose/refs'")
    resolve(routine.about_minutes_refs, f"{where}, field 'about_minutes/refs'")
    for i, tie in enumerate(routine.ties):
        resolve(tie.refs, f"{where}, field 'ties/{i}/refs'")
    for i, entry in enumerate(routine.entries):
        found = resolve(entry.refs, f"{where}, field 'steps/{i}/refs'")
        if entry.provenance == "documented" and all(ref.unverified for ref in found):
            name = entry.name if isinstance(entry, Step) else entry.routine
            raise DataError(routine.source, "a documented step needs a source the course could "
                            "check, but every reference given is flagged unverified ("
                            + ", ".join(ref.key for ref in found) + "): mark it 'partly "
                            "documented' with a note, or cite a checked source",
                            entry=name, field=f"steps/{i}/provenance")
        if isinstance(entry, Step):
            resolve(entry.idea.refs, f"{where}, field 'steps/{i}/idea/refs'")
            if entry.provenance == "not documented" and VIDEO_KEY not in entry.refs:
                raise DataError(routine.source, "a not-documented step must point to the "
                                f"official video: add {VIDEO_KEY!r} to its refs",
                                entry=entry.name, field=f"steps/{i}/refs")


def _check_names(routines: list[Routine]) -> None:
    seen: dict[str, Routine] = {}
    for routine in routines:
        for label in (routine.id, routine.name, *routine.aliases):
            key = _normal(label)
            other = seen.get(key)
            if other is not None and other is not routine:
                raise DataError(routine.source, f"name or alias {label!r} is already used by "
                                f"routine {other.id!r} ({other.source})", entry=routine.id,
                                field="name")
            seen[key] = routine


def _check_composition(lib: Mapping[str, Routine]) -> None:
    for routine in lib.values():
        for i, entry in enumerate(routine.entries):
            if isinstance(entry, Include) and entry.routine not in lib:
                close = difflib.get_close_matches(entry.routine, list(lib), n=3)
                hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
                raise DataError(routine.source, f"includes unknown routine {entry.routine!r}"
                                f"{hint}", entry=routine.id, field=f"steps/{i}/routine")
    state: dict[str, str] = {}

    def visit(rid: str, path: list[str]) -> None:
        if state.get(rid) == "done":
            return
        if state.get(rid) == "active":
            cycle = [*path[path.index(rid):], rid]
            first = lib[cycle[0]]
            raise DataError(first.source, "composition cycle: " + " -> ".join(cycle),
                            entry=first.id, field="steps")
        state[rid] = "active"
        for entry in lib[rid].entries:
            if isinstance(entry, Include):
                visit(entry.routine, [*path, rid])
        state[rid] = "done"

    for rid in sorted(lib):
        visit(rid, [])


def _build(files: Mapping[str, Any]) -> dict[str, Routine]:
    lib: dict[str, Routine] = {}
    built = []
    for source, data in files.items():
        stem = PurePosixPath(source).stem
        if data["id"] != stem:
            raise DataError(source, f"id {data['id']!r} must match the file name {stem!r}",
                            entry=data["id"], field="id")
        built.append(_routine(data, source, lib))
    _check_names(built)
    for routine in built:
        lib[routine.id] = routine
        _check_refs(routine)
    _check_composition(lib)
    return dict(sorted(lib.items(), key=lambda item: (item[1].order, item[0])))


def build_library(files: Mapping[str, Any]) -> dict[str, Routine]:
    """Validate routine data and build the routines from it.

    The same checks :func:`load` runs on the package data, for data given directly (tests,
    or a teacher's own routines): each file against the schema, ids matching file names,
    unique names and aliases, every reference in the bibliography, not-documented steps
    pointing to the official video, every include naming a known routine, and no cycles.

    Parameters
    ----------
    files : mapping of str to object
        File name (e.g. ``"routines/rebalance.json"``) -> parsed JSON.

    Returns
    -------
    dict of str to Routine
        Keyed by routine id, in the routines' ``order`` (then by id).

    Raises
    ------
    DataError
        Naming the file, the entry and the field of the first problem found.
    """
    for source, data in files.items():
        validate(data, "routine", source)
    return _build(files)


@cache
def library() -> Mapping[str, Routine]:
    """Every routine in the package, keyed by id (validated once, then cached)."""
    files = load_json_dir("routines", "routine")
    return MappingProxyType(_build({f"data/{path}": data for path, data in files.items()}))


def load() -> dict[str, Routine]:
    """Every routine in the package, keyed by name (e.g. ``"Rebalance Sequence"``).

    Raises
    ------
    DataError
        When a routine file is malformed or the routines do not fit together (see
        :func:`build_library`).
    """
    return {routine.name: routine for routine in library().values()}


def _normal(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").split())


@cache
def _name_index() -> Mapping[str, Routine]:
    """Normalised id, name and alias -> routine (built once)."""
    return MappingProxyType({_normal(label): routine for routine in library().values()
                             for label in (routine.id, routine.name, *routine.aliases)})


def get(name: str) -> Routine:
    """Return one routine by name, alias or id (case and spacing do not matter).

    Raises
    ------
    KeyError
        For an unknown name, suggesting the closest routine names.
    ValueError
        When ``name`` is not a string.
    """
    if not isinstance(name, str):
        raise ValueError(f"routine name must be a string, got {name!r}")
    index = _name_index()
    found = index.get(_normal(name))
    if found is not None:
        return found
    close = difflib.get_close_matches(_normal(name), list(index), n=6, cutoff=0.5)
    names = list(dict.fromkeys(index[c].name for c in close))[:3]
    hint = f"; did you mean {' or '.join(map(repr, names))}?" if names else "."
    known = ", ".join(repr(r.name) for r in library().values() if r.standalone)
    raise KeyError(f"unknown routine {name!r}{hint} Known routines: {known}.")


def session(*names: str | Routine) -> Session:
    """Build a session from routine names (or routines), done in the order given.

    Raises
    ------
    ValueError
        When no routine is given.
    KeyError
        For an unknown name (with close matches).
    """
    if not names:
        raise ValueError("session() needs at least one routine name, got none")
    return Session(tuple(n if isinstance(n, Routine) else get(n) for n in names))
