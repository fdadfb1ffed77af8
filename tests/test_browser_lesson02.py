"""Lesson 2 in a real browser: it runs clean, the hip slider moves the model, the poses switch."""

import pytest

pytestmark = pytest.mark.browser

NOTEBOOK = "notebooks/02_psoas_in_motion.ipynb"


def _widget(page, index):
    """The output area of the ``index``-th diagram widget on the page (by position, so the
    locator keeps pointing at it after its description changes)."""
    return page.locator(".jp-OutputArea-output:has(img.melt-diagram)").nth(index)


def test_hip_slider_moves_the_model_and_poses_change_the_four_words(lab, page):
    lab.open(page, NOTEBOOK)
    lab.run_all(page)
    assert lab.error_outputs(page) == []
    assert page.locator(".jp-RenderedMarkdown table").count() >= 2   # parameters, gait2392 check

    assert page.locator(".jp-OutputArea-output:has(img.melt-diagram)").count() == 3
    explorer = _widget(page, 0)          # the first explorer, starting at standing
    explorer.scroll_into_view_if_needed()
    assert "hangs straight down" in explorer.locator(".melt-description").inner_text()
    image = explorer.locator("img.melt-diagram")
    image.wait_for(state="visible", timeout=60_000)
    before = image.get_attribute("src")
    readout_before = explorer.locator(".melt-readout").inner_text()

    handle = explorer.locator(".noUi-handle").first          # the hip flexion slider
    handle.focus()
    for _ in range(4):  # keyboard only: four steps of 5 degrees
        page.keyboard.press("ArrowRight")
    explorer.locator(".melt-description", has_text="lifted forward by 20 degrees").wait_for(
        timeout=60_000)
    assert image.get_attribute("src") != before, "the picture did not change with the slider"
    assert explorer.locator(".melt-readout").inner_text() != readout_before
    explorer.screenshot(path=str(lab.screenshot(page, "lesson02_page").parent
                                 / "lesson02_explorer_hip20.png"))

    words = _widget(page, 2)             # the four-words widget
    words.scroll_into_view_if_needed()
    picture = words.locator("img.melt-diagram")
    before = picture.get_attribute("src")
    words.get_by_role("button", name="sitting", exact=True).click()
    words.locator(".melt-description", has_text="sitting on a chair").wait_for(timeout=60_000)
    assert picture.get_attribute("src") != before
    assert "of optimal" in words.locator(".melt-readout").inner_text()
    words.screenshot(path=str(lab.screenshot(page, "lesson02_page").parent
                              / "lesson02_four_words_sitting.png"))
