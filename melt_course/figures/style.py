"""The course style and a pyplot-free way to make and render figures."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["COURSE_STYLE", "NARROW_WIDTH", "course_style", "figure_png", "new_figure",
           "smallest_text_px"]

#: Width in inches (at 100 dpi: image pixels) of a figure's narrow layout, the one for a phone
#: (a 390 px screen leaves about 360 CSS px for a picture, so its text is shown at about full
#: size). See :class:`melt_course.figures.drawing.Drawing` ``narrow``.
NARROW_WIDTH = 3.7

#: Path of the shipped style sheet.
COURSE_STYLE = str(resources.files("melt_course").joinpath("styles/course.mplstyle"))


@cache
def _course_rc() -> dict:
    """The style sheet's settings, read once."""
    import matplotlib

    return dict(matplotlib.rc_params_from_file(COURSE_STYLE, use_default_template=False))


@contextlib.contextmanager
def course_style() -> Iterator[None]:
    """Apply the course style inside a ``with`` block only; global rcParams are restored.

    Only the settings the course style makes are saved and put back (also after an error).
    ``matplotlib.rc_context`` would copy and check all of matplotlib's settings each time,
    about 2.5 ms on every slider move; the course's drawing code sets no rcParams of its own.
    """
    import matplotlib

    rc = _course_rc()
    params = matplotlib.rcParams
    saved = {key: dict.__getitem__(params, key) for key in rc}
    params.update(rc)
    try:
        yield
    finally:
        dict.update(params, saved)  # the saved values were valid: no need to check them again


def new_figure(width: float = 6.4, height: float = 4.0, nrows: int = 1, ncols: int = 1,
               width_ratios: list[float] | None = None,
               height_ratios: list[float] | None = None,
               **subplot_kw) -> tuple[Figure, object]:
    """Create a figure and its axes in the course style, on an Agg canvas, without pyplot.

    Figures made this way are not registered with pyplot, so they never stack up in a
    notebook and are garbage-collected like any object.

    Parameters
    ----------
    width, height : float
        Size in inches (at 100 dpi).
    nrows, ncols : int
        Grid of axes, as for :meth:`matplotlib.figure.Figure.subplots`.
    width_ratios, height_ratios : list of float, optional
        Relative widths of the columns, heights of the rows.
    **subplot_kw
        Passed to each axes (e.g. ``projection``).

    Returns
    -------
    fig : matplotlib.figure.Figure
    axes : Axes or numpy array of Axes
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with course_style():
        fig = Figure(figsize=(width, height), layout="constrained")
        FigureCanvasAgg(fig)
        axes = fig.subplots(nrows, ncols, subplot_kw=subplot_kw or None, squeeze=True,
                            width_ratios=width_ratios, height_ratios=height_ratios)
    return fig, axes


def figure_png(fig: Figure, dpi: float | None = None) -> bytes:
    """Render a figure to PNG bytes, deterministically (no timestamp or version metadata).

    Rendering happens inside :func:`course_style` (cheap: the style is read once), so tick
    labels that matplotlib creates during the draw, after a limit change, get the course's
    sizes too. Fast zlib compression is used: these bytes travel to the browser on every
    slider move, where encoding time matters more than a few kilobytes.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.
    dpi : float, optional
        Resolution; default the figure's own.

    Returns
    -------
    bytes
        The PNG file's bytes.
    """
    buf = io.BytesIO()
    # matplotlib draws an axes' animated artists when saving, but not the figure's own (a
    # figure title a live diagram moves): show those too, as the live picture does.
    hidden = [artist for artist in fig.get_children() if artist.get_animated()]
    for artist in hidden:
        artist.set_animated(False)
    try:
        with course_style():
            fig.savefig(buf, format="png", dpi=dpi or fig.dpi, metadata={"Software": None},
                        facecolor="white", pil_kwargs={"compress_level": 1})
    finally:
        for artist in hidden:
            artist.set_animated(True)
    return buf.getvalue()


def smallest_text_px(fig: Figure) -> float | None:
    """The height of the figure's smallest text, in image pixels (font size at its dpi).

    Counts every visible, non-empty text the last draw placed inside the figure (titles,
    labels, tick labels, legends, annotations); None for a figure without text. A diagram
    shows it on its ``<img>`` (``data-min-font-px``) so a browser test can tell how large
    that text is on screen.
    """
    from matplotlib.text import Text

    renderer = fig.canvas.get_renderer()
    box = fig.bbox
    sizes = []
    stale = fig.stale       # measuring updates tick objects, which marks the figure changed
    try:
        for text in fig.findobj(Text):
            if not (text.get_visible() and text.get_text().strip()):
                continue
            extent = text.get_window_extent(renderer)
            if extent.width > 0 and extent.x1 > box.x0 and extent.x0 < box.x1 and \
                    extent.y1 > box.y0 and extent.y0 < box.y1:
                sizes.append(text.get_fontsize())
    finally:
        fig.stale = stale   # (nothing drawn changed: a live figure keeps its background)
    return None if not sizes else min(sizes) * fig.dpi / 72.0
