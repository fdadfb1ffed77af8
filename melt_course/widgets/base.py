"""A diagram widget: one live figure shown as PNG bytes, plus its text description."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as W
from matplotlib.figure import Figure

from ..figures.style import course_style, figure_png

__all__ = ["CourseWidget", "DiagramView"]


class CourseWidget(W.VBox):
    """A VBox whose plain-text form is stable, so notebooks store deterministic outputs.

    ipywidgets prints a widget's ``repr`` as the ``text/plain`` part of its display, which
    nbval compares; the default repr changes with every trait. Subclasses set ``title``.
    """

    title = "course widget"

    def __repr__(self) -> str:
        return f"<{self.title}: interactive widget, open in JupyterLab or the course app>"


class DiagramView(W.VBox):
    """An image of one live matplotlib figure and its text description.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure, made once; callers update its artists and call :meth:`refresh`.
    describe : callable
        Returns the figure's current text description.
    alt : str
        Short name of the figure (used as the image's accessible name).
    """

    def __init__(self, fig: Figure, describe: Callable[[], str], alt: str) -> None:
        self.fig = fig
        self._describe = describe
        width = round(fig.get_figwidth() * fig.dpi)
        self.image = W.Image(format="png", layout=W.Layout(width=f"{width}px", max_width="100%",
                                                           height="auto"))
        self.image.add_class("melt-diagram")
        self.text = W.HTML()
        self.text.add_class("melt-description")
        self.alt = alt
        self.renders = 0
        super().__init__([self.image, self.text])
        self.refresh()

    def refresh(self) -> None:
        """Render the figure's current state into the image and update the description."""
        with course_style():
            self.image.value = figure_png(self.fig)
        self.renders += 1
        from html import escape

        self.text.value = (f'<p role="note" aria-label="{escape(self.alt)} description">'
                           f"<b>Figure description:</b> {escape(self._describe())}</p>")

