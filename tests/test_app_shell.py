"""The page around a lesson, without a browser: the app's template, the one stylesheet, and how
the stylesheet reaches JupyterLab.

What a person sees in Chromium (every lesson at three screen sizes, no request leaving the
machine, the stylesheet in JupyterLab) is in tests/test_browser_layout.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import ipywidgets as W
import pytest
from helpers import contrast

from melt_course.cli import servers
from melt_course.content import page
from melt_course.figures.palette import OKABE_ITO
from melt_course.widgets import stylesheet
from melt_course.widgets.base import CourseWidget

PACKAGE = Path(__file__).resolve().parent.parent / "melt_course"
TEMPLATE = PACKAGE / "data" / "jupyter" / "voila" / "templates" / "melt"
CSS = TEMPLATE / "static" / "custom.css"


def _rules(css: str) -> list[tuple[str, dict[str, str]]]:
    """(selector, {property: value}) for each plain rule of ``css`` (comments removed)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    found = []
    for selector, body in re.findall(r"([^{}@]+)\{([^{}]*)\}", css):
        props = {k.strip().lower(): v.strip() for k, v in
                 (d.split(":", 1) for d in body.split(";") if ":" in d)}
        found.append((" ".join(selector.split()), props))
    return found


def test_contrast_matches_wcag_examples():
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#388E3C", "#FFFFFF") == pytest.approx(4.12, abs=0.01)  # the 4.1:1 Pause


def test_the_stylesheet_is_where_the_template_and_the_package_find_it():
    assert CSS.is_file()
    assert page.course_stylesheet() == CSS.read_text(encoding="utf-8")
    assert "static/custom.css" in (TEMPLATE / "index.html.j2").read_text(encoding="utf-8")


def test_coloured_buttons_meet_contrast_with_okabe_ito_colours():
    buttons = {sel: props for sel, props in _rules(CSS.read_text(encoding="utf-8"))
               if re.fullmatch(r"\.melt-widget \.jupyter-button\.mod-\w+", sel)}
    # every ipywidgets button style a course widget may use
    assert {s.rsplit("mod-", 1)[1] for s in buttons} >= {"primary", "success", "info",
                                                          "warning", "danger"}
    allowed = {c.upper() for c in OKABE_ITO.values()}
    for selector, props in buttons.items():
        background, text = props["background-color"].upper(), props["color"].upper()
        assert background in allowed, f"{selector}: {background} is not an Okabe-Ito colour"
        assert contrast(background, text) >= 4.5, \
            f"{selector}: {text} on {background} is {contrast(background, text):.2f}:1"


def test_focused_controls_get_a_ring_of_at_least_two_pixels():
    rings = [props["outline"] for sel, props in _rules(CSS.read_text(encoding="utf-8"))
             if "focus" in sel and "outline" in props]
    assert rings, "no focus ring in the stylesheet"
    for ring in rings:
        width = int(re.match(r"(\d+)px", ring).group(1))
        colour = re.search(r"#[0-9A-Fa-f]{6}", ring).group(0)
        assert width >= 2 and contrast(colour, "#FFFFFF") >= 3.0, ring


def test_no_widget_pastes_css_of_its_own():
    pasted = [str(p.relative_to(PACKAGE)) for p in (PACKAGE / "widgets").rglob("*.py")
              if "<style" in p.read_text(encoding="utf-8")]
    assert pasted == [], f"CSS pasted per widget (move it to {CSS.name}): {pasted}"


def test_every_course_widget_brings_the_stylesheet_once_per_kernel():
    stylesheet._current = None
    first, second = CourseWidget([W.HTML("a")]), CourseWidget([W.HTML("b")])
    sheet = stylesheet.ensure_stylesheet()
    assert sheet is stylesheet.ensure_stylesheet()  # one per kernel, not one per widget
    assert sheet.get_state()["_css"] == CSS.read_text(encoding="utf-8")
    assert sheet.get_state()["_anywidget_id"] == stylesheet.STYLE_ID
    assert "melt-widget" in first._dom_classes and "melt-widget" in second._dom_classes
    # Not one of the widget's children: nothing of it is displayed, nothing pasted.
    assert all(not isinstance(c, stylesheet.CourseStylesheet) for c in first.children)
    sheet.close()
    CourseWidget()
    assert stylesheet.ensure_stylesheet() is not sheet  # a closed one is replaced


def test_lab_only_cells_are_recognised():
    assert page.is_lab_only({"metadata": {"tags": ["lab-only"]}})
    assert not page.is_lab_only({"metadata": {"tags": ["other"]}})
    assert not page.is_lab_only({"metadata": {}})
    template = (TEMPLATE / "index.html.j2").read_text(encoding="utf-8")
    assert f"'{page.LAB_ONLY_TAG}'" in template


def test_the_app_uses_the_course_template_and_voila_finds_it(tmp_path):
    from voila.paths import collect_static_paths, collect_template_paths

    cmd = servers.app_command(tmp_path, 9123, "secret-token", lan=False)
    assert f"--VoilaConfiguration.template={servers.APP_TEMPLATE}" in cmd
    env = servers.app_environment({"JUPYTER_PATH": "/somewhere/else"})
    roots = env["JUPYTER_PATH"].split(":")
    # Voila's own data first (its themes), then the package's, then what was set before.
    assert roots[1] == str(servers.jupyter_data_dir()) and roots[2] == "/somewhere/else"
    assert (Path(roots[0]) / "voila" / "templates" / "lab").is_dir()
    templates = collect_template_paths(["voila", "nbconvert"], servers.APP_TEMPLATE,
                                       prune=True, root_dirs=roots)
    assert templates[0] == str(TEMPLATE)
    assert any(p.endswith("voila/templates/lab") for p in templates)  # what it extends
    statics = collect_static_paths(["voila", "nbconvert"], servers.APP_TEMPLATE,
                                   root_dirs=roots)
    served = [p for p in statics if (Path(p) / "custom.css").is_file()]
    assert served == [str(CSS.parent)]


def test_the_handout_leaves_out_lab_only_cells(tmp_path, course_env):
    # course_env: a kernel runs (the test is marked `server`).
    import nbformat

    from melt_course.content.course import load_course
    from melt_course.teaching.lesson_handouts import export_lesson

    cells = [nbformat.v4.new_markdown_cell("# A lesson"),
             nbformat.v4.new_markdown_cell("Run the cell below (Shift + Enter)."),
             nbformat.v4.new_code_cell("6 * 7"),
             nbformat.v4.new_markdown_cell("The end of the lesson.")]
    cells[1].metadata["tags"] = [page.LAB_ONLY_TAG]
    notebook = tmp_path / "lesson.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": {
        "name": "python3", "display_name": "Python 3", "language": "python"}}), notebook)
    out = tmp_path / "lesson.html"
    export_lesson(notebook, out, load_course()[0], timeout=120)
    html = out.read_text(encoding="utf-8")
    assert "The end of the lesson." in html and "42" in html
    assert "Shift + Enter" not in html


def test_a_classroom_hub_in_app_mode_serves_the_course_template(monkeypatch, tmp_path):
    import os
    import sys

    from test_deploy import _load_hub_config
    from voila.paths import collect_template_paths

    c = _load_hub_config(monkeypatch, MELT_HUB_APP="1", MELT_HUB_STATE=str(tmp_path))
    assert f"--VoilaConfiguration.template={servers.APP_TEMPLATE}" in c.Spawner.args
    roots = c.Spawner.environment["JUPYTER_PATH"].split(os.pathsep)
    assert roots[1] == str(Path(sys.prefix) / "share" / "jupyter")  # Voila's themes come first
    templates = collect_template_paths(["voila", "nbconvert"], servers.APP_TEMPLATE,
                                       prune=True, root_dirs=roots)
    assert templates[0] == str(TEMPLATE)
    lab = _load_hub_config(monkeypatch, MELT_HUB_STATE=str(tmp_path))
    assert not any("template" in arg for arg in lab.Spawner.args)


def test_binder_post_build_installs_the_template_and_chooses_it(tmp_path):
    import json
    import subprocess

    from voila.paths import collect_template_paths

    post = (PACKAGE.parent / "binder" / "postBuild").read_text(encoding="utf-8")
    part = post[post.index("# The course app's page template"):]  # not the pip install
    subprocess.run(["bash", "-euo", "pipefail", "-c", part], cwd=PACKAGE.parent, check=True,
                   env={"NB_PYTHON_PREFIX": str(tmp_path), "PATH": "/usr/bin:/bin"})
    config = tmp_path / "etc" / "jupyter" / "jupyter_server_config.d" / "melt-course-voila.json"
    assert json.loads(config.read_text())["VoilaConfiguration"]["template"] == \
        servers.APP_TEMPLATE
    installed = tmp_path / "share" / "jupyter"
    templates = collect_template_paths(["voila", "nbconvert"], servers.APP_TEMPLATE,
                                       prune=True, root_dirs=[str(installed)])
    assert (Path(templates[0]) / "static" / "custom.css").read_text(encoding="utf-8") == \
        CSS.read_text(encoding="utf-8")
