"""How wide a diagram is shown: the front-end piece that tells the kernel, and the rule it feeds.

A diagram's picture is a PNG drawn for a width in image pixels; the browser shrinks it to the
box it is given (``max-width: 100%``). On a phone a three-panel figure 1200 pixels wide is
shown about 360 CSS px wide and its labels become a few pixels high. So each picture carries
one :class:`PictureWidth` (an ``anywidget``; its JavaScript ships in the package: offline, in
JupyterLab and in the app). In the browser a ``ResizeObserver`` watches the picture's box and
reports its width in CSS px (settled for a moment, whole pixels); the picture then shows the
layout whose text stays readable at that width (:func:`readable_width`,
:meth:`melt_course.widgets.diagram.Picture.fit_to`).

The same piece keeps a picture that is wider than its box (the readable minimum width, see
:func:`readable_width`) reachable by keyboard: its scroll box gets ``tabindex="0"``, a
``region`` role and a name, only while it actually scrolls; the picture box then has the class
``melt-diagram-scrolls`` (the stylesheet writes "swipe sideways" above the picture).
"""

from __future__ import annotations

import math
from typing import Any

import anywidget
import ipywidgets as W
import traitlets

__all__ = ["READABLE_PX", "WHEN_PLACED_JS", "PictureWidth", "hidden_layout", "readable_width"]

#: JavaScript shared by the course's invisible front-end pieces (:class:`PictureWidth`,
#: :class:`~melt_course.widgets.aria.Aria`), put at the top of each one's ES module (anywidget
#: loads each module on its own, from the package: no shared file to fetch, nothing online).
#: ``whenPlaced(el, selector, attach)``: a view is rendered before JupyterLab or Voila puts it
#: in the page, so wait (one try a frame, about 10 s at most) until ``el`` sits inside an
#: element matching ``selector``, then call ``attach(container)``, which starts its observer
#: and returns the function that stops it. Returns the view's clean-up: stop waiting, or stop
#: the observer.
WHEN_PLACED_JS = r"""
function whenPlaced(el, selector, attach) {
  let tries = 0, frame = null, stopObserver = null, done = false;
  const look = () => {
    frame = null;
    if (done) return;
    const container = el.closest(selector);
    if (container) {
      stopObserver = attach(container);
    } else if (tries++ < 600) {
      frame = requestAnimationFrame(look);
    }
  };
  look();
  return () => {
    done = true;
    if (frame !== null) cancelAnimationFrame(frame);
    if (stopObserver) stopObserver();
  };
}
"""

#: The smallest diagram text, in CSS px, a learner is expected to read (the browser tests
#: require at least this much on screen at 390x844, 1024x768 and 1920x1080).
READABLE_PX = 9.0

_ESM = WHEN_PLACED_JS + r"""
function render({ model, el }) {
  el.classList.add("melt-picture-width");
  let box = null, timer = null;
  const report = () => {
    timer = null;
    if (!box) return;
    const width = Math.round(box.clientWidth);
    if (width > 0 && width !== model.get("width")) {
      model.set("width", width);
      model.save_changes();
    }
    const scroller = box.querySelector(".melt-diagram-image .widget-html-content");
    if (scroller) {
      const scrolls = scroller.scrollWidth > scroller.clientWidth + 1;
      box.classList.toggle("melt-diagram-scrolls", scrolls);
      if (scrolls && scroller.getAttribute("tabindex") !== "0") {
        scroller.setAttribute("tabindex", "0");
        scroller.setAttribute("role", "region");
        scroller.setAttribute("aria-label", "Diagram, wider than the screen: scroll sideways");
      } else if (!scrolls && scroller.hasAttribute("tabindex")) {
        ["tabindex", "role", "aria-label"].forEach((a) => scroller.removeAttribute(a));
      }
    }
  };
  const later = () => {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(report, 150);
  };
  const stop = whenPlaced(el, ".melt-diagram-picture", (found) => {
    box = found;
    const observer = new ResizeObserver(later);
    observer.observe(box);
    const image = box.querySelector(".melt-diagram-image");
    if (image) observer.observe(image);
    report();
    return () => observer.disconnect();
  });
  return () => {
    stop();
    if (timer !== null) clearTimeout(timer);
  };
}
export default { render };
"""


class PictureWidth(anywidget.AnyWidget):
    """Reports the CSS width a diagram's picture box is shown at (0 until a browser shows it).

    Attributes
    ----------
    width : int
        The picture box's width in CSS px, as the browser last reported it.
    """

    #: What it is, for error messages and tests.
    description = "Width the diagram is shown at"

    _esm = traitlets.Unicode(_ESM).tag(sync=True)
    width = traitlets.Int(0).tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(layout=hidden_layout(), **kwargs)   # hidden: it only measures


_HIDDEN: list[W.Layout] = []


def hidden_layout() -> W.Layout:
    """The one ``Layout(display="none")`` shared by the course's invisible front-end pieces
    (:class:`PictureWidth`, :class:`~melt_course.widgets.aria.Aria`); nothing changes it."""
    if not _HIDDEN:
        _HIDDEN.append(W.Layout(display="none"))
    return _HIDDEN[0]


def readable_width(image_width: int, text_px: float | None) -> int:
    """The narrowest CSS width at which a picture's smallest text is :data:`READABLE_PX` high.

    Parameters
    ----------
    image_width : int
        The picture's width in image pixels.
    text_px : float or None
        Its smallest text's size in image pixels (None: no text, any width will do).

    Returns
    -------
    int
        Whole CSS px (0 for a picture without text).

    Raises
    ------
    ValueError
        When ``image_width`` is not a positive whole number or ``text_px`` not positive.

    Examples
    --------
    >>> readable_width(1200, 12.0)
    900
    """
    if not (isinstance(image_width, int) and image_width > 0):
        raise ValueError(f"image_width={image_width!r} must be a positive whole number")
    if text_px is None:
        return 0
    if not (isinstance(text_px, (int, float)) and text_px > 0):
        raise ValueError(f"text_px={text_px!r} must be a positive number of pixels or None")
    return math.ceil(READABLE_PX * image_width / text_px - 1e-9)
