"""Lesson 5 in a real browser: the safety checklist gates Start, the timer counts down by itself
while the kernel sits idle (the browser drives the ticks), and the self-assessment log saves and
charts ratings."""

import json
import urllib.request
import uuid

import pytest
from app_helpers import ready_player

from melt_course.records.store import open_store

pytestmark = pytest.mark.browser

_TIME = ".melt-player .melt-step-time"


def _text(page, selector: str) -> str:
    return page.locator(selector).first.inner_text()


def _wait_changed(page, selector: str, old: str, timeout: float = 60_000) -> None:
    page.wait_for_function(
        "([sel, old]) => { const el = document.querySelector(sel);"
        " return el && el.innerText !== old; }", arg=[selector, old], timeout=timeout)


def _discard_dialogs(page) -> None:
    """Answer "save your work?" dialogs for notebooks being closed: discard (they are copies)."""
    for _ in range(10):
        dialog = page.locator(".jp-Dialog")
        try:
            dialog.first.wait_for(state="visible", timeout=2_000)
        except Exception:  # no (more) dialog
            return
        dialog.first.get_by_role("button", name="Discard").click()


def _accept_kernel_dialog(lab, page) -> None:
    """When JupyterLab asks which kernel to start (it can, on a slow machine), choose the
    default Python 3, as a learner would."""
    dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
    try:
        dialog.first.wait_for(state="visible", timeout=3_000)
    except Exception:  # no dialog: the kernel started by itself
        return
    dialog.first.get_by_role("button", name="Select").click()
    lab.wait_idle(page)


def _run_all_visible(lab, page) -> None:
    """Run > Run All Cells on the notebook in view. (``Lab.run_all`` clicks the first notebook
    in the page, which is a hidden tab when the shared server's workspace restores a notebook
    that an earlier test left open.)"""
    page.locator(".jp-Notebook:visible").first.click(force=True)  # focus it, even mid-render
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    page.wait_for_function(  # every code cell in view has run (hidden tabs have no layout)
        """() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
            .filter(p => p.offsetParent !== null)
            .every(p => /\\[\\d+\\]/.test(p.textContent))""", timeout=300_000)
    lab.wait_idle(page)


def _busy_kernel(lab, page, relpath: str, seconds: float):
    """Keep the notebook's kernel busy for ``seconds`` (code sent on a websocket of its own, as
    a second tab would), as a shared machine under load does; returns the open websocket (close
    it when done). Waits until the page shows the kernel busy."""
    import websocket
    from kernel_ws import SUBPROTOCOL, encode

    base, token = lab.server.url, lab.server.token
    with urllib.request.urlopen(f"{base}/api/sessions?token={token}", timeout=30) as resp:
        kernel = next(s["kernel"]["id"] for s in json.load(resp)
                      if s.get("path", "").endswith(relpath.split("/")[-1]))
    session = uuid.uuid4().hex
    ws = websocket.create_connection(
        f"{base.replace('http', 'ws', 1)}/api/kernels/{kernel}/channels"
        f"?session_id={session}&token={token}", timeout=60, subprotocols=[SUBPROTOCOL])
    ws.send_binary(encode("execute_request", {
        "code": f"import time; time.sleep({seconds})", "silent": False, "store_history": False,
        "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}, session))
    page.wait_for_function(
        "() => document.querySelector('.jp-Notebook-ExecutionIndicator')"
        ".getAttribute('data-status') === 'busy'", timeout=30_000)
    return ws


def _close_all_tabs(page) -> None:
    """Leave no notebook open for the next test (the server's workspace is shared)."""
    page.get_by_role("menuitem", name="File", exact=True).click()
    page.get_by_role("menuitem", name="Close All Tabs").click()
    _discard_dialogs(page)
    page.wait_for_function("() => !document.querySelector('.jp-NotebookPanel')",
                           timeout=30_000)


def test_routine_player_gates_on_safety_and_its_timer_runs(lab, page, course_env):
    lab.open(page, "notebooks/05_routines.ipynb")
    _accept_kernel_dialog(lab, page)
    _run_all_visible(lab, page)
    assert lab.error_outputs(page) == []

    # The self-assessment log: rate from the keyboard, save, and the chart changes.
    log = page.locator(".melt-selfassessment").first
    log.scroll_into_view_if_needed()
    chart = log.locator("img").first
    before_src = chart.get_attribute("src")
    assert "no sessions" in log.locator(".melt-description").inner_text()
    handle = log.locator(".noUi-handle").first
    handle.focus()
    # A slow kernel: ipywidgets holds back a slider's value while an earlier one is unanswered
    # but sends a click at once, so Save must carry what the slider shows.
    busy = _busy_kernel(lab, page, "notebooks/05_routines.ipynb", 4)
    for _ in range(3):
        page.keyboard.press("ArrowLeft")
    assert float(handle.get_attribute("aria-valuenow")) == 2
    log.locator("button.melt-save-ratings").click()   # at once, as a quick learner does
    busy.close()
    page.wait_for_function(
        "() => document.querySelector('.melt-selfassessment .melt-description')"
        ".innerText.includes('session 1')", timeout=60_000)
    lab.wait_idle(page)
    # What the learner reads back is what the slider showed, and what the chart averages...
    assert "head 2, shoulders 5" in log.locator(".melt-log-status").inner_text()
    # ...and what the progress file keeps.
    store = open_store(course_env["MELT_COURSE_PROGRESS"])
    saved = [r["data"]["ratings"] for r in store.records("self_assessment")]
    status = log.locator(".melt-log-status").inner_text()
    assert saved and saved[-1]["head"] == 2, f"saved {saved}; the slider showed head 2; " \
        f"the log said {status!r}"
    assert "before 4.4" in log.locator(".melt-description").inner_text()
    assert chart.get_attribute("src") != before_src, "the chart did not change after saving"
    log.screenshot(path=str(lab.screenshot(page, "routine_player_page").with_name(
        "self_assessment_log.png")))
    assert lab.error_outputs(page) == []
    player = page.locator(".melt-player").first
    player.scroll_into_view_if_needed()
    start = player.locator("button.melt-start")
    assert start.is_disabled(), "Start must wait for the safety checklist"
    assert "safety checklist above" in player.inner_text()
    # One working checklist, above the players (lesson 5's "Safety first"), none inside them.
    assert page.locator(".melt-player .melt-safety").count() == 0
    assert page.locator(".melt-safety").count() == 1
    # The statements to confirm (the warning statements below them stay unticked).
    boxes = page.locator(".melt-safety .melt-confirm input[type='checkbox']")
    assert boxes.count() >= 3
    assert all(boxes.nth(i).is_enabled() for i in range(boxes.count()))
    boxes.first.focus()
    page.keyboard.press("Space")  # the checklist works from the keyboard
    for i in range(1, boxes.count()):
        boxes.nth(i).check()
    page.wait_for_function(
        "() => !document.querySelector('.melt-player button.melt-start').disabled",
        timeout=30_000)
    player.screenshot(path=str(lab.screenshot(page, "routine_player_page").with_name(
        "routine_player_ready.png")))

    first_step = _text(page, ".melt-player .melt-step-name")
    start.click()
    before = _text(page, _TIME)
    # Nothing else is clicked or run: the countdown must move on its own.
    _wait_changed(page, _TIME, before)
    later = _text(page, _TIME)
    _wait_changed(page, _TIME, later)
    lab.wait_idle(page)  # the kernel is idle between ticks: no cell is busy running a loop
    assert "Pause" in start.inner_text()

    player.locator("button.melt-next").click()
    _wait_changed(page, ".melt-player .melt-step-name", first_step)
    banner = _text(page, ".melt-player .melt-step-banner")
    assert "Now: step 2" in banner
    player.screenshot(path=str(lab.screenshot(page, "routine_player_page").with_name(
        "routine_player_running.png")))

    facilitator = page.locator(".melt-player").nth(1)
    facilitator.scroll_into_view_if_needed()
    sizes = page.evaluate(
        "() => [...document.querySelectorAll('.melt-player .melt-step-name')]"
        ".map(el => parseFloat(getComputedStyle(el).fontSize))")
    assert sizes[1] >= 2 * sizes[0], "the facilitator view's step name is not large text"
    facilitator.screenshot(path=str(lab.screenshot(page, "routine_player_page").with_name(
        "routine_player_projector.png")))

    player.scroll_into_view_if_needed()
    start.click()  # pause
    page.wait_for_function(
        "() => document.querySelector('.melt-player button.melt-start').innerText"
        ".includes('Resume')", timeout=30_000)
    assert lab.error_outputs(page) == []
    _close_all_tabs(page)


def test_projector_mode_fills_the_screen_and_keys_drive_the_player(lab, page):
    page.set_viewport_size({"width": 1024, "height": 768})
    lab.open(page, "notebooks/05_routines.ipynb")
    _accept_kernel_dialog(lab, page)
    _run_all_visible(lab, page)
    assert lab.error_outputs(page) == []
    player = ready_player(page)
    live = player.locator(".melt-keys-live")
    assert live.get_attribute("aria-live") == "polite"

    player.locator(".melt-projector-toggle").click()
    page.wait_for_function("() => document.querySelector('.melt-player.melt-projector')",
                           timeout=30_000)
    box = player.bounding_box()
    assert box["x"] <= 1 and box["y"] <= 1 and box["width"] >= 1020 and box["height"] >= 760
    page.wait_for_function(  # focus moves into the player, so the keys work at once
        "() => document.querySelector('.melt-player').contains(document.activeElement)",
        timeout=30_000)
    name_size = page.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector("
        "'.melt-player .melt-step-name')).fontSize)")
    time_box = player.locator(".melt-step-time").bounding_box()
    assert name_size >= 48 and time_box["height"] >= 120, (name_size, time_box)
    assert time_box["y"] + time_box["height"] <= 768, "the timer is off the screen"

    page.keyboard.press("Space")  # start
    page.wait_for_function("() => document.querySelector('.melt-player button.melt-start')"
                           ".innerText.includes('Pause')", timeout=30_000)
    before = _text(page, _TIME)
    _wait_changed(page, _TIME, before)  # the timer runs
    page.keyboard.press("Space")  # pause
    page.wait_for_function("() => document.querySelector('.melt-player button.melt-start')"
                           ".innerText.includes('Resume')", timeout=30_000)
    page.wait_for_function("() => document.querySelector('.melt-player .melt-keys-live')"
                           ".textContent.startsWith('Paused')", timeout=30_000)
    paused = _text(page, _TIME)
    page.wait_for_timeout(2_500)
    assert _text(page, _TIME) == paused, "the timer ran on while paused"
    # Paused, so only the keys can change the step (a running timer moves on by itself).
    first = _text(page, ".melt-player .melt-step-name")
    page.keyboard.press("ArrowRight")
    _wait_changed(page, ".melt-player .melt-step-name", first)
    step = int(_text(page, ".melt-player .melt-step-banner").split("step ")[1].split(" ")[0])
    page.wait_for_function("(s) => document.querySelector('.melt-player .melt-keys-live')"
                           ".textContent.includes(s)", arg=f"Step {step} of", timeout=30_000)
    lab.screenshot(page, "routine_player_projector_1024x768")
    controls = player.locator("button.melt-next").bounding_box()
    assert controls["height"] >= 28 and 0 <= controls["y"] < 768, "controls squashed or off"
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(
        "(n) => document.querySelector('.melt-player .melt-step-name').innerText === n",
        arg=first, timeout=30_000)

    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('.melt-player.melt-projector')",
                           timeout=30_000)
    # Outside the player the page keeps its keys: an arrow moves a slider, not the step.
    step = _text(page, ".melt-player .melt-step-name")
    handle = page.locator(".melt-selfassessment .noUi-handle").first
    handle.scroll_into_view_if_needed()
    value = handle.get_attribute("aria-valuenow")
    handle.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("([el, v]) => el.getAttribute('aria-valuenow') !== v",
                           arg=[handle.element_handle(), value], timeout=30_000)
    page.wait_for_timeout(1_000)
    assert _text(page, ".melt-player .melt-step-name") == step
    assert lab.error_outputs(page) == []
    _close_all_tabs(page)
