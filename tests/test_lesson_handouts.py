"""Static handouts: widgets become figures and text (unit), and ``melt-course export-html``
writes one self-contained page per lesson that opens offline with no broken image (browser)."""

import base64
import re
import subprocess
import sys

import ipywidgets as W
import pytest
from app_helpers import WIDGET_MIME, broken_images, served_lessons, stored_widget_outputs
from conftest import ARTIFACTS

from melt_course.widgets.base import CourseWidget, DiagramView
from melt_course.widgets.demo import hip_demo
from melt_course.widgets.quiz import quiz_for
from melt_course.widgets.static import SKIP_CLASS, static_html

_REPR_TAIL = "interactive widget, open in JupyterLab or the course app"


def _pngs(html: str) -> list[bytes]:
    return [base64.b64decode(m) for m in re.findall(r'src="data:image/png;base64,([^"]+)"', html)]


def test_demo_becomes_its_current_figure_description_and_setting():
    widget = hip_demo()
    widget.slider.value = 60
    html = static_html(widget)
    [png] = _pngs(html)
    assert png == bytes(widget.view.image.value)  # the live figure, as it is now
    assert "Figure description:</b> Side view" in html and "60 degrees" in html
    assert "Hip flexion (°):</b> 60" in html
    assert "Static version of the interactive “Hip flexion demo”" in html
    assert "<script" not in html and "http" not in html


def test_quiz_becomes_a_worksheet_without_buttons_score_or_errors():
    quiz = quiz_for("00", store=None)
    html = static_html(quiz)
    for card in quiz.cards:
        assert card.question.prompt.split("'")[0][:30] in html.replace("&#x27;", "'")
        for choice in card.question.choices():
            assert choice.replace("'", "&#x27;").replace('"', "&quot;") in html
    assert "Check" not in html and "Try again" not in html
    assert "Score:" not in html and "— choose —" not in html
    assert "Sorry" not in html  # error areas are left out


def test_a_shown_error_and_a_skipped_widget_are_left_out():
    score = W.HTML("Score: 3")
    score.add_class(SKIP_CLASS)
    widget = CourseWidget([W.HTML("<p>kept</p>"), score])
    widget.error_area.show(RuntimeError("boom"), "testing")
    html = static_html(widget)
    assert "kept" in html and "Score" not in html and "boom" not in html


def test_a_chosen_setting_is_marked_and_an_open_question_is_not():
    setting = W.RadioButtons(options=["Eyes open", "Eyes closed"], value="Eyes closed",
                             description="Vision")
    question = W.RadioButtons(options=[("yes", 0), ("no", 1)], value=None)
    html = static_html(CourseWidget([setting, question]))
    assert "☐ Eyes open" in html and "☒ Eyes closed" in html
    assert "☐ yes" in html and "☐ no" in html and html.count("☒") == 1


def test_own_static_html_wins():
    class Custom(CourseWidget):
        title = "custom"

        def _static_html_(self):
            return "<p>my own static version</p>"

    assert "<p>my own static version</p>" in static_html(Custom())


def test_prepared_asset_is_used_when_both_files_exist(tmp_path, monkeypatch):
    monkeypatch.setenv("MELT_COURSE_ASSETS", str(tmp_path))

    class WithAsset(CourseWidget):
        title = "asset demo"
        asset = "asset_demo"

    live = hip_demo()
    widget = WithAsset([live.view])
    assert _pngs(static_html(widget)) == [bytes(live.view.image.value)]  # no asset: live
    (tmp_path / "asset_demo.png").write_bytes(bytes(hip_demo(90).view.image.value))
    assert _pngs(static_html(widget)) == [bytes(live.view.image.value)]  # no .txt: live
    (tmp_path / "asset_demo.txt").write_text("The prepared description.\n", encoding="utf-8")
    html = static_html(widget)
    assert _pngs(html) == [(tmp_path / "asset_demo.png").read_bytes()]
    assert "The prepared description." in html


def test_diagram_view_alone_gives_figure_and_description():
    view = hip_demo(30).view
    html = static_html(view)
    assert len(_pngs(html)) == 1 and "30 degrees" in html
    assert isinstance(view, DiagramView)


def test_static_html_refuses_a_non_widget():
    with pytest.raises(ValueError, match=r"widget 'slider' is not an ipywidgets widget"):
        static_html("slider")


# --------------------------------------------------------------------------- the command


@pytest.fixture(scope="module")
def handouts(tmp_path_factory, course_env):
    out = tmp_path_factory.mktemp("handouts")
    result = subprocess.run([sys.executable, "-m", "melt_course", "export-html", "--out",
                             str(out)], capture_output=True, text=True, env=course_env,
                            timeout=1800)
    assert result.returncode == 0, result.stderr
    return out, result.stdout


def test_the_start_notebook_handout_has_its_figures(handouts):
    out, _ = handouts
    html = (out / "00_start_here.html").read_text(encoding="utf-8")
    assert len(_pngs(html)) >= 1 and "Figure description:" in html


def test_export_writes_one_page_per_lesson_with_every_widget_static(handouts):
    out, stdout = handouts
    for notebook in served_lessons():
        page = out / notebook.replace(".ipynb", ".html")
        assert page.is_file(), f"{page.name} missing; output was:\n{stdout}"
        html = page.read_text(encoding="utf-8")
        expected = stored_widget_outputs(notebook)
        assert html.count('class="melt-static-widget"') == expected
        assert f"({expected} widget(s) made static)" in stdout
        assert WIDGET_MIME not in html and _REPR_TAIL not in html
        assert "require.min.js" not in html and "@jupyter-widgets/html-manager" not in html
        assert not re.search(r'<(img|script|link)[^>]+(src|href)="https?:', html)


def test_unknown_lesson_is_refused(course_env, tmp_path):
    result = subprocess.run([sys.executable, "-m", "melt_course", "export-html", "--out",
                             str(tmp_path), "--lesson", "42"], capture_output=True, text=True,
                            env=course_env, timeout=120)
    assert result.returncode == 2
    assert "lesson '42' has no notebook" in result.stderr and not any(tmp_path.iterdir())


@pytest.mark.browser
@pytest.mark.parametrize("notebook", served_lessons())
def test_handout_opens_offline_with_no_broken_image(handouts, browser, notebook):
    out, _ = handouts
    context = browser.new_context(offline=True, viewport={"width": 1000, "height": 900})
    requests = []
    context.on("request", lambda r: requests.append(r.url))
    context.route(re.compile(r"^https?://"), lambda route: route.abort())
    page = context.new_page()
    try:
        page.goto((out / notebook.replace(".ipynb", ".html")).as_uri())
        page.wait_for_load_state("networkidle")
        images = page.evaluate("() => [...document.images].map(i => i.naturalWidth)")
        html = (out / notebook.replace(".ipynb", ".html")).read_text(encoding="utf-8")
        assert len(images) == html.count("<img ")  # every image in the file is in the page
        assert all(width > 0 for width in images)
        assert broken_images(page) == []
        assert page.locator(".jupyter-widgets, .widget-area").count() == 0
        assert page.locator(".melt-static-widget").count() == stored_widget_outputs(notebook)
        assert page.locator(".jp-CodeCell .jp-InputArea").count() == 0  # code hidden
        body = page.inner_text("body")
        assert _REPR_TAIL not in body and "import notebook as mc" not in body
        assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"handout_{notebook[:-6]}.png"), full_page=True)
    finally:
        context.close()
