"""A :class:`DiagramView` on a :class:`~melt_course.figures.live.LiveFigure`.

Most of a diagram (axes, tick labels, legends, fixed anatomy) never changes when a slider
moves. :class:`LiveDiagramView` hands the figure and its *moving* artists to
:class:`~melt_course.figures.live.LiveFigure`, which draws the still background once and on
every refresh redraws only the moving artists before encoding the PNG.

Moving artists are drawn above all still ones (in their own z-order), so pass the artists that
sit on top anyway: cursors, moving figures, labels that change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from html import escape

from matplotlib.artist import Artist
from matplotlib.figure import Figure

from ..figures.live import LiveFigure
from .base import DiagramView

__all__ = ["LiveDiagramView", "flatten_artists"]


def flatten_artists(artists) -> list[Artist]:
    """All matplotlib artists inside a nested dict/list/tuple of artists (in order, no repeats)."""
    out: list[Artist] = []

    def walk(item) -> None:
        if isinstance(item, Artist):
            if item not in out:
                out.append(item)
        elif isinstance(item, dict):
            for value in item.values():
                walk(value)
        elif isinstance(item, (list, tuple)):
            for value in item:
                walk(value)

    walk(artists)
    return out


class LiveDiagramView(DiagramView):
    """One live figure shown as PNG bytes; only the ``moving`` artists are redrawn per refresh.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure, made once.
    describe : callable
        Returns the figure's current text description.
    alt : str
        Short name of the figure (the image's accessible name).
    moving : iterable of Artist
        The artists that change when a control moves.

    Raises
    ------
    ValueError
        When ``moving`` names no artist.
    """

    def __init__(self, fig: Figure, describe: Callable[[], str], alt: str,
                 moving: Iterable[Artist]) -> None:
        moving = list(moving)
        if not moving:
            raise ValueError("moving=[] names no artists; expected the artists that move")
        self.live = LiveFigure(fig, moving)
        super().__init__(fig, describe, alt)

    @property
    def background_draws(self) -> int:
        """How often the still background has been drawn (once, unless axis limits change)."""
        return self.live.background_draws

    def refresh(self) -> None:
        """Redraw the moving artists over the cached background and update the description."""
        self.image.value = self.live.render()
        self.renders += 1
        self.text.value = (f'<p role="note" aria-label="{escape(self.alt)} description">'
                           f"<b>Figure description:</b> {escape(self._describe())}</p>")
