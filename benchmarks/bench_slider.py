"""Slider-to-pixels latency in headless Chromium, on notebooks served by Voila.

For each interactive diagram: open it in Voila, focus its main slider, press the arrow key
N times (20 by default), and time each press from the key event to the moment the new image
is decoded on screen (a MutationObserver on the page sees the new ``<img>`` or its new
``src``, then waits for ``img.decode()``).
Measured in the same run, each in a fresh page:

- the baseline: the same diagram redrawn the naive way, a new pyplot figure per move through
  ``interact`` (benchmarks/notebooks/naive_*.ipynb). Target (issue 8): median <= 0.5x;
- the floor: a slider that swaps ready-made PNGs of the same diagram (same size, same
  pictures) with no drawing (benchmarks/notebooks/floor.py), in two forms: the bytes in an
  ``ipywidgets.Image`` (``floor/Image``) and base64 in an ``<img>`` inside an ``HTML`` widget
  (``floor/HTML``, how the course's Diagram sends its picture). Target (issue 16): the course's
  median <= 2x the floor. ``floor/HTML`` against ``floor/Image`` is what carrying the picture
  as base64 HTML costs by itself.

With ``--before DIR`` (a folder holding an earlier ``melt_course``, e.g. from
``git archive <commit> melt_course | tar -x -C DIR``), the course page is also measured as
served by a second Voila whose kernels import that package: ``before``, in the same run.

A course diagram draws the next step of its main slider ahead, in the pause after a single
step, and shows it at once if that is the next move (``Picture.draw_ahead_later``): presses of
one arrow key get that. So the course page is measured twice: as served (``course``) and by a
second Voila whose kernels have drawing ahead off (``MELT_COURSE_AHEAD=off``: ``unpredicted``,
every move drawn, as for a turn back, a jump or a drag).

The pages of one diagram are measured in a rotating order (a slow spell of the shared machine
does not always fall on the same page).

Run: ``.venv/bin/python benchmarks/bench_slider.py`` (needs /usr/bin/chromium).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (
    CHROMIUM,
    CHROMIUM_ARGS,
    Summary,
    free_port,
    machine_line,
    offline_page,
    report,
    start_voila,
)

#: (name, course notebook, naive baseline notebook); each notebook shows one slider first.
#: The floors are benchmarks/notebooks/floor_{image,html}_<same suffix>.ipynb.
CASES = [
    ("start notebook: hip demo", "benchmarks/notebooks/course_hip.ipynb",
     "benchmarks/notebooks/naive_hip.ipynb"),
    ("lesson 3: startle timeline (time slider)", "benchmarks/notebooks/course_startle.ipynb",
     "benchmarks/notebooks/naive_startle.ipynb"),
    ("lesson 3: adrenaline and cortisol (time slider)", "benchmarks/notebooks/course_stress.ipynb",
     "benchmarks/notebooks/naive_stress.ipynb"),
    ("lesson 3: diaphragm and psoas (breath slider)", "benchmarks/notebooks/course_diaphragm.ipynb",
     "benchmarks/notebooks/naive_diaphragm.ipynb"),
    ("lesson 4: balance lab (gain slider)", "benchmarks/notebooks/course_balance.ipynb",
     "benchmarks/notebooks/naive_balance.ipynb"),
    ("lesson 2: hip-flexor comparison (hip slider)", "benchmarks/notebooks/course_flexors.ipynb",
     "benchmarks/notebooks/naive_flexors.ipynb"),
    ("lesson 2: fibre length (hip slider, from -30 degrees)",
     "benchmarks/notebooks/course_fibres.ipynb", "benchmarks/notebooks/naive_fibres.ipynb"),
    ("lesson 2: walking step (gait-cycle slider)", "benchmarks/notebooks/course_gait.ipynb",
     "benchmarks/notebooks/naive_gait.ipynb"),
    # Last: its naive page has not finished rendering in Voila on this machine (the kernel goes
    # idle, the page keeps waiting), and a stuck render holds up the pages after it.
    ("lesson 2: psoas explorer (hip slider)", "benchmarks/notebooks/course_psoas.ipynb",
     "benchmarks/notebooks/naive_psoas.ipynb"),
]

_NB = "benchmarks/notebooks"

_OBSERVER = """() => {
  window.__imgAt = null;
  const done = (img) => img.decode().then(() => { window.__imgAt = performance.now(); },
                                          () => { window.__imgAt = performance.now(); });
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'attributes' && r.target.tagName === 'IMG' && r.target.src) done(r.target);
      for (const n of r.addedNodes || []) {
        const img = n.tagName === 'IMG' ? n : (n.querySelector && n.querySelector('img'));
        if (img) done(img);
      }
    }
  }).observe(document.body, {subtree: true, childList: true, attributes: true,
                             attributeFilter: ['src']});
}"""


def _measure(page, url: str, steps: int, load_timeout: float = 120.0) -> list[float]:
    wait_ms = load_timeout * 1000
    page.goto(url, timeout=wait_ms, wait_until="domcontentloaded")
    handle = page.locator(".noUi-handle, input[type=range]").first
    handle.wait_for(state="visible", timeout=wait_ms)
    page.locator("img").first.wait_for(state="visible", timeout=wait_ms)
    page.wait_for_timeout(500)
    page.evaluate(_OBSERVER)
    handle.focus()
    out = []
    for _ in range(steps):
        page.evaluate("() => { window.__imgAt = null; window.__t0 = performance.now(); }")
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => window.__imgAt !== null", timeout=60_000)
        page.wait_for_timeout(50)  # let a trailing second redraw (if any) land before the next
        out.append(page.evaluate("() => (window.__imgAt - window.__t0) / 1000"))
    return out


def _measure_fresh(browser, url: str, steps: int, external: list[str],
                   load_timeout: float) -> list[float]:
    """Measure in a new page, closed afterwards, so each notebook's kernel is shut down.

    Waits two seconds after closing, so the closed kernel's shutdown does not overlap the
    next measurement.
    """
    page, refused = offline_page(browser)
    try:
        return _measure(page, url, steps, load_timeout)
    finally:
        external.extend(refused)
        page.close()
        time.sleep(2)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--only", default="", help="run only the cases whose name contains this")
    parser.add_argument("--load-timeout", type=float, default=90.0,
                        help="seconds to wait for a page to show its slider")
    parser.add_argument("--load-retries", type=int, default=2,
                        help="new pages to try when one does not load")
    parser.add_argument("--before", type=Path, default=None,
                        help="a folder holding an earlier melt_course: measure its course "
                             "pages too ('before')")
    args = parser.parse_args(argv)
    if args.before is not None and not (args.before / "melt_course" / "__init__.py").is_file():
        parser.error(f"--before {args.before}: no melt_course/__init__.py in that folder")
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
    from playwright.sync_api import sync_playwright

    from melt_course.widgets.diagram import AHEAD_ENV

    port, token = free_port(), "bench"
    server = start_voila(port, token)
    unpredicted_port = free_port()
    servers = [server, start_voila(unpredicted_port, token, env={AHEAD_ENV: "off"})]
    if args.before is not None:
        before_port = free_port()
        servers.append(start_voila(before_port, token, package_root=args.before.resolve()))
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=CHROMIUM_ARGS)
            external: list[str] = []
            print(f"Slider-to-pixels latency, {args.steps} moves each ({machine_line()})")
            for name, course_nb, naive_nb in CASES:
                if args.only not in name:
                    continue
                base = f"http://127.0.0.1:{port}/voila/render"
                suffix = course_nb.rsplit("course_", 1)[1]
                pages = [("naive", naive_nb), ("floor/Image", f"{_NB}/floor_image_{suffix}"),
                         ("floor/HTML", f"{_NB}/floor_html_{suffix}"), ("course", course_nb),
                         ("unpredicted", course_nb)]
                if args.before is not None:
                    pages.append(("before", course_nb))
                turn = CASES.index((name, course_nb, naive_nb))
                pages = pages[turn % len(pages):] + pages[:turn % len(pages)]
                samples = {}
                for which, nb in pages:
                    for attempt in range(1 + args.load_retries):
                        try:
                            where = {"before": before_port,
                                     "unpredicted": unpredicted_port}.get(which)
                            where = (base if where is None else
                                     f"http://127.0.0.1:{where}/voila/render")
                            samples[which] = _measure_fresh(
                                browser, f"{where}/{nb}?token={token}", args.steps, external,
                                args.load_timeout)
                            break
                        except PlaywrightTimeoutError as exc:
                            # Voila sometimes stalls while executing a notebook (upstream:
                            # voila-dashboards/voila#1428); a new page gets a new kernel.
                            print(f"  {nb}: page {attempt + 1} did not load "
                                  f"({str(exc).splitlines()[0]})")
                    if which not in samples:
                        print(f"{name}\n  NOT MEASURED: {nb} did not load")
                        break
                if len(samples) < len(pages):
                    continue
                course = Summary.of(samples["course"])
                report(name, course, Summary.of(samples["naive"]), target=0.5,
                       baseline_name="naive")
                for floor in ("floor/Image", "floor/HTML"):
                    low = Summary.of(samples[floor])
                    ratio = course.median_ms / low.median_ms
                    print(f"  {floor:11s}: n={low.n:3d}  median {low.median_ms:9.1f} ms  "
                          f"p95 {low.p95_ms:9.1f} ms  course / floor {ratio:.2f}x  "
                          f"target <= 2x: {'met' if ratio <= 2 else 'NOT met'}")
                alone = Summary.of(samples["unpredicted"])
                image_floor = Summary.of(samples["floor/Image"]).median_ms
                print(f"  unpredicted: n={alone.n:3d}  median {alone.median_ms:9.1f} ms  "
                      f"p95 {alone.p95_ms:9.1f} ms  (nothing drawn ahead: every move drawn) "
                      f"/ floor/Image {alone.median_ms / image_floor:.2f}x")
                if "before" in samples:
                    was = Summary.of(samples["before"])
                    print(f"  before     : n={was.n:3d}  median {was.median_ms:9.1f} ms  "
                          f"p95 {was.p95_ms:9.1f} ms  course / before "
                          f"{course.median_ms / was.median_ms:.2f}x  before / floor/Image "
                          f"{was.median_ms / Summary.of(samples['floor/Image']).median_ms:.2f}x")
                html_cost = (Summary.of(samples["floor/HTML"]).median_ms
                             / Summary.of(samples["floor/Image"]).median_ms)
                print(f"  base64 HTML against Image (floor/HTML / floor/Image): {html_cost:.2f}x")
                # A course diagram opens on its stored first frame and makes its live figure
                # at the first move (or earlier, when the kernel is idle), so that move may
                # cost more; shown apart, not hidden.
                print(f"  first move alone: course {samples['course'][0] * 1000:.0f} ms, "
                      f"naive {samples['naive'][0] * 1000:.0f} ms, floor/HTML "
                      f"{samples['floor/HTML'][0] * 1000:.0f} ms")
            browser.close()
            if external:
                print(f"  (blocked {len(external)} requests to other hosts, e.g. {external[0]})")
    finally:
        for one in servers:
            one.terminate()
            one.wait(timeout=20)


if __name__ == "__main__":
    main()
