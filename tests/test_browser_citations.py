"""Citations and glossary terms as a learner meets them in the app (Voilà) and the printed
handout: no raw ``[@key]`` text, and a click on "(Gray 1918a)" or on a term scrolls its entry in
the lesson's reference list or glossary into view."""

from __future__ import annotations

import re

import pytest
from app_helpers import open_app_page, served_lessons, stored_widget_outputs
from conftest import ARTIFACTS

RAW_KEY = re.compile(r"\[@[a-z][a-z0-9-]*\]")


def raw_keys(text: str) -> list[str]:
    """Raw citation keys (``[@gray1918]``) a reader would see in a page's text."""
    return sorted(set(RAW_KEY.findall(text)))


def test_raw_keys_are_found():                      # the check the page tests rely on
    assert raw_keys("fine (Gray 1918a). bad [@gray1918] and [@bogduk2012]") == [
        "[@bogduk2012]", "[@gray1918]"]
    assert raw_keys("[Gray 1918a](#ref-gray1918) [@ not a key") == []


def _in_view(page, element_id: str) -> dict:
    return page.evaluate("""(id) => {
        const el = document.getElementById(id);
        if (!el) return {found: false};
        const r = (el.nextElementSibling || el.parentElement).getBoundingClientRect();
        return {found: true, top: r.top, inView: r.top >= -12 && r.top < innerHeight - 20};
    }""", element_id)


@pytest.mark.browser
@pytest.mark.parametrize("notebook", served_lessons())
def test_app_lesson_text_has_no_raw_citation_key(voila_server, page, notebook):
    open_app_page(page, voila_server.render_url(notebook), stored_widget_outputs(notebook))
    text = page.inner_text("body")
    assert raw_keys(text) == [], f"{notebook}: raw citation keys shown"
    assert re.search(r"\([A-Z][^()]*\d{4}[a-z]?\)", text), f"{notebook}: no citation shown"


@pytest.mark.browser
def test_app_citation_and_term_links_scroll_their_entry_into_view(voila_server, page):
    notebook = "01_meet_the_psoas.ipynb"
    open_app_page(page, voila_server.render_url(notebook), stored_widget_outputs(notebook))
    for link_text, target in (("Gray 1918a", "ref-gray1918"), ("crura", "term-crus-of-the-diaphragm")):
        page.evaluate("() => window.scrollTo(0, 0)")
        assert not _in_view(page, target).get("inView"), f"{target} in view before the click"
        page.get_by_role("link", name=link_text, exact=True).first.click()
        page.wait_for_timeout(800)
        state = _in_view(page, target)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"app-citation-click-{target}.png"))
        assert state.get("inView"), f"after clicking {link_text!r}: {state}"
        assert page.url.endswith(f"#{target}")


@pytest.fixture(scope="module")
def handout_pages(exported_handouts):
    out, _ = exported_handouts
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(out.glob("0*.html"))}


def test_handouts_show_no_raw_key_and_every_citation_link_has_its_target(handout_pages):
    from html import unescape

    lessons = [n for n in handout_pages if not n.endswith("_answers.html")]
    assert len(lessons) == len(served_lessons())
    for name in lessons:
        html = handout_pages[name]
        text = unescape(re.sub(r"<[^>]+>", " ", html))
        assert raw_keys(text) == [], f"{name}: raw citation keys printed"
        links = set(re.findall(r'href="#((?:ref|term)-[a-z0-9-]+)"', html))
        ids = set(re.findall(r'id="((?:ref|term)-[a-z0-9-]+)"', html))
        assert links and links <= ids, f"{name}: links without a target: {sorted(links - ids)}"


@pytest.mark.browser
def test_lab_citation_and_term_links_scroll_their_entry_into_view(lab, page):
    """In JupyterLab the Markdown cell is rendered from its source; the targets are ids in the
    reference list's and glossary's outputs, which JupyterLab's sanitizer keeps."""
    lab.open(page, "notebooks/01_meet_the_psoas.ipynb")
    lab.run_all(page)
    assert raw_keys(page.inner_text(".jp-Notebook")) == []
    for link_text, target in (("Gray 1918a", "ref-gray1918"), ("crura", "term-crus-of-the-diaphragm")):
        page.evaluate("() => document.querySelectorAll('.jp-WindowedPanel-outer, .jp-Notebook')"
                      ".forEach(e => e.scrollTo(0, 0))")
        page.wait_for_timeout(300)
        assert not _in_view(page, target).get("inView"), f"{target} in view before the click"
        page.locator(".jp-MarkdownCell").get_by_role("link", name=link_text, exact=True) \
            .first.click()
        page.wait_for_timeout(800)
        state = _in_view(page, target)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"lab-citation-click-{target}.png"))
        assert state.get("inView"), f"after clicking {link_text!r} in JupyterLab: {state}"
