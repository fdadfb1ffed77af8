"""Figures layer: pure drawing functions ``draw_x(ax, ...)`` that return their artists.

Rules (see docs/architecture.md): import only the data/model layer below and matplotlib's
object API (``matplotlib.figure.Figure``), never ``pyplot``; no globals; no ``plt.show``.
"""

from melt_course.figures.style import COURSE_STYLE, course_style, figure_png, new_figure

__all__ = ["COURSE_STYLE", "course_style", "figure_png", "new_figure"]
