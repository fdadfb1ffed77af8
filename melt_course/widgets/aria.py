"""What a screen reader says for every control: accessible names and slider value texts.

ipywidgets 8 draws a slider's handle as a ``<div role="slider">`` with no accessible name (its
description is a ``<label>`` tied to nothing) and a value text that is the slider's internal
number (a log slider at 10 s says "4", its exponent); a ``Play`` widget's buttons are icons
with no text; an ``Image`` has no ``alt``. None of that can be set from Python, so every course
widget carries one small front-end piece of the course's own, :class:`Aria`, built with
``anywidget`` (its JavaScript ships in the package: offline, in JupyterLab and in the app).

How it works
------------
- :class:`~melt_course.widgets.base.CourseWidget` calls :func:`watch` on itself when made: the
  controls under it (not those under a nested course widget, which has its own) are found;
  each the browser does not already name from its visible text gets a DOM class naming its
  model (``melt-aria-<model id>``), and what it needs is sent to the front end as a list of
  *specs* (:func:`spec`). Boxes whose children change later
  are listened to (through the one guarded path, :func:`~melt_course.widgets.base.connect`) and
  the list is made again.
- The front end finds each control's elements inside its course widget and sets
  ``aria-label`` on a slider's handle and typed read-out, a play/pause/stop button, an icon-only
  button, an unlabelled box or menu; ``role`` and ``aria-label`` on a group of radio or toggle
  buttons; ``alt`` on an image; the disclosure pattern on each section title of an
  ``Accordion`` (see below); and ``aria-valuetext`` on a slider handle, looked up from a
  table of the slider's positions (made in Python by the same formatting the course shows, so
  the time slider says "10 s"). A ``MutationObserver`` keeps them there: when the slider moves,
  when a view is redrawn, when the play button turns into a pause button.
- A control's name is, in order: what :func:`describe` gave it, its ``description``, a button's
  ``tooltip``. A slider's value text is :func:`describe`'s ``valuetext`` function, or the value
  in the slider's ``readout_format`` followed by the unit in brackets at the end of its
  description ("Hip flexion (°)" at 30 says "30°").

Name controls (``describe``) before the course widget is made; a control added later to a box
of a course widget is found when that box's children change.

Disclosures
-----------
A part that opens and closes (a figure's long description, a lesson's optional modellers'
settings) is an ``ipywidgets.Accordion``, the course's one way to make one. ipywidgets 8 draws
each section title as a plain ``<div>`` that only a mouse click opens: Tab skips it, Enter
and Space do nothing, and a screen reader hears text, not a control, and never whether it is
open (checked in Chromium, ``tests/test_browser_balance.py``). The front end makes each title a
disclosure button: ``role="button"``, ``tabindex="0"``, ``aria-expanded`` following the
section as it opens and closes, ``aria-controls`` naming its content, and Enter or Space
opening and closing it; the course's focus ring shows where the keyboard is.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from html import unescape
from typing import Any

import anywidget
import ipywidgets as W
import traitlets

from melt_course.widgets.fit import WHEN_PLACED_JS

__all__ = ["CONTROLS", "DISCLOSURES", "Aria", "accessible_name", "controls", "describe", "spec",
           "valuetext", "watch"]

#: Widgets a learner operates or a screen reader must name (the rest is text and layout).
CONTROLS = (W.IntSlider, W.FloatSlider, W.FloatLogSlider, W.SelectionSlider, W.IntRangeSlider,
            W.FloatRangeSlider, W.SelectionRangeSlider, W.Play, W.Checkbox, W.Button,
            W.ToggleButton, W.ToggleButtons, W.RadioButtons, W.Dropdown, W.Select,
            W.SelectMultiple, W.Text, W.Textarea, W.IntText, W.FloatText, W.BoundedIntText,
            W.BoundedFloatText, W.Password, W.Combobox, W.ColorPicker, W.DatePicker, W.Image)

_SLIDERS = (W.IntSlider, W.FloatSlider, W.FloatLogSlider, W.SelectionSlider, W.IntRangeSlider,
            W.FloatRangeSlider, W.SelectionRangeSlider)
_GROUPS = (W.ToggleButtons, W.RadioButtons)
_BUTTONS = (W.Button, W.ToggleButton)
#: Widgets whose section titles open and close (made disclosure buttons by the front end).
DISCLOSURES = (W.Accordion,)
#: Scope marker: the front end looks for controls inside the nearest element with this class.
SCOPE_CLASS = "melt-aria-scope"
#: Most positions a slider's value-text table holds (a finer slider is sampled).
_MAX_POSITIONS = 2001
#: What each of a Play widget's buttons does, for its name.
_PLAY_VERBS = {"play": "Play", "pause": "Pause", "stop": "Stop", "repeat": "Repeat"}
_UNIT = re.compile(r"\s*\(([^()]*)\)\s*$")
_TAG = re.compile(r"<[^>]*>")

_ESM = WHEN_PLACED_JS + r"""
const ICONS = {"fa-play": "play", "fa-pause": "pause", "fa-stop": "stop", "fa-retweet": "repeat"};

function put(el, attr, value) {
  if (value === null || value === undefined) {
    if (el.hasAttribute(attr)) el.removeAttribute(attr);
  } else if (el.getAttribute(attr) !== value) {
    el.setAttribute(attr, value);
  }
}

function nearest(values, x) {  // values: [[position, text], ...] sorted by position
  if (!values || !values.length || !Number.isFinite(x)) return null;
  let lo = 0, hi = values.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (values[mid][0] <= x) lo = mid; else hi = mid;
  }
  return Math.abs(values[lo][0] - x) <= Math.abs(values[hi][0] - x) ? values[lo][1]
                                                                    : values[hi][1];
}

function position(node, handle, index) {
  const api = (node.querySelector(".noUi-target") || {}).noUiSlider;
  if (api) {
    let v = api.get(true);
    if (Array.isArray(v)) v = v[index];
    const x = Number(v);
    if (Number.isFinite(x)) return x;
  }
  return parseFloat(handle.getAttribute("aria-valuenow"));
}

const APPLY = {
  slider(node, s) {
    node.querySelectorAll('[role="slider"]').forEach((handle, i) => {
      put(handle, "aria-label", s.names ? s.names[i] || s.name : s.name);
      const text = nearest(s.values, position(node, handle, i));
      if (text !== null) put(handle, "aria-valuetext", text);
    });
    const readout = node.querySelector(".widget-readout");
    if (readout && readout.isContentEditable) {
      put(readout, "role", "textbox");
      put(readout, "aria-label", s.name + ": type a value");
    }
  },
  play(node, s) {
    node.querySelectorAll("button").forEach((button) => {
      const icon = button.querySelector("i");
      const key = icon && Object.keys(ICONS).find((c) => icon.classList.contains(c));
      if (key) put(button, "aria-label", s.buttons[ICONS[key]]);
    });
  },
  input(node, s) {
    const input = node.matches("input, select, textarea") ? node
      : node.querySelector("input, select, textarea");
    if (input) put(input, "aria-label", s.name);
  },
  button(node, s) { put(node, "aria-label", s.name); },
  group(node, s) {
    const box = node.querySelector(".widget-radio-box") || node;
    put(box, "role", s.role);
    put(box, "aria-label", s.name);
  },
  image(node, s) { put(node, "alt", s.name); },
  disclosure(node, s) {
    // ipywidgets draws each section's title as a bare <div> that only a mouse click opens:
    // make it a button the keyboard reaches, that says whether it is open and what it opens.
    node.querySelectorAll(".jupyter-widget-Collapse").forEach((section, i) => {
      if (section.parentElement.closest(".jupyter-widget-Accordion") !== node) return;
      const title = section.querySelector(":scope > .jupyter-widget-Collapse-header");
      const body = section.querySelector(":scope > .jupyter-widget-Collapse-contents");
      if (!title) return;
      put(title, "role", "button");
      put(title, "tabindex", "0");
      put(title, "aria-expanded",
          String(section.classList.contains("jupyter-widget-Collapse-open")));
      if (body) {
        if (!body.id) body.id = "melt-disclosure-" + s.id + "-" + i;
        put(title, "aria-controls", body.id);
      }
      const icon = title.querySelector("i");
      if (icon) put(icon, "aria-hidden", "true");
      if (!title.meltKeys) {    // once per element: Enter or Space opens and closes it
        title.meltKeys = true;
        title.addEventListener("keydown", (event) => {
          if (event.key !== "Enter" && event.key !== " ") return;
          event.preventDefault();
          event.stopPropagation();
          title.click();
        });
      }
    });
  },
};

function render({ model, el }) {
  el.classList.add("melt-aria");
  let scope = null, queued = false;
  const apply = () => {
    queued = false;
    if (!scope) return;
    for (const s of model.get("specs")) {
      const run = APPLY[s.kind];
      if (!run) continue;
      scope.querySelectorAll(".melt-aria-" + s.id).forEach((node) => run(node, s));
    }
  };
  const later = () => {
    if (!queued) { queued = true; queueMicrotask(apply); }
  };
  const stop = whenPlaced(el, ".melt-aria-scope", (found) => {
    scope = found;
    const observer = new MutationObserver(later);
    observer.observe(scope, {subtree: true, childList: true, attributes: true,
      attributeFilter: ["aria-valuenow", "aria-valuetext", "aria-label", "alt", "class",
                        "role"]});
    apply();
    return () => observer.disconnect();
  });
  model.on("change:specs", later);
  return stop;
}
export default { render };
"""


class Aria(anywidget.AnyWidget):
    """The front-end piece that names one course widget's controls (see the module docstring).

    Attributes
    ----------
    specs : list of dict
        One entry per control that needs the front end (:func:`spec`).
    """

    #: What it is, as other controls name themselves (error messages, tests).
    description = "Screen-reader names of the controls"

    _esm = traitlets.Unicode(_ESM).tag(sync=True)
    specs = traitlets.List(traitlets.Dict()).tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        from melt_course.widgets.fit import hidden_layout

        super().__init__(layout=hidden_layout(), **kwargs)


# ---------------------------------------------------------------------------- naming


def describe(control: W.Widget, name: str | None = None, *,
             valuetext: Callable[[Any], str] | None = None,
             buttons: dict[str, str] | None = None) -> W.Widget:
    """Say what a screen reader announces for ``control``; returns the control.

    Parameters
    ----------
    control : ipywidgets.Widget
        One of :data:`CONTROLS`.
    name : str, optional
        Its accessible name (default: its description, or a button's tooltip).
    valuetext : callable, optional
        For a slider: the spoken value for a value (``lambda ms: f"{ms:g} ms"``).
    buttons : dict, optional
        For a ``Play``: names of its ``play``, ``pause``, ``stop`` and ``repeat`` buttons
        (default "Play <name>", "Pause <name>"...).

    Raises
    ------
    ValueError
        When ``control`` is not a control, the name is blank, ``valuetext`` is given for a
        control that is not a slider or is not callable, or ``buttons`` names an unknown
        button.
    """
    if not isinstance(control, CONTROLS):
        raise ValueError(f"control {_short(control)} is not one of the controls a screen "
                         "reader names (a slider, button, box, menu, text box or image)")
    if name is not None and not str(name).strip():
        raise ValueError(f"name={name!r} is blank; expected the words a screen reader says")
    if valuetext is not None and not (isinstance(control, _SLIDERS) and callable(valuetext)):
        raise ValueError(f"valuetext={_short(valuetext)} needs a slider and a function; got "
                         f"{type(control).__name__}")
    if buttons is not None:
        unknown = set(buttons) - set(_PLAY_VERBS)
        if not isinstance(control, W.Play) or unknown:
            raise ValueError(f"buttons={_short(buttons)} names {sorted(unknown) or 'buttons'} "
                             f"of a {type(control).__name__}; expected a Play and "
                             f"{sorted(_PLAY_VERBS)}")
    given = control.__dict__.setdefault("_melt_aria", {})
    given.update({k: v for k, v in (("name", name), ("valuetext", valuetext),
                                    ("buttons", buttons)) if v is not None})
    return control


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _plain(text: Any) -> str:
    return " ".join(unescape(_TAG.sub(" ", str(text or ""))).split())


def accessible_name(control: W.Widget) -> str:
    """What a screen reader calls ``control`` ("" when it has no name at all)."""
    given = control.__dict__.get("_melt_aria", {}).get("name")
    if given:
        return _plain(given)
    if isinstance(control, W.Image):
        return ""
    if isinstance(control, DISCLOSURES):   # each section title names its own button
        return "; ".join(t for t in (_plain(title) for title in control.titles) if t)
    name = _plain(getattr(control, "description", ""))
    if not name and isinstance(control, _BUTTONS):
        name = _plain(getattr(control, "tooltip", ""))
    return name


def _native(control: W.Widget) -> bool:
    """Whether the browser already names the control from its visible description."""
    if isinstance(control, (*_SLIDERS, W.Play, W.Image, *_GROUPS, *DISCLOSURES)):
        return False
    description = _plain(getattr(control, "description", ""))
    return bool(description) and accessible_name(control) == description


def _number(value: float, fmt: str) -> str:
    try:
        return format(value, fmt)
    except (ValueError, TypeError):
        return f"{value:g}" if isinstance(value, float) else str(value)


def valuetext(control: W.Widget, value: Any = None) -> str:
    """What a screen reader says for a slider at ``value`` (default: its current value).

    Raises
    ------
    ValueError
        When ``control`` is not a slider.
    """
    if not isinstance(control, _SLIDERS):
        raise ValueError(f"control {_short(control)} is not a slider")
    value = control.value if value is None else value
    own = control.__dict__.get("_melt_aria", {}).get("valuetext")
    if own is not None:
        return str(own(value))
    if isinstance(control, (W.SelectionSlider, W.SelectionRangeSlider)):
        labels = dict(zip(control.options if isinstance(control.options[0], str) else
                          [o[1] for o in control.options], control._options_labels,
                          strict=False))
        if isinstance(value, tuple):
            return " to ".join(str(labels.get(v, v)) for v in value)
        return str(labels.get(value, value))
    if isinstance(value, tuple):
        return " to ".join(valuetext(control, v) for v in value)
    fmt = getattr(control, "readout_format", "") or ("d" if isinstance(value, int) else ".3g")
    text = _number(value, fmt)
    match = _UNIT.search(_plain(control.description))
    if match:
        unit = match.group(1).strip()
        text += unit if unit[:1] in "°%" else f" {unit}"
    return text


def _positions(control: W.Widget) -> list[tuple[float, Any]]:
    """The slider's positions (what the browser's slider reports) and the value at each."""
    if isinstance(control, (W.SelectionSlider, W.SelectionRangeSlider)):
        values = control.options if isinstance(control.options[0], str) else \
            [o[1] for o in control.options]
        return list(enumerate(values))
    low, high, step = float(control.min), float(control.max), float(control.step or 1)
    count = max(1, min(_MAX_POSITIONS, math.floor((high - low) / step + 1e-9) + 1))
    if count == _MAX_POSITIONS:
        step = (high - low) / (count - 1)
    spots = [min(high, low + i * step) for i in range(count)]
    if spots[-1] < high:
        spots.append(high)
    if isinstance(control, W.FloatLogSlider):
        return [(x, control.base ** x) for x in spots]
    if isinstance(control, (W.IntSlider, W.IntRangeSlider)):
        return [(x, round(x)) for x in spots]
    return [(x, x) for x in spots]


def _play_buttons(control: W.Play) -> dict[str, str]:
    given = control.__dict__.get("_melt_aria", {}).get("buttons") or {}
    name = accessible_name(control)
    thing = name[5:] if name.lower().startswith("play ") else name
    return {key: given.get(key) or f"{verb} {thing}".strip()
            for key, verb in _PLAY_VERBS.items()}


def spec(control: W.Widget) -> dict[str, Any] | None:
    """What the front end must set for ``control`` (None: the browser names it already).

    Keys: ``id`` (model id), ``kind`` (``slider``, ``play``, ``input``, ``button``, ``group``,
    ``image``, or ``disclosure``: an ``Accordion``, whose titles the front end makes
    disclosure buttons), ``name``, and for a slider ``values`` (``[position, text]`` pairs),
    for a play widget ``buttons``, for a group ``role``.
    """
    if _native(control):
        return None
    name = accessible_name(control)
    out: dict[str, Any] = {"id": control.model_id, "name": name}
    if isinstance(control, _SLIDERS):
        out["kind"] = "slider"
        out["values"] = [[round(x, 9), valuetext(control, v)] for x, v in _positions(control)]
        if isinstance(control, (W.IntRangeSlider, W.FloatRangeSlider, W.SelectionRangeSlider)):
            out["names"] = [f"{name}: lower end", f"{name}: upper end"]
    elif isinstance(control, W.Play):
        out.update(kind="play", buttons=_play_buttons(control))
    elif isinstance(control, W.Image):
        out["kind"] = "image"
    elif isinstance(control, DISCLOSURES):
        out["kind"] = "disclosure"
    elif isinstance(control, _GROUPS):
        out.update(kind="group",
                   role="radiogroup" if isinstance(control, W.RadioButtons) else "group")
    elif isinstance(control, _BUTTONS):
        out["kind"] = "button"
    else:
        out["kind"] = "input"
    return out


# ---------------------------------------------------------------------------- the tree


def _is_scope(widget: W.Widget) -> bool:
    return SCOPE_CLASS in getattr(widget, "_dom_classes", ())


def _walk(root: W.Widget) -> Iterator[W.Widget]:
    """Every widget under ``root`` (itself excluded) not under a nested scope."""
    for child in getattr(root, "children", ()):
        yield child
        if not _is_scope(child):
            yield from _walk(child)


def controls(root: W.Widget) -> list[W.Widget]:
    """The controls under ``root`` that its :class:`Aria` names, disclosures included (nested
    scopes excluded)."""
    seen: dict[int, W.Widget] = {}
    for widget in _walk(root):
        if isinstance(widget, (*CONTROLS, *DISCLOSURES)) and not isinstance(widget, Aria):
            seen.setdefault(id(widget), widget)
    return list(seen.values())


def watch(root: W.Widget, area: Any) -> Aria | None:
    """Name the controls under ``root`` and keep naming them when boxes change children.

    Called by :class:`~melt_course.widgets.base.CourseWidget` when it is made (``area`` is
    where an error is shown: the widget itself). Returns its :class:`Aria` (None while
    nothing under it needs one); the Aria is placed just before ``root``'s error area.
    """
    from melt_course.widgets.base import connect  # base imports this module

    state = root.__dict__.setdefault("_melt_aria_state", {"aria": None, "boxes": set()})
    if not _is_scope(root):
        root.add_class(SCOPE_CLASS)

    def update(_change: Any = None) -> None:
        found = controls(root)
        specs = []
        for control in found:
            one = spec(control)
            if one is None:      # the browser names it already: no class, no message
                continue
            mark = f"melt-aria-{control.model_id}"
            if mark not in control._dom_classes:
                control.add_class(mark)
            specs.append(one)
        for box in [root, *_walk(root)]:
            if isinstance(box, W.Box) and id(box) not in state["boxes"] and \
                    (box is root or not _is_scope(box)):
                state["boxes"].add(id(box))
                connect(box, update, area, action="updating the screen-reader names",
                        names="children", clears=False)
        aria = state["aria"]
        if aria is None and specs:
            aria = state["aria"] = Aria()
        if aria is not None:
            if aria not in root.children:
                area_widget = getattr(area, "error_area", None)
                kids = list(root.children)
                at = kids.index(area_widget) if area_widget in kids else len(kids)
                kids.insert(at, aria)
                root.children = kids   # fires update again: harmless (same specs)
            if aria.specs != specs:
                aria.specs = specs

    update()
    return state["aria"]
