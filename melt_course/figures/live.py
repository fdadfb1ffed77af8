"""Fast re-rendering of a live figure: draw the still parts once, then only what moves.

A full ``savefig`` of a three-panel figure lays out and draws every tick label and patch
again (hundreds of milliseconds on a small machine). :class:`LiveFigure` instead keeps the
figure's still background as a pixel buffer, redraws only the *animated* artists over it, and
encodes the pixels with a minimal PNG writer (no filtering, fast zlib level) that compresses
again only the bands of rows that changed since the last picture. The background
is redrawn only when an axis' limits change (tick labels change with them). Text is drawn from
remembered glyph bitmaps (:mod:`melt_course.figures.glyphs`): the same pixels, without asking
FreeType to rasterise the same glyph again at every move.

Still images for files and the static fallback use :func:`melt_course.figures.figure_png`;
animated artists are included there too (matplotlib draws an axes' animated artists when saving;
that function shows the figure's own, such as a moving figure title).
"""

from __future__ import annotations

import math
import struct
import zlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import numpy as np
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

from melt_course.figures.glyphs import glyph_cache
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
    import numpy as np

    rows = np.ones(len(rgb), dtype=bool) if np.ndim(rgb) == 3 else None
    return _PngBands(level).encode(rgb, rows)   # every row is new: nothing to compare


#: Rows per band of the PNG writer: a band is compressed on its own and kept while its
#: pixels stay the same.
_BAND_ROWS = 32


def _adler32_combine(first: int, second: int, length: int) -> int:
    """The Adler-32 of two byte strings one after the other, from their two checksums and
    the second's length (zlib's ``adler32_combine``, which Python's zlib does not offer)."""
    base = 65521
    rem = length % base
    sum1 = first & 0xFFFF
    sum2 = (rem * sum1) % base
    sum1 = (sum1 + (second & 0xFFFF) + base - 1) % base
    sum2 = (sum2 + (first >> 16) + (second >> 16) + base - rem) % base
    return sum1 | (sum2 << 16)


def _fast_deflate():
    """ISA-L's zlib-compatible module (``isal.isal_zlib``) when installed, else ``zlib``."""
    try:
        from isal import isal_zlib
    except ImportError:
        return zlib
    return isal_zlib


class _PngBands:
    """A PNG writer that compresses again only the bands of rows that changed.

    The image data of a PNG is one zlib stream. Here it is made of one raw-deflate piece
    per band of :data:`_BAND_ROWS` rows, each compressed on its own and ended on a byte
    boundary (a sync flush), then a final empty block and the Adler-32 of all the rows:
    a valid stream any decoder reads. A band whose pixels equal the previous image's keeps
    its compressed piece, so a move that changes a fifth of the picture compresses a fifth.

    At level 1 (the live default) the pieces are compressed with Intel's ISA-L deflate
    (the ``isal`` package) when it is installed: the same format, about five times faster
    than zlib's level 1 for a few per cent more bytes. Other levels, or without it, zlib.
    """

    _END = zlib.compressobj(1, zlib.DEFLATED, -15).flush()    # the final, empty block

    def __init__(self, level: int = 1) -> None:
        if not (isinstance(level, int) and not isinstance(level, bool) and 0 <= level <= 9):
            raise ValueError(f"level={level!r} must be a whole number from 0 to 9")
        self._level = level
        self._deflate = _fast_deflate() if level == 1 else zlib
        self._last = None              # the previous pixels, (height, width) uint32 or None
        self._size: tuple | None = None    # (height, width) of the previous picture
        self._sums: list[tuple] = []   # per band: (Adler-32, length) of its filtered rows
        self._packed: list[bytes] = []  # per band: those rows compressed
        #: How many bands the last :meth:`encode` compressed (for tests and benchmarks).
        self.compressed = 0

    def encode(self, rgb: np.ndarray, changed_rows: np.ndarray | None = None) -> bytes:
        """PNG bytes of ``rgb`` (uint8, (height, width, 3 or 4); alpha is dropped).

        ``changed_rows``, when given, is a boolean array with one entry per row: True where
        the row may differ from the picture the previous call encoded (the caller knows where
        it drew). The writer then compresses only the bands holding such rows, without
        comparing the pictures itself; the caller must not leave a changed row out.
        """
        import numpy as np

        rgb = np.asarray(rgb)
        if rgb.ndim != 3 or rgb.shape[2] not in (3, 4) or rgb.dtype != np.uint8:
            raise ValueError(f"rgb must be a uint8 array of shape (height, width, 3 or 4), "
                             f"got {rgb.dtype} {rgb.shape!r}"[:200])
        height, width, _ = rgb.shape
        bands = range(0, height, _BAND_ROWS)
        fresh = self._size != rgb.shape[:2]
        if changed_rows is not None:
            changed_rows = np.asarray(changed_rows)
            if changed_rows.shape != (height,) or changed_rows.dtype != bool:
                raise ValueError(f"changed_rows must be {height} booleans (one per row), got "
                                 f"{changed_rows.dtype} {changed_rows.shape!r}"[:200])
            self._last = None          # not kept: the next call without rows starts again
        else:
            if rgb.shape[2] == 4 and rgb.flags.c_contiguous:   # a number per pixel, to compare
                packed = rgb.view(np.uint32).reshape(height, width).copy()   # (a copy: the
            else:                                            # caller may draw on rgb next)
                packed = np.zeros((height, width), dtype=np.uint32)
                for channel in range(3):
                    packed |= rgb[..., channel].astype(np.uint32) << (8 * channel)
            fresh = fresh or self._last is None
            if not fresh:
                changed_rows = (packed != self._last).any(axis=1)
            self._last = packed
        self._size = rgb.shape[:2]
        if fresh:
            dirty = [True] * len(bands)
            self._sums = [(1, 0)] * len(bands)
            self._packed = [b""] * len(bands)
        else:
            dirty = [bool(changed_rows[top:top + _BAND_ROWS].any()) for top in bands]
        for number, top in enumerate(bands):
            if not dirty[number]:
                continue
            block = rgb[top:top + _BAND_ROWS]
            lines = np.empty((block.shape[0], width * 3 + 1), dtype=np.uint8)
            lines[:, 0] = 0                                     # filter byte 0 per row
            for channel in range(3):   # one channel at a time: faster than (h, w, 3) copies
                lines[:, 1 + channel::3] = block[..., channel]
            raw = lines.tobytes()
            deflate = self._deflate
            squeeze = deflate.compressobj(self._level, deflate.DEFLATED, -15)
            self._sums[number] = (zlib.adler32(raw), len(raw))
            self._packed[number] = squeeze.compress(raw) + squeeze.flush(deflate.Z_SYNC_FLUSH)
        self.compressed = sum(dirty)
        check = 1
        for band_sum, length in self._sums:
            check = _adler32_combine(check, band_sum, length)
        stream = b"".join((b"\x78\x01", *self._packed, self._END, struct.pack(">I", check)))
        header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
        return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", stream)
                + _chunk(b"IEND", b""))


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


def _in_draw_order(artists: list[Artist]) -> list[Artist]:
    """``artists`` in the order a full draw paints them.

    The figure draws its axes and its own artists by z-order (ties in the order they were
    added); an axes draws its children the same way. Moving artists given in another order
    would otherwise cover one another the wrong way round where they cross.
    """
    fig = artists[0].figure
    top = {id(child): index for index, child in enumerate(fig.get_children())}
    inner: dict[int, dict[int, int]] = {}

    def key(artist: Artist) -> tuple:
        ax = artist.axes
        if ax is None:
            return (artist.get_zorder(), top.get(id(artist), len(top)), 0, 0)
        if id(ax) not in inner:
            inner[id(ax)] = {id(c): i for i, c in enumerate(_drawn_children(ax))}
        order = inner[id(ax)]
        return (ax.get_zorder(), top.get(id(ax), len(top)), artist.get_zorder(),
                order.get(id(artist), len(order)))

    return sorted(artists, key=key)


def _stacked(moving: list[Artist]) -> list[Artist]:
    """The moving artists plus the still ones that a full draw puts above them, in draw order.

    Within one axes matplotlib draws by z-order (ties in the order the artists were added).
    A still artist above the lowest moving one (a label on a moving line, a legend over a
    moving cursor) must be redrawn after it, or the moving artist would cover it. An axes
    drawn later over the same place (a ``twinx``, an inset) is above all of them: all its
    artists are redrawn too.
    """
    out: list[Artist] = [a for a in moving if a.axes is None]
    seen: set[int] = {id(a) for a in out}
    fig = moving[0].figure
    axes = sorted(fig.axes, key=lambda ax: ax.get_zorder())      # the figure's draw order
    below: list = []             # positions of earlier axes that have moving artists
    for ax in axes:
        mine = [a for a in moving if a.axes is ax]
        box = ax.get_position()
        covers = any(box.overlaps(other) for other in below)
        if not mine and not covers:
            continue
        ids = {id(a) for a in mine}
        low = -math.inf if covers else min(a.get_zorder() for a in mine)
        children = _drawn_children(ax)
        order = {id(child): index for index, child in enumerate(children)}
        group = [child for child in children if id(child) in ids
                 or (child.get_zorder() >= low and not _blank(child))]
        group += [a for a in mine if id(a) not in order]     # not a direct child: keep it
        for child in group:
            if id(child) not in seen:
                seen.add(id(child))
                out.append(child)
        if mine:
            below.append(box)
    return _in_draw_order(out)


#: A changed line is bounded piece by piece (pieces at most this many pixels long), so a
#: diagonal muscle path does not claim the whole rectangle around it, and the pieces that did
#: not move are left alone. A line of 128 points or more (a curve) is bounded by one box.
_PIECE_PX = 24.0
#: Repaint regions are rounded out to tiles of this many pixels (fewer, larger copies).
_TILE = 16
_EVERYWHERE = (-math.inf, -math.inf, math.inf, math.inf)
_NO_LINE = ("None", "none", "", " ")
_NONE = -1e300              # no vertex (before the first, after the last)


class _Shape(NamedTuple):
    """Where an artist paints: boxes (x0, y0, x1, y1, display units), and for a line its
    pieces (each a box too) with the style they were painted in."""

    boxes: list
    pieces: frozenset | None = None
    style: tuple | None = None


_NOTHING = _Shape([])
_ANYWHERE = _Shape([_EVERYWHERE])


def _pad_px(artist: Artist, dpi: float) -> float:
    """How far past its ``get_window_extent`` an artist may paint, in pixels (with margin).

    A line's extent is its data points (markers included) but not its width, caps or joins;
    a patch's excludes its edge; a text's excludes its bbox patch; a legend's its frame's edge
    and its handles' line widths.
    """
    points = 0.0
    for getter in ("get_linewidth", "get_markeredgewidth"):
        get = getattr(artist, getter, None)
        if get is not None:
            value = get()
            if hasattr(value, "__len__"):
                value = max(value, default=0.0)
            points += 2 * float(value)
    import numpy as np

    box = artist.get_bbox_patch() if hasattr(artist, "get_bbox_patch") else None
    if box is not None:            # a text's box: its padding (in font sizes) and its edge
        pad = getattr(box.get_boxstyle(), "pad", 0.5)
        points += (pad + 0.2) * artist.get_fontsize() + 2 * box.get_linewidth()
    frame = getattr(artist, "legendPatch", None)
    if frame is not None:          # a legend: its frame's edge (and shadow), its handles
        points += 2 * frame.get_linewidth() + (12 if getattr(artist, "shadow", False) else 0)
        widths = [h.get_linewidth() for h in getattr(artist, "legend_handles", ())
                  if h is not None and hasattr(h, "get_linewidth")]
        points += max((float(np.max(w)) if hasattr(w, "__len__") and len(w) else float(w or 0)
                       for w in widths), default=0.0)
    return 3.0 + points * dpi / 72.0


def _shape(artist: Artist, renderer, dpi: float) -> _Shape:
    """Where ``artist`` may paint: nowhere when it draws nothing, everywhere when that cannot
    be told cheaply (collections, images, axes furniture)."""
    from matplotlib.axis import Axis
    from matplotlib.legend import Legend
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.text import Text

    if not artist.get_visible():
        return _NOTHING
    if isinstance(artist, Axis):           # ticks and tick labels
        try:
            box = artist.get_tightbbox(renderer)
        except Exception:
            return _ANYWHERE
        if box is None:
            return _NOTHING
        out = (box.x0 - 10, box.y0 - 10, box.x1 + 10, box.y1 + 10)
        return _Shape([out]) if all(math.isfinite(v) for v in out) else _ANYWHERE
    if not isinstance(artist, (Line2D, Patch, Text, Legend)):
        return _ANYWHERE
    if isinstance(artist, Text) and artist.get_text() == "":
        return _NOTHING
    pad = _pad_px(artist, dpi)
    try:
        if isinstance(artist, Line2D):
            return _line_shape(artist, pad, dpi)
        if isinstance(artist, Patch):      # a curve lies within its control points' box
            xy = artist.get_transform().transform(artist.get_path().vertices)
            out = (*(xy.min(axis=0) - pad).tolist(), *(xy.max(axis=0) + pad).tolist())
        else:
            box = artist.get_window_extent(renderer)
            out = (box.x0 - pad, box.y0 - pad, box.x1 + pad, box.y1 + pad)
    except Exception:
        return _ANYWHERE
    return _Shape([out]) if all(math.isfinite(v) for v in out) else _ANYWHERE


def _line_style(line) -> tuple:
    """What a line is painted with, besides its points (compared between two renders)."""
    return (line.get_color(), line.get_linewidth(), line.get_alpha(), line.get_linestyle(),
            line.get_drawstyle(), line.get_marker(), line.get_markersize(),
            str(line.get_markeredgecolor()), str(line.get_markerfacecolor()),
            line.get_markeredgewidth(), line.get_fillstyle(), line.get_solid_capstyle(),
            line.get_solid_joinstyle(), line.get_zorder(), line.get_clip_on(),
            id(line.get_clip_box()), id(line.get_clip_path()), id(line.get_transform()),
            tuple(map(id, line.get_path_effects())), line.get_antialiased())


def _line_shape(line, pad: float, dpi: float) -> _Shape:
    """Boxes along a line: one per short piece of each segment (or per marker).

    Pieces are compared between two renders only for a plain solid line of fewer than 128
    points that is not all horizontal and vertical: matplotlib simplifies longer paths and
    snaps axis-aligned ones to pixels as a whole, so there a change anywhere may move pixels
    anywhere along the line, and every piece counts as changed.
    """
    import numpy as np

    xy = np.asarray(line.get_transform().transform(line.get_xydata()), dtype=float)
    if not np.isfinite(xy).all():
        xy = xy[np.isfinite(xy).all(axis=1)]
    if len(xy) == 0:
        return _NOTHING
    if line.get_marker() not in (None, *_NO_LINE):
        pad += line.get_markersize() * dpi / 72 / 2
    solid = line.get_linestyle() in ("-", "solid")
    bare = line.get_linestyle() in _NO_LINE
    if len(xy) >= 128 or not (solid or bare):
        low, high = xy.min(axis=0) - pad, xy.max(axis=0) + pad
        return _Shape([(*low.tolist(), *high.tolist())])
    if bare or len(xy) == 1:
        pieces = np.hstack([xy, xy])
    else:
        start, end = xy[:-1], xy[1:]
        cuts = np.maximum(1, np.ceil(np.hypot(*(end - start).T) / _PIECE_PX)).astype(int)
        seg = np.repeat(np.arange(len(start)), cuts)
        k = np.arange(len(seg)) - np.repeat(np.cumsum(cuts) - cuts, cuts)
        a = start[seg] + (k / cuts[seg])[:, None] * (end[seg] - start[seg])
        b = start[seg] + ((k + 1) / cuts[seg])[:, None] * (end[seg] - start[seg])
        # A piece is the same only if its segment and both joins are: Agg's join at a
        # vertex (its inner miter) may reach along both segments it joins, so a segment's
        # pixels depend on the vertex before it and the one after its end too.
        ends = np.full((len(xy) + 2, 2), _NONE)
        ends[1:-1] = xy
        pieces = np.hstack([a, b, ends[seg], ends[seg + 3], k[:, None]])
    low = np.minimum(pieces[:, 0:2], pieces[:, 2:4]) - pad
    high = np.maximum(pieces[:, 0:2], pieces[:, 2:4]) + pad
    boxes = list(map(tuple, np.hstack([low, high]).tolist()))
    steps = np.diff(xy, axis=0)
    if len(steps) and bool(((steps[:, 0] == 0) | (steps[:, 1] == 0)).all()):
        return _Shape(boxes)               # snapped to pixels as a whole: no piece compare
    return _Shape(boxes, frozenset(zip(map(tuple, pieces.tolist()), boxes, strict=True)),
                  _line_style(line))


def _changed_boxes(before: _Shape, now: _Shape) -> list:
    """Where the picture may differ between an artist's two shapes."""
    if before.pieces is not None and now.pieces is not None and before.style == now.style:
        return [box for _, box in before.pieces ^ now.pieces]
    return before.boxes + now.boxes


def _overlaps(boxes: list[tuple], regions) -> bool:
    """Whether any of ``boxes`` meets any region (regions: an (n, 4) array)."""
    if not boxes or len(regions) == 0:
        return False
    import numpy as np

    b = np.asarray(boxes, dtype=float)
    r = regions
    return bool(((b[:, None, 0] < r[None, :, 2]) & (r[None, :, 0] < b[:, None, 2])
                 & (b[:, None, 1] < r[None, :, 3]) & (r[None, :, 1] < b[:, None, 3])).any())


class LiveFigure:
    """Render a figure's moving artists over a cached still background, as PNG bytes.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        A figure on an Agg canvas (e.g. from :func:`melt_course.figures.new_figure`).
    animated : iterable of Artist
        The artists an update changes. They are marked animated, so the background is drawn
        without them, and drawn on top of it in the order a full draw paints them (z-order).
    keep_stacking : bool
        Also redraw, in z-order, every still artist that a full draw puts above the lowest
        moving artist of its axes (a label under which a muscle path passes, a legend a
        cursor crosses), so the picture is the full draw's, pixel for pixel. Without it,
        moving artists cover any still artist they cross.

    Notes
    -----
    The first render lays the figure out (constrained layout) and then freezes that layout,
    so later backgrounds line up with the first.

    The still background is drawn again when an axis' limits change, and when a still
    artist changed (matplotlib then marks the figure stale; a moving artist, being
    animated, does not): so an artist that changes only now and then (a curve that changes
    with a model choice, not with the slider) can stay still, in the background, and a slider
    move does not repaint it.

    With ``keep_stacking`` a render repaints only where something changed, because redrawing
    every still label and legend above the moving artists at every move costs more than the
    moving artists themselves. The artists that changed are those matplotlib marks *stale*
    (any ``set_...`` does); the region to repaint is where they were and where they are now:
    their extents, padded for line widths, markers and text boxes, a line piece by piece
    (only the pieces that moved, when its style did not change). Over the still background,
    the artists of :attr:`animated` that reach into that region are drawn again, in order,
    and only that region is copied into the previous picture. So a still label or legend is
    drawn again only when a changed artist comes near it, and an artist the update did not
    change is not drawn at all; the picture stays the full draw's, pixel for pixel (tested).
    A changed artist whose extent cannot be bounded cheaply (a collection, an image) makes
    the whole figure the region. A draw of the figure by anything else (``savefig``) clears
    matplotlib's stale marks, so the next render starts again from a fresh background.

    Without ``keep_stacking`` every moving artist is drawn at every render: they usually all
    change, and the bookkeeping would cost more than it saves.
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
        #: What each render may redraw, in a full draw's order: the moving artists, and with
        #: ``keep_stacking`` every still artist of their axes that a full draw puts above the
        #: lowest of them.
        self.animated = _stacked(moving) if keep_stacking else _in_draw_order(moving)
        self.keep_stacking = keep_stacking
        for artist in self.animated:
            artist.set_animated(True)
        self._background = None
        self._key: tuple | None = None
        self._frame = None              # the last picture, (height, width, 4) uint8
        self._shapes: list[_Shape] = []
        self._mine = False              # inside this object's own full draw
        self._drawn_elsewhere = False
        fig.canvas.mpl_connect("draw_event", self._on_draw)
        #: How many times the still background was drawn (for tests and benchmarks).
        self.background_draws = 0
        #: How many artists the last render drew over the background (for tests, benchmarks).
        self.last_drawn = 0
        self._png = _PngBands()

    def _on_draw(self, _event) -> None:
        if not self._mine:
            self._drawn_elsewhere = True

    def _state_key(self) -> tuple:
        limits = tuple((ax.get_xlim(), ax.get_ylim()) for ax in self.fig.axes)
        return (*limits, tuple(self.fig.get_size_inches()), self.fig.dpi)

    def render(self) -> bytes:
        """PNG bytes of the figure's current state."""
        canvas = self.fig.canvas
        key = self._state_key()
        with course_style(), glyph_cache(canvas.get_renderer()):
            if (self._background is None or key != self._key or self._drawn_elsewhere
                    or self._frame is None or self.fig.stale):
                self._mine = True
                try:
                    canvas.draw()
                finally:
                    self._mine = False
                if self._background is None:
                    self.fig.set_layout_engine("none")
                    key = self._state_key()
                self._background = canvas.copy_from_bbox(self.fig.bbox)
                self._key = key
                self._drawn_elsewhere = False
                self.background_draws += 1
                self._frame = None
            else:
                canvas.restore_region(self._background)
            rows = self._draw_changes(canvas)
            # Drawing the moving artists may mark still ones as changed (a spine drawn again
            # updates its axis' ticks): what was drawn is now the picture.
            self.fig.stale = False
        return self._png.encode(self._frame, rows)

    def _draw_changes(self, canvas) -> np.ndarray | None:
        """Draw what changed into :attr:`_frame`; return the rows it changed (None: unknown,
        the PNG writer compares)."""
        import numpy as np

        renderer = canvas.get_renderer()
        dpi = self.fig.dpi
        pixels = np.asarray(canvas.buffer_rgba())
        if self._frame is None or not self.keep_stacking:   # draw them all
            for artist in self.animated:
                self.fig.draw_artist(artist)
            self.last_drawn = len(self.animated)
            if not self.keep_stacking:
                self._frame = pixels
                return None
            self._frame = pixels.copy()
            self._shapes = [_shape(artist, renderer, dpi) for artist in self.animated]
            return None
        changed: list[tuple] = []
        shapes = []
        for artist, before in zip(self.animated, self._shapes, strict=True):
            if artist.stale:
                now = _shape(artist, renderer, dpi)
                changed += _changed_boxes(before, now)
                shapes.append(now)
            else:
                shapes.append(before)
        self._shapes = shapes
        rects = _tiles(changed, *pixels.shape[:2])
        height = pixels.shape[0]
        regions = np.array([(left, height - bottom, right, height - top)
                            for top, bottom, left, right in rects], dtype=float).reshape(-1, 4)
        draw = [artist for artist, shape in zip(self.animated, shapes, strict=True)
                if _overlaps(shape.boxes, regions)]
        for artist in draw:
            self.fig.draw_artist(artist)
        self.last_drawn = len(draw)
        rows = np.zeros(height, dtype=bool)
        frame32 = self._frame.view(np.uint32)          # one number per pixel, to compare
        new32 = pixels.view(np.uint32)
        for top, bottom, left, right in rects:
            rows[top:bottom] |= (new32[top:bottom, left:right]
                                 != frame32[top:bottom, left:right]).any(axis=(1, 2))
            self._frame[top:bottom, left:right] = pixels[top:bottom, left:right]
        return rows


def _tiles(boxes: list[tuple], height: int, width: int) -> list[tuple]:
    """The pixel rectangles (top, bottom, left, right) that cover ``boxes`` (display units,
    y up), rounded out to tiles of ``_TILE`` pixels and merged along each row of tiles."""
    import numpy as np

    rows, cols = -(-height // _TILE), -(-width // _TILE)
    mask = np.zeros((rows, cols), dtype=bool)
    for x0, y0, x1, y1 in boxes:
        left = max(0, math.floor(x0 / _TILE)) if x0 > -math.inf else 0
        right = min(cols, math.ceil(x1 / _TILE)) if x1 < math.inf else cols
        top = max(0, math.floor((height - y1) / _TILE)) if y1 < math.inf else 0
        bottom = min(rows, math.ceil((height - y0) / _TILE)) if y0 > -math.inf else rows
        if left < right and top < bottom:
            mask[top:bottom, left:right] = True
    out = []
    edges = np.diff(np.pad(mask, ((0, 0), (1, 1))).astype(np.int8), axis=1)
    for row in np.flatnonzero(mask.any(axis=1)):
        starts = np.flatnonzero(edges[row] == 1)
        ends = np.flatnonzero(edges[row] == -1)
        top, bottom = row * _TILE, min(height, (row + 1) * _TILE)
        out += [(top, bottom, c0 * _TILE, min(width, c1 * _TILE))
                for c0, c1 in zip(starts.tolist(), ends.tolist(), strict=True)]
    return out
