"""The start notebook in a real browser: it runs, shows no errors, and its widget responds."""

import pytest

pytestmark = pytest.mark.browser


def _image_src(page, index: int = 0) -> str:
    images = page.locator(".jp-OutputArea-output .jupyter-widgets img")
    images.nth(index).wait_for(state="visible", timeout=60_000)
    return images.nth(index).get_attribute("src")


def test_start_notebook_runs_and_demo_widget_responds(lab, page):
    lab.open(page, "notebooks/00_start_here.ipynb")
    lab.run_all(page)
    assert lab.error_outputs(page) == []
    # The course map and the evidence table rendered as Markdown, not as raw text.
    assert page.locator(".jp-RenderedMarkdown table").count() >= 1
    # The long description sits in a closed "Figure description" section: open it as a
    # learner would; the picture's short alt text follows the state.
    toggle = page.get_by_text("Figure description (text version)").first
    toggle.wait_for(state="visible", timeout=60_000)
    toggle.click()
    description = page.locator(".melt-description").first
    description.wait_for(state="visible", timeout=30_000)

    before_src = _image_src(page)
    picture = page.locator(".jp-OutputArea-output .jupyter-widgets img").first
    before_alt = picture.get_attribute("alt")
    assert before_alt and "0°" in before_alt, before_alt
    assert "0 degrees" in description.inner_text()
    handle = page.locator(".jupyter-widgets .noUi-handle").first
    handle.focus()
    for _ in range(6):  # keyboard only: six steps of 5 degrees
        page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector('.melt-description').innerText.includes('30 degrees')",
        timeout=30_000)
    after_src = _image_src(page)
    assert after_src != before_src, "the picture did not change when the slider moved"
    after_alt = picture.get_attribute("alt")
    assert after_alt != before_alt and "30°" in after_alt, after_alt
    lab.screenshot(page, "start_notebook_after_slider")


def _lab_setting(lab_server, plugin: str, name: str):
    """The value JupyterLab gives a setting: the user's own, else the default (with overrides)."""
    import json
    import urllib.request

    url = f"{lab_server.url}/lab/api/settings/{plugin}?token={lab_server.token}"
    with urllib.request.urlopen(url, timeout=30) as response:
        settings = json.load(response)
    return settings["settings"].get(name, settings["schema"]["properties"][name]["default"])


def test_running_a_lesson_leaves_the_stored_notebook_alone(lab_server):
    # The course's JupyterLab defaults (melt_course/data/jupyterlab/overrides.json) reach the
    # running server: no autosave (a learner's run would otherwise rewrite the lesson file and
    # conflict with the next `git pull`; progress lives in the progress store) and no widget
    # state saved into a lesson.
    assert _lab_setting(lab_server, "@jupyterlab/docmanager-extension:plugin", "autosave") is False
    assert _lab_setting(lab_server, "@jupyter-widgets/jupyterlab-manager:plugin",
                        "saveState") is False
