"""The class report: merging learners' exports, per-question and per-lesson numbers, CSVs, the
chart, and bad files refused with a clear reason (and listed in the report)."""

import csv
import json
import math
import subprocess
import sys

import pytest
from class_exports import answer, make_export, right_answer

from melt_course.content import quiz as Q
from melt_course.content.course import load_course
from melt_course.content.loader import DataError
from melt_course.teaching.class_report import (
    build_report,
    read_export,
    read_exports,
    summary_markdown,
)
from melt_course.teaching.class_report_chart import class_report_figure, describe_class_report

LESSON = "00"
IDS = [q.id for q in Q.by_lesson(LESSON)]
SINGLE = next(q for q in Q.by_lesson(LESSON) if q.type == "single")
NUMERIC = next(q for q in Q.by_lesson(LESSON) if q.type == "numeric")


def _wrong_single(offset: int = 1) -> int:
    return (SINGLE.answer + offset) % len(SINGLE.options)


@pytest.fixture
def class_of_three(tmp_path):
    """Ada: everything right first time. Ben: SINGLE wrong then right, rest right.
    Cy: SINGLE wrong twice (same wrong answer), NUMERIC wrong; answered only those two."""
    everything = {qid: [right_answer(qid)] for qid in IDS}
    ada = make_export(tmp_path, "Ada", everything,
                      routines=[(["Rebalance Sequence"], 600, True)])
    ben = make_export(tmp_path, "Ben", {**everything, SINGLE.id: [_wrong_single(),
                                                                 SINGLE.answer]})
    cy = make_export(tmp_path, "Cy", {SINGLE.id: [_wrong_single(), _wrong_single()],
                                      NUMERIC.id: [NUMERIC.answer + 40]},
                     routines=[(["Rebalance Sequence"], 120, False)])
    return [ada, ben, cy]


def test_per_question_percentages_and_wrong_answers(class_of_three):
    exports, skipped = read_exports(class_of_three)
    assert skipped == [] and len(exports) == 3
    report = build_report(exports)
    single = next(q for q in report.questions if q.question == SINGLE.id)
    assert (single.learners, single.first_try_correct, single.correct_eventually) == (3, 1, 2)
    assert single.first_try_pct == pytest.approx(33.3)
    assert single.correct_eventually_pct == pytest.approx(66.7)
    # Ben and Cy gave the same wrong option; Cy twice, but a learner counts once.
    assert [(w.text, w.learners) for w in single.wrong_answers] == \
        [(SINGLE.options[_wrong_single()].text, 2)]
    numeric = next(q for q in report.questions if q.question == NUMERIC.id)
    assert (numeric.learners, numeric.first_try_correct) == (3, 2)
    assert numeric.wrong_answers[0].text == f"{NUMERIC.answer + 40:g} {NUMERIC.units}".strip()
    others = [q for q in report.questions if q.question not in (SINGLE.id, NUMERIC.id)]
    assert all(q.learners == 2 and q.first_try_pct == 100.0 for q in others)


def test_per_lesson_completion_covers_every_lesson_of_the_course_map(class_of_three):
    report = build_report(read_exports(class_of_three)[0])
    assert [le.lesson for le in report.lessons] == [les.id for les in load_course()]
    first = report.lessons[0]
    assert first.questions == len(IDS) and first.class_size == 3
    # Everything in one sitting: answered, even all right, but nothing mastered yet (the
    # course's one definition of mastery needs a right answer again after a wait).
    assert (first.started, first.completed, first.mastered) == (3, 2, 0)
    assert first.completed_pct == pytest.approx(66.7)
    for lesson in report.lessons:
        if lesson.questions == 0:  # a lesson without a quiz cannot be completed
            assert lesson.completed == 0 and lesson.started == 0


def test_the_report_and_the_learners_own_chart_agree_on_mastery(tmp_path):
    """One definition of mastery: a learner who answers a lesson right, and right again when
    it comes back due, has mastered it on their own chart and in the class report; one who
    only answered it right in one sitting has not, in either."""
    from datetime import datetime, timedelta, timezone

    from melt_course.records import review as R
    from melt_course.records.store import open_store

    start = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)

    def learner(name, sittings):
        clock = {"now": start}

        def tick():
            clock["now"] += timedelta(seconds=1)
            return clock["now"]

        store = open_store(tmp_path / f"{name}.json", learner=name, clock=tick)
        for day in sittings:
            clock["now"] = start + timedelta(days=day)
            for qid in IDS:
                answer(store, qid, right_answer(qid))
        return store

    steady = learner("Steady", [0, 2])  # right, and right again two days later, when due
    crammer = learner("Crammer", [0])  # right once, in one sitting
    now = start + timedelta(days=3)
    own = {name: next(row for row in R.mastery(store.records(), now) if row.lesson == LESSON)
           for name, store in (("Steady", steady), ("Crammer", crammer))}
    assert own["Steady"].mastered == own["Steady"].total == len(IDS)
    assert own["Crammer"].mastered == 0
    exports = [store.export(tmp_path / f"export-{i}.json")
               for i, store in enumerate((steady, crammer))]
    first = build_report(read_exports(exports)[0]).lessons[0]
    assert first.lesson == LESSON and (first.completed, first.mastered) == (2, 1)


def test_routine_sessions_are_summed(class_of_three):
    report = build_report(read_exports(class_of_three)[0])
    [routine] = report.routines
    assert (routine.routine, routine.learners, routine.sessions, routine.completed) == \
        ("Rebalance Sequence", 2, 2, 1)
    assert routine.minutes == pytest.approx(12.0)


def test_two_exports_of_one_learner_are_merged_without_double_counting(tmp_path):
    first = make_export(tmp_path, "Dee", {SINGLE.id: [_wrong_single()]})
    doc = json.loads(first.read_text(encoding="utf-8"))
    later = tmp_path / "later.json"  # the same learner exports again after one more answer
    extra = dict(doc["records"][0], id="f" * 32, time="2026-03-01T10:00:00Z",
                 data=dict(doc["records"][0]["data"], answer=SINGLE.answer, correct=True,
                           answer_text=SINGLE.options[SINGLE.answer].text))
    later.write_text(json.dumps({**doc, "records": [*doc["records"], extra]}), encoding="utf-8")
    exports, skipped = read_exports([first, later, first])
    assert len(exports) == 1 and len(exports[0].records) == 2
    assert [s.reason for s in skipped] == ["given twice; read once"]
    report = build_report(exports, skipped)
    single = next(q for q in report.questions if q.question == SINGLE.id)
    assert (single.learners, single.first_try_correct, single.correct_eventually) == (1, 0, 1)
    assert any("merged" in note for note in report.notes)


def _bad_files(folder):
    good = make_export(folder, "Eve", {SINGLE.id: [SINGLE.answer]})
    doc = json.loads(good.read_text(encoding="utf-8"))
    files = {
        "cut.json": good.read_text(encoding="utf-8")[:-40],
        "course.json": json.dumps({"lessons": []}),
        "list.json": "[1, 2]",
        "future.json": json.dumps({**doc, "schema_version": 9}),
        "badrecord.json": json.dumps({**doc, "records": [
            {**doc["records"][0], "data": {**doc["records"][0]["data"], "correct": "yes"}}]}),
        "photo.json": b"\xff\xd8\xff\xe0 not text",
    }
    paths = {}
    for name, content in files.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        paths[name] = path
    return good, paths


@pytest.mark.parametrize(("name", "reason"), [
    ("cut.json", r"is not valid JSON \(line \d+, column \d+.*export again"),
    ("course.json", r"not a melt-course progress export .*found None.*progress export --out"),
    ("list.json", r"not a melt-course progress export .*found 'list'"),
    ("future.json", r"schema_version 9 is newer than this melt-course understands"),
    ("badrecord.json", r"correct"),
    ("photo.json", r"not a text file"),
])
def test_malformed_file_is_refused_with_a_clear_reason(tmp_path, name, reason):
    _, paths = _bad_files(tmp_path)
    with pytest.raises(DataError, match=reason) as info:
        read_export(paths[name])
    assert str(paths[name]) in str(info.value)


def test_missing_file_and_folder_are_refused(tmp_path):
    with pytest.raises(DataError, match=r"cannot be read"):
        read_export(tmp_path / "nope.json")
    with pytest.raises(DataError, match=r"is a folder"):
        read_export(tmp_path)


def test_report_lists_what_it_skipped(tmp_path):
    good, paths = _bad_files(tmp_path)
    exports, skipped = read_exports([good, *paths.values()])
    assert len(exports) == 1
    assert sorted(s.source for s in skipped) == sorted(str(p) for p in paths.values())
    text = summary_markdown(build_report(exports, skipped))
    assert f"Skipped {len(paths)} file(s)" in text
    for path in paths.values():
        assert f"`{path}`" in text


def test_no_valid_export_is_an_error():
    with pytest.raises(ValueError, match=r"no valid progress export .*2 file\(s\) skipped"):
        build_report([], skipped=[object(), object()])


def test_question_no_longer_in_the_bank_is_reported_as_recorded(tmp_path):
    path = make_export(tmp_path, "Fay", {SINGLE.id: [_wrong_single()]})
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["records"][0]["data"].update(question="00-retired-question", answer_text="old text")
    path.write_text(json.dumps(doc), encoding="utf-8")
    report = build_report(read_exports([path])[0])
    [question] = report.questions
    assert question.question == "00-retired-question" and not question.in_bank
    assert question.wrong_answers[0].text == "old text"
    assert any("00-retired-question" in n for n in report.notes)


def test_chart_has_one_bar_per_question_and_lesson_and_a_description(class_of_three):
    report = build_report(read_exports(class_of_three)[0])
    fig, artists = class_report_figure(report)
    assert len(fig.axes) == 2
    bars = artists["questions"]["first_try"]
    assert len(bars) == len(report.questions) == len(IDS)
    widths = {label: bar.get_width() for label, bar in
              zip(artists["questions"]["labels"], bars, strict=True)}
    assert widths[SINGLE.id] == pytest.approx(33.3)
    assert len(artists["lessons"]["completed"]) == len(report.lessons)
    assert artists["lessons"]["completed"][0].get_height() == pytest.approx(66.7)
    text = describe_class_report(report)
    assert text.startswith("Class report for 3 learners.")
    assert f"the hardest at the first try was {SINGLE.id} (33% right)" in text
    assert f"lesson {LESSON} 67% completed, 0% mastered" in text


def _rows(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_command_writes_csvs_chart_and_summary_and_says_what_it_skipped(tmp_path,
                                                                       class_of_three):
    bad = tmp_path / "broken.json"
    bad.write_text("{not json", encoding="utf-8")
    out = tmp_path / "report"
    result = subprocess.run([sys.executable, "-m", "melt_course", "class-report",
                             *map(str, class_of_three), str(bad), "--out", str(out)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert f"skipped {bad}: is not valid JSON" in result.stderr
    assert "3 learner(s)" in result.stdout and "1 file(s) skipped" in result.stdout
    questions = {row["question"]: row for row in _rows(out / "questions.csv")}
    assert questions[SINGLE.id]["first_try_correct_pct"] == "33.3"
    assert questions[SINGLE.id]["most_common_wrong_answer"] == \
        SINGLE.options[_wrong_single()].text
    lessons = {row["lesson"]: row for row in _rows(out / "lessons.csv")}
    assert lessons[LESSON]["completed"] == "2" and lessons[LESSON]["class_size"] == "3"
    files = _rows(out / "files.csv")
    assert [r["status"] for r in files].count("skipped") == 1
    assert next(r for r in files if r["status"] == "skipped")["file"] == str(bad)
    png = (out / "class_report.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 5000
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "**3 learner(s)**" in summary and "Skipped 1 file(s)" in summary
    assert "![Class report chart](class_report.png)" in summary


def test_command_with_only_bad_files_writes_nothing_and_fails(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("[]", encoding="utf-8")
    out = tmp_path / "report"
    result = subprocess.run([sys.executable, "-m", "melt_course", "class-report", str(bad),
                             "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "no valid progress export" in result.stderr and not out.exists()


def test_percentages_of_nobody_are_not_a_number():
    from melt_course.teaching.class_report import LessonSummary

    assert math.isnan(LessonSummary("00", "x", 3, 0, 0, 0, 0).completed_pct)
