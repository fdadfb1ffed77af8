"""Lesson 1 in a real browser: it runs clean, and the anatomy explorer responds to the keyboard."""

import time

import pytest

pytestmark = pytest.mark.browser

NOTEBOOK = "notebooks/01_meet_the_psoas.ipynb"


def _explorer(page):
    """The first anatomy explorer on the page (the widget box holding the layer checkboxes)."""
    return page.locator(".jupyter-widgets").filter(has=page.locator(".melt-card-box")).first


def _wait_text(locator, predicate, timeout_s=30.0):
    """Wait until ``predicate(locator.inner_text())`` (the text may sit in a folded section)."""
    deadline = time.monotonic() + timeout_s
    while True:
        text = locator.inner_text()
        if predicate(text):
            return text
        assert time.monotonic() < deadline, f"timed out; text is {text[:300]!r}"
        time.sleep(0.2)


def _layers_shown(text: str) -> str:
    return text.split("Layers shown:")[1].split(".")[0]


def test_lesson01_runs_and_explorer_responds(lab, page):
    lab.open(page, NOTEBOOK)
    lab.run_all(page)
    assert lab.error_outputs(page) == []
    page.locator(".melt-card-box").first.wait_for(state="visible", timeout=60_000)
    explorer = _explorer(page)
    image = explorer.locator("img.melt-diagram")
    description = explorer.locator(".melt-description")
    card = explorer.locator(".melt-card-box")
    image.scroll_into_view_if_needed()
    before = image.get_attribute("src")
    assert "Front view" in description.inner_text()
    assert "No structure selected" in card.inner_text()

    # The still picture above it is a diagram too: alt text and a folded long description.
    still = page.locator("img.melt-diagram").first
    assert still.get_attribute("alt").startswith("Anatomy diagram of the psoas region seen "
                                                 "from the front")

    # Keyboard only: focus the "Kidneys" layer checkbox and untick it with Space.
    kidneys = explorer.get_by_role("checkbox", name="Kidneys")
    kidneys.focus()
    page.keyboard.press("Space")
    _wait_text(description, lambda t: "kidneys" not in _layers_shown(t))
    after_layer = image.get_attribute("src")
    assert after_layer != before, "the picture did not change when a layer was switched off"
    assert "kidneys" not in image.get_attribute("alt")

    # The vessels layer starts off (it would cover the vertebral labels) and has its own named
    # checkbox; ticking it adds the aorta to the picture, its text description and its alt
    # text, and unticking it takes them away again.
    vessels = explorer.get_by_role("checkbox", name="Vessels")
    assert not vessels.is_checked()
    assert "aorta" not in description.inner_text().lower()
    assert "vessels" not in image.get_attribute("alt")
    vessels.focus()
    page.keyboard.press("Space")
    _wait_text(description, lambda t: "vessels" in _layers_shown(t))
    assert vessels.is_checked()
    assert "aorta" in description.inner_text().lower()
    assert "vessels" in image.get_attribute("alt")
    with_vessels = image.get_attribute("src")
    assert with_vessels != after_layer, "ticking Vessels did not change the picture"
    explorer.screenshot(path=str(lab.screenshot(page, "lesson01_full").with_name(
        "lesson01_explorer_vessels.png")))
    page.keyboard.press("Space")
    _wait_text(description, lambda t: "vessels" not in _layers_shown(t))
    assert not vessels.is_checked()
    assert "aorta" not in description.inner_text().lower()
    after_layer = image.get_attribute("src")
    assert after_layer != with_vessels, "unticking Vessels did not change the picture"

    # Pick a structure with a legend button, pressed from the keyboard.
    button = explorer.get_by_role("button", name="Psoas minor", exact=True)
    button.focus()
    page.keyboard.press("Enter")
    card.get_by_text("(research)").first.wait_for(state="visible", timeout=30_000)
    assert "Psoas minor" in card.inner_text()
    _wait_text(description, lambda t: "Highlighted in blue: Psoas minor" in t)
    after_select = image.get_attribute("src")
    assert after_select not in (before, after_layer)
    explorer.screenshot(path=str(lab.screenshot(page, "lesson01_full").with_name(
        "lesson01_explorer_psoas_minor.png")))

    # Switch to the side view with the toggle buttons.
    explorer.get_by_role("button", name="Side", exact=True).click()
    _wait_text(description, lambda t: "Side view" in t)
    assert image.get_attribute("src") != after_select
    explorer.scroll_into_view_if_needed()
    explorer.screenshot(path=str(lab.screenshot(page, "lesson01_full").with_name(
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
        state="attached", timeout=60_000)          # (folded: in the page, not shown)
    assert image.get_attribute("src") != before
    assert "below 16%" in panel.inner_text()
    panel.screenshot(path=str(lab.screenshot(page, "lesson01_full").with_name(
        "lesson01_emg_lifting.png")))
