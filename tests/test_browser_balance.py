"""Lesson 4 in a real browser: it runs cleanly, and moving a balance-lab slider changes the picture."""


import pytest

pytestmark = pytest.mark.browser

NOTEBOOK = "notebooks/04_neurocore.ipynb"


def _open_in_own_workspace(lab, page) -> None:
    """Open the notebook in a workspace of its own, so the session's default JupyterLab
    workspace (shared by the other browser tests) does not keep this notebook's tab open."""
    server = lab.server
    page.goto(f"{server.url}/lab/workspaces/lesson04/tree/{NOTEBOOK}?token={server.token}&reset")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    lab.wait_connected(page, 60_000)


@pytest.fixture
def lesson_page(lab, page):
    _open_in_own_workspace(lab, page)
    yield page
    lab.shut_down(NOTEBOOK)


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


def test_noise_seed_waits_under_the_optional_modellers_button(lab, lesson_page):
    """The main line shows no seed box and no equation; the modellers' button opens the seed
    from the keyboard, and a new seed reruns the model."""
    page = lesson_page
    lab.run_all(page)
    assert lab.error_outputs(page) == []
    seed = page.get_by_role("spinbutton", name="Noise seed")
    assert not seed.is_visible(), "the noise seed shows in the main line"
    section_two = page.locator(".jp-MarkdownCell", has_text="2. Standing is balancing").first
    assert "θ" not in section_two.inner_text(), "the equation is in the main line"
    modellers = page.locator(".jp-MarkdownCell", has_text="5. Optional, for modellers").first
    assert "J·θ″" in modellers.inner_text()

    toggle = page.get_by_role("button", name="Optional, for modellers: noise seed")
    toggle.scroll_into_view_if_needed()
    toggle.focus()
    page.keyboard.press("Enter")
    seed.wait_for(state="visible", timeout=30_000)
    description = page.locator(".melt-description").first
    before = description.inner_text()
    seed.fill("42")
    seed.press("Enter")
    page.wait_for_function(
        "old => document.querySelector('.melt-description').innerText !== old",
        arg=before, timeout=60_000)
    assert seed.input_value() == "42"
    toggle.locator("xpath=..").screenshot(
        path=str(lab.screenshot(page, "lesson04_modellers").with_name("lesson04_seed_open.png")))
