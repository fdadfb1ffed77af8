"""Fast re-rendering of a live figure: draw the still parts once, then only what moves.

A full ``savefig`` of a three-panel figure lays out and draws every tick label and patch
again (hundreds of milliseconds on a small machine). :class:`LiveFigure` instead keeps the
figure's still background as a pixel buffer, redraws only the *animated* artists over it, and
encodes the pixels with a minimal PNG writer (no filtering, fast zlib level). The background
is redrawn only when an axis' limits change (tick labels change with them).

Still images for files and the static fallback use :func:`melt_course.figures.figure_png`;
animated artists are included there too (matplotlib draws them when saving).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

from .style import course_style

__all__ = ["LiveFigure", "png_from_rgb"]


def _chunk(tag: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + tag + data
            + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF))


def png_from_rgb(rgb: np.ndarray, level: int = 1) -> bytes:
    """Encode an 8-bit RGB image as PNG bytes (deterministic; no metadata).

    Parameters
    ----------
    rgb : ndarray of uint8, shape (height, width, 3) or (height, width, 4)
        The pixels; a fourth (alpha) channel is dropped.
    level : int
        zlib compression level, 0 to 9 (1: fast, a little larger).

    Returns
    -------
    bytes
        A complete PNG file.
    """
    rgb = np.asarray(rgb)
    if rgb.ndim != 3 or rgb.shape[2] not in (3, 4) or rgb.dtype != np.uint8:
        raise ValueError(f"rgb must be a uint8 array of shape (height, width, 3 or 4), got "
                         f"{rgb.dtype} {rgb.shape!r}")
    if not (isinstance(level, int) and 0 <= level <= 9):
        raise ValueError(f"level={level!r} must be a whole number from 0 to 9")
    height, width, _ = rgb.shape
    rows = np.zeros((height, width * 3 + 1), dtype=np.uint8)   # filter byte 0 per row
    rows[:, 1:].reshape(height, width, 3)[...] = rgb[..., :3]
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(rows.tobytes(), level)) + _chunk(b"IEND", b""))


class LiveFigure:
    """Render a figure's moving artists over a cached still background, as PNG bytes.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        A figure on an Agg canvas (e.g. from :func:`melt_course.figures.new_figure`).
    animated : iterable of Artist
        The artists an update changes. They are marked animated, so the background is drawn
        without them.

    Notes
    -----
    The first render lays the figure out (constrained layout) and then freezes that layout,
    so later backgrounds line up with the first.
    """

    def __init__(self, fig: Figure, animated: Iterable[Artist]) -> None:
        self.fig = fig
        self.animated = list(animated)
        if not self.animated:
            raise ValueError("animated must name at least one artist, got none")
        for artist in self.animated:
            if artist.figure is not fig:
                raise ValueError(f"artist {artist!r} does not belong to this figure")
            artist.set_animated(True)
        self._background = None
        self._key: tuple | None = None
        #: How many times the still background was drawn (for tests and benchmarks).
        self.background_draws = 0

    def _state_key(self) -> tuple:
        limits = tuple((ax.get_xlim(), ax.get_ylim()) for ax in self.fig.axes)
        return (*limits, tuple(self.fig.get_size_inches()), self.fig.dpi)

    def render(self) -> bytes:
        """PNG bytes of the figure's current state."""
        canvas = self.fig.canvas
        key = self._state_key()
        with course_style():
            if self._background is None or key != self._key:
                canvas.draw()
                if self._background is None:
                    self.fig.set_layout_engine("none")
                    key = self._state_key()
                self._background = canvas.copy_from_bbox(self.fig.bbox)
                self._key = key
                self.background_draws += 1
            else:
                canvas.restore_region(self._background)
            for artist in self.animated:
                if artist.get_visible():
                    self.fig.draw_artist(artist)
        return png_from_rgb(np.asarray(canvas.buffer_rgba()))
