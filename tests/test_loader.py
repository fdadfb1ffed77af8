"""The data layer's loaders: real files load, broken files fail with file, entry and field."""

import json

import pytest

from melt_course.content import bibliography, course, evidence, glossary, loader, quiz
from melt_course.content.loader import DataError


@pytest.fixture
def fake_data(tmp_path, monkeypatch):
    """Point the loader at a temporary data folder holding the real schemas."""
    real = loader._data_root()
    (tmp_path / "schemas").mkdir()
    for item in real.joinpath("schemas").iterdir():
        (tmp_path / "schemas" / item.name).write_text(item.read_text(encoding="utf-8"))
    monkeypatch.setattr(loader, "_data_root", lambda: tmp_path)
    for cached in (loader.load_schema, bibliography.load_bibliography, glossary.load_glossary,
                   course.load_course, evidence.load_labels, evidence.load_seed_claims):
        cached.cache_clear()
    yield tmp_path
    for cached in (loader.load_schema, bibliography.load_bibliography, glossary.load_glossary,
                   course.load_course, evidence.load_labels, evidence.load_seed_claims):
        cached.cache_clear()


def _write(root, rel, data):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")


GOOD_REF = {"key": "smith2020", "authors": ["Smith A"], "year": 2020, "title": "A title",
            "published_in": "A journal 1:1-2", "doi": "10.1000/xyz"}


def test_real_bibliography_loads_with_unique_resolvable_entries():
    refs = bibliography.load_bibliography()
    assert "gray1918" in refs and "juker1998" in refs
    for ref in refs.values():
        assert ref.link and ref.link.startswith("http"), ref.key


def test_real_glossary_terms_resolve_their_references():
    terms = glossary.load_glossary()
    refs = bibliography.load_bibliography()
    for term in terms.values():
        assert term.label in evidence.load_labels()
        assert all(key in refs for key in term.refs)


def test_evidence_labels_match_the_policy_and_the_text_markup():
    ids = list(evidence.load_labels())
    # The policy's six labels, plus the course's own rules and conventions (issue 13).
    assert ids == ["anatomy", "research", "model", "MELT", "practitioner view", "contested",
                   "course"]
    text = " ".join(f"*({i})*" for i in ids)
    assert evidence.find_labels(text) == ids


def test_course_map_is_ordered_and_objectives_numbered():
    lessons = course.load_course()
    assert lessons[0].id == "00" and lessons[0].notebook == "00_start_here.ipynb"
    assert course.total_minutes() == sum(les.minutes for les in lessons)
    with pytest.raises(KeyError, match="'99'"):
        course.lesson("99")


@pytest.mark.parametrize(("mutate", "field", "fragment"), [
    (lambda e: e.pop("authors"), "authors", "required field is missing"),
    (lambda e: e.update(year="2020"), "year", "is not of type 'integer'"),
    (lambda e: e.update(authors=[]), "authors", "should be non-empty"),
    (lambda e: e.pop("doi"), None, "is not valid under any of the given schemas"),
])
def test_broken_bibliography_entry_names_file_entry_and_field(fake_data, mutate, field, fragment):
    entry = dict(GOOD_REF)
    mutate(entry)
    _write(fake_data, "bibliography/a.json", {"entries": [entry]})
    with pytest.raises(DataError) as info:
        bibliography.load_bibliography()
    err = info.value
    assert err.source == "data/bibliography/a.json"
    assert err.entry == "smith2020"
    assert err.field == field
    assert fragment in str(err)
    assert "data/bibliography/a.json" in str(err) and "smith2020" in str(err)


def test_duplicate_reference_key_across_files_is_refused(fake_data):
    _write(fake_data, "bibliography/a.json", {"entries": [GOOD_REF]})
    _write(fake_data, "bibliography/b.json", {"entries": [GOOD_REF]})
    with pytest.raises(DataError, match=r"b\.json.*smith2020.*duplicate key.*a\.json"):
        bibliography.load_bibliography()


def test_invalid_json_names_file_and_line(fake_data):
    _write(fake_data, "bibliography/a.json", '{"entries": [\n  {"key": }\n]}')
    with pytest.raises(DataError, match=r"a\.json: not valid JSON \(line 2"):
        bibliography.load_bibliography()


def test_glossary_with_unknown_reference_is_refused(fake_data):
    _write(fake_data, "bibliography/a.json", {"entries": [GOOD_REF]})
    _write(fake_data, "glossary/g.json", {"terms": [
        {"term": "psoas", "definition": "A muscle of the lumbar spine.", "label": "anatomy",
         "refs": ["smith2020", "nobody1999"]}]})
    with pytest.raises(DataError, match=r"g\.json, term 'psoas'.*unknown reference 'nobody1999'"):
        glossary.load_glossary()


def test_glossary_with_unknown_label_or_see_also_is_refused(fake_data):
    _write(fake_data, "bibliography/a.json", {"entries": [GOOD_REF]})
    term = {"term": "psoas", "definition": "A muscle of the lumbar spine.", "label": "folklore",
            "refs": ["smith2020"]}
    _write(fake_data, "glossary/g.json", {"terms": [term]})
    with pytest.raises(DataError) as info:
        glossary.load_glossary()
    assert (info.value.entry, info.value.field) == ("psoas", "label")
    glossary.load_glossary.cache_clear()
    _write(fake_data, "glossary/g.json",
           {"terms": [{**term, "label": "anatomy", "see_also": ["iliacus"]}]})
    with pytest.raises(DataError, match="see_also names unknown term 'iliacus'"):
        glossary.load_glossary()


def test_course_map_notebook_must_match_lesson_id(fake_data):
    _write(fake_data, "course.json", {"lessons": [
        {"id": "01", "title": "T", "notebook": "02_wrong.ipynb", "minutes": 5,
         "objectives": ["Do a thing."], "status": "available"}]})
    with pytest.raises(DataError) as info:
        course.load_course()
    assert (info.value.entry, info.value.field) == ("01", "notebook")


def test_missing_data_file_is_named(fake_data):
    with pytest.raises(DataError, match=r"data/course\.json: file not found"):
        course.load_course()


def test_unknown_reference_suggests_close_keys():
    with pytest.raises(KeyError, match=r"juker1999.*did you mean 'juker1998'"):
        bibliography.get("juker1999")
    with pytest.raises(DataError, match="unknown reference 'nobody'"):
        bibliography.resolve(["gray1918", "nobody"], "a lesson")


def test_format_reference_includes_link_design_and_escapes_html():
    ref = bibliography.get("juker1998")
    md = bibliography.format_reference(ref)
    assert "https://doi.org/10.1097/00005768-199802000-00020" in md and "n=8" in md
    fake = bibliography.Reference(key="x2020", authors=("A <b>",), year=2020, title="T & U",
                                  published_in="J", url="https://e.org/?a=1&b=2")
    html = bibliography.format_reference(fake, html=True)
    assert "&lt;b&gt;" in html and "T &amp; U" in html and 'href="https://e.org/?a=1&amp;b=2"' in html


def test_cited_keys_in_order_without_repeats():
    text = "A *(anatomy)* [@gray1918]. B [@juker1998], again [@gray1918]."
    assert bibliography.cited_keys(text) == ["gray1918", "juker1998"]


def test_a_repeated_evidence_label_is_refused(fake_data):
    label = {"id": "anatomy", "name": "Anatomy", "meaning": "Textbook anatomy.",
             "how_to_read": "Settled.", "example": "Psoas inserts on the lesser trochanter."}
    _write(fake_data, "evidence_labels.json", {"labels": [label]})
    assert list(evidence.load_labels()) == ["anatomy"]
    evidence.load_labels.cache_clear()
    _write(fake_data, "evidence_labels.json",
           {"labels": [label, {**label, "name": "Anatomy again"}]})
    with pytest.raises(DataError) as info:          # was: the second silently replaced the first
        evidence.load_labels()
    assert (info.value.source, info.value.entry, info.value.field) == (
        "data/evidence_labels.json", "anatomy", "id")
    assert "duplicate id" in str(info.value)


_ABOUT = "A registry of claims made up for a test of the loader."
_CLAIM = {"id": "x", "point": 1, "label": "MELT", "refs": ["smith2020"],
          "claim": "A claim made up for a test.", "patterns": ["made up"]}


@pytest.mark.parametrize(("claims", "entry", "field", "fragment"), [
    ([{**_CLAIM, "patterns": ["(ab"]}], "x", "patterns", "not a regular expression"),
    ([_CLAIM, {**_CLAIM, "point": 2}], "x", "id", "duplicate id"),
    ([{**_CLAIM, "refs": ["nobody1999"]}], None, "refs",
     "claim 'x', field 'refs': unknown reference 'nobody1999'"),
])
def test_a_broken_seed_claim_is_named(fake_data, claims, entry, field, fragment):
    _write(fake_data, "bibliography/a.json", {"entries": [GOOD_REF]})
    _write(fake_data, "seed_claims.json", {"about": _ABOUT, "claims": [_CLAIM]})
    assert evidence.load_seed_claims()["x"].found_in("It is made up.") == [6]
    evidence.load_seed_claims.cache_clear()
    _write(fake_data, "seed_claims.json", {"about": _ABOUT, "claims": claims})
    with pytest.raises(DataError) as info:
        evidence.load_seed_claims()
    assert (info.value.entry, info.value.field) == (entry, field)
    assert "data/seed_claims.json" in str(info.value) and fragment in str(info.value)


@pytest.mark.parametrize(("find", "known", "near", "what"), [
    (bibliography.get, "juker1998", "juker1999", "reference"),
    (glossary.find_term, "psoas major", "Psoas majr", "glossary term"),
    (quiz.get, "00-label-for-emg-finding", "00-label-for-emg-findin", "question"),
])
def test_lookups_by_name_find_known_names_and_name_an_unknown_one_briefly(find, known, near,
                                                                           what):
    assert find(known) is find(known.upper() if what == "glossary term" else known)
    with pytest.raises(KeyError, match=f"unknown {what} '{near}'; did you mean"):
        find(near)
    for bad in ("x" * 100_000, None, 7):
        with pytest.raises(KeyError) as info:
            find(bad)
        message = info.value.args[0]
        assert message.startswith(f"unknown {what} ") and len(message) < 200, message[:300]
