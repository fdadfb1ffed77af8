"""A single-choice question's options are one radio group, from the keyboard alone, in the app
(Voilà) and in JupyterLab: one Tab stop for the group, the arrow keys move the choice, Tab leaves
the group for Check, Space or Enter on Check checks what the arrows chose (the kernel got it),
and the focus stays on the question. The group is named by the question's prompt.

The page is a small notebook showing two single-choice questions the way a lesson does
(``mc.quiz_for``), with nothing saved (``store=None``).
"""

from __future__ import annotations

import json

import pytest
from app_helpers import open_app_page, page_errors
from conftest import ARTIFACTS

from melt_course.content import quiz as Q

pytestmark = pytest.mark.browser

SINGLES = [q for q in Q.load_bank() if q.type == "single"][:2]
PROBE = "zz_quiz_radio_probe.ipynb"


def _probe(folder) -> str:
    source = json.loads((folder / "00_start_here.ipynb").read_text(encoding="utf-8"))
    ids = [q.id for q in SINGLES]
    cells = [["from melt_course import notebook as mc"],
             [f"mc.quiz_for({ids!r}, store=None, shuffle=False)"]]
    nb = {"cells": [{"cell_type": "code", "execution_count": None, "id": f"c{i}",
                     "metadata": {}, "outputs": [], "source": src}
                    for i, src in enumerate(cells)]
          + [{"cell_type": "markdown", "id": "end", "metadata": {}, "source": ["The end."]}],
          "metadata": source["metadata"], "nbformat": 4, "nbformat_minor": 5}
    (folder / PROBE).write_text(json.dumps(nb), encoding="utf-8")
    return PROBE


_FOCUS = """() => {
    const el = document.activeElement;
    const card = el && el.closest('.melt-quiz-question');
    const label = el && el.closest('label');
    return {tag: el ? el.tagName : null, type: el ? (el.type || '') : '',
            card: card ? [...card.classList].find(c => c.startsWith('melt-q-')) : null,
            option: label ? label.innerText.trim() : null, checked: !!(el && el.checked),
            text: el ? (el.innerText || '').trim() : ''};
}"""


def _focused(page) -> dict:
    return page.evaluate(_FOCUS)


def _tab_until(page, wanted, limit: int = 40) -> dict:
    now = _focused(page)
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = _focused(page)
        if now["tag"] == "DIV" and "cm-content" in page.evaluate(
                "() => document.activeElement.className"):
            raise AssertionError("Tab went into a code editor before reaching the quiz")
        if wanted(now):
            return now
    raise AssertionError(f"Tab never reached the wanted control; last focus: {now}")


def _wait_focus(page, card: str, text: str) -> dict:
    page.wait_for_function(
        """([card, text]) => {
            const el = document.activeElement;
            return el && el.closest('.' + card) && (el.innerText || '').includes(text);
        }""", arg=[card, text], timeout=30_000)
    return _focused(page)


def _answer_by_keyboard(page, shot: str) -> None:
    """The whole check, on a page showing the probe's quiz (already run)."""
    first, second = (f"melt-q-{q.id}" for q in SINGLES)
    q = SINGLES[0]
    card = page.locator(f".{first}")
    labels = [t.strip() for t in card.locator(".widget-radio-box > label").all_inner_texts()]
    right = labels.index(q.options[q.answer].text)
    wrong = next(i for i in range(1, len(labels)) if i != right)  # reached with arrows

    # The group, as the page says it: a named radiogroup whose options share one name.
    group = page.evaluate("""(cls) => {
        const box = document.querySelector('.' + cls + ' .widget-radio-box');
        const names = [...box.querySelectorAll('input[type=radio]')].map(r => r.name);
        const label = document.getElementById(box.getAttribute('aria-labelledby') || '');
        return {role: box.getAttribute('role'), names, label: label ? label.innerText : null};
    }""", first)
    assert group["role"] == "radiogroup"
    assert group["names"][0] and len(set(group["names"])) == 1, group
    assert group["label"] and group["label"].strip() == q.prompt.strip()
    other = page.evaluate("(cls) => document.querySelector('.' + cls + ' input[type=radio]')"
                          ".name", second)
    assert other and other != group["names"][0], "two questions share one radio group"

    # Keyboard only: click the quiz's title (a starting point, nothing focusable), then Tab.
    page.locator(".melt-quiz h3").first.click()
    now = _tab_until(page, lambda f: f["card"] == first and f["type"] == "radio")
    assert now["option"] == labels[0] and not now["checked"], now
    for _ in range(wrong):
        page.keyboard.press("ArrowDown")
    now = _focused(page)
    assert now["option"] == labels[wrong] and now["checked"], now
    page.keyboard.press("Tab")  # one Tab leaves the group: straight to Check
    now = _focused(page)
    assert now["card"] == first and now["text"] == "Check", f"Tab stayed in the group: {now}"
    page.keyboard.press("Space")
    feedback = card.locator(".melt-quiz-feedback")
    feedback.get_by_text("Not quite.").wait_for(timeout=30_000)
    # the kernel graded the option the arrows chose: its own feedback is shown
    chosen = next(o for o in q.options if o.text == labels[wrong])
    assert chosen.feedback and chosen.feedback in feedback.inner_text()
    _wait_focus(page, first, "Try again")
    _screenshot(page, f"{shot}_after_wrong")
    page.keyboard.press("Enter")  # Try again
    _wait_focus(page, first, "Check")
    page.keyboard.press("Shift+Tab")  # back into the group, at the chosen option
    now = _focused(page)
    assert now["card"] == first and now["option"] == labels[wrong] and now["checked"], now
    key, steps = ("ArrowDown", right - wrong) if right > wrong else ("ArrowUp", wrong - right)
    for _ in range(steps):
        page.keyboard.press(key)
    now = _focused(page)
    assert now["option"] == labels[right] and now["checked"], now
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    feedback.get_by_text("Right.").wait_for(timeout=30_000)
    now = _wait_focus(page, first, "Checked")
    assert now["tag"] == "BUTTON"
    _screenshot(page, f"{shot}_after_right")

    # The next question's group is one stop too: Tab enters it, the next Tab leaves it.
    now = _tab_until(page, lambda f: f["card"] == second and f["type"] == "radio", limit=5)
    page.keyboard.press("Tab")
    now = _focused(page)
    assert now["card"] == second and now["text"] == "Check", now


def _screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_radio_group_in_the_app(voila_server, page):
    name = _probe(voila_server.root / "notebooks")
    open_app_page(page, voila_server.render_url(name), 1)
    page.locator(".melt-quiz-question").nth(len(SINGLES) - 1).wait_for(timeout=60_000)
    page.wait_for_function("() => document.querySelector('.widget-radio-box[role=radiogroup]')",
                           timeout=30_000)
    _answer_by_keyboard(page, "quiz_radio_app")
    assert page_errors(page) == []


def test_radio_group_in_jupyterlab(lab, page):
    _probe(lab.server.root / "notebooks")
    lab.open(page, f"notebooks/{PROBE}")
    lab.run_all(page)
    page.locator(".melt-quiz-question").nth(len(SINGLES) - 1).wait_for(timeout=60_000)
    page.wait_for_function("() => document.querySelector('.widget-radio-box[role=radiogroup]')",
                           timeout=30_000)
    _answer_by_keyboard(page, "quiz_radio_lab")
    # the arrows moved the choice, not the notebook's active cell (the quiz's cell, the 2nd)
    active = page.evaluate("() => [...document.querySelectorAll('.jp-Notebook .jp-Cell')]"
                           ".findIndex(c => c.classList.contains('jp-mod-active'))")
    assert active == 1, f"the notebook moved to cell {active}"
    assert lab.error_outputs(page) == []
    lab.shut_down(f"notebooks/{PROBE}")
