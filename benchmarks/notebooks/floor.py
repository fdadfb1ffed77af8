"""The floor for bench_slider.py: a slider that swaps ready-made PNGs, with no drawing at all.

:func:`floor` draws a course diagram beforehand at every position the benchmark's key presses
will reach (so the pictures have the diagram's own size and content), then shows only a slider
and a picture: each move puts the next stored PNG in place. What is left is the round trip
(key, comm message, kernel callback, PNG sent back, browser decode), which no diagram can beat.

Two floors, to measure what carrying the picture costs:

- ``"image"``: the PNG bytes in an ``ipywidgets.Image`` (sent as a binary buffer);
- ``"html"``: the PNG as base64 in an ``<img>`` inside an ``HTML`` widget, as
  :class:`melt_course.widgets.diagram.Picture` shows it (with its alt text).
"""

from __future__ import annotations

import base64
import math

import ipywidgets as widgets

_SLIDERS = (widgets.IntSlider, widgets.FloatSlider, widgets.FloatLogSlider)


def _first_slider(widget):
    """The first slider in the widget's children, depth first (the first one on the page)."""
    if isinstance(widget, _SLIDERS):
        return widget
    for child in getattr(widget, "children", ()):
        found = _first_slider(child)
        if found is not None:
            return found
    return None


def _positions(slider, presses: int) -> list:
    """The values ``presses`` ArrowRight presses visit, from the slider's value (inclusive)."""
    if isinstance(slider, widgets.FloatLogSlider):
        start = math.log(slider.value, slider.base)
        return [slider.base ** min(start + k * slider.step, slider.max)
                for k in range(presses + 1)]
    return [min(slider.value + k * slider.step, slider.max) for k in range(presses + 1)]


def floor(make, how: str = "image", presses: int = 40):
    """A slider over ``presses + 1`` ready-made pictures of the diagram ``make()`` returns.

    Parameters
    ----------
    make : callable
        Returns a course diagram (a ``Diagram``); it is drawn, never shown.
    how : {"image", "html"}
        How each picture is sent (see the module docstring).
    presses : int
        How many key presses the benchmark may make.
    """
    if how not in ("image", "html"):
        raise ValueError(f"how={how!r}; expected 'image' or 'html'")
    diagram = make()
    slider = _first_slider(diagram)
    pngs = []
    for value in dict.fromkeys(_positions(slider, presses)):     # a slider stops at its max
        slider.value = value           # the diagram redraws through its own observer
        pngs.append(diagram.picture.png)
    width = diagram.picture.image.value.split('width="')[1].split('"')[0]
    step = widgets.IntSlider(value=0, min=0, max=len(pngs) - 1, description=slider.description)
    if how == "image":
        picture = widgets.Image(value=pngs[0], format="png",
                                layout=widgets.Layout(width=f"{width}px", max_width="100%"))

        def show(change):
            picture.value = pngs[change["new"]]
    else:
        texts = [f'<img class="melt-diagram" src="data:image/png;base64,'
                 f'{base64.b64encode(png).decode("ascii")}" alt="floor picture {i}" '
                 f'width="{width}" decoding="sync" style="max-width: 100%; height: auto">'
                 for i, png in enumerate(pngs)]
        picture = widgets.HTML(texts[0])

        def show(change):
            picture.value = texts[change["new"]]
    step.observe(show, "value")
    return widgets.VBox([step, picture])
