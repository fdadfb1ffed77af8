"""Browser test: lesson 3 in JupyterLab; moving the startle time slider changes the picture.

Uses its own small fixtures (a JupyterLab server on a free port with a random token, headless
Chromium from Debian via Playwright). When shared fixtures land in tests/conftest.py these can be
swapped for them.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
NOTEBOOK = "notebooks/03_stress_and_startle.ipynb"
CHROMIUM = "/usr/bin/chromium"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory):
    """A JupyterLab server on a copy of the lesson, using this checkout's melt_course."""
    from melt_course.cli import lab_command

    port, token = _free_port(), secrets.token_hex(16)
    home = tmp_path_factory.mktemp("jupyter-home")
    # Serve a copy of the notebook, so running it in the browser never rewrites the repo's file
    # (the kernel still imports this checkout's melt_course through PYTHONPATH).
    root = home / "course"
    (root / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / NOTEBOOK, root / NOTEBOOK)
    settings = home / "settings" / "@jupyterlab" / "docmanager-extension"
    settings.mkdir(parents=True)
    (settings / "plugin.jupyterlab-settings").write_text(json.dumps({"autosave": False}))
    # keep every cell in the page (JupyterLab 4 otherwise detaches cells scrolled out of view)
    tracker = home / "settings" / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True)
    (tracker / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    env = dict(os.environ, PYTHONPATH=str(ROOT), JUPYTER_CONFIG_DIR=str(home / "config"),
               JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
               JUPYTER_RUNTIME_DIR=str(home / "runtime"))
    log = open(home / "server.log", "w")  # noqa: SIM115  (closed below)
    cmd = lab_command(root, port, token, open_browser=False)
    if hasattr(os, "geteuid") and os.geteuid() == 0:     # CI containers run as root
        cmd.append("--ServerApp.allow_root=True")
    proc = subprocess.Popen(cmd, env=env,
                            stdout=log, stderr=subprocess.STDOUT, cwd=root)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            if proc.poll() is not None:
                pytest.fail(f"JupyterLab exited: {(home / 'server.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start")
        yield url, token
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def page(lab_server):
    from playwright.sync_api import sync_playwright

    url, token = lab_server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-gpu",
                                          "--disable-background-networking"])
        pg = browser.new_page(viewport={"width": 1400, "height": 1000})
        # generous waits: the machine is shared; these are limits, not timing assertions
        pg.set_default_timeout(300_000)
        pg.goto(f"{url}/lab/tree/{NOTEBOOK}?token={token}")
        pg.wait_for_selector(".jp-Notebook .jp-Cell", state="attached")
        # wait until the kernel is up (its name shows in the toolbar and it reports idle)
        pg.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                             state="attached")
        pg.wait_for_function("() => document.querySelector('.jp-KernelName')"
                             " && !/No Kernel/.test(document.querySelector('.jp-KernelName')"
                             ".innerText)")
        try:
            # Run > Run All Cells; a run-all sent while the kernel connection is still being
            # set up can be dropped, so try again if no cell has started after a while
            for _attempt in range(4):
                pg.click("div.lm-MenuBar-itemLabel:text-is('Run')")
                pg.click("li.lm-Menu-item[data-command='runmenu:run-all']")
                try:
                    pg.wait_for_selector(".jp-InputPrompt:has-text('[1]')", state="attached",
                                         timeout=60_000)
                    break
                except Exception:
                    continue
            pg.wait_for_selector(".melt-startle-time", state="attached")
        except Exception:
            ARTIFACTS.mkdir(exist_ok=True)
            pg.screenshot(path=str(ARTIFACTS / "lesson03_setup_failure.png"))
            raise
        yield pg
        browser.close()


def _startle_image(pg):
    return pg.locator(".jp-Cell:has(.melt-startle-time) img.melt-diagram").first


def _wait_for_change(locator, attribute: str, old: str, seconds: float = 120) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        new = locator.get_attribute(attribute)
        if new and new != old:
            return new
        time.sleep(0.25)
    return old


def test_moving_the_time_slider_changes_the_picture(page):
    ARTIFACTS.mkdir(exist_ok=True)
    image = _startle_image(page)
    image.scroll_into_view_if_needed()
    image.wait_for(state="visible")
    page.wait_for_function("img => img.complete && img.naturalWidth > 500",
                           arg=image.element_handle())
    cell = page.locator(".jp-Cell:has(.melt-startle-time)").first
    cell.screenshot(path=str(ARTIFACTS / "lesson03_startle_before.png"))
    before = image.get_attribute("src")
    description_before = cell.locator(".melt-description").inner_text()
    assert "after a loud sound" in description_before

    # move the slider from the keyboard, as a keyboard user would
    # (36 presses of 10**0.05 each take 1 ms to about 63 ms: past the neck's onset)
    handle = page.locator(".melt-startle-time .noUi-handle").first
    handle.focus()
    for _ in range(36):
        handle.press("ArrowRight")
    after = _wait_for_change(image, "src", before)
    description = cell.locator(".melt-description")
    deadline = time.monotonic() + 120
    while "Sternocleidomastoid" not in description.inner_text().split("Not yet")[0]:
        if time.monotonic() > deadline:
            break
        time.sleep(0.25)
    cell.screenshot(path=str(ARTIFACTS / "lesson03_startle_after.png"))
    assert after != before, "the startle image did not change after moving the slider"
    started = description.inner_text().split("Not yet")[0]
    assert "Started: Orbicularis oculi" in started and "Sternocleidomastoid" in started


def test_jump_button_shows_the_blink(page):
    cell = page.locator(".jp-Cell:has(.melt-startle-time)").first
    image = _startle_image(page)
    before = image.get_attribute("src")
    cell.locator("button:has-text('Blink (32 ms)')").click()
    after = _wait_for_change(image, "src", before)
    assert after != before
    description = cell.locator(".melt-description")
    deadline = time.monotonic() + 120
    while "32 ms after a loud sound" not in description.inner_text():
        if time.monotonic() > deadline:
            break
        time.sleep(0.25)
    cell.screenshot(path=str(ARTIFACTS / "lesson03_startle_blink.png"))
    text = description.inner_text()
    assert "32 ms after a loud sound" in text, text
    assert "Started: Orbicularis oculi." in text


def test_other_lesson3_widgets_render(page):
    for cls in (".melt-stress-time", ".melt-breath"):
        cell = page.locator(f".jp-Cell:has({cls})").first
        cell.scroll_into_view_if_needed()
        img = cell.locator("img.melt-diagram").first
        img.wait_for(state="visible")
        assert (img.get_attribute("src") or "").startswith("data:image/png") or \
            (img.get_attribute("src") or "").startswith("blob:")
    page.locator(".jp-Cell:has(.melt-breath)").first.screenshot(
        path=str(ARTIFACTS / "lesson03_diaphragm.png"))

