"""The before-and-after self-assessment log: Rest Assess ratings kept in the progress store.

The body regions are the ones the Rest Assess asks you to notice (its "Notice your ..." steps),
so the log and the routine cannot drift apart. Each region gets a rating from 0 to 10 for how
at ease it feels. The rating scale is the course's own addition, not MELT's: MELT's assess asks
you to notice, not to score.

Ratings are saved as ``self_assessment`` records of the learner's progress store
(:mod:`melt_course.records.store`); a ``before`` and an ``after`` record share a session id, and
:func:`session_pairs` puts them back together, oldest first, for the chart over sessions.

Pure Python: no widgets, no plotting.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from melt_course.content.routines import get

__all__ = ["PHASES", "SCALE", "SCALE_TEXT", "Assessment", "SessionPair", "load_assessments",
           "new_session_id", "record_assessment", "regions", "session_pairs"]

#: The two moments of a session.
PHASES = ("before", "after")

#: Lowest and highest rating.
SCALE = (0, 10)

#: What the ratings mean, for the learner.
SCALE_TEXT = ("0 = very tense, uneven or hard to feel; 10 = completely at ease and even. "
              "The scale is the course's own, not MELT's: MELT's assess asks you to notice, "
              "not to score, and a number is only a note to your later self.")

_PREFIX = "Notice your "


@cache
def regions() -> tuple[str, ...]:
    """The body regions to rate, from the Rest Assess steps ("Notice your head" -> "head")."""
    found = tuple(step.name[len(_PREFIX):] for step in get("Rest Assess").steps()
                  if step.name.startswith(_PREFIX))
    if not found:
        raise ValueError("the Rest Assess has no 'Notice your ...' steps to take regions from")
    return found


@dataclass(frozen=True)
class Assessment:
    """One saved set of ratings."""

    time: str
    phase: str
    ratings: Mapping[str, float]
    session: str | None = None
    routine: str | None = None


@dataclass(frozen=True)
class SessionPair:
    """The before and after ratings of one session (either may be missing)."""

    session: str
    routine: str | None
    before: Assessment | None
    after: Assessment | None

    @property
    def time(self) -> str:
        """When the session started (its first record)."""
        return (self.before or self.after).time

    def mean(self, phase: str, region: str | None = None) -> float | None:
        """One region's rating, or the mean over the rated regions, for a phase (None when
        that phase was not saved or the region not rated)."""
        rec = self.before if phase == "before" else self.after
        if rec is None:
            return None
        if region is not None:
            return rec.ratings.get(region)
        return sum(rec.ratings.values()) / len(rec.ratings)

    def change(self, region: str | None = None) -> float | None:
        """After minus before (None unless both were saved)."""
        before, after = self.mean("before", region), self.mean("after", region)
        return None if before is None or after is None else after - before


def new_session_id() -> str:
    """A fresh id linking a session's before and after ratings."""
    return uuid.uuid4().hex[:16]


def _clean_ratings(ratings: Mapping[str, Any]) -> dict[str, float]:
    if not isinstance(ratings, Mapping) or not ratings:
        raise ValueError(f"ratings {ratings!r} must be a non-empty mapping of region to rating")
    known = regions()
    clean = {}
    for region, value in ratings.items():
        if region not in known:
            raise ValueError(f"region {region!r} is not one of the Rest Assess regions "
                             f"{list(known)}")
        if isinstance(value, bool) or not isinstance(value, int | float) \
                or not math.isfinite(value) or not SCALE[0] <= value <= SCALE[1]:
            raise ValueError(f"rating {value!r} for {region!r} must be a number from "
                             f"{SCALE[0]} to {SCALE[1]}")
        clean[region] = value
    return clean


def record_assessment(store: Any, phase: str, ratings: Mapping[str, Any],
                      session: str | None = None, routine: str | None = None) -> dict:
    """Save one set of ratings to a progress store.

    Parameters
    ----------
    store : melt_course.records.store.ProgressStore
        Where to save (anything with ``add_record(kind, data)``).
    phase : str
        ``"before"`` or ``"after"`` the routine.
    ratings : mapping of str to number
        Region (see :func:`regions`) -> rating from 0 to 10.
    session : str, optional
        Id shared by a session's before and after records.
    routine : str, optional
        Routine name (looked up, so a misspelling fails with suggestions).

    Returns
    -------
    dict
        The record as saved.

    Raises
    ------
    ValueError
        For an unknown phase or region, or a rating outside 0 to 10.
    KeyError
        For an unknown routine name.
    """
    if phase not in PHASES:
        raise ValueError(f"phase {phase!r} must be one of {list(PHASES)}")
    data: dict[str, Any] = {"phase": phase, "ratings": _clean_ratings(ratings)}
    if session is not None:
        data["session"] = session
    if routine is not None:
        data["routine"] = get(routine).name
    return store.add_record("self_assessment", data)


def load_assessments(store: Any) -> list[Assessment]:
    """Every saved self-assessment that has a phase, oldest first.

    Parameters
    ----------
    store : melt_course.records.store.ProgressStore
        Anything with ``records(kind)``.
    """
    out = []
    for rec in store.records("self_assessment"):
        data = rec["data"]
        if data.get("phase") not in PHASES:
            continue  # ratings saved by something else, without a before/after phase
        out.append(Assessment(rec["time"], data["phase"], dict(data["ratings"]),
                              data.get("session"), data.get("routine")))
    return sorted(out, key=lambda a: a.time)


def session_pairs(assessments: Sequence[Assessment]) -> list[SessionPair]:
    """Group assessments into sessions (by session id), oldest session first.

    An assessment without a session id is a session of its own. When a session has two
    records of one phase, the later one counts.
    """
    groups: dict[str, dict[str, Any]] = {}
    for i, item in enumerate(sorted(assessments, key=lambda a: a.time)):
        key = item.session or f"single-{i}"
        group = groups.setdefault(key, {"before": None, "after": None, "routine": None})
        group[item.phase] = item
        group["routine"] = group["routine"] or item.routine
    pairs = [SessionPair(key, g["routine"], g["before"], g["after"]) for key, g in groups.items()]
    return sorted(pairs, key=lambda p: p.time)
