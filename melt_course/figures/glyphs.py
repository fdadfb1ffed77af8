"""Text drawn from remembered glyphs: the same pixels as matplotlib's, without re-rasterising.

matplotlib 3.11's Agg renderer lays a string out (HarfBuzz shaping) and then asks FreeType to
rasterise every glyph again at every draw, about 0.06 ms a glyph plus 1.5 ms a string. A live
diagram that repaints a legend or a few read-outs at every slider move spends most of its time
there. :func:`glyph_cache` makes one renderer remember both steps:

- a string's layout, keyed by the font object, size, resolution, text, hinting, font features
  and language;
- each glyph's coverage bitmap, keyed by the font, size, resolution, glyph, rotation and the
  glyph's position *within a pixel* (FreeType positions glyphs in 1/64 pixel). Moving a glyph by
  whole pixels moves its bitmap by the same whole pixels and changes nothing else, so one
  bitmap serves every position with the same fraction;
- a text artist's box and line offsets relative to its anchor (``Text._get_layout``, which
  matplotlib recomputes at every extent query and draw), keyed by everything it reads: the
  string, font properties, size, rotation, alignment, line spacing, resolution and the
  renderer. Wrapped and TeX texts are laid out the ordinary way.

Each remembered bitmap is composited by the renderer's own ``draw_text_image``, exactly as
matplotlib does, so the picture is the same pixel for pixel (tested against uncached drawing
over many strings, sizes, angles and sub-pixel positions). Maths text, TeX and matplotlib
versions without these internals are drawn the ordinary way.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from typing import Any

__all__ = ["glyph_cache", "glyph_cache_supported"]

#: At most this many layouts and glyph bitmaps are remembered (each store is emptied when
#: full; a bitmap is a few hundred bytes).
_MAX_LAYOUTS = 4096
_MAX_GLYPHS = 32768
_layouts: dict[tuple, tuple] = {}
_glyphs: dict[tuple, tuple] = {}
_boxes: dict[tuple, tuple] = {}


def glyph_cache_supported() -> bool:
    """Whether this matplotlib draws text the way :func:`glyph_cache` reproduces (3.11's
    glyph-by-glyph Agg path).

    Returns
    -------
    bool
        True when the renderer and font internals the cache relies on are present.
    """
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.ft2font import FT2Font

    return all((hasattr(RendererAgg, "_draw_text_glyphs_and_boxes"),
                hasattr(RendererAgg, "_prepare_font"),
                hasattr(FT2Font, "_layout"), hasattr(FT2Font, "_render_glyph"),
                hasattr(FT2Font, "_set_transform")))


@contextlib.contextmanager
def glyph_cache(renderer: Any) -> Iterator[bool]:
    """Draw plain text on ``renderer`` from remembered layouts and glyphs while inside.

    Parameters
    ----------
    renderer : matplotlib.backends.backend_agg.RendererAgg
        The renderer (``canvas.get_renderer()``) to draw text with.

    Yields
    ------
    bool
        Whether the cache is in use (False on a matplotlib it does not support).
    """
    from matplotlib.backends.backend_agg import RendererAgg

    if not isinstance(renderer, RendererAgg):
        raise TypeError(f"renderer must be an Agg renderer, got {type(renderer).__name__}")
    if not glyph_cache_supported() or "draw_text" in vars(renderer):
        yield False                       # unsupported, or already inside an outer cache
        return
    from matplotlib.text import Text

    renderer.draw_text = lambda gc, x, y, s, prop, angle, ismath=False, mtext=None: (
        _draw_text(renderer, gc, x, y, s, prop, angle, ismath, mtext))
    plain = Text._get_layout
    Text._get_layout = lambda text, on: _text_layout(plain, text, on, renderer)
    try:
        yield True
    finally:
        del renderer.draw_text
        Text._get_layout = plain


def _text_layout(plain, text, renderer, cached_for):
    """``Text._get_layout`` remembered (see the module docstring): the same box, lines and
    offsets, as new objects (callers may change them)."""
    from matplotlib import rcParams
    from matplotlib.transforms import Bbox

    if renderer is not cached_for or text.get_wrap() or text.get_usetex():
        return plain(text, renderer)
    prop = text.get_fontproperties()
    features = text.get_fontfeatures()
    language = text.get_language()
    key = (id(renderer), renderer.dpi, text.get_figure(root=True).dpi, text.get_text(),
           tuple(prop.get_family()), prop.get_style(), prop.get_variant(), prop.get_weight(),
           prop.get_stretch(), prop.get_size_in_points(), prop.get_file(),
           prop.get_math_fontfamily(), text.get_parse_math(), text._linespacing,
           text._get_multialignment(), text.get_rotation(), text.get_horizontalalignment(),
           text.get_verticalalignment(), text.get_rotation_mode(),
           None if features is None else tuple(features),
           language if language is None or isinstance(language, str) else tuple(language),
           rcParams["text.hinting"], rcParams["text.hinting_factor"],
           rcParams["text.kerning_factor"])
    hit = _boxes.get(key)
    if hit is None:
        box, info, corner = plain(text, renderer)
        hit = (box.get_points().copy(), [(line, tuple(wad), tuple(xy)) for line, wad, xy in info],
               (tuple(corner[0]), tuple(corner[1])), renderer)   # the renderer: its id stays
        if len(_boxes) >= _MAX_LAYOUTS:
            _boxes.clear()
        _boxes[key] = hit
    points, info, corner, _ = hit
    return Bbox(points.copy()), list(info), corner


def _layout(renderer, font, s: str, prop, mtext) -> list[tuple]:
    """``font._layout`` of ``s``, remembered: (font, glyph index, x, y) per glyph."""
    from matplotlib.backends.backend_agg import get_hinting_flag

    flags = get_hinting_flag()
    features = mtext.get_fontfeatures() if mtext is not None else None
    language = mtext.get_language() if mtext is not None else None
    key = (id(font), prop.get_size_in_points(), renderer.dpi, s, flags,
           None if features is None else tuple(features),
           language if language is None or isinstance(language, str) else tuple(language))
    hit = _layouts.get(key)
    if hit is not None:
        return hit[1]
    items = [(item.ft_object, item.glyph_index, item.x, item.y)
             for item in font._layout(s, flags=flags, features=features, language=language)]
    if len(_layouts) >= _MAX_LAYOUTS:
        _layouts.clear()
    _layouts[key] = (font, items)          # the font is kept so its id is never reused
    return items


def _draw_text(renderer, gc, x, y, s, prop, angle, ismath=False, mtext=None) -> None:
    """``RendererAgg.draw_text`` with remembered layouts and glyph bitmaps."""
    import numpy as np
    from matplotlib.backends.backend_agg import RendererAgg, get_hinting_flag
    from matplotlib.ft2font import RenderMode

    if ismath:
        RendererAgg.draw_text(renderer, gc, x, y, s, prop, angle, ismath, mtext)
        return
    font = renderer._prepare_font(prop)
    items = _layout(renderer, font, s, prop, mtext)
    size = prop.get_size_in_points()
    dpi = renderer.dpi
    height = renderer.height
    cos = math.cos(math.radians(angle))
    sin = math.sin(math.radians(angle))
    matrix = (0x10000 * np.array([[cos, -sin], [sin, cos]])).round().astype(int)
    turn = tuple(matrix.ravel().tolist())
    flags = get_hinting_flag()
    smooth = bool(gc.get_antialiased())
    draw = renderer._renderer.draw_text_image
    for glyph_font, index, dx, dy in items:
        px = round(0x40 * (x + dx * cos - dy * sin))
        py = round(0x40 * (height - y + dx * sin + dy * cos))   # FreeType's y is upwards
        key = (id(glyph_font), size, dpi, index, turn, px & 63, py & 63, flags, smooth)
        hit = _glyphs.get(key)
        if hit is None:
            glyph_font.set_size(size, dpi)
            glyph_font._set_transform(matrix, [px, py])
            bitmap = glyph_font._render_glyph(
                index, flags, RenderMode.NORMAL if smooth else RenderMode.MONO)
            buffer = np.array(bitmap.buffer, copy=True)
            if not smooth:
                buffer *= 0xff
            hit = (glyph_font, buffer, bitmap.left - (px >> 6), bitmap.top - (py >> 6))
            if len(_glyphs) >= _MAX_GLYPHS:
                _glyphs.clear()
            _glyphs[key] = hit
        _, buffer, left, top = hit
        # draw_text_image's y is downwards and names the bitmap's bottom side.
        draw(buffer, left + (px >> 6), int(height) - (top + (py >> 6)) + buffer.shape[0], 0, gc)
