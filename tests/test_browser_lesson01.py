"""Lesson 1 in a real browser: it runs clean, and the anatomy explorer responds to the keyboard."""

import pytest

pytestmark = pytest.mark.browser

NOTEBOOK = "notebooks/01_meet_the_psoas.ipynb"


def _explorer(page):
    """The first anatomy explorer on the page (the widget box holding the layer checkboxes)."""
    return page.locator(".jupyter-widgets").filter(has=page.locator(".melt-card-box")).first


def test_lesson01_runs_and_explorer_responds(lab, page):
    lab.open(page, NOTEBOOK)
    lab.run_all(page)
    assert lab.error_outputs(page) == []
    page.locator(".melt-card-box").first.wait_for(state="visible", timeout=60_000)
    image = page.locator("img.melt-diagram").first
    description = page.locator(".melt-description").first
    card = page.locator(".melt-card-box").first
    image.scroll_into_view_if_needed()
    before = image.get_attribute("src")
    assert "Front view" in description.inner_text()
    assert "No structure selected" in card.inner_text()

    # Keyboard only: focus the "Kidneys" layer checkbox and untick it with Space.
    kidneys = page.get_by_role("checkbox", name="Kidneys").first
    kidneys.focus()
    page.keyboard.press("Space")
    page.wait_for_function(
        """() => !document.querySelector('.melt-description').innerText
                 .split('Layers shown:')[1].split('.')[0].includes('kidneys')""",
        timeout=30_000)
    after_layer = image.get_attribute("src")
    assert after_layer != before, "the picture did not change when a layer was switched off"

    # Pick a structure with a legend button, pressed from the keyboard.
    button = page.get_by_role("button", name="Psoas minor", exact=True).first
    button.focus()
    page.keyboard.press("Enter")
    card.get_by_text("(research)").first.wait_for(state="visible", timeout=30_000)
    assert "Psoas minor" in card.inner_text()
    page.wait_for_function(
        """() => document.querySelector('.melt-description').innerText
                 .includes('Highlighted in blue: Psoas minor')""", timeout=30_000)
    after_select = image.get_attribute("src")
    assert after_select not in (before, after_layer)
    _explorer(page).screenshot(path=str(lab.screenshot(page, "lesson01_full").with_name(
        "lesson01_explorer_psoas_minor.png")))

    # Switch to the side view with the toggle buttons.
    page.get_by_role("button", name="Side", exact=True).first.click()
    page.wait_for_function(
        "() => document.querySelector('.melt-description').innerText.includes('Side view')",
        timeout=30_000)
    assert image.get_attribute("src") != after_select
    _explorer(page).scroll_into_view_if_needed()
    _explorer(page).screenshot(path=str(lab.screenshot(page, "lesson01_full").with_name(
        "lesson01_explorer_side.png")))


def test_lesson01_emg_panel_task_menu_changes_the_chart(lab, page):
    """The EMG panel: choosing another task highlights its bar and changes the description."""
    lab.open(page, NOTEBOOK)
    lab.run_all(page)
    assert lab.error_outputs(page) == []
    panel = page.locator(".jp-OutputArea-output:has(img.melt-diagram)").filter(
        has_text="Juker").first
    panel.scroll_into_view_if_needed()
    image = panel.locator("img.melt-diagram")
    image.wait_for(state="visible", timeout=60_000)
    before = image.get_attribute("src")
    assert "Highlighted: sit-ups" in panel.locator(".melt-description").inner_text()
    select = panel.locator("select").first
    select.focus()
    select.select_option(label="barbell lifting, up to 100 kg")
    panel.locator(".melt-description", has_text="Highlighted: barbell lifting").wait_for(
        timeout=60_000)
    assert image.get_attribute("src") != before
    assert "below 16%" in panel.inner_text()
    panel.screenshot(path=str(lab.screenshot(page, "lesson01_full").with_name(
        "lesson01_emg_lifting.png")))
