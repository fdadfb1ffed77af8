"""What EMG and dissection show psoas doing: the data behind lesson 1's EMG panel.

``data/psoas_emg.json`` (schema ``psoas_emg``) holds Juker et al. 1998's task data (psoas
activity as a percentage of its maximum, with the study's design and size) and the actions
commonly listed for psoas, each with its evidence label and references; actions with no
primary source say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from melt_course.content.loader import load_json, record, records

__all__ = ["Action", "EmgData", "Task", "TaskTable", "actions", "amount", "load_emg", "task"]


@dataclass(frozen=True)
class Task:
    """One task of Juker 1998: psoas activity, % of maximum (``kind`` says how to read it)."""

    id: str
    task: str
    kind: str
    low: float | None
    high: float | None
    reading: str


@dataclass(frozen=True)
class TaskTable:
    """The task data with the study's design and size."""

    study: str
    design: str
    n: int
    sample: str
    label: str
    rows: tuple[Task, ...]


@dataclass(frozen=True)
class Action:
    """An action attributed to psoas, with its evidence."""

    id: str
    action: str
    label: str
    refs: tuple[str, ...]
    statement: str


@dataclass(frozen=True)
class EmgData:
    """Everything in ``psoas_emg.json``."""

    tasks: TaskTable
    actions: tuple[Action, ...]


@cache
def load_emg() -> EmgData:
    """Load and validate ``data/psoas_emg.json`` (ids unique, every reference resolving)."""
    source = "data/psoas_emg.json"
    raw = load_json("psoas_emg.json", "psoas_emg")
    rows = records(Task, raw["tasks"]["rows"], source, kind="task")
    table = record(TaskTable, raw["tasks"], source, computed={"rows": rows})
    return EmgData(table, records(Action, raw["actions"], source, kind="action"))


def task(task_id: str) -> Task:
    """One task by id; ValueError naming the id and the known ones otherwise."""
    rows = {r.id: r for r in load_emg().tasks.rows}
    if not isinstance(task_id, str) or task_id not in rows:
        raise ValueError(f"task={repr(task_id)[:40]} is not in Juker 1998's table; expected "
                         f"one of {tuple(rows)}")
    return rows[task_id]


def amount(row: Task) -> str:
    """The task's activity in words, as the source gives it (no added precision)."""
    if row.kind == "highest":
        return "the highest of all tasks (the source gives no percentage)"
    if row.kind == "range":
        return f"{row.low:g} to {row.high:g}% of maximum"
    if row.kind == "about":
        return f"about {row.high:g}% of maximum"
    return f"{'up to' if row.kind == 'up_to' else 'below'} {row.high:g}% of maximum"


def actions() -> tuple[Action, ...]:
    """The actions commonly attributed to psoas, each with its evidence."""
    return load_emg().actions
