"""What a figure module gives a diagram: make, update and describe, from one *state*.

A diagram is drawn from a state (a number, a tuple, a model result: whatever decides what the
picture shows). A figure module bundles its functions as a :class:`Drawing`::

    LEG = Drawing(name="hip-demo", make=make_leg, update=update_leg, describe=describe_leg,
                  alt=lambda deg: f"Side view of a leg at {deg:.0f} degrees of hip flexion",
                  moving=lambda artists: list(artists.values()))

and a widget (:class:`melt_course.widgets.diagram.Diagram`) declares its controls and how
they make the state. Everything else (the stored first frame, the fast redraw, the busy sign,
the text alternatives, errors) belongs to the widget component, once.

This module imports no matplotlib and no widgets.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from melt_course.figures.frames import frame_key

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

__all__ = ["Drawing", "flatten_artists", "in_a_column"]


def flatten_artists(artists: Any) -> list[Artist]:
    """All matplotlib artists inside a nested dict/list/tuple of artists (in order, no repeats)."""
    from matplotlib.artist import Artist

    out: list[Artist] = []
    seen: set[int] = set()

    def walk(item: Any) -> None:
        if isinstance(item, Artist):
            if id(item) not in seen:
                seen.add(id(item))
                out.append(item)
        elif isinstance(item, dict):
            for value in item.values():
                walk(value)
        elif isinstance(item, (list, tuple)):
            for value in item:
                walk(value)

    walk(artists)
    return out


def in_a_column(text: str, places: dict[str, str]) -> str:
    """A description's panel places said for a narrow layout (``{"Left:": "Top:"}``).

    Each key is replaced once, in order.

    Raises
    ------
    ValueError
        When ``text`` lacks a key (the description changed: the narrow one would be wrong).

    Examples
    --------
    >>> in_a_column("Left: a body. Right: a plot.", {"Left:": "Top:", "Right:": "Bottom:"})
    'Top: a body. Bottom: a plot.'
    """
    for wide, narrow in places.items():
        if wide not in text:
            raise ValueError(f"description {text[:60]!r}... has no {wide!r} to say where a "
                             "panel is")
        text = text.replace(wide, narrow, 1)
    return text


@dataclass(frozen=True)
class Drawing:
    """A diagram's figure functions, all taking the same state.

    Parameters
    ----------
    name : str
        The diagram's name, the first part of its frame key (``"psoas-explorer"``).
    make : callable
        ``make(state) -> (figure, artists)``: a new figure (made with
        :func:`melt_course.figures.new_figure`, no pyplot) showing ``state``, and whatever
        ``update`` needs to change it later (usually a dict of artists).
    describe : callable
        ``describe(state) -> str``: the long text description of what the figure shows.
    alt : str or callable
        The image's short alternative text (one line), or ``alt(state) -> str``.
    update : callable, optional
        ``update(artists, state)``: change the artists to show another state (no new
        artists). None for a picture that never changes after it is made.
    moving : callable, optional
        ``moving(artists) -> iterable of Artist``: the artists an update changes. Given, only
        those are redrawn over a still background kept as pixels
        (:class:`melt_course.figures.live.LiveFigure`); None redraws the whole figure.
    keep_stacking : bool
        With ``moving``: also redraw still artists that a full draw puts above the moving
        ones, so the picture is a full draw's, pixel for pixel (costs a little per redraw).
    key : callable, optional
        ``key(state) -> tuple``: the values naming the state in the frame key. Default: the
        state itself (a tuple is spread). Give one when the state is a rich object (a model
        result) so the key stays short and readable.
    freeze_layout : bool
        Keep the first draw's layout for later draws (default). False for a figure whose
        tick labels or legends change size with the state.
    narrow : Drawing, optional
        The same figure laid out for a narrow screen (a phone): panels in one column, so its
        text stays readable at about 360 CSS px. Its own ``name`` (its frame keys), ``make``
        and ``describe`` (which says "top" and "bottom" where this one says "left" and
        "right"); same state. The picture switches to it when the width it is shown at would
        shrink this drawing's smallest text below a readable size
        (:class:`melt_course.widgets.diagram.Picture`).

    Examples
    --------
    >>> d = Drawing(name="demo", make=lambda s: None, describe=str, alt="A demo")
    >>> d.frame((30, "psoas"))
    'demo_30_psoas'
    >>> d.short_text(30)
    'A demo'
    """

    name: str
    make: Callable[[Any], tuple[Figure, Any]]
    describe: Callable[[Any], str]
    alt: str | Callable[[Any], str]
    update: Callable[[Any, Any], None] | None = None
    moving: Callable[[Any], Iterable[Artist]] | None = None
    keep_stacking: bool = False
    key: Callable[[Any], tuple] | None = None
    freeze_layout: bool = True
    narrow: Drawing | None = None

    def __post_init__(self) -> None:
        frame_key(self.name)  # a usable name, or ValueError now rather than at first draw
        for field in ("make", "describe"):
            if not callable(getattr(self, field)):
                raise ValueError(f"Drawing {self.name!r}: {field}={getattr(self, field)!r} is "
                                 "not callable")
        if not (isinstance(self.alt, str) and self.alt.strip()) and not callable(self.alt):
            raise ValueError(f"Drawing {self.name!r}: alt={self.alt!r} must be a non-empty "
                             "string or a function of the state")
        if self.narrow is not None and (not isinstance(self.narrow, Drawing)
                                        or self.narrow.name == self.name):
            given = getattr(self.narrow, "name", self.narrow)
            raise ValueError(f"Drawing {self.name!r}: narrow={given!r} must be another Drawing "
                             "with its own name")

    def frame(self, state: Any) -> str:
        """The frame key of ``state`` (see :func:`melt_course.figures.frames.frame_key`)."""
        if self.key is not None:
            parts = tuple(self.key(state))
        elif isinstance(state, tuple):
            parts = state
        else:
            parts = (state,)
        return frame_key(self.name, *parts)

    def short_text(self, state: Any) -> str:
        """The short alternative text for ``state`` (one line)."""
        text = self.alt(state) if callable(self.alt) else self.alt
        return " ".join(str(text).split())
