"""Store the first frame of every diagram the lessons show, as package data.

Each lesson notebook's code cells are one-line calls on ``melt_course.notebook``. This script
evaluates them in-process (with an empty, temporary progress store, so nothing depends on a
learner), finds every diagram's picture (:class:`~melt_course.widgets.diagram.Picture`, each
with a frame key derived from its starting state), draws it with matplotlib and writes
``melt_course/data/frames/<key>.png``, with its smallest text size recorded in the file (the
picture's ``data-min-font-px`` without matplotlib). A diagram with a narrow layout for phones
(``Drawing.narrow``) gets that layout's first frame too. Run it
after changing drawing code, a lesson's calls or a widget's starting state:

    PYTHONPATH=$PWD .venv/bin/python scripts/make_frames.py

``tests/test_frames.py`` renders every view again in memory and fails when a stored frame is
stale, missing, or no longer used.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import ipywidgets as W
import numpy as np
from PIL import Image

from melt_course.figures.frames import smallest_text_px, with_smallest_text
from melt_course.widgets.diagram import Picture

ROOT = Path(__file__).resolve().parent.parent
FRAME_DIR = ROOT / "melt_course" / "data" / "frames"


def _code_cells(notebook: Path) -> list[str]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


def _views(widget) -> Iterator:
    if hasattr(widget, "live_png") and hasattr(widget, "frame"):
        yield widget
    if isinstance(widget, W.Box):
        for child in widget.children:
            yield from _views(child)


def lesson_views(notebooks: list[Path] | None = None) -> dict[str, object]:
    """Every diagram view with a frame key that the lessons display, by key.

    Runs each notebook's code cells in this process with an empty temporary progress store
    (the variable ``MELT_COURSE_PROGRESS`` is restored afterwards).

    Parameters
    ----------
    notebooks : list of Path, optional
        Default: every ``notebooks/NN_*.ipynb``.
    """
    paths = notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    before = os.environ.get("MELT_COURSE_PROGRESS")
    views: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["MELT_COURSE_PROGRESS"] = tmp
        try:
            from melt_course import notebook as mc

            for path in paths:
                for source in _code_cells(path):
                    if source.lstrip().startswith(("import ", "from ")):
                        continue
                    shown = eval(source, {"mc": mc})
                    for view in _views(shown):
                        if view.frame is not None:
                            views.setdefault(view.frame, view)
                        narrow = view.wide.narrow
                        if narrow is not None and narrow.frame(view._state()) not in views:
                            twin = Picture(narrow, view._state)
                            views[twin.frame] = twin
        finally:
            if before is None:
                os.environ.pop("MELT_COURSE_PROGRESS", None)
            else:
                os.environ["MELT_COURSE_PROGRESS"] = before
    return views


def _compact(png: bytes, text_px: float | None) -> bytes:
    """The same pixels, compressed harder (stored once, sent to every learner's browser),
    with the smallest text size recorded."""
    buf = io.BytesIO()
    Image.open(io.BytesIO(png)).save(buf, format="PNG", optimize=True)
    return buf.getvalue() if text_px is None else with_smallest_text(buf.getvalue(), text_px)


def write_frame(path: Path, data: bytes) -> bool:
    """Write the frame ``data`` to ``path``, unless the file there already holds the same
    picture: the same pixels and the same recorded smallest text size (compressing again may
    give other bytes for the same pixels, and a stored frame should change only when its
    picture does).

    Returns
    -------
    bool
        Whether the file was written.
    """
    if path.exists():
        old = path.read_bytes()
        if old == data or (smallest_text_px(old) == smallest_text_px(data)
                           and np.array_equal(_rgba(old), _rgba(data))):
            return False
    path.write_bytes(data)
    return True


def _rgba(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGBA"))


def main(argv: list[str] | None = None) -> int:
    """Write every lesson diagram's first frame; remove frames no lesson uses."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    views = lesson_views()
    FRAME_DIR.mkdir(parents=True, exist_ok=True)
    for key, view in sorted(views.items()):
        png = view.live_png()
        if write_frame(FRAME_DIR / f"{key}.png", _compact(png, view.text_px)):
            print(f"wrote melt_course/data/frames/{key}.png")
    for stale in FRAME_DIR.glob("*.png"):
        if stale.stem not in views:
            stale.unlink()
            print(f"removed melt_course/data/frames/{stale.name} (no lesson shows it)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
