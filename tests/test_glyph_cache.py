"""The glyph cache draws text with exactly matplotlib's pixels, and only inside its block."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from melt_course.figures import glyphs
from melt_course.figures.glyphs import glyph_cache, glyph_cache_supported

pytestmark = pytest.mark.unit

needs_support = pytest.mark.skipif(not glyph_cache_supported(),
                                   reason="this matplotlib draws text another way")

_WORDS = ["Hip flexion 35°", "−4 cm", "At 20°: 0.83 × optimal", "psoas major",
          "ÅgjQ|fi", "iliacus → lesser trochanter", "L1–L5", "0.5"]


def _figure(seed: int, antialiased: bool = True, math: bool = False) -> Figure:
    """A figure of many texts at random sub-pixel positions, sizes, angles and styles."""
    fig = Figure(figsize=(4.3, 3.1), dpi=97)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], color="#0072B2")
    ax.set_title("Fibre length (× optimal)")
    rng = np.random.default_rng(seed)
    for i in range(48):
        fig.text(rng.random(), rng.random(), _WORDS[i % len(_WORDS)],
                 fontsize=float(rng.choice([6.5, 8, 9.7, 12, 15])),
                 rotation=float(rng.choice([0, 0, 90, 33.3, -12.5])),
                 weight="bold" if i % 3 == 0 else "normal",
                 style="italic" if i % 5 == 0 else "normal",
                 family="DejaVu Serif" if i % 7 == 0 else "DejaVu Sans",
                 color=("#D55E00", "#000000", "#009E73")[i % 3], alpha=0.6 if i % 4 == 0 else 1,
                 antialiased=antialiased)
    for angle, size, weight in ((0, 9, "normal"), (90, 9, "normal"), (33.3, 9, "normal"),
                                (0, 12, "normal"), (0, 9, "bold")):
        # One anchor for all: the first glyph sits at the same point each time, so a cache
        # that forgot the angle, size or face would reuse the wrong bitmap.
        fig.text(0.4, 0.4, "Wave", rotation=angle, rotation_mode="anchor", fontsize=size,
                 weight=weight, antialiased=antialiased)
    if math:
        fig.text(0.1, 0.5, r"$J\,\ddot{\theta} = -k\theta$", fontsize=11)
    return fig


def _pixels(fig: Figure) -> np.ndarray:
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()


@needs_support
@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("antialiased", [True, False])
def test_cached_text_is_matplotlibs_pixel_for_pixel(seed, antialiased):
    expected = _pixels(_figure(seed, antialiased, math=True))
    fig = _figure(seed, antialiased, math=True)
    with glyph_cache(fig.canvas.get_renderer()) as used:
        first = _pixels(fig)        # layouts and glyphs remembered (some already, from others)
        again = _pixels(fig)        # every glyph from the cache
    assert used
    for name, got in (("first", first), ("again", again)):
        differ = int((got != expected).any(axis=2).sum())
        assert differ == 0, f"{name} cached draw differs from matplotlib's in {differ} pixels"


@needs_support
def test_a_text_drawn_again_is_not_rasterised_again():
    fig = _figure(4)
    with glyph_cache(fig.canvas.get_renderer()):
        _pixels(fig)
        glyphs_before, layouts_before = len(glyphs._glyphs), len(glyphs._layouts)
        _pixels(fig)
    assert glyphs_before > 0 and layouts_before > 0
    assert (len(glyphs._glyphs), len(glyphs._layouts)) == (glyphs_before, layouts_before)


@needs_support
def test_the_stores_stay_bounded_and_the_pixels_right(monkeypatch):
    monkeypatch.setattr(glyphs, "_MAX_GLYPHS", 50)
    monkeypatch.setattr(glyphs, "_MAX_LAYOUTS", 5)
    glyphs._glyphs.clear()
    glyphs._layouts.clear()
    expected = _pixels(_figure(5))
    fig = _figure(5)
    with glyph_cache(fig.canvas.get_renderer()):
        got = _pixels(fig)
    assert len(glyphs._glyphs) <= 50 and len(glyphs._layouts) <= 5
    assert (got == expected).all()


@needs_support
def test_remembered_text_boxes_are_matplotlibs_for_every_text():
    """Inside the block a text's box comes from the remembered layout: the same as outside
    for every text (sizes, angles, faces, anchors, alignments, several lines), asked twice."""
    from matplotlib.text import Text

    fig = _figure(8)
    for i, (ha, va) in enumerate((("left", "baseline"), ("center", "top"), ("right", "center"),
                                  ("center", "center_baseline"))):
        fig.text(0.3, 0.6, "two lines\nof text", ha=ha, va=va, rotation=20 * i,
                 multialignment=("left", "center", "right", "left")[i], linespacing=1 + i / 4)
        fig.text(0.3, 0.6, "two lines\nof text", ha=ha, va=va, rotation=20 * i, wrap=True)
    renderer = fig.canvas.get_renderer()
    fig.canvas.draw()
    texts = [t for t in fig.findobj(Text) if t.get_text()]
    expected = [t.get_window_extent(renderer).bounds for t in texts]
    glyphs._boxes.clear()
    with glyph_cache(renderer):
        first = [t.get_window_extent(renderer).bounds for t in texts]
        again = [t.get_window_extent(renderer).bounds for t in texts]
    assert len(glyphs._boxes) > 0
    assert first == expected and again == expected
    assert Text._get_layout.__module__ == "matplotlib.text"    # put back after the block


def test_the_renderer_is_left_as_it_was_even_after_an_error():
    fig = _figure(6)
    renderer = fig.canvas.get_renderer()
    with pytest.raises(RuntimeError, match="boom"), glyph_cache(renderer):
        raise RuntimeError("boom")
    assert "draw_text" not in vars(renderer)
    with glyph_cache(renderer):
        with glyph_cache(renderer) as inner:     # nested: the outer one stays in charge
            assert not inner
        assert "draw_text" in vars(renderer)
    assert "draw_text" not in vars(renderer)


def test_without_support_text_is_drawn_the_ordinary_way(monkeypatch):
    monkeypatch.setattr(glyphs, "glyph_cache_supported", lambda: False)
    fig = _figure(7)
    renderer = fig.canvas.get_renderer()
    with glyph_cache(renderer) as used:
        assert not used and "draw_text" not in vars(renderer)


def test_a_renderer_of_another_kind_is_refused_by_name():
    with pytest.raises(TypeError, match="Agg renderer, got str"), glyph_cache("svg"):
        pass
