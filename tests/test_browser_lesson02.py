"""Lesson 2 in a real browser: it runs clean, the hip slider moves the model, the poses switch."""

import base64
import json
import urllib.request

import numpy as np
import pytest

pytestmark = pytest.mark.browser

NOTEBOOK = "notebooks/02_psoas_in_motion.ipynb"


def _widget(page, index):
    """The output area of the ``index``-th diagram widget on the page (by position, so the
    locator keeps pointing at it after its description changes)."""
    return page.locator(".jp-OutputArea-output:has(img.melt-diagram)").nth(index)


def _api(server, path: str, method: str = "GET"):
    req = urllib.request.Request(f"{server.url}{path}?token={server.token}", method=method)
    with urllib.request.urlopen(req, timeout=30) as resp:
        body = resp.read()
    return json.loads(body) if body else None


def _shut_down_kernels(server) -> None:
    """Shut down this test's kernel, so later browser tests get the machine back."""
    for kernel in _api(server, "/api/kernels"):
        _api(server, f"/api/kernels/{kernel['id']}", "DELETE")


@pytest.fixture
def lesson02(lab, page, request):
    """The lesson open in JupyterLab; afterwards its kernel is shut down."""
    lab.open(page, NOTEBOOK)
    yield lab
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        lab.screenshot(page, f"FAILED-{request.node.name}-lab")
    page.goto("about:blank")      # unload JupyterLab so it does not restart the kernel
    _shut_down_kernels(lab.server)


def test_hip_slider_moves_the_model_and_poses_change_the_four_words(lesson02, page):
    lab = lesson02
    lab.run_all(page)
    assert lab.error_outputs(page) == []
    assert page.locator(".jp-RenderedMarkdown table").count() >= 2   # parameters, gait2392 check

    assert page.locator(".jp-OutputArea-output:has(img.melt-diagram)").count() == 6
    explorer = _widget(page, 0)          # the first explorer, starting at standing
    explorer.scroll_into_view_if_needed()
    assert "hangs straight down" in explorer.locator(".melt-description").inner_text()
    image = explorer.locator("img.melt-diagram")
    image.wait_for(state="visible", timeout=60_000)
    before = image.get_attribute("src")
    readout_before = explorer.locator(".melt-readout").inner_text()

    # The long description is collapsed under the picture; open it, and it stays open while
    # the picture changes.
    explorer.get_by_text("Figure description", exact=False).first.click()
    explorer.locator(".melt-description").wait_for(state="visible", timeout=30_000)
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
    words.locator(".melt-description", has_text="sitting on a chair").wait_for(
        state="attached", timeout=60_000)    # (collapsed: in the page, not shown)
    assert picture.get_attribute("src") != before
    assert "of optimal" in words.locator(".melt-readout").inner_text()
    words.screenshot(path=str(lab.screenshot(page, "lesson02_page").parent
                              / "lesson02_four_words_sitting.png"))


def _src_pixels(src: str):
    """The pixels of an ``<img>`` whose source is a base64 PNG."""
    from helpers import pixels

    return pixels(base64.b64decode(src.split(",", 1)[1]))


def _keyboard_move(page, widget, presses, key="ArrowRight", slider=0):
    """Move a widget's slider by keyboard; return the image source and description before."""
    widget.scroll_into_view_if_needed()
    image = widget.locator("img.melt-diagram")
    image.wait_for(state="visible", timeout=60_000)
    before = (image.get_attribute("src"), widget.locator(".melt-description").inner_text())
    handle = widget.locator(".noUi-handle").nth(slider)
    handle.focus()
    for _ in range(presses):
        page.keyboard.press(key)
    return image, before


def test_new_lesson2_controls_change_pictures_and_descriptions(lesson02, page):
    """Hip-flexor comparison (hip slider and model), fibre length, gait: each control moved."""
    lab = lesson02
    lab.run_all(page)
    assert lab.error_outputs(page) == []

    comparison = _widget(page, 3)
    image, (src, text) = _keyboard_move(page, comparison, 9)          # 0 -> 45 degrees
    comparison.locator(".melt-description", has_text="at 45 degrees of hip flexion").wait_for(
        state="attached", timeout=60_000)
    assert image.get_attribute("src") != src
    src = image.get_attribute("src")
    comparison.get_by_role("button", name="Rajagopal 2016", exact=True).click()
    comparison.locator(".melt-description", has_text="Model output from Rajagopal 2016").wait_for(
        state="attached", timeout=60_000)
    assert image.get_attribute("src") != src
    comparison.screenshot(path=str(lab.screenshot(page, "lesson02_page").parent
                                   / "lesson02_flexors_rajagopal_45.png"))

    fibre = _widget(page, 4)                                          # starts at 90 degrees
    image, (src, text) = _keyboard_move(page, fibre, 6, key="ArrowLeft")
    fibre.locator(".melt-description", has_text="At 60 degrees").wait_for(state="attached",
                                                                       timeout=60_000)
    assert image.get_attribute("src") != src

    # Drawing ahead: a step in the same direction is shown from a picture drawn in the pause
    # after the last one; a turn back is drawn. The same angle reached both ways must show the
    # same pixels.
    def step(key, degrees):
        page.keyboard.press(key)
        fibre.locator(".melt-description", has_text=f"At {degrees} degrees").wait_for(
            state="attached", timeout=60_000)
        page.wait_for_timeout(500)                  # the pause in which the next is drawn
        return _src_pixels(image.get_attribute("src"))

    step("ArrowLeft", 55)
    ahead = step("ArrowLeft", 50)                   # the step drawn ahead
    step("ArrowLeft", 45)
    drawn = step("ArrowRight", 50)                  # a turn back: drawn
    if not np.array_equal(ahead, drawn):
        from PIL import Image

        folder = lab.screenshot(page, "lesson02_page").parent
        for name, rgb in (("ahead", ahead), ("drawn", drawn)):
            Image.fromarray(rgb.astype(np.uint8)).save(folder / f"lesson02_fibre_50_{name}.png")
        where = np.argwhere((ahead != drawn).any(axis=2))
        raise AssertionError(f"50 degrees looked different reached two ways: {len(where)} "
                             f"pixels in rows {where[:, 0].min()}-{where[:, 0].max()}, columns "
                             f"{where[:, 1].min()}-{where[:, 1].max()} (saved as "
                             "lesson02_fibre_50_ahead.png and _drawn.png)")

    walk = _widget(page, 5)                                           # starts at heel strike
    image, (src, text) = _keyboard_move(page, walk, 30)               # 60% of the cycle
    walk.locator(".melt-description", has_text="At 60%").wait_for(state="attached",
                                                               timeout=60_000)
    assert image.get_attribute("src") != src
    assert walk.locator(".melt-description").inner_text() != text
    walk.screenshot(path=str(lab.screenshot(page, "lesson02_page").parent
                             / "lesson02_gait_60.png"))
