"""Lesson navigation and text that fits where it is read (issue 14).

Each lesson starts and ends with a navigation bar written from the course map
(scripts/lesson_nav.py); every link between lessons points at an available lesson's notebook;
instructions about running cells are in cells tagged ``lab-only`` (not shown in the app, left
out of handouts); a widget's stored text tells a learner to run the cells.
"""

from __future__ import annotations

import importlib.util
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from melt_course.content import course
from melt_course.content.course import NAV_TAG, load_course
from melt_course.content.page import LAB_ONLY_TAG
from melt_course.widgets.base import WIDGET_REPR_HEAD
from melt_course.widgets.text import COURSE_MAP_ANCHOR, course_map, lesson_nav

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"


def _load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


nav_script = _load_script("lesson_nav")

#: Instructions that only make sense where a learner runs cells (JupyterLab).
LAB_INSTRUCTION = re.compile(
    r"Shift\s*\+\s*Enter|Kernel\s*(→|->|>|menu)|\brun (the|this|a|each)( notebook| code)? "
    r"cells?\b|Run All Cells|\bthe cell (below|above)\b|\b(end of|to) this notebook\b",
    re.IGNORECASE)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href, self._text = dict(attrs).get("href"), ""

    def handle_data(self, data):
        if self._href is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join(self._text.split())))
            self._href = None


def _links(html: str) -> list[tuple[str, str]]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def _markdown_links(text: str) -> list[str]:
    return re.findall(r"\]\(([^)\s]+)\)", text) + re.findall(r'href="([^"]+)"', text)


def _cells(notebook: str) -> list[dict]:
    return json.loads((NOTEBOOKS / notebook).read_text(encoding="utf-8"))["cells"]


def _tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _heading_id(heading: str) -> str:
    """The id JupyterLab (and Voila) give a Markdown heading: its text, spaces as hyphens."""
    return heading.strip().replace(" ", "-")


LESSONS = [les for les in load_course() if (NOTEBOOKS / les.notebook).is_file()]


# --------------------------------------------------------------------------- navigation bars


@pytest.mark.parametrize("les", LESSONS, ids=lambda les: les.id)
def test_each_lesson_starts_and_ends_with_its_navigation_bar(les):
    cells = _cells(les.notebook)
    first, last = cells[0], cells[-1]
    assert NAV_TAG in _tags(first) and NAV_TAG in _tags(last)
    assert "".join(first["source"]) == lesson_nav(les.id, "top")
    assert "".join(last["source"]) == lesson_nav(les.id, "bottom")
    assert not [i for i, c in enumerate(cells[1:-1], 1) if NAV_TAG in _tags(c)]


@pytest.mark.parametrize("les", LESSONS, ids=lambda les: les.id)
def test_navigation_links_follow_the_course_map(les):
    lessons = list(load_course())
    index = lessons.index(les)
    links = {text.split(":")[0]: href for href, text in _links(lesson_nav(les.id))}
    assert links["Course map"] == f"{lessons[0].notebook}#{COURSE_MAP_ANCHOR}"
    if index > 0:
        assert links["← Previous"] == lessons[index - 1].notebook
    else:
        assert not any(key.endswith("Previous") for key in links)
    if index + 1 < len(lessons):
        assert links["Next"] == lessons[index + 1].notebook
    else:
        assert "Next" not in links and "last lesson" in lesson_nav(les.id)
    for href in links.values():
        assert (NOTEBOOKS / href.split("#")[0]).is_file(), href


def test_script_check_passes_and_a_stale_bar_is_found(tmp_path, monkeypatch, capsys):
    assert nav_script.main(["--check"]) == 0
    copy = tmp_path / "notebooks"
    copy.mkdir()
    for les in LESSONS:
        (copy / les.notebook).write_text((NOTEBOOKS / les.notebook).read_text(encoding="utf-8"),
                                         encoding="utf-8")
    nb = json.loads((copy / LESSONS[1].notebook).read_text(encoding="utf-8"))
    nb["cells"][0]["source"] = ["<nav>old</nav>"]
    (copy / LESSONS[1].notebook).write_text(json.dumps(nb), encoding="utf-8")
    monkeypatch.setattr(nav_script, "NOTEBOOKS", copy)
    assert nav_script.main(["--check"]) == 1
    assert LESSONS[1].notebook in capsys.readouterr().out
    assert nav_script.main([]) == 0  # rewrites it
    assert nav_script.main(["--check"]) == 0


def test_a_lesson_in_preparation_is_named_without_a_link(monkeypatch):
    lessons = list(load_course())
    lessons[2] = course.Lesson(**{**lessons[2].__dict__, "status": "in preparation"})
    monkeypatch.setattr(course, "load_course", lambda: tuple(lessons))
    import melt_course.widgets.text as text

    monkeypatch.setattr(text, "load_course", lambda: tuple(lessons))
    bar = lesson_nav(lessons[1].id)
    assert lessons[2].notebook not in bar
    assert f"Next: {lessons[2].id}. {lessons[2].title} (in preparation)" in bar
    assert lessons[2].notebook not in lesson_nav(lessons[3].id)
    shown = course_map().markdown
    assert f"]({lessons[2].notebook})" not in shown and "*(in preparation)*" in shown
    assert f"]({lessons[1].notebook})" in shown


def test_unknown_lesson_or_place_is_refused():
    with pytest.raises(KeyError, match="'99'"):
        lesson_nav("99")
    with pytest.raises(ValueError, match="'middle'"):
        lesson_nav("01", "middle")


def test_course_map_links_every_available_lesson():
    links = _markdown_links(course_map().markdown)
    assert links == [les.notebook for les in load_course() if les.available]


@pytest.mark.parametrize("les", LESSONS, ids=lambda les: les.id)
def test_every_lesson_link_in_a_lesson_points_at_an_available_lesson(les):
    """Prose, bars and stored outputs: a relative link to a notebook names a lesson that is
    available and exists; a fragment names a heading of that notebook."""
    available = {other.notebook for other in load_course() if other.available}
    for cell in _cells(les.notebook):
        texts = ["".join(cell["source"])] if cell["cell_type"] == "markdown" else [
            "".join(out.get("data", {}).get("text/markdown", ""))
            for out in cell.get("outputs", [])]
        for text in texts:
            for href in _markdown_links(text):
                if href.startswith(("http://", "https://", "#", "mailto:")):
                    continue
                target, _, fragment = href.partition("#")
                assert target in available, f"{les.notebook}: link to {href!r}"
                if fragment:
                    headings = [_heading_id(line.lstrip("#"))
                                for c in _cells(target) if c["cell_type"] == "markdown"
                                for line in "".join(c["source"]).splitlines()
                                if line.startswith("#")]
                    assert fragment in headings, f"{les.notebook}: {href!r} names no heading"


# --------------------------------------------------------------------------- lab-only text


@pytest.mark.parametrize("les", LESSONS, ids=lambda les: les.id)
def test_instructions_about_running_cells_are_lab_only(les):
    found = [(i, m.group(0)) for i, cell in enumerate(_cells(les.notebook))
             if cell["cell_type"] == "markdown" and LAB_ONLY_TAG not in _tags(cell)
             for m in LAB_INSTRUCTION.finditer("".join(cell["source"]))]
    assert not found, f"{les.notebook}: untagged run-the-cell instructions {found}"


@pytest.mark.parametrize("les", LESSONS, ids=lambda les: les.id)
def test_setup_heading_is_lab_only_and_only_prose_is(les):
    cells = _cells(les.notebook)
    setup = [c for c in cells if "".join(c["source"]).startswith("## Setup")]
    assert setup and all(LAB_ONLY_TAG in _tags(c) for c in setup)
    # A code cell is never lab-only: the app must still run it (the setup cell imports mc).
    assert not [c for c in cells if c["cell_type"] == "code" and LAB_ONLY_TAG in _tags(c)]


def _texts(value, skip=("id", "section", "figure", "type", "label", "refs", "lesson")):
    """Every string a learner reads in a quiz file (not ids, sections or figure names)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item, skip)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in skip:
                yield from _texts(item, skip)


def test_objectives_and_quiz_questions_make_sense_in_the_app_and_in_lab():
    """The course map, a lesson's overview and its quiz are read in the app too, where there
    are no cells: they may not ask the learner to run one (issue 14: lesson 0's first
    objective was "Run a notebook cell and move a widget")."""
    found = [(les.id, objective) for les in load_course() for objective in les.objectives
             if LAB_INSTRUCTION.search(objective)]
    quizzes = sorted((ROOT / "melt_course" / "data" / "quizzes").glob("*.json"))
    assert quizzes
    for path in quizzes:
        found += [(path.name, text) for text in _texts(json.loads(path.read_text("utf-8")))
                  if LAB_INSTRUCTION.search(text)]
    assert not found, f"instructions about cells where there are none: {found}"


def test_instruction_pattern_finds_what_it_is_for():
    for text in ("press **Shift + Enter**", "use **Kernel → Restart Kernel**",
                 "Run the cell below", "choose Run → Run All Cells", "The cell below runs",
                 "Run a notebook cell and move a widget.",
                 "By the end of this notebook you can:", "come back to this notebook"):
        assert LAB_INSTRUCTION.search(text), text
    assert not LAB_INSTRUCTION.search("Press **Check** and use the arrow keys")


# --------------------------------------------------------------------------- first open in Lab


def test_a_widget_not_yet_run_says_to_run_the_cells():
    assert WIDGET_REPR_HEAD.startswith("interactive widget: run the cells")
    assert "Run All Cells" in WIDGET_REPR_HEAD
    stored = [text for les in LESSONS for cell in _cells(les.notebook)
              if cell["cell_type"] == "code" for out in cell.get("outputs", [])
              for text in ["".join(out.get("data", {}).get("text/plain", ""))]
              if "interactive widget" in text]
    assert stored, "no stored widget outputs found"
    for text in stored:
        assert text.startswith(f"<{WIDGET_REPR_HEAD}: "), text  # titles may be cut (…)
        assert "cannot" not in text and "open in JupyterLab" not in text
