"""The one diagram component: a widget declares its controls and its state; this draws it.

A diagram widget subclasses :class:`Diagram`, names its figure functions (a
:class:`~melt_course.figures.drawing.Drawing` from a figure module), makes its controls, and
says how they make the state::

    class HipDemo(Diagram):
        title = "Hip flexion demo"
        drawing = LEG                      # from melt_course.figures.demo
        main = "slider"                    # its main slider (see "drawing ahead" below)

        def __init__(self, start_deg=0):
            self.slider = W.IntSlider(value=start_deg, description="Hip flexion (°)")
            super().__init__(controls=[self.slider])

        def state_at(self, hip):           # the state with the main slider at ``hip``
            return hip

A diagram without a main slider defines ``state()`` (the state its controls make) instead.

Everything else is the component's, once:

- **one guarded observer** on the declared controls (:func:`~melt_course.widgets.base.connect`):
  a control moves, the state is read, :meth:`Diagram.changed` (the widget's read-outs) runs,
  the picture follows; an exception anywhere in that shows in the widget's error area;
- **the stored first frame**: the picture opens on ``melt_course/data/frames/<key>.png``,
  the key derived from the starting state (:meth:`Drawing.frame`), so a lesson opens without
  matplotlib; ``scripts/make_frames.py`` stores them, ``tests/test_frames.py`` checks them;
- **lazy build and warm-up**: the live figure is made when first needed, or earlier, in the
  background once the lesson has run and the kernel is idle (:func:`warm_up_later`), so the
  first move costs what later moves cost; if a control moves before that, a busy sign shows;
- **drawing ahead**: a diagram that names its ``main`` slider and defines ``state_at(value)``
  (instead of ``state()``) has that slider's nearest states drawn unseen after the warm-up,
  and while a learner steps through it one step at a time, the next step in the same
  direction is drawn unseen in the pause after each move and shown at once if asked for
  (:meth:`Picture.draw_ahead_later`); a turn back, a jump or a drag is drawn as usual;
- **the fast redraw**: a drawing that names its ``moving`` artists is redrawn over a still
  background kept as pixels (:class:`~melt_course.figures.live.LiveFigure`), others by a full
  render with the first layout kept;
- **readable on a phone**: a small front-end piece (:class:`~melt_course.widgets.fit.PictureWidth`)
  reports the width the picture is shown at; when that would shrink the drawing's smallest
  text below :data:`~melt_course.widgets.fit.READABLE_PX` CSS px and the drawing has a
  ``narrow`` layout (panels in one column), the picture shows that one (its own stored first
  frames); otherwise the picture keeps a readable minimum width and scrolls sideways in its
  box. The ``<img>`` carries ``data-min-font-px``, its smallest text in image pixels;
- **text alternatives**: the picture is an ``<img>`` with a short ``alt`` and
  ``aria-describedby`` pointing at the long description, which sits in a collapsed
  "Figure description" section (open it to read; screen readers reach it either way);
- **named controls**: as a :class:`~melt_course.widgets.base.CourseWidget`, every control gets
  its screen-reader name and every slider speaks its value (:mod:`melt_course.widgets.aria`);
  a slider whose number needs words says so with ``aria.describe(slider, valuetext=...)``
  (lesson 3's log time sliders say "10 s after the stressor", not "1").
"""

from __future__ import annotations

import base64
import contextlib
import functools
import itertools
import logging
import math
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from html import escape
from typing import TYPE_CHECKING, Any, ClassVar

import ipywidgets as W

from melt_course.figures import frames as _frames
from melt_course.figures.drawing import Drawing
from melt_course.widgets.base import CourseWidget, SharedLook
from melt_course.widgets.fit import PictureWidth, readable_width

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["AHEAD_ENV", "WARM_ENV", "Diagram", "Picture", "Still", "slider_values", "warm_up_later"]

_log = logging.getLogger("melt_course.widgets")

#: Set to ``off`` to turn the background warm-up off (benchmarks measure both ways); it also
#: turns drawing ahead off.
WARM_ENV = "MELT_COURSE_WARM"
#: Set to ``off`` to turn drawing ahead off alone (a benchmark measures every move drawn).
AHEAD_ENV = "MELT_COURSE_AHEAD"

#: Seconds the kernel must have run no cell before a diagram is warmed up.
_IDLE_S = 1.0
#: Seconds between two warm-up steps (a control moved meanwhile is handled between them).
_STEP_S = 0.01
#: Seconds after a step of the main slider before the next step is drawn ahead (the browser
#: shows the new picture meanwhile; a move within this time cancels the drawing).
_AHEAD_S = 0.02
#: At most this many states are rehearsed per picture (the nearest ones: a learner's first
#: moves), about 0.2 to 0.3 s of one core for a lesson 2 diagram.
REHEARSE_MAX = 12

#: Layouts shared by every picture's parts (none of them changes its own layout).
_LOOK = SharedLook()

#: One picture is drawn at a time in a process. In JupyterLab (ipykernel 7) a widget's
#: callbacks may run in a kernel subshell's thread while the warm-up, the rehearsal and the
#: drawing ahead run in the main thread's event loop; matplotlib figures (and the glyph cache,
#: which swaps a ``Text`` method while it draws) must not be used by two threads at once.
#: Re-entrant: a redraw may build, a warm-up may render.
_DRAWING = threading.RLock()


def _one_at_a_time(method: Callable) -> Callable:
    """Run ``method`` holding :data:`_DRAWING`."""
    @functools.wraps(method)
    def locked(*args: Any, **kwargs: Any) -> Any:
        with _DRAWING:
            return method(*args, **kwargs)
    return locked


class Picture(W.VBox):
    """A diagram's picture: the image, a busy sign and the collapsible long description.

    Made by :class:`Diagram`; use it directly only for a picture with no controls of its own
    (a quiz question's figure). ``state`` is a function returning the state to draw.

    Parameters
    ----------
    drawing : Drawing
        The figure functions.
    state : callable
        Returns the current state.
    """

    def __init__(self, drawing: Drawing, state: Callable[[], Any]) -> None:
        if not isinstance(drawing, Drawing):
            raise ValueError(f"drawing={drawing!r} is not a melt_course.figures.drawing.Drawing")
        self.drawing = drawing      # the layout shown now: ``wide`` or ``wide.narrow``
        self.wide = drawing
        self._state = state
        self.fig: Figure | None = None
        self.artists: Any = None
        self.live = None            # a LiveFigure when the drawing names its moving artists
        self.renders = 0            # pictures shown (the stored first frame counts)
        self.live_renders = 0       # pictures drawn by matplotlib
        self._drawn_state: Any = _UNSET
        self.text_px: float | None = None    # smallest text of the picture shown, image px
        self._text_px_of: Any = None         # the live figure _live_text_px was measured on
        self._live_text_px: float | None = None
        self._readable: dict[str, int] = {}  # layout name -> readable width (CSS px)
        self.warms = False                   # warmed up in the background (set by Diagram)
        #: Returns the states a learner reaches next with the main control (set by Diagram):
        #: drawn unseen after the warm-up, so a first visit costs what a later one does.
        self.rehearsal: Callable[[], Iterable[Any]] = tuple
        self.rehearsed = 0                   # states drawn unseen so far (tests, benchmarks)
        self._ahead: tuple | None = None     # (figure, frame key, PNG) drawn ahead, unseen
        self._moves = 0                      # pictures asked for: an older look-ahead is dropped
        self.drawn_ahead = 0                 # pictures drawn ahead (tests, benchmarks)
        self.shown_ahead = 0                 # moves shown from a picture drawn ahead
        first = state()
        self.frame = drawing.frame(first)
        self.image = _LOOK.make(W.HTML)
        self.image.add_class("melt-diagram-image")
        self.busy = W.HTML(layout=W.Layout(display="none"))   # its own: it shows and hides
        self.busy.add_class("melt-diagram-busy")
        self.text = _LOOK.make(W.HTML)
        self.text.add_class("melt-description-box")
        self.details = W.Accordion([self.text], titles=("Figure description (text version)",),
                                   selected_index=None, layout=_LOOK.layout())
        self.details.add_class("melt-diagram-details")
        self.fit = PictureWidth()
        super().__init__([self.image, self.busy, self.details, self.fit],
                         layout=_LOOK.layout())
        self.add_class("melt-diagram-picture")
        stored = _frames.load(self.frame)
        if stored is not None:
            self._show(stored, first)
        else:
            self.redraw(first)

    # ------------------------------------------------------------------ state of the figure
    @property
    def built(self) -> bool:
        """Whether the live figure exists (False while the stored first frame is shown)."""
        return self.fig is not None

    @property
    def background_draws(self) -> int:
        """How often the still background was drawn (0 for a drawing without ``moving``)."""
        return self.live.background_draws if self.live is not None else 0

    @property
    def description_id(self) -> str:
        """The DOM id of the long description (the image's ``aria-describedby``)."""
        return f"melt-desc-{self.text.model_id}"

    @property
    def narrow(self) -> bool:
        """Whether the narrow layout (``drawing.narrow``) is shown."""
        return self.drawing is not self.wide

    @_one_at_a_time
    def fit_to(self, width: int) -> bool:
        """Show the layout whose text is readable at ``width`` CSS px (what the browser reports).

        The wide layout while its smallest text stays at least
        :data:`~melt_course.widgets.fit.READABLE_PX` high at ``width``, else the drawing's
        ``narrow`` layout if it has one (shown from its stored first frame when there is one,
        else drawn now). ``width`` 0 (not shown yet, or hidden) changes nothing.

        Returns
        -------
        bool
            True when the layout changed.

        Raises
        ------
        ValueError
            When ``width`` is not a whole number of pixels, 0 or more.
        """
        if isinstance(width, bool) or not isinstance(width, int) or width < 0:
            raise ValueError(f"width={width!r} must be a whole number of CSS pixels, 0 or more")
        narrow = self.wide.narrow
        if width == 0 or narrow is None:
            return False
        needs = self._readable.get(self.wide.name)
        if needs is None:            # the wide layout's text was never measured: draw it
            return False
        want = narrow if width < needs else self.wide
        if want is self.drawing:
            return False
        self._use(want)
        return True

    @_one_at_a_time
    def _use(self, drawing: Drawing) -> None:
        """Show ``drawing`` (a layout of the same state) instead of the current one."""
        self.drawing = drawing
        self.fig = self.artists = self.live = None
        self._drawn_state = _UNSET
        self._ahead = None
        state = self._state()
        self.frame = drawing.frame(state)
        stored = _frames.load(self.frame)
        if stored is not None:
            self._show(stored, state)
        else:
            self.redraw(state)
        if self.warms:
            warm_up_later(self)

    @_one_at_a_time
    def build(self, state: Any = None) -> bool:
        """Make the live figure for ``state`` (default: the current one) if it does not exist.

        Returns
        -------
        bool
            True when made by this call (it then already shows ``state``).
        """
        if self.fig is not None:
            return False
        from melt_course.figures.style import course_style  # matplotlib only when drawing

        state = self._state() if state is None else state
        with course_style():
            made = self.drawing.make(state)
        if not (isinstance(made, tuple) and len(made) == 2 and hasattr(made[0], "savefig")):
            raise ValueError(f"{self.drawing.name}: make() returned {made!r}, expected "
                             "(figure, artists)")
        self.fig, self.artists = made
        if self.drawing.moving is not None:
            from melt_course.figures.live import LiveFigure

            moving = list(self.drawing.moving(self.artists))
            if not moving:
                raise ValueError(f"{self.drawing.name}: moving() named no artists")
            self.live = LiveFigure(self.fig, moving, keep_stacking=self.drawing.keep_stacking)
        self._drawn_state = state
        return True

    @_one_at_a_time
    def warm(self) -> None:
        """Make the live figure, draw it once and measure its smallest text, without showing
        it (the first move then costs what later moves cost)."""
        if self.fig is None:
            self.build()
            self._measure_text(self._render())   # measured now, not at the first move

    def rehearse(self) -> Iterator[None]:
        """Draw the first :data:`REHEARSE_MAX` states of :attr:`rehearsal` without showing
        them, one per step of this generator, then the current state again.

        A first visit to a state costs more than a later one (new words to lay out, new
        glyph positions, model values to compute); the warm-up runs one step at a time while
        the kernel is idle, so a control moved meanwhile is handled between two steps. Stops
        when the live figure is replaced (a new layout) or when there is none.
        """
        fig = self.fig
        if fig is None or self.live is None or self.drawing.update is None:
            return
        # Lazily (a state may take a model run to make), and only the nearest: each kernel
        # of a class on one server rehearses, so the work stays small.
        drawn = 0
        for state in itertools.islice(self.rehearsal(), REHEARSE_MAX):
            if not self._draw_unseen_on(fig, state):
                return
            drawn += 1
            self.rehearsed += 1
            yield
        if drawn:
            self._draw_unseen_on(fig, None)

    @_one_at_a_time
    def _draw_unseen_on(self, fig: Any, state: Any) -> bool:
        """:meth:`_draw_unseen` while ``fig`` is still the live figure (``state`` None: the
        current one); return whether it drew."""
        if self.fig is not fig:
            return False
        self._draw_unseen(self._state() if state is None else state)
        return True

    @_one_at_a_time
    def _draw_unseen(self, state: Any) -> bytes:
        """Update the live figure's artists to ``state`` and draw it, without showing it;
        return the PNG."""
        self._update(state)
        return self.live.render()

    def _update(self, state: Any) -> None:
        """Move the live figure's artists to ``state`` (in the course style), without drawing."""
        from melt_course.figures.style import course_style

        with course_style():
            self.drawing.update(self.artists, state)
        self._drawn_state = state

    def draw_ahead_later(self, make_state: Callable[[], Any]) -> bool:
        """Draw, unseen, the state a learner is likely to ask for next, once the kernel has
        had :data:`_AHEAD_S` seconds without a new move; if the next move asks for it, it is
        shown without drawing (see :meth:`redraw`).

        Only inside a running kernel, with a live figure (not while the stored first frame
        is shown), and unless ``MELT_COURSE_WARM=off`` or ``MELT_COURSE_AHEAD=off``. Any
        move or redraw before then cancels it: it never delays a learner who keeps moving.

        Parameters
        ----------
        make_state : callable
            Returns the state to draw (called only when the drawing happens: a state may
            take a model run to make).

        Returns
        -------
        bool
            Whether the drawing was scheduled.
        """
        if self.live is None or self.drawing.update is None or not _warm_enabled() \
                or not _enabled(AHEAD_ENV):
            return False
        loop = _kernel_loop()
        if loop is None:
            return False
        loop.call_later(_AHEAD_S, self._draw_ahead, make_state, self.fig, self._moves)
        return True

    @_one_at_a_time
    def _draw_ahead(self, make_state: Callable[[], Any], fig: Any, moves: int) -> None:
        if fig is not self.fig or moves != self._moves:   # moved again, or a new layout
            return
        try:
            state = make_state()
            key = self.drawing.frame(state)
            png = self._draw_unseen(state)
        except Exception:  # the move itself draws again, and shows any error
            _log.warning("drawing ahead for diagram %s failed", self.drawing.name,
                         exc_info=True)
            return
        self._ahead = (fig, key, png)
        self.drawn_ahead += 1

    @_one_at_a_time
    def follow(self, state: Any) -> None:
        """Bring the live figure's artists to ``state`` without drawing (after a picture
        drawn ahead or rehearsed, the figure may hold another state than the one shown)."""
        if self.fig is not None and self._drawn_state is not state \
                and self.drawing.update is not None:
            self._update(state)

    # ------------------------------------------------------------------ drawing
    @_one_at_a_time
    def redraw(self, state: Any = None) -> None:
        """Show ``state`` (default: the current one): build if needed, update, render; or,
        when ``state`` is the one drawn ahead (:meth:`draw_ahead_later`), show that picture."""
        state = self._state() if state is None else state
        self._moves += 1
        ahead, self._ahead = self._ahead, None
        if ahead is not None and ahead[0] is self.fig and ahead[1] == self.drawing.frame(state):
            self.shown_ahead += 1
            self._show(ahead[2], state)
            return
        if self.fig is None:
            self._set_busy(True)
            try:
                self.build(state)
            finally:
                self._set_busy(False)
        elif self.drawing.update is not None:
            self._update(state)
        self._show(self._render(), state)

    def live_png(self) -> bytes:
        """Draw the current state with matplotlib now and return the PNG (what a stored first
        frame must equal; ``scripts/make_frames.py`` and ``tests/test_frames.py`` use it)."""
        self.redraw()
        return self.png

    def _render(self) -> bytes:
        if self.live is not None:
            png = self.live.render()
        else:
            from melt_course.figures.style import figure_png

            png = figure_png(self.fig)
            if self.live_renders == 0 and self.drawing.freeze_layout:
                self.fig.set_layout_engine("none")
        self.live_renders += 1
        return png

    def _set_busy(self, busy: bool) -> None:
        if busy:
            self.busy.value = ('<p role="status" class="melt-busy-text">Preparing the diagram '
                               '(the first change takes a moment)…</p>')
            self.busy.layout.display = None
        elif self.busy.layout.display != "none":
            self.busy.layout.display = "none"
            self.busy.value = ""

    def _measure_text(self, png: bytes) -> float | None:
        """The smallest text of ``png`` in image pixels: from the live figure that drew it
        (measured once per figure), or recorded in a stored frame (shown only while there
        is no live figure)."""
        if self.fig is not None:
            if self._text_px_of is not self.fig:
                from melt_course.figures.style import smallest_text_px

                self._live_text_px = smallest_text_px(self.fig)
                self._text_px_of = self.fig
            return self._live_text_px
        return _frames.smallest_text_px(png)

    def _show(self, png: bytes, state: Any) -> None:
        self.png = png
        self.renders += 1
        width, height = _frames.png_size(png)
        self.text_px = self._measure_text(png)
        readable = readable_width(width, self.text_px)
        self._readable[self.drawing.name] = readable
        alt = self.drawing.short_text(state)
        data = base64.b64encode(png).decode("ascii")
        text = "none" if self.text_px is None else f"{self.text_px:.2f}"
        least = f"; min-width: {readable}px" if readable else ""
        self.image.value = (
            f'<img class="melt-diagram" src="data:image/png;base64,{data}" alt="{escape(alt)}" '
            f'aria-describedby="{self.description_id}" width="{width}" height="{height}" '
            f'data-min-font-px="{text}" data-layout="{"narrow" if self.narrow else "wide"}" '
            f'decoding="sync" style="max-width: 100%; height: auto{least}">')
        self.alt = alt
        text = self.drawing.describe(state)
        if text != getattr(self, "description", None):
            self.description = text
            self.text.value = (f'<p class="melt-description" id="{self.description_id}">'
                               f"{escape(text)}</p>")

    def _static_html_(self) -> str:
        """The picture and its description for a printed page (see widgets/static.py)."""
        data = base64.b64encode(self.png).decode("ascii")
        return (f'<img class="melt-static-figure" src="data:image/png;base64,{data}" '
                f'alt="{escape(self.alt)}" style="max-width: 100%; height: auto">'
                f'<p class="melt-static-description"><b>Figure description:</b> '
                f"{escape(self.description)}</p>")


_UNSET = object()


class Diagram(CourseWidget):
    """The base of every diagram widget: declare ``drawing``, controls and :meth:`state`.

    Parameters
    ----------
    controls : sequence of ipywidgets.Widget
        The controls that change the state; the component listens to each (``value``).
    children : sequence of ipywidgets.Widget, optional
        The widget's layout, which must include :attr:`picture`; default the controls, then
        the picture.
    action : str
        What moving a control does, for an error message ("moving the slider").

    Notes
    -----
    Subclasses set the class attributes ``title`` and ``drawing``, make their controls, then
    call ``super().__init__(controls=...)``. They define :meth:`state` (or name their
    :attr:`main` slider and define :meth:`state_at`) and may define
    :meth:`changed` (update read-outs beside the picture). Other buttons (a "Gasp" button, a
    "Refresh") use :meth:`CourseWidget.connect` and end in :meth:`redraw`.
    """

    #: The figure functions (set by each subclass).
    drawing: ClassVar[Drawing]
    #: Whether the live figure is made in the background once the lesson has run.
    warm_up: ClassVar[bool] = True
    #: Whether the learner can change it (a printed page says so).
    interactive: ClassVar[bool] = True
    #: The attribute naming the main slider, if any (with :meth:`state_at`): its other
    #: values are rehearsed after the warm-up, and while a learner steps through it the next
    #: step is drawn ahead (:meth:`Picture.draw_ahead_later`).
    main: ClassVar[str | None] = None

    def __init__(self, controls: Sequence[W.Widget] = (), children: Sequence[W.Widget] | None =
                 None, action: str = "changing the diagram") -> None:
        self.controls = list(controls)
        picture = self.picture              # reads the starting state
        self.changed(self.current)
        for control in self.controls:
            self.connect(control, self._on_control, action=action)
        super().__init__(list(children) if children is not None else [*self.controls, picture])
        if picture not in _descendants(self):
            raise ValueError(f"{type(self).__name__}: children must include self.picture")
        self.connect(picture.fit, lambda change: picture.fit_to(change["new"]),
                     action="fitting the diagram to the screen", names="width")
        picture.rehearsal = self.rehearsal
        if self.warm_up:
            picture.warms = True
            warm_up_later(picture)

    @property
    def picture(self) -> Picture:
        """The picture (made on first use, from the state at that time)."""
        picture = self.__dict__.get("_melt_picture")
        if picture is None:
            self.current = self.state()
            picture = self.__dict__["_melt_picture"] = Picture(self.drawing,
                                                               lambda: self.current)
        return picture

    @property
    def fig(self) -> Figure:
        """The live figure, its artists at the state shown (made now if the picture still
        shows its stored first frame)."""
        self.picture.build()
        self.picture.follow(self.current)
        return self.picture.fig

    def state(self) -> Any:
        """The state the controls describe now (what ``drawing`` draws). Subclasses define
        it, or name their :attr:`main` slider and define :meth:`state_at`."""
        if self.main is None:
            raise NotImplementedError(f"{type(self).__name__} must define state()")
        return self.state_at(self.main_control.value)

    def state_at(self, value: Any) -> Any:
        """The state with the :attr:`main` slider at ``value`` and the other controls as
        they are (defined by a diagram that names a main slider)."""
        raise NotImplementedError(f"{type(self).__name__} must define state_at()")

    @property
    def main_control(self) -> W.Widget | None:
        """The main slider (the attribute :attr:`main` names), or None."""
        return None if self.main is None else getattr(self, self.main)

    def changed(self, state: Any) -> None:
        """Called with the new state before the picture follows it (update read-outs here)."""

    def rehearsal(self) -> Iterable[Any]:
        """The states the main slider reaches from here, nearest first, made one at a time
        (drawn unseen after the warm-up: see :meth:`Picture.rehearse`); none without one."""
        if self.main is None:
            return ()
        return (self.state_at(value) for value in slider_values(self.main_control))

    def description(self) -> str:
        """The long text description of what the diagram shows now."""
        return self.drawing.describe(self.current)

    def redraw(self) -> None:
        """Read the state again and show it (for buttons and code that change the state)."""
        self.current = self.state()
        self.changed(self.current)
        self.picture.redraw(self.current)

    def _on_control(self, change: Any) -> None:
        if self._held:
            return
        self.redraw()
        after = self._next_step(change)
        if after is not None:    # stepping through the main slider: draw the next step ahead
            self.picture.draw_ahead_later(lambda: self.state_at(after))

    def _next_step(self, change: Any) -> Any:
        """The main slider's next value when ``change`` was one step of it, else None."""
        slider = self.main_control
        if slider is None or change.get("owner") is not slider or change.get("name") != "value":
            return None
        new = _position(slider, change["new"])
        step = new - _position(slider, change["old"])
        if not math.isclose(abs(step), slider.step, rel_tol=1e-6):
            return None
        after = _on_grid(slider, new + step)
        return _value_at(slider, after) if slider.min <= after <= slider.max else None

    @property
    def _held(self) -> bool:
        return self.__dict__.get("_melt_held", 0) > 0

    @contextlib.contextmanager
    def quietly(self) -> Iterator[None]:
        """Change controls without a redraw for each (call :meth:`redraw` once after)."""
        self.__dict__["_melt_held"] = self.__dict__.get("_melt_held", 0) + 1
        try:
            yield
        finally:
            self.__dict__["_melt_held"] -= 1


class Still(Diagram):
    """A diagram without controls: a picture in a lesson's prose, or a quiz question's figure.

    Its plain-text form is ``Figure: <long description>``, stable for nbval.

    Parameters
    ----------
    drawing : Drawing
        The figure functions.
    state : object
        What it shows.
    """

    warm_up = False
    interactive = False

    def __init__(self, drawing: Drawing, state: Any) -> None:
        self.drawing = drawing  # type: ignore[misc]  # per picture, not per class
        self._still = state
        self.title = drawing.short_text(state)
        super().__init__()

    def state(self) -> Any:
        return self._still

    def __repr__(self) -> str:
        return f"Figure: {self.description()}"

    def _repr_mimebundle_(self, **kwargs: Any) -> dict | None:
        # ipywidgets cuts the plain text at 110 characters; a still picture's stored text is
        # its whole description (what nbval checks, what a reader without a kernel gets).
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle:
            bundle["text/plain"] = repr(self)
        return bundle


def _descendants(widget: W.Widget) -> list[W.Widget]:
    out = []
    for child in getattr(widget, "children", ()):
        out.append(child)
        out.extend(_descendants(child))
    return out


# ---------------------------------------------------------------------- background warm-up
_QUEUE: list[Picture] = []
_REHEARSALS: list[tuple[Picture, Iterator[None]]] = []
_SCHEDULED: list[bool] = [False]


def _warm_enabled() -> bool:
    return _enabled(WARM_ENV)


def _enabled(variable: str) -> bool:
    return os.environ.get(variable, "").strip().lower() not in {"off", "0", "no", "false"}


def warm_up_later(picture: Picture) -> bool:
    """Make ``picture``'s live figure in the background once the kernel is idle.

    Only inside a running kernel (an event loop runs the cells) and unless
    ``MELT_COURSE_WARM=off``. Pictures are warmed one at a time, each after the kernel has run
    no cell for a second, so a lesson's cells (and the page's time to interactive) are not
    delayed; a control moved meanwhile is handled between two warm-ups.

    Returns
    -------
    bool
        Whether the warm-up was scheduled.
    """
    if picture.built or not _warm_enabled():
        return False
    loop = _kernel_loop()
    if loop is None:
        return False
    _QUEUE.append(picture)
    if not _SCHEDULED[0]:
        _SCHEDULED[0] = True
        loop.call_later(_IDLE_S, _warm_next, loop, _execution_count())
    return True


def _kernel_loop():
    """The running kernel's event loop, or None outside a kernel."""
    import asyncio

    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipywidgets
        return None
    shell = get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return None
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _execution_count() -> int:
    from IPython import get_ipython

    shell = get_ipython()
    return getattr(shell, "execution_count", 0) if shell is not None else 0


def _warm_next(loop, count_before: int) -> None:
    """One warm-up step, then the next: make one queued picture's live figure, or, when all
    are made, draw one state of a rehearsal (:meth:`Picture.rehearse`). Waits for a quiet
    second while cells run."""
    count = _execution_count()
    if count != count_before:          # cells are still running: wait for a quiet second
        loop.call_later(_IDLE_S, _warm_next, loop, count)
        return
    while _QUEUE:
        picture = _QUEUE.pop(0)
        if picture.built:
            continue
        try:
            picture.warm()
        except Exception:  # a failed warm-up is retried by the first move, which shows errors
            _log.warning("warming up diagram %s failed", picture.drawing.name, exc_info=True)
            continue
        _REHEARSALS.append((picture, picture.rehearse()))
        loop.call_later(0.05, _warm_next, loop, count)
        return
    while _REHEARSALS:
        picture, steps = _REHEARSALS[0]
        try:
            next(steps)
        except StopIteration:
            _REHEARSALS.pop(0)
            continue
        except Exception:  # the first move draws again, and shows any error
            _log.warning("rehearsing diagram %s failed", picture.drawing.name, exc_info=True)
            _REHEARSALS.pop(0)
            continue
        loop.call_later(_STEP_S, _warm_next, loop, count)
        return
    _SCHEDULED[0] = False


def slider_values(slider: W.Widget) -> list:
    """Every value of a slider, nearest its current value first (for :meth:`Diagram.rehearsal`).

    A log slider's values are its base to the power of each exponent on its grid; nearest
    means fewest steps away.

    Raises
    ------
    ValueError
        When ``slider`` is not an integer, float or log slider, or its step is not positive.
    """
    if not isinstance(slider, _SLIDERS):
        raise ValueError(f"slider={type(slider).__name__} is not an IntSlider, FloatSlider or "
                         "FloatLogSlider")
    if not slider.step > 0:
        raise ValueError(f"slider step={slider.step!r} must be positive")
    count = round((slider.max - slider.min) / slider.step)
    here = _position(slider, slider.value)
    steps_away = {_on_grid(slider, slider.min + k * slider.step):
                  round(abs(slider.min + k * slider.step - here) / slider.step)
                  for k in range(count + 1)}
    return [_value_at(slider, position)
            for position, away in sorted(steps_away.items(), key=lambda item: (item[1], item[0]))
            if away > 0]


_SLIDERS = (W.IntSlider, W.FloatSlider, W.FloatLogSlider)


def _position(slider: W.Widget, value: float) -> float:
    """Where ``value`` sits on the slider's track: the value, or a log slider's exponent."""
    if isinstance(slider, W.FloatLogSlider):
        return math.log(value, slider.base) if value > 0 else -math.inf
    return value


def _value_at(slider: W.Widget, position: float) -> float:
    """The slider's value at a track position (see :func:`_position`)."""
    return slider.base ** position if isinstance(slider, W.FloatLogSlider) else position


def _on_grid(slider: W.Widget, position: float) -> float:
    """A track position as the slider holds it: a float (a value, or a log slider's exponent)
    rounded a little below its step's digits (0.1 + 0.2 is 0.3), an int unchanged."""
    if isinstance(slider, (W.FloatSlider, W.FloatLogSlider)):
        return round(position, max(0, 2 - math.floor(math.log10(slider.step))))
    return position
