"""Lesson 2's moving cursors can be told from the data: in the fibre-length, walking-step and
hip-flexor diagrams (wide and phone layouts) the cursor that follows the slider has a colour
no plotted series of the same figure has, the key shows it in that colour, and a thin line of
it stays visible on the plot's background.

Checked on the built figures' matplotlib artists, not on the colour constants.
"""

from __future__ import annotations

import pytest
from helpers import contrast
from matplotlib.colors import to_hex, to_rgba

from melt_course.figures import hip_flexors as fh

#: Each diagram with a starting state and how to find its cursor artists.
DIAGRAMS = {
    "fibre-length": (fh.FIBRES, 90, lambda a: [a["cursor"]]),
    "gait-cycle": (fh.GAIT, 30, lambda a: [*a["cursors"], a["hip_dot"]]),
    "hip-flexors": (fh.FLEXORS, ("gait2392", 0, 30), lambda a: [a["cursor"]]),
}
LAYOUTS = ["wide", "narrow"]


def _build(name: str, layout: str):
    drawing, state, cursors = DIAGRAMS[name]
    if layout == "narrow":
        drawing = drawing.narrow
    fig, artists = drawing.make(state)
    return fig, cursors(artists)


def _hex(colour) -> str | None:
    """``#rrggbb`` of a visible colour; None for a transparent one or none."""
    if colour is None or (isinstance(colour, str) and colour == "none"):
        return None
    rgba = to_rgba(colour)
    return None if rgba[3] == 0 else to_hex(rgba, keep_alpha=False)


def _series_colours(fig, cursors) -> dict[str, list[str]]:
    """Every colour a plotted line, marker or patch of the figure shows, with what shows it
    (the cursor artists themselves left out)."""
    from matplotlib.patches import Patch

    skip = {id(c) for c in cursors}
    found: dict[str, list[str]] = {}
    for ax in fig.axes:
        for line in ax.get_lines():
            if id(line) in skip:
                continue
            what = line.get_label() or repr(line)
            for colour in {line.get_color(), line.get_markerfacecolor()}:
                if (hexed := _hex(colour)) is not None:
                    found.setdefault(hexed, []).append(what)
        for patch in [p for p in ax.patches if isinstance(p, Patch)]:
            if (hexed := _hex(patch.get_facecolor())) is not None:
                found.setdefault(hexed, []).append(repr(patch))
    return found


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", sorted(DIAGRAMS))
def test_the_cursor_has_a_colour_no_series_has(name, layout):
    fig, cursors = _build(name, layout)
    colours = {_hex(c.get_color()) for c in cursors}
    assert len(colours) == 1, f"{name} ({layout}): the cursor's parts differ: {colours}"
    (cursor,) = colours
    series = _series_colours(fig, cursors)
    curves = [c for ax in fig.axes for c in ax.get_lines() if c not in cursors]
    assert len(curves) >= 5, f"{name} ({layout}): only {len(curves)} lines found"
    assert cursor not in series, (f"{name} ({layout}): the cursor is {cursor}, the colour of "
                                  f"{series[cursor][:3]}")


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", sorted(DIAGRAMS))
def test_the_key_shows_the_cursor_in_its_colour(name, layout):
    fig, cursors = _build(name, layout)
    cursor = _look(cursors[0])
    keyed = [(text.get_text(), _look(handle))
             for ax in fig.axes if (legend := ax.get_legend()) is not None
             for text, handle in zip(legend.get_texts(), legend.legend_handles, strict=True)
             if "cursor" in text.get_text()]
    assert keyed, f"{name} ({layout}): the key does not name the cursor"
    assert all(look == cursor for _, look in keyed), (name, layout, cursor, keyed)


def _look(line) -> tuple:
    """What a person sees of a line: colour, width and dash pattern (on-off lengths in
    points, as drawn)."""
    offset, dashes = line._dash_pattern                    # as drawn (scaled by width)
    return (_hex(line.get_color()), round(float(line.get_linewidth()), 3),
            None if dashes is None else (round(offset, 3), tuple(round(d, 3) for d in dashes)))


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", sorted(DIAGRAMS))
def test_a_thin_cursor_line_has_3_to_1_contrast_on_what_it_crosses(name, layout):
    """WCAG 1.4.11 (non-text contrast, 3:1) against the plot's background and every shaded
    span the cursor can stand on: the figure's and its axes' backgrounds and the patches of
    the axes a cursor is drawn in (the comparison's bars, in another panel, it never
    crosses)."""
    fig, cursors = _build(name, layout)
    cursor = _hex(cursors[0].get_color())
    crossed = {c.axes for c in cursors}
    grounds = {_hex(fig.get_facecolor())}
    grounds |= {_hex(ax.get_facecolor()) for ax in fig.axes if ax.patch.get_visible()}
    grounds |= {_hex(p.get_facecolor()) for ax in crossed for p in ax.patches}
    grounds.discard(None)
    assert "#ffffff" in grounds
    low = {g: round(contrast(cursor, g), 2) for g in grounds if contrast(cursor, g) < 3.0}
    assert not low, f"{name} ({layout}): cursor {cursor} under 3:1 on {low}"
