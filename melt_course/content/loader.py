"""Read package data files and validate them against JSON schemas.

This is the bottom of the data layer: pure Python, no numpy, no matplotlib, no widgets.
Every data file of the course (bibliography, glossary, course map, quizzes, routines) is read
through :func:`load_json` or :func:`load_json_dir`, which validate as they load and fail with a
:class:`DataError` naming the file, the entry and the field. :func:`records` and :func:`record`
turn the validated JSON into the typed, frozen records the rest of the course uses, checking
that ids are unique and that references resolve.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from importlib import resources
from pathlib import PurePosixPath
from typing import Any, TypeVar

from melt_course.content.schema import brief, iter_issues

__all__ = ["MAX_DEPTH", "MAX_INT_DIGITS", "DataError", "data_files", "load_json", "load_json_dir",
           "load_schema", "lookup", "parse_json", "record", "records", "validate"]

T = TypeVar("T")

#: Deepest nesting of arrays and objects accepted in a JSON file (the course's own files and a
#: learner's progress file need fewer than 10 levels).
MAX_DEPTH = 32
#: Most digits of a whole number accepted in a JSON file.
MAX_INT_DIGITS = 30


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
            where += f", entry {brief(entry)}"
        if field is not None:
            where += f", field {brief(field)}"
        super().__init__(f"{where}: {message}")


def _not_json_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number (JSON has no NaN or Infinity)")


def _check_tree(doc: Any, max_depth: int) -> str | None:
    """What makes a parsed document unusable, or None: nesting deeper than ``max_depth``, or
    a whole number with more than :data:`MAX_INT_DIGITS` digits. Iterative: no recursion."""
    limit = 10 ** MAX_INT_DIGITS
    stack = [(doc, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            if type(node) is int and not -limit < node < limit:
                return (f"it holds a whole number of more than {MAX_INT_DIGITS} digits "
                        f"({brief(node)})")
            continue
        if depth > max_depth:
            return f"it is nested more than {max_depth} levels deep"
        stack.extend((child, depth + 1) for child in children
                     if isinstance(child, dict | list) or type(child) is int)
    return None


def parse_json(raw: bytes | str, source: str, max_depth: int = MAX_DEPTH) -> Any:
    """Parse JSON text safely: a clear :class:`DataError` for anything but a usable document.

    Accepts a UTF-8 byte-order mark. Refuses text that is not UTF-8, not JSON, ``NaN`` or
    ``Infinity`` (not JSON), nesting deeper than ``max_depth`` and whole numbers of more than
    :data:`MAX_INT_DIGITS` digits; never raises RecursionError, OverflowError or
    UnicodeDecodeError. Messages are short, whatever the file holds.

    Parameters
    ----------
    raw : bytes or str
        The file's content.
    source : str
        Where it came from, for the message.
    max_depth : int
        Deepest nesting of arrays and objects accepted.

    Returns
    -------
    object
        The parsed document.

    Raises
    ------
    DataError
        Naming ``source`` and what is wrong.
    """
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DataError(source, f"is not a UTF-8 text file (byte {exc.start})") from None
    raw = raw.removeprefix("\ufeff")
    try:
        doc = json.loads(raw, parse_constant=_not_json_constant)
    except json.JSONDecodeError as exc:
        raise DataError(source, f"not valid JSON (line {exc.lineno}, column {exc.colno}: "
                        f"{exc.msg})") from None
    except RecursionError:
        raise DataError(source, f"not usable: it is nested more than {max_depth} levels "
                        "deep") from None
    except ValueError as exc:  # NaN/Infinity, or more digits than Python converts
        raise DataError(source, f"not valid JSON ({brief(str(exc), 120)[1:-1]})") from None
    problem = _check_tree(doc, max_depth)
    if problem is not None:
        raise DataError(source, f"not usable: {problem}")
    return doc


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
    return parse_json(text, f"data/{relpath}")


#: Lists whose items are the "entries" an error message names by their key, id, term or name.
_ENTRY_LISTS = ("entries", "questions", "terms", "steps", "lessons", "routines", "muscles",
                "segments", "claims", "axes", "items", "actions", "rows", "notes", "experiments",
                "answers", "logistics")


def _entry_name(data: Any, path: list) -> tuple[str | None, list]:
    """Split a jsonschema error path into the entry's name and the rest (the field)."""
    if not path:
        return None, []
    container = data
    if (isinstance(data, dict) and len(path) > 2 and isinstance(data.get(path[0]), dict)
            and path[1] in _ENTRY_LISTS):
        data, path = data[path[0]], path[1:]  # a list one level down, e.g. a model's "axes"
    if isinstance(data, dict) and path[0] in _ENTRY_LISTS and len(path) > 1:
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


def lookup(index: Mapping[str, T], name: Any, what: str,
           normal: Callable[[str], str] | None = None) -> T:
    """One item of ``index`` by name, or a KeyError naming the value and the closest names.

    Parameters
    ----------
    index : Mapping of str to item
        The items by name (e.g. the bibliography by citation key).
    name : object
        The name asked for; anything but a known name (a string) is refused.
    what : str
        What an item is called in the message, e.g. ``"reference"``.
    normal : callable, optional
        How a name is written in ``index`` (e.g. ``str.lower``), applied to ``name`` first.

    Returns
    -------
    item
        ``index[normal(name)]``.

    Raises
    ------
    KeyError
        ``unknown <what> <name>; did you mean ...?``, the name quoted briefly (at most
        80 characters) and up to three close matches.
    """
    wanted = (normal(name) if normal is not None else name) if isinstance(name, str) else None
    if wanted is not None and wanted in index:
        return index[wanted]
    close = difflib.get_close_matches(wanted, list(index), n=3) if wanted is not None else []
    hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
    raise KeyError(f"unknown {what} {brief(name)}{hint}")


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


def record(cls: type[T], item: Mapping, source: str, *, entry: str | None = None,
           refs: Sequence[str] = (), computed: Mapping[str, Any] | None = None) -> T:
    """One typed record (a dataclass) from one validated JSON object.

    Each field takes the value of the key of the same name (a JSON list becomes a tuple), or
    its value in ``computed`` (nested records, renamed or derived fields); a field with a
    default may be absent.

    Parameters
    ----------
    cls : dataclass type
        The record to build.
    item : Mapping
        The JSON object.
    source : str
        Where it came from (the file, perhaps with the entry), for messages.
    entry : str, optional
        The entry's name, for messages.
    refs : sequence of str
        Fields of ``item`` holding citation keys, each to be found in the bibliography; an
        absent one is skipped.
    computed : Mapping, optional
        Field values that are not a copy of the key of the same name.

    Returns
    -------
    cls
        The record.

    Raises
    ------
    DataError
        When ``item`` is not an object, lacks a field the record needs, or cites a reference
        that is not in the bibliography (naming the file, the entry and the field).
    TypeError
        When ``computed`` names a field the record does not have (a mistake in the code).
    """
    from melt_course.content.bibliography import resolve  # it loads through this module

    computed = computed or {}
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(computed) - set(fields))
    if unknown:
        raise TypeError(f"{cls.__name__} has no field {unknown[0]!r}; it has {sorted(fields)}")
    if not isinstance(item, Mapping):
        raise DataError(source, f"expected an object for a {cls.__name__}, got {brief(item)}",
                        entry=entry)
    for field in refs:
        if field in item:
            resolve(item[field], source if entry is None else f"{source}, entry {brief(entry)}")
    values = {}
    for name, f in fields.items():
        if name in computed:
            values[name] = computed[name]
        elif name in item:
            value = item[name]
            values[name] = tuple(value) if isinstance(value, list) else value
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise DataError(source, "required field is missing", entry=entry, field=name)
    return cls(**values)


def records(cls: type[T], items: Sequence[Mapping], source: str, *, kind: str = "entry",
            key: str | None = "id", refs: Sequence[str] = ("refs",),
            build: Callable[[Mapping, str], Mapping[str, Any]] | None = None) -> tuple[T, ...]:
    """Typed records from a list of validated JSON objects, cross-checked.

    Each object's ``key`` must be unique in the list; its citation keys (the fields named in
    ``refs``) must be in the bibliography; then it becomes a record as :func:`record` makes it.

    Parameters
    ----------
    cls : dataclass type
        The record to build for each object.
    items : sequence of Mapping
        The JSON objects.
    source : str
        The file they came from, e.g. ``"data/neurocore.json"``.
    kind : str
        What an object is called in a message, e.g. ``"term"`` (gives ``term 'x'``).
    key : str or None
        The field that names an object and must be unique; None for unnamed objects (they
        are named by their position, ``#0``, ``#1``...).
    refs : sequence of str
        Fields holding citation keys; an absent one is skipped.
    build : callable, optional
        ``build(item, where)`` returns the record's computed fields (see :func:`record`);
        ``where`` is ``"<source>, <kind> <name>"``, for messages.

    Returns
    -------
    tuple
        The records, in the list's order.

    Raises
    ------
    DataError
        For a repeated key, an unknown reference or a missing field, naming the file and the
        entry (every quoted value cut to a short length).
    """
    seen: set = set()
    out = []
    for i, item in enumerate(items):
        name = item.get(key) if key is not None and isinstance(item, Mapping) else None
        label = brief(name) if name is not None else f"#{i}"
        if name is not None:
            if name in seen:
                raise DataError(source, f"duplicate {key}", entry=name, field=key)
            seen.add(name)
        where = f"{source}, {kind} {label}"
        computed = build(item, where) if build is not None and isinstance(item, Mapping) else {}
        out.append(record(cls, item, where, refs=refs, computed=computed))
    return tuple(out)
