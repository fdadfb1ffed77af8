"""A single-choice question's options are one radio group, from the keyboard alone, in the app
(Voilà) and in JupyterLab: one Tab stop for the group, the arrow keys move the choice, Tab leaves
the group for Check, Space or Enter on Check checks what the arrows chose (the kernel got it),
and the focus stays on the question. The group is named by the question's prompt.

The page is a small notebook showing two single-choice questions the way a lesson does
(``mc.quiz_for``), with nothing saved (``store=None``).
"""

from __future__ import annotations

import pytest
from app_helpers import (
    focused,
    open_quiz_in_app,
    page_errors,
    quiz_notebook,
    screenshot,
    tab_until,
    wait_focus_on,
    wait_for_questions,
)

from melt_course.content import quiz as Q

pytestmark = pytest.mark.browser

SINGLES = [q for q in Q.load_bank() if q.type == "single"][:2]
PROBE = "zz_quiz_radio_probe.ipynb"


def _wait_for_radio_groups(page) -> None:
    wait_for_questions(page, len(SINGLES))
    page.wait_for_function("() => document.querySelector('.widget-radio-box[role=radiogroup]')",
                           timeout=30_000)


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
    now = tab_until(page, lambda f: f["card"] == first and f["type"] == "radio", limit=40)
    assert now["option"] == labels[0] and not now["checked"], now
    for _ in range(wrong):
        page.keyboard.press("ArrowDown")
    now = focused(page)
    assert now["option"] == labels[wrong] and now["checked"], now
    page.keyboard.press("Tab")  # one Tab leaves the group: straight to Check
    now = focused(page)
    assert now["card"] == first and now["text"] == "Check", f"Tab stayed in the group: {now}"
    page.keyboard.press("Space")
    feedback = card.locator(".melt-quiz-feedback")
    feedback.get_by_text("Not quite.").wait_for(timeout=30_000)
    # the kernel graded the option the arrows chose: its own feedback is shown
    chosen = next(o for o in q.options if o.text == labels[wrong])
    assert chosen.feedback and chosen.feedback in feedback.inner_text()
    wait_focus_on(page, first, "Try again")
    screenshot(page, f"{shot}_after_wrong")
    page.keyboard.press("Enter")  # Try again
    wait_focus_on(page, first, "Check")
    page.keyboard.press("Shift+Tab")  # back into the group, at the chosen option
    now = focused(page)
    assert now["card"] == first and now["option"] == labels[wrong] and now["checked"], now
    key, steps = ("ArrowDown", right - wrong) if right > wrong else ("ArrowUp", wrong - right)
    for _ in range(steps):
        page.keyboard.press(key)
    now = focused(page)
    assert now["option"] == labels[right] and now["checked"], now
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    feedback.get_by_text("Right.").wait_for(timeout=30_000)
    now = wait_focus_on(page, first, "Checked")
    assert now["tag"] == "BUTTON"
    screenshot(page, f"{shot}_after_right")

    # The next question's group is one stop too: Tab enters it, the next Tab leaves it.
    now = tab_until(page, lambda f: f["card"] == second and f["type"] == "radio", limit=5)
    page.keyboard.press("Tab")
    now = focused(page)
    assert now["card"] == second and now["text"] == "Check", now


def test_radio_group_in_the_app(voila_server, page):
    open_quiz_in_app(voila_server, page, [q.id for q in SINGLES], PROBE)
    _wait_for_radio_groups(page)
    _answer_by_keyboard(page, "quiz_radio_app")
    assert page_errors(page) == []


def test_radio_group_in_jupyterlab(lab, page):
    quiz_notebook(lab.server.root / "notebooks", [q.id for q in SINGLES], PROBE)
    lab.open(page, f"notebooks/{PROBE}")
    lab.run_all(page)
    _wait_for_radio_groups(page)
    _answer_by_keyboard(page, "quiz_radio_lab")
    # the arrows moved the choice, not the notebook's active cell (the quiz's cell, the 2nd)
    active = page.evaluate("() => [...document.querySelectorAll('.jp-Notebook .jp-Cell')]"
                           ".findIndex(c => c.classList.contains('jp-mod-active'))")
    assert active == 1, f"the notebook moved to cell {active}"
    assert lab.error_outputs(page) == []
    lab.shut_down(f"notebooks/{PROBE}")
