"""melt_course: helper package for the interactive psoas and NeuroCore course.

Nothing happens on import: no matplotlib, no widgets, no rcParams changes, no network.
Import the layer you need, e.g. ``from melt_course import bibliography`` (data),
``from melt_course.figures import ...`` (figures) or ``from melt_course.widgets import ...``.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
