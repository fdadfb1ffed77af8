"""The course stylesheet on every page that shows a course widget, once per kernel.

The app's template links the stylesheet itself; JupyterLab (and a hub or Binder running it)
has no place for a course's CSS that works without changing the learner's settings. So every
:class:`~melt_course.widgets.base.CourseWidget` calls :func:`ensure_stylesheet`, which makes
one :class:`CourseStylesheet` per kernel. That widget is never displayed: when its model
reaches the page, anywidget (a declared dependency whose JavaScript ships in its wheel, so it
works offline) puts the stylesheet into the page's ``head`` once, as a style element
with the id :data:`STYLE_ID`, and leaves it there. Nothing is pasted into each widget, and the
stylesheet is sent to the page once per kernel, not once per widget.
"""

from __future__ import annotations

import anywidget
import traitlets

from melt_course.content.page import course_stylesheet

__all__ = ["STYLE_ID", "CourseStylesheet", "ensure_stylesheet"]

#: The id of the style element anywidget writes (its ``_anywidget_id``: module and class).
STYLE_ID = "melt_course.widgets.stylesheet.CourseStylesheet"

_ESM = "export default { render() {} };\n"

_current: CourseStylesheet | None = None


class CourseStylesheet(anywidget.AnyWidget):
    """A widget with no view whose only job is to put the course stylesheet on the page."""

    description = "Course stylesheet"

    _esm = traitlets.Unicode(_ESM).tag(sync=True)
    _css = traitlets.Unicode("").tag(sync=True)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(_css=course_stylesheet(), **kwargs)


def ensure_stylesheet() -> CourseStylesheet:
    """The kernel's :class:`CourseStylesheet`, made (and so sent to the page) on first call.

    A stylesheet widget that was closed (``Widget.close_all()``) is replaced.
    """
    global _current
    if _current is None or getattr(_current, "comm", None) is None:
        _current = CourseStylesheet()
    return _current
