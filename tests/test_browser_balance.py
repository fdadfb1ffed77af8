"""Lesson 4 in a real browser: it runs cleanly, and moving a balance-lab slider changes the picture."""

import json
import urllib.request

import pytest

pytestmark = pytest.mark.browser

NOTEBOOK = "notebooks/04_neurocore.ipynb"


def _open_in_own_workspace(lab, page) -> None:
    """Open the notebook in a workspace of its own, so the session's default JupyterLab
    workspace (shared by the other browser tests) does not keep this notebook's tab open."""
    server = lab.server
    page.goto(f"{server.url}/lab/workspaces/lesson04/tree/{NOTEBOOK}?token={server.token}&reset")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    lab.wait_idle(page, 60_000)


def _shut_down_kernel(lab) -> None:
    """Stop this notebook's kernel so it does not load the machine for the next tests."""
    server = lab.server
    with urllib.request.urlopen(f"{server.url}/api/sessions?token={server.token}") as resp:
        sessions = json.load(resp)
    for session in sessions:
        if session.get("path", "").endswith("04_neurocore.ipynb"):
            request = urllib.request.Request(
                f"{server.url}/api/sessions/{session['id']}?token={server.token}",
                method="DELETE")
            urllib.request.urlopen(request).close()


@pytest.fixture
def lesson_page(lab, page):
    _open_in_own_workspace(lab, page)
    yield page
    _shut_down_kernel(lab)


def test_balance_lab_responds_to_the_keyboard(lab, lesson_page):
    page = lesson_page
    lab.run_all(page)
    assert lab.error_outputs(page) == []
    assert page.locator(".jp-RenderedMarkdown table").count() >= 3   # parameters, experiment, GRF

    image = page.locator("img.melt-diagram").first
    image.wait_for(state="visible", timeout=60_000)
    readout = page.locator(".melt-readout").first
    assert "Stays up" in readout.inner_text()
    before_src = image.get_attribute("src")
    lab.screenshot(page, "lesson04_before_slider")

    delay_handle = page.locator(".jupyter-widgets .noUi-handle").nth(1)
    delay_handle.scroll_into_view_if_needed()
    delay_handle.focus()
    for _ in range(15):                       # keyboard only: 150 ms -> 300 ms in 10 ms steps
        page.keyboard.press("ArrowRight")
    page.wait_for_function(
        """() => {
            const r = document.querySelector('.melt-readout');
            const d = document.querySelector('.melt-description');
            return r && r.innerText.includes('Falls') && d && d.innerText.includes('300 ms');
        }""", timeout=60_000)
    after_src = image.get_attribute("src")
    assert after_src != before_src, "the picture did not change when the slider moved"
    assert "unstable" in readout.inner_text()
    image.scroll_into_view_if_needed()
    lab.screenshot(page, "lesson04_after_slider")
