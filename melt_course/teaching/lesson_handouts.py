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
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from melt_course.content.course import Lesson, load_course

__all__ = ["WIDGET_MIME", "HandoutResult", "export_lesson", "export_lessons",
           "lessons_with_notebooks"]

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
  @media print { .melt-static-widget { break-inside: avoid; } }
</style>
{%- endblock html_head_css -%}
"""


@dataclass(frozen=True)
class HandoutResult:
    """One exported lesson: where it went and how many widgets were made static."""

    lesson: str
    path: Path
    widgets: int


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
    handout.cells.insert(0, _banner(lesson))
    exporter = HTMLExporter(template_name="lab", exclude_input=True,
                            exclude_input_prompt=True, exclude_output_prompt=True,
                            embed_images=True,
                            extra_loaders=[DictLoader({"melt_handout.html.j2": _TEMPLATE})],
                            template_file="melt_handout.html.j2")
    resources = {"metadata": {"name": f"Lesson {lesson.id}: {lesson.title}",
                              "path": str(notebook.parent)},
                 "melt_has_math": _has_math(handout)}
    body, _ = exporter.from_notebook_node(handout, resources=resources)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(body, encoding="utf-8")
    return HandoutResult(lesson.id, out, widgets)


def export_lessons(notebooks: Path, out: Path, lesson_ids: Iterable[str] | None = None,
                   timeout: int = 600) -> list[HandoutResult]:
    """Export every lesson that has a notebook (or the given ones) to ``out/NN_slug.html``.

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
    return [export_lesson(notebooks / available[lid].notebook,
                          out / f"{Path(available[lid].notebook).stem}.html",
                          available[lid], timeout) for lid in wanted]
