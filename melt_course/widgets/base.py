"""The base of every course widget, and the one way a widget listens to its controls.

Errors in callbacks
-------------------
ipywidgets runs a callback (a slider's ``observe`` handler, a button's ``on_click``) outside
any cell, so an exception there never reaches the learner: JupyterLab tucks it into the log
console and Voilà drops it. Every course widget therefore has an :class:`ErrorArea`, and every
callback is registered through :func:`connect` (or :meth:`CourseWidget.connect`), the only
place in ``melt_course/widgets`` that calls ``observe`` or ``on_click``
(``tests/test_widget_guard.py`` scans the source for any other)::

    self.connect(self.slider, self._on_change, action="moving the slider")
    self.connect(self.button, self._on_click, action="checking your answer")
    connect(box, handler, area=self.error_area, action="ticking the box")  # not a CourseWidget

A callback that raises shows a short, friendly message with the error's text in the widget,
logs the full traceback to the ``melt_course.widgets`` logger, and returns ``None``; the next
call that succeeds clears the message. Diagrams (:mod:`melt_course.widgets.diagram`) connect
their controls themselves.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from html import escape
from typing import Any

import ipywidgets as W

from melt_course.widgets import aria as _aria
from melt_course.widgets.stylesheet import ensure_stylesheet

__all__ = [
    "Connection",
    "CourseWidget",
    "ErrorArea",
    "SharedLook",
    "connect",
    "connections",
    "guarded",
]

_log = logging.getLogger("melt_course.widgets")

#: Start of a course widget's plain-text form (what a notebook stores and nbval compares). A
#: learner who opens a lesson in JupyterLab sees it in place of each widget until the cells have
#: run, so it says what to do then: run them (it is not a sign of a broken set-up). It comes
#: first because ipywidgets cuts a long plain-text form at 110 characters.
WIDGET_REPR_HEAD = "interactive widget: run the cells to see it (Run → Run All Cells)"


class SharedLook:
    """Layouts and styles made once and shared by the controls of one course widget.

    ipywidgets gives every control its own ``Layout`` and, for most controls, its own style
    object unless it is handed one; each of those is a widget with its own message to the
    browser, and together they were over half of a lesson's widgets (a quiz of a dozen
    questions made about 300). Controls that look alike can share them instead: ipywidgets
    renders a shared layout or style once per view.

    Share only what nothing changes later: a control that shows and hides itself through
    ``layout.display`` (as :class:`ErrorArea` does) needs a layout of its own.

    Examples
    --------
    >>> look = SharedLook()
    >>> a = look.make(W.Button, description="One", layout={"width": "auto"})
    >>> b = look.make(W.Button, description="Two", layout={"width": "auto"})
    >>> a.layout is b.layout and a.style is b.style
    True
    """

    def __init__(self) -> None:
        self._made: dict[tuple, W.Widget] = {}

    def layout(self, **traits: Any) -> W.Layout:
        """The shared ``Layout`` with these traits (made on first use)."""
        key = ("Layout", *sorted(traits.items()))
        if key not in self._made:
            self._made[key] = W.Layout(**traits)
        return self._made[key]  # type: ignore[return-value]

    def style(self, control: type[W.Widget], **traits: Any) -> W.Widget:
        """The shared style object for controls of class ``control``, with these traits.

        Raises
        ------
        TypeError
            When ``control`` is not an ipywidgets class with a ``style``.
        """
        trait = control.class_traits().get("style") if isinstance(control, type) and \
            issubclass(control, W.Widget) else None
        style_class = getattr(trait, "klass", None)
        if style_class is None:
            raise TypeError(f"control={control!r} is not an ipywidgets control class with a "
                            "style")
        key = (style_class.__name__, *sorted(traits.items()))
        if key not in self._made:
            self._made[key] = style_class(**traits)
        return self._made[key]

    def make(self, control: type[W.Widget], *args: Any, layout: dict[str, Any] | None = None,
             style: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        """Make a ``control`` with the shared layout and style for the given traits.

        Parameters
        ----------
        control : type
            An ipywidgets class (``W.Button``, ``W.HTML``, ``W.VBox``...).
        *args, **kwargs
            Passed to the class.
        layout, style : dict, optional
            Traits of the shared layout and style to use (none: the plain ones).
        """
        kwargs["layout"] = self.layout(**(layout or {}))
        if "style" in control.class_traits():
            kwargs["style"] = self.style(control, **(style or {}))
        return control(*args, **kwargs)


class ErrorArea(W.HTML):
    """Where a widget tells the learner that something went wrong (empty and hidden otherwise).

    The message is an ARIA alert, so a screen reader announces it.
    """

    def __init__(self, style: W.Widget | None = None) -> None:
        # Its own layout (it shows and hides itself); the style may be shared.
        super().__init__("", layout=W.Layout(display="none"),
                         **({} if style is None else {"style": style}))
        self.add_class("melt-widget-error")
        self.errors = 0

    @property
    def showing(self) -> bool:
        """Whether a message is shown."""
        return bool(self.value)

    def show(self, exc: BaseException, action: str) -> None:
        """Show a message about ``exc``, which happened while ``action`` (e.g. "moving the slider").

        Parameters
        ----------
        exc : BaseException
            The error; its type and text are shown (no traceback).
        action : str
            What the widget was doing, in a few words.
        """
        self.errors += 1
        text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        self.value = (
            '<div role="alert" style="border-left: 4px solid #D55E00; padding: 4px 10px; '
            'margin: 6px 0; background: #FFF4EC">'
            f"<b>Sorry — something went wrong while {escape(action)}.</b> "
            "The widget may not show the right picture now. Try again, or reload the page; "
            "if it happens again, tell your facilitator and quote this message:<br>"
            f'<code class="melt-widget-error-text">{escape(text)}</code></div>')
        self.layout.display = None

    def clear(self) -> None:
        """Remove the message."""
        if self.value:
            self.value = ""
            self.layout.display = "none"


def guarded(callback: Callable[..., Any], area: ErrorArea,
            action: str = "updating the widget", clears: bool = True) -> Callable[..., Any]:
    """Wrap a widget callback so that an exception is shown in ``area`` instead of being lost.

    Parameters
    ----------
    callback : callable
        The callback (any arguments).
    area : ErrorArea
        Where the message goes.
    action : str
        What the callback does, for the message ("moving the slider").
    clears : bool
        Whether a call that succeeds clears the message (False for bookkeeping that runs
        on its own, such as renaming controls, which must not hide a learner's message).

    Returns
    -------
    callable
        Calls ``callback`` and returns its result; on an ``Exception`` shows the message, logs
        the traceback to the ``melt_course.widgets`` logger and returns ``None``. A later call
        that succeeds clears the message (unless ``clears`` is False).
    """
    if not callable(callback):
        raise ValueError(f"callback {callback!r} is not callable")
    if not isinstance(area, ErrorArea):
        raise ValueError(f"area {area!r} is not an ErrorArea")

    @functools.wraps(callback)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            result = callback(*args, **kwargs)
        except Exception as exc:  # a callback error must reach the learner, not vanish
            name = getattr(callback, "__qualname__", repr(callback))
            _log.error("error in widget callback %s while %s", name, action, exc_info=True)
            area.show(exc, action)
            return None
        if clears:
            area.clear()
        return result

    return wrapper


class Connection:
    """One callback registered by :func:`connect`: what it listens to and where errors go.

    Calling it calls :attr:`callback` (a test may swap that attribute for one that raises, to
    check that the error reaches :attr:`area`).
    """

    def __init__(self, control: W.Widget, names: str | list[str], action: str,
                 area: ErrorArea, callback: Callable[..., Any]) -> None:
        self.control, self.names, self.action = control, names, action
        self.area, self.callback = area, callback

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.callback(*args, **kwargs)

    def __repr__(self) -> str:
        name = getattr(self.callback, "__qualname__", repr(self.callback))
        return f"{name} (on {type(self.control).__name__} {self.names!r})"

    def fire(self) -> None:
        """Make the control send its event as a learner would (press it, or change its value).

        Raises
        ------
        ValueError
            When the control's value cannot be changed to another allowed value.
        """
        control = self.control
        if isinstance(control, W.Button):
            control.click()
            return
        name = self.names if isinstance(self.names, str) else self.names[0]
        old = getattr(control, name)
        for new in _other_values(control, name, old):
            setattr(control, name, new)
            if getattr(control, name) != old:
                return
        raise ValueError(f"cannot change {type(control).__name__}.{name} from {old!r}")


def _other_values(control: W.Widget, name: str, old: Any) -> list[Any]:
    """Values ``control.name`` may take other than ``old`` (to fire a change in a test)."""
    own = getattr(control, "_melt_other_values_", None)  # a course control that says itself
    if callable(own):
        return list(own(name, old))
    if name == "value" and hasattr(control, "options"):
        values = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return [v for v in values if v != old]
    if name == "children":  # a box: one more (empty) child
        return [(*old, W.Box())]
    if isinstance(old, bool):
        return [not old]
    if isinstance(old, (int, float)):
        low, high = getattr(control, "min", None), getattr(control, "max", None)
        step = getattr(control, "step", None) or 1
        if isinstance(control, W.FloatLogSlider):
            return [control.base ** control.min, control.base ** control.max]
        return [v for v in (old + step, old - step, high, low) if v is not None]
    return []


def connect(control: W.Widget, callback: Callable[..., Any], area: Any,
            action: str = "updating the widget", names: str | list[str] = "value",
            clears: bool = True) -> None:
    """Listen to ``control`` with ``callback``, guarded: the one way course widgets listen.

    A button calls ``callback(button)`` when pressed (``on_click``); any other control calls
    ``callback(change)`` when the trait(s) ``names`` change (``observe``). An exception in
    ``callback`` is shown in ``area`` (see :func:`guarded`) instead of being lost.

    Parameters
    ----------
    control : ipywidgets.Widget
        The control listened to.
    callback : callable
        What to run.
    area : ErrorArea or CourseWidget
        Where an error is shown: an :class:`ErrorArea`, or a :class:`CourseWidget` (its own
        error area, put back at the end of its children if they were replaced).
    action : str
        What the callback does, in a few words, for the message ("moving the slider").
    names : str or list of str
        The traits observed (not used for a button).
    clears : bool
        Whether a call that succeeds clears a message shown in ``area`` (see :func:`guarded`).

    Raises
    ------
    ValueError
        When ``control`` is not a widget, ``callback`` is not callable or ``area`` is neither
        an ``ErrorArea`` nor a ``CourseWidget``.
    """
    if not isinstance(control, W.Widget):
        raise ValueError(f"control {control!r} is not an ipywidgets widget")
    if not callable(callback):
        raise ValueError(f"callback {callback!r} is not callable")
    shown = area.error_area if isinstance(area, CourseWidget) else area
    if not isinstance(shown, ErrorArea):
        raise ValueError(f"area {area!r} is neither an ErrorArea nor a CourseWidget")
    conn = Connection(control, "click" if isinstance(control, W.Button) else names, action,
                      shown, callback)
    wrapped = area.guard(conn, action, clears) if isinstance(area, CourseWidget) else \
        guarded(conn, area, action, clears)
    if isinstance(control, W.Button):
        control.on_click(wrapped)
    else:
        control.observe(wrapped, names=names)
    control.__dict__.setdefault("_melt_connections", []).append(conn)


def connections(control: W.Widget) -> list[Connection]:
    """The callbacks :func:`connect` registered on ``control`` (for tests)."""
    return list(control.__dict__.get("_melt_connections", ()))

class CourseWidget(W.VBox):
    """The base of every course widget: a stable text form and an error area for callbacks.

    ipywidgets prints a widget's ``repr`` as the ``text/plain`` part of its display, which
    nbval compares; the default repr changes with every trait. Subclasses set ``title``.

    The last child is always :attr:`error_area`; wrap callbacks with :meth:`guard` so that an
    exception in them is shown there (see the module docstring). Subclasses call
    ``super().__init__([child, ...])`` as for a ``VBox``.

    Every control under it gets its screen-reader name and a slider its spoken value from the
    widget's :attr:`aria` (:mod:`melt_course.widgets.aria`, set up here, kept up to date when a
    box's children change); name a control whose description does not say what it is with
    :func:`melt_course.widgets.aria.describe` before calling ``super().__init__``.
    """

    title = "course widget"

    def __init__(self, children: Any = (), **kwargs: Any) -> None:
        super().__init__([*children, self.error_area], **kwargs)
        # The course stylesheet (scoped to .melt-widget) reaches the page once per kernel.
        self.add_class("melt-widget")
        ensure_stylesheet()
        _aria.watch(self, self)

    @property
    def aria(self) -> _aria.Aria | None:
        """The front-end piece naming this widget's controls (None when it has none)."""
        return self.__dict__.get("_melt_aria_state", {}).get("aria")

    @property
    def error_area(self) -> ErrorArea:
        """Where callback errors are shown (made on first use, so :meth:`guard` works even
        before ``super().__init__`` has run)."""
        area = self.__dict__.get("_melt_error_area")
        if area is None:
            area = self.__dict__["_melt_error_area"] = ErrorArea()
        return area

    @property
    def look(self) -> SharedLook:
        """Layouts and styles shared by this widget's controls (see :class:`SharedLook`)."""
        look = self.__dict__.get("_melt_look")
        if look is None:
            look = self.__dict__["_melt_look"] = SharedLook()
        return look

    def __repr__(self) -> str:
        return f"<{WIDGET_REPR_HEAD}: {self.title}>"

    def guard(self, callback: Callable[..., Any],
              action: str = "updating the widget", clears: bool = True) -> Callable[..., Any]:
        """Wrap ``callback`` so that an exception in it is shown in this widget.

        See :func:`guarded`. If the widget's children were replaced since it was made, the
        error area is put back at the end when a message must be shown.
        """
        wrapped = guarded(callback, self.error_area, action, clears)

        @functools.wraps(wrapped)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            before = self.error_area.errors
            result = wrapped(*args, **kwargs)
            if self.error_area.errors != before and self.error_area not in self.children:
                self.children = (*self.children, self.error_area)
            return result

        return wrapper

    def connect(self, control: W.Widget, callback: Callable[..., Any],
                action: str = "updating the widget", names: str | list[str] = "value") -> None:
        """Listen to ``control`` with ``callback``; an error is shown in this widget.

        See :func:`connect`.
        """
        connect(control, callback, self, action, names)
