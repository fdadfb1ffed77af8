"""Static stand-ins for widgets: the picture and the words a handout shows instead of controls.

``melt-course export-html`` runs each lesson in a kernel, then calls :func:`static_outputs`
there to turn every widget the lesson displayed into static HTML: each figure as an embedded
PNG (``data:`` URI) followed by its text description, text blocks as they are, and controls as
a line saying what they are set to. Nothing in the result needs a kernel, JavaScript or the
network.

How a widget is rendered, in order of preference:

1. its own ``_static_html_()`` method, if it has one (return an HTML string);
2. otherwise its children, walked generically (a diagram's picture gives its own
   ``_static_html_``: the current figure and its description), ``Image`` its bytes,
   ``HTML`` its HTML, ``Label`` its text, value controls (sliders, choices) their
   description and value, text boxes a blank line, and an ``Accordion`` (a disclosure) a
   ``<details>`` per section, titled as on the page and open as it is there.
   Hidden widgets, buttons, error areas and widgets with the DOM class :data:`SKIP_CLASS`
   are left out.
"""

from __future__ import annotations

import base64
import json
from html import escape

import ipywidgets as W

from melt_course.widgets.base import CourseWidget, ErrorArea

__all__ = ["SKIP_CLASS", "static_html", "static_outputs"]

#: A widget with this DOM class (``widget.add_class(SKIP_CLASS)``) is left out of the static
#: version, e.g. a running score that means nothing on paper.
SKIP_CLASS = "melt-static-skip"

_CHOICES = (W.RadioButtons, W.Dropdown, W.Select, W.ToggleButtons, W.SelectMultiple)
_ENTRIES = (W.IntText, W.FloatText, W.BoundedIntText, W.BoundedFloatText, W.Text,
            W.Textarea)
_CONTROLS = (W.IntSlider, W.FloatSlider, W.FloatLogSlider, W.IntRangeSlider,
             W.FloatRangeSlider, W.SelectionSlider, W.IntText, W.FloatText,
             W.BoundedIntText, W.BoundedFloatText, W.Text, W.Textarea, W.ToggleButton,
             W.Play, W.IntProgress, W.FloatProgress, W.ColorPicker, W.DatePicker)


def _data_uri(data: bytes, fmt: str = "png") -> str:
    return f"data:image/{fmt};base64,{base64.b64encode(data).decode('ascii')}"


def _img(data: bytes, alt: str, fmt: str = "png") -> str:
    return (f'<img class="melt-static-figure" src="{_data_uri(data, fmt)}" alt="{escape(alt)}" '
            'style="max-width: 100%; height: auto">')


def _description(text: str) -> str:
    return f'<p class="melt-static-description"><b>Figure description:</b> {escape(text)}</p>'


def _value_text(widget: W.Widget) -> str:
    value = widget.value
    if isinstance(value, bool):  # a toggle: never a Python True/False on paper
        return "on" if value else "off"
    if value is None:
        return "not set"
    if isinstance(value, tuple | list):
        return " to ".join(map(str, value))
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _option_label(option: object) -> str:
    return str(option[0]) if isinstance(option, tuple) else str(option)


def _control_html(widget: W.Widget) -> str:
    label = escape(widget.description or "Setting")
    if isinstance(widget, _CHOICES):
        chosen = widget.index if isinstance(widget.index, tuple) else (widget.index,)
        items = "".join(
            f"<li>{'☒' if i in chosen else '☐'} {escape(_option_label(opt))}</li>"
            for i, opt in enumerate(widget.options)
            if not (isinstance(opt, tuple) and opt[1] is None))  # "— choose —"
        head = f"<p><b>{label}</b></p>" if widget.description else ""
        return f'{head}<ul class="melt-static-choices">{items}</ul>'
    if isinstance(widget, W.Checkbox):
        return f"<p>☐ {label}</p>"
    if isinstance(widget, _ENTRIES):  # a box the learner types into: a blank on paper
        return f'<p class="melt-static-control"><b>{label}:</b> ____________</p>'
    return (f'<p class="melt-static-control"><b>{label}:</b> {escape(_value_text(widget))} '
            "<i>(a control in the interactive version)</i></p>")


def _walk(widget: W.Widget) -> str:
    layout = getattr(widget, "layout", None)
    if (layout is not None and layout.display == "none") or isinstance(widget, ErrorArea) \
            or SKIP_CLASS in getattr(widget, "_dom_classes", ()):
        return ""
    custom = getattr(widget, "_static_html_", None)
    if callable(custom):
        return custom()
    if isinstance(widget, W.Image):
        return _img(widget.value, "figure", widget.format) if widget.value else ""
    if isinstance(widget, W.HTML | W.HTMLMath):
        return widget.value
    if isinstance(widget, W.Label):
        return f"<p>{escape(widget.value)}</p>" if widget.value else ""
    if isinstance(widget, W.Button | W.Output):
        return ""
    if isinstance(widget, W.Accordion):   # a disclosure: the same on the page, no script
        parts = []
        for index, child in enumerate(widget.children):
            inner = _walk(child)
            if inner:
                title = widget.titles[index] if index < len(widget.titles) else ""
                shown = " open" if widget.selected_index == index else ""
                parts.append(f"<details{shown}><summary>{escape(title or 'More')}</summary>"
                             f"{inner}</details>")
        return "".join(parts)
    if isinstance(widget, W.Box):
        inner = "".join(_walk(child) for child in widget.children)
        if not inner:
            return ""
        if isinstance(widget, W.HBox):
            return f'<div style="display: flex; gap: 1em; flex-wrap: wrap">{inner}</div>'
        return f"<div>{inner}</div>"
    if isinstance(widget, (*_CHOICES, W.Checkbox, *_CONTROLS)) or hasattr(widget, "value"):
        return _control_html(widget)
    return ""


def static_html(widget: W.Widget) -> str:
    """Static HTML standing in for ``widget``: figures, descriptions, text and settings.

    Parameters
    ----------
    widget : ipywidgets.Widget
        Any widget; course widgets give their figures and descriptions.

    Returns
    -------
    str
        An HTML fragment with no script and no external reference (images are ``data:`` URIs),
        wrapped in ``<div class="melt-static-widget">``.
    """
    if not isinstance(widget, W.Widget):
        raise ValueError(f"widget {widget!r} is not an ipywidgets widget")
    title = getattr(widget, "title", None) if isinstance(widget, CourseWidget) else None
    note = (f'<p class="melt-static-note"><i>Static version of the interactive '
            f"“{escape(title)}”: open the lesson in the course app or JupyterLab to use "
            "it.</i></p>") if title else ""
    label = escape(title or "figure")
    return (f'<div class="melt-static-widget" role="group" aria-label="{label}">'
            f"{note}{_walk(widget)}</div>")


def static_outputs(model_ids: list[str]) -> None:
    """Display a JSON object mapping each widget model id to its static HTML.

    Called by the exporter inside the lesson's kernel after the lesson has run. A model id
    that names no live widget maps to None.
    """
    from IPython.display import display

    from_json = W.widget_serialization["from_json"]  # model reference -> live widget
    result = {}
    for mid in model_ids:
        widget = from_json(f"IPY_MODEL_{mid}", None)
        result[mid] = static_html(widget) if isinstance(widget, W.Widget) else None
    display({"application/json": json.loads(json.dumps(result))}, raw=True)
