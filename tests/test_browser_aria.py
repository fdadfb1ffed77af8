"""Screen readers and keyboards, checked in Chromium by a tool nobody here wrote (axe-core).

- axe-core (``node_modules/axe-core``, pinned in package.json, injected from disk: no CDN) runs
  on every lesson in the app (Voilà) and in JupyterLab after Run All: no critical or serious
  violation may come from the course's own output, nor a heading that skips a level
  (heading-order, moderate for axe). Violations from JupyterLab's or Voilà's
  own page (menus, toolbars, the page around the notebook) are allowed only when recorded in
  ``tests/axe_baseline.json`` with the upstream issue; one that is not recorded fails too, so a
  new one is seen. A table of everything axe found is printed and saved in
  ``test-artifacts/axe_<app>_<lesson>.txt``.
- From the keyboard alone, a diagram's slider is reached with Tab and moved with the arrow
  keys: the picture changes, and what Chromium gives a screen reader (its accessibility tree,
  not our DOM) is the slider's name and the time it shows ("10 s after the stressor"), not the
  slider's internal number.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from app_helpers import open_app_page, ready_player, served_lessons, stored_widget_outputs
from conftest import ARTIFACTS

from melt_course.figures.startle import format_s
from melt_course.widgets.startle import nice_time

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BASELINE = Path(__file__).with_name("axe_baseline.json")
SERIOUS = {"critical", "serious"}

#: Rules that fail the course's own output whatever their impact: a heading that skips a level
#: (axe calls heading-order moderate) breaks the outline a screen reader user jumps through.
COURSE_RULES = {"heading-order"}

#: Where the course's own output is: cell outputs (widgets, text) and the rendered prose.
COURSE_OUTPUT = ".jp-OutputArea, .jp-MarkdownOutput, .jp-RenderedMarkdown"

_AXE_RUN = """async ([courseSelector, baseline]) => {
    const result = await axe.run(document, {resultTypes: ['violations']});
    const out = [];
    for (const v of result.violations) {
        for (const n of v.nodes) {
            // the element (an iframe or shadow path never occurs on these pages)
            const sel = n.target[n.target.length - 1];
            const el = typeof sel === 'string' ? document.querySelector(sel) : null;
            const course = !!(el && el.closest(courseSelector));
            const known = baseline.find(b => b.rule === v.id && el && el.closest(b.where));
            out.push({rule: v.id, impact: n.impact || v.impact, help: v.help,
                      target: n.target.join(' '), html: n.html.slice(0, 160), course,
                      baseline: known ? known.where : null});
        }
    }
    return out;
}"""


def _baseline(app: str) -> list[dict]:
    data = json.loads(BASELINE.read_text(encoding="utf-8"))
    entries = [e for e in data["entries"] if e["app"] == app]
    for entry in entries:   # every entry says why and where it is reported upstream
        assert entry["upstream"].startswith("https://github.com/"), entry
        assert entry["why"].strip() and entry["where"].strip(), entry
    return entries


def run_axe(page, app: str) -> list[dict]:
    """Every node axe-core finds in violation on the page, marked course output or not and,
    when not, with the baseline entry it matches (None: not recorded)."""
    if not AXE.is_file():
        pytest.fail(f"axe-core is not installed at {AXE}: run ./dev (npm ci installs it)")
    page.add_script_tag(path=str(AXE))
    return page.evaluate(_AXE_RUN, [COURSE_OUTPUT, _baseline(app)])


def table(found: list[dict]) -> str:
    """What axe found, one row per rule: impact, nodes in the course's output, nodes in the
    page around it (baselined or not)."""
    rows: dict[tuple, list[int]] = {}
    for node in found:
        key = (node["impact"], node["rule"], node["help"])
        counts = rows.setdefault(key, [0, 0, 0])
        counts[0 if node["course"] else 1 if node["baseline"] else 2] += 1
    order = {"critical": 0, "serious": 1, "moderate": 2, "minor": 3}
    lines = [f"{'impact':9} {'rule':28} {'course':>6} {'chrome, baselined':>17} "
             f"{'chrome, new':>11}  help"]
    for (impact, rule, helptext), (course, known, new) in sorted(
            rows.items(), key=lambda kv: (order.get(kv[0][0], 9), kv[0][1])):
        lines.append(f"{impact:9} {rule:28} {course:6} {known:17} {new:11}  {helptext}")
    if not rows:
        lines.append("(no violations)")
    return "\n".join(lines)


def _failures(found: list[dict]) -> list[str]:
    bad = []
    for node in found:
        if node["impact"] not in SERIOUS and not (node["course"] and node["rule"] in COURSE_RULES):
            continue
        if node["course"]:
            bad.append(f"course output: {node['rule']} ({node['impact']}) at {node['target']}: "
                       f"{node['html']}")
        elif not node["baseline"]:
            bad.append(f"page chrome, not in tests/axe_baseline.json: {node['rule']} "
                       f"({node['impact']}) at {node['target']}: {node['html']}")
    return bad


def _report(app: str, notebook: str, found: list[dict]) -> str:
    text = f"axe-core on {notebook} in the {app}\n{table(found)}\n"
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"axe_{app}_{notebook.removesuffix('.ipynb')}.txt").write_text(
        text + "\n" + json.dumps(found, indent=1), encoding="utf-8")
    print(text)
    return text


def _settle(page) -> None:
    """Let the front end finish: two animation frames after the widgets are drawn."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    page.wait_for_timeout(300)


@pytest.mark.parametrize("notebook", served_lessons())
def test_axe_finds_nothing_serious_in_the_app(voila_server, page, notebook):
    open_app_page(page, voila_server.render_url(notebook), stored_widget_outputs(notebook))
    _settle(page)
    found = run_axe(page, "app")
    text = _report("app", notebook, found)
    bad = _failures(found)
    assert not bad, text + "\n" + "\n".join(bad)


@pytest.mark.parametrize("notebook", served_lessons())
def test_axe_finds_nothing_serious_in_jupyterlab_after_run_all(lab, page, notebook):
    lab.open(page, f"notebooks/{notebook}")
    lab.run_all(page)
    widgets = stored_widget_outputs(notebook)
    page.wait_for_function(
        "(n) => document.querySelectorAll('.jp-OutputArea-output .jupyter-widgets').length "
        ">= n", arg=widgets, timeout=120_000)
    _settle(page)
    found = run_axe(page, "lab")
    text = _report("lab", notebook, found)
    bad = _failures(found)
    assert not bad, text + "\n" + "\n".join(bad)


# ---------------------------------------------------------------------- keyboard and the tree

def _ax_sliders(page) -> list[dict]:
    """Every slider: its name as Chromium's accessibility tree computes it, its value text,
    and whether it has focus.

    Chromium's DevTools accessibility tree gives a node's computed name, but its "valuetext"
    property is a native control's own value (empty for an ARIA slider, even with
    ``aria-valuetext``; checked on a bare ``<div role=slider aria-valuetext=...>``), so the
    spoken value is read from the attribute of the node the tree names.
    """
    client = page.context.new_cdp_session(page)
    try:
        nodes = client.send("Accessibility.getFullAXTree")["nodes"]
        out = []
        for node in nodes:
            if (node.get("role") or {}).get("value") != "slider" or node.get("ignored"):
                continue
            props = {p["name"]: p["value"].get("value") for p in node.get("properties", [])}
            element = client.send("DOM.resolveNode",
                                  {"backendNodeId": node["backendDOMNodeId"]})["object"]
            text = client.send("Runtime.callFunctionOn", {
                "objectId": element["objectId"], "returnByValue": True,
                "functionDeclaration": "function () { return this.getAttribute("
                                       "'aria-valuetext') || this.getAttribute("
                                       "'aria-valuenow'); }"})["result"].get("value")
            out.append({"name": (node.get("name") or {}).get("value", ""),
                        "value": text or "", "focused": bool(props.get("focused"))})
        return out
    finally:
        client.detach()


def _focused_slider(page) -> dict | None:
    return next((s for s in _ax_sliders(page) if s["focused"]), None)


def test_a_diagram_slider_is_moved_from_the_keyboard_and_its_value_is_spoken(voila_server,
                                                                            page):
    notebook = "03_stress_and_startle.ipynb"
    open_app_page(page, voila_server.render_url(notebook), stored_widget_outputs(notebook))
    _settle(page)
    name = "Time after the stressor"
    # keyboard only: Tab from the top of the page until the stress slider has focus
    page.keyboard.press("Tab")
    for _ in range(80):
        focused = _focused_slider(page)
        if focused and focused["name"] == name:
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail(f"Tab never reached the slider named {name!r}; sliders: "
                    f"{_ax_sliders(page)}")
    assert focused["value"] == "10 s after the stressor", focused   # not "1", its exponent
    ring = page.evaluate("() => { const s = getComputedStyle(document.activeElement); "
                         "return [s.outlineStyle, parseFloat(s.outlineWidth) || 0]; }")
    assert ring[0] != "none" and ring[1] >= 2, f"no visible focus ring on the slider: {ring}"
    picture = page.locator(".melt-stress-time").locator(
        "xpath=ancestor::div[contains(@class,'melt-aria-scope')][1]").locator(
        "img.melt-diagram")
    before = picture.get_attribute("src")
    for _ in range(20):   # each press: one step of 10**0.05 on the log scale
        page.keyboard.press("ArrowRight")
    expected = f"{format_s(nice_time(10 ** (1 + 20 * 0.05)))} after the stressor"
    assert expected == "1.7 min after the stressor"
    page.wait_for_function(
        "(want) => [...document.querySelectorAll('[role=slider]')].some("
        "h => h.getAttribute('aria-valuetext') === want)", arg=expected, timeout=30_000)
    focused = _focused_slider(page)
    assert focused == {"name": name, "value": expected, "focused": True}, focused
    page.wait_for_function(
        """(old) => {
            const scope = document.querySelector('.melt-stress-time')
                .closest('.melt-aria-scope');
            const img = scope.querySelector('img.melt-diagram');
            return img && img.getAttribute('src') !== old;
        }""", arg=before, timeout=60_000)
    assert picture.get_attribute("src") != before
    alt = picture.get_attribute("alt")
    assert alt and "1.7 min" in alt, alt
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(".melt-stress-time").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "aria_keyboard_stress_slider.png"))
    # every slider on the page has a name, and none speaks a bare log exponent
    sliders = _ax_sliders(page)
    assert sliders and all(s["name"] for s in sliders), sliders
    startle = next(s for s in sliders if s["name"] == "Time after the sound")
    assert startle["value"].endswith("after the sound"), startle


def test_controls_that_change_keep_their_names_and_contrast(voila_server, page):
    """What the first look at a page does not show: lesson 3's play button turning into a
    pause button (its name must follow), and the routine player running, its Start button
    now "Pause" (the issue measured 4.1:1 on it). axe runs on both states."""
    notebook = "03_stress_and_startle.ipynb"
    open_app_page(page, voila_server.render_url(notebook), stored_widget_outputs(notebook))
    _settle(page)
    play = page.get_by_role("button", name="Play the startle")
    play.wait_for(timeout=30_000)
    play.focus()
    page.keyboard.press("Space")   # keyboard: the play button starts the animation
    page.get_by_role("button", name="Pause the startle").wait_for(timeout=30_000)
    assert page.get_by_role("button", name="Stop the startle and go back to the start") \
        .count() == 1
    found = run_axe(page, "app")
    assert not _failures(found), table(found)
    page.get_by_role("button", name="Pause the startle").click()
    page.get_by_role("button", name="Play the startle").wait_for(timeout=30_000)

    notebook = "05_routines.ipynb"
    open_app_page(page, voila_server.render_url(notebook), stored_widget_outputs(notebook))
    _settle(page)
    start = ready_player(page).locator("button.melt-start").first
    start.click()
    page.wait_for_function(
        "() => document.querySelector('.melt-player button.melt-start').innerText"
        ".includes('Pause')", timeout=30_000)
    start.scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "aria_player_running.png"))
    found = run_axe(page, "app")
    text = _report("app", "05_routines_running.ipynb", found)
    assert not _failures(found), text + "\n" + "\n".join(_failures(found))
    contrast = page.evaluate("""() => {
        const b = document.querySelector('.melt-player button.melt-start');
        const s = getComputedStyle(b);
        return [s.color, s.backgroundColor];
    }""")
    assert _contrast(*contrast) >= 4.5, contrast


def _contrast(fg: str, bg: str) -> float:
    """WCAG contrast ratio of two CSS rgb()/rgba() colours."""
    def luminance(css: str) -> float:
        parts = [float(x) for x in css[css.index("(") + 1:css.index(")")].split(",")[:3]]
        chans = [c / 255 for c in parts]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in chans]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_in_jupyterlab_the_start_slider_is_reached_and_moved_from_the_keyboard(lab, page):
    """The same in JupyterLab after Run All: Tab from the notebook reaches the hip demo's
    slider, named as its label says; arrow keys move it; the picture and the spoken value
    follow."""
    lab.open(page, "notebooks/00_start_here.ipynb")
    lab.run_all(page)
    page.wait_for_selector(".melt-aria-scope [role=slider][aria-label]", timeout=60_000)
    picture = page.locator("img.melt-diagram").first
    before = picture.get_attribute("src")
    # The notebook has focus. Click the first cell's left margin: its middle is now the
    # navigation bar, whose "Next" link would open lesson 1.
    page.locator(".jp-Notebook .jp-Cell").first.click(position={"x": 4, "y": 4})
    page.keyboard.press("Escape")                           # command mode: Tab leaves cells
    # Every citation, glossary term and navigation link above the demo is a Tab stop too.
    trail = []
    for _ in range(600):
        page.keyboard.press("Tab")
        trail.append(page.evaluate("() => { const a = document.activeElement; return a ? "
                                   "a.tagName + '.' + a.className.toString().slice(0, 40) + ' ' "
                                   "+ (a.textContent || '').slice(0, 30) : 'none'; }"))
        here = page.evaluate("() => { const a = document.activeElement; return a && "
                             "a.getAttribute('role') === 'slider' ? a.getAttribute('aria-label')"
                             " : null; }")
        if here:
            break
    else:
        pytest.fail("Tab never reached a named slider in JupyterLab; focus went through: "
                    + " | ".join(dict.fromkeys(trail))[:1500])
    focused = _focused_slider(page)
    assert focused == {"name": "Hip flexion (°)", "value": "0°", "focused": True}, focused
    for _ in range(6):       # six steps of 5 degrees
        page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.activeElement.getAttribute('aria-valuetext') === '30°'",
        timeout=30_000)
    page.wait_for_function("() => document.querySelector('img.melt-diagram')"
                           ".getAttribute('alt').includes('at 30°')", timeout=60_000)
    assert picture.get_attribute("src") != before, "the picture did not change"
    assert _focused_slider(page) == {"name": "Hip flexion (°)", "value": "30°",
                                     "focused": True}
    lab.screenshot(page, "aria_lab_keyboard_slider")
