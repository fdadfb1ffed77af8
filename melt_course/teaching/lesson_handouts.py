"""Static HTML handouts of the lessons: ``melt-course export-html --out DIR``.

Each lesson of the course map whose notebook exists is run from the top in a fresh kernel
(``nbclient``); then, in the same kernel, every widget it displayed is replaced by a static
stand-in from :func:`melt_course.widgets.static.static_html` (its figure as an embedded PNG,
its text description, its text and settings). The notebook is then converted with nbconvert's
``lab`` template, code hidden, Markdown images embedded. The result is one self-contained file
per lesson that opens offline: no widget JavaScript, no require.js, every image a ``data:`` URI.
MathJax is linked only when a lesson contains ``$`` maths (offline, the TeX then shows as
written).
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from pathlib import Path

from melt_course.content.course import Lesson, load_course
from melt_course.content.page import is_lab_only

__all__ = ["PRINT_CSS", "WIDGET_MIME", "HandoutResult", "answer_key_html", "export_lesson",
           "export_lessons", "index_html", "lessons_with_notebooks", "write_answer_key",
           "write_index"]

#: Print layout of a lesson handout and of an answer key: A4, compact type, no widget or
#: output block forced whole onto a page (JupyterLab's template keeps every output whole,
#: which left near-empty pages before each tall widget), only pictures, table rows, list
#: items and question cards kept whole, and headings and lead-in lines ("Try this:") kept
#: with what follows. The navigation bars (cells tagged ``lesson-nav``) link the handouts on
#: screen and are left off paper.
PRINT_CSS = """<style>
@media print {
  @page { size: A4; margin: 14mm 14mm 16mm 14mm; }
  html, body { font-size: 10pt; line-height: 1.35; }
  body.jp-Notebook, main { padding: 0 !important; margin: 0 !important; }
  .jp-Cell { padding: 0 !important; margin: 0 !important; }
  .jp-OutputArea-child, .jp-Cell, .jp-Cell-outputWrapper, .jp-OutputArea,
  .jp-RenderedHTMLCommon, .melt-static-widget, .melt-static-widget div { break-inside: auto; }
  .jp-RenderedHTMLCommon p, .jp-RenderedHTMLCommon li { margin-top: 0.25em;
                                                        margin-bottom: 0.25em; }
  img, figure, tr, li, .melt-static-choices, .melt-quiz-card, .melt-key-item,
  .melt-handout-banner { break-inside: avoid; }
  img { max-height: 110mm; width: auto; max-width: 100%; object-fit: contain; }
  h1, h2, h3, h4, h5, h6 { break-after: avoid; break-inside: avoid;
                           margin-top: 0.8em !important; margin-bottom: 0.3em !important; }
  h1 + *, h2 + *, h3 + *, h4 + *, h5 + *, h6 + *, p + ul, p + ol,
  .melt-lead + * { break-before: avoid; }
  p, li { orphans: 3; widows: 3; }
  .melt-static-widget { max-width: none; padding: 4px 8px; }
  .melt-print-hide { display: none !important; }
  .melt-lesson-nav, .celltag_lesson-nav { display: none !important; }
  .celltag_melt-keep-with-next { break-after: avoid; }
  .celltag_melt-keep-with-next + .jp-Cell { break-before: avoid; }
  a { color: inherit; }
}
</style>"""

#: The MIME type of a widget output.
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

_TEMPLATE = r"""{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}
{%- if resources.melt_has_math -%}{{ super() }}{%- endif -%}
{%- endblock html_head_js_mathjax -%}
{%- block html_head_css -%}
<style>
  .melt-static-widget { border: 1px solid #BBBBBB; border-radius: 4px; padding: 6px 12px;
                        margin: 8px 0; max-width: 60em; }
  .melt-static-note { color: #444; font-size: 90%; }
  .melt-handout-banner { border-left: 4px solid #0072B2; padding: 4px 12px; background: #F2F8FC; }
  .melt-lesson-nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap;
                        gap: 0 1.5em; }
  @media print { .melt-static-widget { break-inside: avoid; } }
</style>
{{ resources.melt_print_css }}
{%- endblock html_head_css -%}
"""


@dataclass(frozen=True)
class HandoutResult:
    """One exported lesson: where it went and how many widgets were made static."""

    lesson: str
    path: Path
    widgets: int
    answer_key: Path | None = None


def lessons_with_notebooks(notebooks: Path) -> list[Lesson]:
    """The course map's lessons whose notebook exists in ``notebooks``, in course order."""
    return [les for les in load_course() if (notebooks / les.notebook).is_file()]


def _widget_ids(nb) -> list[str]:
    return [out["data"][WIDGET_MIME]["model_id"]
            for cell in nb.cells if cell.cell_type == "code"
            for out in cell.get("outputs", []) if WIDGET_MIME in out.get("data", {})]


def _probe_cell(model_ids: list[str]):
    import nbformat

    source = ("from melt_course.widgets.static import static_outputs\n"
              f"static_outputs({json.dumps(model_ids)})")
    return nbformat.v4.new_code_cell(source)


def _run(nb, folder: Path, timeout: int) -> dict[str, str | None]:
    """Execute ``nb`` in place; return the static HTML of each widget it displayed."""
    from nbclient import NotebookClient

    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(folder)}})
    # A fresh learner: the handout must not show the exporter's own progress.
    with tempfile.TemporaryDirectory(prefix="melt-handout-") as progress, \
            client.setup_kernel(env={**os.environ, "MELT_COURSE_PROGRESS": progress},
                                stderr=subprocess.DEVNULL):  # kernel start-up chatter
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        probe = _probe_cell(_widget_ids(nb))
        nb.cells.append(probe)
        try:
            client.execute_cell(probe, len(nb.cells) - 1)
        finally:
            nb.cells.pop()
    [output] = [o for o in probe.outputs if "application/json" in o.get("data", {})]
    return dict(output["data"]["application/json"])


def _replace_widgets(nb, static: dict[str, str | None]) -> int:
    """Swap each widget output for its static HTML; return how many were swapped."""
    count = 0
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if WIDGET_MIME not in data:
                continue
            html = static.get(data[WIDGET_MIME]["model_id"])
            if html is None:
                raise RuntimeError(f"widget {data[WIDGET_MIME]['model_id']!r} has no static "
                                   "version (it was closed before the export could draw it)")
            out["data"] = {"text/html": html}
            count += 1
    nb.metadata.pop("widgets", None)
    return count


def _banner(lesson: Lesson):
    import nbformat

    return nbformat.v4.new_markdown_cell(
        f'<div class="melt-handout-banner"><b>Handout: lesson {lesson.id}, '
        f"{lesson.title}.</b> A printable, offline copy of the lesson: each interactive "
        "figure is shown as a picture with its text description, and each quiz as a "
        "worksheet. Open the lesson in the course app (<code>melt-course app</code>) or in "
        "JupyterLab to use the interactive versions.</div>")


#: Tag given to a Markdown cell that ends in a heading or a lead-in line ("Try this:"): the
#: print CSS keeps it on the page of the cell that follows.
KEEP_TAG = "melt-keep-with-next"


def _keep_lead_ins_with_next(nb) -> None:
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        lines = [line.strip() for line in cell.source.strip().splitlines() if line.strip()]
        if lines and (lines[-1].startswith("#") or lines[-1].rstrip("*_ ").endswith(":")):
            tags = cell.setdefault("metadata", {}).setdefault("tags", [])
            if KEEP_TAG not in tags:
                tags.append(KEEP_TAG)


def _link_handouts(html: str) -> str:
    """Point links to lesson notebooks (navigation bars, the course map) at the handouts,
    which are written side by side as ``NN_slug.html``."""
    for les in load_course():
        stem = Path(les.notebook).stem
        html = re.sub(rf'href="{re.escape(les.notebook)}(?=["#])', f'href="{stem}.html', html)
    return html


def _has_math(nb) -> bool:
    return any(cell.cell_type == "markdown" and cell.source.count("$") >= 2
               for cell in nb.cells)


def export_lesson(notebook: Path, out: Path, lesson: Lesson, timeout: int = 600
                  ) -> HandoutResult:
    """Run one lesson and write its static HTML handout.

    Parameters
    ----------
    notebook : pathlib.Path
        The lesson's notebook.
    out : pathlib.Path
        The HTML file to write.
    lesson : Lesson
        Its course-map entry (for the banner and title).
    timeout : int
        Seconds allowed per cell.

    Raises
    ------
    nbclient.exceptions.CellExecutionError
        When a cell of the lesson fails.
    """
    import nbformat
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    nb = nbformat.read(notebook, as_version=4)
    static = _run(nb, notebook.parent, timeout)
    handout = copy.deepcopy(nb)
    widgets = _replace_widgets(handout, static)
    # "Run the cell below (Shift + Enter)": there is no cell to run on paper.
    handout.cells = [cell for cell in handout.cells if not is_lab_only(cell)]
    handout.cells.insert(0, _banner(lesson))
    _keep_lead_ins_with_next(handout)
    exporter = HTMLExporter(template_name="lab", exclude_input=True,
                            exclude_input_prompt=True, exclude_output_prompt=True,
                            embed_images=True,
                            extra_loaders=[DictLoader({"melt_handout.html.j2": _TEMPLATE})],
                            template_file="melt_handout.html.j2")
    resources = {"metadata": {"name": f"Lesson {lesson.id}: {lesson.title}",
                              "path": str(notebook.parent)},
                 "melt_has_math": _has_math(handout), "melt_print_css": PRINT_CSS}
    body, _ = exporter.from_notebook_node(handout, resources=resources)
    body = _link_handouts(body)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(body, encoding="utf-8")
    return HandoutResult(lesson.id, out, widgets, write_answer_key(lesson, out.parent))


def export_lessons(notebooks: Path, out: Path, lesson_ids: Iterable[str] | None = None,
                   timeout: int = 600) -> list[HandoutResult]:
    """Export every lesson that has a notebook (or the given ones) to ``out/NN_slug.html``.

    Beside each handout goes its quiz's answer key (``NN_slug_answers.html``, when the lesson
    has a quiz), and ``out/index.html`` links every handout and answer key written.

    Parameters
    ----------
    notebooks : pathlib.Path
        The folder of lesson notebooks.
    out : pathlib.Path
        Where the HTML files go (created if needed).
    lesson_ids : iterable of str, optional
        Only these lessons; default every lesson whose notebook exists.
    timeout : int
        Seconds allowed per cell.

    Raises
    ------
    KeyError
        For a lesson id that is not in the course map or has no notebook.
    """
    available = {les.id: les for les in lessons_with_notebooks(notebooks)}
    wanted = list(available) if lesson_ids is None else list(lesson_ids)
    for lid in wanted:
        if lid not in available:
            raise KeyError(f"lesson {lid!r} has no notebook in {str(notebooks)!r}; lessons "
                           f"with notebooks: {sorted(available)}")
    results = [export_lesson(notebooks / available[lid].notebook,
                             out / f"{Path(available[lid].notebook).stem}.html",
                             available[lid], timeout) for lid in wanted]
    write_index(out, results)
    return results


# --------------------------------------------------------------------------- answer keys


def _key_filename(lesson: Lesson) -> str:
    return f"{Path(lesson.notebook).stem}_answers.html"


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{_KEY_CSS}</style></head>"
            f"<body><main>{body}</main></body></html>\n")


_KEY_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111;
       max-width: 48em; margin: 1em auto; padding: 0 1em; line-height: 1.45; }
h1 { font-size: 1.4em; } h2 { font-size: 1em; margin: 0.3em 0 0.1em; }
.melt-key-item { border-top: 1px solid #BBB; padding: 0.2em 0; }
.melt-key-item p, .melt-key-item ul, .melt-key-item ol { margin: 0.2em 0; }
.melt-key-answer { border-left: 4px solid #009E73; padding-left: 0.6em; }
.melt-key-note { color: #444; }
a { color: #0072B2; }
@media print {
  @page { size: A4; margin: 14mm; }
  body { font-size: 10pt; margin: 0; max-width: none; }
  h1, h2 { break-after: avoid; }
  .melt-key-item, li { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def _answer_html(q) -> str:
    """The right answer of one question, as its type writes it (options joined by ';', an
    order by arrows), with the tolerance a typed number is accepted within."""
    text = escape(q.answer_text())
    if q.tolerance:
        text += f" (accepted within ± {q.tolerance:g}{' ' + escape(q.units) if q.units else ''})"
    return f'<div class="melt-key-answer"><b>Answer:</b> {text}</div>'


def answer_key_html(lesson: Lesson) -> str | None:
    """The answer key of one lesson's quiz as a page of its own, or None without a quiz.

    Each question in the order the worksheet numbers them, with its prompt, the right answer,
    why (the question's explanation), its evidence label and the lesson section to look again.
    Kept apart from the worksheet so the handout can be given out without its answers.
    """
    from melt_course.content.quiz import bank

    try:
        questions = bank.by_lesson(lesson.id)
    except KeyError:
        return None
    items = []
    for number, q in enumerate(questions, 1):
        items.append(
            f'<section class="melt-key-item" id="{escape(q.id)}">'
            f"<h2>Question {number} of {len(questions)}</h2>"
            f"<p>{escape(q.prompt)}</p>"
            f"{_answer_html(q)}"
            f"<p><b>Why:</b> {escape(q.explanation)}</p>"
            f'<p class="melt-key-note">Evidence label: {escape(q.label)} · Section: '
            f"{escape(q.section)}</p></section>")
    body = (f"<h1>Answer key: lesson {escape(lesson.id)}, {escape(lesson.title)}</h1>"
            f'<p class="melt-key-note">For the facilitator. The worksheet is '
            f'<a href="{escape(Path(lesson.notebook).stem)}.html">the lesson handout</a>; '
            "its questions are numbered as here (the options may be listed in a different "
            "order).</p>" + "".join(items))
    return _page(f"Answer key: lesson {lesson.id}, {lesson.title}", body)


def write_answer_key(lesson: Lesson, out: Path) -> Path | None:
    """Write ``NN_slug_answers.html`` into ``out``; None when the lesson has no quiz."""
    html = answer_key_html(lesson)
    if html is None:
        return None
    path = out / _key_filename(lesson)
    out.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path


def index_html(entries: Iterable[tuple[Lesson, str, str | None]]) -> str:
    """An index page linking each lesson's handout and, where it has one, its answer key.

    ``entries`` holds ``(lesson, handout file name, answer key file name or None)``.
    """
    rows = []
    for lesson, handout, key in entries:
        key_cell = (f'<a href="{escape(key)}">answer key</a>' if key
                    else "no quiz in this lesson")
        rows.append(f'<li><a href="{escape(handout)}">Lesson {escape(lesson.id)}: '
                    f"{escape(lesson.title)}</a> · {key_cell}</li>")
    body = ("<h1>MELT and the psoas: lesson handouts</h1>"
            "<p>Printable, offline copies of the lessons. Each quiz is printed as a worksheet "
            "in its lesson; the answer keys are separate pages for the facilitator.</p>"
            f"<ul>{''.join(rows)}</ul>")
    return _page("MELT and the psoas: lesson handouts", body)


def write_index(out: Path, results: Iterable[HandoutResult]) -> Path:
    """Write ``index.html`` into ``out`` for the exported lessons (and their answer keys)."""
    lessons = {les.id: les for les in load_course()}
    entries = [(lessons[r.lesson], r.path.name,
                r.answer_key.name if r.answer_key is not None else None) for r in results]
    path = out / "index.html"
    path.write_text(index_html(entries), encoding="utf-8")
    return path
