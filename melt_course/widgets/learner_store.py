"""The one way widgets reach the learner's progress store, and never break when it fails.

Widgets take a ``store`` argument: :data:`LEARNER_STORE` (the learner's own store, opened on
first use from ``$MELT_COURSE_PROGRESS`` or the user data folder), any object with
``add_record(kind, data)`` and ``records(kind=None)`` (a
:class:`melt_course.records.store.ProgressStore`), or None (record nothing).
:func:`store_call` runs one action on such a store and turns every failure or recovery warning
into a note for the learner, so a full disk or a damaged file never stops a lesson.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

__all__ = ["LEARNER_STORE", "open_learner_store", "read_records", "resolve_store",
           "store_call"]

#: Default for a widget's ``store``: the learner's own progress store.
LEARNER_STORE = "learner"


def open_learner_store() -> Any:
    """The learner's own progress store (``$MELT_COURSE_PROGRESS`` or the user data folder)."""
    from melt_course.records.store import open_store

    return open_store()


def resolve_store(holder: Any) -> Any:
    """The store a ``store`` argument stands for: the learner's own for "learner", else as is."""
    if isinstance(holder, str) and holder == LEARNER_STORE:
        return open_learner_store()
    return holder


def store_call(holder: Any, action: Callable[[Any], Any],
               failed: str = "Your progress file could not be used") -> tuple[Any, str | None]:
    """Run ``action(store)`` on a store (opening the learner's on first use), never raising.

    Parameters
    ----------
    holder : object, "learner" or None
        A widget's ``store`` argument (see the module's description).
    action : callable
        Called with the store.
    failed : str
        The start of the note when the action raises (the error's text follows).

    Returns
    -------
    (result, note)
        The action's result (None on failure, or when ``holder`` is None) and a note for the
        learner: the warning or error text when something went wrong, else None.
    """
    if holder is None:
        return None, None
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = action(resolve_store(holder))
    except Exception as exc:  # the widget must keep working when the disk does not
        return None, f"{failed}: {exc}"
    notes = " ".join(str(w.message) for w in caught)
    return result, notes or None


def read_records(holder: Any) -> tuple[list[dict], str | None]:
    """The store's records and a note for the learner (a recovery warning or an error)."""
    records, note = store_call(holder, lambda store: store.records())
    return (records or []), note
