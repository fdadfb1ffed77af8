"""Lesson time-to-interactive in Voila, against a one-slider notebook.

For each lesson: load it in Voila in headless Chromium (a fresh page, so a fresh kernel) and
time from navigation start until its first control (slider, button or dropdown) is visible.
Baseline in the same run: benchmarks/notebooks/one_slider.ipynb, a notebook holding only an
ipywidgets slider. Rounds interleave lesson and baseline so machine noise hits both alike.
Target (issue 8): <= 2x.
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
    ROOT,
    Summary,
    compile_course,
    free_port,
    machine_line,
    offline_page,
    report,
    start_voila,
)

CONTROL = ".noUi-handle, .widget-button, .widget-dropdown select, .widget-radio-box input"
BASELINE = "benchmarks/notebooks/one_slider.ipynb"


def _tti(browser, url: str) -> float:
    page, _ = offline_page(browser)
    start = time.perf_counter()
    page.goto(url, timeout=300_000, wait_until="commit")
    page.locator(CONTROL).first.wait_for(state="visible", timeout=300_000)
    elapsed = time.perf_counter() - start
    page.close()
    return elapsed


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    compile_course()
    from playwright.sync_api import sync_playwright

    lessons = sorted(p.relative_to(ROOT).as_posix()
                     for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    port, token = free_port(), "bench"
    server = start_voila(port, token)
    url = f"http://127.0.0.1:{port}/voila/render/{{}}?token={token}"
    samples = {name: [] for name in [BASELINE, *lessons]}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=CHROMIUM_ARGS)
            _tti(browser, url.format(BASELINE))  # warm-up: first kernel start, file caches
            for _ in range(args.rounds):
                for name in samples:
                    samples[name].append(_tti(browser, url.format(name)))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    print(f"Time to interactive in Voila, {args.rounds} rounds ({machine_line()})")
    floor = Summary.of(samples[BASELINE])
    for name in lessons:
        report(name, Summary.of(samples[name]), floor, target=2.0, baseline_name="1 slider")


if __name__ == "__main__":
    main()
