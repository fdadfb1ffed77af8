"""Read package data files and validate them against JSON schemas.

This is the bottom of the data layer: pure Python, no numpy, no matplotlib, no widgets.
Every data file of the course (bibliography, glossary, course map, quizzes, routines) is read
through :func:`load_json` or :func:`load_json_dir`, which validate as they load and fail with a
:class:`DataError` naming the file, the entry and the field.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import PurePosixPath
from typing import Any

from melt_course.content.schema import iter_issues

__all__ = ["DataError", "data_files", "load_json", "load_json_dir", "load_schema", "validate"]


class DataError(ValueError):
    """A course data file is missing, unreadable or does not match its schema.

    Attributes
    ----------
    source : str
        The file (package-relative path) the problem is in.
    entry : str or None
        The entry (its ``key`` or ``id`` where it has one, else its index).
    field : str or None
        The field path inside the entry, e.g. ``"authors"`` or ``"steps/2/seconds"``.
    """

    def __init__(self, source: str, message: str, entry: str | None = None,
                 field: str | None = None) -> None:
        self.source = source
        self.entry = entry
        self.field = field
        where = source
        if entry is not None:
            where += f", entry {entry!r}"
        if field is not None:
            where += f", field {field!r}"
        super().__init__(f"{where}: {message}")


def _data_root():
    return resources.files("melt_course").joinpath("data")


def data_files(subdir: str) -> list[str]:
    """List the JSON files in a package data folder.

    Parameters
    ----------
    subdir : str
        Folder below ``melt_course/data``, e.g. ``"bibliography"``.

    Returns
    -------
    list of str
        Package-relative paths such as ``"bibliography/anatomy.json"``, sorted.
    """
    folder = _data_root().joinpath(subdir)
    if not folder.is_dir():
        raise DataError(f"data/{subdir}", "folder not found in the package")
    return sorted(f"{subdir}/{item.name}" for item in folder.iterdir()
                  if item.name.endswith(".json"))


@cache
def load_schema(name: str) -> dict:
    """Return the JSON schema ``melt_course/data/schemas/<name>.schema.json``."""
    path = f"schemas/{name}.schema.json"
    return _read(path)


def _read(relpath: str) -> Any:
    target = _data_root().joinpath(*PurePosixPath(relpath).parts)
    try:
        text = target.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(f"data/{relpath}", "file not found in the package") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(f"data/{relpath}",
                        f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
                        ) from None


def _entry_name(data: Any, path: list) -> tuple[str | None, list]:
    """Split a jsonschema error path into the entry's name and the rest (the field)."""
    if not path:
        return None, []
    container = data
    if isinstance(data, dict) and path[0] in ("entries", "questions", "terms", "steps",
                                              "lessons", "routines") and len(path) > 1:
        container = data[path[0]]
        path = path[1:]
    head, rest = path[0], list(path[1:])
    if isinstance(container, list) and isinstance(head, int) and head < len(container):
        item = container[head]
        if isinstance(item, dict):
            for key in ("key", "id", "term", "name"):
                if isinstance(item.get(key), str):
                    return item[key], rest
        return f"#{head}", rest
    return None, [head, *rest]


def validate(data: Any, schema_name: str, source: str) -> Any:
    """Validate ``data`` against a named schema.

    Parameters
    ----------
    data : object
        Parsed JSON.
    schema_name : str
        Name of a schema in ``melt_course/data/schemas`` (without ``.schema.json``).
    source : str
        Where the data came from, for the error message.

    Returns
    -------
    object
        ``data`` unchanged, when valid.

    Raises
    ------
    DataError
        On the first schema violation (in document order), naming file, entry and field.
    """
    issue = next(iter_issues(data, load_schema(schema_name)), None)
    if issue is None:
        return data
    entry, field_path = _entry_name(data, list(issue.path))
    message = issue.message
    if issue.missing is not None:
        field_path = [*field_path, issue.missing]
        message = "required field is missing"
    field = "/".join(str(p) for p in field_path) or None
    raise DataError(source, message, entry=entry, field=field)


def load_json(relpath: str, schema_name: str) -> Any:
    """Load one package data file and validate it.

    Parameters
    ----------
    relpath : str
        Path below ``melt_course/data``, e.g. ``"course.json"``.
    schema_name : str
        Schema to validate against.

    Returns
    -------
    object
        The parsed, valid JSON.
    """
    return validate(_read(relpath), schema_name, f"data/{relpath}")


def load_json_dir(subdir: str, schema_name: str) -> dict[str, Any]:
    """Load and validate every JSON file in a package data folder.

    Returns
    -------
    dict
        Package-relative path -> parsed data, in sorted path order.
    """
    return {path: load_json(path, schema_name) for path in data_files(subdir)}


def unique_by(items: Iterable[tuple[str, dict]], key: str) -> dict[str, tuple[str, dict]]:
    """Index ``(source, entry)`` pairs by ``entry[key]``; a repeated key is a DataError."""
    index: dict[str, tuple[str, dict]] = {}
    for source, item in items:
        name = item[key]
        if name in index:
            raise DataError(source, f"duplicate {key} (also defined in {index[name][0]})",
                            entry=name, field=key)
        index[name] = (source, item)
    return index
