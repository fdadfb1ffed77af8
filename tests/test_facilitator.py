"""The facilitator kit: generated from the data, committed up to date, every lesson covered,
agendas that add up, notes validated."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from melt_course.content.course import load_course
from melt_course.content.loader import DataError, validate
from melt_course.teaching import facilitator_kit as F
from melt_course.teaching.agenda import build_agenda

ROOT = Path(__file__).resolve().parent.parent
KIT = ROOT / "docs" / "facilitator"


def test_committed_kit_is_what_the_generator_writes():
    pages = F.kit_pages()
    stale = [name for name, text in pages.items()
             if not (KIT / name).is_file() or (KIT / name).read_text(encoding="utf-8") != text]
    extra = sorted(p.name for p in KIT.glob("*.md") if p.name not in pages)
    assert stale == [] and extra == [], (
        f"docs/facilitator is out of date (stale: {stale}, extra: {extra}); regenerate with "
        "`melt-course facilitator-kit --out docs/facilitator`")


def test_every_lesson_has_a_page_with_its_goals_and_timings():
    pages = F.kit_pages()
    agendas = [build_agenda(slot) for slot in F.DEFAULT_SLOTS]
    for lesson in load_course():
        page = pages[f"lesson_{lesson.id}.md"]
        for n, objective in enumerate(lesson.objectives, 1):
            assert f"{n}. {objective}" in page
        assert f"Self-study: about {lesson.minutes} minutes." in page
        for agenda in agendas:
            minutes = agenda.lesson_minutes()[lesson.id]
            assert f"{agenda.slot}-minute workshop: {minutes} minutes" in page
        assert f"[{lesson.id}. {lesson.title}](lesson_{lesson.id}.md)" in pages["README.md"]


def _table_minutes(page: str) -> list[int]:
    return [int(m) for m in re.findall(r"^\| \d+:\d\d–\d+:\d\d \| (\d+) \|", page, re.M)]


@pytest.mark.parametrize("slot", F.DEFAULT_SLOTS)
def test_agenda_pages_add_up_to_their_slot(slot):
    page = F.kit_pages()[f"agenda_{slot}.md"]
    minutes = _table_minutes(page)
    assert sum(minutes) == slot and len(minutes) == len(build_agenda(slot).blocks)
    assert f"**Total: {slot} minutes.**" in page
    times = re.findall(r"^\| (\d+):(\d\d)–(\d+):(\d\d) \|", page, re.M)
    assert int(times[-1][2]) * 60 + int(times[-1][3]) == slot


def test_every_notes_file_is_valid_and_names_a_course_lesson():
    notes = F.load_notes()
    assert "00" in notes  # the start lesson, on main from the beginning, has real notes
    lessons = {les.id for les in load_course()}
    for lesson_id, entry in notes.items():
        assert lesson_id in lessons
        assert entry.demonstrate and entry.common_questions and entry.struggles


def test_a_lesson_without_notes_says_so(monkeypatch):
    lesson = load_course()[0]
    page = F.lesson_page(lesson, None, [build_agenda(60)])
    assert "not written yet" in page and f"lesson_{lesson.id}.json" in page
    assert "## Goals" in page and "## Timing" in page


def test_malformed_notes_are_refused():
    good = {"lesson": "00", "in_a_workshop": "x" * 30, "demonstrate": ["show the slider"],
            "common_questions": [{"question": "Why so?", "answer": "Because it is so."}],
            "struggles": [{"where": "Login page", "what_helps": "Type the token."}]}
    validate(good, "facilitator", "test")
    for bad in ({**good, "demonstrate": []},
                {**good, "lesson": "0"},
                {**good, "common_questions": [{"question": "Why so?"}]},
                {**good, "extra": 1}):
        with pytest.raises(DataError):
            validate(bad, "facilitator", "test")


def test_command_writes_a_kit_for_another_slot(tmp_path):
    result = subprocess.run([sys.executable, "-m", "melt_course", "facilitator-kit", "--out",
                             str(tmp_path), "--slot", "120"], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "agenda_120.md").read_text(encoding="utf-8")
    assert sum(_table_minutes(page)) == 120
    assert "120-minute workshop" in (tmp_path / "lesson_00.md").read_text(encoding="utf-8")


def test_command_refuses_a_slot_too_short(tmp_path):
    result = subprocess.run([sys.executable, "-m", "melt_course", "facilitator-kit", "--out",
                             str(tmp_path), "--slot", "20"], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 2 and "slot=20 minutes is too short" in result.stderr
