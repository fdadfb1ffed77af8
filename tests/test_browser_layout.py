"""Every lesson in the app (Voila) as a person sees it on a phone, a projector and a desktop.

Each lesson is opened once, at 390x844; the same page is then resized to 1024x768 and
1920x1080. At each size, measured in the page:

- nothing on the page is wider than the screen (no sideways page scroll): an element reaching
  past an edge is allowed only inside a box that scrolls or clips sideways and itself fits;
- no two choices (quiz options, tick boxes) are drawn over each other, and no words of a
  course widget are cut off with "...";
- every slider and the value it shows (its readout) are on screen, the value not cut off and
  on the same line as the slider's track;
- every picture lies within its output box and the screen (or scrolls sideways inside a box
  that does);
- every diagram's smallest text is at least ``READABLE_PX`` (9) CSS px high on screen: the
  ``<img>`` says how high it is in image pixels (``data-min-font-px``, measured from the
  matplotlib figure), shown at (rendered width / natural width) of that; the page is given a
  moment after each resize for a diagram to switch to its narrow layout;
- on the phone, the diagrams that have a narrow layout (:data:`NARROW_ON_A_PHONE`) show it
  and do not scroll sideways in their box (nor does any other diagram in its narrow layout);
- every table fits the screen, and a table wider than its box scrolls inside that box;
- the lesson sits in the page's one ``main`` landmark; the page has a title (the lesson's
  heading) and a language;
- cells tagged ``lab-only`` ("Run the cell below") are not on the page;
- no line of a navigation bar starts or ends with a separator ("·") when the bar wraps;
- every request the page made went to this machine (127.0.0.1): nothing from a CDN (the
  lesson list too).

The stitched screenshots (the page scrolled screen by screen) are saved in test-artifacts/ as
``layout_<lesson>_<width>x<height>.png``, and each diagram as the phone shows it as
``diagram_<lesson>_<n>_390.png``.

In JupyterLab, the stylesheet arrives with the first course widget (no template there): the
last test runs the start lesson in JupyterLab and checks the same file's rules are in force.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest
from app_helpers import (
    NOTEBOOKS,
    open_app_page,
    page_errors,
    probe_notebook,
    served_lessons,
    stored_widget_outputs,
)
from conftest import ARTIFACTS
from test_browser_nav import nav_separators

from melt_course.content.page import LAB_ONLY_TAG, course_stylesheet
from melt_course.widgets.fit import READABLE_PX

pytestmark = pytest.mark.browser

#: Phone, projector, desktop: the first is the size a lesson is opened at.
SIZES = [(390, 844), (1024, 768), (1920, 1080)]

#: Measured in the page at the current size: what reaches past the screen, sliders, pictures,
#: tables and the landmark. Each finding names the element, so a failure says what to fix.
_MEASURE = """() => {
    const W = window.innerWidth;
    const name = el => {
        const text = (el.innerText || el.getAttribute('alt') || '').trim().slice(0, 50);
        return `${el.tagName.toLowerCase()}.${el.className.toString().trim()
            .replace(/\\s+/g, '.').slice(0, 60)} "${text}"`;
    };
    const main = document.querySelector('main');
    const clipped = el => {  // inside a box that scrolls or clips sideways and fits itself
        for (let a = el.parentElement; a && a !== main && a !== document.body;
             a = a.parentElement) {
            const ox = getComputedStyle(a).overflowX;
            if (ox !== 'visible') {
                const r = a.getBoundingClientRect();
                return r.left >= -1 && r.right <= W + 1;
            }
        }
        return false;
    };
    const shown = el => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
    };
    const out = {width: W, mains: document.querySelectorAll('main').length,
                 cellsInMain: main ? main.querySelectorAll('.jp-Cell').length : 0,
                 cellsOutside: [...document.querySelectorAll('.jp-Cell')]
                     .filter(c => !main || !main.contains(c)).length,
                 pageScroll: Math.max(document.documentElement.scrollWidth,
                     ...[...document.querySelectorAll('#rendered_cells, body')]
                        .map(e => e.scrollWidth)),
                 wide: [], sliders: [], pictures: [], tables: [], scrollingTables: 0,
                 overlaps: [], cut: [],
                 scrollBoxes: [...document.querySelectorAll('main .melt-diagram-scrolls')]
                     .filter(shown).map(p => (p.querySelector('img') || {}).alt || name(p))};
    if (!main) return out;
    for (const el of main.querySelectorAll('*')) {
        if (!shown(el)) continue;
        const r = el.getBoundingClientRect();
        if ((r.right > W + 1 || r.left < -1) && !clipped(el)) out.wide.push(name(el));
    }
    out.wide = out.wide.slice(0, 20);
    for (const s of main.querySelectorAll('.widget-hslider')) {
        if (!shown(s)) continue;
        const track = s.querySelector('.slider-container') || s;
        const t = track.getBoundingClientRect();
        const ro = s.querySelector('.widget-readout');
        const hasReadout = ro && getComputedStyle(ro).display !== 'none';
        const r = hasReadout ? ro.getBoundingClientRect() : null;
        out.sliders.push({
            name: name(s), trackOnScreen: t.left >= -1 && t.right <= W + 1 && t.width >= 60,
            readout: hasReadout ? ro.innerText.trim() : null,
            readoutOnScreen: !hasReadout || (r.width > 0 && r.left >= -1 && r.right <= W + 1),
            readoutWhole: !hasReadout || ro.scrollWidth <= ro.clientWidth + 1,
            // the value on the track's line (not wrapped under the slider's name)
            readoutBeside: !hasReadout || Math.abs((r.top + r.bottom) / 2 - (t.top + t.bottom) / 2)
                <= Math.max(t.height, r.height) / 2 + 2});
    }
    for (const img of main.querySelectorAll('img')) {
        if (!shown(img)) continue;
        const r = img.getBoundingClientRect();
        const box = img.closest('.jp-OutputArea-output, .jp-RenderedHTMLCommon, .jp-Cell');
        const b = box.getBoundingClientRect();
        const scrolls = clipped(img);
        const font = img.dataset.minFontPx;
        out.pictures.push({name: name(img), alt: img.alt, width: Math.round(r.width),
            inBox: scrolls || (r.left >= b.left - 1 && r.right <= b.right + 1),
            onScreen: scrolls || (r.left >= -1 && r.right <= W + 1),
            diagram: img.classList.contains('melt-diagram'), layout: img.dataset.layout,
            scrolls: scrolls && r.right > b.right + 1,
            fontPx: font === undefined ? null : font,
            shownFontPx: font === undefined || font === 'none' ? null :
                Number(font) * r.width / img.naturalWidth});
    }
    for (const table of main.querySelectorAll('table')) {
        if (!shown(table)) continue;
        const r = table.getBoundingClientRect();
        const ox = getComputedStyle(table).overflowX;
        const wider = table.scrollWidth > table.clientWidth + 1;
        if (wider) out.scrollingTables += 1;
        out.tables.push({name: name(table), onScreen: r.left >= -1 && r.right <= W + 1,
                         scrollsInBox: !wider || ox === 'auto' || ox === 'scroll'});
    }
    // Choices (quiz options, tick boxes): where each one's words are drawn; none may overlap
    // another of the same group, and no words may be cut off ("...").
    for (const group of main.querySelectorAll('.widget-radio-box, .melt-widget .widget-vbox')) {
        const options = [...group.children].filter(o => shown(o) && (o.tagName === 'LABEL' ||
            o.classList.contains('widget-checkbox')));
        const boxes = options.map(o => {
            const range = document.createRange();
            range.selectNodeContents(o);
            const t = range.getBoundingClientRect(), r = o.getBoundingClientRect();
            return {text: o.innerText.trim().slice(0, 40), x: Math.min(r.left, t.left),
                    y: Math.min(r.top, t.top), right: Math.max(r.right, t.right),
                    bottom: Math.max(r.bottom, t.bottom)};
        });
        for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
            const a = boxes[i], b = boxes[j];
            if (Math.min(a.right, b.right) - Math.max(a.x, b.x) > 1 &&
                    Math.min(a.bottom, b.bottom) - Math.max(a.y, b.y) > 1)
                out.overlaps.push([a.text, b.text]);
        }
    }
    for (const el of main.querySelectorAll('.melt-widget label, .melt-widget span, ' +
                                          '.melt-widget button, .melt-widget .widget-label')) {
        const style = getComputedStyle(el);
        if (shown(el) && el.innerText.trim() && style.textOverflow === 'ellipsis' &&
                el.scrollWidth > el.clientWidth + 1)
            out.cut.push(name(el));
    }
    return out;
}"""


def _lab_only_texts(notebook: str) -> list[str]:
    """The first words of each cell of a lesson tagged lab-only (they must not be shown)."""
    nb = json.loads((NOTEBOOKS / notebook).read_text(encoding="utf-8"))
    return ["".join(c["source"]).strip().splitlines()[0][:60] for c in nb["cells"]
            if LAB_ONLY_TAG in c.get("metadata", {}).get("tags", []) and "".join(c["source"])]


def stitched_screenshot(page, path: Path) -> None:
    """The whole lesson as a person scrolls it: screen after screen of the app's scroller."""
    from PIL import Image

    size = page.viewport_size
    total = page.evaluate("document.querySelector('#rendered_cells').scrollHeight")
    sheet = Image.new("RGB", (size["width"], total), "white")
    top = 0
    while top < total:
        real = page.evaluate(
            "(y) => { const s = document.querySelector('#rendered_cells'); s.scrollTop = y; "
            "return s.scrollTop; }", top)
        page.wait_for_timeout(60)
        sheet.paste(Image.open(io.BytesIO(page.screenshot())), (0, real))
        top += size["height"]
    page.evaluate("document.querySelector('#rendered_cells').scrollTop = 0")
    ARTIFACTS.mkdir(exist_ok=True)
    sheet.save(path)


#: True when every diagram on the page shows its smallest text at a readable size.
_DIAGRAMS_READABLE = """(least) => [...document.querySelectorAll('img.melt-diagram')]
    .filter(img => img.getBoundingClientRect().width > 0)
    .every(img => img.complete && img.naturalWidth > 0 && (img.dataset.minFontPx === 'none' ||
        Number(img.dataset.minFontPx) * img.getBoundingClientRect().width / img.naturalWidth
        >= least))"""


def settle_diagrams(page, timeout_ms: int = 20_000) -> None:
    """Give the diagrams a moment to report their width and show the layout that fits.

    Returns when every diagram's text is readable or after ``timeout_ms`` (the measurement
    that follows then says which one is not).
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(_DIAGRAMS_READABLE, arg=READABLE_PX - 0.05, timeout=timeout_ms,
                               polling=250)
    page.wait_for_timeout(300)


#: True when every shown diagram whose alt text has one of the words shows its narrow layout.
_NARROW_SHOWN = """(words) => [...document.querySelectorAll('img.melt-diagram')]
    .filter(img => img.getBoundingClientRect().width > 0 && words.some(w => img.alt.includes(w)))
    .every(img => img.complete && img.dataset.layout === 'narrow')"""


def settle_narrow(page, words: list[str], timeout_ms: int = 30_000) -> None:
    """Give the diagrams named by ``words`` a moment to switch to their narrow layout.

    A wide picture that scrolls sideways keeps its text readable, so :func:`settle_diagrams`
    does not wait for the switch; the kernel answers the reported width after whatever it is
    doing (warming up a diagram in the background), so the switch can take a few seconds.
    Returns when they are narrow or after ``timeout_ms`` (the check that follows says which
    one is not).
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(_NARROW_SHOWN, arg=words, timeout=timeout_ms, polling=250)
    page.wait_for_timeout(300)


def cut_out_diagrams(page, sheet: Path, prefix: str) -> None:
    """Save each diagram as the stitched screenshot shows it (``<prefix>_<n>_390.png``), to
    look at one by one (an element screenshot cannot see past the app's own scroller)."""
    from PIL import Image

    boxes = page.evaluate("""() => {
        const s = document.querySelector('#rendered_cells');
        const top = s.getBoundingClientRect().top - s.scrollTop;
        return [...document.querySelectorAll('main .melt-diagram-picture')].map(p => {
            const r = p.getBoundingClientRect();
            return [r.left, r.top - top, r.right, r.bottom - top];
        }).filter(b => b[2] > b[0] && b[3] > b[1]);
    }""")
    whole = Image.open(sheet)
    for i, (left, top, right, bottom) in enumerate(boxes):
        whole.crop((max(0, int(left)), max(0, int(top)), int(right) + 1,
                    min(whole.height, int(bottom) + 1))).save(ARTIFACTS / f"{prefix}_{i}_390.png")


def check_layout(seen: dict, where: str) -> None:
    """Assert what :data:`_MEASURE` found; ``where`` names the lesson and size."""
    assert seen["mains"] == 1, f"{where}: {seen['mains']} main landmarks"
    assert seen["cellsInMain"] > 0 and seen["cellsOutside"] == 0, \
        f"{where}: the lesson is not inside <main>"
    assert seen["pageScroll"] <= seen["width"], \
        f"{where}: the page scrolls sideways ({seen['pageScroll']} px)"
    assert seen["wide"] == [], f"{where}: wider than the screen: {seen['wide']}"
    for slider in seen["sliders"]:
        assert slider["trackOnScreen"], f"{where}: slider off screen: {slider}"
        assert slider["readoutOnScreen"] and slider["readoutWhole"], \
            f"{where}: the slider's value is off screen or cut off: {slider}"
        assert slider["readoutBeside"], \
            f"{where}: the slider's value wrapped onto its own line: {slider}"
    assert seen["overlaps"] == [], f"{where}: options drawn over each other: {seen['overlaps']}"
    assert seen["cut"] == [], f"{where}: words cut off: {seen['cut']}"
    for picture in seen["pictures"]:
        assert picture["inBox"] and picture["onScreen"], \
            f"{where}: picture outside its box: {picture}"
    small = [p for p in seen["pictures"] if p["diagram"] and (
        p["fontPx"] is None or (p["shownFontPx"] is not None
                                and p["shownFontPx"] < READABLE_PX - 0.05))]
    assert small == [], f"{where}: diagram text smaller than {READABLE_PX} CSS px: {small}"
    for table in seen["tables"]:
        assert table["onScreen"] and table["scrollsInBox"], \
            f"{where}: table cut off or wider than the screen: {table}"


#: Per lesson, words of the short text (``alt``) of each diagram that must show its narrow
#: layout on a phone, without the sideways scroll of a wide picture.
NARROW_ON_A_PHONE = {
    "01_meet_the_psoas": ["Chart of how often the Psoas minor",
                          "Anatomy diagram of the psoas region",   # explorer, still pictures
                          "Figure for this question"],             # quiz label figures
    "03_stress_and_startle": ["Startle at", "Adrenaline and cortisol curves",
                              "Front view of the diaphragm above the psoas"],
    "05_routines": ["Chart of your ratings"],
    "06_review": ["Example learner (made up): bar chart", "Your mastery per lesson: bar chart"],
}


def check_narrow_on_a_phone(seen: dict, stem: str, where: str) -> None:
    """At a phone's width: each of the lesson's :data:`NARROW_ON_A_PHONE` diagrams is there,
    in its narrow layout, and no diagram in a narrow layout scrolls sideways."""
    diagrams = [p for p in seen["pictures"] if p["diagram"]]
    for words in NARROW_ON_A_PHONE.get(stem, []):
        found = [p for p in diagrams if words in p["alt"]]
        assert found, f"{where}: no diagram whose alt has {words!r}: {diagrams}"
        wide = [p for p in found if p["layout"] != "narrow" or p["scrolls"]]
        assert wide == [], f"{where}: wide, scrolling sideways on a phone: {wide}"
    scrolling = [p for p in diagrams if p["layout"] == "narrow" and p["scrolls"]]
    assert scrolling == [], f"{where}: a narrow layout scrolls sideways: {scrolling}"


#: Lessons whose diagrams named in :data:`NARROW_ON_A_PHONE` have no sideways scroll box at
#: any size (a projector or a desktop either).
NO_SCROLL_BOX = {"01_meet_the_psoas"}


def check_no_scroll_box(seen: dict, stem: str, where: str) -> None:
    """None of the lesson's :data:`NARROW_ON_A_PHONE` diagrams scrolls sideways in its box
    (measured, and as the page marks it: ``melt-diagram-scrolls``)."""
    words = NARROW_ON_A_PHONE[stem]
    diagrams = [p for p in seen["pictures"] if p["diagram"]
                and any(w in p["alt"] for w in words)]
    assert diagrams, f"{where}: no diagram measured"
    scrolling = [p["alt"] for p in diagrams if p["scrolls"]]
    scrolling += [alt for alt in seen["scrollBoxes"] if any(w in alt for w in words)]
    assert scrolling == [], f"{where}: diagrams scroll sideways: {scrolling}"


@pytest.mark.parametrize("notebook", served_lessons())
def test_every_lesson_fits_a_phone_a_projector_and_a_desktop(voila_server, browser, notebook):
    context = browser.new_context(viewport={"width": SIZES[0][0], "height": SIZES[0][1]})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    stem = notebook.removesuffix(".ipynb")
    try:
        open_app_page(page, voila_server.render_url(notebook), stored_widget_outputs(notebook))
        heading = page.locator("main h1").first.inner_text().strip()
        assert page.title().startswith(heading), (page.title(), heading)
        assert page.evaluate("document.documentElement.lang") == "en"
        shown = page.locator("main").inner_text()
        hidden = [t for t in _lab_only_texts(notebook) if t in shown]
        assert hidden == [], f"lab-only cells shown in the app: {hidden}"
        for width, height in SIZES:
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_timeout(600)  # widgets re-lay out on resize
            settle_diagrams(page)
            if width == SIZES[0][0] and stem in NARROW_ON_A_PHONE:
                settle_narrow(page, NARROW_ON_A_PHONE[stem])
            seen = page.evaluate(_MEASURE)
            sheet = ARTIFACTS / f"layout_{stem}_{width}x{height}.png"
            stitched_screenshot(page, sheet)
            if width == SIZES[0][0]:
                cut_out_diagrams(page, sheet, f"diagram_{stem}")
            check_layout(seen, f"{notebook} at {width}x{height}")
            if width == SIZES[0][0]:
                check_narrow_on_a_phone(seen, stem, f"{notebook} at {width}x{height}")
            if stem in NO_SCROLL_BOX:
                check_no_scroll_box(seen, stem, f"{notebook} at {width}x{height}")
            dangling, _ = nav_separators(page, f"layout_nav_{stem}_{width}x{height}")
            assert dangling == [], f"{notebook} at {width}x{height}: {dangling}"
        assert page_errors(page) == []
        away = sorted({u.split("?")[0] for u in requests
                       if not u.startswith(("http://127.0.0.1:", "data:", "blob:"))})
        assert away == [], f"{notebook}: requests leaving the machine: {away}"
    finally:
        context.close()


def _probe_notebook(folder: Path) -> str:
    """A small lesson with a lab-only Markdown cell and a lab-only code cell."""
    return probe_notebook(folder, "zz_lab_only_probe.ipynb", [
        ("markdown", "# Probe lesson\n\nThe first paragraph.", []),
        ("markdown", "Run the cell below (click it, then press Shift + Enter).",
         [LAB_ONLY_TAG]),
        ("code", "print('printed by a lab-only cell')", [LAB_ONLY_TAG]),
        ("code", "print('printed by an ordinary cell')", []),
        ("markdown", "The last paragraph.", [])])


def test_lab_only_cells_are_left_out_of_the_app(voila_server, page):
    name = _probe_notebook(voila_server.root / "notebooks")
    page.goto(voila_server.render_url(name), wait_until="load", timeout=120_000)
    page.get_by_text("printed by an ordinary cell").wait_for(timeout=120_000)
    text = page.locator("main").inner_text()
    assert "The first paragraph." in text and "The last paragraph." in text
    assert "Shift + Enter" not in text and "printed by a lab-only cell" not in text
    assert page.title() == "Probe lesson · The psoas and the NeuroCore"


def test_the_stylesheet_reaches_jupyterlab_with_the_first_course_widget(lab, page):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.set_viewport_size({"width": 1024, "height": 768})
    lab.open(page, "notebooks/00_start_here.ipynb")
    lab.run_all(page)
    page.locator(".melt-widget").first.wait_for(timeout=60_000)
    sheet = page.evaluate(
        "() => [...document.querySelectorAll('head style')].filter(s => "
        "s.id === 'melt_course.widgets.stylesheet.CourseStylesheet').map(s => s.textContent)")
    assert sheet == [course_stylesheet()], "the stylesheet is not on the page once"
    # Its rules are in force: the coloured button's Okabe-Ito blue, and a focus ring.
    button = page.locator(".melt-widget .jupyter-button.mod-primary").first
    button.scroll_into_view_if_needed()
    assert button.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(0, 114, 178)"
    button.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # focus by keyboard: the ring is for keyboard users
    ring = button.evaluate("b => [document.activeElement === b, getComputedStyle(b).outlineWidth,"
                           " getComputedStyle(b).outlineStyle]")
    assert ring[0] and float(ring[1].removesuffix("px")) >= 2 and ring[2] != "none", ring
    lab.screenshot(page, "layout_lab_start_1024x768")
    away = sorted({u.split("?")[0] for u in requests
                   if not u.startswith(("http://127.0.0.1:", "data:", "blob:"))})
    assert away == [], f"JupyterLab requests leaving the machine: {away}"


def test_the_lesson_list_fetches_nothing_from_the_internet(voila_server, page):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{voila_server.url}/?token={voila_server.token}", wait_until="load")
    # The lesson list sends the browser on to the start lesson's course map: both pages count.
    page.wait_for_url("**/00_start_here.ipynb?*", timeout=60_000)
    page.wait_for_load_state("networkidle")
    away = sorted({u.split("?")[0] for u in requests
                   if not u.startswith(("http://127.0.0.1:", "data:", "blob:"))})
    assert away == [], f"the lesson list requests from outside the machine: {away}"
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("main").count() == 1


#: One diagram's text as shown: its smallest text in CSS px, its layout, whether it scrolls.
_SHOWN_TEXT = """(img) => {
    const r = img.getBoundingClientRect();
    const box = img.closest('.widget-html-content');
    return {alt: img.alt.slice(0, 50), layout: img.dataset.layout, width: Math.round(r.width),
            px: Number(img.dataset.minFontPx) * r.width / img.naturalWidth,
            scrolls: !!box && box.scrollWidth > box.clientWidth + 1};
}"""


def test_diagram_text_is_readable_in_jupyterlab_on_a_projector_and_a_phone(lab, page):
    """Lesson 2's diagrams in JupyterLab (the width comes from JupyterLab's own panel): at
    1024x768 and at 390x844 each diagram's smallest text is at least READABLE_PX on screen;
    on the phone the explorer and the four-words figure show their narrow layout."""
    page.set_viewport_size({"width": 1024, "height": 768})
    lab.open(page, "notebooks/02_psoas_in_motion.ipynb")
    lab.run_all(page)
    for width, height in [(1024, 768), (390, 844)]:
        page.set_viewport_size({"width": width, "height": height})
        if width < 600:     # on a phone the notebook gets the screen: file browser closed
            page.locator(".jp-NotebookPanel .jp-Notebook").first.click(position={"x": 5,
                                                                              "y": 5})
            page.keyboard.press("Control+b")
            page.wait_for_timeout(500)
        pictures = page.locator(".jp-OutputArea-output img.melt-diagram")
        assert pictures.count() >= 2
        seen = []
        for i in range(pictures.count()):
            img = pictures.nth(i)
            img.scroll_into_view_if_needed()
            handle = img.element_handle()
            with contextlib.suppress(Exception):   # the measurement below says what is wrong
                page.wait_for_function(
                    "([img, least]) => img.complete && Number(img.dataset.minFontPx) * "
                    "img.getBoundingClientRect().width / img.naturalWidth >= least",
                    arg=[handle, READABLE_PX - 0.05], timeout=20_000, polling=250)
            seen.append(handle.evaluate(_SHOWN_TEXT))
        small = [s for s in seen if not s["px"] >= READABLE_PX - 0.05]
        assert small == [], f"JupyterLab at {width}x{height}: diagram text too small: {small}"
        if width < 600:
            assert sum(s["layout"] == "narrow" for s in seen) >= 2, seen
        lab.screenshot(page, f"layout_lab_lesson02_{width}x{height}")


def test_jupyterlab_styles_the_lesson_bar_before_any_cell_runs(lab, page):
    """``melt-course lab`` links the course stylesheet at page load (JupyterLab's custom CSS,
    served from the package's one ``custom.css``): a lesson's navigation bar is a bar, not a
    bulleted list, before the learner runs anything."""
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    lab.open(page, "notebooks/04_neurocore.ipynb")
    nav = page.locator("nav.melt-lesson-nav").first
    nav.wait_for(timeout=60_000)
    # Nothing has run: the course widgets' way in (a style element from the first widget) is absent.
    assert page.evaluate(
        "() => document.getElementById('melt_course.widgets.stylesheet.CourseStylesheet')"
        " === null")
    look = nav.evaluate("""n => {
        const ul = n.querySelector('ul'), li = ul.querySelector('li');
        return [getComputedStyle(ul).display, getComputedStyle(li).display,
                getComputedStyle(li).listStyleType]; }""")
    assert look == ["flex", "flex", "none"], f"the lesson bar is a bulleted list: {look}"
    # The sheet JupyterLab loaded is the package's one stylesheet, byte for byte.
    sheets = [u for u in requests if "/custom/custom.css" in u]
    assert sheets, "JupyterLab did not ask for the course stylesheet"
    assert page.evaluate("u => fetch(u).then(r => r.text())", sheets[0]) == course_stylesheet()
    nav.screenshot(path=str(ARTIFACTS / "lab_nav_before_run.png"))
