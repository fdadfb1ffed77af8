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

if TYPE_CHECKING:
    import numpy as np
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

from melt_course.figures.style import course_style

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
    import numpy as np  # here, not at import: a lesson that only shows stored frames needs none

    rgb = np.asarray(rgb)
    if rgb.ndim != 3 or rgb.shape[2] not in (3, 4) or rgb.dtype != np.uint8:
        raise ValueError(f"rgb must be a uint8 array of shape (height, width, 3 or 4), got "
                         f"{rgb.dtype} {rgb.shape!r}")
    if not (isinstance(level, int) and 0 <= level <= 9):
        raise ValueError(f"level={level!r} must be a whole number from 0 to 9")
    height, width, _ = rgb.shape
    rows = np.empty((height, width * 3 + 1), dtype=np.uint8)
    rows[:, 0] = 0                                              # filter byte 0 per row
    for channel in range(3):    # one channel at a time: faster than copying (h, w, 3) blocks
        rows[:, 1 + channel::3] = rgb[..., channel]
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(rows.tobytes(), level)) + _chunk(b"IEND", b""))


def _drawn_children(ax) -> list[Artist]:
    """The children a full draw of ``ax`` draws (as ``Axes.draw`` picks them)."""
    skip = {id(ax.patch)}
    if not (ax.axison and ax.get_frame_on()):
        skip.update(id(spine) for spine in ax.spines.values())
    if not ax.axison:
        skip.update(id(axis) for axis in (ax.xaxis, ax.yaxis, getattr(ax, "zaxis", None)) if axis)
    return [child for child in ax.get_children() if id(child) not in skip]


def _blank(artist: Artist) -> bool:
    """A still artist that draws nothing (an empty title, say)."""
    return not artist.get_visible() or (hasattr(artist, "get_text") and artist.get_text() == "")


def _stacked(moving: list[Artist]) -> list[Artist]:
    """The moving artists plus the still ones that a full draw puts above them, in draw order.

    Within one axes matplotlib draws by z-order (ties in the order the artists were added).
    A still artist above the lowest moving one (a label on a moving line, a legend over a
    moving cursor) must be redrawn after it, or the moving artist would cover it.
    """
    out: list[Artist] = []
    seen: set[int] = set()
    axes_done: set[int] = set()
    for artist in moving:
        ax = artist.axes
        if ax is None:
            if id(artist) not in seen:
                seen.add(id(artist))
                out.append(artist)
            continue
        if id(ax) in axes_done:
            continue
        axes_done.add(id(ax))
        mine = [a for a in moving if a.axes is ax]
        low = min(a.get_zorder() for a in mine)
        ids = {id(a) for a in mine}
        children = _drawn_children(ax)
        order = {id(child): index for index, child in enumerate(children)}
        group = [child for child in children if id(child) in ids
                 or (child.get_zorder() >= low and not _blank(child))]
        group += [a for a in mine if id(a) not in order]     # not a direct child: keep it
        group.sort(key=lambda a: (a.get_zorder(), order.get(id(a), len(order))))
        for child in group:
            if id(child) not in seen:
                seen.add(id(child))
                out.append(child)
    return out


class LiveFigure:
    """Render a figure's moving artists over a cached still background, as PNG bytes.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        A figure on an Agg canvas (e.g. from :func:`melt_course.figures.new_figure`).
    animated : iterable of Artist
        The artists an update changes. They are marked animated, so the background is drawn
        without them, and drawn on top of it in the order given.
    keep_stacking : bool
        Also redraw, in z-order, every still artist that a full draw puts above the lowest
        moving artist of its axes (a label under which a muscle path passes, a legend a
        cursor crosses), so the picture is the full draw's, pixel for pixel. Costs a redraw
        of those artists (mostly text) on every render; without it, moving artists cover
        any still artist they cross.

    Notes
    -----
    The first render lays the figure out (constrained layout) and then freezes that layout,
    so later backgrounds line up with the first.
    """

    def __init__(self, fig: Figure, animated: Iterable[Artist],
                 keep_stacking: bool = False) -> None:
        self.fig = fig
        moving = list(animated)
        if not moving:
            raise ValueError("animated must name at least one artist, got none")
        for artist in moving:
            if artist.figure is not fig:
                raise ValueError(f"artist {artist!r} does not belong to this figure")
        #: What each render redraws: the moving artists, and with ``keep_stacking`` every
        #: still artist of their axes that a full draw puts above the lowest of them.
        self.animated = _stacked(moving) if keep_stacking else moving
        for artist in self.animated:
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
        return png_from_rgb(canvas.buffer_rgba())
