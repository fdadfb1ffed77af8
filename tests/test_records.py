"""The typed loader (content.loader.record / records) and the loaders built on it: a broken
file, a schema violation, a missing file, a repeated id, an unknown reference or a missing
field each fails with a short DataError naming the file, the entry and the bad value."""

import json
from dataclasses import dataclass

import pytest

from melt_course.content import bibliography, emg, loader, neurocore
from melt_course.content.loader import DataError, record, records
from melt_course.models import startle
from melt_course.teaching import workshop

#: Every loader that builds its records through the helper, with its file.
LOADERS = [(emg.load_emg, "psoas_emg.json"), (neurocore.load_neurocore, "neurocore.json"),
           (startle.load_startle, "startle/startle.json"),
           (startle.load_claims, "startle_claims.json"),
           (workshop.load_workshop, "workshop.json")]
CACHED = [loader.load_schema, bibliography.load_bibliography, emg.load_emg,
          neurocore.load_neurocore, startle.load_startle, startle.load_stress_model,
          startle.load_claims, workshop.load_workshop]


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """The package's data folder copied to a temporary one the loaders read instead."""
    real = loader._data_root()

    def copy(src, dest):
        dest.mkdir(parents=True, exist_ok=True)
        for item in src.iterdir():
            if item.is_dir():
                copy(item, dest / item.name)
            elif item.name.endswith(".json"):
                (dest / item.name).write_text(item.read_text(encoding="utf-8"),
                                              encoding="utf-8")

    copy(real, tmp_path)
    monkeypatch.setattr(loader, "_data_root", lambda: tmp_path)
    for cached in CACHED:
        cached.cache_clear()
    yield tmp_path
    for cached in CACHED:
        cached.cache_clear()


def _edit(root, rel, change):
    path = root / rel
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize(("load", "rel"), LOADERS, ids=[r for _, r in LOADERS])
def test_a_broken_file_is_named_with_its_line(data_copy, load, rel):
    (data_copy / rel).write_text('{"a": [\n  1,\n  oops\n]}', encoding="utf-8")
    with pytest.raises(DataError, match=rf"data/{rel}: not valid JSON \(line 3, column 3"):
        load()


@pytest.mark.parametrize(("load", "rel"), LOADERS, ids=[r for _, r in LOADERS])
def test_a_missing_file_is_named(data_copy, load, rel):
    (data_copy / rel).unlink()
    with pytest.raises(DataError, match=rf"data/{rel}: file not found in the package"):
        load()


def test_a_schema_violation_names_file_entry_field_and_a_short_value(data_copy):
    huge = "x" * 20_000
    _edit(data_copy, "psoas_emg.json", lambda d: d["actions"][1].update(label=huge))
    with pytest.raises(DataError) as info:
        emg.load_emg()
    err = info.value
    action = json.loads((data_copy / "psoas_emg.json").read_text())["actions"][1]["id"]
    assert (err.source, err.entry, err.field) == ("data/psoas_emg.json", action, "label")
    assert "'xxxx" in str(err) and len(str(err)) < 400


def test_a_repeated_id_is_refused_naming_it(data_copy):
    _edit(data_copy, "neurocore.json", lambda d: d["terms"].append(dict(d["terms"][0])))
    first = json.loads((data_copy / "neurocore.json").read_text())["terms"][0]["id"]
    with pytest.raises(DataError, match=rf"neurocore\.json.*entry '{first}'.*duplicate id"):
        neurocore.load_neurocore()


def test_an_unknown_reference_is_refused_naming_entry_and_key(data_copy):
    _edit(data_copy, "workshop.json", lambda d: d["logistics"][0].update(refs=["nobody2099"]))
    topic = json.loads((data_copy / "workshop.json").read_text())["logistics"][0]["topic"]
    with pytest.raises(DataError) as info:
        workshop.load_workshop()
    assert str(info.value).startswith(f"data/workshop.json, logistics {topic!r}")
    assert "unknown reference 'nobody2099'" in str(info.value)


def test_a_nested_record_names_its_parents(data_copy):
    def change(d):
        d["terms"][0]["points_at"][0]["refs"] = ["nobody2099"]
    _edit(data_copy, "neurocore.json", change)
    raw = json.loads((data_copy / "neurocore.json").read_text())["terms"][0]
    with pytest.raises(DataError, match=rf"neurocore\.json, term '{raw['id']}', idea "
                                        r"'[^']+'.*'nobody2099'"):
        neurocore.load_neurocore()


# --------------------------------------------------------------------------- the helper itself


@dataclass(frozen=True)
class _Item:
    id: str
    refs: tuple[str, ...]
    size: float
    note: str | None = None


def test_record_copies_fields_turns_lists_into_tuples_and_keeps_defaults():
    got = record(_Item, {"id": "a", "refs": ["gray1918"], "size": 2, "other": 1}, "f.json",
                 refs=("refs",), computed={"size": 2.5})
    assert got == _Item("a", ("gray1918",), 2.5)
    assert isinstance(got.refs, tuple) and got.note is None


def test_record_names_a_missing_field_and_a_wrong_kind_of_item():
    with pytest.raises(DataError, match=r"f\.json, entry 'a', field 'size': required field"):
        record(_Item, {"id": "a", "refs": []}, "f.json", entry="a")
    with pytest.raises(DataError, match=r"f\.json: expected an object for a _Item, got 'yyy"):
        record(_Item, "y" * 5000, "f.json")
    with pytest.raises(TypeError, match="no field 'sise'"):
        record(_Item, {"id": "a", "refs": [], "size": 1}, "f.json", computed={"sise": 1})


def test_records_bounds_a_long_repeated_id():
    long_id = "z" * 10_000
    items = [{"id": long_id, "refs": [], "size": 1}] * 2
    with pytest.raises(DataError, match="duplicate id") as info:
        records(_Item, items, "f.json", kind="thing")
    assert len(str(info.value)) < 200


def test_records_without_a_key_names_entries_by_position():
    items = [{"refs": ["gray1918"], "id": "x", "size": 1}, {"refs": ["nobody"], "size": 1}]
    with pytest.raises(DataError, match=r"f\.json, thing #1.*unknown reference 'nobody'"):
        records(_Item, items, "f.json", kind="thing", key=None)
    built = records(_Item, items[:1] * 2, "f.json", key=None,
                    build=lambda item, where: {"note": where})
    assert [b.note for b in built] == ["f.json, entry #0", "f.json, entry #1"]
