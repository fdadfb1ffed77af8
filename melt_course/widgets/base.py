"""A diagram widget: one live figure shown as PNG bytes, plus its text description."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as W
from matplotlib.figure import Figure

from ..figures.style import figure_png

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
    freeze_layout : bool
        Keep the first render's layout for later renders (default). Pass False for a figure
        whose tick labels or legends change size as controls move.
    """

    def __init__(self, fig: Figure, describe: Callable[[], str], alt: str,
                 freeze_layout: bool = True) -> None:
        self.fig = fig
        self.freeze_layout = freeze_layout
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
        """Render the figure's current state into the image and update the description.

        The first render lays the figure out (constrained layout); later renders keep that
        layout, since controls move artists inside fixed axes, which saves the layout pass
        on every slider move.
        """
        self.image.value = figure_png(self.fig)
        if self.renders == 0 and self.freeze_layout:
            self.fig.set_layout_engine("none")
        self.renders += 1
        from html import escape

        self.text.value = (f'<p role="note" aria-label="{escape(self.alt)} description">'
                           f"<b>Figure description:</b> {escape(self._describe())}</p>")

