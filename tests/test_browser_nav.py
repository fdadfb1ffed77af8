"""Moving between lessons in a real browser (issue 14): the app's landing page is the course
map, "Next" walks from lesson 0 to lesson 6, "Previous", "Course map" and a course-map entry
lead where they say; in JupyterLab the same links open the notebooks.

Every page is checked for the lesson it should be (its first heading, the bars' neighbours) and
for errors a learner could see (tests/app_helpers.py page_errors). Screenshots:
test-artifacts/nav_app_*.png and nav_lab_*.png.
"""

from __future__ import annotations

import json
import re
from itertools import pairwise

import pytest
from app_helpers import NOTEBOOKS, open_app_page, page_errors, stored_widget_outputs
from conftest import ARTIFACTS
from test_lesson_nav import LAB_INSTRUCTION

from melt_course.content.course import load_course
from melt_course.widgets.text import COURSE_MAP_ANCHOR

pytestmark = pytest.mark.browser

LESSONS = [les for les in load_course() if les.available and (NOTEBOOKS / les.notebook).is_file()]


def _first_heading(notebook: str) -> str:
    cells = json.loads((NOTEBOOKS / notebook).read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        if cell["cell_type"] == "markdown" and "".join(cell["source"]).startswith("# "):
            return "".join(cell["source"]).splitlines()[0][2:].strip()
    raise AssertionError(f"{notebook} has no '# ' heading")


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def _wait_lesson(page, notebook: str, timeout: float = 240_000) -> None:
    """Wait until the app has run the lesson and drawn its widgets (as open_app_page does)."""
    pattern = re.compile(rf"/voila/render/{re.escape(notebook)}(\?[^#]*)?(#.*)?$")
    try:
        page.wait_for_url(pattern, timeout=60_000, wait_until="commit")
    except Exception:
        _shot(page, f"FAILED-nav-{notebook}")
        raise AssertionError(f"expected {notebook}, the browser is at {page.url}") from None
    page.wait_for_function(
        """(n) => {
            const loading = document.querySelector('#loading');
            const done = !loading || loading.offsetParent === null;
            const shown = document.querySelectorAll('.jp-OutputArea-output > .jupyter-widgets');
            return done && document.querySelector('.jp-Notebook') && shown.length >= n;
        }""", arg=stored_widget_outputs(notebook), timeout=timeout)


def _check_app_lesson(page, index: int, js_errors: list[str]) -> None:
    les = LESSONS[index]
    heading = _first_heading(les.notebook)
    assert page.locator("h1").first.inner_text().strip().rstrip("¶").strip() == heading
    assert page.title().startswith(heading)
    bars = page.locator("nav.melt-lesson-nav")
    assert bars.count() == 2
    for bar in (bars.first, bars.last):
        text = " ".join(bar.inner_text().split())
        if index > 0:
            assert f"Previous: {LESSONS[index - 1].id}." in text
        if index + 1 < len(LESSONS):
            assert f"Next: {LESSONS[index + 1].id}." in text
        else:
            assert "Next" not in text and "last lesson" in text
    assert page_errors(page) == [], les.notebook
    assert js_errors == [], js_errors
    # No instructions about running cells where there are none (cells tagged lab-only).
    assert LAB_INSTRUCTION.findall(page.inner_text("body")) == [], les.notebook


def _course_map_in_view(page) -> bool:
    return page.evaluate(
        """(id) => { const h = document.getElementById(id); if (!h) return false;
                     const r = h.getBoundingClientRect();
                     return r.top >= -2 && r.top < window.innerHeight / 3; }""",
        COURSE_MAP_ANCHOR)


def test_app_navigation_from_the_landing_page_through_every_lesson(voila_server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    js_errors: list[str] = []
    page.on("pageerror", lambda exc: js_errors.append(str(exc)[:200]))
    try:
        # The app's root (the lesson list, where --lan sends learners) is the course map.
        page.goto(f"{voila_server.url}/?token={voila_server.token}", wait_until="load",
                  timeout=240_000)
        _wait_lesson(page, LESSONS[0].notebook)
        assert page.url.endswith(f"#{COURSE_MAP_ANCHOR}")
        page.wait_for_function(
            """(id) => { const h = document.getElementById(id); if (!h) return false;
                         const r = h.getBoundingClientRect();
                         return r.top >= -2 && r.top < window.innerHeight / 3; }""",
            arg=COURSE_MAP_ANCHOR, timeout=30_000)
        _check_app_lesson(page, 0, js_errors)
        _shot(page, "nav_app_00_landing_course_map")

        # Next, Next, ... from lesson 0 to the last lesson (the bottom bar once, the top else).
        for index in range(1, len(LESSONS)):
            bar = page.locator("nav.melt-lesson-nav").nth(1 if index == 3 else 0)
            bar.get_by_role("link", name=re.compile(r"^Next:")).click()
            _wait_lesson(page, LESSONS[index].notebook)
            _check_app_lesson(page, index, js_errors)
            _shot(page, f"nav_app_{LESSONS[index].id}")
            if index == 2:  # on a phone the bar wraps inside the screen
                page.set_viewport_size({"width": 390, "height": 844})
                page.locator("nav.melt-lesson-nav").first.scroll_into_view_if_needed()
                boxes = page.evaluate(
                    """() => [...document.querySelectorAll('nav.melt-lesson-nav a')]
                        .map(a => { const r = a.getBoundingClientRect();
                                    return [r.left, r.right, r.height]; })""")
                assert all(left >= 0 and right <= 390 and height >= 24
                           for left, right, height in boxes), boxes
                _shot(page, f"nav_app_{LESSONS[index].id}_phone")
                page.set_viewport_size({"width": 1280, "height": 900})
        last = page.locator("nav.melt-lesson-nav").first
        assert last.get_by_role("link", name=re.compile(r"^Next:")).count() == 0

        # Back once with "Previous".
        last.get_by_role("link", name=re.compile(r"Previous:")).click()
        _wait_lesson(page, LESSONS[-2].notebook)
        _check_app_lesson(page, len(LESSONS) - 2, js_errors)

        # "Course map" leads to the start lesson, scrolled to its course map ...
        page.locator("nav.melt-lesson-nav").first.get_by_role("link", name="Course map").click()
        _wait_lesson(page, LESSONS[0].notebook)
        page.wait_for_function(
            """(id) => { const h = document.getElementById(id); if (!h) return false;
                         const r = h.getBoundingClientRect();
                         return r.top >= -2 && r.top < window.innerHeight / 3; }""",
            arg=COURSE_MAP_ANCHOR, timeout=30_000)
        assert _course_map_in_view(page)
        _shot(page, "nav_app_course_map_again")

        # ... whose entries are links to the lessons.
        entry = LESSONS[3]
        page.get_by_role("link", name=f"{entry.id}. {entry.title}", exact=True).click()
        _wait_lesson(page, entry.notebook)
        _check_app_lesson(page, 3, js_errors)
    finally:
        context.close()


#: Each entry of every navigation bar on the page, relative to its bar: [left, top, right,
#: bottom] of the link (or the name of a lesson without one), and the bar's size.
_BAR_ENTRIES = """() => [...document.querySelectorAll('nav.melt-lesson-nav')].map(nav => {
    const n = nav.getBoundingClientRect();
    const entries = [...nav.querySelectorAll('a, span:not([aria-hidden])')]
        .filter(e => !e.parentElement.closest('a, span:not([aria-hidden])'))
        .map(e => { const r = e.getBoundingClientRect();
                    return [r.left - n.left, r.top - n.top, r.right - n.left, r.bottom - n.top]; });
    return {width: n.width, height: n.height, entries};
})"""


def _lines(entries: list[list[float]]) -> list[list[list[float]]]:
    """The bar's entries grouped into the lines they are drawn on, left to right."""
    def middle(entry: list[float]) -> float:
        return (entry[1] + entry[3]) / 2

    lines: list[list[list[float]]] = []
    for entry in sorted(entries, key=middle):
        if lines and abs(middle(lines[-1][0]) - middle(entry)) < 8:
            lines[-1].append(entry)
        else:
            lines.append([entry])
    return [sorted(line) for line in lines]


def _ink(png: bytes, left: float, right: float, top: float, bottom: float) -> int:
    """How many dark pixels (text) a region of a screenshot holds."""
    from helpers import pixels

    rgb = pixels(png)
    y0, y1 = max(0, int(top) + 1), min(rgb.shape[0], int(bottom) - 1)
    x0, x1 = max(0, int(left) + 1), min(rgb.shape[1], int(right) - 1)
    if x1 <= x0 or y1 <= y0:
        return 0
    return int((rgb[y0:y1, x0:x1].min(axis=-1) < 160).sum())


def nav_separators(page, name: str) -> tuple[list[str], int]:
    """What is drawn in each bar outside its entries: marks before the first or after the last
    entry of a line (a separator left dangling), and how many gaps between two entries of one
    line show a mark (a separator where it belongs). Saves a screenshot of each bar."""
    dangling, between = [], 0
    for index, bar in enumerate(page.evaluate(_BAR_ENTRIES)):
        nav = page.locator("nav.melt-lesson-nav").nth(index)
        nav.scroll_into_view_if_needed()
        bar = page.evaluate(_BAR_ENTRIES)[index]      # measured again, now on screen
        png = nav.screenshot(path=str(ARTIFACTS / f"{name}_bar{index}.png"))
        for number, line in enumerate(_lines(bar["entries"]), 1):
            top = min(e[1] for e in line)
            bottom = max(e[3] for e in line)
            if _ink(png, 0, line[0][0], top, bottom):
                dangling.append(f"bar {index}, line {number} starts with a mark")
            if _ink(png, line[-1][2], bar["width"], top, bottom):
                dangling.append(f"bar {index}, line {number} ends with a mark")
            between += sum(1 for a, b in pairwise(line) if _ink(png, a[2], b[0], top, bottom))
    return dangling, between


def test_the_bar_on_a_phone_leaves_no_separator_at_a_line_end_and_is_not_printed(voila_server,
                                                                                 browser):
    """At 390x844 the bar wraps: no line starts or ends with a "·"; on a wide screen the dots
    stand between the links. The links work at phone size, and printing shows no bar."""
    ARTIFACTS.mkdir(exist_ok=True)
    index = 2                           # previous, course map and next: the longest bar
    les = LESSONS[index]
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        open_app_page(page, voila_server.render_url(les.notebook),
                      stored_widget_outputs(les.notebook))
        dangling, _ = nav_separators(page, "nav_phone")
        _shot(page, "nav_phone_top")
        assert page.evaluate(_BAR_ENTRIES)[0]["height"] > 60, "the bar did not wrap at 390 px"
        assert dangling == [], dangling
        page.set_viewport_size({"width": 1024, "height": 768})
        page.wait_for_timeout(300)
        dangling, between = nav_separators(page, "nav_1024")
        assert dangling == [] and between >= 2, (dangling, between)

        # Printing (Chromium's print media): the bars take no room and show nothing.
        page.emulate_media(media="print")
        shown = page.evaluate("() => [...document.querySelectorAll('nav.melt-lesson-nav')]"
                              ".map(n => n.getBoundingClientRect().height)")
        assert len(shown) == 2 and shown == [0, 0], shown
        page.emulate_media(media="screen")

        # The links work at phone size: landmark, name, and "Previous" opens the lesson before.
        page.set_viewport_size({"width": 390, "height": 844})
        bar = page.get_by_role("navigation", name="Lessons (top of page)")
        assert bar.get_by_role("listitem").count() == 3
        bar.scroll_into_view_if_needed()
        bar.get_by_role("link", name=re.compile(r"Previous:")).click()
        _wait_lesson(page, LESSONS[index - 1].notebook)
        assert page.get_by_role("navigation", name="Lessons (end of page)").count() == 1
        _shot(page, "nav_phone_after_previous")
    finally:
        context.close()


# --------------------------------------------------------------------------- JupyterLab


def _current_tab(page) -> str:
    return page.locator("#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current "
                        ".lm-TabBar-tabLabel").first.inner_text().strip()


def _wait_tab(page, notebook: str, timeout: float = 60_000) -> None:
    page.wait_for_function(
        """(name) => { const t = document.querySelector(
            '#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel');
            return t && t.textContent.trim() === name; }""", arg=notebook, timeout=timeout)
    page.wait_for_selector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-MarkdownCell h1",
                           timeout=timeout)


def _visible_notebook(page):
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)").first


def test_lab_links_open_the_next_notebook_the_course_map_and_its_entries(lab, page):
    """Before anything has run (the bars are Markdown, the course map a stored output)."""
    lab.open(page, f"notebooks/{LESSONS[0].notebook}")
    notebook = _visible_notebook(page)
    # First open, nothing run yet: each widget's place says to run the cells, not that the
    # set-up is broken.
    demo = notebook.get_by_text("<interactive widget: run the cells to see it (Run → Run All "
                                "Cells): Hip flexion demo>")
    demo.scroll_into_view_if_needed()
    assert demo.is_visible()
    _shot(page, "nav_lab_00_first_open")
    notebook.locator(".jp-MarkdownCell").first.scroll_into_view_if_needed()
    bar = notebook.locator(".jp-MarkdownCell").first
    assert " ".join(bar.inner_text().split()).startswith("Course map Next: 01.")
    bar.get_by_role("link", name=re.compile(r"^Next:")).click()
    _wait_tab(page, LESSONS[1].notebook)
    assert _current_tab(page) == LESSONS[1].notebook
    heading = _visible_notebook(page).locator(".jp-MarkdownCell h1").first.inner_text()
    assert heading.strip() == _first_heading(LESSONS[1].notebook)
    _shot(page, "nav_lab_01_after_next")

    # The last cell's bar: "Previous" goes back to lesson 0.
    bottom = _visible_notebook(page).locator(".jp-MarkdownCell").last
    bottom.scroll_into_view_if_needed()
    bottom.get_by_role("link", name=re.compile(r"Previous:")).click()
    _wait_tab(page, LESSONS[0].notebook)

    # The course map (a stored Markdown output, before Run All) links the lessons.
    entry = LESSONS[2]
    link = _visible_notebook(page).get_by_role("link", name=f"{entry.id}. {entry.title}",
                                                exact=True)
    link.scroll_into_view_if_needed()
    link.click()
    _wait_tab(page, entry.notebook)
    _shot(page, "nav_lab_02_from_course_map")

    # "Course map" in a lesson opens the start notebook.
    top = _visible_notebook(page).locator(".jp-MarkdownCell").first
    top.scroll_into_view_if_needed()
    top.get_by_role("link", name="Course map").click()
    _wait_tab(page, LESSONS[0].notebook)
    # ... at its course map.
    page.wait_for_function(
        """() => { const nb = [...document.querySelectorAll('.jp-NotebookPanel')]
                       .find(p => !p.classList.contains('lm-mod-hidden'));
                   const h = [...nb.querySelectorAll('.jp-MarkdownCell h2')]
                       .find(e => e.textContent.startsWith('The course map'));
                   const box = nb.querySelector('.jp-WindowedPanel-outer, .jp-Notebook');
                   if (!h || !box) return false;
                   const top = h.getBoundingClientRect().top - box.getBoundingClientRect().top;
                   return top >= -2 && top < box.clientHeight / 3; }""", timeout=30_000)
    _shot(page, "nav_lab_course_map")


def test_lab_widget_cell_run_before_setup_shows_the_hint(lab, page):
    """In `melt-course lab`'s own kernel: a lesson's first widget cell run straight after
    opening (the setup cell skipped) shows the hint naming the setup cell, no traceback."""
    from melt_course.cli.kernel_hint import HINT_TEXT

    lab.open(page, f"notebooks/{LESSONS[1].notebook}")
    notebook = _visible_notebook(page)
    cell = notebook.locator(".jp-CodeCell").filter(has_text="mc.anatomy_picture").first
    cell.scroll_into_view_if_needed()
    cell.locator(".jp-InputArea-editor").click()
    page.keyboard.press("Shift+Enter")
    output = cell.locator(".jp-OutputArea-output")
    output.filter(has_text="Setup").first.wait_for(timeout=60_000)
    text = " ".join(output.first.inner_text().split())
    assert "Run the Setup cell near the top of this lesson first" in text
    assert "from melt_course import notebook as mc" in text
    assert HINT_TEXT.split(".")[0] in text
    assert "Traceback" not in cell.inner_text() and "NameError" not in cell.inner_text()
    assert not cell.locator('[data-mime-type="application/vnd.jupyter.stderr"]').count()
    _shot(page, "nav_lab_hint_before_setup")
