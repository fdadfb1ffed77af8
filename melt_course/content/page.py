"""What every page of a lesson shares: the course's one stylesheet and the "lab-only" tag.

Pure Python: no widgets, no browser.

The stylesheet lives in the app's Voilà template, ``data/jupyter/voila/templates/melt/static/
custom.css``, which links it; :mod:`melt_course.widgets.stylesheet` puts the same text on every
other page that shows a course widget (JupyterLab, a hub, Binder).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

__all__ = ["LAB_ONLY_TAG", "STYLESHEET_PARTS", "course_stylesheet", "is_lab_only"]

#: Cell tag of a notebook cell that only makes sense where cells are run (JupyterLab): "Run
#: the cell below (Shift + Enter)". The app (template ``melt``) and the printed handouts
#: (``melt-course export-html``) leave such cells out.
LAB_ONLY_TAG = "lab-only"

#: Where the stylesheet is, below the package folder.
STYLESHEET_PARTS = ("data", "jupyter", "voila", "templates", "melt", "static", "custom.css")


@cache
def course_stylesheet() -> str:
    """The text of the course stylesheet.

    Raises
    ------
    FileNotFoundError
        When the package was installed without its data files.
    """
    path = resources.files("melt_course").joinpath(*STYLESHEET_PARTS)
    if not path.is_file():
        raise FileNotFoundError(f"the course stylesheet {'/'.join(STYLESHEET_PARTS)!r} is "
                                "missing from the melt_course package: reinstall the course")
    return path.read_text(encoding="utf-8")


def is_lab_only(cell: dict) -> bool:
    """Whether a notebook cell (a dict or ``nbformat`` node) carries :data:`LAB_ONLY_TAG`."""
    tags = (cell.get("metadata") or {}).get("tags") or ()
    return LAB_ONLY_TAG in tags
