"""Helpers for tests that drive the course app (Voilà) in a browser.

Kept out of conftest.py so that the app tests share one definition of "the page is ready" and
"what on the page is an error".
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

from conftest import ARTIFACTS

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


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot as ``test-artifacts/<name>.png`` and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def probe_notebook(folder: Path, name: str,
                   cells: Sequence[tuple[str, str | list[str], Sequence[str]]]) -> str:
    """Write ``folder/name``: a small notebook of ``cells``, each ``(kind, source, tags)``
    (kind ``"code"`` or ``"markdown"``), with the course notebooks' metadata (kernel); return
    ``name``."""
    source = json.loads((folder / "00_start_here.ipynb").read_text(encoding="utf-8"))
    nb = {"cells": [{"cell_type": kind, "id": f"c{i}", "source": text,
                     "metadata": {"tags": list(tags)} if tags else {},
                     **({"execution_count": None, "outputs": []} if kind == "code" else {})}
                    for i, (kind, text, tags) in enumerate(cells)],
          "metadata": source["metadata"], "nbformat": 4, "nbformat_minor": 5}
    (folder / name).write_text(json.dumps(nb), encoding="utf-8")
    return name


def quiz_notebook(folder: Path, question_ids: Sequence[str], name: str) -> str:
    """Write ``folder/name``: a small notebook showing the questions the way a lesson does
    (``mc.quiz_for``, in the given order, nothing saved), then a closing paragraph; return
    ``name``."""
    return probe_notebook(folder, name, [
        ("code", "from melt_course import notebook as mc", ()),
        ("code", f"mc.quiz_for({list(question_ids)!r}, store=None, shuffle=False)", ()),
        ("markdown", "The end.", ())])


def wait_for_questions(page, count: int) -> None:
    """Wait until the page shows ``count`` quiz questions."""
    page.locator(".melt-quiz-question").nth(count - 1).wait_for(timeout=60_000)


def open_quiz_in_app(voila_server, page, question_ids: Sequence[str], name: str) -> None:
    """Serve :func:`quiz_notebook` in the app (Voila) and wait until every question is drawn."""
    open_app_page(page, voila_server.render_url(
        quiz_notebook(voila_server.root / "notebooks", question_ids, name)), 1)
    wait_for_questions(page, len(question_ids))


_FOCUS = """() => {
    const el = document.activeElement;
    const card = el && el.closest('.melt-quiz-question');
    const label = el && el.closest('label');
    const style = el ? getComputedStyle(el) : null;
    return {tag: el ? el.tagName : null, type: el ? (el.type || '') : '',
            text: el ? (el.innerText || el.value || '').trim() : '',
            card: card ? [...card.classList].find(c => c.startsWith('melt-q-')) : null,
            option: label ? label.innerText.trim() : null, checked: !!(el && el.checked),
            editor: !!(el && el.closest('.cm-content')),
            outline: style ? parseFloat(style.outlineWidth) || 0 : 0,
            outlineStyle: style ? style.outlineStyle : 'none'};
}"""


def focused(page) -> dict:
    """The focused control as the quiz tests read it: ``tag``, ``type``, ``text`` (trimmed),
    ``card`` (the question's ``melt-q-<id>`` class), ``option`` and ``checked`` (a radio's
    label and state), ``editor`` (inside a code editor), ``outline`` (px) and
    ``outlineStyle``."""
    return page.evaluate(_FOCUS)


def tab_until(page, wanted: Callable[[dict], bool], limit: int = 60) -> dict:
    """Press Tab until ``wanted(focused(page))``, at most ``limit`` times; return that focus.

    Fails when Tab goes into a code editor (the keyboard would be typing into a cell) or never
    reaches the control."""
    now = focused(page)
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if now["editor"]:
            raise AssertionError(f"Tab went into a code editor before reaching the control: {now}")
        if wanted(now):
            return now
    raise AssertionError(f"Tab never reached the wanted control; last focus: {now}")


def wait_focus_on(page, card_class: str, text: str) -> dict:
    """Wait until the focus is on a control in the question ``card_class`` whose text holds
    ``text`` (e.g. "Try again" after Check); return it."""
    page.wait_for_function(
        """([cls, text]) => {
            const el = document.activeElement;
            return el && el.closest('.' + cls) && (el.innerText || '').includes(text);
        }""", arg=[card_class, text], timeout=30_000)
    return focused(page)
