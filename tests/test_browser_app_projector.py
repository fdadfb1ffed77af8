"""The routine player's projector mode in the app (Voilà), from the keyboard, at projector size.

In lesson 5 as the app serves it (1024x768): after the safety checklist, the Projector mode
toggle makes the player cover the whole screen (browser full screen, or the page covered by the
course stylesheet when full screen is refused), focus moves into the player, and the keys drive
it: Space starts and pauses the timer, the right and left arrows step, Esc leaves projector
mode. Each change is announced in the player's polite live region. The JupyterLab twin is in
test_browser_routines.py.
"""

from __future__ import annotations

import pytest
from app_helpers import open_app_page, page_errors, ready_player, stored_widget_outputs
from conftest import ARTIFACTS

pytestmark = pytest.mark.browser

LESSON = "05_routines.ipynb"
_NAME = ".melt-player .melt-step-name"
_TIME = ".melt-player .melt-step-time"
_LIVE = ".melt-player .melt-keys-live"


def _text(page, selector: str) -> str:
    return page.locator(selector).first.inner_text()


def _wait_text(page, selector: str, test: str, arg, timeout: float = 30_000) -> None:
    page.wait_for_function(
        f"([sel, arg]) => {{ const el = document.querySelector(sel); "
        f"return el && ({test}); }}", arg=[selector, arg], timeout=timeout)


def test_projector_mode_in_the_app_covers_the_screen_and_keys_drive_the_player(voila_server,
                                                                                 page):
    page.set_viewport_size({"width": 1024, "height": 768})
    open_app_page(page, voila_server.render_url(LESSON), stored_widget_outputs(LESSON))
    assert page_errors(page) == []
    player = ready_player(page)

    toggle = player.locator(".melt-projector-toggle")
    assert "mod-active" not in (toggle.get_attribute("class") or "")
    toggle.click()
    page.wait_for_function("() => document.querySelector('.melt-player.melt-projector')",
                           timeout=30_000)
    page.wait_for_function(  # focus moves into the player, so the keys work at once
        "() => document.querySelector('.melt-player').contains(document.activeElement)",
        timeout=30_000)
    page.wait_for_timeout(500)  # full screen, when granted, settles
    how = page.evaluate("() => document.fullscreenElement ? "
                        "(document.fullscreenElement.classList.contains('melt-player') ? "
                        "'full screen' : 'other full screen') : 'page covered'")
    assert how in ("full screen", "page covered"), how
    print(f"projector mode in the app: {how}")
    assert "mod-active" in (toggle.get_attribute("class") or "")  # the toggle shows it is on
    box = player.bounding_box()
    assert box["x"] <= 1 and box["y"] <= 1 and box["width"] >= 1020 and box["height"] >= 760, \
        f"projector mode ({how}) does not cover the screen: {box}"
    on_top = page.evaluate("() => document.elementFromPoint(512, 384).closest('.melt-player')"
                           " !== null")
    assert on_top, "something lies over the player in projector mode"
    time_box = player.locator(".melt-step-time").bounding_box()
    assert time_box["height"] >= 100 and time_box["y"] + time_box["height"] <= 768, time_box
    _wait_text(page, _LIVE, "el.textContent.includes(arg)", "Projector mode on")

    page.keyboard.press("Space")  # start
    _wait_text(page, ".melt-player button.melt-start", "el.innerText.includes(arg)", "Pause")
    before = _text(page, _TIME)
    _wait_text(page, _TIME, "el.innerText !== arg", before, timeout=60_000)  # the timer runs
    page.keyboard.press("Space")  # pause
    _wait_text(page, ".melt-player button.melt-start", "el.innerText.includes(arg)", "Resume")
    _wait_text(page, _LIVE, "el.textContent.startsWith(arg)", "Paused")
    paused = _text(page, _TIME)
    page.wait_for_timeout(2_500)
    assert _text(page, _TIME) == paused, "the timer ran on while paused"
    first = _text(page, _NAME)  # where the timer got to
    # Paused, so only the keys can change the step now.
    page.keyboard.press("ArrowRight")
    _wait_text(page, _NAME, "el.innerText !== arg", first)
    step = int(_text(page, ".melt-player .melt-step-banner").split("step ")[1].split(" ")[0])
    _wait_text(page, _LIVE, "el.textContent.includes(arg)", f"Step {step} of")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "app_projector_1024x768.png"))
    page.keyboard.press("ArrowLeft")
    _wait_text(page, _NAME, "el.innerText === arg", first)
    assert f"step {step - 1} of" in _text(page, ".melt-player .melt-step-banner")

    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('.melt-player.melt-projector')",
                           timeout=30_000)
    assert page.evaluate("() => document.fullscreenElement") is None
    page.wait_for_function("(el) => !el.classList.contains('mod-active')",
                           arg=toggle.element_handle(), timeout=30_000)  # the toggle is off
    box = player.bounding_box()
    assert box["width"] < 1020 or box["y"] > 1, "the player still covers the page after Esc"
    _wait_text(page, _LIVE, "el.textContent.includes(arg)", "Projector mode off")
    assert _text(page, _NAME) == first  # Esc left the routine where it was
    page.screenshot(path=str(ARTIFACTS / "app_projector_after_escape.png"))
    assert page_errors(page) == []
