"""The course's safety checklist, shown before the first start of a routine session.

The checklist is the course's own (MELT's sources give no list of reasons not to do a routine);
its text lives in ``melt_course/data/safety_screen.json``. :class:`Checklist` keeps which items a
learner has ticked; the routine player will not start until every item is ticked.

Pure Python: no widgets.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from melt_course.content.bibliography import resolve
from melt_course.content.loader import DataError, load_json

__all__ = ["Checklist", "SafetyItem", "SafetyScreen", "load_safety_screen"]


@dataclass(frozen=True)
class SafetyItem:
    """One statement the learner ticks to confirm."""

    id: str
    text: str
    basis: str | None = None
    refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class SafetyScreen:
    """The checklist's text: title, introduction, items, what to do if one cannot be ticked."""

    title: str
    intro: str
    items: tuple[SafetyItem, ...]
    stop_if: str
    footer: str

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
        items.append(SafetyItem(entry["id"], entry["text"], entry.get("basis"), refs))
    return SafetyScreen(data["title"], data["intro"], tuple(items), data["stop_if"],
                        data["footer"])


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
        """The item ids, in order."""
        return tuple(item.id for item in self.screen.items)

    def tick(self, item_id: str, value: bool = True) -> None:
        """Tick (or untick, with ``value=False``) one item.

        Raises
        ------
        KeyError
            For an id that is not on the checklist.
        """
        if item_id not in self.ids:
            raise KeyError(f"unknown checklist item {item_id!r}; expected one of {self.ids}")
        if value:
            self._ticked.add(item_id)
        else:
            self._ticked.discard(item_id)

    def is_ticked(self, item_id: str) -> bool:
        """Whether an item is ticked."""
        return item_id in self._ticked

    @property
    def complete(self) -> bool:
        """True when every item is ticked."""
        return self._ticked == set(self.ids)

    def missing(self) -> list[str]:
        """Ids of the items not yet ticked, in order."""
        return [i for i in self.ids if i not in self._ticked]

    def reset(self) -> None:
        """Untick everything (a new session starts with a fresh checklist)."""
        self._ticked.clear()
