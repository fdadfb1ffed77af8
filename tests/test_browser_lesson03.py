"""Lesson 3 in a real browser: it runs clean, and the startle time slider changes the picture."""

from __future__ import annotations

import time

import pytest

pytestmark = pytest.mark.browser

NOTEBOOK = "notebooks/03_stress_and_startle.ipynb"


def _wait_for(predicate, what: str, seconds: float = 60.0) -> None:
    """Poll until ``predicate()`` is true (a wait limit, not a timing assertion)."""
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.25)


def test_lesson03_runs_and_the_startle_slider_moves_the_picture(lab, page):
    lab.open(page, NOTEBOOK)
    lab.run_all(page)
    assert lab.error_outputs(page) == []

    cell = page.locator(".jp-Cell").filter(has=page.locator(".melt-startle-time")).first
    image = cell.locator("img.melt-diagram").first
    description = cell.locator(".melt-description").first
    image.scroll_into_view_if_needed()
    image.wait_for(state="visible", timeout=60_000)
    before = image.get_attribute("src")
    text_before = description.inner_text()
    assert "1 ms after a loud sound" in text_before and "at rest" in text_before
    cell.screenshot(path=str(lab.screenshot(page, "lesson03_full").with_name(
        "lesson03_startle_before.png")))

    # Keyboard only: 36 presses of 10**0.05 take the time from 1 ms to about 63 ms,
    # past the neck muscles' onset at about 55 ms.
    handle = cell.locator(".melt-startle-time .noUi-handle").first
    handle.focus()
    for _ in range(36):
        page.keyboard.press("ArrowRight")

    def neck_started() -> bool:
        return "Sternocleidomastoid" in description.inner_text().split("Not yet")[0]

    _wait_for(neck_started, "the description to report the neck muscles")
    _wait_for(lambda: cell.locator(".widget-label").filter(has_text="63 ms").count() > 0
              and "63 ms after" in description.inner_text(), "the figure to reach 63 ms")
    after = image.get_attribute("src")
    assert after != before, "the startle picture did not change when the slider moved"
    assert "head and neck bend forward" in description.inner_text()
    cell.screenshot(path=str(lab.screenshot(page, "lesson03_full").with_name(
        "lesson03_startle_63ms.png")))

    # A jump button, pressed from the keyboard.
    button = cell.get_by_role("button", name="Blink (32 ms)").first
    button.focus()
    page.keyboard.press("Enter")
    _wait_for(lambda: "32 ms after a loud sound" in description.inner_text(),
              "the jump to 32 ms")
    assert image.get_attribute("src") not in (before, after)
    assert "Started: Orbicularis oculi." in description.inner_text()

    # The other two diagrams of the lesson render, and the breath slider's Gasp button works.
    stress = page.locator(".jp-Cell").filter(has=page.locator(".melt-stress-time")).first
    assert "not measured data" in stress.locator(".melt-description").first.inner_text()
    breath = page.locator(".jp-Cell").filter(has=page.locator(".melt-breath")).first
    breath.scroll_into_view_if_needed()
    breath_image = breath.locator("img.melt-diagram").first
    breath_before = breath_image.get_attribute("src")
    breath.get_by_role("button", name="Gasp (full breath in)").first.click()
    _wait_for(lambda: "startle gasp" in breath.locator(".melt-description").first.inner_text(),
              "the gasp")
    assert breath_image.get_attribute("src") != breath_before
    breath.screenshot(path=str(lab.screenshot(page, "lesson03_full").with_name(
        "lesson03_diaphragm_gasp.png")))
