"""Lesson 4 in a real browser: it runs cleanly, moving a balance-lab slider changes the picture,
and the optional modellers' section is a disclosure a keyboard and a screen reader can use."""


import io

import pytest
from app_helpers import open_app_page, page_errors, stored_widget_outputs
from conftest import ARTIFACTS
from test_browser_aria import AXE

from melt_course.widgets.balance import MODELLERS_TITLE

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


def _ax_focused(page) -> dict | None:
    """The focused element as Chromium's accessibility tree gives it to a screen reader: its
    role, computed name and ``expanded`` state (None when the tree has no such state)."""
    client = page.context.new_cdp_session(page)
    try:
        active = client.send("Runtime.evaluate", {"expression": "document.activeElement"})
        object_id = active["result"].get("objectId")
        if object_id is None:
            return None
        nodes = client.send("Accessibility.getPartialAXTree",
                            {"objectId": object_id, "fetchRelatives": False})["nodes"]
        node = next((n for n in nodes if not n.get("ignored")), None)
        if node is None:
            return None
        props = {p["name"]: p["value"].get("value") for p in node.get("properties", [])}
        return {"role": (node.get("role") or {}).get("value"),
                "name": (node.get("name") or {}).get("value", ""),
                "expanded": props.get("expanded")}
    finally:
        client.detach()


def _ring_shows(locator) -> bool:
    """Whether the course's blue focus ring (#0072B2) is seen on all four edges of the element
    as the screen shows it (a ring drawn outside the element, or covered, is not in its box)."""
    from PIL import Image

    image = Image.open(io.BytesIO(locator.screenshot())).convert("RGB")
    width, height = image.size
    px = image.load()

    def blue(x: int, y: int) -> bool:
        r, g, b = px[x, y]
        return abs(r - 0x00) < 40 and abs(g - 0x72) < 40 and abs(b - 0xB2) < 40

    edges = {"top": [(x, y) for x in range(width) for y in range(min(4, height))],
             "bottom": [(x, y) for x in range(width) for y in range(max(0, height - 4), height)],
             "left": [(x, y) for y in range(height) for x in range(min(4, width))],
             "right": [(x, y) for y in range(height) for x in range(max(0, width - 4), width)]}
    return all(sum(blue(*xy) for xy in spots) > len(spots) // 8 for spots in edges.values())


def _axe_on(page, selector: str) -> list[str]:
    """axe-core's violations (any impact) in the first element matching ``selector``."""
    if not AXE.is_file():
        pytest.fail(f"axe-core is not installed at {AXE}: run ./dev (npm ci installs it)")
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async (sel) => {
        const region = document.querySelector(sel);
        if (!region) return [`nothing on the page matches ${sel}`];
        const result = await axe.run(region,
                                     {resultTypes: ['violations']});
        return result.violations.flatMap(v => v.nodes.map(
            n => `${v.id} (${n.impact}): ${n.target.join(' ')}: ${n.html.slice(0, 120)}`));
    }""", selector)


def _press_on_section(page, key: str, seed, expanded: bool) -> dict:
    """Press ``key`` on the focused modellers' section title; wait until the seed shows (or
    hides) and the title says it is expanded (or collapsed); return what Chromium reports."""
    page.keyboard.press(key)
    seed.wait_for(state="visible" if expanded else "hidden", timeout=30_000)
    page.wait_for_function(   # the front end sets the state on the next mutation
        "want => document.activeElement.getAttribute('aria-expanded') === want",
        arg="true" if expanded else "false", timeout=10_000)
    focused = _ax_focused(page)
    assert focused["expanded"] is expanded, focused
    return focused


def test_noise_seed_waits_in_the_optional_modellers_section(lab, lesson_page):
    """The main line shows no seed box and no equation. The modellers' section is a disclosure
    a keyboard reaches with Tab and opens with Enter; Chromium tells a screen reader it is a
    button, collapsed then expanded; the seed then shows, and a new seed reruns the model;
    Space closes it again. axe-core finds nothing in the lab, open."""
    page = lesson_page
    lab.run_all(page)
    assert lab.error_outputs(page) == []
    seed = page.get_by_role("spinbutton", name="Noise seed")
    assert not seed.is_visible(), "the noise seed shows in the main line"
    section_two = page.locator(".jp-MarkdownCell", has_text="2. Standing is balancing").first
    assert "θ" not in section_two.inner_text(), "the equation is in the main line"
    modellers = page.locator(".jp-MarkdownCell", has_text="5. Optional, for modellers").first
    assert "J·θ″" in modellers.inner_text()

    # From the keyboard: the last vision button, then Tab, lands on the modellers' section.
    eyes_closed = page.get_by_role("button", name="Eyes closed")
    eyes_closed.scroll_into_view_if_needed()
    eyes_closed.focus()
    page.keyboard.press("Tab")
    focused = _ax_focused(page)
    assert focused is not None and focused["name"] == MODELLERS_TITLE, \
        f"Tab after the vision buttons reached {focused}, not the modellers' section"
    assert focused["role"] == "button" and focused["expanded"] is False, focused
    assert not seed.is_visible()
    disclosure = page.get_by_role("button", name=MODELLERS_TITLE)
    assert _ring_shows(disclosure), "no focus ring seen around the modellers' section"

    opened = _press_on_section(page, "Enter", seed, expanded=True)
    assert opened == {"role": "button", "name": MODELLERS_TITLE, "expanded": True}, opened
    region = page.locator(".melt-widget", has=page.locator(".melt-modellers")).first
    region.scroll_into_view_if_needed()
    found = _axe_on(page, ".melt-widget:has(.melt-modellers)")
    assert found == [], "axe-core on the balance lab, modellers' section open:\n" + \
        "\n".join(found)
    description = page.locator(".melt-description").first
    before = description.inner_text()
    seed.fill("42")
    seed.press("Enter")
    page.wait_for_function(
        "old => document.querySelector('.melt-description').innerText !== old",
        arg=before, timeout=60_000)
    assert seed.input_value() == "42"

    disclosure.focus()
    _press_on_section(page, " ", seed, expanded=False)


def test_in_the_app_the_modellers_section_opens_from_the_keyboard(voila_server, page):
    """The app (Voila, its own copy of the widget front end), on a phone: Tab from the vision
    buttons reaches the section, Space opens it, Chromium says it is expanded, the seed shows
    and nothing of it is cut off or wider than the screen; the same open section on a
    desktop. Screenshots: test-artifacts/lesson04_modellers_open_<w>x<h>.png."""
    notebook = NOTEBOOK.split("/")[-1]
    page.set_viewport_size({"width": 390, "height": 844})
    open_app_page(page, voila_server.render_url(notebook), stored_widget_outputs(notebook))
    assert page_errors(page) == []
    seed = page.get_by_role("spinbutton", name="Noise seed")
    eyes_closed = page.get_by_role("button", name="Eyes closed")
    eyes_closed.scroll_into_view_if_needed()
    eyes_closed.focus()
    page.keyboard.press("Tab")
    focused = _ax_focused(page)
    assert focused == {"role": "button", "name": MODELLERS_TITLE, "expanded": False}, focused
    assert not seed.is_visible()
    _press_on_section(page, " ", seed, expanded=True)
    disclosure = page.get_by_role("button", name=MODELLERS_TITLE)
    assert _ring_shows(disclosure), "no focus ring seen around the modellers' section"
    section = page.locator(".melt-modellers")
    for width, height in ((390, 844), (1920, 1080)):
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(500)
        disclosure.scroll_into_view_if_needed()
        box, seed_box = section.bounding_box(), seed.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, (width, box)
        assert seed_box["x"] + seed_box["width"] <= box["x"] + box["width"] + 0.5, \
            (width, seed_box, box)
        page.screenshot(path=str(ARTIFACTS / f"lesson04_modellers_open_{width}x{height}.png"))
