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
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

from melt_course.figures.live import LiveFigure
from melt_course.widgets.base import DiagramView

__all__ = ["LiveDiagramView", "flatten_artists"]


def flatten_artists(artists) -> list[Artist]:
    """All matplotlib artists inside a nested dict/list/tuple of artists (in order, no repeats)."""
    from matplotlib.artist import Artist

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
    fig : matplotlib.figure.Figure or callable
        The figure, made once, or a function that makes it for the current state (see
        :class:`DiagramView`, whose ``frame`` option it enables).
    describe : callable
        Returns the figure's current text description.
    alt : str
        Short name of the figure (the image's accessible name).
    moving : iterable of Artist, or callable
        The artists that change when a control moves; a function returning them when ``fig``
        is a function (it is called after the figure is made).
    frame : str, optional
        Key of the prepared first frame (see :class:`DiagramView`).
    keep_stacking : bool
        Keep a full draw's stacking (see :class:`~melt_course.figures.live.LiveFigure`).

    Raises
    ------
    ValueError
        When ``moving`` names no artist.
    """

    def __init__(self, fig: Figure | Callable[[], Figure], describe: Callable[[], str],
                 alt: str, moving: Iterable[Artist] | Callable[[], Iterable[Artist]],
                 frame: str | None = None, keep_stacking: bool = False) -> None:
        self._moving = moving
        self._keep_stacking = keep_stacking
        self.live: LiveFigure | None = None
        super().__init__(fig, describe, alt, frame=frame)

    def _on_built(self) -> None:
        moving = self._moving() if callable(self._moving) else self._moving
        moving = list(moving)
        if not moving:
            raise ValueError("moving=[] names no artists; expected the artists that move")
        self.live = LiveFigure(self.fig, moving, keep_stacking=self._keep_stacking)

    @property
    def background_draws(self) -> int:
        """How often the still background has been drawn (once, unless axis limits change)."""
        return self.live.background_draws if self.live is not None else 0

    def _render(self) -> bytes:
        self.ensure_built()
        return self.live.render()
