"""Write each lesson's navigation bars (previous / course map / next) from the course map.

Every lesson notebook starts and ends with a Markdown cell tagged ``lesson-nav`` holding
:func:`melt_course.widgets.text.lesson_nav` for that lesson. They are Markdown cells, not code:
they show before anything has run in JupyterLab (no ``mc`` needed), in the course app, and in
a lesson's handout. Run this after changing ``melt_course/data/course.json`` (a title, the
order, a lesson's status); ``tests/test_lesson_nav.py`` fails when a notebook's bars differ
from what the course map gives.

    PYTHONPATH=$PWD .venv/bin/python scripts/lesson_nav.py          # write the bars
    PYTHONPATH=$PWD .venv/bin/python scripts/lesson_nav.py --check  # exit 1 if out of date
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from melt_course.content.course import load_course
from melt_course.widgets.text import NAV_TAG, lesson_nav

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"


def _source(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _is_nav(cell: dict) -> bool:
    return NAV_TAG in cell.get("metadata", {}).get("tags", [])


def _nav_cell(text: str, place: str, old: dict | None) -> dict:
    return {"cell_type": "markdown",
            "id": (old or {}).get("id") or f"lesson-nav-{place}",
            "metadata": {"tags": [NAV_TAG]},
            "source": _source(text)}


def with_nav(nb: dict, lesson_id: str) -> dict:
    """Notebook ``nb`` (nbformat 4 JSON) with its navigation bars first and last.

    Existing bars (cells tagged ``lesson-nav``) are replaced in place, keeping their cell ids;
    missing ones are added. Other cells are left as they are.
    """
    cells = list(nb["cells"])
    top = cells.pop(0) if cells and _is_nav(cells[0]) else None
    bottom = cells.pop() if cells and _is_nav(cells[-1]) else None
    stray = [i for i, cell in enumerate(cells) if _is_nav(cell)]
    if stray:
        raise ValueError(f"lesson {lesson_id}: cells {stray} are tagged {NAV_TAG!r} but are not "
                         "the first or last cell; remove the tag or the cells")
    return {**nb, "cells": [_nav_cell(lesson_nav(lesson_id, "top"), "top", top), *cells,
                            _nav_cell(lesson_nav(lesson_id, "bottom"), "bottom", bottom)]}


def lessons() -> list[tuple[str, Path]]:
    """(lesson id, notebook path) of every lesson in the course map whose notebook exists."""
    return [(les.id, NOTEBOOKS / les.notebook) for les in load_course()
            if (NOTEBOOKS / les.notebook).is_file()]


def main(argv: list[str] | None = None) -> int:
    """Write (default) or check the navigation bars; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report; exit 1 if stale")
    args = parser.parse_args(argv)
    stale = []
    for lesson_id, path in lessons():
        nb = json.loads(path.read_text(encoding="utf-8"))
        new = with_nav(nb, lesson_id)
        if new == nb:
            continue
        stale.append(path.name)
        if not args.check:
            path.write_text(json.dumps(new, indent=1, ensure_ascii=False) + "\n",
                            encoding="utf-8")
    verb = "out of date" if args.check else "written"
    print(f"navigation bars {verb}: {', '.join(stale)}" if stale
          else "every lesson's navigation bars match the course map")
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
