"""The class report as one HTML page (``class_report.html``), beside its CSV files.

One self-contained page for a facilitator to open in a browser or print: the class, each
learner under the display name the learner chose (``melt-course progress name``; learners who
gave none are numbered), the files skipped and why, the chart (embedded, with its text
description), lessons, hardest questions and routines. Everything a learner or a file could
have written (names, answers, file names, reasons) is HTML-escaped and cut to
:data:`~melt_course.teaching.class_report.TEXT_LIMIT` characters.

Pure Python: the chart arrives as PNG bytes.
"""

from __future__ import annotations

import base64
from html import escape

from melt_course.teaching.class_report import ClassReport, Export, clip

__all__ = ["display_names", "report_html"]

_CSS = """
body { font-family: system-ui, sans-serif; color: #222; max-width: 60rem; margin: 1.5rem auto;
       padding: 0 1rem; line-height: 1.45; }
table { border-collapse: collapse; margin: 0.5rem 0 1.2rem; }
th, td { border: 1px solid #bbb; padding: 0.25rem 0.5rem; text-align: left;
         vertical-align: top; }
th { background: #f0f0f0; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
img { max-width: 100%; height: auto; }
.note { color: #444; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; }
               table, img { break-inside: avoid; } }
"""


def display_names(learners: tuple[Export, ...] | list[Export]) -> dict[str, str]:
    """Learner id -> the name to show: the learner's chosen name (cut to 100 characters), or
    "Learner N (no name given)" in the report's order; a name two learners chose gets the
    start of each one's id."""
    chosen = {e.learner_id: clip(e.learner_name.strip(), 100)
              for e in learners if e.learner_name and e.learner_name.strip()}
    counts: dict[str, int] = {}
    for name in chosen.values():
        counts[name] = counts.get(name, 0) + 1
    names, unnamed = {}, 0
    for export in learners:
        name = chosen.get(export.learner_id)
        if name is None:
            unnamed += 1
            names[export.learner_id] = f"Learner {unnamed} (no name given)"
        elif counts[name] > 1:
            names[export.learner_id] = f"{name} ({export.learner_id[:6]})"
        else:
            names[export.learner_id] = name
    return names


def _pct(value: float) -> str:
    return "–" if value != value else f"{value:.1f} %"  # NaN: nobody to count


def _table(head: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    cells = "".join(f"<th scope=\"col\">{escape(h)}</th>" for h in head)
    body = "".join(
        "<tr>" + "".join(f'<td class="n">{c}</td>' if i in numeric else f"<td>{c}</td>"
                         for i, c in enumerate(row)) + "</tr>" for row in rows)
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"


def report_html(report: ClassReport, chart_png: bytes | None = None,
                chart_description: str = "", hardest: int = 10) -> str:
    """The whole report as one HTML page.

    Parameters
    ----------
    report : ClassReport
        From :func:`melt_course.teaching.class_report.build_report`.
    chart_png : bytes, optional
        The chart, embedded as a data URL.
    chart_description : str
        The chart's text description (its ``alt`` text and a visible paragraph).
    hardest : int
        How many questions to list as the hardest.

    Returns
    -------
    str
        A complete HTML document (UTF-8).
    """
    names = display_names(report.learners)
    files = sum(len(e.sources) for e in report.learners)
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           "<title>Class report</title>", f"<style>{_CSS}</style></head><body>",
           "<h1>Class report</h1>",
           f"<p><strong>{len(report.learners)} learner(s)</strong> from {files} export "
           f"file(s).</p>"]
    out.append("<h2>Learners</h2>")
    out.append(_table(
        ["Learner", "Records", "Files"],
        [[escape(names[e.learner_id]), str(len(e.records)),
          escape(", ".join(clip(s) for s in e.sources))]
         for e in sorted(report.learners, key=lambda e: names[e.learner_id].casefold())],
        numeric={1}))
    if report.skipped:
        out.append(f"<h2>Skipped files ({len(report.skipped)})</h2>"
                   "<p>Not in the numbers below.</p><ul>")
        out += [f"<li><code>{escape(clip(s.source))}</code>: {escape(clip(s.reason, 400))}</li>"
                for s in report.skipped]
        out.append("</ul>")
    if chart_png:
        data = base64.b64encode(chart_png).decode("ascii")
        out.append(f'<h2>Chart</h2><figure><img src="data:image/png;base64,{data}" '
                   f'alt="{escape(chart_description, quote=True)}">'
                   f"<figcaption class=\"note\">{escape(chart_description)}</figcaption>"
                   "</figure>")
    out.append("<h2>Lessons</h2><p class=\"note\">Started: answered at least one question of "
               "the lesson's quiz; completed: answered all of them; mastered: all of them "
               "mastered (the course's one definition, as in each learner's own chart). Percent "
               "of the whole class.</p>")
    out.append(_table(
        ["Lesson", "Quiz questions", "Started", "Completed", "Mastered"],
        [[escape(f"{le.lesson}. {le.title}"), str(le.questions) if le.questions else "none",
          f"{le.started} ({_pct(le.started_pct)})", f"{le.completed} ({_pct(le.completed_pct)})",
          f"{le.mastered} ({_pct(le.mastered_pct)})"] for le in report.lessons],
        numeric={1, 2, 3, 4}))
    if report.questions:
        ranked = sorted(report.questions, key=lambda q: (q.first_try_pct, q.question))
        out.append(f"<h2>Hardest questions</h2><p class=\"note\">Lowest % right at the first "
                   f"try; {len(report.questions)} answered in all (every one is in "
                   "questions.csv).</p>")
        out.append(_table(
            ["Question", "Answered by", "Right at first try", "Right in the end",
             "Most common wrong answers (learners)"],
            [[f"<code>{escape(clip(q.question))}</code> {escape(clip(q.prompt, 400))}",
              str(q.learners), _pct(q.first_try_pct), _pct(q.correct_eventually_pct),
              escape("; ".join(f"{clip(w.text)} ({w.learners})" for w in q.wrong_answers[:3])
                     or "–")]
             for q in ranked[:hardest]], numeric={1, 2, 3}))
    else:
        out.append("<p>No quiz answers in these exports.</p>")
    if report.routines:
        out.append("<h2>Routines</h2>")
        out.append(_table(["Routine", "Learners", "Sessions", "Completed", "Minutes"],
                          [[escape(clip(r.routine)), str(r.learners), str(r.sessions),
                            str(r.completed), f"{r.minutes:.1f}"] for r in report.routines],
                          numeric={1, 2, 3, 4}))
    if report.notes:
        out.append("<h2>Notes</h2><ul>")
        out += [f"<li>{escape(clip(n, 600))}</li>" for n in report.notes]
        out.append("</ul>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
