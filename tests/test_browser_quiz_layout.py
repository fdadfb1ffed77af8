"""Quiz cards in the app (Voila), as a person sees them at a phone, a projector and a desktop size.

At 390x844, 1024x768 and 1920x1080: no two options of a question overlap, no option text is cut
off ("..."), nothing is wider than the screen, and each Check button can be seen and pressed
(nothing lies on top of it). From the keyboard alone a question is answered with Tab, arrow
keys (a single choice's options are one Tab stop), Space and Enter, and after Check the focus
stays on the question (Try again after a wrong answer, back to Check after Try again, on Check
after a right one), with a visible focus ring.

The page is a small notebook served by the real app: the questions with the longest options of
every type, shown as a lesson shows them (``mc.quiz_for``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from app_helpers import (
    ARTIFACTS,
    focused,
    open_quiz_in_app,
    page_errors,
    screenshot,
    tab_until,
    wait_focus_on,
)

from melt_course.content import quiz as Q

pytestmark = pytest.mark.browser

#: The course's one stylesheet (issue 14, the "browser" part): it lets options wrap and gives
#: focused controls a 3 px ring. Until it is in the package, the phone layout and the focus
#: ring cannot pass: those tests are expected to fail (strictly: they must fail), and run as
#: ordinary tests, which must pass, as soon as the stylesheet is there.
STYLESHEET = (Path(__file__).resolve().parent.parent / "melt_course" / "data" / "jupyter" /
              "voila" / "templates" / "melt" / "static" / "custom.css")
needs_stylesheet = pytest.mark.xfail(
    not STYLESHEET.is_file(), strict=True,
    reason="the course stylesheet (options that wrap, focus ring) is not in the package yet")

VIEWPORTS = [pytest.param(390, 844, marks=needs_stylesheet), (1024, 768), (1920, 1080)]


def _longest(qtype: str) -> Q.Question:
    """The question of a type whose longest choice is longest (the hardest to fit)."""
    return max((q for q in Q.load_bank() if q.type == qtype),
               key=lambda q: (max(map(len, q.choices()), default=0), len(q.prompt)))


#: One question of every type, each the longest of its type, plus lesson 0's label question.
QUESTIONS = [_longest("single"), _longest("multiple"), _longest("ordering"),
             Q.get("00-demo-horizontal-angle"), Q.get("00-demo-marked-part")]
NUMERIC = Q.get("00-demo-horizontal-angle")
SINGLE = QUESTIONS[0]


@pytest.fixture
def quiz_page(voila_server, page):
    open_quiz_in_app(voila_server, page, [q.id for q in QUESTIONS], "zz_quiz_layout_probe.ipynb")
    return page


#: What a person sees, measured in the page: per card, the options' boxes, text cut off,
#: elements reaching past the right edge, and whether the Check button is covered.
_MEASURE = """() => {
    const out = {width: window.innerWidth, scrollWidth: document.documentElement.scrollWidth,
                 cards: []};
    for (const card of document.querySelectorAll('.melt-quiz-question')) {
        const id = [...card.classList].find(c => c.startsWith('melt-q-')).slice(7);
        const options = [...card.querySelectorAll(
            '.widget-radio-box > label, .jupyter-widgets.widget-checkbox, .widget-dropdown')];
        // Where each option is drawn: its box and the text it paints, which can spill out of
        // a box of fixed height onto the next option.
        const boxes = options.map(o => {
            const r = o.getBoundingClientRect();
            let t = r;  // a menu draws only its chosen entry, inside its box
            if (o.tagName !== 'SELECT') {
                const range = document.createRange();
                range.selectNodeContents(o);
                t = range.getBoundingClientRect();
            }
            return {text: o.innerText.trim().slice(0, 40), x: Math.min(r.left, t.left),
                    y: Math.min(r.top, t.top), right: Math.max(r.right, t.right),
                    bottom: Math.max(r.bottom, t.bottom)};
        });
        const buttons = [...card.querySelectorAll('.melt-quiz-buttons')].map(b => {
            const r = b.getBoundingClientRect();
            return {text: 'the Check and Try again buttons', x: r.left, y: r.top,
                    right: r.right, bottom: r.bottom};
        });
        const cut = [];
        for (const el of card.querySelectorAll(
                '.widget-radio-box > label, .widget-checkbox .widget-label-basic, ' +
                '.widget-checkbox span, .widget-label, .widget-html-content, button')) {
            const style = getComputedStyle(el);
            const hides = style.overflow !== 'visible' || style.textOverflow === 'ellipsis';
            if (el.innerText.trim() && hides &&
                    (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 2))
                cut.push(el.innerText.trim().slice(0, 60));
        }
        const wide = [...card.querySelectorAll('*')].filter(el => {
            const r = el.getBoundingClientRect();
            return r.width > 0 && r.right > window.innerWidth + 1;
        }).map(el => el.className.toString().slice(0, 60));
        const check = [...card.querySelectorAll('button')].find(b => /Check/.test(b.innerText));
        check.scrollIntoView({block: 'center'});
        const r = check.getBoundingClientRect();
        const hit = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
        out.cards.push({id, boxes: [...boxes, ...buttons], cut, wide, checkCovered: !(hit && check.contains(hit)),
                        checkVisible: r.width > 0 && r.height > 0 && r.right <= window.innerWidth});
    }
    return out;
}"""


def _overlaps(boxes: list[dict]) -> list[tuple[str, str]]:
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            # one pixel of slack: neighbouring boxes may share an edge
            if min(a["right"], b["right"]) - max(a["x"], b["x"]) > 1 and \
                    min(a["bottom"], b["bottom"]) - max(a["y"], b["y"]) > 1:
                found.append((a["text"], b["text"]))
    return found


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_options_fit_and_check_is_never_covered(quiz_page, width, height):
    page = quiz_page
    page.set_viewport_size({"width": width, "height": height})
    page.wait_for_timeout(500)  # let ipywidgets re-lay out the radio rows
    seen = page.evaluate(_MEASURE)
    screenshot(page, f"quiz_layout_{width}x{height}")
    for n, question in enumerate(QUESTIONS):  # each card on its own, to look at
        page.locator(f".melt-q-{question.id}").screenshot(
            path=str(ARTIFACTS / f"quiz_layout_{width}x{height}_{n}_{question.type}.png"))
    assert page_errors(page) == []
    assert [c["id"] for c in seen["cards"]] == [q.id for q in QUESTIONS]
    assert seen["scrollWidth"] <= width, f"the page is {seen['scrollWidth']} px wide at {width}"
    for card in seen["cards"]:
        assert len(card["boxes"]) >= 1, card["id"]
        assert _overlaps(card["boxes"]) == [], f"{card['id']}: options overlap at {width} px"
        assert card["cut"] == [], f"{card['id']}: text cut off at {width} px: {card['cut']}"
        assert card["wide"] == [], f"{card['id']}: wider than the screen: {card['wide']}"
        assert card["checkVisible"] and not card["checkCovered"], \
            f"{card['id']}: the Check button is covered or off screen at {width} px"


@needs_stylesheet
def test_a_question_is_answered_from_the_keyboard_and_focus_stays_on_it(quiz_page):
    page = quiz_page
    page.set_viewport_size({"width": 390, "height": 844})
    card_class = f"melt-q-{SINGLE.id}"
    card = page.locator(f".{card_class}")
    labels = [t.strip() for t in card.locator(".widget-radio-box > label").all_inner_texts()]
    right = labels.index(SINGLE.options[SINGLE.answer].text)
    wrong = (right + 1) % len(labels)

    # Keyboard only, from the top of the page: Tab into the question's options.
    page.locator("body").click(position={"x": 1, "y": 1})
    tab_until(page, lambda f: f["card"] == card_class and f["type"] == "radio")
    for _ in range(wrong):  # the options are one radio group: the arrow keys choose
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")  # picks the focused option (needed when it is the first)
    check = tab_until(page, lambda f: f["card"] == card_class and f["text"].strip() == "Check")
    assert check["outlineStyle"] != "none" and check["outline"] >= 2, \
        f"the focused Check button shows no clear focus ring: {check}"
    screenshot(page, "quiz_keyboard_check_focused")
    page.keyboard.press("Enter")
    card.locator(".melt-quiz-feedback").get_by_text("Not quite.").wait_for(timeout=30_000)
    # Focus stays on the question: on Try again, not the page.
    now = wait_focus_on(page, card_class, "Try again")
    assert now["tag"] == "BUTTON"
    screenshot(page, "quiz_keyboard_after_wrong")
    page.keyboard.press("Enter")  # Try again
    wait_focus_on(page, card_class, "Check")
    # Back to the options with Shift+Tab (one stop: the chosen option), arrows to the right one.
    page.keyboard.press("Shift+Tab")
    assert focused(page)["type"] == "radio"
    key = "ArrowDown" if right > wrong else "ArrowUp"
    for _ in range(abs(right - wrong)):
        page.keyboard.press(key)
    tab_until(page, lambda f: f["card"] == card_class and f["text"].strip() == "Check")
    page.keyboard.press("Enter")
    card.locator(".melt-quiz-feedback").get_by_text("Right.").wait_for(timeout=30_000)
    now = wait_focus_on(page, card_class, "Checked")
    assert now["tag"] == "BUTTON" and now["card"] == card_class
    screenshot(page, "quiz_keyboard_after_right")

    # The number box: typed with a decimal comma, checked with Enter on Check.
    numeric_class = f"melt-q-{NUMERIC.id}"
    tab_until(page, lambda f: f["card"] == numeric_class and f["tag"] == "INPUT")
    page.keyboard.type("89,5")
    tab_until(page, lambda f: f["card"] == numeric_class and f["text"].strip() == "Check")
    page.keyboard.press("Enter")
    feedback = page.locator(f".{numeric_class} .melt-quiz-feedback")
    feedback.get_by_text("Right.").wait_for(timeout=30_000)
    assert "read as 89.5 degrees" in feedback.inner_text()
    assert page_errors(page) == []
