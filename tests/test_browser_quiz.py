"""The quiz and the review in a real browser: a right answer, a wrong one, and its return.

Uses the shared JupyterLab fixtures of tests/conftest.py; the server's kernels write progress
to the session's temporary MELT_COURSE_PROGRESS folder, never to the user's own.
"""

import json
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from melt_course.content import quiz as Q

pytestmark = pytest.mark.browser

RIGHT = Q.get("06-missed-goes-to-box-1")
WRONG = Q.get("06-green-part-of-bar")


def _card(page, question):
    return page.locator(f".melt-q-{question.id}").last


def _close_discarding(lab, page, name):
    """Close a notebook tab without saving and wait until JupyterLab's saved workspace no
    longer lists it, so the next browser test does not find it reopened."""
    tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text=name)
    if tab.count():
        tab.first.locator(".lm-TabBar-tabCloseIcon").click()
        discard = page.get_by_role("button", name="Discard")
        try:  # JupyterLab asks only when the notebook has unsaved changes
            discard.wait_for(timeout=10_000)
            discard.click()
        except PlaywrightTimeout:
            pass
        tab.first.wait_for(state="detached", timeout=30_000)
    url = f"{lab.server.url}/lab/api/workspaces/default?token={lab.server.token}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with urllib.request.urlopen(url, timeout=10) as resp:
            data = json.loads(resp.read().decode("utf-8")).get("data", {})
        restored = [key for key in data if key.startswith("notebook:") and name in key]
        main = json.dumps(data.get("layout-restorer:data", {}).get("main", {}))
        if not restored and name not in main:
            return
        time.sleep(0.5)
    raise AssertionError(f"JupyterLab's workspace still lists {name!r}")


@pytest.fixture
def review_page(lab, page):
    """The lesson 6 notebook, run; closed again afterwards."""
    lab.open(page, "notebooks/06_review.ipynb", timeout=180_000)  # waits for the connection
    yield page
    _close_discarding(lab, page, "06_review.ipynb")
    lab.shut_down("06_review.ipynb")


def test_answer_right_then_wrong_and_the_miss_comes_back(lab, review_page, course_env):
    page = review_page
    try:
        lab.run_all(page)
    except Exception:
        lab.screenshot(page, "FAILED-quiz-run-all")  # before the fixture closes the notebook
        raise
    assert lab.error_outputs(page) == []

    # Right: click the correct option (by its text, wherever the shuffle put it), then Check.
    card = _card(page, RIGHT)
    card.scroll_into_view_if_needed()
    card.get_by_text(RIGHT.options[RIGHT.answer].text, exact=True).click()
    card.get_by_role("button", name="Check").click()
    feedback = card.locator(".melt-quiz-feedback")
    feedback.get_by_text("Right.").wait_for(timeout=30_000)
    assert RIGHT.explanation in feedback.inner_text()
    assert card.get_by_role("button", name="Try again").is_disabled()

    # Wrong, from the keyboard: focus a radio, arrow to a wrong option, Tab to Check, Enter.
    card = _card(page, WRONG)
    card.scroll_into_view_if_needed()
    wrong_text = WRONG.options[(WRONG.answer + 1) % len(WRONG.options)].text
    card.get_by_label(wrong_text, exact=True).focus()
    page.keyboard.press("Space")
    card.get_by_role("button", name="Check").focus()
    page.keyboard.press("Enter")
    feedback = card.locator(".melt-quiz-feedback")
    feedback.get_by_text("Not quite.").wait_for(timeout=30_000)
    assert WRONG.options[(WRONG.answer + 1) % len(WRONG.options)].feedback in \
        feedback.inner_text()
    assert WRONG.explanation not in feedback.inner_text()  # no answer given away
    retry = card.get_by_role("button", name="Try again")
    # The button's state is a widget update of its own, after the feedback's: wait for it.
    expect(retry).to_be_enabled(timeout=30_000)
    score = page.locator(".melt-quiz-score").last
    assert "1 of 9 right" in score.inner_text() and "2 answered" in score.inner_text()
    lab.screenshot(page, "quiz_right_then_wrong")

    # Both answers are in the learner's progress file (the test session's folder).
    progress = Path(course_env["MELT_COURSE_PROGRESS"]) / "progress.json"
    records = json.loads(progress.read_text(encoding="utf-8"))["records"]
    assert [(r["data"]["question"], r["data"]["correct"]) for r in records[-2:]] == [
        (RIGHT.id, True), (WRONG.id, False)]

    # The review brings the miss back, and the chart description counts it as learning.
    review = page.locator(".jupyter-widgets").filter(
        has=page.get_by_role("button", name="Review what is due")).last
    review.get_by_role("button", name="Review what is due").click()
    page.locator(f".melt-q-{WRONG.id}").nth(1).wait_for(timeout=30_000)
    round_card = page.locator(f".melt-q-{WRONG.id}").first
    assert page.locator(f".melt-q-{RIGHT.id}").count() == 1  # the right one is not due yet
    page.wait_for_function(
        "() => [...document.querySelectorAll('.melt-description')].some(d => d.innerText"
        ".includes('(Review and progress): 0 of 9 questions mastered (0%), 2 still learning'))",
        timeout=30_000)
    round_card.scroll_into_view_if_needed()
    lab.screenshot(page, "review_round_with_the_miss")
