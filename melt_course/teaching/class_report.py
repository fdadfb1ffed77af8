"""A class summary from learners' progress exports (``melt-course progress export``).

A facilitator collects one export per learner and runs ``melt-course class-report FILES...
--out DIR``. This module reads and merges the exports and computes the numbers; the chart is
drawn by :mod:`melt_course.teaching.class_report_chart` and the command lives in
:mod:`melt_course.cli.main`.

What is counted
    Learners are told apart by the random ``learner.id`` in each file; two exports of the same
    learner are merged (records de-duplicated by their ids), so handing in twice does no harm.

    Per question (``quiz_attempt`` records): how many learners answered it, how many were right
    at their first try and how many got it right in the end, and the wrong answers, each counted
    once per learner who gave it.

    Per lesson (every lesson of the course map): a learner has *started* the lesson's quiz after
    answering one of its questions, *completed* it after answering every question the lesson
    has in the question bank, and *mastered* it once every one of them is mastered by the
    course's one definition (:func:`melt_course.records.review.mastered_ids`, the rule of the
    learner's own mastery chart: right from memory, and right again after a wait).
    Percentages are of all learners in the class.

    Per routine (``routine_session`` records): sessions, completed sessions, learners, minutes.

A file that cannot be read, is not JSON, is not a progress export, is of a newer version or does
not match the progress schema is skipped, with the reason; the report lists what it skipped.

Pure Python: no plotting, no widgets.
"""

from __future__ import annotations

import csv
import html
import json
import math
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from melt_course.content.course import load_course
from melt_course.content.loader import DataError, parse_json
from melt_course.content.schema import brief
from melt_course.records.review import mastered_ids
from melt_course.records.store import FORMAT, check_export, read_limited

__all__ = ["ClassReport", "Export", "LessonSummary", "QuestionSummary", "RoutineSummary",
           "Skipped", "WrongAnswer", "build_report", "expand_paths", "read_export",
           "read_exports", "summary_markdown", "write_csvs"]


@dataclass(frozen=True)
class Export:
    """One learner's records, merged from one or more export files.

    Attributes
    ----------
    learner_id : str
        The random id in the file.
    learner_name : str or None
        The name in the file, if the learner gave one.
    sources : tuple of str
        The files merged into this export.
    records : tuple of dict
        The records (``{"id", "kind", "time", "data"}``), oldest first, without duplicates.
    """

    learner_id: str
    learner_name: str | None
    sources: tuple[str, ...]
    records: tuple[dict, ...]


@dataclass(frozen=True)
class Skipped:
    """A file left out of the report, and why."""

    source: str
    reason: str


@dataclass(frozen=True)
class WrongAnswer:
    """A wrong answer and how many learners gave it."""

    text: str
    learners: int


@dataclass(frozen=True)
class QuestionSummary:
    """The class's results on one question."""

    question: str
    lesson: str
    type: str
    prompt: str
    in_bank: bool
    learners: int
    first_try_correct: int
    correct_eventually: int
    wrong_answers: tuple[WrongAnswer, ...]

    @property
    def first_try_pct(self) -> float:
        """Percent of the learners who answered it that were right at the first try."""
        return _pct(self.first_try_correct, self.learners)

    @property
    def correct_eventually_pct(self) -> float:
        """Percent of the learners who answered it that got it right in the end."""
        return _pct(self.correct_eventually, self.learners)


@dataclass(frozen=True)
class LessonSummary:
    """Quiz completion for one lesson of the course map."""

    lesson: str
    title: str
    questions: int
    class_size: int
    started: int
    completed: int
    mastered: int

    @property
    def started_pct(self) -> float:
        """Percent of the class that answered at least one of the lesson's questions."""
        return _pct(self.started, self.class_size)

    @property
    def completed_pct(self) -> float:
        """Percent of the class that answered every question of the lesson."""
        return _pct(self.completed, self.class_size)

    @property
    def mastered_pct(self) -> float:
        """Percent of the class that got every question of the lesson right (in the end)."""
        return _pct(self.mastered, self.class_size)


@dataclass(frozen=True)
class RoutineSummary:
    """Routine sessions logged with the player, per routine."""

    routine: str
    learners: int
    sessions: int
    completed: int
    minutes: float


@dataclass(frozen=True)
class ClassReport:
    """Everything the class report shows."""

    learners: tuple[Export, ...]
    skipped: tuple[Skipped, ...]
    questions: tuple[QuestionSummary, ...]
    lessons: tuple[LessonSummary, ...]
    routines: tuple[RoutineSummary, ...]
    notes: tuple[str, ...] = field(default=())


def _pct(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else math.nan


# --------------------------------------------------------------------------- reading


def expand_paths(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """The files to read: each path itself, or a folder's ``*.json`` files (sorted)."""
    out: list[Path] = []
    for item in paths:
        path = Path(item)
        out.extend(sorted(path.glob("*.json")) if path.is_dir() else [path])
    return out


def read_export(path: str | os.PathLike) -> dict:
    """Read one progress export and check it.

    Returns
    -------
    dict
        The export, valid against ``progress.schema.json``.

    Raises
    ------
    DataError
        Naming the file and what is wrong with it, in words a facilitator can act on.
    """
    path = Path(path)
    if path.is_dir():
        raise DataError(str(path), "is a folder, not a progress export file")
    raw = read_limited(path)  # read once: parsed here, checked without reading it again
    try:
        doc = parse_json(raw, str(path))
    except DataError as exc:
        reason = str(exc).removeprefix(f"{path}: ")
        if reason.startswith("is not a UTF-8"):
            reason = "is not a text file (not UTF-8): not a progress export"
        elif reason.startswith("not valid JSON"):
            reason = (f"is {reason}; it may be cut short or edited by hand: ask the learner "
                      "to export again")
        raise DataError(str(path), reason) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        found = doc.get("format") if isinstance(doc, dict) else type(doc).__name__
        raise DataError(str(path), f"is not a melt-course progress export (expected "
                        f'"format": "{FORMAT}", found {brief(found)}); the learner makes one '
                        "with 'melt-course progress export --out FILE'")
    return check_export(doc, path)


def _time(text: str) -> datetime:
    """Parse the progress files' UTC times (``...T..:..:..[.ffffff]Z``)."""
    stamp, _, frac = text.rstrip("Z").partition(".")
    moment = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
    return moment.replace(microsecond=int((frac or "0").ljust(6, "0")[:6]))


def read_exports(paths: Iterable[str | os.PathLike]) -> tuple[list[Export], list[Skipped]]:
    """Read every file, merge exports of the same learner, and collect the files skipped.

    Parameters
    ----------
    paths : iterable of path-like
        Export files, or folders of them (their ``*.json`` files are read).

    Returns
    -------
    exports : list of Export
        One per learner, in the order their first file was given.
    skipped : list of Skipped
        The files that could not be used, with the reason.
    """
    by_learner: dict[str, dict[str, Any]] = {}
    skipped: list[Skipped] = []
    seen_files: set[Path] = set()
    for path in expand_paths(paths):
        resolved = path.resolve()
        if resolved in seen_files:
            skipped.append(Skipped(str(path), "given twice; read once"))
            continue
        seen_files.add(resolved)
        try:
            doc = read_export(path)
        except DataError as exc:
            reason = str(exc)
            prefix = f"{path}: "
            skipped.append(Skipped(str(path), reason.removeprefix(prefix)))
            continue
        learner = doc["learner"]
        entry = by_learner.setdefault(learner["id"], {"name": None, "sources": [],
                                                      "records": {}})
        entry["name"] = entry["name"] or learner.get("name")
        entry["sources"].append(str(path))
        for record in doc["records"]:
            entry["records"].setdefault(record["id"], record)
    exports = [
        Export(learner_id=lid, learner_name=e["name"], sources=tuple(e["sources"]),
               records=tuple(sorted(e["records"].values(),
                                    key=lambda r: (_time(r["time"]), r["id"]))))
        for lid, e in by_learner.items()]
    return exports, skipped


# --------------------------------------------------------------------------- summarising


def _bank() -> dict[str, Any]:
    from melt_course.content.quiz import load_bank

    return {q.id: q for q in load_bank()}


def _answer_text(data: dict, question: Any) -> str:
    """A wrong answer as readable text: as the quiz recorded it, or as its question type reads
    it (option texts rather than indices, see ``Question.describe_answer``)."""
    if data.get("answer_text"):
        return clip(data["answer_text"])
    answer = data["answer"]
    if question is not None:
        return clip(question.describe_answer(answer))
    return clip(answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False))


def _question_summaries(exports: Sequence[Export], bank: dict[str, Any]
                        ) -> tuple[list[QuestionSummary], list[str]]:
    attempts: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    meta: dict[str, dict] = {}
    for export in exports:
        for record in export.records:
            if record["kind"] == "quiz_attempt":
                data = record["data"]
                attempts[data["question"]][export.learner_id].append(data)
                meta.setdefault(data["question"], data)
    notes = []
    order = {qid: n for n, qid in enumerate(bank)}
    summaries = []
    for qid in sorted(attempts, key=lambda q: (q not in order, order.get(q, 0), q)):
        question = bank.get(qid)
        per_learner = attempts[qid]
        wrong: Counter[str] = Counter()
        for tries in per_learner.values():
            wrong.update({_answer_text(t, question) for t in tries if not t["correct"]})
        summaries.append(QuestionSummary(
            question=qid,
            lesson=question.lesson if question else meta[qid]["lesson"],
            type=question.type if question else meta[qid].get("type", "?"),
            prompt=question.prompt if question else "",
            in_bank=question is not None,
            learners=len(per_learner),
            first_try_correct=sum(tries[0]["correct"] for tries in per_learner.values()),
            correct_eventually=sum(any(t["correct"] for t in tries)
                                   for tries in per_learner.values()),
            wrong_answers=tuple(WrongAnswer(text, n) for text, n in
                                sorted(wrong.items(), key=lambda kv: (-kv[1], kv[0]))),
        ))
        if question is None:
            notes.append(f"Question {brief(qid)} is not in this version's question bank (it was "
                         "renamed or removed); its answers are shown as recorded.")
    return summaries, notes


def _lesson_summaries(exports: Sequence[Export], bank: dict[str, Any]) -> list[LessonSummary]:
    questions_of: dict[str, set[str]] = defaultdict(set)
    for qid, question in bank.items():
        questions_of[question.lesson].add(qid)
    summaries = []
    mastered_by = [mastered_ids(export.records) for export in exports]  # the one definition
    for lesson in load_course():
        wanted = questions_of.get(lesson.id, set())
        started = completed = mastered = 0
        for export, known in zip(exports, mastered_by, strict=True):
            answered = {r["data"]["question"] for r in export.records
                        if r["kind"] == "quiz_attempt" and r["data"]["question"] in wanted}
            started += bool(answered)
            completed += bool(wanted) and answered == wanted
            mastered += bool(wanted) and wanted <= known
        summaries.append(LessonSummary(lesson.id, lesson.title, len(wanted), len(exports),
                                       started, completed, mastered))
    return summaries


def _routine_summaries(exports: Sequence[Export]) -> list[RoutineSummary]:
    stats: dict[str, dict[str, Any]] = {}
    for export in exports:
        for record in export.records:
            if record["kind"] != "routine_session":
                continue
            data = record["data"]
            name = " + ".join(data["routines"])
            entry = stats.setdefault(name, {"learners": set(), "sessions": 0, "completed": 0,
                                            "seconds": 0.0})
            entry["learners"].add(export.learner_id)
            entry["sessions"] += 1
            entry["completed"] += bool(data.get("completed"))
            entry["seconds"] += float(data["seconds"])
    return [RoutineSummary(name, len(e["learners"]), e["sessions"], e["completed"],
                           round(e["seconds"] / 60.0, 1)) for name, e in sorted(stats.items())]


def build_report(exports: Sequence[Export], skipped: Sequence[Skipped] = ()) -> ClassReport:
    """Summarise the class from its learners' exports.

    Parameters
    ----------
    exports : sequence of Export
        From :func:`read_exports` (at least one).
    skipped : sequence of Skipped
        Files that were left out, to list in the report.

    Raises
    ------
    ValueError
        When there is no export to summarise.
    """
    if not exports:
        raise ValueError("no valid progress export to summarise (got none"
                         + (f"; {len(skipped)} file(s) skipped)" if skipped else ")"))
    bank = _bank()
    questions, notes = _question_summaries(exports, bank)
    merged = [e for e in exports if len(e.sources) > 1]
    notes += [f"{len(e.sources)} exports of the same learner were merged: "
              f"{', '.join(e.sources)}" for e in merged]
    return ClassReport(learners=tuple(exports), skipped=tuple(skipped),
                       questions=tuple(questions),
                       lessons=tuple(_lesson_summaries(exports, bank)),
                       routines=tuple(_routine_summaries(exports)), notes=tuple(notes))


# --------------------------------------------------------------------------- writing


def _fmt(value: float) -> str:
    return "" if math.isnan(value) else f"{value:.1f}"


#: Longest learner-given text (a wrong answer, a name) shown in the report, in characters.
TEXT_LIMIT = 200

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def clip(text: str, limit: int = TEXT_LIMIT) -> str:
    """``text`` cut to ``limit`` characters (ending in "…" when cut)."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def csv_cell(value: Any) -> Any:
    """A value safe for a spreadsheet: text starting with ``=``, ``+``, ``-``, ``@``, a tab or
    a carriage return gets a leading ``'`` (so a spreadsheet shows it as text instead of running
    it as a formula, e.g. ``=HYPERLINK(...)``); numbers are left as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows([csv_cell(cell) for cell in row] for row in rows)
    return path


def write_csvs(report: ClassReport, out: str | os.PathLike) -> list[Path]:
    """Write the report's tables as CSV files in ``out`` (created if needed).

    Files: ``questions.csv`` (one row per question, with its most common wrong answer),
    ``wrong_answers.csv`` (every wrong answer and how many learners gave it), ``lessons.csv``,
    ``routines.csv`` and ``files.csv`` (every file: used, merged or skipped, and why).

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = [_write_csv(
        out / "questions.csv",
        ["lesson", "question", "type", "learners_answered", "first_try_correct",
         "first_try_correct_pct", "correct_eventually", "correct_eventually_pct",
         "most_common_wrong_answer", "most_common_wrong_answer_learners", "in_question_bank",
         "prompt"],
        [[q.lesson, q.question, q.type, q.learners, q.first_try_correct, _fmt(q.first_try_pct),
          q.correct_eventually, _fmt(q.correct_eventually_pct),
          q.wrong_answers[0].text if q.wrong_answers else "",
          q.wrong_answers[0].learners if q.wrong_answers else 0,
          "yes" if q.in_bank else "no", q.prompt] for q in report.questions])]
    written.append(_write_csv(
        out / "wrong_answers.csv", ["lesson", "question", "wrong_answer", "learners"],
        [[q.lesson, q.question, w.text, w.learners]
         for q in report.questions for w in q.wrong_answers]))
    written.append(_write_csv(
        out / "lessons.csv",
        ["lesson", "title", "quiz_questions", "class_size", "started", "started_pct",
         "completed", "completed_pct", "mastered", "mastered_pct"],
        [[le.lesson, le.title, le.questions, le.class_size, le.started, _fmt(le.started_pct),
          le.completed, _fmt(le.completed_pct), le.mastered, _fmt(le.mastered_pct)]
         for le in report.lessons]))
    written.append(_write_csv(
        out / "routines.csv", ["routine", "learners", "sessions", "completed_sessions",
                               "minutes"],
        [[r.routine, r.learners, r.sessions, r.completed, f"{r.minutes:.1f}"]
         for r in report.routines]))
    rows = [[src, "used" if len(e.sources) == 1 else "merged (same learner)", e.learner_id,
             e.learner_name or "", len(e.records), ""]
            for e in report.learners for src in e.sources]
    rows += [[s.source, "skipped", "", "", "", s.reason] for s in report.skipped]
    written.append(_write_csv(out / "files.csv", ["file", "status", "learner_id",
                                                  "learner_name", "records", "reason"], rows))
    return written


def _cell(text: str) -> str:
    """Learner or file text for a Markdown table cell: HTML escaped (Markdown viewers render
    raw HTML), no table breaks, bounded."""
    return html.escape(clip(text)).replace("|", "\\|").replace("\n", " ").replace("`", "&#96;")


def _code(text: str) -> str:
    """Text for a Markdown code span (shown literally, so HTML in it is harmless)."""
    return clip(text).replace("`", "'").replace("\n", " ").replace("|", "\\|")


def summary_markdown(report: ClassReport, chart: str | None = None, hardest: int = 5) -> str:
    """The report as Markdown for people: class size, what was skipped, lessons, hardest
    questions with their common wrong answers, routines, notes.

    Parameters
    ----------
    report : ClassReport
        The report.
    chart : str, optional
        File name of the chart, embedded as an image.
    hardest : int
        How many questions to list as the hardest (lowest first-try percentage).
    """
    files = sum(len(e.sources) for e in report.learners)
    lines = ["# Class report", "",
             f"**{len(report.learners)} learner(s)** from {files} export file(s)."]
    if report.skipped:
        lines += ["", f"**Skipped {len(report.skipped)} file(s)** (not in the numbers below):",
                  ""]
        lines += [f"- `{_code(s.source)}`: {_cell(s.reason)}" for s in report.skipped]
    else:
        lines += ["", "No file was skipped."]
    if chart:
        lines += ["", f"![Class report chart]({chart})"]
    lines += ["", "## Lessons", "",
              "Started: answered at least one question of the lesson's quiz; completed: "
              "answered all of them; mastered: every one of them right from memory and right "
              "again after a wait (box 3 or higher of the spaced review, as on the learner's "
              "own mastery chart). Percent of the whole class.", "",
              "| Lesson | Quiz questions | Started | Completed | Mastered |",
              "|---|---|---|---|---|"]
    for le in report.lessons:
        if le.questions == 0:
            lines.append(f"| {le.lesson}. {_cell(le.title)} | none yet | – | – | – |")
        else:
            lines.append(f"| {le.lesson}. {_cell(le.title)} | {le.questions} | "
                         f"{le.started} ({_fmt(le.started_pct)} %) | {le.completed} "
                         f"({_fmt(le.completed_pct)} %) | {le.mastered} "
                         f"({_fmt(le.mastered_pct)} %) |")
    if report.questions:
        ranked = sorted(report.questions, key=lambda q: (q.first_try_pct, q.question))
        lines += ["", f"## Hardest questions (lowest % right at the first try; "
                  f"{len(report.questions)} answered in all)", "",
                  "| Question | Answered by | Right at first try | Right in the end | "
                  "Most common wrong answers |", "|---|---|---|---|---|"]
        for q in ranked[:hardest]:
            wrong = "; ".join(f"{_cell(w.text)} ({w.learners})" for w in q.wrong_answers[:3])
            lines.append(f"| `{_code(q.question)}` {_cell(q.prompt)} | {q.learners} | "
                         f"{_fmt(q.first_try_pct)} % | {_fmt(q.correct_eventually_pct)} % | "
                         f"{wrong or '–'} |")
        lines += ["", "Every question is in `questions.csv`; every wrong answer in "
                  "`wrong_answers.csv`."]
    else:
        lines += ["", "No quiz answers in these exports."]
    if report.routines:
        lines += ["", "## Routines", "", "| Routine | Learners | Sessions | Completed | Minutes |",
                  "|---|---|---|---|---|"]
        lines += [f"| {_cell(r.routine)} | {r.learners} | {r.sessions} | {r.completed} | "
                  f"{r.minutes:.1f} |" for r in report.routines]
    if report.notes:
        lines += ["", "## Notes", ""] + [f"- {_cell(n)}" for n in report.notes]
    return "\n".join(lines) + "\n"
