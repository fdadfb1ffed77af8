"""Helpers for tests that drive the course app (Voilà) in a browser.

Kept out of conftest.py so that the app tests share one definition of "the page is ready" and
"what on the page is an error".
"""

from __future__ import annotations

import json
from pathlib import Path

from melt_course.content.course import load_course

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

#: Text that must never appear on a learner's page.
ERROR_TEXTS = ("Traceback (most recent call last)", "There was an error when executing",
               "Error displaying widget", "Kernel error", "Voilà error", "Failed to display",
               "Exception:")


def served_lessons() -> list[str]:
    """Notebook names of the course map's lessons whose notebook exists (in map order)."""
    return [les.notebook for les in load_course() if (NOTEBOOKS / les.notebook).is_file()]


def stored_widget_outputs(notebook: str | Path) -> int:
    """How many outputs of a notebook (as stored) are course widgets.

    Notebooks are stored without widget views (scripts/store_notebooks.py), so a widget is
    known by its stored plain-text form, which starts with ``WIDGET_REPR_HEAD``, or with
    ``Figure: `` for a still picture (a :class:`~melt_course.widgets.diagram.Still`).
    """
    from melt_course.widgets.base import WIDGET_REPR_HEAD

    path = Path(notebook) if Path(notebook).is_absolute() else NOTEBOOKS / notebook
    nb = json.loads(path.read_text(encoding="utf-8"))
    # a picture with no controls (widgets.diagram.Still) stores "Figure: <description>"
    return sum("".join(out.get("data", {}).get("text/plain", "")).startswith(
                   ("<" + WIDGET_REPR_HEAD, "Figure: "))
               for cell in nb["cells"] if cell["cell_type"] == "code"
               for out in cell.get("outputs", []))


def open_app_page(page, url: str, widgets: int, timeout: float = 240_000) -> None:
    """Open a lesson in the app and wait until the kernel ran it and its widgets are drawn."""
    page.goto(url, timeout=timeout, wait_until="load")
    page.wait_for_function(
        """(n) => {
            const loading = document.querySelector('#loading');
            const done = !loading || loading.offsetParent === null;
            const shown = document.querySelectorAll('.jp-OutputArea-output > .jupyter-widgets');
            return done && document.querySelector('.jp-Notebook') && shown.length >= n;
        }""", arg=widgets, timeout=timeout)


def page_errors(page) -> list[str]:
    """Error text a learner could see: tracebacks, Voilà's error notes, stderr and error outputs,
    and any message shown by a widget's error area."""
    found = []
    text = page.inner_text("body")
    found += [t for t in ERROR_TEXTS if t in text]
    selector = ('[data-mime-type="application/vnd.jupyter.stderr"], '
                '[data-mime-type="application/vnd.jupyter.error"], .jp-OutputArea-error')
    found += [f"output: {el.inner_text()[:200]}" for el in page.query_selector_all(selector)]
    found += [f"widget error: {el.inner_text()[:200]}"
              for el in page.query_selector_all(".melt-widget-error") if el.inner_text().strip()]
    return found


def ready_player(page):
    """Tick every statement of lesson 5's safety checklist and wait until the routine player's
    Start button is enabled (in the app or in JupyterLab); return the player's locator."""
    for box in page.locator(".melt-safety .melt-confirm input[type='checkbox']").all():
        box.check()
    player = page.locator(".melt-player").first
    player.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => !document.querySelector('.melt-player button.melt-start').disabled",
        timeout=30_000)
    return player


def broken_images(page) -> list[str]:
    """Sources of images that did not load."""
    return page.evaluate(
        """() => [...document.images].filter(i => !i.complete || i.naturalWidth === 0)
                 .map(i => (i.currentSrc || i.src).slice(0, 120))""")
