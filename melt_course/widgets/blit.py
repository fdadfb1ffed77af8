"""A :class:`DiagramView` that renders the static layer once and redraws only what moves.

Most of a diagram (axes, tick labels, legends, fixed anatomy) never changes when a slider
moves. :class:`BlitDiagramView` draws the figure once without its *dynamic* artists, keeps that
background as pixels, and on every refresh restores it and draws only the dynamic artists on top
before encoding the PNG. The figure's layout is computed once, on the first draw.

Dynamic artists are drawn above all static ones (in their own z-order), so choose as dynamic the
artists that sit on top anyway: cursors, moving figures, labels that change.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from html import escape

import numpy as np
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from PIL import Image

from ..figures.style import course_style
from .base import DiagramView

__all__ = ["BlitDiagramView", "flatten_artists"]


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


class BlitDiagramView(DiagramView):
    """One live figure shown as PNG bytes; only the ``dynamic`` artists are redrawn per refresh.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure, made once.
    describe : callable
        Returns the figure's current text description.
    alt : str
        Short name of the figure (the image's accessible name).
    dynamic : iterable of Artist
        The artists that change when a control moves. They are marked animated, so the
        figure's own ``savefig`` would leave them out: use a separate figure for static export.
    """

    def __init__(self, fig: Figure, describe: Callable[[], str], alt: str,
                 dynamic: Iterable[Artist]) -> None:
        self._dynamic = sorted(dynamic, key=lambda a: a.get_zorder())
        if not self._dynamic:
            raise ValueError("dynamic=[] names no artists; expected the artists that move")
        self._background = None
        self.full_draws = 0
        super().__init__(fig, describe, alt)

    def _draw_background(self) -> None:
        for artist in self._dynamic:
            artist.set_animated(True)
        self.fig.canvas.draw()
        self._background = self.fig.canvas.copy_from_bbox(self.fig.bbox)
        self.full_draws += 1

    def render_png(self) -> bytes:
        """Render the current state to PNG bytes (no metadata, fast compression, as figure_png)."""
        with course_style():
            if self._background is None:
                self._draw_background()
            canvas = self.fig.canvas
            canvas.restore_region(self._background)
            for artist in self._dynamic:
                if artist.get_visible():
                    self.fig.draw_artist(artist)
            pixels = np.asarray(canvas.buffer_rgba())
            buf = io.BytesIO()
            Image.fromarray(pixels).save(buf, format="png", compress_level=1)
        return buf.getvalue()

    def refresh(self) -> None:
        """Redraw the dynamic artists over the cached background and update the description."""
        self.image.value = self.render_png()
        self.renders += 1
        self.text.value = (f'<p role="note" aria-label="{escape(self.alt)} description">'
                           f"<b>Figure description:</b> {escape(self._describe())}</p>")
