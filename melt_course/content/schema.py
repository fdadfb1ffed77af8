r"""A small JSON Schema validator for the course's own data files.

Why not the ``jsonschema`` package at run time: importing it also imports its format checkers,
which (with ``rfc3987-syntax`` installed, as JupyterLab installs it) compile dozens of grammars
and cost seconds in every lesson's first cell. The course's schemas use a small subset of
Draft 2020-12, implemented here; an unsupported keyword is refused rather than ignored, and
``tests/test_schema.py`` checks that this validator and ``jsonschema`` agree on every data file
and on many broken variants of them.

Where this validator deliberately differs from ``jsonschema``
    - ``pattern``: JSON Schema patterns are ECMA-262 regular expressions, in which ``$`` matches
      only at the very end of the string. Python's ``$`` also matches before a final newline,
      so ``jsonschema`` (which uses Python's ``re.search``) accepts ``"...Z\n"`` for a pattern
      ending in ``Z$``. Here an unescaped ``$`` outside a character class means ``\Z`` (the
      end of the string), as in ECMA-262.
    - Numbers: ``NaN`` and ``Infinity`` are not JSON (RFC 8259); Python's ``json`` reads them as
      an extension and ``jsonschema`` accepts them as numbers. The course refuses them: as a
      value ("is not a finite number") and, in :mod:`melt_course.content.loader`, as a literal
      in a file. ``tests/test_hardening.py`` checks both differences against ``jsonschema``.

Every message quotes the bad value through :func:`brief`, so a huge value gives a short message.
"""

from __future__ import annotations

import math
import re
import reprlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

__all__ = ["Issue", "SchemaError", "brief", "iter_issues"]

_ANNOTATIONS = {"$schema", "$id", "$comment", "title", "description", "examples", "default",
                "format", "$defs", "definitions", "readOnly", "deprecated"}
_SUPPORTED = _ANNOTATIONS | {
    "type", "properties", "required", "additionalProperties", "patternProperties",
    "minProperties", "maxProperties", "items", "minItems", "maxItems", "uniqueItems",
    "minLength", "maxLength", "pattern", "enum", "const", "minimum", "maximum",
    "exclusiveMinimum", "exclusiveMaximum", "anyOf", "oneOf", "allOf", "not", "if", "then",
    "else", "$ref", "contains",
}


class SchemaError(ValueError):
    """The schema itself uses something this validator does not support."""


@dataclass(frozen=True)
class Issue:
    """One violation: where it is (a path of keys and indices), what is wrong, which keyword."""

    path: tuple
    message: str
    keyword: str
    missing: str | None = None


_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool))
    or (isinstance(v, float) and v.is_integer()),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
}


#: Longest quotation of a bad value in a message (characters).
BRIEF_LIMIT = 80

_BRIEF = reprlib.Repr()
_BRIEF.maxstring = _BRIEF.maxother = BRIEF_LIMIT
_BRIEF.maxlevel = 3
_BRIEF.maxlist = _BRIEF.maxtuple = _BRIEF.maxdict = _BRIEF.maxset = _BRIEF.maxfrozenset = 20


def brief(value: Any, limit: int = BRIEF_LIMIT) -> str:
    """A short ``repr`` of ``value`` for an error message: at most ``limit`` characters.

    Long strings, big containers, deep nesting and huge integers (whose full ``repr`` Python
    may refuse to make) are abbreviated, so a bad 20 MB value gives a one-line message.
    """
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        text = f"<a whole number of about {int(value.bit_length() * 0.30103)} digits>"
    else:
        try:
            text = _BRIEF.repr(value)
        except (ValueError, RecursionError):
            text = f"<a {type(value).__name__}>"
    return text if len(text) <= limit else text[:limit - 1] + "…"


_ECMA_DOLLAR = re.compile(r"\\.|\[(?:\\.|[^\]\\])*\]|\$", re.S)


def _ecma(pattern: str) -> str:
    """``pattern`` with each unescaped ``$`` outside a character class made ``\\Z``."""
    return _ECMA_DOLLAR.sub(lambda m: r"\Z" if m.group(0) == "$" else m.group(0), pattern)


@cache
def _regex(pattern: str) -> re.Pattern:
    return re.compile(_ecma(pattern))


def _equal(a: Any, b: Any) -> bool:
    """JSON equality: 1 == 1.0, but True != 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    return a == b


def _resolve(ref: str, root: dict) -> dict:
    if not ref.startswith("#/"):
        raise SchemaError(f"only local $ref values are supported, got {ref!r}")
    node: Any = root
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            raise SchemaError(f"$ref {ref!r} does not resolve")
        node = node[part]
    return node


def iter_issues(value: Any, schema: dict | bool, root: dict | None = None,
                path: tuple = ()) -> Iterator[Issue]:
    """Yield every violation of ``schema`` by ``value``.

    Parameters
    ----------
    value : object
        Parsed JSON.
    schema : dict or bool
        A JSON schema (the subset listed in ``_SUPPORTED``).
    root : dict, optional
        The root schema, for ``$ref`` resolution; default ``schema``.
    path : tuple
        Location of ``value`` in the document (used in recursion).

    Raises
    ------
    SchemaError
        When the schema uses an unsupported keyword.
    """
    if schema is True:
        return
    if schema is False:
        yield Issue(path, "no value is allowed here", "false")
        return
    root = root if root is not None else schema
    unknown = set(schema) - _SUPPORTED
    if unknown:
        raise SchemaError(f"unsupported schema keyword(s) {sorted(unknown)}")
    yield from _check(value, schema, root, path)


def _check(value, schema, root, path):
    if "$ref" in schema:
        yield from iter_issues(value, _resolve(schema["$ref"], root), root, path)
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_TYPES[t](value) for t in types):
            shown = types[0] if len(types) == 1 else types
            yield Issue(path, f"{brief(value)} is not of type {shown!r}", "type")
            return
    if "enum" in schema and not any(_equal(value, e) for e in schema["enum"]):
        yield Issue(path, f"{brief(value)} is not one of {brief(schema['enum'], 200)}", "enum")
    if "const" in schema and not _equal(value, schema["const"]):
        yield Issue(path, f"{brief(schema['const'])} was expected", "const")
    if _TYPES["number"](value):
        yield from _check_number(value, schema, path)
    if isinstance(value, str):
        if "minLength" in schema and len(value) < schema["minLength"]:
            msg = "should be non-empty" if schema["minLength"] == 1 else "is too short"
            yield Issue(path, f"{brief(value)} {msg}", "minLength")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            yield Issue(path, f"{brief(value)} is too long", "maxLength")
        if "pattern" in schema and not _regex(schema["pattern"]).search(value):
            yield Issue(path, f"{brief(value)} does not match {schema['pattern']!r}", "pattern")
    if isinstance(value, list):
        yield from _check_array(value, schema, root, path)
    if isinstance(value, dict):
        yield from _check_object(value, schema, root, path)
    for sub in schema.get("allOf", []):
        yield from iter_issues(value, sub, root, path)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            passing = sum(1 for sub in schema[key] if not _first(value, sub, root, path))
            if passing == 0:
                yield Issue(path, f"{brief(value)} is not valid under any of the given "
                            "schemas", key)
            elif key == "oneOf" and passing > 1:
                yield Issue(path, f"{brief(value)} is valid under more than one of the given "
                            "schemas", key)
    if "not" in schema and not _first(value, schema["not"], root, path):
        yield Issue(path, f"{brief(value)} should not be valid under {brief(schema['not'])}", "not")
    if "if" in schema:
        branch = "then" if not _first(value, schema["if"], root, path) else "else"
        if branch in schema:
            yield from iter_issues(value, schema[branch], root, path)


def _first(value, schema, root, path) -> Issue | None:
    return next(iter_issues(value, schema, root, path), None)


_QUICK_KEYS = frozenset({"type", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
                         "minLength", "maxLength", "pattern", "enum", "minItems", "maxItems",
                         "items", "description", "title"})


def _quick_ok(value: Any, schema: Any, root: dict) -> bool:
    """True when ``value`` certainly meets a simple schema (a number, a string, or an array of
    those, maybe behind a ``$ref``); False means "not sure": check it fully.

    Most nodes of the course's data files are such leaves (the anatomy views are mostly
    coordinates); accepting them here, without a generator per node, makes loading several
    times faster. Anything else, and every failure, takes the full path, so the issues
    reported are the same.
    """
    if schema is True:
        return True
    if not isinstance(schema, dict):
        return False
    ref = schema.get("$ref")
    if ref is not None:
        return (schema.keys() <= {"$ref", "description", "title"}
                and _quick_ok(value, _resolve(ref, root), root))
    if not schema.keys() <= _QUICK_KEYS:
        return False
    kind = schema.get("type")
    cls = type(value)
    if cls is int or cls is float:
        if not (kind == "number" or (kind == "integer" and cls is int)) or "enum" in schema:
            return False
        if cls is float and not math.isfinite(value):
            return False
        return (("minimum" not in schema or value >= schema["minimum"])
                and ("maximum" not in schema or value <= schema["maximum"])
                and ("exclusiveMinimum" not in schema or value > schema["exclusiveMinimum"])
                and ("exclusiveMaximum" not in schema or value < schema["exclusiveMaximum"]))
    if cls is str:
        if kind not in ("string", None) or (kind is None and "enum" not in schema):
            return False
        return (("enum" not in schema or value in schema["enum"])
                and ("minLength" not in schema or len(value) >= schema["minLength"])
                and ("maxLength" not in schema or len(value) <= schema["maxLength"])
                and ("pattern" not in schema or bool(_regex(schema["pattern"]).search(value))))
    if cls is list:
        if kind != "array" or "enum" in schema:
            return False
        if ("minItems" in schema and len(value) < schema["minItems"]) or \
                ("maxItems" in schema and len(value) > schema["maxItems"]):
            return False
        items = schema.get("items", True)
        return all(_quick_ok(item, items, root) for item in value)
    return False


def _check_number(value, schema, path):
    if "minimum" in schema and value < schema["minimum"]:
        yield Issue(path, f"{brief(value)} is less than the minimum of {schema['minimum']!r}",
                    "minimum")
    if "maximum" in schema and value > schema["maximum"]:
        yield Issue(path, f"{brief(value)} is greater than the maximum of {schema['maximum']!r}",
                    "maximum")
    if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
        yield Issue(path, f"{brief(value)} is less than or equal to the minimum of "
                    f"{schema['exclusiveMinimum']!r}", "exclusiveMinimum")
    if "exclusiveMaximum" in schema and value >= schema["exclusiveMaximum"]:
        yield Issue(path, f"{brief(value)} is greater than or equal to the maximum of "
                    f"{schema['exclusiveMaximum']!r}", "exclusiveMaximum")
    if isinstance(value, float) and not math.isfinite(value):
        yield Issue(path, f"{brief(value)} is not a finite number", "type")


def _check_array(value, schema, root, path):
    if "minItems" in schema and len(value) < schema["minItems"]:
        msg = "should be non-empty" if schema["minItems"] == 1 else "is too short"
        yield Issue(path, f"{brief(value)} {msg}", "minItems")
    if "maxItems" in schema and len(value) > schema["maxItems"]:
        yield Issue(path, f"{brief(value)} is too long", "maxItems")
    if schema.get("uniqueItems"):
        for i, item in enumerate(value):
            if any(_equal(item, other) for other in value[:i]):
                yield Issue(path, f"{brief(value)} has non-unique elements", "uniqueItems")
                break
    if "items" in schema:
        items = schema["items"]
        for i, item in enumerate(value):
            if not _quick_ok(item, items, root):
                yield from iter_issues(item, items, root, (*path, i))
    if "contains" in schema and not any(
            not _first(item, schema["contains"], root, (*path, i)) for i, item in enumerate(value)):
        yield Issue(path, f"{brief(value)} does not contain items matching the given schema",
                    "contains")


def _check_object(value, schema, root, path):
    for name in schema.get("required", []):
        if name not in value:
            yield Issue(path, f"{brief(name)} is a required property", "required", missing=name)
    if "minProperties" in schema and len(value) < schema["minProperties"]:
        yield Issue(path, f"{brief(value)} does not have enough properties", "minProperties")
    if "maxProperties" in schema and len(value) > schema["maxProperties"]:
        yield Issue(path, f"{brief(value)} has too many properties", "maxProperties")
    props = schema.get("properties", {})
    patterns = schema.get("patternProperties", {})
    extra = []
    for key, item in value.items():
        matched = False
        if key in props:
            matched = True
            if not _quick_ok(item, props[key], root):
                yield from iter_issues(item, props[key], root, (*path, key))
        for pattern, sub in patterns.items():
            if _regex(pattern).search(key):
                matched = True
                yield from iter_issues(item, sub, root, (*path, key))
        if not matched:
            extra.append(key)
    additional = schema.get("additionalProperties", True)
    if extra and additional is False:
        names = ", ".join(brief(k) for k in extra[:5]) + (", …" if len(extra) > 5 else "")
        verb = "was" if len(extra) == 1 else "were"
        yield Issue(path, f"Additional properties are not allowed ({names} {verb} unexpected)",
                    "additionalProperties")
    elif extra and isinstance(additional, dict):
        for key in extra:
            yield from iter_issues(value[key], additional, root, (*path, key))
