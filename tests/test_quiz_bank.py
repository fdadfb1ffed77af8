"""The question bank as a learner meets it: questions that test, not give away.

- the keyed option is not a tell: it is the longest option in at most 40% of the
  single-choice questions;
- no card shows the answer before a check (the evidence label of a "which label?" question),
  on screen or on the printed worksheet;
- every "Look again at:" pointer names a heading that is in the question's lesson notebook;
- feedback never restates the verdict the card already gives ("Right. • Right: ...").
"""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest

from melt_course.content import quiz as Q
from melt_course.content.course import load_course
from melt_course.content.evidence import load_labels

ROOT = Path(__file__).resolve().parent.parent

#: At most this share of single-choice questions may have the keyed option as the longest.
LONGEST_SHARE = 0.40


def keyed_is_longest(question: Q.Question) -> bool:
    """Whether the right option is strictly longer than every other option."""
    lengths = [len(opt.text) for opt in question.options]
    right = lengths[question.answer]
    return all(right > n for i, n in enumerate(lengths) if i != question.answer)


def longest_share(bank) -> tuple[float, list[str]]:
    """The share of single-choice questions whose keyed option is the longest, and their ids."""
    single = [q for q in bank if q.type == "single"]
    longest = [q.id for q in single if keyed_is_longest(q)]
    return len(longest) / len(single), longest


def test_the_keyed_option_is_rarely_the_longest():
    share, longest = longest_share(Q.load_bank())
    assert share <= LONGEST_SHARE, (
        f"the right option is the longest in {share:.0%} of single-choice questions "
        f"(at most {LONGEST_SHARE:.0%} allowed): {longest}")


def test_the_longest_rule_counts_what_a_learner_would_notice():
    def single(texts, answer):
        return Q.question_from_entry({
            "id": "00-x", "type": "single", "objective": 1, "prompt": "Which one?",
            "options": [{"text": t, "feedback": "f"} for t in texts], "answer": answer,
            "explanation": "e", "section": "s", "label": "anatomy", "refs": ["gray1918"]},
            "00", "test")

    tell = single(["a much longer right answer", "short", "tiny"], 0)
    tie = single(["same length", "also length"], 0)
    assert keyed_is_longest(tell) and not keyed_is_longest(tie)
    assert longest_share([tell, tell, tie])[0] == pytest.approx(2 / 3)


def _words(text: str, word: str) -> int:
    return len(re.findall(rf"(?<![\w-]){re.escape(word.lower())}(?![\w-])", text.lower()))


def _text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


def test_no_card_shows_an_evidence_label_before_the_check():
    """A card (on screen and as a printed worksheet) names an evidence label only where the
    prompt or the choices do: the header never carries the question's label, which for
    "which label does this claim carry?" questions is the answer."""
    from melt_course.widgets.quiz import QuizWidget
    from melt_course.widgets.static import static_html

    labels = list(load_labels())
    for lesson in sorted({q.lesson for q in Q.load_bank()}):
        quiz = QuizWidget(Q.by_lesson(lesson), store=None, shuffle=False)
        for card in quiz.cards:
            q = card.question
            for shown_as, text, asked in (
                    ("card header", _text(card.header.value), q.prompt),
                    ("worksheet", _text(static_html(card)), " ".join([q.prompt, *q.choices()]))):
                for label in labels:
                    assert _words(text, label) == _words(asked, label), (
                        f"{q.id}: the {shown_as} names the label {label!r} more often than "
                        f"the question and its choices do")


def _headings(notebook: Path) -> set[str]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return {line.lstrip("#").strip()
            for cell in cells if cell["cell_type"] == "markdown"
            for line in "".join(cell["source"]).splitlines() if line.startswith("#")}


def test_every_look_again_pointer_names_a_heading_of_its_lesson():
    lessons = {les.id: les for les in load_course()}
    missing = []
    for q in Q.load_bank():
        notebook = ROOT / "notebooks" / lessons[q.lesson].notebook
        if q.section not in _headings(notebook):
            missing.append(f"{q.id}: {q.section!r} is not a heading of {notebook.name}")
    assert not missing, "\n".join(missing)


_VERDICT = re.compile(r"^(right|correct|yes|no|wrong|incorrect|not quite|not that one|"
                      r"not this one|exactly)\s*[:.!,;—-]", re.IGNORECASE)


def test_feedback_never_restates_the_verdict():
    """The card says "✔ Right." or "✘ Not quite." once; the feedback under it goes on from
    there instead of saying it again."""
    said_twice = [f"{q.id}: {text[:50]!r}" for q in Q.load_bank()
                  for text in [*(o.feedback for o in q.options), *(t for _, t in q.feedback)]
                  if _VERDICT.match(text)]
    assert not said_twice, "\n".join(said_twice)
