"""The course's safety checklist, shown before the first start of a routine session.

The checklist is the course's own (MELT's sources give no list of reasons not to do a routine);
its text lives in ``melt_course/data/safety_screen.json``, one statement per box, of four kinds
(:data:`KINDS`): statements the learner confirms, and statements that may be true of them -
warning signs that need a clinician now (``"see a clinician"``), conditions to ask a clinician
about first (``"ask first"``) and conditions that change how to do a routine (``"adapt"``).
Every one of the last three says why it matters and what to do instead.

:class:`Checklist` keeps which items a learner has ticked. The routine player starts only when
every confirm statement is ticked and no "see a clinician" or "ask first" statement is; a ticked
statement is answered with its reason and what to do instead (:meth:`Checklist.advice`).

Pure Python: no widgets.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from melt_course.content.bibliography import resolve
from melt_course.content.loader import DataError, load_json

__all__ = ["BLOCKING", "KINDS", "Checklist", "SafetyItem", "SafetyScreen", "disclaimer_text",
           "load_safety_screen"]

#: The kinds of statement, in the order the checklist shows them.
KINDS = ("confirm", "see a clinician", "ask first", "adapt")

#: Kinds that, when ticked, mean: not this routine today.
BLOCKING = ("see a clinician", "ask first")


@dataclass(frozen=True)
class SafetyItem:
    """One statement the learner ticks to confirm."""

    id: str
    text: str
    basis: str | None = None
    refs: tuple[str, ...] = ()
    kind: str = "confirm"
    why: str | None = None
    instead: str | None = None
    short: str | None = None

    @property
    def blocking(self) -> bool:
        """True when ticking this statement means: not this routine today."""
        return self.kind in BLOCKING


@dataclass(frozen=True)
class SafetyScreen:
    """The checklist's text: title, introduction, items, what to do if one cannot be ticked."""

    title: str
    intro: str
    items: tuple[SafetyItem, ...]
    stop_if: str
    footer: str
    flags_intro: str = ""
    stop_rules: tuple[str, ...] = ()

    @property
    def confirms(self) -> tuple[SafetyItem, ...]:
        """The statements the learner confirms."""
        return tuple(i for i in self.items if i.kind == "confirm")

    @property
    def flags(self) -> tuple[SafetyItem, ...]:
        """The statements a learner ticks when they apply, in the order of :data:`KINDS`."""
        return tuple(i for kind in KINDS[1:] for i in self.items if i.kind == kind)

    @property
    def refs(self) -> list[str]:
        """Every citation key the checklist uses, without repeats."""
        return list(dict.fromkeys(k for item in self.items for k in item.refs))


@cache
def load_safety_screen() -> SafetyScreen:
    """Load and validate the course's safety checklist.

    Raises
    ------
    DataError
        When the file is malformed, an item id repeats or a reference is unknown.
    """
    source = "data/safety_screen.json"
    data = load_json("safety_screen.json", "safety_screen")
    items = []
    for entry in data["items"]:
        if any(item.id == entry["id"] for item in items):
            raise DataError(source, "duplicate item id", entry=entry["id"], field="id")
        refs = tuple(entry.get("refs", ()))
        resolve(refs, f"{source}, item {entry['id']!r}")
        items.append(SafetyItem(entry["id"], entry["text"], entry.get("basis"), refs,
                                entry["kind"], entry.get("why"), entry.get("instead"),
                                entry.get("short")))
    return SafetyScreen(data["title"], data["intro"], tuple(items), data["stop_if"],
                        data["footer"], data["flags_intro"], tuple(data["stop_rules"]))


#: How the disclaimer introduces each kind of warning statement.
_DISCLAIMER_HEADS = {
    "see a clinician": "**See a clinician, and do no routine today,** if you have",
    "ask first": "**Ask a doctor or physiotherapist first** if you have",
    "adapt": "**Change how you do a routine** (the checklist says how) for",
}


def disclaimer_text(screen: SafetyScreen | None = None) -> str:
    """The course's health disclaimer in Markdown, its warning signs taken from the checklist.

    The list of warning signs is built from the safety checklist's own statements (their
    ``short`` names, grouped by kind) and its stop rules, so the disclaimer and the checklist
    cannot say different things.

    Parameters
    ----------
    screen : SafetyScreen, optional
        The checklist; default the course's (:func:`load_safety_screen`).

    Returns
    -------
    str
        Markdown: what the course is not, the warning signs by kind, and when to stop.
    """
    screen = screen or load_safety_screen()
    parts = ["**This course is education, not medical care.** It gives no diagnosis and no "
             "treatment advice, and it does not replace a clinician who can examine you.",
             "The routines come after the course's own safety checklist (not MELT's). "
             "Its warning signs:"]
    signs = []
    for kind, head in _DISCLAIMER_HEADS.items():
        names = [item.short or item.text.rstrip(".") for item in screen.flags
                 if item.kind == kind]
        if names:
            signs.append(f"- {head}: " + "; ".join(names) + ".")
    parts[-1] += "\n" + "\n".join(signs)
    if screen.stop_rules:
        parts.append("**When to stop:**\n" + "\n".join(f"- {rule}" for rule in screen.stop_rules))
    return "\n\n".join(parts)


class Checklist:
    """Which items of a safety screen the learner has ticked.

    Parameters
    ----------
    screen : SafetyScreen, optional
        The checklist; default the course's (:func:`load_safety_screen`).
    """

    def __init__(self, screen: SafetyScreen | None = None) -> None:
        self.screen = screen or load_safety_screen()
        self._ticked: set[str] = set()

    @property
    def ids(self) -> tuple[str, ...]:
        """The ids of the statements to confirm, in order (ticking them all lets a routine start
        unless a blocking statement is ticked)."""
        return tuple(item.id for item in self.screen.confirms)

    @property
    def all_ids(self) -> tuple[str, ...]:
        """Every item id: the statements to confirm, then the ones ticked when they apply."""
        return tuple(item.id for item in (*self.screen.confirms, *self.screen.flags))

    def tick(self, item_id: str, value: bool = True) -> None:
        """Tick (or untick, with ``value=False``) one item.

        Raises
        ------
        KeyError
            For an id that is not on the checklist.
        """
        if item_id not in self.all_ids:
            raise KeyError(f"unknown checklist item {item_id!r}; expected one of "
                           f"{self.all_ids}")
        if value:
            self._ticked.add(item_id)
        else:
            self._ticked.discard(item_id)

    def is_ticked(self, item_id: str) -> bool:
        """Whether an item is ticked."""
        return item_id in self._ticked

    @property
    def complete(self) -> bool:
        """True when every confirm statement is ticked and no blocking statement is."""
        return not self.missing() and not self.blocking()

    def missing(self) -> list[str]:
        """Ids of the confirm statements not yet ticked, in order."""
        return [i.id for i in self.screen.confirms if i.id not in self._ticked]

    def blocking(self) -> list[SafetyItem]:
        """Ticked statements that mean: not this routine today ("see a clinician", "ask first")."""
        return [i for i in self.screen.flags if i.blocking and i.id in self._ticked]

    def advice(self) -> list[SafetyItem]:
        """Every ticked warning statement (blocking or not), each with its why and instead."""
        return [i for i in self.screen.flags if i.id in self._ticked]

    def status(self) -> str:
        """Where the checklist stands, in one or two plain sentences."""
        if self.blocking():
            names = "; ".join(i.text.rstrip(".") for i in self.blocking())
            return ("Not a routine for you today, because you ticked: " + names + ". "
                    "What to do instead is shown with each ticked statement.")
        missing = self.missing()
        if missing:
            return (f"{len(missing)} statement{'s' if len(missing) != 1 else ''} still to "
                    "confirm before you can start; not yet ticked: "
                    + ", ".join(map(repr, missing)) + ".")
        if self.advice():
            return "Checklist complete: you can start, with the changes shown for what you ticked."
        return "Checklist complete: you can start."

    def reset(self) -> None:
        """Untick everything (a new session starts with a fresh checklist)."""
        self._ticked.clear()
