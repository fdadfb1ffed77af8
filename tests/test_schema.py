"""The course's own schema validator agrees with the reference ``jsonschema`` package.

Every data file is checked by both, and so are many broken variants of each (a field removed,
a value replaced by one of another type), generated with hypothesis.
"""

import copy
import json

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from melt_course.content import loader
from melt_course.content.schema import SchemaError, iter_issues

DATA = loader._data_root()
SCHEMAS = sorted(p.name.removesuffix(".schema.json") for p in DATA.joinpath("schemas").iterdir())

# Which schema validates which data file: a file "<name>.json" or a folder "<name>/" or its
# plural. A data file that matches no schema fails test_every_data_file_has_a_schema.
ALIASES = {"quizzes": "quiz", "routines": "routine"}


def _schema_name(rel: str) -> str | None:
    head = rel.split("/")[0].removesuffix(".json")
    head = ALIASES.get(head, head)
    if head in SCHEMAS:
        return head
    if head.endswith("s") and head[:-1] in SCHEMAS:
        return head[:-1]
    return None


def _data_files():
    out = []
    for path in sorted(DATA.rglob("*.json") if hasattr(DATA, "rglob") else []):
        rel = path.relative_to(DATA).as_posix()
        if not rel.startswith("schemas/"):
            out.append(rel)
    return out


DATA_FILES = _data_files()


def _ours_valid(data, schema):
    return next(iter_issues(data, schema), None) is None


def _reference_valid(data, schema):
    return jsonschema.Draft202012Validator(schema).is_valid(data)


def test_every_data_file_has_a_schema():
    assert DATA_FILES, "no data files found"
    missing = [rel for rel in DATA_FILES if _schema_name(rel) is None]
    assert missing == [], "data files without a schema (add one in data/schemas/)"


@pytest.mark.parametrize("name", SCHEMAS)
def test_schemas_are_valid_draft_2020_12(name):
    jsonschema.Draft202012Validator.check_schema(loader.load_schema(name))


@pytest.mark.parametrize("rel", DATA_FILES)
def test_every_data_file_is_valid_for_both_validators(rel):
    data = json.loads(DATA.joinpath(rel).read_text(encoding="utf-8"))
    schema = loader.load_schema(_schema_name(rel))
    assert _reference_valid(data, schema)
    assert _ours_valid(data, schema)


def _paths(node, path=()):
    """Every location in a JSON document."""
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, (*path, i))


REPLACEMENTS = [None, 0, -1, 2.5, "", "x", [], {}, True, ["x"], 10**6]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_broken_variants_get_the_same_verdict(data):
    rel = data.draw(st.sampled_from(DATA_FILES))
    doc = json.loads(DATA.joinpath(rel).read_text(encoding="utf-8"))
    schema = loader.load_schema(_schema_name(rel))
    paths = [p for p in _paths(doc) if p]
    target = data.draw(st.sampled_from(paths))
    broken = copy.deepcopy(doc)
    parent = broken
    for key in target[:-1]:
        parent = parent[key]
    if data.draw(st.booleans()) and isinstance(parent, dict):
        del parent[target[-1]]
    else:
        parent[target[-1]] = data.draw(st.sampled_from(REPLACEMENTS))
    assert _ours_valid(broken, schema) == _reference_valid(broken, schema), (rel, target)


def test_unsupported_keyword_is_refused_not_ignored():
    with pytest.raises(SchemaError, match="dependentRequired"):
        list(iter_issues({}, {"dependentRequired": {"a": ["b"]}}))


@pytest.mark.parametrize(("value", "schema", "fragment"), [
    (True, {"type": "integer"}, "True is not of type 'integer'"),
    ([1, 1], {"uniqueItems": True}, "non-unique"),
    ({"a": 1}, {"additionalProperties": False}, "'a' was unexpected"),
    ("ab", {"pattern": "^a$"}, "does not match"),
    (3, {"enum": [1, 2]}, "is not one of [1, 2]"),
    ({}, {"$ref": "#/$defs/x", "$defs": {"x": {"required": ["k"]}}}, "'k' is a required"),
])
def test_messages_name_the_bad_value(value, schema, fragment):
    issues = list(iter_issues(value, schema))
    assert issues and fragment in issues[0].message
    assert not _reference_valid(value, schema)


@pytest.mark.parametrize(("bad", "keyword"), [(float("nan"), "type"), ("1.5", "type"),
                                              (True, "type"), (None, "type")])
def test_a_bad_coordinate_deep_in_a_view_is_found_where_it_is(bad, keyword):
    # The anatomy views are mostly coordinates, which the validator accepts on a fast path;
    # a bad one must still be reported, with its place in the file.
    view = json.loads(DATA.joinpath("anatomy_views", "front.json").read_text())
    schema = json.loads(DATA.joinpath("schemas", "anatomy_view.schema.json").read_text())
    assert list(iter_issues(view, schema)) == []
    view["spine"]["base"][1] = bad
    issues = list(iter_issues(view, schema))
    assert [(i.path, i.keyword) for i in issues] == [(("spine", "base", 1), keyword)]
    view["spine"]["base"][1] = 0.0
    view["spine"]["base_angle"] = 61
    assert [(i.path, i.keyword) for i in iter_issues(view, schema)] == [
        (("spine", "base_angle"), "maximum")]
